package dev.rekey.devstack.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one {@code ./rekey breach} subcommand: options that take a value (each may repeat, and
 * {@code --name=value} works too), flags, and positional arguments. Anything else is a {@link UsageError}.
 */
final class BreachOptions {

    /** Wrong usage: one line for stderr; the command exits 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, List<String>> values;
    private final Set<String> flags;
    private final List<String> positional;

    private BreachOptions(Map<String, List<String>> values, Set<String> flags, List<String> positional) {
        this.values = values;
        this.flags = flags;
        this.positional = positional;
    }

    static BreachOptions parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions)
            throws UsageError {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (flagOptions.contains(name)) {
                if (eq > 0) {
                    throw new UsageError(name + " takes no value");
                }
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value;
                if (eq > 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new UsageError(name + " needs a value");
                }
                if (value.isBlank()) {
                    throw new UsageError(name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageError("unknown option " + name);
            }
        }
        return new BreachOptions(values, Set.copyOf(flags), List.copyOf(positional));
    }

    /** Every value given for {@code name}, in order; empty when absent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The one value of {@code name}, or null; given twice is a usage error. */
    String single(String name) throws UsageError {
        List<String> given = all(name);
        if (given.size() > 1) {
            throw new UsageError(name + " is given " + given.size() + " times; it takes one value");
        }
        return given.isEmpty() ? null : given.get(0);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> positional() {
        return positional;
    }
}
