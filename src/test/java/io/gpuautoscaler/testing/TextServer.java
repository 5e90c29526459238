package io.gpuautoscaler.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A tiny HTTP server on 127.0.0.1 answering every request with a status and a body computed per request
 * (exporters, or a misbehaving Prometheus); it can also answer late.
 */
public final class TextServer implements AutoCloseable {

    /** What to answer. */
    public record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private static final ThreadLocal<String> BODY = ThreadLocal.withInitial(() -> "");
    private volatile Supplier<Answer> answer;
    private volatile long delayMillis;

    public TextServer(Supplier<Answer> answer) {
        this.answer = answer;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            BODY.set(java.net.URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                Answer a = this.answer.get();
                byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
                exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // client went away (timeout): nothing to do
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The (URL-decoded) body of the request being answered, for answers that depend on it. */
    public static String lastBody() {
        return BODY.get();
    }

    public static TextServer prometheusText(Supplier<String> body) {
        return new TextServer(() -> new Answer(200, "text/plain; version=0.0.4", body.get()));
    }

    public TextServer answer(Supplier<Answer> a) {
        this.answer = a;
        return this;
    }

    public TextServer delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
