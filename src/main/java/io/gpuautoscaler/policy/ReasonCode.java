package io.gpuautoscaler.policy;

/** Why a decision is what it is. Bounded: also a meter tag. */
public enum ReasonCode {
    /** Replicas from the request rate over per-replica capacity, with headroom. */
    DEMAND_REQUESTS,
    /** Replicas from the token rate over per-replica token capacity, with headroom. */
    DEMAND_TOKENS,
    /** Extra replicas to drain the waiting queue within the drain time. */
    QUEUE_DRAIN,
    /** KV-cache usage above its target asks for more replicas. */
    KV_CACHE_PRESSURE,
    /** TTFT p95 above its target: replicas added. */
    SLO_VIOLATION,
    /** TTFT p95 above its target, but enough replicas are already starting. */
    SLO_VIOLATION_CAPACITY_PENDING,
    /** TTFT p95 above its target while GPUs are mostly idle: more replicas would not help. */
    SLO_VIOLATION_NOT_COMPUTE_BOUND,
    /** Clamped up to the model's minReplicas. */
    MIN_REPLICAS,
    /** Clamped down to the model's maxReplicas. */
    MAX_REPLICAS,
    /** Scale-up limited by the step limit. */
    SCALE_UP_LIMITED,
    /** Scale-down limited by the step limit. */
    SCALE_DOWN_LIMITED,
    /** Scale-down held by the stabilisation window. */
    SCALE_DOWN_STABILIZED,
    /** Scale-down held: the demand is lower by less than the rate's counting noise or its typical rise. */
    RELEASE_WITHIN_RISE,
    /** The scale-down window lengthened (an SLO miss soon after a release) or shortened back (calm). */
    SCALE_DOWN_WINDOW_ADAPTED,
    /** Some pods did not report; values extrapolated. */
    PARTIAL_SIGNALS,
    /** Demand unknown: the last decision holds. */
    UNKNOWN_SIGNALS_HOLD,
    /** Demand unknown past the grace period: the floor applies. */
    UNKNOWN_SIGNALS_FLOOR,
    /** The capacity per replica learned from TTFT against load changed. */
    CAPACITY_LEARNED,
    /** Replicas placed on the cheapest capacity first. */
    CHEAPEST_FIRST,
    /** A variant's share cap (spot) or maxReplicas stopped its allocation. */
    VARIANT_CAPPED,
    /** Capacity moves to a cheaper variant: the replicas it replaces stay until their replacements are ready. */
    VARIANT_SHIFT_PENDING,
    /** No price known for a variant: it is used last. */
    PRICE_UNKNOWN,
    /** Replicas removed to stay within an hourly budget. */
    BUDGET_CAPPED,
    /** The minimum replicas alone exceed the budget. */
    BUDGET_BELOW_MINIMUM,
    /** No request for the idle period: zero replicas. */
    SCALED_TO_ZERO,
    /** At zero replicas, the activation query sees demand: back to one. */
    ACTIVATED,
    /** Computing this model failed; its last decision holds. */
    MODEL_ERROR
}
