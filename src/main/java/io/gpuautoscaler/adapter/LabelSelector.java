package io.gpuautoscaler.adapter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: comma-separated requirements {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (exists), {@code !k} (does not exist). All must hold.
 */
public final class LabelSelector {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
            };
        }
    }

    /** The selector is not valid; the message says where. */
    public static final class InvalidSelectorException extends IllegalArgumentException {
        InvalidSelectorException(String message) {
            super(message);
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    List<Requirement> requirements() {
        return requirements;
    }

    /** The value an equality requirement on {@code key} fixes, if any (lets lookups use an index). */
    public String equalTo(String key) {
        for (Requirement r : requirements) {
            if (r.key.equals(key) && (r.op == Op.EQUALS || r.op == Op.IN && r.values.size() == 1)) {
                return r.values.iterator().next();
            }
        }
        return null;
    }

    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(new Parser(text).requirements());
    }

    /** A hand-written scanner: values in {@code in (...)} contain commas, so a split is not enough. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<Requirement> requirements() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                skipSpace();
                out.add(requirement());
                skipSpace();
                if (i == s.length()) {
                    return out;
                }
                expect(',');
            }
        }

        private Requirement requirement() {
            if (peek('!')) {
                i++;
                skipSpace();
                return new Requirement(key(), Op.NOT_EXISTS, Set.of());
            }
            String key = key();
            skipSpace();
            if (i == s.length() || peek(',')) {
                return new Requirement(key, Op.EXISTS, Set.of());
            }
            if (s.startsWith("==", i)) {
                i += 2;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            if (s.startsWith("!=", i)) {
                i += 2;
                return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
            }
            if (peek('=')) {
                i++;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            String word = word();
            if (word.equals("in") || word.equals("notin")) {
                return new Requirement(key, word.equals("in") ? Op.IN : Op.NOT_IN, set());
            }
            throw fail("expected one of '=', '==', '!=', 'in', 'notin' or ',' after key '" + key + "'");
        }

        private Set<String> set() {
            skipSpace();
            expect('(');
            Set<String> values = new LinkedHashSet<>();
            while (true) {
                String v = value();
                if (v.isEmpty()) {
                    throw fail("empty value in a set");
                }
                values.add(v);
                skipSpace();
                if (peek(')')) {
                    i++;
                    return values;
                }
                expect(',');
            }
        }

        private String key() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "-_./".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            String key = s.substring(start, i);
            int slash = key.indexOf('/');
            String name = slash < 0 ? key : key.substring(slash + 1);
            if (key.isEmpty() || !NAME.matcher(name).matches()
                    || slash >= 0 && (slash > 253 || !PREFIX.matcher(key.substring(0, slash)).matches())) {
                throw fail("invalid label key '" + key + "'");
            }
            return key;
        }

        private String value() {
            skipSpace();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "-_.".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            String v = s.substring(start, i);
            if (v.length() > 63 || !VALUE.matcher(v).matches()) {
                throw fail("invalid label value '" + v + "'");
            }
            return v;
        }

        private String word() {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private void skipSpace() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        private InvalidSelectorException fail(String why) {
            return new InvalidSelectorException("invalid label selector \"" + s + "\" at position " + i + ": " + why);
        }
    }
}
