package io.gpuautoscaler.adapter;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Authentication like an aggregated API server: (1) a client certificate that chains to the request-header
 * CA and whose CN is allowed is the aggregator, and only then are its user and group headers trusted;
 * (2) a bearer token is checked with a TokenReview (results cached briefly); (3) a client certificate that
 * chains to the client CA is the user of its CN, in the groups of its O. Anything else proves no identity.
 */
public final class DelegatedAuthenticator implements Authenticator {

    /** Checks a bearer token with the cluster; empty when it is not valid. May block. */
    public interface TokenReviewer {
        Optional<UserInfo> review(String token);
    }

    private record Cached(Optional<UserInfo> user, Instant until) {
    }

    private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";

    private final Supplier<AuthenticationConfig> config;
    private final TokenReviewer tokens;
    private final Clock clock;
    private final Duration cacheFor;
    private final ConcurrentHashMap<String, Cached> tokenCache = new ConcurrentHashMap<>();

    public DelegatedAuthenticator(Supplier<AuthenticationConfig> config, TokenReviewer tokens, Clock clock,
            Duration cacheFor) {
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    @Override
    public Optional<UserInfo> authenticate(RequestCredentials c) {
        AuthenticationConfig cfg = config.get();
        if (!c.chain().isEmpty() && verifies(c.chain(), cfg.requestHeaderCa())) {
            String cn = commonName(c.chain().get(0));
            if (cfg.allowedNames().isEmpty() || cfg.allowedNames().contains(cn)) {
                return fromHeaders(c, cfg);
            }
            // A cert from the front-proxy CA but not an allowed name: not the aggregator; headers ignored.
        }
        if (c.bearerToken() != null && !c.bearerToken().isEmpty()) {
            return review(c.bearerToken());
        }
        if (!c.chain().isEmpty() && verifies(c.chain(), cfg.clientCa())) {
            X509Certificate leaf = c.chain().get(0);
            return Optional.of(new UserInfo(commonName(leaf), organisations(leaf)));
        }
        return Optional.empty();
    }

    private static Optional<UserInfo> fromHeaders(RequestCredentials c, AuthenticationConfig cfg) {
        String user = null;
        for (String h : cfg.usernameHeaders()) {
            List<String> v = c.header(h);
            if (!v.isEmpty() && !v.get(0).isEmpty()) {
                user = v.get(0);
                break;
            }
        }
        if (user == null) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        for (String h : cfg.groupHeaders()) {
            groups.addAll(c.header(h));
        }
        return Optional.of(new UserInfo(user, groups));
    }

    private Optional<UserInfo> review(String token) {
        Instant now = clock.instant();
        String key = sha256(token);
        Cached hit = tokenCache.get(key);
        if (hit != null && hit.until().isAfter(now)) {
            return hit.user();
        }
        Optional<UserInfo> user = tokens.review(token);
        if (tokenCache.size() > 10_000) {
            tokenCache.clear();
        }
        tokenCache.put(key, new Cached(user, now.plus(cacheFor)));
        return user;
    }

    /** Whether the chain leads to one of the CAs, and the leaf may be used for client authentication. */
    static boolean verifies(List<X509Certificate> chain, List<X509Certificate> cas) {
        if (cas.isEmpty() || chain.isEmpty()) {
            return false;
        }
        try {
            List<String> eku = chain.get(0).getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH_EKU)) {
                return false;
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(chain.stream().filter(c -> !anchors.stream()
                            .anyMatch(a -> a.getTrustedCert().equals(c))).toList()), params);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static String commonName(X509Certificate cert) {
        return rdn(cert, "CN").stream().findFirst().orElse("");
    }

    static List<String> organisations(X509Certificate cert) {
        return rdn(cert, "O");
    }

    private static List<String> rdn(X509Certificate cert, String type) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn r : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (r.getType().equalsIgnoreCase(type)) {
                    out.add(r.getValue().toString());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            // unparseable subject: no names
        }
        return out;
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
