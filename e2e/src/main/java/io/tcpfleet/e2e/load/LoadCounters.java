package io.tcpfleet.e2e.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** What a {@link LoadClient} saw, updated by its connections while it runs. */
public final class LoadCounters {

    final LongAdder requestsOk = new LongAdder();
    final LongAdder requestsFailed = new LongAdder();
    final LongAdder requestsRetried = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder serverCloses = new LongAdder();
    final LongAdder refusals = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesVerified = new LongAdder();
    final LongAdder bytesLost = new LongAdder();
    final LongAdder corruptResponses = new LongAdder();
    final LongAdder heartbeatsOk = new LongAdder();
    final LongAdder heartbeatMisses = new LongAdder();
    final LongAdder heartbeatDrops = new LongAdder();
    final LongAdder reconnectRequests = new LongAdder();
    private final Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);

    void recordLatency(long nanos) {
        latencyMicros.recordValue(
                Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), latencyMicros.getHighestTrackableValue()));
    }

    /** A consistent-enough copy for assertions and reports (each value is read once). */
    public Snapshot snapshot() {
        Histogram h = latencyMicros.copy();
        return new Snapshot(
                requestsOk.sum(),
                requestsFailed.sum(),
                requestsRetried.sum(),
                resets.sum(),
                serverCloses.sum(),
                refusals.sum(),
                connectFailures.sum(),
                connects.sum(),
                bytesSent.sum(),
                bytesVerified.sum(),
                bytesLost.sum(),
                corruptResponses.sum(),
                heartbeatsOk.sum(),
                heartbeatMisses.sum(),
                heartbeatDrops.sum(),
                reconnectRequests.sum(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue());
    }

    /**
     * What one load run counted.
     *
     * @param requestsOk       responses that came back complete and byte-for-byte equal to the request
     * @param requestsFailed   requests given up after {@link LoadConfig#maxAttempts()} sends or a corrupt answer
     * @param requestsRetried  re-sends of an unanswered request on a new connection
     * @param resets           connections broken under a request: RST, EOF before the full answer, or timeout
     * @param serverCloses     connections the server closed cleanly while nothing was outstanding
     * @param refusals         connect attempts refused (no listener at the address)
     * @param connectFailures  other connect failures (timeouts, unreachable)
     * @param connects         connections established
     * @param bytesSent        request bytes written, re-sends included
     * @param bytesVerified    answer bytes compared equal to what was sent
     * @param bytesLost        request bytes of failed requests (never acknowledged)
     * @param corruptResponses answers that differed from the request
     * @param reconnectRequests RECONNECT lines received (line protocol, the server draining)
     */
    public record Snapshot(
            long requestsOk,
            long requestsFailed,
            long requestsRetried,
            long resets,
            long serverCloses,
            long refusals,
            long connectFailures,
            long connects,
            long bytesSent,
            long bytesVerified,
            long bytesLost,
            long corruptResponses,
            long heartbeatsOk,
            long heartbeatMisses,
            long heartbeatDrops,
            long reconnectRequests,
            long p50Micros,
            long p99Micros,
            long maxMicros) {

        /** One line for logs and docs/reliability.md. */
        public String summary() {
            return "ok=" + requestsOk + " failed=" + requestsFailed + " retried=" + requestsRetried
                    + " resets=" + resets + " serverCloses=" + serverCloses + " refusals=" + refusals
                    + " connectFailures=" + connectFailures + " connects=" + connects
                    + " bytesSent=" + bytesSent + " bytesVerified=" + bytesVerified + " bytesLost=" + bytesLost
                    + " corrupt=" + corruptResponses + " hbOk=" + heartbeatsOk + " hbMisses=" + heartbeatMisses
                    + " hbDrops=" + heartbeatDrops + " reconnectRequests=" + reconnectRequests
                    + " p50=" + p50Micros + "us p99=" + p99Micros + "us max=" + maxMicros + "us";
        }
    }
}
