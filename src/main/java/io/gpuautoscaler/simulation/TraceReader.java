package io.gpuautoscaler.simulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads traces: request traces (Azure LLM inference CSV: {@code TIMESTAMP,ContextTokens,GeneratedTokens}) and
 * rate curves (ServeGen: {@code t_seconds,total_rate_req_per_s}). A bad file fails with the line number.
 */
public final class TraceReader {

    /** A trace that cannot be used; the message names the file and line. */
    public static final class TraceFormatException extends Exception {
        public TraceFormatException(String message) {
            super(message);
        }
    }

    private static final DateTimeFormatter AZURE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().toFormatter(Locale.ROOT);

    private TraceReader() {
    }

    /** The kind of a trace file, from its header. */
    public enum Kind { REQUESTS, RATES }

    public static Kind kind(String header, String name) throws TraceFormatException {
        String h = header.toLowerCase(Locale.ROOT);
        if (h.contains("timestamp") && h.contains("contexttokens")) {
            return Kind.REQUESTS;
        }
        if (h.contains("t_seconds")) {
            return Kind.RATES;
        }
        throw new TraceFormatException(name + ": line 1: unknown header '" + header
                + "' (expected TIMESTAMP,ContextTokens,GeneratedTokens or t_seconds,total_rate_req_per_s)");
    }

    /** An Azure LLM inference trace: requests in arrival order, timestamps relative to the first. */
    public static List<Request> requests(Reader in, String name) throws TraceFormatException, IOException {
        List<Request> out = new ArrayList<>();
        double[] firstAndLast = {Double.NaN, Double.NEGATIVE_INFINITY};
        rows(in, name, cols -> {
            int ts = index(cols, "timestamp", name);
            int ctx = index(cols, "contexttokens", name);
            int gen = index(cols, "generatedtokens", name);
            return (f, n) -> {
                double t = time(f[ts].trim(), name, n);
                if (Double.isNaN(firstAndLast[0])) {
                    firstAndLast[0] = t;
                }
                if (t < firstAndLast[1]) {
                    throw new TraceFormatException(name + ": line " + n + ": timestamp " + f[ts].trim()
                            + " is earlier than the previous one: the trace must be sorted");
                }
                firstAndLast[1] = t;
                out.add(new Request(t - firstAndLast[0], tokens(f[ctx], "ContextTokens", name, n),
                        tokens(f[gen], "GeneratedTokens", name, n)));
            };
        });
        if (out.isEmpty()) {
            throw new TraceFormatException(name + ": no requests after the header");
        }
        return out;
    }

    /** A ServeGen rate file: one rate per window; a 0 is missing data (NaN). */
    public static RateCurve rates(Reader in, String name) throws TraceFormatException, IOException {
        List<Double> times = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        rows(in, name, cols -> {
            int tc = index(cols, "t_seconds", name);
            int rc = index(cols, "total_rate_req_per_s", name);
            return (f, n) -> {
                double t = number(f[tc], "t_seconds", name, n);
                double rate = number(f[rc], "total_rate_req_per_s", name, n);
                if (t < 0 || rate < 0) {
                    throw new TraceFormatException(name + ": line " + n + ": negative "
                            + (t < 0 ? "t_seconds" : "rate"));
                }
                if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                    throw new TraceFormatException(name + ": line " + n + ": t_seconds " + f[tc].trim()
                            + " does not follow the previous one: the trace must be sorted");
                }
                if (times.size() >= 2) {
                    double window = times.get(1) - times.get(0);
                    if (Math.abs(t - times.get(times.size() - 1) - window) > 1e-6) {
                        throw new TraceFormatException(name + ": line " + n + ": windows must be evenly spaced ("
                                + window + " s), got a gap of " + (t - times.get(times.size() - 1)) + " s");
                    }
                }
                times.add(t);
                rates.add(rate == 0 ? Double.NaN : rate);
            };
        });
        if (times.size() < 2) {
            throw new TraceFormatException(name + ": needs at least two windows");
        }
        double[] values = rates.stream().mapToDouble(Double::doubleValue).toArray();
        if (Arrays.stream(values).allMatch(Double::isNaN)) {
            throw new TraceFormatException(name + ": every window has a rate of 0");
        }
        return new RateCurve(times.get(1) - times.get(0), values);
    }

    /** Handles one CSV row (fields, 1-based line number). */
    private interface Row {
        void accept(String[] fields, int line) throws TraceFormatException;
    }

    /** Makes the row handler once the header's columns are known. */
    private interface Rows {
        Row forColumns(List<String> columns) throws TraceFormatException;
    }

    /** The header, then every non-blank row with enough fields, line numbers counted from 1 at the header. */
    private static void rows(Reader in, String name, Rows rows) throws TraceFormatException, IOException {
        BufferedReader r = new BufferedReader(in);
        String header = r.readLine();
        if (header == null || header.isBlank()) {
            throw new TraceFormatException(name + ": empty file");
        }
        List<String> cols = columns(header);
        Row row = rows.forColumns(cols);
        String line;
        int n = 1;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < cols.size()) {
                throw new TraceFormatException(name + ": line " + n + ": " + f.length + " fields, expected "
                        + cols.size());
            }
            row.accept(f, n);
        }
    }

    private static List<String> columns(String header) {
        List<String> out = new ArrayList<>();
        for (String c : header.split(",", -1)) {
            out.add(c.trim().replace("\uFEFF", "").toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static int index(List<String> cols, String col, String name) throws TraceFormatException {
        int i = cols.indexOf(col);
        if (i < 0) {
            throw new TraceFormatException(name + ": line 1: missing column " + col + " (columns: " + cols + ")");
        }
        return i;
    }

    private static double time(String s, String name, int line) throws TraceFormatException {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException notSeconds) {
            try {
                LocalDateTime t = LocalDateTime.parse(s.length() > 19 && s.charAt(10) == 'T' ? s.replace('T', ' ') : s,
                        AZURE);
                return t.toEpochSecond(ZoneOffset.UTC) + t.getNano() / 1e9;
            } catch (DateTimeParseException e) {
                throw new TraceFormatException(name + ": line " + line + ": bad timestamp '" + s + "'");
            }
        }
    }

    private static int tokens(String s, String col, String name, int line) throws TraceFormatException {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) {
                throw new TraceFormatException(name + ": line " + line + ": negative " + col + " " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TraceFormatException(name + ": line " + line + ": " + col + " '" + s.trim()
                    + "' is not a whole number");
        }
    }

    private static double number(String s, String col, String name, int line) throws TraceFormatException {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TraceFormatException(name + ": line " + line + ": " + col + " '" + s.trim() + "' is not a number");
        }
    }
}
