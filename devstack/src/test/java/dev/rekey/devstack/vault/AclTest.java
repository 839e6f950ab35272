package dev.rekey.devstack.vault;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path matching and priority of Vault ACLs, with the examples of Vault's policy documentation ("Policies",
 * path matching and priority rules 1–5) and the cases of its {@code acl.go}.
 */
class AclTest {

    private static Acl acl(String... policies) {
        List<AclPolicy> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < policies.length; i++) {
            parsed.add(PolicyParser.parse("p" + i, policies[i]));
        }
        return new Acl(parsed);
    }

    private static boolean allows(Acl acl, String path, Capability capability) {
        return acl.check(path, capability).allowed();
    }

    @Test
    void exactPathMatchesOnlyItself() {
        Acl acl = acl("path \"secret/foo\" { capabilities = [\"read\"] }");

        assertThat(allows(acl, "secret/foo", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/food", Capability.READ)).isFalse();
        assertThat(allows(acl, "secret/foo/bar", Capability.READ)).isFalse();
        assertThat(allows(acl, "secret/foo", Capability.UPDATE)).isFalse();
    }

    @Test
    void trailingGlobIsAPrefixMatchAtAnyDepth() {
        Acl acl = acl("""
                path "secret/bar/*" { capabilities = ["read"] }
                path "secret/zip-*" { capabilities = ["read"] }
                """);

        assertThat(allows(acl, "secret/bar/zip", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/bar/zip/zap", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/bars/zip", Capability.READ)).isFalse();
        assertThat(allows(acl, "secret/zip-zap", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/zip-zap/zong", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/zip/zap", Capability.READ)).isFalse();
    }

    @Test
    void plusMatchesExactlyOneSegment() {
        Acl acl = acl("""
                path "secret/+/teamb" { capabilities = ["read"] }
                path "secret/+/+/teamc" { capabilities = ["read"] }
                """);

        assertThat(allows(acl, "secret/foo/teamb", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/foo/bar/teamb", Capability.READ)).isFalse();
        assertThat(allows(acl, "secret/foo/bar/teamc", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/foo/teamc", Capability.READ)).isFalse();
    }

    @Test
    void anExactDenyBeatsABroaderGrant() {
        Acl acl = acl("""
                path "secret/*" { capabilities = ["create", "read", "update", "patch", "delete", "list"] }
                path "secret/super-secret" { capabilities = ["deny"] }
                """);

        assertThat(allows(acl, "secret/anything", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/super-secret", Capability.READ)).isFalse();
    }

    @Test
    void moreSpecificGrantBeatsABroaderDeny() {
        Acl acl = acl("""
                path "secret/data/rekey/*" { capabilities = ["deny"] }
                path "secret/data/rekey/admin/*" { capabilities = ["read"] }
                """);

        assertThat(allows(acl, "secret/data/rekey/admin/pg", Capability.READ)).isTrue();
        assertThat(allows(acl, "secret/data/rekey/owners/o1", Capability.READ)).isFalse();
    }

    @Test
    void rule1LaterFirstWildcardWins() {
        // "foo/a*" has its glob at 5, "foo/+" its wildcard at 4.
        Acl acl = acl("""
                path "foo/a*" { capabilities = ["read"] }
                path "foo/+" { capabilities = ["update"] }
                """);

        assertThat(allows(acl, "foo/ab", Capability.READ)).isTrue();
        assertThat(allows(acl, "foo/ab", Capability.UPDATE)).isFalse();
        assertThat(allows(acl, "foo/b", Capability.UPDATE)).isTrue();
    }

    @Test
    void rule2NonGlobBeatsGlob() {
        Acl acl = acl("""
                path "foo/+/bar" { capabilities = ["read"] }
                path "foo/+/ba*" { capabilities = ["update"] }
                """);

        assertThat(allows(acl, "foo/x/bar", Capability.READ)).isTrue();
        assertThat(allows(acl, "foo/x/bar", Capability.UPDATE)).isFalse();
        assertThat(allows(acl, "foo/x/baz", Capability.UPDATE)).isTrue();
    }

    @Test
    void rule3FewerWildcardSegmentsWin() {
        // The documentation's example: "secret/+/+/foo/*" is lower priority than "secret/*".
        Acl docs = acl("""
                path "secret/*" { capabilities = ["create"] }
                path "secret/+/+/foo/*" { capabilities = ["read"] }
                """);
        Acl plus = acl("""
                path "secret/+/+/foo/*" { capabilities = ["read"] }
                path "secret/+/bar/foo/*" { capabilities = ["update"] }
                """);

        assertThat(allows(docs, "secret/a/b/foo/c", Capability.CREATE)).isTrue();
        assertThat(allows(docs, "secret/a/b/foo/c", Capability.READ)).isFalse();
        assertThat(allows(plus, "secret/a/bar/foo/c", Capability.UPDATE)).isTrue();
        assertThat(allows(plus, "secret/a/bar/foo/c", Capability.READ)).isFalse();
    }

    @Test
    void rule4LongerPathWins() {
        Acl acl = acl("""
                path "foo/+/bar/b*" { capabilities = ["read"] }
                path "foo/+/bar/ba*" { capabilities = ["update"] }
                """);

        assertThat(allows(acl, "foo/x/bar/baz", Capability.UPDATE)).isTrue();
        assertThat(allows(acl, "foo/x/bar/baz", Capability.READ)).isFalse();
        assertThat(allows(acl, "foo/x/bar/bz", Capability.READ)).isTrue();
    }

    @Test
    void samePathInTwoPoliciesAddsUpAndDenyInEitherWins() {
        Acl union = acl("path \"a/*\" { capabilities = [\"read\"] }", "path \"a/*\" { capabilities = [\"list\"] }");
        Acl denied = acl("path \"a/*\" { capabilities = [\"read\"] }", "path \"a/*\" { capabilities = [\"deny\"] }");

        assertThat(allows(union, "a/b", Capability.READ)).isTrue();
        assertThat(allows(union, "a/", Capability.LIST)).isTrue();
        assertThat(allows(denied, "a/b", Capability.READ)).isFalse();
    }

    @Test
    void listIsCheckedAgainstThePathWithoutItsTrailingSlashFirst() {
        Acl open = acl("path \"secret/metadata/*\" { capabilities = [\"list\"] }");
        Acl closed = acl("""
                path "secret/metadata/*" { capabilities = ["list"] }
                path "secret/metadata/rekey" { capabilities = ["deny"] }
                path "secret/metadata/rekey/*" { capabilities = ["deny"] }
                """);

        assertThat(allows(open, "secret/metadata/rekey/", Capability.LIST)).isTrue();
        assertThat(allows(closed, "secret/metadata/rekey/", Capability.LIST)).isFalse();
        assertThat(allows(closed, "secret/metadata/apps/", Capability.LIST)).isTrue();
    }

    @Test
    void sudoIsReportedWithTheDecision() {
        Acl acl = acl("path \"sys/auth/*\" { capabilities = [\"update\", \"sudo\"] }",
                "path \"sys/policies/*\" { capabilities = [\"update\"] }");

        assertThat(acl.check("sys/auth/approle", Capability.UPDATE).sudo()).isTrue();
        assertThat(acl.check("sys/policies/acl/x", Capability.UPDATE).sudo()).isFalse();
    }

    @Test
    void nothingMatchingIsDenied() {
        assertThat(allows(acl("path \"a\" { capabilities = [\"read\"] }"), "b", Capability.READ)).isFalse();
        assertThat(allows(acl(), "a", Capability.READ)).isFalse();
    }
}
