package io.tcpfleet.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made for one test run (no key is committed): an RSA CA, and RSA or EC certificates it signs, written
 * as the PEM files a {@code kubernetes.io/tls} Secret holds; plus JDK client contexts that trust it.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final GeneralName[] LOCALHOST = {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
    };

    /** A key and the certificate for it. */
    public record Issued(KeyPair keys, X509Certificate certificate) {

        public String certificatePem() {
            return pem(certificate);
        }

        /**
         * As cert-manager writes it by default: PKCS#1 for an RSA key ({@code RSA PRIVATE KEY}), SEC1
         * for an EC key ({@code EC PRIVATE KEY}).
         */
        public String keyPem() {
            if (!"EC".equals(keys.getPrivate().getAlgorithm())) {
                return pem(keys.getPrivate());
            }
            // SEC1 with the curve and the public key, as Go's x509.MarshalECPrivateKey (cert-manager)
            // and openssl write it; the JDK's PKCS#8 encoding leaves both out of the inner structure.
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            try {
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey sec1 = new ECPrivateKey(
                        ((java.security.interfaces.ECPrivateKey) keys.getPrivate())
                                .getParams()
                                .getOrder()
                                .bitLength(),
                        inner.getKey(),
                        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
                                .getPublicKeyData(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String keyPemPkcs8() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Issued ca;

    public TestCertificates() {
        KeyPair keys = rsa();
        ca = new Issued(
                keys,
                sign(
                        "CN=tcpfleet test CA",
                        keys,
                        "CN=tcpfleet test CA",
                        keys.getPrivate(),
                        Instant.now().minus(Duration.ofHours(1)),
                        Instant.now().plus(Duration.ofDays(1)),
                        null));
    }

    public Issued ca() {
        return ca;
    }

    /** A server certificate for localhost/127.0.0.1, valid from an hour ago for {@code validFor}. */
    public Issued server(String commonName, Duration validFor) {
        Instant now = Instant.now();
        return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(validFor));
    }

    public Issued issue(String commonName, Instant notBefore, Instant notAfter) {
        return issue(rsa(), commonName, notBefore, notAfter, LOCALHOST);
    }

    /** Like {@link #server}, with an ECDSA P-256 key (cert-manager's {@code privateKey.algorithm: ECDSA}). */
    public Issued serverEc(String commonName, Duration validFor) {
        Instant now = Instant.now();
        return issue(ec(), commonName, now.minus(Duration.ofHours(1)), now.plus(validFor), LOCALHOST);
    }

    /** A server certificate for the DNS name {@code dnsName} only (not localhost), valid for a day. */
    public Issued serverNamed(String dnsName) {
        Instant now = Instant.now();
        return issue(rsa(), dnsName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), new GeneralName[] {
            new GeneralName(GeneralName.dNSName, dnsName)
        });
    }

    private Issued issue(KeyPair keys, String commonName, Instant notBefore, Instant notAfter, GeneralName[] names) {
        return new Issued(
                keys,
                sign(
                        "CN=" + commonName,
                        keys,
                        "CN=tcpfleet test CA",
                        ca.keys().getPrivate(),
                        notBefore,
                        notAfter,
                        names));
    }

    /** Writes {@code cert} and {@code key} PEM into {@code dir} as tls.crt and tls.key. */
    public static void write(Path dir, String certPem, String keyPem) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tls.crt"), certPem, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("tls.key"), keyPem, StandardCharsets.US_ASCII);
    }

    /** A client context that trusts this CA and, if {@code client} is not null, presents it. */
    public SSLContext clientContext(Issued client) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry(
                    "me", client.keys().getPrivate(), new char[0], new X509Certificate[] {client.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(own, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** A JDK server context that presents {@code server} (for a test's own TLS peer). */
    public static SSLContext serverContext(Issued server) throws GeneralSecurityException, IOException {
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry("me", server.keys().getPrivate(), new char[0], new X509Certificate[] {server.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Writes the CA's certificate as PEM to {@code file}, as a CA Secret's ca.crt. */
    public Path writeCa(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, ca.certificatePem(), StandardCharsets.US_ASCII);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code names}: the subject's alternative names; null makes a CA certificate. */
    private static X509Certificate sign(
            String subject,
            KeyPair subjectKeys,
            String issuer,
            PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            GeneralName[] names) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    new X500Name(subject),
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(names == null));
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
