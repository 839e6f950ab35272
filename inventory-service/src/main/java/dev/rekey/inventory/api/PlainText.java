package dev.rekey.inventory.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;

/**
 * Free text that holds no control character (NUL included, which PostgreSQL cannot store), no lone surrogate (not
 * encodable as UTF-8), no bidirectional override (text that reads differently than it is) and no U+FFFD, the
 * replacement character that stands for bytes that were not UTF-8 (a URL's query is decoded that way).
 */
@Pattern(regexp = PlainText.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
public @interface PlainText {

    /** Any number of characters other than the excluded ones. */
    String PATTERN = "[^\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069\\uFFFD]*";

    String message() default "must not contain control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
