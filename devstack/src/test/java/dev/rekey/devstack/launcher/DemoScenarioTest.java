package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.launcher.DemoScenario.DemoCredential;
import dev.rekey.devstack.launcher.DemoScenario.Reach;
import dev.rekey.events.Ids;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoScenarioTest {

    private static final Demo.Plan PLAN = new Demo.Plan(3, 4, 3, 2, 1, Duration.ofMinutes(1), Set.of());

    @Test
    void theClosureOfTheGraphFromOktaIsExactlyWhatTheDemoExpectsInTheRadius() {
        List<DemoCredential> credentials = DemoScenario.build(PLAN, DemoKinds.TYPES, "rkdemo_t_");
        Set<String> expected = credentials.stream().filter(DemoCredential::inRadius).map(DemoCredential::id)
                .collect(Collectors.toSet());

        // design.md "Blast radius": exposedVia holding a compromised system or provider compromises a credential,
        // whose grantsAccessTo compromise further systems, to a fixpoint
        assertThat(closure(credentials, false)).isEqualTo(expected);
        // and the same if a compromised system's own credentials (systemId) counted as compromised too
        assertThat(closure(credentials, true)).isEqualTo(expected);
    }

    private static Set<String> closure(List<DemoCredential> credentials, boolean systemsExposeTheirCredentials) {
        Set<String> compromised = new HashSet<>(Set.of(DemoScenario.PROVIDER));
        Set<String> radius = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (DemoCredential c : credentials) {
                boolean reached = c.exposedVia().stream().anyMatch(compromised::contains)
                        || (systemsExposeTheirCredentials && compromised.contains(c.systemId()));
                if (!radius.contains(c.id()) && reached) {
                    radius.add(c.id());
                    compromised.addAll(c.grantsAccessTo());
                    grew = true;
                }
            }
        }
        return radius;
    }

    @Test
    void everyKindHasTwoCredentialsThatOnlyTheGraphReaches() {
        List<DemoCredential> credentials = DemoScenario.build(PLAN, List.of("postgresql", "vault-kv", "redis"), "p_");

        for (String type : List.of("postgresql", "vault-kv", "redis")) {
            List<DemoCredential> graph = credentials.stream()
                    .filter(c -> c.type().equals(type) && c.reach() == Reach.GRAPH).toList();
            assertThat(graph).as(type).hasSize(2)
                    .allSatisfy(c -> assertThat(c.exposedVia()).doesNotContain(DemoScenario.PROVIDER));
        }
        assertThat(credentials).filteredOn(c -> c.reach() == Reach.DIRECT && c.type().equals("postgresql"))
                .hasSize(3 * 3);
        assertThat(credentials).filteredOn(c -> c.reach() == Reach.UNTOUCHED && c.type().equals("redis")).hasSize(3);
        assertThat(credentials).noneMatch(c -> c.type().equals("mariadb"));
    }

    @Test
    void idsUserNamesAndVaultPathsAreUniqueAndValidAndUsersCarryTheRunsPrefix() {
        List<DemoCredential> credentials = DemoScenario.build(PLAN, DemoKinds.TYPES, "rkdemo_abc123_");

        assertThat(credentials).extracting(DemoCredential::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches(Ids.PATTERN));
        assertThat(credentials).extracting(DemoCredential::vaultPath).doesNotHaveDuplicates();
        assertThat(credentials).extracting(DemoCredential::password).doesNotHaveDuplicates();
        assertThat(credentials).filteredOn(c -> !c.type().equals("vault-kv"))
                .allMatch(c -> c.username().startsWith("rkdemo_abc123_") && c.username().length() <= 63);
    }

    @Test
    void neitherTheRegistrationNorTheTextOfACredentialCarriesItsValue() throws Exception {
        DemoCredential credential = DemoScenario.build(PLAN, List.of("postgresql"), "p_").get(0);

        assertThat(new ObjectMapper().writeValueAsString(credential.registration())).doesNotContain(credential.password());
        assertThat(credential.toString()).doesNotContain(credential.password());
    }
}
