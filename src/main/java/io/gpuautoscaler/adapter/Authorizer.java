package io.gpuautoscaler.adapter;

/** Decides whether a user may make a request. May block (a SubjectAccessReview). */
public interface Authorizer {

    /**
     * @param namespace namespace of a metric request, null for discovery paths
     * @param metric the metric (the resource), null for discovery paths
     * @param path the request path (for non-resource checks)
     */
    boolean allowed(UserInfo user, String namespace, String metric, String path);

    Authorizer ALLOW_ALL = (user, namespace, metric, path) -> true;
}
