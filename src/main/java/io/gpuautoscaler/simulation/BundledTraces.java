package io.gpuautoscaler.simulation;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** The traces shipped in the jar ({@code /traces/}, copies of ../shared/traces with their attribution). */
final class BundledTraces {

    /** Request sizes for rate curves: the Azure conversation trace. */
    static final String CONVERSATION = "azure-llm-2023-conv.csv";

    private BundledTraces() {
    }

    static List<Request> requests(String name) {
        try (Reader r = open(name)) {
            return TraceReader.requests(r, name);
        } catch (Exception e) {
            throw new IllegalStateException("bundled trace " + name + " unreadable", e);
        }
    }

    static RateCurve rates(String name) {
        try (Reader r = open(name)) {
            return TraceReader.rates(r, name);
        } catch (Exception e) {
            throw new IllegalStateException("bundled trace " + name + " unreadable", e);
        }
    }

    private static Reader open(String name) {
        return new InputStreamReader(Objects.requireNonNull(BundledTraces.class.getResourceAsStream("/traces/" + name),
                name), StandardCharsets.UTF_8);
    }
}
