package io.gpuautoscaler.config;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps the policy in force in step with its source: the ConfigMap (informer, hot reload) in cluster mode,
 * or a file polled for changes; embedded mode without a file uses the bundled example policy.
 */
@ApplicationScoped
public class PolicyWatcher {

    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);
    public static final String KEY = "policy.yaml";
    /** The example policy of manifests/policy, packaged as a resource. */
    static final String BUNDLED = "policy.yaml";

    @Inject
    AutoscalerConfig config;
    @Inject
    RuntimeMode mode;
    @Inject
    PolicyLoader loader;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;

    private SharedIndexInformer<ConfigMap> informer;
    private volatile String lastFileText;
    private volatile Instant nextFileCheck = Instant.EPOCH;

    void start(@Observes StartupEvent ev) {
        Optional<String> file = config.policy().file();
        if (file.isPresent()) {
            checkFile(file.get());
        } else if (mode.cluster()) {
            watchConfigMap();
        } else {
            loadBundled();
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (informer != null) {
            informer.close();
        }
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollFile() {
        Optional<String> file = config.policy().file();
        if (file.isPresent() && !clock.instant().isBefore(nextFileCheck)) {
            nextFileCheck = clock.instant().plus(config.policy().filePollInterval());
            checkFile(file.get());
        }
    }

    private void checkFile(String path) {
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (!"".equals(lastFileText)) {
                loader.reject(PolicyOrigin.file(path), List.of("policy file " + path + " cannot be read: " + e));
                lastFileText = "";
            }
            return;
        }
        if (!text.equals(lastFileText)) {
            lastFileText = text;
            loader.load(text, PolicyOrigin.file(path));
        }
    }

    private void loadBundled() {
        try (InputStream in = Objects.requireNonNull(getClass().getClassLoader().getResourceAsStream(BUNDLED))) {
            loader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), PolicyOrigin.file("(bundled) " + BUNDLED));
        } catch (IOException | NullPointerException e) {
            LOG.errorf("bundled policy %s missing: %s", BUNDLED, e);
        }
    }

    /** The policy ConfigMap's namespace: configured, else the service's own. */
    static String namespace(AutoscalerConfig config, KubernetesClient k8s) {
        return config.policy().configMapNamespace().orElseGet(() -> Optional.ofNullable(k8s.getNamespace())
                .orElse("default"));
    }

    private void watchConfigMap() {
        KubernetesClient k8s = client.get();
        String ns = namespace(config, k8s);
        String name = config.policy().configMapName();
        LOG.infof("Watching policy ConfigMap %s/%s", ns, name);
        informer = k8s.configMaps().inNamespace(ns).withName(name).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                apply(cm);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap cm) {
                if (!Objects.equals(old.getData(), cm.getData())) {
                    apply(cm);
                }
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                LOG.warnf("Policy ConfigMap %s/%s deleted: the policy in force stays until it is recreated", ns,
                        name);
            }
        });
    }

    void apply(ConfigMap cm) {
        PolicyOrigin.ConfigMapRef ref = new PolicyOrigin.ConfigMapRef(cm.getMetadata().getNamespace(),
                cm.getMetadata().getName(), cm.getMetadata().getUid(), cm.getMetadata().getResourceVersion());
        PolicyOrigin origin = new PolicyOrigin("configmap " + ref.namespace() + "/" + ref.name() + "@"
                + ref.resourceVersion(), Optional.of(ref));
        String yaml = cm.getData() == null ? null : cm.getData().get(KEY);
        if (yaml == null) {
            loader.reject(origin, List.of("ConfigMap " + ref.namespace() + "/" + ref.name() + " has no key " + KEY));
            return;
        }
        loader.load(yaml, origin);
    }
}
