package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** --proxy-protocol over real loopback sockets: the header's client reaches plugins, bad headers are counted closes. */
class ProxyProtocolIT {

    private static final String CLOSED_PROXY_PROTOCOL = "tcpfleet_connections_closed_total{reason=\"proxy_protocol\"}";

    @Test
    void aV1HeaderNamesTheClientAPluginSees() throws Exception {
        try (TestServer server = TestServer.start("--proxy-protocol", "required", "--handler", "whoami");
                Socket client = Wire.connect(server.address())) {
            send(client, ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000\r\n"));
            assertThat(readLine(client.getInputStream())).isEqualTo("203.0.113.7 51234");
            assertThat(Wire.roundTrip(client, "after the header")).isEqualTo("after the header");
        }
    }

    @Test
    void aV2HeaderNamesTheClientForIpv4AndIpv6() throws Exception {
        try (TestServer server = TestServer.start("--proxy-protocol", "required", "--handler", "whoami")) {
            try (Socket client = Wire.connect(server.address())) {
                send(client, v2Proxy(InetAddress.getByName("198.51.100.9"), 40000, InetAddress.getByName("10.0.0.1")));
                assertThat(readLine(client.getInputStream())).isEqualTo("198.51.100.9 40000");
            }
            try (Socket client = Wire.connect(server.address())) {
                send(client, v2Proxy(InetAddress.getByName("2001:db8::5"), 443, InetAddress.getByName("2001:db8::1")));
                assertThat(readLine(client.getInputStream())).isEqualTo("2001:db8:0:0:0:0:0:5 443");
            }
            assertThat(server.metric(CLOSED_PROXY_PROTOCOL)).isZero();
        }
    }

    @Test
    void aV2LocalHeaderKeepsTheSocketsAddress() throws Exception {
        // LOCAL: the balancer's own connection, a health check; it names no client.
        try (TestServer server = TestServer.start("--proxy-protocol", "required", "--handler", "whoami");
                Socket client = Wire.connect(server.address())) {
            send(client, v2Header(0x20, 0x00, new byte[0]));
            assertThat(readLine(client.getInputStream())).isEqualTo("127.0.0.1 " + client.getLocalPort());
        }
    }

    @Test
    void bytesThatFollowTheHeaderInTheSameWriteAreTheClientsData() throws Exception {
        try (TestServer server = TestServer.start("--proxy-protocol", "required");
                Socket client = Wire.connect(server.address())) {
            send(client, concat(ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000\r\n"), ascii("hello\n")));
            assertThat(readLine(client.getInputStream())).isEqualTo("hello");
        }
    }

    @Test
    void theProxyHandlerRelaysWhatCameWithTheHeaderAndTheFinAfterIt() throws Exception {
        try (TestServer upstream = TestServer.start();
                TestServer proxy = TestServer.start(
                        "--handler",
                        "proxy",
                        "--upstream",
                        "127.0.0.1:" + upstream.address().getPort(),
                        "--proxy-protocol",
                        "required");
                Socket client = Wire.connect(proxy.address())) {
            byte[] data = Wire.randomBytes(1000, 3);
            send(
                    client,
                    concat(v2Proxy(InetAddress.getByName("192.0.2.1"), 1234, InetAddress.getByName("10.0.0.1")), data));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            assertThat(Wire.readExactly(in, data.length)).isEqualTo(data);
            assertThat(in.read())
                    .as("the half-close went through and came back")
                    .isEqualTo(-1);
            assertThat(upstream.metric("tcpfleet_bytes_received_total")).isEqualTo(data.length);
        }
    }

    @Test
    void theProxyHandlerTellsItsUpstreamTheClientInAV2Header() throws Exception {
        try (TestServer upstream = TestServer.start("--proxy-protocol", "required", "--handler", "whoami");
                TestServer proxy = TestServer.start(
                        "--handler",
                        "proxy",
                        "--upstream",
                        "127.0.0.1:" + upstream.address().getPort(),
                        "--proxy-protocol",
                        "required",
                        "--upstream-proxy-protocol",
                        "v2");
                Socket client = Wire.connect(proxy.address())) {
            send(client, ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000\r\n"));
            assertThat(readLine(client.getInputStream())).isEqualTo("203.0.113.7 51234");
            assertThat(Wire.roundTrip(client, "relayed")).isEqualTo("relayed");
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedAndCounted() throws Exception {
        try (TestServer server = TestServer.start("--proxy-protocol", "required");
                Socket client = Wire.connect(server.address())) {
            send(client, ascii("GET / HTTP/1.1\r\nHost: example\r\n\r\n"));
            assertThat(Wire.closedByPeer(client)).isTrue();
            server.awaitMetric(CLOSED_PROXY_PROTOCOL, 1.0);
            assertThat(server.metric("tcpfleet_bytes_sent_total"))
                    .as("nothing echoed")
                    .isZero();
        }
    }

    @Test
    void malformedHeadersAreClosedAndCounted() throws Exception {
        byte[][] bad = {
            ascii("PROXY TCP4 999.0.0.1 10.0.0.1 51234 7000\r\n"), // not an address
            ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234\r\n"), // a field short
            ascii("PROXY " + "A".repeat(200) + "\r\n"), // longer than v1 allows
            v2Header(0x21, 0x11, new byte[4]), // TCP4 with 4 of its 12 address bytes
            v2Header(0x31, 0x11, new byte[12]), // version 3
        };
        try (TestServer server = TestServer.start("--proxy-protocol", "required")) {
            for (byte[] header : bad) {
                try (Socket client = Wire.connect(server.address())) {
                    send(client, concat(header, ascii("data\n")));
                    assertThat(Wire.closedByPeer(client)).isTrue();
                }
            }
            server.awaitMetric(CLOSED_PROXY_PROTOCOL, bad.length);
            server.awaitMetric("tcpfleet_connections_active", 0.0);
        }
    }

    @Test
    void aHeaderThatNeverCompletesIsClosedAtTheTimeout() throws Exception {
        try (TestServer server = TestServer.start("--proxy-protocol", "required", "--proxy-protocol-timeout", "300ms");
                Socket silent = Wire.connect(server.address());
                Socket partial = Wire.connect(server.address())) {
            send(partial, ascii("PROXY TCP4 203.0"));
            assertThat(Wire.closedByPeer(silent)).isTrue();
            assertThat(Wire.closedByPeer(partial)).isTrue();
            server.awaitMetric(CLOSED_PROXY_PROTOCOL, 2.0);
        }
    }

    @Test
    void whenOffAHeaderIsJustBytes() throws Exception {
        try (TestServer server = TestServer.start();
                Socket client = Wire.connect(server.address())) {
            String header = "PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000";
            assertThat(Wire.roundTrip(client, header)).isEqualTo(header);
            assertThat(server.metric(CLOSED_PROXY_PROTOCOL)).isZero();
        }
    }

    /** A v2 PROXY header for a TCP client {@code source:port} to {@code destination:7000}. */
    private static byte[] v2Proxy(InetAddress source, int port, InetAddress destination) {
        boolean v4 = source.getAddress().length == 4;
        ByteBuffer addresses = ByteBuffer.allocate(v4 ? 12 : 36);
        addresses.put(source.getAddress()).put(destination.getAddress());
        addresses.putShort((short) port).putShort((short) 7000);
        return v2Header(0x21, v4 ? 0x11 : 0x21, addresses.array());
    }

    /** The v2 signature, version/command, family/transport, then {@code body} with its length. */
    private static byte[] v2Header(int versionCommand, int familyTransport, byte[] body) {
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        return ByteBuffer.allocate(16 + body.length)
                .put(signature)
                .put((byte) versionCommand)
                .put((byte) familyTransport)
                .putShort((short) body.length)
                .put(body)
                .array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void send(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }
}
