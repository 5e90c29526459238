package io.gpuautoscaler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    /** One reading a minute, the rates in turn, for {@code minutes} minutes. */
    static RateHistory minutes(int minutes, double... rates) {
        RateHistory h = RateHistory.EMPTY;
        for (int m = 0; m < minutes; m++) {
            h = h.with(T0.plusSeconds(60L * m), rates[m % rates.length]);
        }
        return h;
    }

    @Test
    void aFlatRateRisesByNothing() {
        assertEquals(1.0, minutes(30, 100).typicalRise(), 1e-9);
    }

    @Test
    void dipsThatComeBackWithinTheHorizonRiseByTheirDepth() {
        // Two minutes in three at 70, each followed within 5 minutes by 100.
        assertEquals(100.0 / 70, minutes(40, 70, 70, 100).typicalRise(), 1e-9);
    }

    @Test
    void aLastingStepDownIsNoRise() {
        RateHistory h = minutes(30, 100);
        for (int m = 30; m < 60; m++) {
            h = h.with(T0.plusSeconds(60L * m), 70);
        }
        assertEquals(1.0, h.typicalRise(), 1e-9);
    }

    @Test
    void fewerThanFiveMinutesWithTheirHorizonPassedSayNothing() {
        assertEquals(1.0, minutes(9, 70, 100).typicalRise(), 1e-9); // minutes 0-3 measured
        assertTrue(minutes(10, 70, 100).typicalRise() > 1.4); // minutes 0-4
    }

    @Test
    void readingsWithinAMinuteAreAveraged() {
        RateHistory h = RateHistory.EMPTY;
        for (int m = 0; m < 20; m++) {
            // 60 then 80 within each even minute (mean 70), 100 in odd ones.
            h = m % 2 == 0 ? h.with(T0.plusSeconds(60L * m), 60).with(T0.plusSeconds(60L * m + 30), 80)
                    : h.with(T0.plusSeconds(60L * m), 100);
        }
        assertEquals(100.0 / 70, h.typicalRise(), 1e-9); // 8 of the 15 measured minutes are at 70
    }

    @Test
    void keepsAnHourAndTheHorizon() {
        assertEquals(RateHistory.MINUTES + RateHistory.HORIZON.toMinutes() + 1, minutes(300, 100).minutes());
    }
}
