package io.gpuautoscaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A model's total capacity, in replicas of capacity factor 1 ("units"), from its signals. Pure.
 *
 * <p>Demand = max(request rate / capacity, token rate / token capacity) + queue / (drain time x capacity),
 * times (1 + headroom). KV-cache pressure and TTFT misses raise it; min/max clamp it; a scale-down takes
 * the highest recommendation within the stabilisation window; step limits bound each tick. When demand
 * is unknown the last decision holds, and after the grace period at least the floor is kept: never a
 * scale-down on missing data. A release needs the demand lower than the fleet by more than the rate's counting
 * noise and its typical rise within a cold start.
 */
public final class ReplicaPolicy {

    /** The learned capacity per replica stays within this multiple of the configured one. */
    static final double LEARNED_AT_MOST = 1.5;
    /** While the SLO is missed, the learned capacity's excess over the configured one falls this much a minute. */
    static final double EXCESS_CUT_PER_MINUTE = 0.12;
    /** The rise above the configured capacity, per hour, is at most this. */
    static final double RISE_AT_MOST_PER_HOUR = 0.10;
    /** A release needs the demand this many standard errors of its rate's arrival count below the fleet. */
    static final double RELEASE_CONFIDENCE = 2;

    private ReplicaPolicy() {
    }

    /**
     * @param units total capacity decided
     * @param held demand was unknown
     * @param reasons why
     * @param next the model's state after this tick (prices untouched)
     */
    public record Recommendation(int units, boolean held, List<Reason> reasons, ModelState next) {
    }

