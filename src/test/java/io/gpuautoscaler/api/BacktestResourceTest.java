package io.gpuautoscaler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/v1/backtest: the CLI's backtest over HTTP, and its answers to bad input. */
@QuarkusTest
class BacktestResourceTest {

    static String trace(int lines) throws Exception {
        try (var in = BacktestResourceTest.class.getResourceAsStream("/traces/azure-llm-2023-conv.csv")) {
            return String.join("\n", new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(lines)
                    .toList()) + "\n";
        }
    }

    static String body(Map<String, Object> fields) throws Exception {
        return new ObjectMapper().writeValueAsString(fields);
    }

    @Test
    void replaysATraceInTheRequestAgainstTheBaselinesAndTheOracle() throws Exception {
        given().contentType("application/json").body(body(Map.of("trace", trace(1500), "scale", 2, "fleet",
                "coldStart: {min: 1m, max: 2m}\nscrapeInterval: 30s\n")))
                .when().post("/api/v1/backtest").then().statusCode(200)
                .body("trace", equalTo("trace.csv"))
                .body("results.policy", hasItems("gpu-autoscaler", "keda-rate", "static-peak", "oracle"))
                .body("results.find { it.policy == 'oracle' }.bound", equalTo("lower"))
                .body("atEqualAttainment.policy", hasItems("keda-rate", "hpa-gpu-utilization"))
                .body("simulation", equalTo("requests"));
    }

    @Test
    void aCandidatePolicyIsUsedAndAnInvalidOneIsABadRequest() throws Exception {
        String candidate = """
                models:
                  - name: m
                    namespace: default
                    modelId: x/y
                    maxReplicas: 50
                    capacity: {requestsPerSecond: 6}
                    variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
                """;
        given().contentType("application/json").body(body(Map.of("trace", trace(800), "policy", candidate)))
                .when().post("/api/v1/backtest").then().statusCode(200);
        given().contentType("application/json").body(body(Map.of("trace", trace(800), "policy",
                candidate.replace("maxReplicas: 50", "maxReplicas: -1"))))
                .when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("maxReplicas"));
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        given().contentType("application/json").body("").when().post("/api/v1/backtest").then().statusCode(400);
        given().contentType("application/json").body("{\"trace\": ").when().post("/api/v1/backtest").then()
                .statusCode(400);
        given().contentType("application/json").body(body(Map.of())).when().post("/api/v1/backtest").then()
                .statusCode(400).body("error", containsString("exactly one of trace"));
        Map<String, Object> both = new HashMap<>();
        both.put("trace", "x");
        both.put("prometheus", Map.of("url", "http://127.0.0.1:9"));
        given().contentType("application/json").body(body(both)).when().post("/api/v1/backtest").then()
                .statusCode(400).body("error", containsString("exactly one of trace"));
        given().contentType("application/json").body(body(Map.of("trace",
                "t_seconds,total_rate_req_per_s\n0,5\n600,-2\n"))).when().post("/api/v1/backtest").then()
                .statusCode(400).body("error", containsString("line 3: negative rate"));
        given().contentType("application/json").body(body(Map.of("trace", ""))).when().post("/api/v1/backtest")
                .then().statusCode(400).body("error", containsString("empty"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "scale", 0)))
                .when().post("/api/v1/backtest").then().statusCode(400).body("error", containsString("scale"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "simulation", "fast")))
                .when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("simulation must be auto, requests or fluid"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "burstiness", 2)))
                .when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("burstiness applies to rate curves"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "fleet",
                "coldStart: {min: 3m, max: 1m}"))).when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("fleet: coldStart.max: must be >= coldStart.min"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "fleet", "replica: [")))
                .when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("fleet: fleet.yaml: not valid YAML"));
        given().contentType("application/json").body(body(Map.of("trace", trace(100), "spot", true, "policy",
                "models: []"))).when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("spot"));
        given().contentType("application/json").body(body(Map.of("prometheus", Map.of("url", "http://127.0.0.1:9",
                "range", "1h", "step", "1m")))).when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("cannot be reached"));
        given().contentType("application/json").body(body(Map.of("prometheus", Map.of("url", "http://127.0.0.1:9",
                "range", "90d", "step", "10s")))).when().post("/api/v1/backtest").then().statusCode(400)
                .body("error", containsString("raise --step"));
    }
}
