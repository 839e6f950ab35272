package dev.rekey.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether any of many values occurs in a file's bytes, in one pass per distinct value length (a rolling hash, each
 * hit compared byte by byte): thousands of values over the broker's segment files, which a {@code contains} per
 * value would take minutes for.
 */
final class SecretScan {

    private static final long BASE = 1_000_003L;

    private final Map<Integer, Map<Long, Set<String>>> byLength = new HashMap<>();
    private final Map<Integer, Long> topPower = new HashMap<>();

    SecretScan(Collection<String> values) {
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                continue;
            }
            byLength.computeIfAbsent(bytes.length, l -> new HashMap<>())
                    .computeIfAbsent(hash(bytes, 0, bytes.length), h -> new HashSet<>()).add(value);
        }
        byLength.keySet().forEach(length -> {
            long power = 1;
            for (int i = 1; i < length; i++) {
                power *= BASE;
            }
            topPower.put(length, power);
        });
    }

    boolean foundIn(byte[] content) {
        for (Map.Entry<Integer, Map<Long, Set<String>>> entry : byLength.entrySet()) {
            int length = entry.getKey();
            if (content.length < length) {
                continue;
            }
            Map<Long, Set<String>> hashes = entry.getValue();
            long power = topPower.get(length);
            long h = hash(content, 0, length);
            for (int i = 0; ; i++) {
                Set<String> candidates = hashes.get(h);
                if (candidates != null) {
                    byte[] window = Arrays.copyOfRange(content, i, i + length);
                    for (String candidate : candidates) {
                        if (Arrays.equals(window, candidate.getBytes(StandardCharsets.UTF_8))) {
                            return true;
                        }
                    }
                }
                if (i + length >= content.length) {
                    break;
                }
                h = (h - (content[i] & 0xff) * power) * BASE + (content[i + length] & 0xff);
            }
        }
        return false;
    }

    private static long hash(byte[] bytes, int from, int length) {
        long h = 0;
        for (int i = from; i < from + length; i++) {
            h = h * BASE + (bytes[i] & 0xff);
        }
        return h;
    }
}
