package dev.rekey.devstack.vault;

import dev.rekey.devstack.vault.AclPolicy.PathRule;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the part of HCL that Vault ACL policies are written in — {@code path "…" { capabilities = […] }} blocks,
 * several of them, {@code #}, {@code //} and block comments, the old {@code policy = "read"} form and a top-level
 * {@code name} — and refuses everything else with the message Vault gives ({@code failed to parse policy:
 * …}), answered as 400. Keys that Vault knows but this server does not enforce ({@code allowed_parameters},
 * {@code control_group}, templated paths, …) are refused too, rather than silently granting more than they say.
 */
final class PolicyParser {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "path");
    private static final Set<String> PATH_KEYS = Set.of("comment", "policy", "capabilities", "allowed_parameters",
            "denied_parameters", "required_parameters", "min_wrapping_ttl", "max_wrapping_ttl", "mfa_methods",
            "control_group");
    private static final Set<String> SUPPORTED_PATH_KEYS = Set.of("comment", "policy", "capabilities");

    private PolicyParser() {
    }

    /** @throws BadRequest with Vault's message when the text is not a policy this server can enforce */
    static AclPolicy parse(String name, String text) {
        List<Item> items = new Syntax(text).document();
        List<String> invalid = new ArrayList<>();
        for (Item item : items) {
            if (!TOP_LEVEL_KEYS.contains(item.keys().get(0))) {
                invalid.add(String.format("invalid key \"%s\" on line %d", item.keys().get(0), item.assignLine()));
            }
        }
        if (!invalid.isEmpty()) {
            throw failure(VaultResponses.multiError(invalid));
        }
        List<PathRule> rules = new ArrayList<>();
        for (Item item : items) {
            if (item.keys().get(0).equals("path")) {
                rules.add(pathRule(item));
            }
        }
        return new AclPolicy(name, text, rules);
    }

    private static PathRule pathRule(Item item) {
        if (item.keys().size() < 2) {
            throw failure("a path statement names its path: path \"secret/data/*\" { capabilities = [\"read\"] }");
        }
        String key = item.keys().get(1);
        if (!(item.value() instanceof Block block)) {
            throw failure("path \"" + key + "\": expected a block { capabilities = [...] }");
        }
        List<String> invalid = new ArrayList<>();
        for (Item field : block.items()) {
            if (!PATH_KEYS.contains(field.keys().get(0))) {
                invalid.add(String.format("path \"%s\": invalid key \"%s\" on line %d", key, field.keys().get(0),
                        field.assignLine()));
            }
        }
        if (!invalid.isEmpty()) {
            throw failure(VaultResponses.multiError(invalid));
        }
        String pattern = key.startsWith("/") ? key.substring(1) : key;
        if (pattern.contains("+*")) {
            throw failure("path \"" + pattern + "\": invalid use of wildcards ('+*' is forbidden)");
        }
        if (pattern.contains("{{")) {
            throw failure("path \"" + key + "\": templated policy paths are not supported by the rekey dev server");
        }
        List<String> capabilities = new ArrayList<>();
        for (Item field : block.items()) {
            String fieldName = field.keys().get(0);
            if (!SUPPORTED_PATH_KEYS.contains(fieldName)) {
                throw failure("path \"" + key + "\": \"" + fieldName + "\" is not supported by the rekey dev server");
            }
            switch (fieldName) {
                case "policy" -> capabilities.addAll(0, oldStylePolicy(key, string(field, key)));
                case "capabilities" -> capabilities.addAll(strings(field, key));
                default -> string(field, key); // comment
            }
        }
        int bits = 0;
        for (String name : capabilities) {
            Capability capability = Capability.named(name);
            if (capability == null) {
                throw failure("path \"" + key + "\": invalid capability \"" + name + "\"");
            }
            if (capability == Capability.DENY) {
                bits = Capability.DENY.bit();
                break;
            }
            bits |= capability.bit();
        }
        return new PathRule(pattern, bits);
    }

    /** The pre-0.5 {@code policy = "…"} values, mapped as Vault maps them. */
    private static List<String> oldStylePolicy(String key, String policy) {
        return switch (policy) {
            case "deny" -> List.of("deny");
            case "read" -> List.of("read", "list");
            case "write" -> List.of("create", "read", "update", "delete", "list");
            case "sudo" -> List.of("create", "read", "update", "delete", "list", "sudo");
            default -> throw failure("path \"" + key + "\": invalid policy \"" + policy + "\"");
        };
    }

    private static String string(Item field, String key) {
        if (field.value() instanceof Scalar scalar) {
            return scalar.text();
        }
        throw failure("path \"" + key + "\": " + field.keys().get(0) + " must be a string");
    }

    /** HCL decodes a single string into a list of one, as Vault's decoder does. */
    private static List<String> strings(Item field, String key) {
        if (field.value() instanceof Scalar scalar) {
            return List.of(scalar.text());
        }
        if (field.value() instanceof ListValue list && list.values().stream().allMatch(Scalar.class::isInstance)) {
            return list.values().stream().map(v -> ((Scalar) v).text()).toList();
        }
        throw failure("path \"" + key + "\": " + field.keys().get(0) + " must be a list of strings");
    }

    private static BadRequest failure(String message) {
        return new BadRequest("failed to parse policy: " + message);
    }

    // --- the HCL syntax tree -----------------------------------------------------------------------------------------

    /** {@code keys… = value} or {@code keys… { … }}; {@code assignLine} is 0 for a block, as HCL reports it. */
    private record Item(List<String> keys, int assignLine, Object value) {
    }

    private record Block(List<Item> items) {
    }

    private record ListValue(List<Object> values) {
    }

    /** A string, number or boolean, as text. */
    private record Scalar(String text) {
    }

    /** A recursive-descent reader of HCL 1 object syntax; errors name the position like HCL's parser. */
    private static final class Syntax {

        private final String text;
        private int position;
        private int line = 1;
        private int column = 1;

        Syntax(String text) {
            this.text = text;
        }

        List<Item> document() {
            List<Item> items = items(false);
            skipSpaceAndComments();
            if (position < text.length()) {
                throw error("unexpected " + describe(text.charAt(position)));
            }
            return items;
        }

        private List<Item> items(boolean inBlock) {
            List<Item> items = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (position >= text.length()) {
                    if (inBlock) {
                        throw error("object expected closing RBRACE got: EOF");
                    }
                    return items;
                }
                char c = text.charAt(position);
                if (c == '}') {
                    if (!inBlock) {
                        throw error("expected: IDENT | STRING got: RBRACE");
                    }
                    return items;
                }
                items.add(item());
                skipSpaceAndComments();
                if (position < text.length() && text.charAt(position) == ',') {
                    advance();
                }
            }
        }

        private Item item() {
            List<String> keys = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (position >= text.length()) {
                    throw error("expected: IDENT | STRING | ASSIGN | LBRACE got: EOF");
                }
                char c = text.charAt(position);
                if (c == '"') {
                    keys.add(quoted());
                } else if (isIdentStart(c)) {
                    keys.add(identifier());
                } else if (c == '=' && !keys.isEmpty()) {
                    int assignLine = line;
                    advance();
                    return new Item(keys, assignLine, value());
                } else if (c == '{' && !keys.isEmpty()) {
                    return new Item(keys, 0, block());
                } else {
                    throw error("expected: IDENT | STRING | ASSIGN | LBRACE got: " + describe(c));
                }
            }
        }

        private Object value() {
            skipSpaceAndComments();
            if (position >= text.length()) {
                throw error("Unknown token: EOF");
            }
            char c = text.charAt(position);
            if (c == '"') {
                return new Scalar(quoted());
            }
            if (c == '[') {
                return list();
            }
            if (c == '{') {
                return block();
            }
            if (c == '-' || Character.isDigit(c) || isIdentStart(c)) {
                String word = identifier();
                if (word.equals("true") || word.equals("false") || word.matches("-?\\d+(\\.\\d+)?")) {
                    return new Scalar(word);
                }
                throw error("Unknown token: IDENT " + word);
            }
            throw error("Unknown token: " + describe(c));
        }

        private Block block() {
            advance(); // {
            List<Item> items = items(true);
            advance(); // }
            return new Block(items);
        }

        private ListValue list() {
            advance(); // [
            List<Object> values = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (position >= text.length()) {
                    throw error("list expected closing RBRACK got: EOF");
                }
                if (text.charAt(position) == ']') {
                    advance();
                    return new ListValue(values);
                }
                values.add(value());
                skipSpaceAndComments();
                if (position < text.length() && text.charAt(position) == ',') {
                    advance();
                } else if (position < text.length() && text.charAt(position) != ']') {
                    throw error("expected: COMMA | RBRACK got: " + describe(text.charAt(position)));
                }
            }
        }

        private String quoted() {
            int startLine = line;
            int startColumn = column;
            advance(); // opening quote
            StringBuilder value = new StringBuilder();
            while (true) {
                if (position >= text.length() || text.charAt(position) == '\n') {
                    throw new BadRequest("failed to parse policy: At " + startLine + ":" + startColumn
                            + ": literal not terminated");
                }
                char c = text.charAt(position);
                advance();
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && position < text.length()) {
                    char escaped = text.charAt(position);
                    advance();
                    switch (escaped) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case '"', '\\' -> value.append(escaped);
                        default -> throw error("invalid escape sequence \\" + escaped);
                    }
                } else {
                    value.append(c);
                }
            }
        }

        private String identifier() {
            int start = position;
            while (position < text.length() && (isIdentStart(text.charAt(position))
                    || Character.isDigit(text.charAt(position)) || "-.:".indexOf(text.charAt(position)) >= 0)) {
                advance();
            }
            return text.substring(start, position);
        }

        private static boolean isIdentStart(char c) {
            return Character.isLetter(c) || c == '_' || c == '-' || Character.isDigit(c);
        }

        private void skipSpaceAndComments() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (Character.isWhitespace(c)) {
                    advance();
                } else if (c == '#' || text.startsWith("//", position)) {
                    while (position < text.length() && text.charAt(position) != '\n') {
                        advance();
                    }
                } else if (text.startsWith("/*", position)) {
                    int startLine = line;
                    int startColumn = column;
                    int end = text.indexOf("*/", position + 2);
                    if (end < 0) {
                        throw new BadRequest("failed to parse policy: At " + startLine + ":" + startColumn
                                + ": comment not terminated");
                    }
                    while (position < end + 2) {
                        advance();
                    }
                } else {
                    return;
                }
            }
        }

        private void advance() {
            if (text.charAt(position) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            position++;
        }

        private static String describe(char c) {
            return switch (c) {
                case '{' -> "LBRACE";
                case '}' -> "RBRACE";
                case '[' -> "LBRACK";
                case ']' -> "RBRACK";
                case '=' -> "ASSIGN";
                case ',' -> "COMMA";
                default -> "ILLEGAL " + (Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
            };
        }

        private BadRequest error(String message) {
            return new BadRequest("failed to parse policy: At " + line + ":" + column + ": " + message);
        }
    }
}
