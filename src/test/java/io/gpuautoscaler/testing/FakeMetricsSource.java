package io.gpuautoscaler.testing;

import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.signals.MetricsSource;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** A metrics source answering price probes from a map, or unavailable. */
public final class FakeMetricsSource implements MetricsSource {

    public final Map<String, OptionalDouble> prices = new HashMap<>();
    public boolean unavailable;

    @Override
    public FleetReadings read(Policy policy, Instant now) {
        return FleetReadings.unavailable(now, "fake");
    }

    @Override
    public Map<String, OptionalDouble> probePrices(Policy policy) throws MetricsUnavailableException {
        if (unavailable) {
            throw new MetricsUnavailableException("connection refused", null);
        }
        Map<String, OptionalDouble> out = new HashMap<>();
        for (String q : policy.priceQueries()) {
            out.put(q, prices.getOrDefault(q, OptionalDouble.empty()));
        }
        return out;
    }
}
