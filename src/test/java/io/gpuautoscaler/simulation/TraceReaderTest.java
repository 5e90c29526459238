package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TraceReaderTest {

    static Reader bundled(String file) {
        return new InputStreamReader(Objects.requireNonNull(TraceReaderTest.class.getResourceAsStream("/traces/" + file)),
                StandardCharsets.UTF_8);
    }

    @Test
    void readsTheAzureTracesInArrivalOrder() throws Exception {
        List<Request> conv = TraceReader.requests(bundled("azure-llm-2023-conv.csv"), "conv");
        assertEquals(19366, conv.size(), "19,366 requests, as the traces' README says");
        assertEquals(0.0, conv.get(0).arrivalSeconds());
        assertEquals(374, conv.get(0).promptTokens());
        assertEquals(44, conv.get(0).outputTokens());
        double hour = conv.get(conv.size() - 1).arrivalSeconds();
        assertTrue(hour > 3500 && hour < 3600, "about an hour: " + hour);
        assertEquals(5.5, conv.size() / hour, 0.2, "5.5 req/s mean, as the traces' README says");
        assertEquals(8819, TraceReader.requests(bundled("azure-llm-2023-code.csv"), "code").size());
    }

    @Test
    void readsTheServeGenRateCurvesWithZerosAsMissingData() throws Exception {
        RateCurve mid = TraceReader.rates(bundled("servegen-language-m-mid-rate-600s.csv"), "mid");
        assertEquals(600, mid.windowSeconds());
        assertEquals(2016, mid.rates().length);
        assertEquals(14 * 86400, mid.durationSeconds(), 1e-6);
        RateCurve r1 = TraceReader.rates(bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        assertEquals(144, r1.rates().length);
        assertEquals(14.8633, r1.rates()[0], 1e-9);
        RateCurve small = TraceReader.rates(bundled("servegen-language-m-small-rate-600s.csv"), "small");
        assertTrue(java.util.Arrays.stream(small.rates()).anyMatch(Double::isNaN), "0 windows are missing data");
    }

    @Test
    void detectsTheKindFromTheHeader() throws Exception {
        assertEquals(TraceReader.Kind.REQUESTS, TraceReader.kind("TIMESTAMP,ContextTokens,GeneratedTokens", "x"));
        assertEquals(TraceReader.Kind.RATES, TraceReader.kind("t_seconds,total_rate_req_per_s", "x"));
        assertThrows(TraceReader.TraceFormatException.class, () -> TraceReader.kind("a,b", "x"));
    }

    static Stream<Arguments> badRequestTraces() {
        String h = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
        return Stream.of(
                Arguments.of("", "t.csv: empty file"),
                Arguments.of(h, "t.csv: no requests after the header"),
                Arguments.of("TIMESTAMP,GeneratedTokens\n1,2\n", "t.csv: line 1: missing column contexttokens"),
                Arguments.of(h + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:40.0,10,10\n",
                        "t.csv: line 3: timestamp 2023-11-16 18:15:40.0 is earlier than the previous one"),
                Arguments.of(h + "2023-11-16 18:15:46,374\n", "t.csv: line 2: 2 fields, expected 3"),
                Arguments.of(h + "yesterday,374,44\n", "t.csv: line 2: bad timestamp 'yesterday'"),
                Arguments.of(h + "2023-11-16 18:15:46,-5,44\n", "t.csv: line 2: negative ContextTokens -5"),
                Arguments.of(h + "2023-11-16 18:15:46,37.5,44\n", "t.csv: line 2: ContextTokens '37.5' is not a whole number"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRequestTraces")
    void rejectsBadRequestTracesWithTheLine(String text, String expected) {
        TraceReader.TraceFormatException e = assertThrows(TraceReader.TraceFormatException.class,
                () -> TraceReader.requests(new StringReader(text), "t.csv"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    static Stream<Arguments> badRateTraces() {
        String h = "t_seconds,total_rate_req_per_s\n";
        return Stream.of(
                Arguments.of("", "r.csv: empty file"),
                Arguments.of(h + "0,5\n", "r.csv: needs at least two windows"),
                Arguments.of(h + "0,5\n600,-1\n", "r.csv: line 3: negative rate"),
                Arguments.of(h + "-600,5\n0,5\n", "r.csv: line 2: negative t_seconds"),
                Arguments.of(h + "0,5\n600,6\n600,7\n", "r.csv: line 4: t_seconds 600 does not follow"),
                Arguments.of(h + "0,5\n600,6\n1500,7\n", "r.csv: line 4: windows must be evenly spaced"),
                Arguments.of(h + "0,5\n600,lots\n", "r.csv: line 3: total_rate_req_per_s 'lots' is not a number"),
                Arguments.of(h + "0,0\n600,0\n", "r.csv: every window has a rate of 0"),
                Arguments.of("time,rate\n0,1\n", "r.csv: line 1: missing column t_seconds"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRateTraces")
    void rejectsBadRateTracesWithTheLine(String text, String expected) {
        TraceReader.TraceFormatException e = assertThrows(TraceReader.TraceFormatException.class,
                () -> TraceReader.rates(new StringReader(text), "r.csv"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void arrivalsFollowTheRateCurveAndRepeatForASeed() throws Exception {
        RateCurve r1 = TraceReader.rates(bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        List<Request> sizes = TraceReader.requests(bundled("azure-llm-2023-conv.csv"), "conv");
        List<Request> a = Arrivals.fromRates(r1, 0.5, sizes, 42, 1.0);
        List<Request> b = Arrivals.fromRates(r1, 0.5, sizes, 42, 1.0);
        assertEquals(a, b, "same seed, same arrivals");
        double expected = 0;
        for (double r : r1.rates()) {
            expected += r * 0.5 * r1.windowSeconds();
        }
        assertEquals(expected, a.size(), 4 * Math.sqrt(expected), "Poisson count within 4 sigma");
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.get(i).arrivalSeconds() >= a.get(i - 1).arrivalSeconds());
        }
        List<Request> bursty = Arrivals.fromRates(r1, 0.5, sizes, 42, 3.0);
        assertEquals(expected, bursty.size(), 0.1 * expected, "same mean rate when burstier");
    }
}
