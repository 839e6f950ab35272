package dev.rekey.system;

import dev.rekey.devstack.launcher.Demo;
import dev.rekey.devstack.launcher.LocalStack;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation slice end to end: the three packaged services as separate JVMs over a real Kafka broker,
 * PostgreSQL, the Vault dev server and SMTP capture. A breach is reported through the REST API; every credential in
 * its blast radius must be rotated in Vault and in PostgreSQL (checked by logging in), the others left alone, and
 * each owner mailed exactly twice.
 */
class BreachCampaignIT {

    private static final Path ROOT = Path.of(System.getProperty("rekey.root", "..")).toAbsolutePath().normalize();

    @Test
    void reportedBreachRotatesVerifiesAndNotifiesEveryOwner() throws Exception {
        Demo.Plan plan = new Demo.Plan(3, 8, 5, Duration.ofMinutes(2));
        try (LocalStack stack = LocalStack.start(ROOT, ROOT.resolve("system-tests/target/stack"), System.out::println)) {
            Demo.Report report = new Demo(stack, plan, System.out).run();

            assertThat(report.problems()).isEmpty();
            assertThat(report.breached()).isEqualTo(15);
            assertThat(report.rotated()).isEqualTo(15);
            assertThat(report.failed()).isZero();
            assertThat(report.verifiedRotated()).isEqualTo(15);
            assertThat(report.verifiedUntouched()).isEqualTo(9);
            assertThat(report.mails()).isEqualTo(6);
        }
    }
}
