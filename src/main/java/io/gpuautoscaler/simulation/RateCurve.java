package io.gpuautoscaler.simulation;

/**
 * Request rates in fixed windows (ServeGen files: req/s per 10-minute window).
 *
 * @param windowSeconds length of every window
 * @param rates req/s of each window in order; NaN where the source had no data (a 0)
 */
public record RateCurve(double windowSeconds, double[] rates) {

    public double durationSeconds() {
        return windowSeconds * rates.length;
    }
}
