package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.ControlLoop;
import io.gpuautoscaler.testing.TlsClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API over real TLS with delegated authentication, the cluster being the fabric8 mock server: the
 * authentication ConfigMap, TokenReviews and SubjectAccessReviews answered like the API server would.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(AggregatorSecurityTest.Delegated.class)
class AggregatorSecurityTest {

    public static class Delegated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpu-autoscaler.external-metrics.authentication", "delegated",
                    "gpu-autoscaler.external-metrics.host", "127.0.0.1", "gpu-autoscaler.mode", "embedded");
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final Certificates.Issued FRONT_PROXY_CA = Certificates.authority("front-proxy-ca");
    static final Certificates.Issued CLIENT_CA = Certificates.authority("kubernetes-ca");
    static final Certificates.Issued FRONT_PROXY = Certificates.client(FRONT_PROXY_CA, "front-proxy-client", List.of());
    static final String HPA = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
    static final Set<String> ALLOWED_USERS = Set.of(HPA, "alice");
    static final String METRIC = "/apis/external.metrics.k8s.io/v1beta1/namespaces/llm/gpu_autoscaler_desired_replicas";

    @KubernetesTestServer
    KubernetesServer k8s;
    @Inject
    ExternalMetricsServer server;
    @Inject
    ControlLoop loop;
    @Inject
    PolicyStore policies;

    @BeforeEach
    void cluster() throws Exception {
        k8s.getClient().configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("extension-apiserver-authentication").withNamespace("kube-system").endMetadata()
                .addToData("requestheader-client-ca-file", FRONT_PROXY_CA.certPem())
                .addToData("requestheader-allowed-names", "[\"front-proxy-client\"]")
                .addToData("requestheader-username-headers", "[\"X-Remote-User\"]")
                .addToData("requestheader-group-headers", "[\"X-Remote-Group\"]")
                .addToData("client-ca-file", CLIENT_CA.certPem()).build()).createOr(c -> c.update());
        k8s.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, req -> {
            boolean good = req.getBody().readUtf8().contains("\"token\":\"good-token\"");
            return Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview", "status", good
                    ? Map.of("authenticated", true, "user", Map.of("username", "alice", "groups", List.of("devs")))
                    : Map.of("authenticated", false));
        }).always();
        k8s.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, req -> {
            try {
                JsonNode sar = JSON.readTree(req.getBody().readUtf8());
                String user = sar.at("/spec/user").asText();
                boolean metricRead = "external.metrics.k8s.io".equals(sar.at("/spec/resourceAttributes/group").asText());
                boolean discovery = sar.at("/spec/nonResourceAttributes/path").asText().startsWith("/apis");
                return Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SubjectAccessReview", "status",
                        Map.of("allowed", ALLOWED_USERS.contains(user) && (metricRead || discovery)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).always();
        // The informer picks the ConfigMap up asynchronously.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (status(FRONT_PROXY, Map.of("X-Remote-User", HPA), METRIC) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        loop.tick(policies.current().orElseThrow().policy(), Instant.now());
    }

    int status(Certificates.Issued cert, Map<String, String> headers, String path) {
        return get(cert, headers, path).statusCode();
    }

    HttpResponse<String> get(Certificates.Issued cert, Map<String, String> headers, String path) {
        TlsClient c = cert == null ? new TlsClient(null, null) : new TlsClient(cert.certificate(), cert.key());
        return c.get("https://127.0.0.1:" + server.port() + path, headers);
    }

    @Test
    void theAggregatorsCertificateWithAnAllowedUserReadsMetrics() {
        HttpResponse<String> r = get(FRONT_PROXY, Map.of("X-Remote-User", HPA, "X-Remote-Group",
                "system:serviceaccounts"), METRIC);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\":\"ExternalMetricValueList\""));
        assertEquals(200, status(FRONT_PROXY, Map.of("X-Remote-User", HPA), "/apis/external.metrics.k8s.io/v1beta1"));
    }

    @Test
    void theAggregatorsCertificateWithAUserWithoutRbacIsForbidden() {
        HttpResponse<String> r = get(FRONT_PROXY, Map.of("X-Remote-User", "mallory"), METRIC);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("\"reason\":\"Forbidden\""), r.body());
    }

    @Test
    void aCertificateFromAnUnknownCaIsNotTheAggregator() {
        Certificates.Issued forged = Certificates.client(Certificates.authority("front-proxy-ca"),
                "front-proxy-client", List.of());
        assertEquals(401, status(forged, Map.of("X-Remote-User", HPA), METRIC));
    }

    @Test
    void aCertificateOfTheRightCaWithANameThatIsNotAllowedIsNotTheAggregator() {
        Certificates.Issued other = Certificates.client(FRONT_PROXY_CA, "someone-else", List.of());
        assertEquals(401, status(other, Map.of("X-Remote-User", HPA), METRIC));
    }

    @Test
    void userHeadersWithoutAVerifiedCertificateAreIgnored() {
        HttpResponse<String> r = get(null, Map.of("X-Remote-User", HPA, "X-Remote-Group", "system:masters"), METRIC);
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"reason\":\"Unauthorized\""), r.body());
    }

    @Test
    void bearerTokensAreCheckedWithATokenReview() {
        assertEquals(200, status(null, Map.of("Authorization", "Bearer good-token"), METRIC));
        assertEquals(401, status(null, Map.of("Authorization", "Bearer forged-token"), METRIC));
    }

    @Test
    void clientCertificatesOfTheClusterCaAreAuthorisedAsTheirUser() {
        Certificates.Issued bob = Certificates.client(CLIENT_CA, "bob", List.of("ops"));
        assertEquals(403, status(bob, Map.of(), METRIC));
    }

    @Test
    void healthPathsNeedNoCredentials() {
        assertEquals(200, status(null, Map.of(), "/healthz"));
    }
}
