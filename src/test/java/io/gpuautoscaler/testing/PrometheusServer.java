package io.gpuautoscaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) started by the test on 127.0.0.1 and a free port, scraping the given
 * targets every second, stopped by PID.
 */
public final class PrometheusServer implements AutoCloseable {

    /** A scrape job: targets (host:port) with labels added to every series, and honor_labels. */
    public record Job(String name, boolean honorLabels, List<Target> targets) {
    }

    /** One target and the labels Prometheus attaches to its series (as Kubernetes SD relabelling would). */
    public record Target(int port, String namespace, String pod) {
    }

    private Process process;
    private final Path dir;
    private final int port;

    private PrometheusServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static String binary() {
        for (String p : List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("prometheus not installed: apt-get install -y prometheus (see .ci/run)");
    }

    public static PrometheusServer start(List<Job> jobs) {
        try {
            Path dir = Files.createTempDirectory("prometheus-test");
            StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
                    + "  evaluation_interval: 1s\nscrape_configs:\n");
            for (Job j : jobs) {
                cfg.append("  - job_name: ").append(j.name()).append("\n    honor_labels: ").append(j.honorLabels())
                        .append("\n    static_configs:\n");
                for (Target t : j.targets()) {
                    cfg.append("      - targets: ['127.0.0.1:").append(t.port()).append("']\n        labels: {namespace: ")
                            .append(t.namespace()).append(", pod: ").append(t.pod()).append("}\n");
                }
            }
            Files.writeString(dir.resolve("prometheus.yml"), cfg, StandardCharsets.UTF_8);
            PrometheusServer server = new PrometheusServer(dir, FreePort.get());
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Stops the process (an outage); {@link #resume()} starts it again on the same port and data. */
    public void stop() {
        ProcessHandle.of(process.pid()).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    public void resume() {
        launch();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Waits.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready in 20 s: " + log());
    }

    /** Instant query through plain HTTP, for waiting on data in tests. */
    public String query(String promql) {
        try {
            String q = java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8);
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query=" + q))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the query returns at least {@code series} series. */
    public void awaitSeries(String promql, int series, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (count(last, "\"metric\"") >= series) {
                return;
            }
            Waits.sleep(250);
        }
        throw new IllegalStateException("no " + series + " series for " + promql + " in " + timeout + ": " + last);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }


    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir: best effort
        }
    }
}
