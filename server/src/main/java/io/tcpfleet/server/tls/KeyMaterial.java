package io.tcpfleet.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key read from PEM, as a {@code kubernetes.io/tls} Secret holds
 * them, checked the way a client would find out too late: the leaf in its validity period, and the
 * key the one the leaf was issued for. Keys as cert-manager writes them: PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 ({@code RSA PRIVATE KEY}, its default for RSA) or SEC1 ({@code EC PRIVATE KEY}, its default for
 * ECDSA); BouncyCastle's PEM reader parses them, the JDK's key factories make the keys.
 */
record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    private static final byte[] PROBE = "tcpfleet key check".getBytes(StandardCharsets.US_ASCII);

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** Parses and checks {@code certPem} and {@code keyPem}; the message of the exception says what is wrong. */
    static KeyMaterial parse(byte[] certPem, byte[] keyPem, Instant now) throws InvalidTlsMaterialException {
        List<X509Certificate> chain = certificates(certPem, "certificate");
        PrivateKey key = privateKey(keyPem);
        X509Certificate leaf = chain.get(0);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new InvalidTlsMaterialException("the certificate for " + subject(leaf) + " expired at "
                    + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new InvalidTlsMaterialException("the certificate for " + subject(leaf) + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        if (!belongTogether(key, leaf)) {
            throw new InvalidTlsMaterialException(
                    "the private key does not belong to the certificate for " + subject(leaf));
        }
        return new KeyMaterial(chain, key);
    }

    /** Every certificate in a PEM file, at least one. */
    static List<X509Certificate> certificates(byte[] pem, String what) throws InvalidTlsMaterialException {
        try {
            List<X509Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (certs.isEmpty()) {
                throw new InvalidTlsMaterialException("no PEM " + what + " found");
            }
            return certs;
        } catch (CertificateException e) {
            throw new InvalidTlsMaterialException("not a PEM " + what + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(byte[] pem) throws InvalidTlsMaterialException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser =
                new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo) { // PRIVATE KEY
                    return converter.getPrivateKey((PrivateKeyInfo) o);
                }
                if (o instanceof PEMKeyPair) { // RSA PRIVATE KEY, EC PRIVATE KEY (its public key is optional)
                    return converter.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new InvalidTlsMaterialException(
                            "the private key is encrypted: give it unencrypted, as a kubernetes.io/tls Secret holds it");
                }
                // EC PARAMETERS before an EC key, a certificate in the same file: not the key
            }
        } catch (PEMException e) {
            throw new InvalidTlsMaterialException("the private key cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidTlsMaterialException("not a PEM private key: " + e.getMessage());
        }
        throw new InvalidTlsMaterialException("no PEM private key found");
    }

    /** Whether {@code key} signs what {@code leaf}'s public key verifies: works for every key type. */
    private static boolean belongTogether(PrivateKey key, X509Certificate leaf) throws InvalidTlsMaterialException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw new InvalidTlsMaterialException("a " + key.getAlgorithm() + " key is not supported");
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }
}
