package io.gpuautoscaler.adapter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Kubernetes quantities in canonical decimal-SI form, at milli precision like the metrics adapters:
 * 1.5 → {@code 1500m}, 2 → {@code 2}, 1500 → {@code 1500}, 1000 → {@code 1k}, 1e9 → {@code 1G}, 0.0004 → {@code 0}.
 */
public final class Quantity {

    private static final String[] SUFFIXES = {"", "k", "M", "G", "T", "P", "E"};
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    private Quantity() {
    }

    /** @throws IllegalArgumentException for NaN or infinite values, which are not quantities */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite quantity: " + value);
        }
        BigInteger milli = new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.HALF_UP).toBigInteger();
        if (milli.signum() == 0) {
            return "0";
        }
        BigInteger[] whole = milli.divideAndRemainder(THOUSAND);
        if (whole[1].signum() != 0) {
            return milli + "m";
        }
        BigInteger n = whole[0];
        int exp = 0;
        while (exp < SUFFIXES.length - 1) {
            BigInteger[] qr = n.divideAndRemainder(THOUSAND);
            if (qr[1].signum() != 0) {
                break;
            }
            n = qr[0];
            exp++;
        }
        // Beyond exa, the rest stays in the mantissa (1000E), as Kubernetes prints it.
        return n + SUFFIXES[exp];
    }
}
