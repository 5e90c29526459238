package io.gpuautoscaler.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Places a model's capacity on its variants, cheapest capacity first: variants ordered by price per unit
 * of capacity (replica price / capacity factor), on-demand before spot at equal price, unknown prices
 * last; each filled up to its share cap and maxReplicas. Pure.
 */
public final class VariantAllocator {

    private VariantAllocator() {
    }

    /** Replicas per variant (every variant present, in the model's order), and the reasons. */
    public record Allocation(Map<String, Integer> replicas, List<Reason> reasons) {
    }

    public static Allocation allocate(ModelSpec model, int units, Map<String, OptionalDouble> replicaPrices) {
        List<VariantSpec> order = cheapestFirst(model, replicaPrices);
        Map<String, Integer> replicas = new LinkedHashMap<>();
        model.variants().forEach(v -> replicas.put(v.name(), 0));
        List<Reason> reasons = new ArrayList<>();
        double remaining = units;
        StringBuilder placed = new StringBuilder();
        for (VariantSpec v : order) {
            if (remaining <= 1e-9) {
                break;
            }
            int need = (int) Math.ceil(remaining / v.capacityFactor() - 1e-9);
            int cap = v.maxReplicas().orElse(Integer.MAX_VALUE);
            if (v.maxShare() < 1) {
                cap = Math.min(cap, (int) Math.floor(v.maxShare() * units / v.capacityFactor() + 1e-9));
            }
            int n = Math.min(need, cap);
            if (n < need) {
                reasons.add(Reason.of(ReasonCode.VARIANT_CAPPED, Fmt.format("%s capped at %d of %d wanted (%s)",
                        v.name(), n, need, v.maxShare() < 1 ? "share " + Math.round(v.maxShare() * 100) + "%"
                                : "maxReplicas"), "variantReplicas", n, "wanted", need));
            }
            replicas.put(v.name(), n);
            remaining -= n * v.capacityFactor();
            if (n > 0) {
                OptionalDouble price = replicaPrices.getOrDefault(v.name(), OptionalDouble.empty());
                if (placed.length() > 0) {
                    placed.append(", then ");
                }
                placed.append(n).append(" on ").append(v.name()).append(price.isPresent()
                        ? Fmt.format(" at $%.2f/h", price.getAsDouble()) : " at unknown price");
                if (price.isEmpty()) {
                    reasons.add(Reason.of(ReasonCode.PRICE_UNKNOWN, v.name() + " has no known price: used last"));
                }
            }
        }
        if (remaining > 1e-9) {
            reasons.add(Reason.of(ReasonCode.VARIANT_CAPPED, Fmt.format(
                    "%.1f replicas of capacity could not be placed: every variant is at its cap", remaining),
                    "unplaced", remaining));
        }
        if (placed.length() > 0) {
            reasons.add(0, Reason.of(ReasonCode.CHEAPEST_FIRST, placed.toString(), "units", units));
        }
        return new Allocation(replicas, reasons);
    }

    /**
     * Make before break: when the allocation moves capacity between variants (to spot, or back), ready replicas
     * of the variants it shrinks stay until the ready capacity left would still cover {@code neededUnits} (or
     * all the ready capacity there is, if less). The cheapest of them are kept.
     *
     * @param target the allocation
     * @param ready ready replicas per variant now
     */
    public static Allocation makeBeforeBreak(ModelSpec model, Map<String, Integer> target, Map<String, Integer> ready,
            int neededUnits, Map<String, OptionalDouble> replicaPrices) {
        double readyUnits = units(model, ready);
        double floor = Math.min(neededUnits, readyUnits);
        Map<String, Integer> out = new LinkedHashMap<>(target);
        // A shrinking variant loses its not-ready pods first (as a ReplicaSet does): what stays ready is min.
        Map<String, Integer> readyAfter = new LinkedHashMap<>();
        model.variants().forEach(v -> readyAfter.put(v.name(), Math.min(out.get(v.name()),
                ready.getOrDefault(v.name(), 0))));
        double deficit = floor - units(model, readyAfter);
        if (deficit <= 1e-9) {
            return new Allocation(out, List.of());
        }
        List<VariantSpec> keepOrder = cheapestFirst(model, replicaPrices);
        StringBuilder kept = new StringBuilder();
        for (VariantSpec v : keepOrder) {
            int shrinking = ready.getOrDefault(v.name(), 0) - readyAfter.get(v.name());
            if (deficit <= 1e-9 || shrinking <= 0) {
                continue;
            }
            int keep = Math.min(shrinking, (int) Math.ceil(deficit / v.capacityFactor() - 1e-9));
            out.put(v.name(), out.get(v.name()) + keep);
            deficit -= keep * v.capacityFactor();
            kept.append(kept.length() == 0 ? "" : ", ").append(keep).append(" on ").append(v.name());
        }
        return new Allocation(out, List.of(Reason.of(ReasonCode.VARIANT_SHIFT_PENDING, Fmt.format(
                "keeping %s until the replacements are ready (ready capacity %.1f, needed %d)", kept.toString(),
                readyUnits, neededUnits), "readyUnits", readyUnits, "neededUnits", neededUnits)));
    }

    static List<VariantSpec> cheapestFirst(ModelSpec model, Map<String, OptionalDouble> replicaPrices) {
        List<VariantSpec> order = new ArrayList<>(model.variants());
        order.sort(Comparator.<VariantSpec>comparingDouble(v -> {
            OptionalDouble p = replicaPrices.getOrDefault(v.name(), OptionalDouble.empty());
            return p.isPresent() ? p.getAsDouble() / v.capacityFactor() : Double.POSITIVE_INFINITY;
        }).thenComparing(VariantSpec::capacityType).thenComparing(VariantSpec::name));
        return order;
    }

    /** Capacity units of an allocation. */
    public static double units(ModelSpec model, Map<String, Integer> replicas) {
        double u = 0;
        for (VariantSpec v : model.variants()) {
            u += replicas.getOrDefault(v.name(), 0) * v.capacityFactor();
        }
        return u;
    }
}
