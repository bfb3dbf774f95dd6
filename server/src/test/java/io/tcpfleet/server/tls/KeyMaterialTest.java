package io.tcpfleet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpfleet.server.testing.TestCertificates;
import io.tcpfleet.server.testing.TestCertificates.Issued;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.EncryptedPrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

/** What a Secret's tls.key may hold, and the one-line reasons the server gives when it cannot use it. */
class KeyMaterialTest {

    private static final TestCertificates CERTS = new TestCertificates();
    private static final Issued RSA = CERTS.server("rsa", Duration.ofDays(1));
    private static final Issued EC = CERTS.serverEc("ec", Duration.ofDays(1));

    private static KeyMaterial parse(Issued issued, String keyPem) throws InvalidTlsMaterialException {
        return KeyMaterial.parse(
                issued.certificatePem().getBytes(StandardCharsets.US_ASCII),
                keyPem.getBytes(StandardCharsets.US_ASCII),
                Instant.now());
    }

    @Test
    void readsEveryEncodingCertManagerWrites() throws Exception {
        assertThat(parse(RSA, RSA.keyPem()).key()).isEqualTo(RSA.keys().getPrivate());
        assertThat(parse(RSA, RSA.keyPemPkcs8()).key()).isEqualTo(RSA.keys().getPrivate());
        assertThat(parse(EC, EC.keyPem()).key().getAlgorithm()).isEqualTo("EC");
        assertThat(parse(EC, EC.keyPemPkcs8()).key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void findsTheKeyAfterOtherBlocks() throws Exception {
        assertThat(parse(RSA, RSA.certificatePem() + RSA.keyPem()).key())
                .isEqualTo(RSA.keys().getPrivate());
    }

    @Test
    void refusesAnEncryptedKeySayingSo() throws Exception {
        // As `openssl rsa -aes128` writes it: the reader sees the encryption before any decryption.
        String traditional = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + Base64.getMimeEncoder().encodeToString(new byte[64]) + "\n-----END RSA PRIVATE KEY-----\n";
        StringWriter pkcs8 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pkcs8)) {
            writer.writeObject(new PemObject(
                    "ENCRYPTED PRIVATE KEY",
                    new EncryptedPrivateKeyInfo("PBEWithMD5AndDES", new byte[64]).getEncoded()));
        }
        for (String encrypted : new String[] {traditional, pkcs8.toString()}) {
            assertThatThrownBy(() -> parse(RSA, encrypted))
                    .isInstanceOf(InvalidTlsMaterialException.class)
                    .hasMessage(
                            "the private key is encrypted: give it unencrypted, as a kubernetes.io/tls Secret holds it");
        }
    }

    @Test
    void refusesAFileWithoutAKey() {
        assertThatThrownBy(() -> parse(RSA, RSA.certificatePem()))
                .isInstanceOf(InvalidTlsMaterialException.class)
                .hasMessage("no PEM private key found");
        assertThatThrownBy(() -> parse(RSA, ""))
                .isInstanceOf(InvalidTlsMaterialException.class)
                .hasMessage("no PEM private key found");
    }

    @Test
    void refusesAKeyBlockThatIsNotAKey() {
        String garbage = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> parse(RSA, garbage))
                .isInstanceOf(InvalidTlsMaterialException.class)
                .hasMessageStartingWith("the private key cannot be read: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAKeyOfAnotherTypeThanTheCertificate() {
        assertThatThrownBy(() -> parse(RSA, EC.keyPem()))
                .isInstanceOf(InvalidTlsMaterialException.class)
                .hasMessage("the private key does not belong to the certificate for CN=rsa");
    }
}
