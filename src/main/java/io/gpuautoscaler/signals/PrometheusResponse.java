package io.gpuautoscaler.signals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses the body of {@code /api/v1/query}; anything but a well-formed vector answer is an error. */
final class PrometheusResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series of an instant vector; value NaN when Prometheus said NaN or ±Inf. */
    record Sample(Map<String, String> labels, double value) {
    }

    /** The answer could not be used. */
    static final class BadResponse extends Exception {
        BadResponse(String message) {
            super(message);
        }
    }

    private PrometheusResponse() {
    }

    static List<Sample> vector(String body) throws BadResponse {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadResponse("response is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadResponse("response is not a JSON object");
        }
        String status = root.path("status").asText("");
        if (!"success".equals(status)) {
            throw new BadResponse("query failed: " + root.path("errorType").asText("unknown") + ": "
                    + root.path("error").asText("no error given"));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        if (!"vector".equals(type)) {
            throw new BadResponse("expected a vector result, got '" + type + "'");
        }
        JsonNode result = data.path("result");
        if (!result.isArray()) {
            throw new BadResponse("data.result is not a list");
        }
        List<Sample> out = new ArrayList<>(result.size());
        for (JsonNode series : result) {
            JsonNode value = series.path("value");
            if (!series.path("metric").isObject() || !value.isArray() || value.size() != 2) {
                throw new BadResponse("malformed series: " + truncate(series.toString()));
            }
            Map<String, String> labels = new HashMap<>();
            series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new Sample(labels, number(value.get(1).asText())));
        }
        return out;
    }

    /** Prometheus' sample value text; NaN for NaN, ±Inf or garbage. */
    static double number(String text) {
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The error message of a non-2xx answer's body, if it is Prometheus' JSON error. */
    static String errorOf(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.has("error")) {
                return root.path("errorType").asText("error") + ": " + root.path("error").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: fall through
        }
        return truncate(body == null ? "" : body.strip());
    }

    static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
