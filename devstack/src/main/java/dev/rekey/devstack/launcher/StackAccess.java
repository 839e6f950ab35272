package dev.rekey.devstack.launcher;

import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a command finds the inventory and the token it calls it with: {@code INVENTORY_URL} from the environment,
 * else from {@code .rekey/stack.env} (written by {@code ./rekey up}); {@code REKEY_TOKEN} from the environment, else
 * a token minted for {@code role} with the running stack's key, the way {@code ./rekey token} does.
 */
record StackAccess(String inventoryUrl, String token) {

    /** No URL or no token: a message of one line that says how to get one. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    static StackAccess resolve(Map<String, String> env, Path workDir, String role) throws Unavailable, IOException {
        String url = env.get("INVENTORY_URL");
        if (url == null || url.isBlank()) {
            url = stackEnv(workDir).get("INVENTORY_URL");
        }
        if (url == null || url.isBlank()) {
            throw new Unavailable("no rekey stack: set INVENTORY_URL or start one with ./rekey up");
        }
        String token = env.get("REKEY_TOKEN");
        if (token == null || token.isBlank()) {
            Path keyDir = workDir.resolve(LocalStack.JWT_DIR);
            if (!Files.exists(keyDir.resolve(DevKeyPair.PRIVATE_KEY_FILE))) {
                throw new Unavailable("no token: set REKEY_TOKEN, or start the stack with ./rekey up to mint one"
                        + " with its key in " + keyDir);
            }
            token = new DevTokens(DevKeyPair.readFrom(keyDir)).issue("rekey-" + role, List.of(role), 3600);
        }
        return new StackAccess(url.strip().replaceAll("/+$", ""), token.strip());
    }

    /** The {@code KEY=VALUE} lines of {@code stack.env}; empty when there is none. */
    static Map<String, String> stackEnv(Path workDir) throws IOException {
        Path file = workDir.resolve("stack.env");
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return "StackAccess[" + inventoryUrl + "]"; // never the token
    }
}
