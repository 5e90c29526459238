package io.gpuautoscaler.simulation;

/**
 * One request of a trace.
 *
 * @param arrivalSeconds seconds since the trace's first request
 * @param promptTokens prompt (context) tokens
 * @param outputTokens generated tokens
 */
public record Request(double arrivalSeconds, int promptTokens, int outputTokens) {
}
