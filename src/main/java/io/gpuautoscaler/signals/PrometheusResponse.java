package io.gpuautoscaler.signals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the body of {@code /api/v1/query} as a stream, keeping only the labels we join on: a fleet's
 * answer holds hundreds of thousands of series. Anything but a well-formed successful vector is an error.
 */
final class PrometheusResponse {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One series of an instant vector: the labels we use, and its value (NaN for NaN, ±Inf or garbage). */
    record Sample(String namespace, String pod, String exportedNamespace, String exportedPod, String le,
            String queryKey, String runningLora, String waitingLora, double value) {
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
        return vector(new ByteArrayInputStream((body == null ? "" : body).getBytes(StandardCharsets.UTF_8)));
    }

    static List<Sample> vector(InputStream body) throws BadResponse {
        String status = null;
        String resultType = null;
        String errorType = "unknown";
        String error = "no error given";
        List<Sample> samples = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadResponse("response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "status" -> status = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString();
                    case "error" -> error = p.getValueAsString();
                    case "data" -> {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            throw new BadResponse("data is not an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if ("resultType".equals(f)) {
                                resultType = p.getValueAsString();
                            } else if ("result".equals(f)) {
                                samples = result(p);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadResponse("response is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadResponse("response unreadable: " + e.getMessage());
        }
        if (!"success".equals(status)) {
            throw new BadResponse("query failed: " + errorType + ": " + error);
        }
        if (!"vector".equals(resultType)) {
            throw new BadResponse("expected a vector result, got '" + resultType + "'");
        }
        if (samples == null) {
            throw new BadResponse("data.result is missing");
        }
        return samples;
    }

    private static List<Sample> result(JsonParser p) throws IOException, BadResponse {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadResponse("data.result is not a list");
        }
        List<Sample> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String ns = null;
            String pod = null;
            String ens = null;
            String epod = null;
            String le = null;
            String price = null;
            String runningLora = null;
            String waitingLora = null;
            double value = Double.NaN;
            boolean hasValue = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if ("metric".equals(f) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String label = p.currentName();
                        p.nextToken();
                        String v = p.getValueAsString();
                        switch (label) {
                            case "namespace" -> ns = v;
                            case "pod" -> pod = v;
                            case "exported_namespace" -> ens = v;
                            case "exported_pod" -> epod = v;
                            case "le" -> le = v;
                            case PromQl.SCALAR_LABEL -> price = v;
                            case "running_lora_adapters" -> runningLora = v;
                            case "waiting_lora_adapters" -> waitingLora = v;
                            default -> p.skipChildren();
                        }
                    }
                } else if ("value".equals(f) && t == JsonToken.START_ARRAY) {
                    if (p.nextToken() == JsonToken.END_ARRAY || p.nextToken() == JsonToken.END_ARRAY) {
                        throw new BadResponse("malformed series: value needs [time, \"number\"]");
                    }
                    value = number(p.getValueAsString());
                    hasValue = true;
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        throw new BadResponse("malformed series: value needs [time, \"number\"]");
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!hasValue) {
                throw new BadResponse("malformed series: no value");
            }
            out.add(new Sample(ns, pod, ens, epod, le, price, runningLora, waitingLora, value));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadResponse("data.result holds something else than series");
        }
        return out;
    }

    /** Prometheus' sample value text; NaN for NaN, ±Inf or garbage. */
    static double number(String text) {
        if (text == null) {
            return Double.NaN;
        }
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
            JsonNode root = MAPPER.readTree(body);
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
