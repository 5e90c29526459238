package io.gpuautoscaler.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd + kube-apiserver + kube-controller-manager on 127.0.0.1, started and stopped by the rig's scripts
 * ({@code src/test/controlplane/start.sh}, {@code stop.sh}; binaries built once by {@code build.sh}).
 */
public final class ControlPlane implements AutoCloseable {

    private static final Path RIG = Path.of("src/test/controlplane").toAbsolutePath();

    private final Path state;
    private final Map<String, String> env;

    private ControlPlane(Path state, Map<String, String> env) {
        this.state = state;
        this.env = env;
    }

    /** Builds (if needed) and starts the control plane with its state in {@code state}; waits until ready. */
    public static ControlPlane start(Path state) {
        try {
            Files.createDirectories(state);
            Process p = new ProcessBuilder(RIG.resolve("start.sh").toString(), state.toString())
                    .redirectErrorStream(true).redirectOutput(state.resolve("start.log").toFile()).start();
            // The first run builds the binaries (tens of minutes on 2 cores); later runs start in seconds.
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                new ProcessBuilder(RIG.resolve("stop.sh").toString(), state.toString()).start().waitFor();
                throw new IllegalStateException("control plane did not start: "
                        + Files.readString(state.resolve("start.log")));
            }
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(state.resolve("env"), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new ControlPlane(state, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The cluster-admin kubeconfig. */
    public Path kubeconfig() {
        return Path.of(env.get("KUBECONFIG"));
    }

    public String url() {
        return env.get("APISERVER_URL");
    }

    /** A file of the rig's PKI, e.g. {@code ca.crt}. */
    public Path pki(String file) {
        return Path.of(env.get("PKI_DIR")).resolve(file);
    }

    public Path log(String component) {
        return state.resolve("logs").resolve(component + ".log");
    }

    public Kubectl kubectl() {
        return Kubectl.with(kubeconfig());
    }

    /** A fabric8 client as cluster admin. */
    public KubernetesClient adminClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig()));
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig that authenticates with a bearer token (e.g. a ServiceAccount's) and verifies the CA. */
    public Path tokenKubeconfig(String name, String token) {
        try {
            Path file = state.resolve(name + ".kubeconfig");
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: rig
                      cluster:
                        server: %s
                        certificate-authority: %s
                    users:
                    - name: %s
                      user:
                        token: %s
                    contexts:
                    - name: rig
                      context: {cluster: rig, user: %s}
                    current-context: rig
                    """.formatted(url(), pki("ca.crt"), name, token, name));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder(RIG.resolve("stop.sh").toString(), state.toString()).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
