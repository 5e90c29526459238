package io.gpuautoscaler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.ControlLoop;
import io.gpuautoscaler.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Embedded mode with its simulated fleet: the live loop sees traffic, decides, and the fleet follows. */
@QuarkusTest
@TestProfile(EmbeddedSimulationTest.Simulated.class)
class EmbeddedSimulationTest {

    public static class Simulated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpu-autoscaler.mode", "embedded", "gpu-autoscaler.embedded.simulate", "true",
                    "gpu-autoscaler.embedded.day", "2m", "gpu-autoscaler.embedded.cold-start-min", "1s",
                    "gpu-autoscaler.embedded.cold-start-max", "2s");
        }
    }

    @Inject
    ControlLoop loop;
    @Inject
    PolicyStore policies;

    @Test
    void decisionsComeFromSimulatedTrafficAndTheFleetFollowsThem() {
        long deadline = System.nanoTime() + 40_000_000_000L;
        JsonPath d = null;
        while (System.nanoTime() < deadline) {
            loop.tick(policies.current().orElseThrow().policy(), Instant.now());
            d = given().get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
            List<Boolean> held = d.getList("held");
            long busy = d.getList("signals.request_rate", Float.class).stream().filter(v -> v != null && v > 0).count();
            if (!held.contains(true) && busy >= 2) {
                break;
            }
            Waits.sleep(1000);
        }
        List<Boolean> held = d.getList("held");
        assertTrue(!held.contains(true), "signals known for every variant within 40 s: " + d.prettify());
        given().get("/api/v1/decisions").then()
                .body("signals.request_rate", hasItem(greaterThan(0f)))
                .body("reasons.code.flatten()", hasItem("DEMAND_REQUESTS"));
        // The fleet follows the decisions: current replicas become what was decided.
        Waits.sleep(4000);
        loop.tick(policies.current().orElseThrow().policy(), Instant.now());
        JsonPath after = given().get("/api/v1/decisions").then().extract().jsonPath();
        int current = after.getList("currentReplicas", Integer.class).stream().mapToInt(Integer::intValue).sum();
        assertTrue(current >= 2, "the simulated pods are the inventory: " + after.prettify());
        given().get("/q/metrics").then().body(containsString("gpu_autoscaler_desired_replicas"));
        given().get("/api/v1/policy").then().body("mode", notNullValue());
    }
}
