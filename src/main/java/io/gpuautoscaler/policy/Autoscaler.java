package io.gpuautoscaler.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One tick of the policy: readings and pods in, decisions and the next state out. Pure; time is a
 * parameter. A model whose computation fails keeps its last allocation and says so; the others proceed.
 */
public final class Autoscaler {

    private Autoscaler() {
    }

    /**
     * @param decisions one per variant of every model, sorted by workload
     * @param next state for the next tick
     * @param hourlyCost $/h of all desired replicas with a known price
     */
    public record Outcome(List<Decision> decisions, PolicyState next, double hourlyCost) {
    }

    public static Outcome decide(Policy policy, List<PodInfo> pods, FleetReadings readings, PolicyState state,
            Instant now) {
        Map<ModelKey, List<PodInfo>> podsByModel = new HashMap<>();
        for (PodInfo p : pods) {
            podsByModel.computeIfAbsent(p.workload().modelKey(), k -> new ArrayList<>()).add(p);
        }
        List<ModelPlan> plans = new ArrayList<>(policy.models().size());
        Map<ModelKey, Map<String, VariantSignals>> signalsByModel = new HashMap<>();
        Map<ModelKey, ModelState> nextStates = new HashMap<>();
        Map<ModelKey, Double> keptUnits = new HashMap<>();
        for (ModelSpec model : policy.models()) {
            ModelState prior = state.of(model.key());
            Map<String, Double> prices = knownPrices(model, readings, prior);
            Map<String, OptionalDouble> replicaPrices = replicaPrices(model, prices);
            try {
                List<PodInfo> mine = podsByModel.getOrDefault(model.key(), List.of());
                Map<String, VariantSignals> perVariant = SignalAggregator.perVariant(model, mine, readings,
                        policy.prometheus().staleAfter());
                signalsByModel.put(model.key(), perVariant);
                Map<String, Integer> current = new LinkedHashMap<>();
                perVariant.forEach((v, s) -> current.put(v, s.currentReplicas()));
                int currentUnits = (int) Math.round(VariantAllocator.units(model, current));
                OptionalDouble activation = model.scaleToZero().flatMap(ModelSpec.ScaleToZero::activationQuery)
                        .map(q -> readings.scalars().getOrDefault(q, OptionalDouble.empty()))
                        .orElse(OptionalDouble.empty());
                ReplicaPolicy.Recommendation rec = ReplicaPolicy.recommend(model, SignalAggregator.model(perVariant),
                        currentUnits, activation, prior, now, policy.loopInterval(),
                        policy.prometheus().rateWindow());
                List<Reason> reasons = new ArrayList<>(rec.reasons());
                Map<String, Integer> replicas;
                if (rec.held()) {
                    replicas = heldAllocation(model, rec.units(), prior, current, replicaPrices);
                } else {
                    VariantAllocator.Allocation a = VariantAllocator.allocate(model, rec.units(), replicaPrices);
                    Map<String, Integer> ready = new LinkedHashMap<>();
                    perVariant.forEach((v, s) -> ready.put(v, s.readyReplicas()));
                    VariantAllocator.Allocation kept = VariantAllocator.makeBeforeBreak(model, a.replicas(), ready,
                            rec.units(), replicaPrices);
                    replicas = kept.replicas();
                    // Kept replicas are transitional: step limits and stabilisation see the allocation's units.
                    keptUnits.put(model.key(), VariantAllocator.units(model, replicas)
                            - VariantAllocator.units(model, a.replicas()));
                    reasons.addAll(a.reasons());
                    reasons.addAll(kept.reasons());
                }
                plans.add(new ModelPlan(model, replicas, replicaPrices, rec.held(), reasons));
                nextStates.put(model.key(), rec.next().decided(rec.next().lastDesiredUnits(), Map.of(), prices));
            } catch (RuntimeException e) {
                Map<String, Integer> last = new LinkedHashMap<>();
                model.variants().forEach(v -> last.put(v.name(), prior.lastAllocation().getOrDefault(v.name(), 0)));
                plans.add(new ModelPlan(model, last, replicaPrices, true, List.of(Reason.of(ReasonCode.MODEL_ERROR,
                        "computation failed, last decision held: " + e))));
                nextStates.put(model.key(), prior);
            }
        }
        BudgetAllocator.apply(plans, policy.budget());
        List<Decision> decisions = new ArrayList<>();
        Map<ModelKey, ModelState> states = new HashMap<>();
        double total = 0;
        for (ModelPlan p : plans) {
            ModelState s = nextStates.get(p.model.key());
            int lastUnits = (int) Math.round(Math.max(0, p.units() - keptUnits.getOrDefault(p.model.key(), 0.0)));
            states.put(p.model.key(), s.decided(OptionalInt.of(lastUnits), p.replicas, s.lastPrices()));
            Map<String, VariantSignals> perVariant = signalsByModel.getOrDefault(p.model.key(), Map.of());
            for (VariantSpec v : p.model.variants()) {
                VariantSignals vs = perVariant.getOrDefault(v.name(),
                        new VariantSignals(0, 0, Map.of(), OptionalDouble.empty(), List.of()));
                int desired = p.replicas.get(v.name());
                double cost = desired * p.price(v.name());
                total += cost;
                decisions.add(new Decision(p.model.key().variant(v.name()), v.gpuType(), v.capacityType(), desired,
                        vs.currentReplicas(), vs.readyReplicas(), p.replicaPrices.get(v.name()), cost, p.held, vs,
                        p.reasons, now));
            }
        }
        decisions.sort((a, b) -> a.workload().compareTo(b.workload()));
        return new Outcome(decisions, new PolicyState(states), total);
    }

