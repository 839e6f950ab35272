package dev.rekey.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Sample events for the tests: for each payload type one with every optional field set and one with every optional
 * field absent, so that together they show every property present and every optional property absent.
 */
final class Samples {

    static final UUID BREACH_ID = UUID.fromString("9a4e3c1d-0b7f-4e0a-8a55-3f1f2c6d7e80");
    static final UUID ROTATION_ID = UUID.fromString("0e3f6a9c-7d21-4f0b-b1a4-5a8c2e9d4f10");
    /** Has a fraction of a second, to show that nothing is truncated. */
    static final Instant AT = Instant.parse("2024-03-01T10:15:30.123456789Z");

    /** The payload records of the contract, one per CloudEvents type. */
    static final List<Class<? extends Record>> PAYLOAD_TYPES =
            List.of(BreachReported.class, RotationDue.class, SecretRotated.class, RotationFailed.class,
                    OwnerChanged.class);

    private Samples() {
    }

    static List<Record> all() {
        return List.of(breachReported(), breachReportedMinimal(), rotationDue(), rotationDueMinimal(),
                rotationDueHttp(), secretRotated(), secretRotatedMinimal(), rotationFailed(), rotationFailedManual(),
                ownerChanged(), ownerChangedMinimal());
    }

    static BreachReported breachReported() {
        var selector = new BreachSelector(List.of("okta"), List.of("payments-db"), List.of("prod"),
                List.of("team-payments"), List.of("payments-db-app"), Instant.parse("2023-10-01T00:00:00Z"), false);
        return new BreachReported(BREACH_ID, "Okta support system breach", "tokens exposed", selector,
                "incident-commander-1", AT, 3, List.of(new BreachReported.OwnerCount("team-payments",
                "payments@example.com", 2), new BreachReported.OwnerCount("team-identity", "id@example.com", 1)));
    }

    static BreachReported breachReportedMinimal() {
        var selector = new BreachSelector(null, null, null, null, null, null, true);
        return new BreachReported(BREACH_ID, "everything", null, selector, "admin-1", AT, 0, List.of());
    }

    static RotationDue rotationDue() {
        return new RotationDue(ROTATION_ID, "payments-db-app", Cause.breach(BREACH_ID), credential(),
                new RotationDue.Target("postgresql", "db.internal", 5432, "payments", "secret/rekey/admin/db", 8),
                policy(), owner(), true, AT);
    }

    static RotationDue rotationDueMinimal() {
        return new RotationDue(ROTATION_ID, "cache-app", Cause.scheduled(), credential(),
                new RotationDue.Target("redis", "cache.internal", 6379, null, "secret/rekey/admin/cache", 1),
                policy(), owner(), false, AT);
    }

    /** An HTTP target with every setting, and an alternating credential. */
    static RotationDue rotationDueHttp() {
        var header = new TargetSettings.HttpHeader("Authorization", "Bearer {{admin.password}}");
        var set = new TargetSettings.HttpCall("POST", "/api/users/{{username}}/keys", List.of(header),
                "{\"key\":\"{{newValue}}\"}");
        var test = new TargetSettings.HttpCall("GET", "/api/whoami",
                List.of(new TargetSettings.HttpHeader("Authorization", "Bearer {{newValue}}")), null);
        var revoke = new TargetSettings.HttpCall("DELETE", "/api/users/{{username}}/keys", List.of(header),
                "{\"key\":\"{{oldValue}}\"}");
        return new RotationDue(ROTATION_ID, "crm-api-key", Cause.manual(),
                new RotationDue.Credential("api-key", "secret", "crm/api", "svc-billing", "crm", "svc-billing-b"),
                new RotationDue.Target("http", "crm.example.com", 443, null, "secret/rekey/admin/crm", 2,
                        new TargetSettings(15672, true, set, test, revoke)),
                new RotationDue.Policy("password:40;classes=lower,upper,digit,symbol;exclude=~", "alternating"),
                owner(), false, AT);
    }

    static SecretRotated secretRotated() {
        return new SecretRotated(ROTATION_ID, "payments-db-app", "secret", "payments/db/app", 5, 4, "payments_app",
                Cause.breach(BREACH_ID), owner(), AT, 38);
    }

    static SecretRotated secretRotatedMinimal() {
        return new SecretRotated(ROTATION_ID, "payments-db-app", "secret", "payments/db/app", 5, 4, null,
                Cause.scheduled(), owner(), AT, 0);
    }

    static RotationFailed rotationFailed() {
        return new RotationFailed(ROTATION_ID, "payments-db-app", "set", "connection refused", 5, true,
                OldCredential.VALID, Cause.scheduled(), owner(), AT);
    }

    static RotationFailed rotationFailedManual() {
        return new RotationFailed(ROTATION_ID, "payments-db-app", "test", "login with the new value refused", 1,
                false, OldCredential.UNKNOWN, Cause.manual(), owner(), AT);
    }

    static OwnerChanged ownerChanged() {
        return new OwnerChanged("team-payments", "Payments", "payments@example.com",
                new OwnerChanged.Channels("secret/rekey/owners/team-payments/slack",
                        new OwnerChanged.Webhook("https://hooks.example.com/rekey",
                                "secret/rekey/owners/team-payments/webhook")));
    }

    static OwnerChanged ownerChangedMinimal() {
        return new OwnerChanged("team-identity", "Identity", "id@example.com", null);
    }

    private static RotationDue.Credential credential() {
        return new RotationDue.Credential("postgresql-role", "secret", "payments/db/app", "payments_app",
                "payments-db");
    }

    private static RotationDue.Policy policy() {
        return new RotationDue.Policy("password:32", "in-place");
    }

    private static OwnerRef owner() {
        return new OwnerRef("team-payments", "payments@example.com");
    }
}
