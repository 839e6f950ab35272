package dev.rekey.worker.target;

import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.secret.PasswordGenerator;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.TargetFixture.HeldSession;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one suite every target passes, against its real server: a subclass names the target bean and a
 * {@link TargetFixture} for its system. Every test makes its own users and removes them.
 */
public abstract class RotationTargetContract {

    /** Quotes, backslash, a comment, a percent escape, a placeholder and a rule prefix: nothing may break out. */
    protected static final String ODD = "it's \"quoted\"; \\ -- %2F {{username}} #>~ ";

    private final List<String> users = new ArrayList<>();
    private final PasswordGenerator generator = new PasswordGenerator();
    protected String adminPath;

    protected abstract RotationTarget target();

    protected abstract TargetFixture fixture();

    @BeforeEach
    void seedTheAdminLogin() throws Exception {
        adminPath = TestCredential.MOUNT + "/rekey/systems/" + fixture().type() + "-" + UUID.randomUUID();
        fixture().seedAdmin(adminPath);
    }

    @AfterEach
    void dropTheUsers() throws Exception {
        for (String user : users) {
            fixture().dropUser(user);
        }
    }

    @Test
    void anAppliedValueLogsInAndTheOldOneNoLongerDoes() throws Exception {
        String old = value("Old");
        String user = user(fixture().plainName(), old);
        RotationDue due = due(user);
        SecretValue next = generator.generate("password:32");

        target().apply(due, user, next);

        assertThat(fixture().logsIn(user, next.reveal())).isTrue();
        assertThat(target().logsIn(due, user, next)).isTrue();
        retireIfKept(due, user, old);
        assertThat(fixture().logsIn(user, old)).isFalse();
        assertThat(target().logsIn(due, user, SecretValue.of(old))).isFalse();
    }

    @Test
    void applyingTheSameValueAgainIsHarmless() throws Exception {
        String user = user(fixture().plainName(), value("Old"));
        RotationDue due = due(user);
        SecretValue next = generator.generate("password:32");

        target().apply(due, user, next);
        target().apply(due, user, next);

        assertThat(fixture().logsIn(user, next.reveal())).isTrue();
        assertThat(target().logsIn(due, user, next)).isTrue();
    }

    @Test
    void quotesSpacesAndOddCharactersInNamesAndValuesStayInsideTheirArgument() throws Exception {
        String old = ODD + "old " + UUID.randomUUID();
        String odd = user(fixture().oddName(), old);
        String bystanderValue = value("Bystander");
        String bystander = user(fixture().plainName(), bystanderValue);
        RotationDue due = due(odd);
        SecretValue next = SecretValue.of(ODD + "new " + UUID.randomUUID());

        target().apply(due, odd, next);

        assertThat(fixture().logsIn(odd, next.reveal())).isTrue();
        assertThat(target().logsIn(due, odd, next)).isTrue();
        assertThat(fixture().logsIn(bystander, bystanderValue)).as("another user is untouched").isTrue();
        retireIfKept(due, odd, old);
        assertThat(fixture().logsIn(odd, old)).isFalse();
    }

    @Test
    void valuesOfEveryCharacterClassAreAccepted() throws Exception {
        String user = user(fixture().plainName(), value("Old"));
        RotationDue due = due(user);
        List<SecretValue> values = List.of(
                generator.generate("password:64;classes=lower,upper,digit,symbol"),
                generator.generate("password:40;classes=symbol,digit"),
                SecretValue.of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"));

        for (SecretValue next : values) {
            target().apply(due, user, next);
            assertThat(fixture().logsIn(user, next.reveal())).isTrue();
            assertThat(target().logsIn(due, user, next)).isTrue();
        }
    }

    @Test
    void aMissingUserIsAFinalRefusalThatNamesItButNoValue() {
        String missing = fixture().plainName();
        SecretValue next = generator.generate("password:32");

        TargetException refusal = catchThrowableOfType(() -> target().apply(due(missing), missing, next),
                TargetException.class);

        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.isTransient()).isFalse();
        assertThat(refusal.getMessage()).contains("does not exist").doesNotContain(next.reveal());
    }

