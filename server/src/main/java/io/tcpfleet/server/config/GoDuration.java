package io.tcpfleet.server.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations in the Go / Kubernetes form ({@code 250ms}, {@code 30s}, {@code 1h30m}, {@code 1.5s}),
 * the form the operator copies from the TcpService spec. A bare {@code 0} is allowed (Go allows it
 * too); negative durations are not, since no setting here has a meaning for them.
 * <p>
 * Part of the server's API for other modules (the operator checks the durations of a TcpService
 * with it): it depends on the JDK only, so the server's jar can be used without its dependencies.
 */
public final class GoDuration {

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /**
     * Parses a sequence of numbers, each with a unit ({@code ns}, {@code us} or {@code µs}, {@code ms},
     * {@code s}, {@code m}, {@code h}) and optionally a fraction: {@code 1h30m}, {@code 1.5s}.
     *
     * @throws IllegalArgumentException for anything else (no unit, a sign, more than {@code Long.MAX_VALUE}
     *     nanoseconds), with a message that quotes {@code text}
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text, "empty");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.charAt(0) == '-' || text.charAt(0) == '+') {
            throw invalid(text, "a sign is not allowed");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < text.length()) {
            int numberStart = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            String number = text.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text, "expected a number at position " + numberStart);
            }
            int unitStart = i;
            while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            String unit = text.substring(unitStart, i);
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos(text, unit))));
        }
        BigInteger whole = nanos.toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "too large");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    private static long unitNanos(String text, String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
            case "μs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                throw invalid(text, "missing unit (use ns, us, ms, s, m or h)");
            default:
                throw invalid(text, "unknown unit '" + unit + "' (use ns, us, ms, s, m or h)");
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a duration like 250ms, 30s or 1h30m: " + why);
    }
}
