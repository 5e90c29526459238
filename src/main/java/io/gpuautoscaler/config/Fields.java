package io.gpuautoscaler.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML mapping read field by field, each problem recorded with its path ({@code models[1].minReplicas}).
 * Every getter takes a fallback (null = required) and returns it after recording a problem, so one pass
 * reports every problem. {@link #done()} reports keys nobody asked for.
 */
final class Fields {

    private static final Pattern DURATION = Pattern.compile("((\\d+(?:\\.\\d+)?)(ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> asked;
    private final Set<String> known = new LinkedHashSet<>();

    /** @param asked collects every key path asked for, list indexes as {@code []} (documentation check) */
    Fields(JsonNode node, String path, List<String> problems, Set<String> asked) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
        this.asked = asked;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            problem(path, "must be a mapping, got " + kind(this.node));
        }
    }

    String path() {
        return path;
    }

    boolean present() {
        return node.isObject();
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String where, String message) {
        problems.add((where.isEmpty() ? "policy" : where) + ": " + message);
    }

    private JsonNode get(String key) {
        known.add(key);
        asked.add(at(key).replaceAll("\\[\\d+]", "[]"));
        JsonNode v = node.isObject() ? node.get(key) : null;
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String key) {
        known.add(key);
        asked.add(at(key).replaceAll("\\[\\d+]", "[]"));
        return node.isObject() && node.has(key) && !node.get(key).isNull();
    }

    Fields child(String key) {
        return new Fields(get(key), at(key), problems, asked);
    }

    /** A list of strings; problems for anything else. */
    List<String> stringList(String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = array(key);
        for (int i = 0; v != null && i < v.size(); i++) {
            if (v.get(i).isTextual()) {
                out.add(v.get(i).asText());
            } else {
                problem(at(key) + "[" + i + "]", "must be a string, got " + kind(v.get(i)));
            }
        }
        return out;
    }

    List<Fields> list(String key) {
        List<Fields> out = new ArrayList<>();
        JsonNode v = array(key);
        for (int i = 0; v != null && i < v.size(); i++) {
            out.add(new Fields(v.get(i), at(key) + "[" + i + "]", problems, asked));
        }
        return out;
    }

    /** The list under key; null when absent, or (with a problem) when not a list. */
    private JsonNode array(String key) {
        JsonNode v = get(key);
        if (v != null && !v.isArray()) {
            problem(at(key), "must be a list, got " + kind(v));
            return null;
        }
        return v;
    }

    String str(String key, String fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (!v.isTextual()) {
            problem(at(key), "must be a string, got " + kind(v));
            return fallback;
        }
        if (v.asText().isBlank()) {
            problem(at(key), "must not be empty");
            return fallback;
        }
        return v.asText();
    }

    String oneOf(String key, String fallback, Set<String> allowed) {
        String s = str(key, fallback);
        if (s != null && !allowed.contains(s)) {
            problem(at(key), "must be one of " + allowed + ", got '" + s + "'");
            return fallback;
        }
        return s;
    }

    Double num(String key, Double fallback, DoublePredicate valid, String rule) {
        JsonNode v = get(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (!v.isNumber()) {
            problem(at(key), "must be a number, got " + kind(v));
            return fallback;
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            problem(at(key), "must be a finite number, got " + d);
            return fallback;
        }
        if (!valid.test(d)) {
            problem(at(key), "must be " + rule + ", got " + v.asText());
            return fallback;
        }
        return d;
    }

    Integer integer(String key, Integer fallback, int min, int max) {
        JsonNode v = get(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problem(at(key), "must be an integer, got " + (v.isNumber() ? v.asText() : kind(v)));
            return fallback;
        }
        int i = v.asInt();
        if (i < min || i > max) {
            problem(at(key), max == Integer.MAX_VALUE ? "must be >= " + min + ", got " + i
                    : "must be between " + min + " and " + max + ", got " + i);
            return fallback;
        }
        return i;
    }

    Boolean bool(String key, Boolean fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (!v.isBoolean()) {
            problem(at(key), "must be true or false, got " + kind(v));
            return fallback;
        }
        return v.asBoolean();
    }

    /** A duration as {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h30m}, or a number of seconds. */
    Duration duration(String key, Duration fallback, Duration min) {
        JsonNode v = get(key);
        if (v == null) {
            return required(key, fallback);
        }
        Duration d;
        if (v.isNumber() && Double.isFinite(v.asDouble())) {
            d = Duration.ofMillis(Math.round(v.asDouble() * 1000));
        } else if (v.isTextual() && DURATION.matcher(v.asText().trim()).matches()) {
            d = Duration.ZERO;
            Matcher m = DURATION_PART.matcher(v.asText().trim());
            while (m.find()) {
                double amount = Double.parseDouble(m.group(1));
                long millis = switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                };
                d = d.plusMillis(Math.round(amount * millis));
            }
        } else {
            problem(at(key), "must be a duration like 500ms, 15s, 2m or 1h, got " + describe(v));
            return fallback;
        }
        if (d.compareTo(min) < 0) {
            problem(at(key), "must be at least " + min.toMillis() + "ms, got " + describe(v));
            return fallback;
        }
        return d;
    }

    private <T> T required(String key, T fallback) {
        if (fallback == null) {
            problem(at(key), "is required");
        }
        return fallback;
    }

    /** Keys of a free-form mapping (one whose keys are data, such as namespace names). */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** Reports keys present in the mapping that no getter asked for. */
    void done() {
        if (!node.isObject()) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                problem(at(n), "unknown key (known keys: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String describe(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.isNumber() ? v.asText() : kind(v);
    }

    static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "list";
        }
        if (v.isObject()) {
            return "mapping";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
