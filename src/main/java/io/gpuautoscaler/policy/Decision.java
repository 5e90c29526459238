package io.gpuautoscaler.policy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The replicas one variant of a model should run, and why.
 *
 * @param workload namespace, model and variant
 * @param gpuType GPU type of the variant
 * @param capacityType on-demand or spot
 * @param desiredReplicas replicas wanted
 * @param currentReplicas replicas that exist now (ready + starting)
 * @param readyReplicas replicas ready now
 * @param replicaPricePerHour $/h of one replica (GPU price x GPUs per replica); empty = unknown
 * @param hourlyCost $/h of the desired replicas (0 when the price is unknown)
 * @param held true when signals were unknown and the decision was held or floored
 * @param signals the variant's signals this decision used
 * @param reasons model-level reasons first, then this variant's
 * @param timestamp when the decision was made
 */
public record Decision(
        WorkloadKey workload,
        String gpuType,
        VariantSpec.CapacityType capacityType,
        int desiredReplicas,
        int currentReplicas,
        int readyReplicas,
        OptionalDouble replicaPricePerHour,
        double hourlyCost,
        boolean held,
        VariantSignals signals,
        List<Reason> reasons,
        Instant timestamp) {

    public Decision {
        reasons = List.copyOf(reasons);
    }
}
