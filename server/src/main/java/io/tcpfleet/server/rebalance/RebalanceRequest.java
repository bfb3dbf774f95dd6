package io.tcpfleet.server.rebalance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of the {@code tcpfleet.io/rebalance} pod annotation, {@code <round>:<connections>:<ratePerSecond>}
 * ({@code 7:250:50}): in round {@code round}, ask {@code connections} connections to go, at most
 * {@code ratePerSecond} a second. The operator writes it; a round id is acted on once.
 */
public record RebalanceRequest(String round, int connections, int ratePerSecond) {

    /** The annotation the server reads from its downward API annotations file. */
    public static final String ANNOTATION = "tcpfleet.io/rebalance";

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9._-]{1,63}):([0-9]{1,9}):([0-9]{1,9})");

    /** The request {@code value} asks for, or an {@link IllegalArgumentException} saying in one line why not. */
    public static RebalanceRequest parse(String value) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not <round>:<connections>:<ratePerSecond>, e.g. 7:250:50");
        }
        int connections = Integer.parseInt(m.group(2));
        int rate = Integer.parseInt(m.group(3));
        if (connections < 1 || rate < 1) {
            throw new IllegalArgumentException("'" + value + "': connections and ratePerSecond must be at least 1");
        }
        return new RebalanceRequest(m.group(1), connections, rate);
    }
}
