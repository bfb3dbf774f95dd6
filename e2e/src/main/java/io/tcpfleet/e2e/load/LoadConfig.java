package io.tcpfleet.e2e.load;

import java.time.Duration;

/**
 * What a {@link LoadClient} does. Build from {@link #defaults()} and the {@code with*} methods.
 *
 * @param connections     connections kept open at once, one request outstanding on each
 * @param payloadBytes    bytes per request; every one is checked when it comes back
 * @param thinkMin        pause after a response, at least this long...
 * @param thinkMax        ...and at most this long (uniform). A pause over the server's drain quiet time
 *                        (1 s) gives the server a request boundary to close an idle connection at
 * @param requestTimeout  a response not complete after this long breaks the connection
 * @param connectTimeout  budget of one connect attempt
 * @param maxAttempts     sends of one request, the first included; a request still unanswered after
 *                        these is counted failed
 * @param backoffBase     first reconnect wait ceiling (full jitter, doubling)
 * @param backoffCap      largest reconnect wait ceiling
 * @param lineProtocol    requests are text lines and the connection runs the PING/PONG heartbeat
 *                        and honours a RECONNECT line (the line-protocol plugin); otherwise raw echo
 * @param heartbeat       the application heartbeat, used only with lineProtocol
 */
public record LoadConfig(
        int connections,
        int payloadBytes,
        Duration thinkMin,
        Duration thinkMax,
        Duration requestTimeout,
        Duration connectTimeout,
        int maxAttempts,
        Duration backoffBase,
        Duration backoffCap,
        boolean lineProtocol,
        Heartbeat heartbeat) {

    /**
     * The application heartbeat: a {@code PING} after {@code interval} of silence, a miss when no
     * {@code PONG} comes within {@code timeout}, the connection dropped after {@code maxMisses}.
     */
    public record Heartbeat(Duration interval, Duration timeout, int maxMisses) {
        public static Heartbeat defaults() {
            return new Heartbeat(Duration.ofSeconds(30), Duration.ofSeconds(10), 3);
        }
    }

    public LoadConfig {
        if (connections < 1 || payloadBytes < 17 || maxAttempts < 1) {
            throw new IllegalArgumentException("connections >= 1, payloadBytes >= 17 and maxAttempts >= 1 needed");
        }
        if (thinkMax.compareTo(thinkMin) < 0) {
            throw new IllegalArgumentException("thinkMax " + thinkMax + " below thinkMin " + thinkMin);
        }
    }

    public static LoadConfig defaults() {
        return new LoadConfig(
                10,
                256,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                3,
                Duration.ofMillis(20),
                Duration.ofSeconds(1),
                false,
                Heartbeat.defaults());
    }

    public LoadConfig withConnections(int n) {
        return new LoadConfig(
                n,
                payloadBytes,
                thinkMin,
                thinkMax,
                requestTimeout,
                connectTimeout,
                maxAttempts,
                backoffBase,
                backoffCap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withPayloadBytes(int n) {
        return new LoadConfig(
                connections,
                n,
                thinkMin,
                thinkMax,
                requestTimeout,
                connectTimeout,
                maxAttempts,
                backoffBase,
                backoffCap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withThink(Duration min, Duration max) {
        return new LoadConfig(
                connections,
                payloadBytes,
                min,
                max,
                requestTimeout,
                connectTimeout,
                maxAttempts,
                backoffBase,
                backoffCap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withRequestTimeout(Duration timeout) {
        return new LoadConfig(
                connections,
                payloadBytes,
                thinkMin,
                thinkMax,
                timeout,
                connectTimeout,
                maxAttempts,
                backoffBase,
                backoffCap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withMaxAttempts(int n) {
        return new LoadConfig(
                connections,
                payloadBytes,
                thinkMin,
                thinkMax,
                requestTimeout,
                connectTimeout,
                n,
                backoffBase,
                backoffCap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withBackoff(Duration base, Duration cap) {
        return new LoadConfig(
                connections,
                payloadBytes,
                thinkMin,
                thinkMax,
                requestTimeout,
                connectTimeout,
                maxAttempts,
                base,
                cap,
                lineProtocol,
                heartbeat);
    }

    public LoadConfig withLineProtocol(Heartbeat hb) {
        return new LoadConfig(
                connections,
                payloadBytes,
                thinkMin,
                thinkMax,
                requestTimeout,
                connectTimeout,
                maxAttempts,
                backoffBase,
                backoffCap,
                true,
                hb);
    }
}
