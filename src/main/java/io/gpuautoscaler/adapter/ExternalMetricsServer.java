package io.gpuautoscaler.adapter;

import io.gpuautoscaler.config.AutoscalerConfig;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.DecisionStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;
import org.jboss.logging.Logger;

/**
 * {@code external.metrics.k8s.io/v1beta1} over HTTPS, on its own port. The TLS layer asks for a client
 * certificate but accepts any: whether it chains to the front-proxy or client CA is decided per request by
 * the {@link Authenticator}, like the generic API server. The request path reads only the decision store.
 */
@ApplicationScoped
public class ExternalMetricsServer {

    private static final Logger LOG = Logger.getLogger(ExternalMetricsServer.class);
    static final String GROUP = "external.metrics.k8s.io";
    static final String VERSION = "v1beta1";
    static final String GROUP_PATH = "/apis/" + GROUP;
    static final String VERSION_PATH = GROUP_PATH + "/" + VERSION;

    @Inject
    Vertx vertx;
    @Inject
    AutoscalerConfig config;
    @Inject
    DecisionStore decisions;
    @Inject
    PolicyStore policies;
    @Inject
    AdapterSecurity security;

    private HttpServer server;
    private volatile MetricSeriesIndex index = MetricSeriesIndex.EMPTY;
    private volatile int boundPort = -1;

    void start(@Observes StartupEvent ev) throws Exception {
        AutoscalerConfig.ExternalMetrics c = config.externalMetrics();
        if (!c.enabled()) {
            return;
        }
        String host = security.localOnly() ? "127.0.0.1" : c.host().orElse("0.0.0.0");
        PemKeyCertOptions pem = new PemKeyCertOptions();
        if (c.certFile().isPresent() && c.keyFile().isPresent()) {
            pem.setCertValue(Buffer.buffer(Files.readAllBytes(Path.of(c.certFile().get()))))
                    .setKeyValue(Buffer.buffer(Files.readAllBytes(Path.of(c.keyFile().get()))));
        } else {
            Certificates.Issued self = Certificates.selfSigned("gpu-autoscaler", List.of("localhost", "127.0.0.1",
                    "gpu-autoscaler", "gpu-autoscaler.gpu-autoscaler.svc", "gpu-autoscaler.gpu-autoscaler.svc.cluster.local"));
            pem.setCertValue(Buffer.buffer(self.certPem())).setKeyValue(Buffer.buffer(self.keyPem()));
            LOG.info("External metrics API: no cert-file/key-file, serving a self-signed certificate");
        }
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(c.port()).setSsl(true)
                .setPemKeyCertOptions(pem).setClientAuth(ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(ACCEPT_ANY_CLIENT)).setCompressionSupported(false)
                // The aggregator speaks HTTP/2 to API services; HTTP/1.1 stays for kubectl and curl.
                .setUseAlpn(true);
        server = vertx.createHttpServer(options).requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        boundPort = server.actualPort();
        LOG.infof("External metrics API on https://%s:%d%s (authentication: %s)", host, boundPort, VERSION_PATH,
                security.localOnly() ? "none, local only" : "delegated");
    }

    void stop(@Observes ShutdownEvent ev) {
        if (server != null) {
            server.close();
        }
    }

    /** The port actually bound (useful with port 0 in tests). */
    public int port() {
        return boundPort;
    }

