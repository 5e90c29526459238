package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.Signal;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Signals from Prometheus' {@code /api/v1/query}: one batched query per signal for the whole fleet, run
 * in parallel, each bounded by the policy's timeout. Any failure (unreachable, slow, HTTP error, garbage,
 * error status) makes that signal unknown for the tick; it never throws.
 */
public class PrometheusMetricsSource implements MetricsSource {

    private static final Logger LOG = Logger.getLogger(PrometheusMetricsSource.class);
    private static final List<Signal> PER_POD = List.of(Signal.QUEUE_WAITING, Signal.QUEUE_RUNNING,
            Signal.REQUEST_RATE, Signal.PROMPT_TOKEN_RATE, Signal.GENERATION_TOKEN_RATE, Signal.KV_CACHE_USAGE,
            Signal.GPU_UTILIZATION, Signal.SAMPLE_TIMESTAMP);
    private static final String SCALARS = "scalar_queries";

    private final PrometheusClients clients;
    private final MeterRegistry meters;
    private final ExecutorService pool;
    private final AtomicLong queries = new AtomicLong();

    public PrometheusMetricsSource(PrometheusClients clients, MeterRegistry meters) {
        this.clients = clients;
        this.meters = meters;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "prometheus-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Queries sent since start (to show they scale with signals, not models). */
    public long queriesSent() {
        return queries.get();
    }

    @Override
    public FleetReadings read(Policy policy, Instant now) {
        Policy.PrometheusSettings s = policy.prometheus();
        PrometheusClients.Client api;
        try {
            api = clients.client(s);
        } catch (RuntimeException e) {
            LOG.warnf("Prometheus client for %s cannot be built: %s", s.url(), e.getMessage());
            for (Signal signal : Signal.values()) {
                countError(signal.id());
            }
            return FleetReadings.unavailable(now, "Prometheus client: " + e.getMessage());
        }
        String time = timeParam(now);
        Map<String, Future<List<PrometheusResponse.Sample>>> pending = new HashMap<>();
        for (Signal signal : Signal.values()) {
            String q = PromQl.query(signal, s.rateWindow());
            pending.put(signal.id(), pool.submit(query(api, q, time, s.timeout())));
        }
        List<String> scalarQueries = policy.scalarQueries();
        if (!scalarQueries.isEmpty()) {
            pending.put(SCALARS, pool.submit(query(api, PromQl.scalars(scalarQueries), time, s.timeout())));
        }
        long deadline = System.nanoTime() + s.timeout().toNanos() + Duration.ofMillis(500).toNanos();

        FleetReadings.Builder readings = new FleetReadings.Builder();
        for (Signal signal : PER_POD) {
            Answer a = await(pending.get(signal.id()), deadline, signal.id(), s.url());
            if (a.error != null) {
                readings.fail(signal, a.error);
            } else {
                addByPod(readings, signal, a.samples);
            }
        }
        Answer ttft = await(pending.get(Signal.TTFT_BUCKETS.id()), deadline, Signal.TTFT_BUCKETS.id(), s.url());
        if (ttft.error != null) {
            readings.fail(Signal.TTFT_BUCKETS, ttft.error);
        } else {
            addBuckets(readings, ttft.samples);
        }
        Answer lora = await(pending.get(Signal.LORA_ADAPTERS.id()), deadline, Signal.LORA_ADAPTERS.id(), s.url());
        if (lora.error != null) {
            readings.fail(Signal.LORA_ADAPTERS, lora.error);
        } else {
            addAdapters(readings, lora.samples);
        }
        Map<String, OptionalDouble> scalars = new HashMap<>();
        if (!scalarQueries.isEmpty()) {
            Answer p = await(pending.get(SCALARS), deadline, SCALARS, s.url());
            if (p.error == null) {
                scalars = scalars(scalarQueries, p.samples);
            }
        }
        return readings.build(now, scalars);
    }

    @Override
    public Map<String, OptionalDouble> probePrices(Policy policy) throws MetricsUnavailableException {
        Policy.PrometheusSettings s = policy.prometheus();
        Map<String, OptionalDouble> out = new HashMap<>();
        PrometheusClients.Client api;
        try {
            api = clients.client(s);
        } catch (RuntimeException e) {
            throw new MetricsUnavailableException(describe(e), e);
        }
        for (String q : policy.priceQueries()) {
            try {
                out.put(q, query(api, q, null, s.timeout()).call().stream()
                        .mapToDouble(PrometheusResponse.Sample::value).filter(Double::isFinite).max());
            } catch (PrometheusResponse.BadResponse e) {
                out.put(q, OptionalDouble.empty());
            } catch (WebApplicationException e) {
                if (e.getResponse() == null || e.getResponse().getStatus() / 100 != 4) {
                    throw new MetricsUnavailableException(describe(e), e);
                }
                // 400/422: Prometheus refused the query itself; it will never give a price.
                out.put(q, OptionalDouble.empty());
            } catch (Exception e) {
                throw new MetricsUnavailableException(describe(e), e);
            }
        }
        return out;
    }

    private Callable<List<PrometheusResponse.Sample>> query(PrometheusClients.Client api, String query,
            String time, Duration timeout) {
        return () -> {
            queries.incrementAndGet();
            return PrometheusResponse.vector(api.api().query(api.authorization(), query, time,
                    timeout.toMillis() + "ms"));
        };
    }

    private record Answer(List<PrometheusResponse.Sample> samples, String error) {
    }

    private Answer await(Future<List<PrometheusResponse.Sample>> f, long deadline, String what, String url) {
        try {
            return new Answer(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            return failed(what, url, "timed out");
        } catch (ExecutionException e) {
            return failed(what, url, describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(what, url, "interrupted");
        }
    }

    private Answer failed(String what, String url, String error) {
        countError(what);
        LOG.debugf("Prometheus query %s at %s failed: %s", what, url, error);
        return new Answer(List.of(), error);
    }

    private void countError(String what) {
        meters.counter("gpu_autoscaler_prometheus_query_errors", "signal", what).increment();
    }

    static String describe(Throwable t) {
        if (t instanceof PrometheusResponse.BadResponse) {
            return t.getMessage();
        }
        if (t instanceof WebApplicationException w && w.getResponse() != null) {
            String body = "";
            try {
                body = w.getResponse().hasEntity() ? w.getResponse().readEntity(String.class) : "";
            } catch (RuntimeException ignored) {
                // body unreadable: the status says enough
            }
            return "HTTP " + w.getResponse().getStatus() + (body.isEmpty() ? "" : ": " + PrometheusResponse.errorOf(body));
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + PrometheusResponse.truncate(msg));
    }

    private static String timeParam(Instant now) {
        return String.format("%d.%03d", now.getEpochSecond(), now.getNano() / 1_000_000);
    }

    static void addByPod(FleetReadings.Builder readings, Signal signal, List<PrometheusResponse.Sample> samples) {
        for (PrometheusResponse.Sample s : samples) {
            PodKey pod = PodLabels.of(s);
            if (pod != null) {
                readings.add(signal, pod, s.value());
            }
        }
    }

    /** {@code running_lora_adapters="a,b"}: the newest series of a pod (its value is its time) wins. */
    static void addAdapters(FleetReadings.Builder readings, List<PrometheusResponse.Sample> samples) {
        for (PrometheusResponse.Sample s : samples) {
            PodKey pod = PodLabels.of(s);
            if (pod != null) {
                readings.loraAdapters(pod, names(s.runningLora()), names(s.waitingLora()),
                        Double.isNaN(s.value()) ? Double.NEGATIVE_INFINITY : s.value());
            }
        }
    }

    private static java.util.Set<String> names(String list) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (list != null) {
            for (String n : list.split(",")) {
                if (!n.isBlank()) {
                    out.add(n.trim());
                }
            }
        }
        return out;
    }

    static void addBuckets(FleetReadings.Builder readings, List<PrometheusResponse.Sample> samples) {
        for (PrometheusResponse.Sample s : samples) {
            PodKey pod = PodLabels.of(s);
            String le = s.le();
            if (pod == null || le == null || !Double.isFinite(s.value())) {
                continue;
            }
            double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : PrometheusResponse.number(le);
            if (!Double.isNaN(bound)) {
                readings.ttftBucket(pod, bound, s.value());
            }
        }
    }

    static Map<String, OptionalDouble> scalars(List<String> queries, List<PrometheusResponse.Sample> samples) {
        Map<String, OptionalDouble> out = new HashMap<>();
        for (PrometheusResponse.Sample s : samples) {
            String idx = s.queryKey();
            if (idx == null || !Double.isFinite(s.value())) {
                continue;
            }
            try {
                int i = Integer.parseInt(idx);
                if (i >= 0 && i < queries.size()) {
                    out.put(queries.get(i), OptionalDouble.of(s.value()));
                }
            } catch (NumberFormatException ignored) {
                // a user query that sets our label itself: ignore that series
            }
        }
        return out;
    }
}
