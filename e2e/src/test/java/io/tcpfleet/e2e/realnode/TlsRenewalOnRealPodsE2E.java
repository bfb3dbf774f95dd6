package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.tls on real pods: the operator mounts a kubernetes.io/tls Secret, the server on the real node
 * serves its certificate, and a renewed Secret (what cert-manager does) reaches new handshakes with no
 * pod restarted or replaced and an open TLS connection still answering. Runs the operator of this
 * checkout as a process (deploy/'s pods run the image of the last make images), watching a namespace
 * of its own whose pods go to the real node; the server is the image the node has.
 */
@ExtendWith(OperatorLogsOnFailure.class)
class TlsRenewalOnRealPodsE2E {

    private static final String NAMESPACE = "tcpfleet-real-tls";
    private static final String NAME = "echo-tls";
    private static final String SECRET = "echo-tls";
    private static final int PORT = 7443;
    /** The kubelet refreshes a mounted Secret on its pod sync (about a minute, with jitter); the server checks every second. */
    private static final Duration RENEWAL_REACHES_THE_SERVER = Duration.ofMinutes(4);

    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void operatorWatchingANamespaceOnTheRealNode() {
        InstalledBase.crds();
        client = LocalCluster.shared().newClient();
        client.namespaces().resource(RealNode.realNodeNamespace(NAMESPACE)).serverSideApply();
        operator = OperatorUnderTest.start(LocalCluster.shared().kubeconfig(), NAMESPACE, NAMESPACE);
    }

    @AfterAll
    static void cleanUp() {
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.namespaces().withName(NAMESPACE).delete();
            client.close();
        }
    }

    @Test
    void aRenewedSecretReachesNewHandshakesWithoutRestartingThePodOrDroppingAConnection(@TempDir Path tmp)
            throws Exception {
        Issued first = Issued.selfSigned(tmp.resolve("first.p12"), "tcpfleet-e2e-first");
        Issued renewed = Issued.selfSigned(tmp.resolve("renewed.p12"), "tcpfleet-e2e-renewed");
        X509Certificate[] trusted = {first.certificate(), renewed.certificate()};
        applySecret(first);
        new TcpServices(client, NAMESPACE).apply("""
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: %s
                spec:
                  replicas: 1
                  handler: echo
                  port: %d
                  tls:
                    secretName: %s
                  connections:
                    idleTimeout: 30m
                  drain:
                    delay: 1s
                    timeout: 2s
                """.formatted(NAME, PORT, SECRET));
        Pod pod = awaitReadyPod();
        String address = pod.getStatus().getPodIP();
        assertThat(pod.getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName())
                .containsExactly(SECRET);
        long generation = deployment().getMetadata().getGeneration();

        try (SSLSocket open = connect(trusted, address)) {
            assertThat(servedCertificate(open)).isEqualTo(first.certificate());
            assertEchoes(open, "before the renewal");

            applySecret(renewed);
            await("a new handshake gets the renewed certificate")
                    .atMost(RENEWAL_REACHES_THE_SERVER)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        // The connection opened before the renewal goes on answering all along.
                        assertEchoes(open, "while the renewal propagates");
                        try (SSLSocket fresh = connect(trusted, address)) {
                            return servedCertificate(fresh).equals(renewed.certificate());
                        }
                    });

            assertEchoes(open, "after the renewal");
            assertThat(servedCertificate(open))
                    .as("the open connection keeps the session it began with")
                    .isEqualTo(first.certificate());
        }
        Pod after = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .get();
        assertThat(after.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(restarts(after)).isEqualTo(restarts(pod)).isZero();
        assertThat(deployment().getMetadata().getGeneration())
                .as("the renewal changed nothing in the Deployment")
                .isEqualTo(generation);
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabel("tcpfleet.io/service", NAME)
                        .list()
                        .getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly(pod.getMetadata().getName());
    }

    private static void applySecret(Issued issued) {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of(
                        "tls.crt", base64(issued.certificatePem()),
                        "tls.key", base64(issued.keyPem())))
                .build();
        client.resource(secret).fieldManager("tls-e2e").forceConflicts().serverSideApply();
    }

    private static Pod awaitReadyPod() {
        return await("the TLS fleet's pod Ready on the real node")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                client
                                        .pods()
                                        .inNamespace(NAMESPACE)
                                        .withLabel("tcpfleet.io/service", NAME)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .filter(p -> p.getStatus() != null
                                                && p.getStatus().getConditions().stream()
                                                        .anyMatch(c -> "Ready".equals(c.getType())
                                                                && "True".equals(c.getStatus())))
                                        .findFirst()
                                        .orElse(null),
                        p -> p != null);
    }

    private static Deployment deployment() {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    }

    private static int restarts(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(ContainerStatus::getRestartCount)
                .sum();
    }

    /** A full handshake: a context of its own has no session to resume, which would show the old certificate. */
    private static SSLSocket connect(X509Certificate[] trusted, String address)
            throws IOException, GeneralSecurityException {
        SSLSocket socket = (SSLSocket) trusting(trusted).getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(address, PORT), 5000);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate servedCertificate(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static void assertEchoes(SSLSocket socket, String when) throws IOException {
        byte[] line = ("ping " + when + "\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        out.write(line);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(line.length);
        assertThat(new String(back, StandardCharsets.US_ASCII))
                .as("echo " + when)
                .isEqualTo(new String(line, StandardCharsets.US_ASCII));
    }

    /** A client that trusts exactly these certificates; the pod IP is no name, so no host name check. */
    private static SSLContext trusting(X509Certificate... certificates) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("c" + i, certificates[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A self-signed EC certificate made by the JDK's keytool for this run; no key is committed. */
    private record Issued(X509Certificate certificate, PrivateKey key) {

        static Issued selfSigned(Path keystore, String commonName) throws Exception {
            char[] password = "changeit".toCharArray();
            Processes.Result made = Processes.run(
                    List.of(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            "tls",
                            "-keyalg",
                            "EC",
                            "-groupname",
                            "secp256r1",
                            "-dname",
                            "CN=" + commonName,
                            "-ext",
                            "SAN=dns:" + NAME,
                            "-validity",
                            "2",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            keystore.toString(),
                            "-storepass",
                            new String(password)),
                    Map.of(),
                    60);
            assertThat(made.exitCode()).as(made.output()).isZero();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            }
            return new Issued(
                    (X509Certificate) store.getCertificate("tls"), (PrivateKey) store.getKey("tls", password));
        }

        String certificatePem() {
            return pem("CERTIFICATE", encoded(certificate));
        }

        /** PKCS#8, which the server reads for every key type. */
        String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }

        private static byte[] encoded(Certificate certificate) {
            try {
                return certificate.getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }
}