    void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
            req.response().putHeader("Content-Type", "text/plain").end("ok");
            return;
        }
        if (req.method() != HttpMethod.GET) {
            status(req, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            return;
        }
        Target target = Target.of(path);
        if (security.localOnly()) {
            respond(req, target);
            return;
        }
        RequestCredentials creds = credentials(req);
        vertx.executeBlocking(() -> security.check(creds, target.namespace, target.metric, path), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warnf(ar.cause(), "Checking a request to %s failed", path);
                        status(req, 500, "InternalError", "an error on the server prevented the request from being checked");
                    } else if (ar.result() == AdapterSecurity.Verdict.UNAUTHENTICATED) {
                        status(req, 401, "Unauthorized", "Unauthorized");
                    } else if (ar.result() == AdapterSecurity.Verdict.FORBIDDEN) {
                        status(req, 403, "Forbidden", "forbidden: the user may not get " + (target.metric == null
                                ? "path \"" + path + "\"" : "\"" + target.metric + "\" in namespace \""
                                + target.namespace + "\""));
                    } else {
                        respond(req, target);
                    }
                });
    }

    /** What a path asks for: a metric in a namespace, or a discovery path. */
    record Target(String namespace, String metric) {
        static Target of(String path) {
            String prefix = VERSION_PATH + "/namespaces/";
            if (path.startsWith(prefix)) {
                String[] parts = path.substring(prefix.length()).split("/", -1);
                if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                    return new Target(parts[0], parts[1]);
                }
            }
            return new Target(null, null);
        }
    }

    private void respond(HttpServerRequest req, Target target) {
        String path = req.path();
        if (target.metric != null) {
            values(req, target);
            return;
        }
        switch (path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path) {
            case VERSION_PATH -> json(req, 200, Discovery.resourceList());
            case GROUP_PATH -> json(req, 200, Discovery.group());
            case "/apis" -> json(req, 200, Discovery.groupList());
            case "/version" -> json(req, 200, Discovery.version());
            default -> status(req, 404, "NotFound", "the server could not find the requested resource");
        }
    }

    private void values(HttpServerRequest req, Target t) {
        PublishedMetric metric = PublishedMetric.byName(t.metric);
        if (metric == null) {
            status(req, 404, "NotFound", "the server could not find the metric " + t.metric + " for namespace "
                    + t.namespace);
            return;
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(req.getParam("labelSelector"));
        } catch (LabelSelector.InvalidSelectorException e) {
            status(req, 400, "BadRequest", e.getMessage());
            return;
        }
        List<String> items = index().items(metric, t.namespace, selector);
        if (items.isEmpty()) {
            status(req, 404, "NotFound", "no series of metric " + t.metric + " in namespace " + t.namespace
                    + " match the selector \"" + Optional.ofNullable(req.getParam("labelSelector")).orElse("") + "\"");
            return;
        }
        StringBuilder b = new StringBuilder(64 + items.size() * 220);
        b.append("{\"kind\":\"ExternalMetricValueList\",\"apiVersion\":\"").append(GROUP).append('/').append(VERSION)
                .append("\",\"metadata\":{},\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(items.get(i));
        }
        json(req, 200, b.append("]}").toString());
    }

    private MetricSeriesIndex index() {
        List<io.gpuautoscaler.policy.Decision> latest = decisions.latest();
        MetricSeriesIndex current = index;
        if (current.source != latest) {
            long window = policies.current().map(l -> l.policy().loopInterval().toSeconds()).orElse(15L);
            current = new MetricSeriesIndex(latest, window);
            index = current;
        }
        return current;
    }

    private static RequestCredentials credentials(HttpServerRequest req) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            if (req.connection().isSsl()) {
                List<Certificate> peer = req.connection().peerCertificates();
                if (peer != null) {
                    for (Certificate c : peer) {
                        if (c instanceof X509Certificate x) {
                            chain.add(x);
                        }
                    }
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        String auth = req.getHeader("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Map<String, List<String>> headers = new HashMap<>();
        req.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(e.getValue()));
        return new RequestCredentials(chain, token, headers);
    }

    private static void json(HttpServerRequest req, int code, String body) {
        req.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
    }

    static void status(HttpServerRequest req, int code, String reason, String message) {
        json(req, code, Discovery.status(code, reason, message));
    }

    /** Accepts any client certificate at the TLS layer; the authenticator verifies it against the right CA. */
    private static final X509TrustManager ACCEPT_ANY_CLIENT = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // verified per request by the Authenticator
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("server trust is not used here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
