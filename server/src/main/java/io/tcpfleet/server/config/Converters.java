package io.tcpfleet.server.config;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters: each refuses a bad value with a message that quotes it. */
final class Converters {

    private Converters() {}

    static int parseInt(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    static int inRange(String value, int min, int max) {
        int n = parseInt(value);
        if (n < min || n > max) {
            throw new TypeConversionException("'" + value + "' is not in " + min + "-" + max);
        }
        return n;
    }

    static Duration duration(String value) {
        return parsed(value, GoDuration::parse);
    }

    /** {@code parse(value)}, with its IllegalArgumentException turned into picocli's refusal. */
    private static <T> T parsed(String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A whole number in {@code [min, max]}; picocli makes converters by class, hence a subclass per range. */
    abstract static class IntRange implements ITypeConverter<Integer> {
        private final int min;
        private final int max;

        IntRange(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String value) {
            return inRange(value, min, max);
        }
    }

    /** TCP ports for listeners; 0 asks the kernel for a free one (tests use it). */
    static final class ListenPort extends IntRange {
        ListenPort() {
            super(0, 65535);
        }
    }

    static final class Positive extends IntRange {
        Positive() {
            super(1, Integer.MAX_VALUE);
        }
    }

    /** Netty's executors hold at least 16 pending tasks, whatever they are told. */
    static final class QueueSize extends IntRange {
        QueueSize() {
            super(16, Integer.MAX_VALUE);
        }
    }

    static final class NonNegative extends IntRange {
        NonNegative() {
            super(0, Integer.MAX_VALUE);
        }
    }

    /** TCP_KEEPCNT: Linux accepts 1-127. */
    static final class KeepaliveCount extends IntRange {
        KeepaliveCount() {
            super(1, 127);
        }
    }

    /** --max-connection-age-jitter: beyond 50 % a connection could be asked to go at once. */
    static final class AgeJitter extends IntRange {
        AgeJitter() {
            super(0, 50);
        }
    }

    /** A duration where 0 means "never" or "none". */
    static final class NonNegativeDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = duration(value);
            if (d.isZero()) {
                throw new TypeConversionException("'" + value + "' must be more than 0");
            }
            return d;
        }
    }

    /** TCP keepalive timers are whole seconds in the kernel (TCP_KEEPIDLE, TCP_KEEPINTVL: 1-32767). */
    static final class KeepaliveSeconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = duration(value);
            if (d.toNanosPart() != 0 || d.toSeconds() < 1 || d.toSeconds() > 32767) {
                throw new TypeConversionException("'" + value + "' must be whole seconds from 1s to 32767s");
            }
            return d;
        }
    }

    static final class Upstream implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            return parsed(value, HostPort::parse);
        }
    }

    /** Listener addresses are IP literals (or localhost): no DNS look-up decides where we listen. */
    static final class BindAddress implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.equals("localhost") || NetUtil.isValidIpV4Address(value) || NetUtil.isValidIpV6Address(value)) {
                return value;
            }
            throw new TypeConversionException("'" + value + "' is not an IP address");
        }
    }

    /** The lowest TLS version the data port accepts; SSLv3, TLS 1.0 and 1.1 are not offered (RFC 8996). */
    static final class TlsVersion implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("TLSv1.2") && !value.equals("TLSv1.3")) {
                throw new TypeConversionException("'" + value + "' is not TLSv1.2 or TLSv1.3");
            }
            return value;
        }
    }

    /** The upstream's name for SNI and certificate checks: a DNS name or an IP literal, nothing else. */
    static final class ServerName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (NetUtil.isValidIpV4Address(value)
                    || NetUtil.isValidIpV6Address(value)
                    || value.matches(
                            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
                return value;
            }
            throw new TypeConversionException("'" + value + "' is not a DNS name or an IP address");
        }
    }

    /** Handler names: echo, proxy or a plugin name (checked against the loaded plugins later). */
    static final class HandlerName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
                throw new TypeConversionException(
                        "'" + value + "' is not a handler name (lower-case letters, digits, . _ -)");
            }
            return value;
        }
    }
}
