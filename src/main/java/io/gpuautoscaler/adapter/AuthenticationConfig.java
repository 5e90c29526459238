package io.gpuautoscaler.adapter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster's delegated-authentication settings, as published in ConfigMap
 * {@code kube-system/extension-apiserver-authentication}.
 *
 * @param requestHeaderCa CAs that sign the front proxy's client certificate
 * @param allowedNames CNs the front proxy may use; empty means any CN signed by the CA
 * @param usernameHeaders headers carrying the user name (e.g. {@code X-Remote-User})
 * @param groupHeaders headers carrying the groups (e.g. {@code X-Remote-Group})
 * @param clientCa CAs of client certificates of direct callers
 */
public record AuthenticationConfig(List<X509Certificate> requestHeaderCa, List<String> allowedNames,
        List<String> usernameHeaders, List<String> groupHeaders, List<X509Certificate> clientCa) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final AuthenticationConfig NONE = new AuthenticationConfig(List.of(), List.of(), List.of(),
            List.of(), List.of());

    /** From the ConfigMap's data. Missing keys mean "not configured" (that path is closed). */
    public static AuthenticationConfig fromConfigMap(Map<String, String> data) {
        return new AuthenticationConfig(certs(data.get("requestheader-client-ca-file")),
                list(data.get("requestheader-allowed-names")), list(data.get("requestheader-username-headers")),
                list(data.get("requestheader-group-headers")), certs(data.get("client-ca-file")));
    }

    static List<X509Certificate> certs(String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("CA bundle cannot be read: " + e.getMessage(), e);
        }
    }

    static List<String> list(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON list of strings: " + json, e);
        }
    }
}
