package io.gpuautoscaler.adapter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorisation delegated to the cluster (a SubjectAccessReview per distinct question), allowed answers
 * cached for {@code allowFor}, denied ones for {@code denyFor}, like the generic API server's webhook cache.
 */
public final class SubjectAccessReviewAuthorizer implements Authorizer {

    /** Asks the cluster. May block. */
    public interface Reviewer {
        boolean allowed(UserInfo user, String namespace, String metric, String path);
    }

    private record Key(UserInfo user, String namespace, String metric, String path) {
    }

    private record Cached(boolean allowed, Instant until) {
    }

    private final Reviewer reviewer;
    private final Clock clock;
    private final Duration allowFor;
    private final Duration denyFor;
    private final ConcurrentHashMap<Key, Cached> cache = new ConcurrentHashMap<>();

    public SubjectAccessReviewAuthorizer(Reviewer reviewer, Clock clock, Duration allowFor, Duration denyFor) {
        this.reviewer = reviewer;
        this.clock = clock;
        this.allowFor = allowFor;
        this.denyFor = denyFor;
    }

    @Override
    public boolean allowed(UserInfo user, String namespace, String metric, String path) {
        // Discovery is one question per path; metric reads one per namespace and metric.
        Key key = new Key(user, namespace, metric, metric == null ? path : null);
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.until().isAfter(now)) {
            return hit.allowed();
        }
        boolean allowed = reviewer.allowed(user, namespace, metric, path);
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(allowed, now.plus(allowed ? allowFor : denyFor)));
        return allowed;
    }
}
