package io.tcpfleet.operator.api.v1alpha1;

/** The one duration syntax of the API: Go form with whole numbers (250ms, 30s, 5m, 1h30m), or 0. */
public final class Durations {

    /** Schema pattern for every duration field: whole numbers only, a subset of what the server parses. */
    public static final String PATTERN = "^(0|([0-9]+(ms|s|m|h))+)$";

    /**
     * CEL: the duration fits 64-bit nanoseconds, as the server (and the operator's grace period) needs.
     * CEL parses it as Go does, with the same bound, and fails the evaluation beyond it.
     */
    public static final String FITS_RULE = "self == '0' || duration(self) >= duration('0s')";

    public static final String FITS_MESSAGE = "must be at most 2562047h (64-bit nanoseconds)";

    /**
     * A scrape interval as a ServiceMonitor takes it: units in the order h, m, s, ms, each at most once.
     * The digit counts keep it under 1.5 million hours.
     */
    public static final String ORDERED_PATTERN = "^(0"
            + "|[0-9]{1,6}h([0-9]{1,7}m)?([0-9]{1,9}s)?([0-9]{1,10}ms)?"
            + "|[0-9]{1,7}m([0-9]{1,9}s)?([0-9]{1,10}ms)?"
            + "|[0-9]{1,9}s([0-9]{1,10}ms)?"
            + "|[0-9]{1,10}ms)$";

    /** TCP keepalive timers: the kernel takes whole seconds (1-32767), so no ms and no 0. */
    public static final String WHOLE_SECONDS_PATTERN = "^([0-9]+(s|m|h))+$";

    /** CEL bound for keepalive timers, matching the server's --keepalive-idle/-interval. */
    public static final String KEEPALIVE_RULE =
            "duration(self) >= duration('1s') && duration(self) <= duration('32767s')";

    /** CEL: the duration is more than zero. */
    public static final String POSITIVE_RULE = "duration(self) > duration('0s')";

    private Durations() {}
}
