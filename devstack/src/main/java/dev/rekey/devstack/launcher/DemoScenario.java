package dev.rekey.devstack.launcher;

import dev.rekey.devstack.downstream.Secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the demo registers: for every kind in use, credentials exposed via Okta (in the radius directly) and others
 * exposed via GitHub (outside it), and a chain that only the graph reaches: Okta exposed the CI's deploy token, which
 * opens the CI runners; each kind has a migration login kept on the runners, which opens the bastion host; each kind
 * has an operator login kept on the bastion. Pure data, so a test can check the chain without a stack.
 */
final class DemoScenario {

    static final String PROVIDER = "okta";
    static final String UNRELATED_PROVIDER = "github";
    /** Not rotation targets: hosts the graph passes through, named in exposedVia / grantsAccessTo only. */
    static final String CI_RUNNERS = "ci-runners";
    static final String BASTION = "bastion";
    static final String DEPLOY_TOKEN = "ci-deploy-token";
    static final String[] TEAMS = {"payments", "identity", "data-platform", "growth", "infra", "search", "billing",
            "support", "mobile", "security"};

    /** How a credential comes to be in the blast radius of a breach of Okta, if at all. */
    enum Reach { DIRECT, GRAPH, UNTOUCHED }

    /** One credential: its registration, its seeded value, and what the demo expects of it. */
    record DemoCredential(String id, String type, String systemId, String owner, String username, String vaultPath,
                          String password, List<String> exposedVia, List<String> grantsAccessTo, Reach reach) {

        boolean inRadius() {
            return reach != Reach.UNTOUCHED;
        }

        /** The body of {@code POST /credentials}, one row of the bulk import. */
        Map<String, Object> registration() {
            return Map.ofEntries(
                    Map.entry("id", id), Map.entry("name", id + " (" + DemoKinds.credentialKind(type) + ")"),
                    Map.entry("kind", DemoKinds.credentialKind(type)), Map.entry("vaultMount", "secret"),
                    Map.entry("vaultPath", vaultPath), Map.entry("username", username),
                    Map.entry("systemId", systemId), Map.entry("ownerId", owner),
                    Map.entry("tags", List.of("demo")), Map.entry("exposedVia", exposedVia),
                    Map.entry("grantsAccessTo", grantsAccessTo),
                    Map.entry("rotationPolicy", Map.of("maxAgeDays", 90, "generator", "password:32",
                            "strategy", "in-place")));
        }

        @Override
        public String toString() {
            return "DemoCredential[" + id + ", " + type + ", " + reach + "]"; // never the password
        }
    }

    private DemoScenario() {
    }

    static String ownerId(int team) {
        return "team-" + TEAMS[team];
    }

    /**
     * The credentials for {@code types} (system types in use); user names start with {@code userPrefix} so that
     * they are this run's own on a shared server.
     */
    static List<DemoCredential> build(Demo.Plan plan, List<String> types, String userPrefix) {
        if (plan.owners() < 1 || plan.owners() > TEAMS.length) {
            throw new IllegalArgumentException("from 1 to " + TEAMS.length + " owners");
        }
        List<DemoCredential> all = new ArrayList<>();
        for (String type : types) {
            boolean postgres = type.equals("postgresql");
            int perOwner = postgres ? plan.credentialsPerOwner() : plan.otherKindsPerOwner();
            int breachedPerOwner = postgres ? plan.breachedPerOwner() : plan.otherKindsBreachedPerOwner();
            for (int o = 0; o < plan.owners(); o++) {
                for (int c = 0; c < perOwner; c++) {
                    boolean exposed = c < breachedPerOwner;
                    String name = DemoKinds.shortName(type) + "-" + TEAMS[o] + "-" + String.format("%03d", c);
                    // grants no system: no credential here opens a system that holds credentials, so the radius
                    // is the same whether a compromised system's own credentials count as exposed or not
                    all.add(credential(type, name, o, userPrefix, List.of(exposed ? PROVIDER : UNRELATED_PROVIDER),
                            List.of(), exposed ? Reach.DIRECT : Reach.UNTOUCHED));
                }
            }
        }
        all.add(credential("vault-kv", DEPLOY_TOKEN, 0, userPrefix, List.of(PROVIDER), List.of(CI_RUNNERS),
                Reach.DIRECT));
        int owner = 0;
        for (String type : types) {
            String shortName = DemoKinds.shortName(type);
            all.add(credential(type, shortName + "-ci-migrator", owner++ % plan.owners(), userPrefix,
                    List.of(CI_RUNNERS), List.of(BASTION), Reach.GRAPH));
            all.add(credential(type, shortName + "-bastion-ops", owner++ % plan.owners(), userPrefix,
                    List.of(BASTION), List.of(), Reach.GRAPH));
        }
        return List.copyOf(all);
    }

    private static DemoCredential credential(String type, String id, int owner, String userPrefix,
                                             List<String> exposedVia, List<String> grantsAccessTo, Reach reach) {
        // vault-kv has no downstream user; the inventory still wants one name per credential of a system
        String username = type.equals("vault-kv") ? id : userPrefix + id.replace('-', '_');
        return new DemoCredential(id, type, DemoKinds.systemId(type), ownerId(owner), username,
                "demo/" + ownerId(owner) + "/" + id, Secrets.password(), exposedVia, grantsAccessTo, reach);
    }
}
