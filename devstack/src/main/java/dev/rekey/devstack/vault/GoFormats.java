package dev.rekey.devstack.vault;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times and durations written the way Vault (a Go program) writes them, so that clients parsing Vault's output parse
 * ours: RFC 3339 with up to nine fraction digits and trailing zeros dropped ({@code time.RFC3339Nano}), and Go's
 * {@code time.Duration} text ({@code "3h25m19s"}, {@code "0s"}).
 */
final class GoFormats {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One Go duration term: a decimal number and a unit; "d" is an addition of Vault's parseutil. */
    private static final Pattern TERM = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d)");

    private GoFormats() {
    }

    /** {@code 2018-03-22T02:24:06.945319214Z}; Vault writes an unset time as the empty string. */
    static String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(SECONDS.format(instant));
        int nanos = instant.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
            text.append('.').append(fraction);
        }
        return text.append('Z').toString();
    }

    /** Go's {@code Duration.String()} for whole seconds: {@code 0s}, {@code 45s}, {@code 1m0s}, {@code 3h25m19s}. */
    static String duration(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + secs + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + secs + "s";
        }
        return secs + "s";
    }

    /**
     * Parses what Vault accepts for a "duration in seconds" field: a bare number of seconds ({@code "90"}) or a Go
     * duration ({@code "1h30m"}); fractions of a second are truncated as Vault does.
     *
     * @throws VaultResponses.BadRequest when the text is neither
     */
    static long durationSeconds(String text, String field) {
        String value = text.trim();
        if (value.matches("-?\\d+")) {
            return Long.parseLong(value);
        }
        boolean negative = value.startsWith("-");
        String rest = negative || value.startsWith("+") ? value.substring(1) : value;
        Matcher term = TERM.matcher(rest);
        double nanos = 0;
        int end = 0;
        while (term.find() && term.start() == end) {
            nanos += Double.parseDouble(term.group(1)) * unitNanos(term.group(2));
            end = term.end();
        }
        if (rest.isEmpty() || end != rest.length()) {
            throw new VaultResponses.BadRequest("error converting input " + text + " for field \"" + field
                    + "\": time: invalid duration \"" + text + "\"");
        }
        long seconds = (long) (nanos / 1_000_000_000d);
        return negative ? -seconds : seconds;
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 86_400e9;
        };
    }
}
