package io.gpuautoscaler.policy;

/**
 * The few format patterns of reason messages ({@code %d}, {@code %s}, {@code %.Nf}, {@code %%}), without
 * {@link java.util.Formatter}: reasons are written for every model on every tick, and Formatter was half of
 * the policy's CPU time at 1,000 models (JFR). Always a '.' decimal point, whatever the default locale.
 */
final class Fmt {

    private static final long[] POW10 = {1, 10, 100, 1000, 10000};

    private Fmt() {
    }

    static String format(String pattern, Object... args) {
        StringBuilder b = new StringBuilder(pattern.length() + 24);
        int arg = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            char n = pattern.charAt(++i);
            if (n == '%') {
                b.append('%');
            } else if (n == 'd' || n == 's') {
                b.append(args[arg++]);
            } else if (n == '.' && pattern.charAt(i + 2) == 'f') {
                fixed(b, ((Number) args[arg++]).doubleValue(), pattern.charAt(i + 1) - '0');
                i += 2;
            } else {
                throw new IllegalArgumentException("unsupported pattern " + pattern);
            }
        }
        return b.toString();
    }

    /** {@code v} with {@code decimals} digits after the point, rounded half up. */
    static void fixed(StringBuilder b, double v, int decimals) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e15) {
            b.append(v);
            return;
        }
        long scale = POW10[decimals];
        long r = Math.round(Math.abs(v) * scale);
        if (v < 0 && r != 0) {
            b.append('-');
        }
        b.append(r / scale);
        if (decimals > 0) {
            b.append('.');
            String frac = Long.toString(r % scale);
            for (int z = frac.length(); z < decimals; z++) {
                b.append('0');
            }
            b.append(frac);
        }
    }
}
