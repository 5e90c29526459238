package io.gpuautoscaler.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusResponseTest {

    static final String OK = """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"namespace":"llm","pod":"a","exported_pod":"b","exported_namespace":"x","le":"0.5","job":"j"},
               "value":[1700000000.123,"2.5"]},
              {"metric":{},"value":[1700000000,"NaN"]},
              {"metric":{"pod":"c"},"value":[1700000000,"+Inf"]}]}}
            """;

    @Test
    void keepsTheJoinLabelsAndTheValue() throws Exception {
        List<PrometheusResponse.Sample> s = PrometheusResponse.vector(OK);
        assertEquals(3, s.size());
        assertEquals(new PrometheusResponse.Sample("llm", "a", "x", "b", "0.5", null, null, null, 2.5), s.get(0));
        assertTrue(Double.isNaN(s.get(1).value()));
        assertTrue(Double.isNaN(s.get(2).value()), "+Inf is not a usable value");
    }

    @Test
    void exportedPodWinsOverTheExportersPod() throws Exception {
        PrometheusResponse.Sample s = PrometheusResponse.vector(OK).get(0);
        assertEquals(new io.gpuautoscaler.policy.PodKey("x", "b"), PodLabels.of(s));
        assertEquals(null, PodLabels.of(PrometheusResponse.vector(OK).get(1)), "no pod: not joined");
    }

    @Test
    void anEmptyVectorIsAnAnswerWithNoSeries() throws Exception {
        assertEquals(List.of(), PrometheusResponse.vector(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "not a JSON object"),
                Arguments.of("<html>login</html>", "not JSON"),
                Arguments.of("[1,2]", "not a JSON object"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[", "not JSON"),
                Arguments.of("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 5\"}",
                        "query failed: bad_data: parse error at char 5"),
                Arguments.of("{\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "query failed"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                        "expected a vector result, got 'matrix'"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}", "data.result is missing"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
                        "data.result is not a list"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[3]}}",
                        "holds something else"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{}}]}}",
                        "no value"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                        + "\"value\":[1]}]}}", "value needs"),
                Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                        + "\"value\":[1,\"2\",3]}]}}", "value needs"),
                Arguments.of("{\"status\":\"success\",\"data\":[]}", "data is not an object"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void rejectsAnythingButAWellFormedVector(String body, String expected) {
        PrometheusResponse.BadResponse e = assertThrows(PrometheusResponse.BadResponse.class,
                () -> PrometheusResponse.vector(body));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void readsPrometheusErrorBodies() {
        assertEquals("execution: query timed out", PrometheusResponse.errorOf(
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}"));
        assertEquals("Bad Gateway", PrometheusResponse.errorOf("  Bad Gateway\n"));
    }
}
