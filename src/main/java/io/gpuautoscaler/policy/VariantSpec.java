package io.gpuautoscaler.policy;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One way to run a model: a GPU type on on-demand or spot capacity.
 *
 * @param name variant name, unique within the model (DNS-1035 label)
 * @param gpuType GPU model, e.g. {@code H100}
 * @param capacityType on-demand or spot
 * @param pricePerHour static price of one GPU-hour in $; the fallback when the query fails
 * @param priceQuery PromQL giving the price of one GPU-hour (an instant vector; its max is taken)
 * @param maxShare largest fraction of the model's capacity this variant may carry (spot cap)
 * @param capacityFactor capacity of one replica relative to the model's {@code capacity} (A100 = 0.5 of H100)
 * @param maxReplicas optional cap on this variant's replicas (capacity available)
 */
public record VariantSpec(
        String name,
        String gpuType,
        CapacityType capacityType,
        OptionalDouble pricePerHour,
        Optional<String> priceQuery,
        double maxShare,
        double capacityFactor,
        OptionalInt maxReplicas) {

    public enum CapacityType {
        ON_DEMAND("on-demand"),
        SPOT("spot");

        private final String wire;

        CapacityType(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
