package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.Policy;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * REST clients to Prometheus, one per distinct {@link Policy.PrometheusSettings}: a policy reload that
 * changes the URL, CA or timeout gets a new client and the old one is closed. Credential files are
 * re-read on every call, so rotated tokens are picked up.
 */
public class PrometheusClients implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PrometheusClients.class);

    /** A client with the Authorization header to send (null for none). */
    public record Client(PrometheusApi api, String authorization) {
    }

    private Policy.PrometheusSettings settings;
    private PrometheusApi api;

    public synchronized Client client(Policy.PrometheusSettings s) {
        if (api == null || !s.equals(settings)) {
            PrometheusApi built = build(s);
            close();
            api = built;
            settings = s;
        }
        return new Client(api, authorization(s));
    }

    private static PrometheusApi build(Policy.PrometheusSettings s) {
        QuarkusRestClientBuilder b = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(s.url()))
                .connectTimeout(Math.min(s.timeout().toMillis(), 2000), TimeUnit.MILLISECONDS)
                .readTimeout(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (s.caFile().isPresent()) {
            b.trustStore(trustStore(Path.of(s.caFile().get())), "");
        }
        return b.build(PrometheusApi.class);
    }

    static KeyStore trustStore(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("caFile " + pem + " holds no certificate");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("caFile " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }

    static String authorization(Policy.PrometheusSettings s) {
        if (s.basicAuth().isPresent()) {
            Policy.BasicAuth b = s.basicAuth().get();
            String password = b.password().orElseGet(() -> read(b.passwordFile().get()));
            return "Basic " + Base64.getEncoder()
                    .encodeToString((b.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (s.bearerTokenFile().isPresent()) {
            return "Bearer " + read(s.bearerTokenFile().get());
        }
        return s.bearerToken().map(t -> "Bearer " + t).orElse(null);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("credential file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (api != null) {
            try {
                api.close();
            } catch (Exception e) {
                LOG.debugf("closing Prometheus client: %s", e.getMessage());
            }
            api = null;
        }
    }
}
