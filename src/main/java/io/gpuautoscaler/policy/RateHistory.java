package io.gpuautoscaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A model's request rate, one mean per minute over the last hour and {@link #HORIZON}: how far the rate
 * typically rises within a cold start. Immutable; a tick returns a new one.
 */
public final class RateHistory {

    /** A capacity released now is back this long after it is called for: a cold start plus detection. */
    public static final Duration HORIZON = ModelState.ScaleDownWindow.REGRET;
    /** The minutes whose rise is measured. */
    static final int MINUTES = 60;
    /** Fewer measured minutes than this say nothing yet. */
    static final int AT_LEAST = 5;

    public static final RateHistory EMPTY = new RateHistory(new long[0], new double[0], new double[0]);

    private final long[] minute;
    private final double[] sum;
    private final double[] count;

    private RateHistory(long[] minute, double[] sum, double[] count) {
        this.minute = minute;
        this.sum = sum;
        this.count = count;
    }

    /** This history with a rate read at {@code at}. */
    public RateHistory with(Instant at, double rate) {
        long m = Math.floorDiv(at.getEpochSecond(), 60);
        int n = minute.length;
        if (n > 0 && minute[n - 1] == m) {
            double[] s = sum.clone();
            double[] c = count.clone();
            s[n - 1] += rate;
            c[n - 1]++;
            return new RateHistory(minute, s, c);
        }
        long oldest = m - MINUTES - HORIZON.toMinutes();
        int from = 0;
        while (from < n && minute[from] < oldest) {
            from++;
        }
        long[] mm = Arrays.copyOfRange(minute, from, n + 1);
        double[] s = Arrays.copyOfRange(sum, from, n + 1);
        double[] c = Arrays.copyOfRange(count, from, n + 1);
        mm[mm.length - 1] = m;
        s[s.length - 1] = rate;
        c[c.length - 1] = 1;
        return new RateHistory(mm, s, c);
    }

    /**
     * The median, over the minutes whose next {@link #HORIZON} has passed, of the highest minute in that horizon
     * over the minute itself; 1 while fewer than {@link #AT_LEAST} minutes are measured. Above 1 on traffic
     * whose dips do not last a cold start.
     */
    public double typicalRise() {
        int h = (int) HORIZON.toMinutes();
        int n = minute.length;
        double[] rises = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double base = sum[i] / count[i];
            if (!(base > 0) || minute[n - 1] < minute[i] + h) {
                continue;
            }
            double highest = 0;
            for (int j = i + 1; j < n && minute[j] <= minute[i] + h; j++) {
                highest = Math.max(highest, sum[j] / count[j]);
            }
            rises[k++] = highest / base;
        }
        if (k < AT_LEAST) {
            return 1;
        }
        Arrays.sort(rises, 0, k);
        return k % 2 == 1 ? rises[k / 2] : (rises[k / 2 - 1] + rises[k / 2]) / 2;
    }

    /** Minutes held. */
    int minutes() {
        return minute.length;
    }
}
