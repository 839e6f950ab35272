package dev.rekey.inventory.security;

import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.hamcrest.Matchers.contains;

/** With {@code REKEY_SECURITY_OWNER_CLAIM=preferred_username} an owner is who that claim says, not {@code sub}. */
@QuarkusTest
@TestProfile(OwnerClaimTest.PreferredUsername.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class OwnerClaimTest {

    /** The owner id in {@code preferred_username}, as some OIDC providers put it. */
    public static class PreferredUsername implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rekey.security.owner-claim", "preferred_username");
        }
    }

    @Test
    void theConfiguredClaimNamesTheOwner() {
        String owner = owner(unique("team"));
        String mine = credential(unique("mine"), system(unique("pg")), owner, List.of(), List.of());
        DevTokens tokens = DevJwtResource.tokens();
        // sub is an opaque id of the provider; the owner id is in preferred_username
        String claims = DevTokens.claims("f47ac10b-58cc-4372-a567-0e02b2c3d479", List.of("owner"), 600,
                DevTokens.AUDIENCE).replace("\"upn\":", "\"preferred_username\":\"" + owner + "\",\"upn\":");
        as(tokens.sign(tokens.header(), claims)).get("/api/v1/credentials")
                .then().statusCode(200).body("items.id", contains(mine));
        as(tokens.sign(tokens.header(), claims)).get("/api/v1/credentials/" + mine).then().statusCode(200);
    }
}