    /**
     * @param activation the model's activation query value (scale from zero); empty when unknown or unset
     * @param tick time between two ticks (the policy's loop interval)
     * @param rateWindow the window the request rate is measured over
     */
    public static Recommendation recommend(ModelSpec model, VariantSignals signals, int currentUnits,
            OptionalDouble activation, ModelState state, Instant now, Duration tick, Duration rateWindow) {
        ScalingSettings s = model.scaling();
        List<Reason> reasons = new ArrayList<>();
        OptionalDouble rate = signals.get(Signal.REQUEST_RATE);
        OptionalDouble waiting = signals.get(Signal.QUEUE_WAITING);
        if (rate.isEmpty() || waiting.isEmpty()) {
            if (currentUnits == 0 && model.scaleToZero().isPresent() && activation.isPresent()) {
                return atZero(model, activation.getAsDouble(), state, now);
            }
            return hold(model, signals, currentUnits, state, now);
        }
        Optional<Instant> idleSince = idleSince(signals, state, now);
        if (model.scaleToZero().isPresent() && idleSince.isPresent()) {
            Duration idle = Duration.between(idleSince.get(), now);
            if (idle.compareTo(model.scaleToZero().get().idleAfter()) >= 0) {
                reasons.add(Reason.of(ReasonCode.SCALED_TO_ZERO, Fmt.format("no request for %ds (idleAfter %ds)",
                        idle.toSeconds(), model.scaleToZero().get().idleAfter().toSeconds()), "idleSeconds",
                        idle.toSeconds()));
                return new Recommendation(0, false, reasons, new ModelState(OptionalInt.of(0), state.lastAllocation(),
                        List.of(), Optional.empty(), state.lastPrices(), idleSince, state.capacityEstimate(),
                        state.scaleDown(), state.rates()));
            }
        }
        if (signals.notes().stream().anyMatch(n -> n.contains("extrapolated"))) {
            reasons.add(Reason.of(ReasonCode.PARTIAL_SIGNALS, String.join("; ", signals.notes())));
        }
        RateHistory rates = state.rates().with(now, rate.getAsDouble());
        double noise = countingNoise(rate.getAsDouble(), rateWindow);
        double configured = model.capacity().requestsPerSecond();
        // Within the bounds of the capacity configured now: an edited policy bounds what was learned before.
        double cap = Math.max(configured / 4, Math.min(configured * LEARNED_AT_MOST,
                state.capacityEstimate().orElse(configured)));
        double rateUnits = rate.getAsDouble() / cap;
        double demand = rateUnits;
        ReasonCode demandCode = ReasonCode.DEMAND_REQUESTS;
        OptionalDouble tokenCap = model.capacity().tokensPerSecond();
        OptionalDouble prompt = signals.get(Signal.PROMPT_TOKEN_RATE);
        OptionalDouble generated = signals.get(Signal.GENERATION_TOKEN_RATE);
        double tokenRate = 0;
        if (tokenCap.isPresent() && prompt.isPresent() && generated.isPresent()) {
            tokenRate = prompt.getAsDouble() + generated.getAsDouble();
            double tokenUnits = tokenRate / tokenCap.getAsDouble();
            if (tokenUnits > demand) {
                demand = tokenUnits;
                demandCode = ReasonCode.DEMAND_TOKENS;
            }
        }
        double queueUnits = waiting.getAsDouble() / (s.queueDrainSeconds() * cap);
        double target = (demand + queueUnits) * (1 + s.headroom());
        if (demandCode == ReasonCode.DEMAND_REQUESTS) {
            reasons.add(Reason.of(demandCode, Fmt.format("%.2f req/s over %.2f req/s per replica, %.0f%% headroom",
                    rate.getAsDouble(), cap, s.headroom() * 100), "requestRate", rate.getAsDouble(),
                    "capacityPerReplica", cap, "headroom", s.headroom(), "units", demand * (1 + s.headroom())));
        } else {
            reasons.add(Reason.of(demandCode, Fmt.format("%.0f tok/s over %.0f tok/s per replica, %.0f%% headroom",
                    tokenRate, tokenCap.getAsDouble(), s.headroom() * 100), "tokenRate", tokenRate,
                    "tokenCapacityPerReplica", tokenCap.getAsDouble(), "headroom", s.headroom(),
                    "units", demand * (1 + s.headroom())));
        }
        if (waiting.getAsDouble() > 0) {
            reasons.add(Reason.of(ReasonCode.QUEUE_DRAIN, Fmt.format("%.0f waiting, drained within %.0fs",
                    waiting.getAsDouble(), s.queueDrainSeconds()), "waiting", waiting.getAsDouble(),
                    "drainSeconds", s.queueDrainSeconds(), "units", queueUnits * (1 + s.headroom())));
        }
        int ready = signals.readyReplicas();
        OptionalDouble kv = signals.get(Signal.KV_CACHE_USAGE);
        if (kv.isPresent() && ready > 0 && kv.getAsDouble() > s.kvCacheTarget()) {
            double kvUnits = ready * kv.getAsDouble() / s.kvCacheTarget();
            target = Math.max(target, kvUnits);
            reasons.add(Reason.of(ReasonCode.KV_CACHE_PRESSURE, Fmt.format("KV cache %.0f%% over target %.0f%%",
                    kv.getAsDouble() * 100, s.kvCacheTarget() * 100), "kvCacheUsage", kv.getAsDouble(),
                    "kvCacheTarget", s.kvCacheTarget(), "units", kvUnits));
        }
        boolean sloMissed = false;
        OptionalDouble ttft = signals.ttftAtSlo();
        double sloTarget = model.slo().ttftSeconds();
        String p = "TTFT " + model.slo().label();
        if (ttft.isPresent() && ttft.getAsDouble() > sloTarget) {
            OptionalDouble gpu = signals.get(Signal.GPU_UTILIZATION);
            if (gpu.isPresent() && gpu.getAsDouble() < s.computeBoundGpuUtilization()) {
                reasons.add(Reason.of(ReasonCode.SLO_VIOLATION_NOT_COMPUTE_BOUND, Fmt.format(
                        "%s %.3fs over %.3fs but GPU utilisation %.0f%%: not added", p, ttft.getAsDouble(),
                        sloTarget, gpu.getAsDouble() * 100), "ttft", ttft.getAsDouble(), "ttftTarget", sloTarget,
                        "ttftPercentile", model.slo().ttftPercentile(), "gpuUtilization", gpu.getAsDouble()));
            } else {
                sloMissed = true;
                int wanted = ready + Math.max(1, (int) Math.ceil(ready * s.sloStepPercent() / 100.0));
                if (currentUnits >= wanted) {
                    target = Math.max(target, currentUnits);
                    reasons.add(Reason.of(ReasonCode.SLO_VIOLATION_CAPACITY_PENDING, Fmt.format(
                            "%s %.3fs over %.3fs; %d replicas starting already", p, ttft.getAsDouble(), sloTarget,
                            signals.pendingReplicas()), "ttft", ttft.getAsDouble(), "ttftTarget", sloTarget,
                            "ttftPercentile", model.slo().ttftPercentile(), "pending", signals.pendingReplicas()));
                } else {
                    target = Math.max(target, wanted);
                    reasons.add(Reason.of(ReasonCode.SLO_VIOLATION, Fmt.format("%s %.3fs over %.3fs", p,
                            ttft.getAsDouble(), sloTarget), "ttft", ttft.getAsDouble(), "ttftTarget", sloTarget,
                            "ttftPercentile", model.slo().ttftPercentile(), "units", wanted));
                }
            }
        }
        int raw = clamp(model, (int) Math.ceil(target - 1e-9), reasons);
        if (raw < currentUnits && !sloMissed) {
            raw = releaseBeyondRise(model, target, noise, rates.typicalRise(), currentUnits, raw, reasons);
        }
        ModelState.ScaleDownWindow scaleDown = adapt(state.scaleDown(), sloMissed, now, s.scaleDownStabilization(),
                reasons);
        Duration windowLength = scaleDown.of(s.scaleDownStabilization());
        List<ModelState.Recommendation> window = window(state, now, windowLength, raw);
        Optional<Instant> unknownSince = state.unknownSince();
        if (unknownSince.isPresent() && state.lastDesiredUnits().isPresent()
                && Duration.between(unknownSince.get(), now).compareTo(s.scaleDownStabilization()) >= 0) {
            // Back from an outage longer than the window: the held units count as recommended now, so a whole
            // window of fresh readings must agree before capacity is released.
            window.add(new ModelState.Recommendation(now, state.lastDesiredUnits().getAsInt()));
        }
        int desired = raw;
        if (raw < currentUnits) {
            int highest = window.stream().mapToInt(ModelState.Recommendation::units).max().orElse(raw);
            int stabilised = Math.min(currentUnits, Math.max(raw, highest));
            if (sloMissed) {
                stabilised = currentUnits;
            }
            if (stabilised > raw) {
                reasons.add(Reason.of(ReasonCode.SCALE_DOWN_STABILIZED, Fmt.format(
                        "%d wanted, %d kept: highest within %ds", raw, stabilised, windowLength.toSeconds()),
                        "recommended", raw, "kept", stabilised));
            }
            desired = stabilised;
        }
        desired = limitStep(s, currentUnits, desired, reasons);
        if (desired < currentUnits) {
            scaleDown = scaleDown.released(now);
        }
        OptionalDouble learned = learnCapacity(model, cap, rate.getAsDouble(), signals, sloMissed, tick,
                noise, reasons);
        ModelState next = new ModelState(OptionalInt.of(desired), state.lastAllocation(), window, Optional.empty(),
                state.lastPrices(), idleSince, learned, scaleDown, rates);
        return new Recommendation(desired, false, reasons, next);
    }

