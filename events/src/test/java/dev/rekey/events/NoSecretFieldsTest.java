package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No event record has a field that could carry a secret value: events carry references (Vault paths, ids) and
 * versions only.
 *
 * <p>The rule, applied to every component of every record reachable from the payload types (nested records and
 * list elements included), under both its Java name and its JSON name:
 * <ol>
 *   <li>A component whose type cannot hold text (numbers, booleans, {@link UUID}, {@link Instant}, enums) cannot
 *       carry a secret value, whatever its name: {@code oldCredential} is a state, not a credential.</li>
 *   <li>A record component is walked into, not judged by its name: {@code credential} holds where the credential
 *       lives, and its own components are checked.</li>
 *   <li>An untyped bag ({@link java.util.Map}, {@link Object}, a JSON tree) is refused outright: it could carry
 *       anything, a secret included, past this test.</li>
 *   <li>A component that can hold text ({@link String}, {@code char[]}, {@code byte[]}, lists of them) is split
 *       into words at camel-case and {@code _}/{@code -} boundaries. It is refused when one of its words names a
 *       secret value ({@link #SECRET_WORDS}) unless its last word says that it is a reference to, or a fact
 *       about, a secret rather than the secret itself ({@link #REFERENCE_WORDS}): {@code adminSecretPath},
 *       {@code credentialId} and {@code credentialIds} pass; {@code password}, {@code newSecret},
 *       {@code apiToken}, {@code privateKey}, {@code credentialValue} fail.</li>
 * </ol>
 */
class NoSecretFieldsTest {

    static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "passphrase", "secret", "secrets",
            "token", "tokens", "key", "keys", "apikey", "value", "values", "credential", "credentials", "plaintext",
            "hash", "salt", "pin", "otp", "cookie", "session", "bearer");
    static final Set<String> REFERENCE_WORDS = Set.of("path", "paths", "id", "ids", "mount", "ref", "refs",
            "version", "versions", "count", "kind", "type", "name", "names", "at", "url");

    private static final Set<Class<?>> CANNOT_HOLD_TEXT = Set.of(boolean.class, Boolean.class, int.class,
            Integer.class, long.class, Long.class, double.class, Double.class, UUID.class, Instant.class);

    @Test
    void noEventRecordHasAComponentThatCouldCarryASecretValue() {
        List<String> offenders = new ArrayList<>();
        for (Class<?> record : RecordGraph.reachableFrom(Samples.PAYLOAD_TYPES)) {
            for (RecordComponent component : record.getRecordComponents()) {
                String verdict = judge(component);
                if (verdict != null) {
                    offenders.add(record.getName() + "." + component.getName() + ": " + verdict);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theWalkReachesNestedRecordsAndListElements() {
        assertThat(RecordGraph.reachableFrom(Samples.PAYLOAD_TYPES)).contains(RotationDue.Credential.class,
                RotationDue.Target.class, BreachReported.OwnerCount.class, BreachSelector.class, Cause.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "newPassword", "secret", "secretValue", "apiToken", "privateKey", "api_key",
            "credential", "credentials", "credentialValue", "value", "plaintext", "sessionCookie", "passwordHash"})
    void namesOfSecretValuesAreRefused(String name) {
        assertThat(looksLikeASecretValue(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adminSecretPath", "vaultPath", "vaultMount", "credentialId", "credentialIds",
            "credentialCount", "secretVersion", "username", "reason", "generator", "host", "tokenUrl", "keyId"})
    void namesOfReferencesAndOrdinaryTextPass(String name) {
        assertThat(looksLikeASecretValue(name)).isFalse();
    }

    /** Why the component could carry a secret value, or null when it cannot. */
    private static String judge(RecordComponent component) {
        List<Class<?>> types = RecordGraph.typesIn(component.getGenericType());
        Class<?> raw = types.get(0);
        if (raw.isRecord() || raw.isEnum() || CANNOT_HOLD_TEXT.contains(raw)) {
            return null;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return types.stream().skip(1).allMatch(t -> t.isRecord() || t.isEnum() || CANNOT_HOLD_TEXT.contains(t))
                    ? null : judgeText(component);
        }
        if (raw == String.class || raw == char.class || raw == byte.class) {
            return judgeText(component);
        }
        return "type " + component.getGenericType().getTypeName() + " is an untyped bag or unknown to this rule";
    }

    private static String judgeText(RecordComponent component) {
        JsonProperty json = component.getAnnotation(JsonProperty.class);
        for (String name : json == null ? List.of(component.getName()) : List.of(component.getName(), json.value())) {
            if (looksLikeASecretValue(name)) {
                return "the name '" + name + "' says it holds a secret value";
            }
        }
        return null;
    }

    static boolean looksLikeASecretValue(String name) {
        List<String> words = Arrays.stream(name.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\\-]"))
                .map(w -> w.toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList();
        boolean namesASecret = words.stream().anyMatch(SECRET_WORDS::contains)
                || SECRET_WORDS.contains(String.join("", words));
        return namesASecret && !REFERENCE_WORDS.contains(words.get(words.size() - 1));
    }
}
