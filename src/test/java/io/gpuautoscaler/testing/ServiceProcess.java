package io.gpuautoscaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, stopped by PID. */
public final class ServiceProcess implements AutoCloseable {

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final int httpPort;
    private Process process;

    private ServiceProcess(List<String> command, Map<String, String> env, Path log, int httpPort) {
        this.command = command;
        this.env = env;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts the jar with these system properties and environment; waits until it reports ready. */
    public static ServiceProcess start(Map<String, String> properties, Map<String, String> env, Path log) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("package the service first (./mvnw package): " + jar.toAbsolutePath());
        }
        int http = FreePort.get();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ServiceProcess s = new ServiceProcess(cmd, env, log, http);
        s.launch();
        return s;
    }

    private void launch() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().remove("KUBERNETES_SERVICE_HOST");
            pb.environment().putAll(env);
            process = pb.start();
            awaitReady(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET path} on the HTTP port; status and body. */
    public HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited (" + process.exitValue() + "), log: " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Waits.sleep(250);
        }
        throw new IllegalStateException("service not ready in " + timeout + ", log: " + log);
    }

    /** SIGKILL, as a crashed or evicted pod. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again with the same command line. */
    public void restart() {
        launch();
    }

    public Path log() {
        return log;
    }


    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
