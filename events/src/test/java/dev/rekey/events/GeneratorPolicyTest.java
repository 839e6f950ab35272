package dev.rekey.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator grammar that the inventory validates at registration and the worker generates from. */
class GeneratorPolicyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "password                                        | password:32",
            "password:32                                     | password:32",
            "password:64                                     | password:64",
            "password:24;classes=lower,upper,digit,symbol    | password:24;classes=lower,upper,digit,symbol",
            "password:40;classes=digit,lower;exclude=0o1l    | password:40;classes=lower,digit;exclude=0o1l",
            "password:32;exclude=;%                          | password:32;exclude=;%"})
    void validPoliciesReadBackToTheirCanonicalText(String text, String canonical) {
        assertThat(GeneratorPolicy.parse(text).toString()).isEqualTo(canonical);
        assertThat(GeneratorPolicy.parse(canonical)).isEqualTo(GeneratorPolicy.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                   | required",
            "token:32                             | starts with 'password'",
            "password:8                           | length must be between 16 and 256",
            "password:257                         | length must be between 16 and 256",
            "password:99999999999                 | expected password:<length>",
            "password:32;classes=                 | unknown character class",
            "password:32;classes=lower,lower      | named twice",
            "password:32;classes=emoji            | unknown character class",
            "password:32;size=3                   | unknown option",
            "password:32;exclude=                 | names no character",
            "password:32;classes=digit            | bits",
            "password:32;classes=symbol;exclude=-._~ | leave no character of class symbol"})
    void invalidPoliciesAreRefusedWithTheRuleTheyBreak(String text, String problem) {
        assertThatThrownBy(() -> GeneratorPolicy.parse(text))
                .isInstanceOf(GeneratorPolicy.InvalidPolicyException.class)
                .hasMessageContaining(problem);
        assertThat(GeneratorPolicy.isValid(text)).isFalse();
    }

    @Test
    void aControlCharacterCannotBeExcludedOrSmuggledIn() {
        assertThat(GeneratorPolicy.isValid("password:32;exclude=\u0000")).isFalse();
        assertThat(GeneratorPolicy.isValid("password:32\n")).isFalse();
    }

    @Test
    void everyValueHoldsOnlyAlphabetCharactersAndOneOfEachClass() {
        GeneratorPolicy policy = GeneratorPolicy.parse("password:24;classes=lower,upper,digit,symbol;exclude=0O");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2_000; i++) {
            String value = new String(policy.generate(random));
            assertThat(policy.admits(value)).isTrue();
            assertThat(value).doesNotContain("0", "O");
            for (GeneratorPolicy.CharacterClass cc : policy.classes()) {
                assertThat(value.chars().anyMatch(c -> cc.characters().indexOf(c) >= 0)).as(cc.name()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "password:24;classes=lower,upper,digit,symbol"})
    void everyCharacterIsSafeInAConnectionUrlASqlLiteralAndARedisAclRule(String text) {
        // what would have to be escaped somewhere: URL delimiters, quotes, backslash, space, ACL rule syntax
        String unsafe = " \"'`\\%:/?#[]@&=+;,<>^{|}!$()*";
        for (char c : GeneratorPolicy.parse(text).alphabet().toCharArray()) {
            assertThat(unsafe.indexOf(c)).as("character %s", c).isNegative();
        }
    }

    @Test
    void theDefaultIsThirtyTwoLettersAndDigits() {
        assertThat(GeneratorPolicy.DEFAULT.toString()).isEqualTo("password:32");
        assertThat(GeneratorPolicy.DEFAULT.classes()).isEqualTo(EnumSet.of(GeneratorPolicy.CharacterClass.LOWER,
                GeneratorPolicy.CharacterClass.UPPER, GeneratorPolicy.CharacterClass.DIGIT));
        assertThat(GeneratorPolicy.DEFAULT.alphabet()).hasSize(62);
    }
}
