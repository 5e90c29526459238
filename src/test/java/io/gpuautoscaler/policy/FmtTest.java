package io.gpuautoscaler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FmtTest {

    @ParameterizedTest(name = "{0} with {1} decimals")
    @CsvSource({"0, 2", "1.5, 0", "2.5, 0", "0.125, 2", "12.3456, 2", "-3.14159, 3", "-0.0001, 2", "99.995, 2",
        "1234567.891, 1", "0.001, 3", "45, 0"})
    void writesFixedPointLikeFormatterInTheRootLocale(double v, int decimals) {
        StringBuilder b = new StringBuilder();
        Fmt.fixed(b, v, decimals);
        String expected = String.format(Locale.ROOT, "%." + decimals + "f", v);
        assertEquals(expected.equals("-0.00") ? "0.00" : expected, b.toString());
    }

    @Test
    void fillsTheReasonPatterns() {
        assertEquals("12.30 req/s over 10.00 req/s per replica, 10% headroom",
                Fmt.format("%.2f req/s over %.2f req/s per replica, %.0f%% headroom", 12.3, 10.0, 10.0));
        assertEquals("h100 capped at 3 of 5 wanted (share 50%)",
                Fmt.format("%s capped at %d of %d wanted (%s)", "h100", 3, 5, "share 50%"));
    }
}