    /** Price per GPU-hour per variant: the query's answer, else the static price, else the last known. */
    static Map<String, Double> knownPrices(ModelSpec model, FleetReadings readings, ModelState prior) {
        Map<String, Double> out = new HashMap<>();
        for (VariantSpec v : model.variants()) {
            Optional<Double> fromQuery = v.priceQuery()
                    .map(q -> readings.scalars().getOrDefault(q, OptionalDouble.empty()))
                    .filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).filter(p -> p > 0);
            Double price = fromQuery.orElseGet(() -> v.pricePerHour().isPresent()
                    ? Double.valueOf(v.pricePerHour().getAsDouble()) : prior.lastPrices().get(v.name()));
            if (price != null) {
                out.put(v.name(), price);
            }
        }
        return out;
    }

    private static Map<String, OptionalDouble> replicaPrices(ModelSpec model, Map<String, Double> gpuPrices) {
        Map<String, OptionalDouble> out = new HashMap<>();
        for (VariantSpec v : model.variants()) {
            Double p = gpuPrices.get(v.name());
            out.put(v.name(), p == null ? OptionalDouble.empty()
                    : OptionalDouble.of(p * model.engine().tensorParallelSize()));
        }
        return out;
    }

    /** The last allocation (or what runs now), topped up cheapest-first when the hold asks for more. */
    private static Map<String, Integer> heldAllocation(ModelSpec model, int units, ModelState prior,
            Map<String, Integer> current, Map<String, OptionalDouble> replicaPrices) {
        Map<String, Integer> held = new LinkedHashMap<>();
        for (VariantSpec v : model.variants()) {
            held.put(v.name(), prior.lastAllocation().isEmpty() ? current.getOrDefault(v.name(), 0)
                    : prior.lastAllocation().getOrDefault(v.name(), 0));
        }
        if (VariantAllocator.units(model, held) < units - 1e-9) {
            Map<String, Integer> topUp = VariantAllocator.allocate(model, units, replicaPrices).replicas();
            topUp.forEach((v, n) -> held.merge(v, n, Math::max));
        }
        return held;
    }
}
