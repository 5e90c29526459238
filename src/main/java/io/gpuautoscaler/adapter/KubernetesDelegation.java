package io.gpuautoscaler.adapter;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The cluster side of delegated authentication: the {@code extension-apiserver-authentication} ConfigMap
 * (watched), TokenReviews and SubjectAccessReviews.
 */
public final class KubernetesDelegation implements Supplier<AuthenticationConfig>, DelegatedAuthenticator.TokenReviewer,
        SubjectAccessReviewAuthorizer.Reviewer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesDelegation.class);
    static final String NAMESPACE = "kube-system";
    static final String NAME = "extension-apiserver-authentication";

    private final KubernetesClient client;
    private final SharedIndexInformer<ConfigMap> informer;
    private volatile AuthenticationConfig config = AuthenticationConfig.NONE;

    public KubernetesDelegation(KubernetesClient client) {
        this.client = client;
        this.informer = client.configMaps().inNamespace(NAMESPACE).withName(NAME).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                load(cm);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap cm) {
                load(cm);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                LOG.warnf("%s/%s deleted: keeping the authentication settings read before", NAMESPACE, NAME);
            }
        });
    }

    private void load(ConfigMap cm) {
        try {
            config = AuthenticationConfig.fromConfigMap(cm.getData() == null ? Map.of() : cm.getData());
            LOG.infof("Delegated authentication from %s/%s: %d front-proxy CAs, allowed names %s, %d client CAs",
                    NAMESPACE, NAME, config.requestHeaderCa().size(), config.allowedNames(), config.clientCa().size());
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s/%s unusable, keeping the previous settings: %s", NAMESPACE, NAME, e.getMessage());
        }
    }

    @Override
    public AuthenticationConfig get() {
        return config;
    }

    @Override
    public Optional<UserInfo> review(String token) {
        try {
            TokenReview r = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
                    .create();
            if (r.getStatus() == null || !Boolean.TRUE.equals(r.getStatus().getAuthenticated())
                    || r.getStatus().getUser() == null) {
                return Optional.empty();
            }
            List<String> groups = r.getStatus().getUser().getGroups();
            return Optional.of(new UserInfo(r.getStatus().getUser().getUsername(), groups == null ? List.of() : groups));
        } catch (KubernetesClientException e) {
            LOG.warnf("TokenReview failed: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public boolean allowed(UserInfo user, String namespace, String metric, String path) {
        SubjectAccessReviewBuilder b = new SubjectAccessReviewBuilder();
        var spec = b.withNewSpec().withUser(user.name()).withGroups(user.groups());
        if (metric != null) {
            spec.withNewResourceAttributes().withGroup("external.metrics.k8s.io").withVersion("v1beta1")
                    .withResource(metric).withNamespace(namespace).withVerb("get").endResourceAttributes();
        } else {
            spec.withNewNonResourceAttributes().withPath(path).withVerb("get").endNonResourceAttributes();
        }
        spec.endSpec();
        try {
            SubjectAccessReview r = client.resource(b.build()).create();
            return r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            LOG.warnf("SubjectAccessReview failed: %s", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
