package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /debug admin routes over real loopback sockets. */
class DebugAdminIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void threadDumpShowsEveryEventLoopWithFullStacks() throws Exception {
        HttpResponse<String> dump = send("GET", "/debug/threads", "");
        assertThat(dump.statusCode()).isEqualTo(200);
        assertThat(dump.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(dump.body())
                .contains("\"tcpfleet-admin", "\"tcpfleet-io", "\tat ")
                .contains("io.netty.channel");
        assertThat(send("POST", "/debug/threads", "").statusCode()).isEqualTo(405);
    }

    @Test
    void profileReturnsAReadableJfrFileAndLeavesNothingInTmp() throws Exception {
        HttpResponse<byte[]> profile =
                HTTP.send(request("POST", "/debug/profile?seconds=1", ""), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(profile.headers().firstValue("content-disposition"))
                .hasValueSatisfying(
                        d -> assertThat(d).matches("attachment; filename=\"tcpfleet-profile-[0-9TZ]+\\.jfr\""));
        Path copy = Files.createTempFile("debug-it-", ".jfr");
        try {
            Files.write(copy, profile.body());
            assertThat(RecordingFile.readAllEvents(copy))
                    .hasSizeGreaterThan(10)
                    .extracting(e -> e.getEventType().getName())
                    .contains("jdk.JVMInformation");
        } finally {
            Files.delete(copy);
        }
        Awaitility.await("profile file deleted").atMost(Duration.ofSeconds(30)).until(() -> leftoverProfiles() == 0);
    }

    @Test
    void aSecondProfileWhileOneRecordsIsAConflictAndBadDurationsAreRefused() throws Exception {
        for (String bad : new String[] {"0", "61", "-1", "ten", ""}) {
            HttpResponse<String> refused = send("POST", "/debug/profile?seconds=" + bad, "");
            assertThat(refused.statusCode()).as("seconds=" + bad).isEqualTo(400);
            assertThat(refused.body()).contains("seconds must be an integer 1..60");
        }
        assertThat(send("POST", "/debug/profile", "").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/debug/profile?seconds=1", "").statusCode()).isEqualTo(405);

        CompletableFuture<HttpResponse<byte[]>> first = HTTP.sendAsync(
                request("POST", "/debug/profile?seconds=3", ""), HttpResponse.BodyHandlers.ofByteArray());
        Awaitility.await("first recording running")
                .atMost(Duration.ofSeconds(30))
                .until(DebugAdminIT::recordingRuns);
        HttpResponse<String> second = send("POST", "/debug/profile?seconds=1", "");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(first.get().body().length).isPositive();
        // The admin port kept answering while the recording ran, and the next recording is allowed again.
        assertThat(send("GET", "/health/live", "").statusCode()).isEqualTo(200);
        assertThat(HTTP.send(request("POST", "/debug/profile?seconds=1", ""), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void logLevelChangesAtRuntimeFromBodyOrQueryAndRefusesUnknownLevels() throws Exception {
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        try {
            HttpResponse<String> debug = send("PUT", "/debug/log-level", "debug\n");
            assertThat(debug.statusCode()).isEqualTo(200);
            assertThat(debug.body()).startsWith("log level debug (was ");
            assertThat(root.getLevel()).isEqualTo(Level.FINE);
            assertThat(root.getHandlers())
                    .allSatisfy(h -> assertThat(h.getLevel()).isEqualTo(Level.FINE));

            assertThat(send("PUT", "/debug/log-level?level=WARN", "").body()).isEqualTo("log level warn (was debug)\n");
            assertThat(root.getLevel()).isEqualTo(Level.WARNING);

            HttpResponse<String> bad = send("PUT", "/debug/log-level", "loud");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("[error, warn, info, debug, trace]", "'loud'");
            assertThat(root.getLevel()).isEqualTo(Level.WARNING);
            assertThat(send("POST", "/debug/log-level", "info").statusCode()).isEqualTo(405);
        } finally {
            send("PUT", "/debug/log-level", "info");
            root.setLevel(before);
        }
    }

    @Test
    void unknownDebugPathsAre404() throws Exception {
        assertThat(send("GET", "/debug/heap", "").statusCode()).isEqualTo(404);
    }

    private static boolean recordingRuns() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream()
                .anyMatch(r -> r.getName().equals("tcpfleet-debug-profile") && r.getState() == RecordingState.RUNNING);
    }

    private static long leftoverProfiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("tcpfleet-profile-"))
                    .count();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.admin().getPort() + path))
                .timeout(Duration.ofSeconds(90))
                .method(
                        method,
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