    /**
     * What one replica serves within the SLO, learned from the TTFT at the load each ready replica carries.
     * <ul>
     * <li>A miss at a load per replica below the estimate lowers it toward that load, at most 10% a tick (so the
     * request-rate demand stops undoing the SLO step once the stabilisation window passes).</li>
     * <li>Above the configured capacity, any miss (a ramp's too, with replicas still starting) cuts the
     * estimate by {@link #EXCESS_CUT_PER_MINUTE} a minute, down to the configured capacity.</li>
     * <li>A TTFT well inside the SLO on no more replicas than the estimate asks for (within the rate's counting
     * noise) raises it: by 2% a tick up to
     * the configured capacity, then slowly, at {@code (1 - q) * 2/3} of the cut's rate (4.8% an hour for a p99
     * SLO, at most {@link #RISE_AT_MOST_PER_HOUR}), up to {@link #LEARNED_AT_MOST} times it. At equilibrium the
     * SLO's percentile is then missed in about {@code 2/3 (1 - q)} of the time: the estimate spends the error
     * budget on running replicas hotter, and the ramps that cost it misses set how hot (ADR 0012).</li>
     * </ul>
     *
     * @param tick time between two ticks
     * @param noise the rate's counting noise as a factor ({@link #countingNoise})
     */
    static OptionalDouble learnCapacity(ModelSpec model, double cap, double rate, VariantSignals signals,
            boolean sloMissed, Duration tick, double noise, List<Reason> reasons) {
        double configured = model.capacity().requestsPerSecond();
        OptionalDouble ttft = signals.ttftAtSlo();
        int ready = signals.readyReplicas();
        double minutes = tick.toMillis() / 60_000.0;
        double asked = rate * (1 + model.scaling().headroom()) / cap;
        double next = cap;
        String why = null;
        if (sloMissed && cap > configured) {
            next = Math.max(configured, cap * (1 - EXCESS_CUT_PER_MINUTE * minutes));
            why = "SLO missed above the configured capacity";
        } else if (ttft.isEmpty() || ready == 0 || signals.pendingReplicas() > 0) {
            return estimate(cap, configured);
        } else if (sloMissed && rate / ready < cap) {
            next = Math.max(rate / ready, 0.9 * cap); // TTFT lags the load: at most 10% per tick
        } else if (!sloMissed && ttft.getAsDouble() <= 0.8 * model.slo().ttftSeconds()
                && ready <= Math.ceil(asked * noise - 1e-9)) {
            // Comfortable on no more replicas than the estimate asks for: the estimate is what is being tested.
            // (A test on the load per replica never passes once rounding up adds a replica, and a low
            // estimate left by a transient miss then sticks.)
            double perHour = Math.min(RISE_AT_MOST_PER_HOUR,
                    EXCESS_CUT_PER_MINUTE * 60 * (1 - model.slo().quantile()) * 2 / 3);
            next = cap < configured ? Math.min(configured, cap * 1.02) : cap * (1 + perHour * minutes / 60);
        }
        next = Math.max(configured / 4, Math.min(configured * LEARNED_AT_MOST, next));
        if (Math.abs(next - cap) > 1e-9) { // every branch that changes it has a TTFT
            double perReplica = ready == 0 ? 0 : rate / ready;
            reasons.add(Reason.of(ReasonCode.CAPACITY_LEARNED, Fmt.format(
                    "capacity per replica %.2f -> %.2f req/s: TTFT %s %.3fs at %.2f req/s per ready replica%s", cap,
                    next, model.slo().label(), ttft.getAsDouble(), perReplica, why == null ? "" : " (" + why + ")"),
                    "capacityPerReplica", next, "previous", cap, "ttft", ttft.getAsDouble(),
                    "requestRatePerReplica", perReplica));
        }
        return estimate(next, configured);
    }

