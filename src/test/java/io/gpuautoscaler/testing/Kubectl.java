package io.gpuautoscaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl, with a kubeconfig of its own pointing at a server of ours. */
public final class Kubectl {

    /** What kubectl printed and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path kubeconfig;

    private Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** A kubeconfig for https://127.0.0.1:port, skipping TLS verification, with optional client cert or token. */
    public static Kubectl at(int port, String token, String clientCertPem, String clientKeyPem) {
        try {
            Path dir = Files.createTempDirectory("kubectl");
            StringBuilder user = new StringBuilder();
            if (token != null) {
                user.append("    token: ").append(token).append('\n');
            }
            if (clientCertPem != null) {
                Files.writeString(dir.resolve("client.crt"), clientCertPem);
                Files.writeString(dir.resolve("client.key"), clientKeyPem);
                user.append("    client-certificate: ").append(dir.resolve("client.crt")).append('\n')
                        .append("    client-key: ").append(dir.resolve("client.key")).append('\n');
            }
            if (user.isEmpty()) {
                user.append("    {}\n");
            }
            Path cfg = dir.resolve("config");
            Files.writeString(cfg, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: gpu-autoscaler
                      cluster:
                        server: https://127.0.0.1:%d
                        insecure-skip-tls-verify: true
                    users:
                    - name: test
                      user:
                    %s
                    contexts:
                    - name: test
                      context: {cluster: gpu-autoscaler, user: test}
                    current-context: test
                    """.formatted(port, user.toString().replaceAll("(?m)^", "")));
            return new Kubectl(cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl with an existing kubeconfig (e.g. a real control plane's). */
    public static Kubectl with(Path kubeconfig) {
        return new Kubectl(kubeconfig);
    }

    public Result run(String... args) {
        return input(null, args);
    }

    /** Runs kubectl with {@code stdin} (may be null) as its standard input, e.g. for {@code apply -f -}. */
    public Result input(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=10s"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kubectl get --raw PATH}. */
    public Result raw(String path) {
        return run("get", "--raw", path);
    }
}
