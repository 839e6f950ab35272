package dev.rekey.system;

import dev.rekey.devstack.downstream.Reachability;
import dev.rekey.devstack.launcher.Demo;
import dev.rekey.devstack.launcher.LocalStack;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system end to end, as {@code ./rekey demo} runs it: the three packaged services as separate JVMs over a
 * real Kafka broker, PostgreSQL, the Vault dev server and SMTP capture, and the machine's MariaDB, Redis and RabbitMQ
 * where they answer. A breach of Okta is reported through the REST API; every credential in its blast radius —
 * those exposed via Okta and those only the graph reaches — must be rotated in Vault and downstream (checked by
 * logging in with the new and the old value), the others left alone, and each owner mailed exactly twice.
 */
class BreachCampaignIT {

    private static final Path ROOT = Path.of(System.getProperty("rekey.root", "..")).toAbsolutePath().normalize();
    /** The ports by which the demo decides whether a kind is there (RabbitMQ: AMQP and its management API). */
    private static final Map<String, List<Integer>> MACHINE_PORTS = Map.of("mariadb", List.of(3306),
            "redis", List.of(6379), "rabbitmq", List.of(5672, 15672));

    @Test
    void reportedBreachRotatesVerifiesAndNotifiesEveryOwnerForEveryKind() throws Exception {
        // 2 owners: 4 PostgreSQL roles each (2 exposed via Okta), 2 of each other kind (1 exposed)
        Demo.Plan plan = new Demo.Plan(2, 4, 2, 2, 1, Duration.ofMinutes(2), Set.of());
        try (LocalStack stack = LocalStack.start(ROOT, ROOT.resolve("system-tests/target/stack"), System.out::println)) {
            Demo.Report report = new Demo(stack, plan, System.out).run();
            report.print(System.out);

            assertThat(report.problems()).isEmpty();
            // each kind: its own credentials, one migration login on the CI runners and one operator login on the
            // bastion (both only through the graph); vault-kv also holds the CI deploy token exposed via Okta
            assertKind(report, "postgresql", 8 + 2, 4 + 2);
            assertKind(report, "vault-kv", 4 + 2 + 1, 2 + 2 + 1);
            for (String type : MACHINE_PORTS.keySet()) {
                boolean present = MACHINE_PORTS.get(type).stream().allMatch(p -> Reachability.answers("127.0.0.1", p));
                if (present) {
                    assertKind(report, type, 4 + 2, 2 + 2);
                } else {
                    assertThat(report.kind(type).skipReason()).as(type).contains("answers on 127.0.0.1:");
                }
            }
            int used = (int) report.kinds().stream().filter(Demo.KindSummary::used).count();
            assertThat(report.graphPaths()).hasSize(2 * used);
            // the inventory's path of edges from Okta: through the CI deploy token and the runners, and for the
            // operator logins on from a migration login through the bastion
            assertThat(report.graphPaths().get("pg-ci-migrator")).contains("ci-deploy-token -> ci-runners")
                    .endsWith("pg-ci-migrator");
            assertThat(report.graphPaths().get("pg-bastion-ops")).contains("ci-deploy-token -> ci-runners -> ")
                    .contains("-ci-migrator -> bastion").endsWith("pg-bastion-ops");
            assertThat(report.failed()).isZero();
            assertThat(report.rotated()).isEqualTo(report.breached());
            assertThat(report.verifiedRotated()).isEqualTo(report.breached());
            assertThat(report.mails()).isEqualTo(4);
            assertThat(report.usersRemoved()).isEqualTo(report.kinds().stream()
                    .filter(k -> k.used() && !k.type().equals("vault-kv")).mapToInt(Demo.KindSummary::credentials).sum());
        }
    }

    private static void assertKind(Demo.Report report, String type, int credentials, int inRadius) {
        Demo.KindSummary kind = report.kind(type);
        assertThat(kind.used()).as(type + " used (" + kind.skipReason() + ")").isTrue();
        assertThat(kind.credentials()).as(type + " credentials").isEqualTo(credentials);
        assertThat(kind.inRadius()).as(type + " in radius").isEqualTo(inRadius);
        assertThat(kind.throughGraph()).as(type + " through the graph").isEqualTo(2);
        assertThat(kind.rotated()).as(type + " rotated").isEqualTo(inRadius);
        assertThat(kind.verified()).as(type + " verified").isEqualTo(inRadius);
        assertThat(kind.untouched()).as(type + " untouched").isEqualTo(credentials - inRadius);
    }
}
