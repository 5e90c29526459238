package io.gpuautoscaler.adapter;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for TLS: the self-signed fallback of local runs, and the signed chains of tests. */
public final class Certificates {

    /** A certificate, its key, and the PEM text of both. */
    public record Issued(X509Certificate certificate, PrivateKey key, String certPem, String keyPem) {
    }

    private Certificates() {
    }

    /** A self-signed server certificate for the given DNS names and IP addresses, valid for a year. */
    public static Issued selfSigned(String commonName, List<String> names) {
        return issue(commonName, null, names, null, false, KeyPurposeId.id_kp_serverAuth);
    }

    /** A CA certificate (self-signed). */
    public static Issued authority(String commonName) {
        return issue(commonName, null, List.of(), null, true, null);
    }

    /** A client certificate signed by the CA, with CN and organisations (groups). */
    public static Issued client(Issued ca, String commonName, List<String> organisations) {
        return issue(commonName, organisations, List.of(), ca, false, KeyPurposeId.id_kp_clientAuth);
    }

    private static Issued issue(String cn, List<String> orgs, List<String> names, Issued ca, boolean isCa,
            KeyPurposeId purpose) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = gen.generateKeyPair();
            StringBuilder dn = new StringBuilder();
            if (orgs != null) {
                for (String o : orgs) {
                    dn.append("O=").append(o).append(',');
                }
            }
            dn.append("CN=").append(cn);
            X500Name subject = new X500Name(dn.toString());
            X500Name issuer = ca == null ? subject : X500Name.getInstance(ca.certificate().getSubjectX500Principal()
                    .getEncoded());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject,
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (purpose != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!names.isEmpty()) {
                List<GeneralName> sans = new ArrayList<>();
                for (String n : names) {
                    sans.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
                }
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            PrivateKey signer = ca == null ? keys.getPrivate() : ca.key();
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new Issued(cert, keys.getPrivate(), pem(cert), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create certificate for " + cn + ": " + e.getMessage(), e);
        }
    }

    private static boolean isIp(String n) {
        if (!n.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress.getByName(n);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