    /**
     * Releases down to the demand times a factor, the larger of the rate's counting {@code noise}
     * ({@link #countingNoise}) and its median {@code rise} within a cold start over the last hour
     * ({@link RateHistory#typicalRise}): a release below that is, more likely than not, called back before its
     * replacement could serve.
     */
    private static int releaseBeyondRise(ModelSpec model, double target, double noise, double rise,
            int currentUnits, int raw, List<Reason> reasons) {
        double factor = Math.max(noise, rise);
        int confident = Math.min(currentUnits, Math.max(raw, (int) Math.ceil(target * factor - 1e-9)));
        if (confident > raw) {
            reasons.add(Reason.of(ReasonCode.RELEASE_WITHIN_RISE, Fmt.format(
                    "%d wanted, %d kept: %.2f units x %.3f (the rate's counting noise or its median rise within "
                    + "%d min, %.1f%%)", raw, confident, target, factor, RateHistory.HORIZON.toMinutes(),
                    (rise - 1) * 100), "recommended", raw, "kept", confident, "units", target, "factor", factor,
                    "typicalRise", rise));
        }
        return Math.min(confident, model.maxReplicas());
    }

    /** 1 + {@link #RELEASE_CONFIDENCE} relative standard errors of the arrivals counted in the rate window. */
    static double countingNoise(double rate, Duration rateWindow) {
        return 1 + RELEASE_CONFIDENCE / Math.sqrt(Math.max(1, rate * rateWindow.toMillis() / 1000.0));
    }

