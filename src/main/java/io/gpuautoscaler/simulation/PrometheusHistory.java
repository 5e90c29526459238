package io.gpuautoscaler.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arrival rate as Prometheus recorded it, as a trace: a range query of one series (requests per second),
 * one window per step. Gaps stay unknown and the arrivals carry the last known rate over them.
 */
public final class PrometheusHistory {

    /** The default query: completed requests per second over the whole fleet, {@code STEP} the query's step. */
    public static final String DEFAULT_QUERY = "sum(rate(vllm:request_success_total[STEP]))";
    /** Prometheus refuses range queries of more points than this per series. */
    static final int MAX_POINTS = 11_000;
    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d|w)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusHistory() {
    }

    /** A history that cannot be read: the message says why. */
    public static final class HistoryException extends Exception {
        public HistoryException(String message) {
            super(message);
        }
    }

    /** What to read: base URL, PromQL (one series), how far back and at what resolution. */
    public record Query(URI url, String promql, Duration range, Duration step) {

        public static Query of(String url, String promql, String range, String step) throws HistoryException {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new HistoryException("--prometheus: not a URL: " + url);
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new HistoryException("--prometheus: need an http(s) URL, got " + url);
            }
            Duration r = duration("--range", range);
            Duration s = duration("--step", step);
            if (s.toSeconds() < 1 || r.compareTo(s) < 0) {
                throw new HistoryException("--step must be at least 1s and at most --range");
            }
            if (r.toSeconds() / s.toSeconds() > MAX_POINTS) {
                throw new HistoryException("--range " + range + " at --step " + step + " is " + r.toSeconds()
                        / s.toSeconds() + " points; Prometheus answers at most " + MAX_POINTS + ": raise --step");
            }
            String q = promql == null || promql.isBlank() ? DEFAULT_QUERY : promql;
            return new Query(u, q.replace("STEP", s.toSeconds() + "s"), r, s);
        }

        public String describe() {
            return "prometheus " + url + " " + promql + " over " + range + " step " + step;
        }
    }

    static Duration duration(String flag, String text) throws HistoryException {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new HistoryException(flag + ": not a duration like 30s, 5m, 6h, 7d, 2w: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** Reads the range ending at {@code end}. */
    public static RateCurve fetch(Query q, Instant end) throws HistoryException {
        long endS = end.getEpochSecond();
        long startS = endS - q.range().toSeconds();
        String base = q.url().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v1/query_range?query=" + URLEncoder.encode(q.promql(), StandardCharsets.UTF_8)
                + "&start=" + startS + "&end=" + endS + "&step=" + q.step().toSeconds());
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new HistoryException("Prometheus at " + base + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted");
        }
        return parse(r.statusCode(), r.body(), startS, q.step().toSeconds(), (int) (q.range().toSeconds()
                / q.step().toSeconds()) + 1);
    }

    /** The answer of a range query as a curve of {@code points} windows from {@code start}. */
    static RateCurve parse(int status, String body, long start, long step, int points) throws HistoryException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new HistoryException("Prometheus answered HTTP " + status + " with no JSON: " + abbreviate(body));
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new HistoryException("Prometheus answered HTTP " + status + ": " + root.path("errorType").asText()
                    + ": " + root.path("error").asText(abbreviate(body)));
        }
        JsonNode result = root.path("data").path("result");
        if (!"matrix".equals(root.path("data").path("resultType").asText()) || !result.isArray()) {
            throw new HistoryException("not a range query answer (resultType "
                    + root.path("data").path("resultType").asText() + ")");
        }
        if (result.size() != 1) {
            throw new HistoryException(result.isEmpty() ? "the query returned no series: nothing recorded in that range"
                    : "the query returned " + result.size() + " series; it must return one (wrap it in sum(...))");
        }
        double[] rates = new double[points];
        Arrays.fill(rates, Double.NaN);
        int known = 0;
        for (JsonNode point : result.get(0).path("values")) {
            long t = Math.round(point.path(0).asDouble());
            int i = (int) ((t - start) / step);
            double v;
            try {
                v = Double.parseDouble(point.path(1).asText());
            } catch (NumberFormatException e) {
                throw new HistoryException("not a number at " + t + ": " + point.path(1).asText());
            }
            if (i >= 0 && i < points && Double.isFinite(v)) {
                if (v < 0) {
                    throw new HistoryException("negative rate " + v + " at " + t + ": the query is not a rate");
                }
                rates[i] = v;
                known++;
            }
        }
        if (known == 0) {
            throw new HistoryException("the series has no finite value in that range");
        }
        return new RateCurve(step, rates);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
