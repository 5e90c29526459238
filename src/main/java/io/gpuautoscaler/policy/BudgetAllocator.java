package io.gpuautoscaler.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Keeps the fleet within its hourly budgets: per namespace first, then global. Over budget, replicas are
 * removed from the lowest-priority models first (ties: the costliest model), from each model's most
 * expensive variant first, never below the model's minReplicas and never from a model whose signals are
 * unknown (no scale-down on missing data). Pure.
 */
public final class BudgetAllocator {

    private BudgetAllocator() {
    }

    static void apply(List<ModelPlan> plans, Policy.Budget budget) {
        for (Map.Entry<String, Double> ns : budget.perNamespace().entrySet()) {
            List<ModelPlan> scoped = new ArrayList<>();
            for (ModelPlan p : plans) {
                if (p.model.namespace().equals(ns.getKey())) {
                    scoped.add(p);
                }
            }
            cut(scoped, ns.getValue(), "namespace " + ns.getKey());
        }
        OptionalDouble global = budget.hourly();
        if (global.isPresent()) {
            cut(plans, global.getAsDouble(), "global");
        }
    }

    private static void cut(List<ModelPlan> plans, double limit, String scope) {
        double cost = 0;
        for (ModelPlan p : plans) {
            cost += p.cost();
        }
        double excess = cost - limit;
        if (excess <= 1e-9) {
            return;
        }
        List<ModelPlan> order = new ArrayList<>(plans);
        order.sort(Comparator.<ModelPlan>comparingInt(p -> p.model.priority())
                .thenComparing(Comparator.comparingDouble(ModelPlan::cost).reversed())
                .thenComparing(p -> p.model.key()));
        for (ModelPlan p : order) {
            if (excess <= 1e-9) {
                break;
            }
            if (p.held) {
                continue;
            }
            double before = p.cost();
            int removed = 0;
            List<VariantSpec> costliest = new ArrayList<>(p.model.variants());
            costliest.sort(Comparator.comparingDouble((VariantSpec v) -> p.price(v.name())).reversed());
            for (VariantSpec v : costliest) {
                double price = p.price(v.name());
                while (excess > 1e-9 && price > 0 && p.replicas.get(v.name()) > 0
                        && p.units() - v.capacityFactor() >= p.model.minReplicas() - 1e-9) {
                    p.replicas.merge(v.name(), -1, Integer::sum);
                    excess -= price;
                    removed++;
                }
            }
            if (removed > 0) {
                p.reasons.add(Reason.of(ReasonCode.BUDGET_CAPPED, Fmt.format(
                        "%d replicas removed ($%.2f/h) to keep the %s budget of $%.2f/h (priority %d)", removed,
                        before - p.cost(), scope, limit, p.model.priority()), "removed", removed,
                        "budget", limit, "priority", p.model.priority()));
            }
        }
        if (excess > 1e-9) {
            for (ModelPlan p : plans) {
                p.reasons.add(Reason.of(ReasonCode.BUDGET_BELOW_MINIMUM, Fmt.format(
                        "the %s budget of $%.2f/h is exceeded by $%.2f/h at minimum replicas or held signals", scope,
                        limit, excess), "budget", limit, "excess", excess));
            }
        }
    }
}