    /** The estimate as kept in the state: none while it is the configured capacity. */
    private static OptionalDouble estimate(double cap, double configured) {
        return Math.abs(cap - configured) < 1e-9 ? OptionalDouble.empty() : OptionalDouble.of(cap);
    }

    /**
     * The scale-down window for this tick: doubled when the SLO is missed within REGRET of the last release
     * (once per release), halved after CALM since it last changed.
     */
    static ModelState.ScaleDownWindow adapt(ModelState.ScaleDownWindow w, boolean sloMissed, Instant now,
            Duration configured, List<Reason> reasons) {
        Optional<Instant> release = w.lastRelease();
        boolean regret = sloMissed && release.isPresent()
                && Duration.between(release.get(), now).compareTo(ModelState.ScaleDownWindow.REGRET) <= 0
                && (w.changedAt().isEmpty() || release.get().isAfter(w.changedAt().get()));
        boolean calm = w.factor() > 1 && w.changedAt().isPresent()
                && Duration.between(w.changedAt().get(), now).compareTo(ModelState.ScaleDownWindow.CALM) >= 0;
        String why;
        int factor;
        if (regret && w.factor() < ModelState.ScaleDownWindow.MAX_FACTOR) {
            factor = w.factor() * 2;
            why = Fmt.format("SLO missed %ds after capacity was released", Duration.between(release.get(), now)
                    .toSeconds());
        } else if (calm) {
            factor = w.factor() / 2;
            why = Fmt.format("%ds without a change", ModelState.ScaleDownWindow.CALM.toSeconds());
        } else {
            return w;
        }
        ModelState.ScaleDownWindow next = new ModelState.ScaleDownWindow(factor, release, Optional.of(now));
        long seconds = next.of(configured).toSeconds();
        reasons.add(Reason.of(ReasonCode.SCALE_DOWN_WINDOW_ADAPTED, Fmt.format("%s: scale-down window %ds -> %ds",
                why, w.of(configured).toSeconds(), seconds), "windowSeconds", seconds));
        return next;
    }

    /** No request queued, running or completed: idle since the first such tick. */
    private static Optional<Instant> idleSince(VariantSignals signals, ModelState state, Instant now) {
        double running = signals.get(Signal.QUEUE_RUNNING).orElse(0);
        boolean idle = signals.get(Signal.REQUEST_RATE).getAsDouble() == 0
                && signals.get(Signal.QUEUE_WAITING).getAsDouble() == 0 && running == 0;
        return idle ? Optional.of(state.idleSince().orElse(now)) : Optional.empty();
    }

    /** No replica runs: the activation query decides between staying at zero and coming back. */
    private static Recommendation atZero(ModelSpec model, double activation, ModelState state, Instant now) {
        List<Reason> reasons = new ArrayList<>();
        int desired;
        if (activation > 0) {
            desired = Math.max(1, model.minReplicas());
            reasons.add(Reason.of(ReasonCode.ACTIVATED, Fmt.format("activation query reads %.2f at zero replicas",
                    activation), "activation", activation));
        } else {
            desired = model.minReplicas();
            reasons.add(Reason.of(ReasonCode.SCALED_TO_ZERO, "at zero replicas, no demand at activation",
                    "activation", activation));
        }
        return new Recommendation(desired, false, reasons, new ModelState(OptionalInt.of(desired),
                state.lastAllocation(), List.of(), Optional.empty(), state.lastPrices(),
                activation > 0 ? Optional.empty() : state.idleSince().or(() -> Optional.of(now)),
                state.capacityEstimate(), state.scaleDown(), state.rates()));
    }

