package io.gpuautoscaler.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.simulation.FleetSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FleetSpecParserTest {

    @Test
    void whatTheFileLeavesOutKeepsTheCalibratedDefaults() throws Exception {
        FleetSpec f = FleetSpecParser.parse("coldStart: {max: 10m}\n");
        assertEquals(45, f.coldStartMinSeconds());
        assertEquals(600, f.coldStartMaxSeconds());
        assertEquals(15, f.scrapeSeconds());
        assertEquals(FleetSpec.DEFAULT.replica().maxNumSeqs(), f.replica().maxNumSeqs());
        assertArrayEquals(FleetSpec.DEFAULT.replica().itlSeconds(), f.replica().itlSeconds());
    }

    @Test
    void readsAWholeFleet() throws Exception {
        FleetSpec f = FleetSpecParser.parse("""
                coldStart: {min: 5m, max: 12m}
                scrapeInterval: 30s
                replica:
                  maxNumSeqs: 64
                  maxNumBatchedTokens: 4096
                  prefillTokensPerSecond: 6000
                  interTokenLatency: [{batch: 1, seconds: 0.02}, {batch: 64, seconds: 0.045}]
                """);
        assertEquals(300, f.coldStartMinSeconds());
        assertEquals(720, f.coldStartMaxSeconds());
        assertEquals(30, f.scrapeSeconds());
        assertEquals(64, f.replica().maxNumSeqs());
        assertEquals(4096, f.replica().maxNumBatchedTokens());
        assertEquals(6000, f.replica().prefillTokensPerSecond());
        assertArrayEquals(new double[] {1, 64}, f.replica().itlBatch());
        assertEquals(0.0325, f.replica().itl(32), 0.001, "interpolated between the points");
        assertEquals(300, f.config(3, 1, 2.0).coldStartMin());
        assertEquals(2.0, f.config(3, 1, 2.0).sloSeconds());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "coldStart: {min: 3m, max: 1m}|coldStart.max: must be >= coldStart.min (60.0s < 180.0s)",
        "coldStart: {min: soon}|coldStart.min: must be a duration",
        "scrapeInterval: 100ms|scrapeInterval: must be at least 1000ms",
        "replica: {maxNumSeqs: 0}|replica.maxNumSeqs: must be between 1 and 1000000, got 0",
        "replica: {maxNumSeqs: 512, maxNumBatchedTokens: 256}|replica.maxNumBatchedTokens: must be >= maxNumSeqs",
        "replica: {prefillTokensPerSecond: -5}|replica.prefillTokensPerSecond: must be > 0, got -5",
        "replica: {interTokenLatency: [{batch: 1, seconds: 0.01}]}|replica.interTokenLatency: needs at least 2 points",
        "replica: {interTokenLatency: [{batch: 8, seconds: 0.01}, {batch: 4, seconds: 0.02}]}|replica.interTokenLatency[1].batch: points must be in increasing batch order",
        "replica: {interTokenLatency: [{batch: 1}, {batch: 4, seconds: 0.02}]}|replica.interTokenLatency[0].seconds: is required",
        "replica: {colour: blue}|replica.colour: unknown key",
        "[1, 2]|must be a mapping",
        "'coldStart: {min: 1m'|fleet.yaml: not valid YAML at line 1",
        "''|fleet.yaml: is empty"})
    void rejectsBadFleetsNamingTheField(String yaml, String expected) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> FleetSpecParser.parse(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains(expected)), () -> expected + " in " + e.problems());
    }
}