    @Test
    void aRejectedAdminLoginIsAFinalRefusalWithoutAnyValue() throws Exception {
        String user = user(fixture().plainName(), value("Old"));
        String wrong = value("WrongAdmin");
        TestVault.write(adminPath, new HashMap<>(Map.of("username", fixture().adminUsername(), "password", wrong)));
        SecretValue next = generator.generate("password:32");

        TargetException refusal = catchThrowableOfType(() -> target().apply(due(user), user, next),
                TargetException.class);

        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.isTransient()).isFalse();
        assertThat(refusal.getMessage()).contains("admin login").contains("rejected")
                .doesNotContain(wrong).doesNotContain(next.reveal());
    }

    @Test
    void anAdminLoginChangedInVaultIsUsedAtOnce() throws Exception {
        String user = user(fixture().plainName(), value("Old"));
        RotationDue due = due(user);
        target().apply(due, user, generator.generate("password:32")); // pools an admin connection, where it has any

        TestVault.write(adminPath, new HashMap<>(Map.of("username", fixture().adminUsername(),
                "password", value("Changed"))));
        TargetException refusal = catchThrowableOfType(
                () -> target().apply(due, user, generator.generate("password:32")), TargetException.class);
        fixture().seedAdmin(adminPath);
        SecretValue after = generator.generate("password:32");
        target().apply(due, user, after);

        assertThat(refusal).as("the connection of the replaced login is not reused").isNotNull();
        assertThat(refusal.getMessage()).contains("admin login");
        assertThat(fixture().logsIn(user, after.reveal())).isTrue();
    }

    @Test
    void anUnreachableSystemIsTransientForApplyAndLogIn() {
        RotationDue due = due(fixture().plainName(), fixture().unreachable(adminPath));
        SecretValue next = generator.generate("password:32");

        TargetException onApply = catchThrowableOfType(
                () -> target().apply(due, due.credential().username(), next), TargetException.class);
        TargetException onLogin = catchThrowableOfType(
                () -> target().logsIn(due, due.credential().username(), next), TargetException.class);

        assertThat(onApply).as("apply refused").isNotNull();
        assertThat(onApply.isTransient()).isTrue();
        assertThat(onApply.getMessage()).contains("unreachable").doesNotContain(next.reveal());
        assertThat(onLogin).as("login check refused").isNotNull();
        assertThat(onLogin.isTransient()).isTrue();
    }

    @Test
    void endingSessionsClosesAHeldSessionAndSparesOthers() throws Exception {
        String old = value("Old");
        String user = user(fixture().plainName(), old);
        String bystanderValue = value("Bystander");
        String bystander = user(fixture().plainName(), bystanderValue);
        Optional<HeldSession> attacker = fixture().holdSession(user, old);
        assumeTrue(attacker.isPresent(), "this system has no sessions");
        RotationDue due = due(user);
        try (HeldSession held = attacker.get();
             HeldSession other = fixture().holdSession(bystander, bystanderValue).orElseThrow()) {
            assertThat(held.isOpen()).isTrue();
            SecretValue next = generator.generate("password:32");
            target().apply(due, user, next);

            target().endSessions(due, user);

            await().atMost(Duration.ofSeconds(20)).until(() -> !held.isOpen());
            assertThat(other.isOpen()).as("another user's session").isTrue();
            target().apply(due, user, generator.generate("password:32")); // the admin side still works
        }
    }

    @Test
    void theTwoUsersOfAnAlternatingCredentialAreRotatedApart() throws Exception {
        String firstValue = value("First");
        String first = user(fixture().plainName(), firstValue);
        String second = user(fixture().plainName(), value("Second"));
        RotationDue due = due(first, second, fixture().target(adminPath));
        SecretValue next = generator.generate("password:32");

        target().check(due);
        target().apply(due, second, next);

        assertThat(fixture().logsIn(second, next.reveal())).isTrue();
        assertThat(fixture().logsIn(first, firstValue)).as("the user in use keeps working").isTrue();
        SecretValue nextOfFirst = generator.generate("password:32");
        target().apply(due, first, nextOfFirst);
        assertThat(fixture().logsIn(first, nextOfFirst.reveal())).isTrue();
        assertThat(fixture().logsIn(second, next.reveal())).isTrue();
    }

    @Test
    void checkAcceptsTheSystemAndRefusesSettingsThatDoNotFit() {
        target().check(due(fixture().plainName()));
        for (TargetFixture.Misfit misfit : fixture().misfits()) {
            RotationDue.Target fitting = fixture().target(adminPath);
            RotationDue due = due(fixture().plainName(), withSettings(fitting, misfit.settings()));

            TargetException refusal = catchThrowableOfType(() -> target().check(due), TargetException.class);

            assertThat(refusal).as("refused: " + misfit).isNotNull();
            assertThat(refusal.isTransient()).isFalse();
            assertThat(refusal.getMessage()).contains(misfit.reasonNames());
        }
    }

    @Test
    void theNewValueNeverReachesTheSystemInClear() throws Exception {
        String user = user(fixture().plainName(), value("Old"));
        SecretValue next = generator.generate("password:32");

        Optional<String> seen = fixture().observe(adminPath,
                observed -> target().apply(due(user, null, observed), user, next));

        assumeTrue(seen.isPresent(), "this system receives the value by design (an API key service)");
        assertThat(seen.get()).as("the operation was observed").contains(user);
        assertThat(seen.get()).doesNotContain(next.reveal());
        assertThat(fixture().logsIn(user, next.reveal())).isTrue();
    }

    // --- helpers

    /** A user made for this test, removed after it. */
    protected String user(String name, String value) throws Exception {
        String user = fixture().createUser(name, value);
        users.add(user);
        return user;
    }

    protected RotationDue due(String user) {
        return due(user, null, fixture().target(adminPath));
    }

    protected RotationDue due(String user, RotationDue.Target target) {
        return due(user, null, target);
    }

    protected RotationDue due(String user, String alternate, RotationDue.Target target) {
        String id = "cred-" + UUID.randomUUID();
        return new RotationDue(UUID.randomUUID(), id, Cause.breach(UUID.randomUUID()),
                new RotationDue.Credential(fixture().type() + "-user", TestCredential.MOUNT, "apps/" + id, user,
                        "sys-" + fixture().type() + "-" + adminPath.hashCode(), alternate),
                target, new RotationDue.Policy("password:32", alternate == null ? "in-place" : "alternating"),
                new OwnerRef("owner-1", "owner@example.test"), true, Instant.now());
    }

    protected static String value(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private void retireIfKept(RotationDue due, String user, String old) throws Exception {
        if (target().keepsReplacedValues(due)) {
            assertThat(fixture().logsIn(user, old)).as("the replaced value stays until it is retired").isTrue();
            target().retire(due, user, SecretValue.of(old));
        }
    }

    private static RotationDue.Target withSettings(RotationDue.Target t, TargetSettings settings) {
        return new RotationDue.Target(t.type(), t.host(), t.port(), t.database(), t.adminSecretPath(),
                t.maxConcurrentRotations(), settings);
    }
}
