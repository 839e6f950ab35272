package dev.rekey.worker.secret;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordGeneratorTest {

    private final PasswordGenerator generator = new PasswordGenerator();

    @Test
    void policyLengthIsHonouredWithAlphanumericCharactersOnly() {
        SecretValue value = generator.generate("password:48");
        assertThat(value.reveal()).matches("[A-Za-z0-9]{48}");
        assertThat(PasswordGenerator.isAlphanumeric(value)).isTrue();
    }

    @Test
    void policyWithoutLengthGivesThirtyTwoCharacters() {
        assertThat(generator.generate("password").reveal()).hasSize(32);
    }

    @Test
    void thousandValuesAreAllDifferentAndUseTheWholeAlphabet() {
        Set<String> values = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String value = generator.generate("password:32").reveal();
            values.add(value);
            value.chars().forEach(c -> seen.add((char) c));
        }
        assertThat(values).hasSize(1000);
        assertThat(seen).hasSize(62);
    }

    @Test
    void unknownOrTooShortPoliciesAreRejected() {
        assertThatThrownBy(() -> generator.generate("passphrase:5"))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class);
        assertThatThrownBy(() -> generator.generate("password:8"))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class);
        assertThatThrownBy(() -> generator.generate(null))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class);
    }

    @Test
    void valuesWithQuotesOrSpacesAreNotConsideredGenerated() {
        assertThat(PasswordGenerator.isAlphanumeric(SecretValue.of("abc'; DROP ROLE x; --"))).isFalse();
        assertThat(PasswordGenerator.isAlphanumeric(SecretValue.of("abc def"))).isFalse();
        assertThat(PasswordGenerator.isAlphanumeric(SecretValue.of("ümlaut"))).isFalse();
    }

    @Test
    void aSecretValueNeverPrintsItself() {
        SecretValue value = SecretValue.of("TopSecret123");
        assertThat(value.toString()).doesNotContain("TopSecret123");
        assertThat(String.valueOf(java.util.List.of(value))).doesNotContain("TopSecret123");
        assertThat(value).isEqualTo(SecretValue.of("TopSecret123")).isNotEqualTo(SecretValue.of("Other"));
    }
}
