package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DelegatedAuthenticatorTest {

    static final Certificates.Issued FRONT_PROXY_CA = Certificates.authority("front-proxy-ca");
    static final Certificates.Issued CLIENT_CA = Certificates.authority("kubernetes-ca");
    static final Certificates.Issued OTHER_CA = Certificates.authority("front-proxy-ca");
    static final AuthenticationConfig CONFIG = new AuthenticationConfig(List.of(FRONT_PROXY_CA.certificate()),
            List.of("front-proxy-client"), List.of("X-Remote-User"), List.of("X-Remote-Group"),
            List.of(CLIENT_CA.certificate()));
    static final Map<String, List<String>> HPA_HEADERS = Map.of("x-remote-user",
            List.of("system:serviceaccount:kube-system:horizontal-pod-autoscaler"), "x-remote-group",
            List.of("system:serviceaccounts", "system:authenticated"));

    final List<String> reviewed = new ArrayList<>();
    final DelegatedAuthenticator auth = new DelegatedAuthenticator(() -> CONFIG, token -> {
        reviewed.add(token);
        return token.equals("good") ? Optional.of(new UserInfo("alice", List.of("devs"))) : Optional.empty();
    }, Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(10));

    static List<X509Certificate> chain(Certificates.Issued ca, String cn) {
        return List.of(Certificates.client(ca, cn, List.of()).certificate());
    }

    @Test
    void trustsTheHeadersOfTheFrontProxyCertificate() {
        Optional<UserInfo> u = auth.authenticate(new RequestCredentials(chain(FRONT_PROXY_CA, "front-proxy-client"),
                null, HPA_HEADERS));
        assertEquals(Optional.of(new UserInfo("system:serviceaccount:kube-system:horizontal-pod-autoscaler",
                List.of("system:serviceaccounts", "system:authenticated"))), u);
    }

    @Test
    void ignoresHeadersFromACertificateOfAnotherCa() {
        assertTrue(auth.authenticate(new RequestCredentials(chain(OTHER_CA, "front-proxy-client"), null, HPA_HEADERS))
                .isEmpty());
    }

    @Test
    void ignoresHeadersFromTheRightCaButANameThatIsNotAllowed() {
        assertTrue(auth.authenticate(new RequestCredentials(chain(FRONT_PROXY_CA, "intruder"), null, HPA_HEADERS))
                .isEmpty());
    }

    @Test
    void ignoresHeadersWithoutACertificate() {
        assertTrue(auth.authenticate(new RequestCredentials(List.of(), null, HPA_HEADERS)).isEmpty());
    }

    @Test
    void aFrontProxyRequestWithoutAUserHeaderIsNobody() {
        assertTrue(auth.authenticate(new RequestCredentials(chain(FRONT_PROXY_CA, "front-proxy-client"), null,
                Map.of())).isEmpty());
    }

    @Test
    void checksBearerTokensWithATokenReviewCachedBriefly() {
        RequestCredentials good = new RequestCredentials(List.of(), "good", Map.of());
        assertEquals("alice", auth.authenticate(good).get().name());
        assertEquals("alice", auth.authenticate(good).get().name());
        assertTrue(auth.authenticate(new RequestCredentials(List.of(), "forged", Map.of())).isEmpty());
        assertEquals(List.of("good", "forged"), reviewed);
    }

    @Test
    void acceptsClientCertificatesOfTheClusterCaAsTheirCommonName() {
        Certificates.Issued bob = Certificates.client(CLIENT_CA, "bob", List.of("ops", "oncall"));
        assertEquals(Optional.of(new UserInfo("bob", List.of("ops", "oncall"))),
                auth.authenticate(new RequestCredentials(List.of(bob.certificate()), null, HPA_HEADERS)));
    }

    @Test
    void refusesAServerOnlyCertificateAsAClient() {
        Certificates.Issued server = Certificates.selfSigned("front-proxy-client", List.of("localhost"));
        AuthenticationConfig selfTrust = new AuthenticationConfig(List.of(server.certificate()), List.of(),
                List.of("X-Remote-User"), List.of(), List.of());
        DelegatedAuthenticator a = new DelegatedAuthenticator(() -> selfTrust, t -> Optional.empty(),
                Clock.systemUTC(), Duration.ZERO);
        assertTrue(a.authenticate(new RequestCredentials(List.of(server.certificate()), null, HPA_HEADERS)).isEmpty());
    }

    @Test
    void readsTheClustersAuthenticationConfigMap() throws Exception {
        AuthenticationConfig c = AuthenticationConfig.fromConfigMap(Map.of(
                "requestheader-client-ca-file", FRONT_PROXY_CA.certPem() + OTHER_CA.certPem(),
                "requestheader-allowed-names", "[\"front-proxy-client\"]",
                "requestheader-username-headers", "[\"X-Remote-User\"]",
                "requestheader-group-headers", "[\"X-Remote-Group\"]",
                "requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]",
                "client-ca-file", CLIENT_CA.certPem()));
        assertEquals(2, c.requestHeaderCa().size());
        assertEquals(List.of("front-proxy-client"), c.allowedNames());
        assertEquals(1, c.clientCa().size());
    }
}
