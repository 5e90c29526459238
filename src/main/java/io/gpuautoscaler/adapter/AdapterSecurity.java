package io.gpuautoscaler.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.config.AutoscalerConfig;
import io.gpuautoscaler.config.RuntimeMode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/**
 * Authentication and authorisation of the external metrics API: delegated to the cluster (mTLS front
 * proxy, TokenReview, SubjectAccessReview) or, for local runs only, none.
 */
@ApplicationScoped
public class AdapterSecurity {

    /** The outcome of checking a request. */
    public enum Verdict { ALLOWED, UNAUTHENTICATED, FORBIDDEN }

    @Inject
    AutoscalerConfig config;
    @Inject
    RuntimeMode mode;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;

    private Authenticator authenticator = Authenticator.LOCAL;
    private Authorizer authorizer = Authorizer.ALLOW_ALL;
    private KubernetesDelegation delegation;
    private boolean localOnly;

    @PostConstruct
    void init() {
        AutoscalerConfig.ExternalMetrics c = config.externalMetrics();
        localOnly = switch (c.authentication()) {
            case NONE -> true;
            case DELEGATED -> false;
            case AUTO -> !mode.cluster();
        };
        if (!localOnly) {
            delegation = new KubernetesDelegation(client.get());
            use(new DelegatedAuthenticator(delegation, delegation, clock, c.authCacheTtl()),
                    new SubjectAccessReviewAuthorizer(delegation, clock, c.authCacheTtl(), c.authDenyCacheTtl()));
        }
    }

    /** Replaces the authenticator and authoriser (tests wire fakes of the cluster here). */
    void use(Authenticator authenticator, Authorizer authorizer) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.localOnly = false;
    }

    void stop(@Observes ShutdownEvent ev) {
        if (delegation != null) {
            delegation.close();
        }
    }

    /** No authentication: the API is then bound to 127.0.0.1 only. */
    public boolean localOnly() {
        return localOnly;
    }

    /** May block (TokenReview, SubjectAccessReview); call it off the event loop. */
    public Verdict check(RequestCredentials creds, String namespace, String metric, String path) {
        Optional<UserInfo> user = authenticator.authenticate(creds);
        if (user.isEmpty()) {
            return Verdict.UNAUTHENTICATED;
        }
        return authorizer.allowed(user.get(), namespace, metric, path) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }
}