    private static Recommendation hold(ModelSpec model, VariantSignals signals, int currentUnits, ModelState state,
            Instant now) {
        List<Reason> reasons = new ArrayList<>();
        Instant since = state.unknownSince().orElse(now);
        int held = state.lastDesiredUnits().orElse(currentUnits);
        String why = signals.notes().isEmpty() ? "demand signals unknown" : String.join("; ", signals.notes());
        Duration unknownFor = Duration.between(since, now);
        int desired = Math.max(held, model.minReplicas());
        if (unknownFor.compareTo(model.scaling().unknownGracePeriod()) >= 0) {
            int floor = model.scaling().unknownFloorReplicas().orElse(model.minReplicas());
            desired = Math.max(desired, floor);
            reasons.add(Reason.of(ReasonCode.UNKNOWN_SIGNALS_FLOOR, Fmt.format(
                    "unknown for %ds (grace %ds): holding %d, floor %d; %s", unknownFor.toSeconds(),
                    model.scaling().unknownGracePeriod().toSeconds(), held, floor, why),
                    "unknownSeconds", unknownFor.toSeconds(), "held", held, "floor", floor));
        } else {
            reasons.add(Reason.of(ReasonCode.UNKNOWN_SIGNALS_HOLD, Fmt.format(
                    "unknown for %ds: holding %d (last decision or current %d, minReplicas %d); %s",
                    unknownFor.toSeconds(), desired, held, model.minReplicas(), why),
                    "unknownSeconds", unknownFor.toSeconds(), "held", desired));
        }
        desired = Math.min(desired, model.maxReplicas());
        ModelState next = new ModelState(OptionalInt.of(desired), state.lastAllocation(), state.recommendations(),
                Optional.of(since), state.lastPrices(), state.idleSince(), state.capacityEstimate(), state.scaleDown(),
                state.rates());
        return new Recommendation(desired, true, reasons, next);
    }

    /** Zero is reached only through the idle rule, so a model that scales to zero keeps one replica here. */
    private static int clamp(ModelSpec model, int units, List<Reason> reasons) {
        int min = model.scaleToZero().isPresent() ? Math.max(1, model.minReplicas()) : model.minReplicas();
        if (units < min) {
            reasons.add(Reason.of(ReasonCode.MIN_REPLICAS, units + " raised to the minimum " + min,
                    "recommended", units, "minReplicas", min));
            return min;
        }
        if (units > model.maxReplicas()) {
            reasons.add(Reason.of(ReasonCode.MAX_REPLICAS, units + " lowered to maxReplicas " + model.maxReplicas(),
                    "recommended", units, "maxReplicas", model.maxReplicas()));
            return model.maxReplicas();
        }
        return units;
    }

    private static List<ModelState.Recommendation> window(ModelState state, Instant now, Duration length, int raw) {
        Instant from = now.minus(length);
        List<ModelState.Recommendation> kept = new ArrayList<>();
        for (ModelState.Recommendation r : state.recommendations()) {
            if (r.at().isAfter(from)) {
                kept.add(r);
            }
        }
        kept.add(new ModelState.Recommendation(now, raw));
        return kept;
    }

    private static int limitStep(ScalingSettings s, int current, int desired, List<Reason> reasons) {
        if (desired > current) {
            int up = current + Math.max(s.scaleUpMaxPods(), (int) Math.ceil(current * s.scaleUpMaxPercent() / 100.0));
            if (desired > up) {
                reasons.add(Reason.of(ReasonCode.SCALE_UP_LIMITED, Fmt.format("%d wanted, %d allowed from %d",
                        desired, up, current), "wanted", desired, "allowed", up, "current", current));
                return up;
            }
        } else if (desired < current) {
            int down = current
                    - Math.max(s.scaleDownMaxPods(), (int) Math.floor(current * s.scaleDownMaxPercent() / 100.0));
            if (desired < down) {
                reasons.add(Reason.of(ReasonCode.SCALE_DOWN_LIMITED, Fmt.format("%d wanted, %d allowed from %d",
                        desired, down, current), "wanted", desired, "allowed", down, "current", current));
                return down;
            }
        }
        return desired;
    }
}
