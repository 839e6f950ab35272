package dev.rekey.worker.secret;

import dev.rekey.events.GeneratorPolicy;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordGeneratorTest {

    private final PasswordGenerator generator = new PasswordGenerator();

    @Test
    void theDefaultPolicyGivesThirtyTwoLettersAndDigits() {
        assertThat(generator.generate("password").reveal()).matches("[A-Za-z0-9]{32}");
        assertThat(generator.generate("password:48").reveal()).matches("[A-Za-z0-9]{48}");
    }

    @Test
    void classesAndExclusionsOfThePolicyAreHonoured() {
        for (int i = 0; i < 200; i++) {
            String value = generator.generate("password:40;classes=lower,digit,symbol;exclude=0o1l").reveal();
            assertThat(value).hasSize(40).matches("[a-z0-9._~-]+").doesNotContain("0", "o", "1", "l")
                    .containsPattern("[a-z]").containsPattern("[0-9]").containsPattern("[._~-]");
        }
    }

    @Test
    void thousandValuesAreAllDifferentAndUseTheWholeAlphabet() {
        String policy = "password:32;classes=lower,upper,digit,symbol";
        Set<String> values = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String value = generator.generate(policy).reveal();
            values.add(value);
            value.chars().forEach(c -> seen.add((char) c));
        }
        assertThat(values).hasSize(1000);
        assertThat(seen).hasSize(GeneratorPolicy.parse(policy).alphabet().length()).hasSize(66);
    }

    @Test
    void anInvalidPolicyIsRefusedWithTheGrammarsOwnReason() {
        assertThatThrownBy(() -> generator.generate("passphrase:5"))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class)
                .hasMessageContaining("starts with 'password'");
        assertThatThrownBy(() -> generator.generate("password:8"))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class)
                .hasMessageContaining("length must be between 16 and 256");
        assertThatThrownBy(() -> generator.generate("password:16;classes=digit"))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class)
                .hasMessageContaining("bits");
        assertThatThrownBy(() -> generator.generate(null))
                .isInstanceOf(PasswordGenerator.UnsupportedPolicyException.class)
                .hasMessageContaining("required");
    }

    @Test
    void aSecretValueNeverPrintsItself() {
        SecretValue value = SecretValue.of("TopSecret123");
        assertThat(value.toString()).doesNotContain("TopSecret123");
        assertThat(String.valueOf(java.util.List.of(value))).doesNotContain("TopSecret123");
        assertThat(value).isEqualTo(SecretValue.of("TopSecret123")).isNotEqualTo(SecretValue.of("Other"));
    }
}
