package io.tcpfleet.operator.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the API's duration form (whole numbers with ms, s, m, h; or 0), the same the CRD pattern allows. */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private GoDurations() {}

    public static Duration parse(String field, String text) {
        if ("0".equals(text)) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException(
                    field + ": '" + text + "' is not a duration like 250ms, 30s, 5m or 1h30m");
        }
        return total;
    }

    /** Whole seconds, rounded up: a grace period must never be shorter than the drain it covers. */
    public static long ceilSeconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }
}
