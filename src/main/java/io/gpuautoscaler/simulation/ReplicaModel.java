package io.gpuautoscaler.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * One vLLM replica as a continuous-batching server, advanced in steps: a FIFO queue; a running batch of at
 * most {@code maxNumSeqs}; each engine iteration decodes one token for every running request and prefills up
 * to {@code maxNumBatchedTokens} minus the batch of prompt tokens (chunked prefill). An iteration takes the
 * decode inter-token latency at the batch size plus the prefill chunk at the prefill rate. TTFT is the time
 * from arrival to the end of the request's prefill. Calibrated by default from DESIGN §7 (Llama-3.1-8B class on
 * one H100); fluid within a step (fractional iterations), exact in the order of service.
 */
public final class ReplicaModel {

    /**
     * @param maxNumSeqs concurrency cap
     * @param maxNumBatchedTokens tokens per iteration (decode + prefill chunk)
     * @param prefillTokensPerSecond prefill throughput
     * @param itlBatch batch sizes of the inter-token latency curve (ascending)
     * @param itlSeconds inter-token latency at those batch sizes
     */
    public record Calibration(int maxNumSeqs, int maxNumBatchedTokens, double prefillTokensPerSecond,
            double[] itlBatch, double[] itlSeconds) {

        /** NVIDIA NIM figures for Llama-3.1-8B on H100 (4.6 ms @1 ... 16 ms @250), prefill ~25k tok/s. */
        public static Calibration h100() {
            return new Calibration(256, 8192, 25_000, new double[] {1, 50, 100, 250},
                    new double[] {0.0046, 0.0059, 0.0076, 0.016});
        }

        /** Inter-token latency at a batch size: linear between the points, flat outside. */
        public double itl(int batch) {
            if (batch <= itlBatch[0]) {
                return itlSeconds[0];
            }
            for (int i = 1; i < itlBatch.length; i++) {
                if (batch <= itlBatch[i]) {
                    double f = (batch - itlBatch[i - 1]) / (itlBatch[i] - itlBatch[i - 1]);
                    return itlSeconds[i - 1] + f * (itlSeconds[i] - itlSeconds[i - 1]);
                }
            }
            int n = itlBatch.length;
            double slope = (itlSeconds[n - 1] - itlSeconds[n - 2]) / (itlBatch[n - 1] - itlBatch[n - 2]);
            return itlSeconds[n - 1] + slope * (batch - itlBatch[n - 1]);
        }
    }

    /** A request's fate: when it arrived, when its first token came, when it finished. */
    public record Served(Request request, double ttftSeconds, double finishedAt) {
    }

    private static final class Active {
        final Request request;
        double prefillLeft;
        double decodeLeft;
        double firstTokenAt = Double.NaN;

        Active(Request r) {
            this.request = r;
            this.prefillLeft = Math.max(1, r.promptTokens());
            this.decodeLeft = Math.max(1, r.outputTokens());
        }
    }

    private final Calibration cal;
    private final Deque<Request> queue = new ArrayDeque<>();
    private final List<Active> running = new ArrayList<>();
    private double busySeconds;

    public ReplicaModel(Calibration cal) {
        this.cal = cal;
    }

    public void enqueue(Request r) {
        queue.addLast(r);
    }

    /** Requests waiting (vLLM's {@code num_requests_waiting}). */
    public int waiting() {
        return queue.size();
    }

    /** Requests in the batch (vLLM's {@code num_requests_running}). */
    public int running() {
        return running.size();
    }

    /** Seconds the engine was busy (a batch was running): what DCGM reports as utilisation. */
    public double busySeconds() {
        return busySeconds;
    }

    /** Requests not admitted to the batch yet, taken away (a deleted pod hands them back to the router). */
    public List<Request> drainQueued() {
        List<Request> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    /**
     * The replica dies (a spot interruption): everything is dropped; returned are the requests that had no
     * first token yet, which a client retries elsewhere (streams already started are cut).
     */
    public List<Request> kill() {
        List<Request> out = new ArrayList<>(queue);
        running.stream().filter(a -> a.prefillLeft > 0).forEach(a -> out.add(a.request));
        queue.clear();
        running.clear();
        return out;
    }

    /** Queued and running requests, e.g. to hand over when the replica dies. */
    public List<Request> drain() {
        List<Request> out = new ArrayList<>(queue);
        running.forEach(a -> out.add(a.request));
        queue.clear();
        running.clear();
        return out;
    }

    /**
     * Advances from {@code now} by {@code dt} seconds.
     *
     * @return requests whose first token came (ttft set) and which finished within the step, in order
     */
    public List<Served> step(double now, double dt, List<Served> firstTokens) {
        List<Served> finished = new ArrayList<>();
        double t = now;
        double end = now + dt;
        while (t < end - 1e-12) {
            while (running.size() < cal.maxNumSeqs() && !queue.isEmpty() && queue.peekFirst().arrivalSeconds() <= t) {
                running.add(new Active(queue.pollFirst()));
            }
            if (running.isEmpty()) {
                Request next = queue.peekFirst();
                t = next == null ? end : Math.min(end, Math.max(t, next.arrivalSeconds()));
                continue;
            }
            int batch = running.size();
            double prefillWanted = 0;
            double decodeLeastLeft = Double.POSITIVE_INFINITY;
            double prefillLeftInOrder = 0;
            for (Active a : running) {
                prefillWanted += a.prefillLeft;
                if (a.prefillLeft <= 0) {
                    decodeLeastLeft = Math.min(decodeLeastLeft, a.decodeLeft);
                } else if (prefillLeftInOrder == 0) {
                    prefillLeftInOrder = a.prefillLeft;
                }
            }
            double chunk = Math.min(prefillWanted, Math.max(0, cal.maxNumBatchedTokens() - batch));
            double iteration = cal.itl(batch) + chunk / cal.prefillTokensPerSecond();
            // Run whole iterations up to the next event (a request's prefill or decode ends) or the step's end.
            double iterations = (end - t) / iteration;
            Request waiting = queue.peekFirst();
            if (waiting != null && batch < cal.maxNumSeqs()) {
                // The scheduler admits a new arrival at the next iteration, so the run stops when it arrives.
                iterations = Math.min(iterations, Math.max(0, waiting.arrivalSeconds() - t) / iteration);
            }
            iterations = Math.min(iterations, decodeLeastLeft);
            if (chunk > 0) {
                iterations = Math.min(iterations, prefillLeftInOrder / chunk);
            }
            iterations = Math.max(iterations, 1e-9);
            double elapsed = iterations * iteration;
            t += elapsed;
            busySeconds += elapsed;
            double prefillBudget = iterations * chunk;
            for (Active a : running) {
                if (a.prefillLeft > 0) {
                    double used = Math.min(a.prefillLeft, prefillBudget);
                    a.prefillLeft -= used;
                    prefillBudget -= used;
                    if (a.prefillLeft <= 1e-9) {
                        a.prefillLeft = 0;
                        a.firstTokenAt = t;
                        a.decodeLeft -= 1;
                        if (firstTokens != null) {
                            firstTokens.add(new Served(a.request, t - a.request.arrivalSeconds(), Double.NaN));
                        }
                    }
                } else {
                    a.decodeLeft -= iterations;
                }
            }
            for (Iterator<Active> it = running.iterator(); it.hasNext();) {
                Active a = it.next();
                if (a.prefillLeft == 0 && a.decodeLeft <= 1e-9) {
                    finished.add(new Served(a.request, a.firstTokenAt - a.request.arrivalSeconds(), t));
                    it.remove();
                }
            }
        }
        return finished;
    }
}
