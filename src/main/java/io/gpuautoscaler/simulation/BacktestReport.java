package io.gpuautoscaler.simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code backtest --out DIR}: {@code timeseries.csv} (per minute: arrivals/s, and each run's replicas and TTFT
 * p95) and {@code chart.svg} (load and replicas above, TTFT p95 against the SLO below).
 */
final class BacktestReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int W = 1000;
    private static final int LEFT = 60;
    private static final int RIGHT = 180;
    private static final int TOP_H = 300;
    private static final int BOTTOM_H = 180;

    private BacktestReport() {
    }

    static void write(Path dir, Traffic traffic, List<Backtest.Row> rows, List<Backtest.Row> charted)
            throws IOException {
        Files.createDirectories(dir);
        double[] load = traffic.perMinute(rows.get(0).result().replicasPerMinute().length);
        StringBuilder csv = new StringBuilder("minute,arrivals_per_second");
        for (Backtest.Row r : rows) {
            csv.append(',').append(label(r)).append("_replicas,").append(label(r)).append("_ttft_p95_seconds");
        }
        csv.append('\n');
        for (int m = 0; m < load.length; m++) {
            csv.append(m).append(',').append(num(load[m]));
            for (Backtest.Row r : rows) {
                csv.append(',').append(num(at(r.result().replicasPerMinute(), m))).append(',')
                        .append(num(at(r.result().p95PerMinute(), m)));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("timeseries.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("chart.svg"), svg(load, charted), StandardCharsets.UTF_8);
    }

    static String label(Backtest.Row r) {
        return r.knob() == null ? r.policy() : r.policy() + "@" + Backtest.knob(r.knob());
    }

    private static double at(double[] a, int i) {
        return i < a.length ? a[i] : Double.NaN;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String svg(double[] load, List<Backtest.Row> rows) {
        int minutes = Math.max(1, load.length);
        double maxReplicas = 1;
        for (Backtest.Row r : rows) {
            for (double v : r.result().replicasPerMinute()) {
                maxReplicas = Math.max(maxReplicas, v);
            }
        }
        double maxLoad = 1e-9;
        for (double v : load) {
            maxLoad = Math.max(maxLoad, v);
        }
        double slo = 1.0;
        double maxTtft = 5 * slo;
        int plotW = W - LEFT - RIGHT;
        int bottomTop = TOP_H + 60;
        int h = bottomTop + BOTTOM_H + 40;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", W, h));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(text(LEFT, 16, "replicas per policy (lines) and load in req/s (grey, right scale)"));
        b.append(text(LEFT, bottomTop - 8, "TTFT p95 per minute, seconds (dashed: SLO; clipped at 5x)"));
        axes(b, 20, TOP_H, maxReplicas, plotW);
        axes(b, bottomTop, BOTTOM_H, maxTtft, plotW);
        b.append(polyline(load, minutes, 20, TOP_H, maxLoad, plotW, "#bbbbbb", 1.5));
        b.append(text(LEFT + plotW + 6, 30, String.format(Locale.ROOT, "%.0f req/s", maxLoad)));
        double sloY = bottomTop + BOTTOM_H * (1 - slo / maxTtft);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" "
                + "stroke-dasharray=\"4 3\"/>%n", LEFT, sloY, LEFT + plotW, sloY));
        for (int i = 0; i < rows.size(); i++) {
            Backtest.Row r = rows.get(i);
            String colour = COLOURS[i % COLOURS.length];
            b.append(polyline(r.result().replicasPerMinute(), minutes, 20, TOP_H, maxReplicas, plotW, colour, 1.2));
            double[] p95 = r.result().p95PerMinute().clone();
            for (int m = 0; m < p95.length; m++) {
                p95[m] = Math.min(p95[m], maxTtft);
            }
            b.append(polyline(p95, minutes, bottomTop, BOTTOM_H, maxTtft, plotW, colour, 1.0));
            int y = 40 + 16 * i;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", LEFT + plotW + 6, y, LEFT + plotW + 22, y, colour));
            b.append(text(LEFT + plotW + 26, y + 4, label(r)));
        }
        b.append(text(LEFT + plotW / 2 - 20, h - 10, "minutes (0 to " + (minutes - 1) + ")"));
        b.append("</svg>\n");
        return b.toString();
    }

    private static void axes(StringBuilder b, int top, int height, double max, int plotW) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, top, plotW, height));
        for (int k = 0; k <= 4; k++) {
            double v = max * k / 4;
            double y = top + height * (1 - k / 4.0);
            b.append(text(8, (int) y + 4, String.format(Locale.ROOT, max >= 10 ? "%.0f" : "%.1f", v)));
        }
    }

    private static String polyline(double[] v, int minutes, int top, int height, double max, int plotW, String colour,
            double width) {
        StringBuilder b = new StringBuilder();
        StringBuilder points = new StringBuilder();
        for (int m = 0; m < v.length && m < minutes; m++) {
            if (Double.isNaN(v[m])) {
                if (!points.isEmpty()) {
                    b.append(line(points, colour, width));
                    points.setLength(0);
                }
                continue;
            }
            double x = LEFT + plotW * (minutes == 1 ? 0 : (double) m / (minutes - 1));
            double y = top + height * (1 - Math.min(v[m], max) / max);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        if (!points.isEmpty()) {
            b.append(line(points, colour, width));
        }
        return b.toString();
    }

    private static String line(StringBuilder points, String colour, double width) {
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"%s\"/>%n",
                colour, width, points.toString().trim());
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\">" + s.replace("&", "&amp;").replace("<", "&lt;") + "</text>\n";
    }
}
