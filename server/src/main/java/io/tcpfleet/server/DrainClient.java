package io.tcpfleet.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@code /opt/tcpfleet/bin/drain}: asks the server in this pod, over loopback, to drain, and waits
 * for the answer (the preStop hook must not return before the drain is over). The admin port comes
 * from the first argument or {@code TCPFLEET_ADMIN_PORT}, default 9090. Exit 0 when the drain ended.
 */
public final class DrainClient {

    private DrainClient() {}

    public static void main(String[] args) throws InterruptedException {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("TCPFLEET_ADMIN_PORT", "9090");
        String host = "::1".equals(System.getenv("TCPFLEET_ADMIN_BIND")) ? "[::1]" : "127.0.0.1";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/drain"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            System.out.print(response.body());
            System.out.flush();
            // halt, not exit: the server waits for this connection to close before it exits and
            // takes the container with it; halt closes it now, with no JVM shutdown to race.
            Runtime.getRuntime().halt(response.statusCode() == 200 ? 0 : 1);
        } catch (IOException e) {
            // The server may already be gone (drained by an earlier signal): nothing left to wait for.
            System.err.println("drain: " + e.getMessage());
            System.exit(1);
        }
    }
}
