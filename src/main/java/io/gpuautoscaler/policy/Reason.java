package io.gpuautoscaler.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reason behind a decision, with the numbers it used.
 *
 * @param code what kind of reason
 * @param message human-readable sentence with the numbers
 * @param numbers the numbers by name, for machines
 */
public record Reason(ReasonCode code, String message, Map<String, Double> numbers) {

    public Reason {
        numbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    public static Reason of(ReasonCode code, String message, Object... namesAndNumbers) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndNumbers.length; i += 2) {
            numbers.put((String) namesAndNumbers[i], ((Number) namesAndNumbers[i + 1]).doubleValue());
        }
        return new Reason(code, message, numbers);
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
