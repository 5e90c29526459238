package io.gpuautoscaler.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.Reason;
import io.gpuautoscaler.policy.ReasonCode;
import io.gpuautoscaler.policy.VariantSignals;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.policy.WorkloadKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AutoscalerMetersTest {

    static Decision decision(Reason... reasons) {
        return new Decision(new WorkloadKey("llm", "chat", "h100"), "H100", VariantSpec.CapacityType.ON_DEMAND, 3, 3,
                3, OptionalDouble.of(12.29), 36.87, false, new VariantSignals(3, 0, Map.of(), OptionalDouble.empty(),
                List.of()), List.of(reasons), Instant.EPOCH);
    }

    @Test
    void theCapacityPerReplicaIsTheOneTheRequestDemandWasSizedWith() {
        Decision d = decision(Reason.of(ReasonCode.CAPACITY_LEARNED, "learned", "capacityPerReplica", 11.0),
                Reason.of(ReasonCode.DEMAND_REQUESTS, "demand", "requestRate", 50.0, "capacityPerReplica", 10.5));
        assertEquals(10.5, AutoscalerMeters.capacityPerReplica(d), 1e-12);
    }

    @Test
    void withoutARequestDemandReasonTheCapacityIsUnknown() {
        assertTrue(Double.isNaN(AutoscalerMeters.capacityPerReplica(decision(Reason.of(
                ReasonCode.UNKNOWN_SIGNALS_HOLD, "held")))));
        assertTrue(Double.isNaN(AutoscalerMeters.capacityPerReplica(decision(Reason.of(ReasonCode.DEMAND_TOKENS,
                "tokens", "tokenRate", 9000.0)))));
    }
}
