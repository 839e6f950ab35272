package dev.rekey.devstack.vault;

import dev.rekey.devstack.vault.AclPolicy.PathRule;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HCL subset of Vault policies: what parses into which rules, and Vault's messages for what does not. */
class PolicyParserTest {

    private static int bits(Capability... capabilities) {
        int bits = 0;
        for (Capability capability : capabilities) {
            bits |= capability.bit();
        }
        return bits;
    }

    @Test
    void severalBlocksWithEveryKindOfCommentBecomeOneRuleEach() {
        AclPolicy policy = PolicyParser.parse("app", """
                # a line comment
                // another one
                /* a block
                   comment */
                name = "ignored"
                path "secret/data/*" {
                  capabilities = ["create", "read", "update",]  # trailing comma is fine
                }
                path "/secret/metadata/+/x" { capabilities = ["list"] }
                path "secret/old" {
                  policy = "write"
                  capabilities = ["sudo"]
                }
                """);

        assertThat(policy.rules()).containsExactly(
                new PathRule("secret/data/*", bits(Capability.CREATE, Capability.READ, Capability.UPDATE)),
                new PathRule("secret/metadata/+/x", bits(Capability.LIST)),
                new PathRule("secret/old", bits(Capability.CREATE, Capability.READ, Capability.UPDATE,
                        Capability.DELETE, Capability.LIST, Capability.SUDO)));
        assertThat(policy.rules().get(0).prefix()).isTrue();
        assertThat(policy.rules().get(1).segmentWildcards()).isTrue();
    }

    @Test
    void denyDropsEveryOtherCapabilityOfItsPath() {
        AclPolicy policy = PolicyParser.parse("p", "path \"a/*\" { capabilities = [\"read\", \"deny\", \"list\"] }");

        assertThat(policy.rules()).containsExactly(new PathRule("a/*", Capability.DENY.bit()));
    }

    @Test
    void shippedPoliciesParse() {
        for (String service : VaultSetup.SERVICES) {
            assertThat(PolicyParser.parse(service, VaultSetup.policy(service)).rules()).isNotEmpty();
        }
    }

    @Test
    void unknownCapabilityIsRefusedWithVaultsMessage() {
        assertThatThrownBy(() -> PolicyParser.parse("p", "path \"a\" { capabilities = [\"raed\"] }"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("failed to parse policy: path \"a\": invalid capability \"raed\"");
    }

    @Test
    void unknownKeysAreListedWithTheirLinesAsVaultsMultiError() {
        assertThatThrownBy(() -> PolicyParser.parse("p", "paths = 1\npath \"a\" {\n  capablities = [\"read\"]\n}"))
                .hasMessage("failed to parse policy: 1 error occurred:\n\t* invalid key \"paths\" on line 1\n\n");
        assertThatThrownBy(() -> PolicyParser.parse("p", "path \"a\" {\n  capablities = [\"read\"]\n}"))
                .hasMessage("failed to parse policy: 1 error occurred:\n"
                        + "\t* path \"a\": invalid key \"capablities\" on line 2\n\n");
    }

    @Test
    void plusBeforeGlobIsForbidden() {
        assertThatThrownBy(() -> PolicyParser.parse("p", "path \"a/+*\" { capabilities = [\"read\"] }"))
                .hasMessage("failed to parse policy: path \"a/+*\": invalid use of wildcards ('+*' is forbidden)");
    }

    @Test
    void brokenSyntaxNamesThePosition() {
        assertThatThrownBy(() -> PolicyParser.parse("p", "path \"a\" {\n  capabilities = [\"read\"\n"))
                .isInstanceOf(BadRequest.class)
                .hasMessageStartingWith("failed to parse policy: At ");
        assertThatThrownBy(() -> PolicyParser.parse("p", "path \"a { }"))
                .hasMessage("failed to parse policy: At 1:6: literal not terminated");
        assertThatThrownBy(() -> PolicyParser.parse("p", "/* never closed"))
                .hasMessage("failed to parse policy: At 1:1: comment not terminated");
    }

    @Test
    void keysVaultKnowsButThisServerCannotEnforceAreRefusedNotIgnored() {
        assertThatThrownBy(() -> PolicyParser.parse("p", """
                path "secret/data/x" {
                  capabilities = ["create"]
                  allowed_parameters = { "bar" = [] }
                }"""))
                .hasMessage("failed to parse policy: path \"secret/data/x\": \"allowed_parameters\" is not supported"
                        + " by the rekey dev server");
        assertThatThrownBy(() -> PolicyParser.parse("p",
                "path \"secret/data/{{identity.entity.id}}/*\" { capabilities = [\"read\"] }"))
                .hasMessageContaining("templated policy paths are not supported");
    }
}
