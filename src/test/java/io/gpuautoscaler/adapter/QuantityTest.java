package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0",
        "-0.0, 0",
        "1, 1",
        "1.5, 1500m",
        "0.001, 1m",
        "0.0004, 0",
        "0.0005, 1m",
        "2.25, 2250m",
        "12, 12",
        "1000, 1k",
        "1500, 1500",
        "1e6, 1M",
        "1e9, 1G",
        "1.5e9, 1500M",
        "123456789, 123456789",
        "1e18, 1E",
        "1e21, 1000E",
        "1e300, huge",
        "-1.5, -1500m",
        "-3, -3",
        "0.1, 100m",
        "0.3, 300m",
    })
    void formatsCanonicalDecimalQuantities(double value, String expected) {
        String got = Quantity.format(value);
        if (expected.equals("huge")) {
            // 1e300 is not exactly representable: all its digits are printed, no suffix fits.
            assertEquals(1e300, new java.math.BigDecimal(got).doubleValue());
        } else {
            assertEquals(expected, got);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void refusesWhatIsNotANumber(double value) {
        assertThrows(IllegalArgumentException.class, () -> Quantity.format(value));
    }
}
