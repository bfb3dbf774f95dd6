package io.tcpfleet.operator.api.v1alpha1;

/** The one duration syntax of the API: Go form with whole numbers (250ms, 30s, 5m, 1h30m), or 0. */
public final class Durations {

    /** Schema pattern for every duration field; the server parses exactly this form. */
    public static final String PATTERN = "^(0|([0-9]+(ms|s|m|h))+)$";

    private Durations() {
    }
}
