package io.gpuautoscaler.adapter;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a request presents: its TLS client certificate chain (unverified), its bearer token, and its
 * headers (lower-case names), among them the front proxy's user headers, to be trusted only after the
 * chain is verified.
 */
public record RequestCredentials(List<X509Certificate> chain, String bearerToken, Map<String, List<String>> headers) {

    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }
}
