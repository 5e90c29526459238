package io.gpuautoscaler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.ControlLoop;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With no cluster and no Prometheus the service starts, loads the bundled policy and serves its endpoints. */
@QuarkusTest
class EmbeddedModeTest {

    @Inject
    ControlLoop loop;
    @Inject
    PolicyStore policies;

    @BeforeEach
    void tick() {
        loop.tick(policies.current().orElseThrow().policy(), Instant.now());
    }

    @Test
    void servesDecisionsForEveryVariantOfTheBundledPolicy() {
        given().when().get("/api/v1/decisions").then().statusCode(200)
                .body("size()", equalTo(5))
                .body("namespace", hasItems("llm", "llm-batch"))
                .body("variant", hasItems("h100-od", "h100-spot", "a100-od", "l4-od", "l4-spot"))
                .body("held", everyItem(equalTo(true)))
                .body("[0].signals.request_rate", nullValue())
                .body("[0].timestamp", notNullValue())
                .body("[0].reasons[0].code", anyOf(equalTo("UNKNOWN_SIGNALS_HOLD"), equalTo("UNKNOWN_SIGNALS_FLOOR")));
    }

    @Test
    void unknownSignalsHoldModelsAtTheirMinimumOnTheCheapestCapacity() {
        given().when().get("/api/v1/decisions?model=llama-3-1-8b&variant=h100-spot").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].desiredReplicas", equalTo(1))
                .body("[0].capacityType", equalTo("spot"))
                .body("[0].pricePerHour", equalTo(5.5f));
    }

    @Test
    void filtersThatMatchNothingGiveAnEmptyList() {
        given().when().get("/api/v1/decisions?namespace=nowhere").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void historyKeepsDecisionsPerVariantAndRejectsABadLimit() {
        String path = "/api/v1/decisions/llm/llama-3-1-8b/a100-od/history";
        given().when().get(path + "?limit=1").then().statusCode(200).body("size()", equalTo(1));
        given().when().get(path).then().statusCode(200).body("size()", greaterThanOrEqualTo(1));
        given().when().get(path + "?limit=abc").then().statusCode(400)
                .body("error", equalTo("limit: must be a positive integer, got 'abc'"));
        given().when().get(path + "?limit=0").then().statusCode(400);
        given().when().get("/api/v1/decisions/llm/nope/a100-od/history").then().statusCode(404)
                .body("error", containsString("no decisions for llm/nope/a100-od"));
    }

    @Test
    void reportsThePolicyInForceAndTheMode() {
        given().when().get("/api/v1/policy").then().statusCode(200)
                .body("mode", equalTo("embedded"))
                .body("models", equalTo(2))
                .body("origin", containsString("policy.yaml"))
                .body("lastTick.hourlyCost", notNullValue());
    }

    @Test
    void isLiveAndReadyWithItsBundledPolicy() {
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'policy' }.data.mode",
                equalTo("embedded"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void exportsItsMeters() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("gpu_autoscaler_desired_replicas{model=\"llama-3-1-8b\",namespace=\"llm\",variant=\"h100-spot\"} 1.0"))
                .body(containsString("gpu_autoscaler_held{"))
                .body(containsString("gpu_autoscaler_capacity_per_replica{"))
                .body(containsString("gpu_autoscaler_fleet_hourly_cost_dollars"))
                .body(containsString("gpu_autoscaler_budget_dollars_per_hour 250.0"))
                .body(containsString("gpu_autoscaler_decisions_total{reason=\"UNKNOWN_SIGNALS_HOLD\"}"))
                .body(containsString("gpu_autoscaler_signal{model=\"llama-3-1-8b\",namespace=\"llm\",signal=\"request_rate\",variant=\"h100-spot\"} NaN"));
    }

    @Test
    void unknownPathsAnswer404() {
        given().when().get("/api/v1/nothing").then().statusCode(404);
    }
}
