package io.gpuautoscaler.api;

import io.gpuautoscaler.loop.DecisionStore;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** A past decision of one variant, as JSON (history keeps no signals). */
@io.quarkus.runtime.annotations.RegisterForReflection
public record PastView(String timestamp, int desiredReplicas, int currentReplicas, int readyReplicas,
        double hourlyCost, boolean held, List<DecisionView.ReasonView> reasons) {

    static PastView of(DecisionStore.Past p) {
        return new PastView(DateTimeFormatter.ISO_INSTANT.format(p.timestamp()), p.desiredReplicas(),
                p.currentReplicas(), p.readyReplicas(), p.hourlyCost(), p.held(),
                p.reasons().stream().map(DecisionView::reason).toList());
    }
}
