package io.tcpfleet.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM, as a {@code kubernetes.io/tls} Secret holds
 * them, checked the way a client would find out too late: the leaf in its validity period, and the
 * key the one the leaf was issued for. Keys: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}, cert-manager's default encoding); the JDK reads the rest.
 */
record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
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
        Matcher m = PEM.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new InvalidTlsMaterialException("the " + type + " block is not base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return pkcs8(rsaPkcs1ToPkcs8(der));
                default:
                    throw new InvalidTlsMaterialException("a " + type + " is not supported: give the key as PKCS#8"
                            + " (cert-manager: privateKey.encoding: PKCS8)");
            }
        }
        throw new InvalidTlsMaterialException("no PEM private key found");
    }

    private static PrivateKey pkcs8(byte[] der) throws InvalidTlsMaterialException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new InvalidTlsMaterialException("the private key is not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** PrivateKeyInfo { version 0, { rsaEncryption, NULL }, OCTET STRING pkcs1 } (RFC 5208). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
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
