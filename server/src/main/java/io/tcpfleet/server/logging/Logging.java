package io.tcpfleet.server.logging;

import io.tcpfleet.server.config.LogLevel;
import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends every java.util.logging record (ours and Netty's, which logs through JUL when no SLF4J is
 * present) as JSON lines to stdout. Netty's own chatter stays at info unless trace is asked for.
 */
public final class Logging {

    private Logging() {}

    public static void configure(LogLevel level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.addHandler(new StdoutHandler(System.out, level.julLevel()));
        setLevel(level);
    }

    /**
     * Changes the level at runtime ({@code PUT /debug/log-level}): the root logger, its handlers and
     * Netty's loggers, as {@link #configure} set them. Returns the level in force before.
     */
    public static synchronized LogLevel setLevel(LogLevel level) {
        Logger root = Logger.getLogger("");
        LogLevel before = asLogLevel(root.getLevel());
        root.setLevel(level.julLevel());
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level.julLevel());
        }
        Logger.getLogger("io.netty")
                .setLevel(
                        level == LogLevel.trace
                                ? Level.FINEST
                                : level.julLevel().intValue() > Level.INFO.intValue() ? level.julLevel() : Level.INFO);
        return before;
    }

    /** The {@link LogLevel} nearest to {@code jul} at or below it (info when unset). */
    private static LogLevel asLogLevel(Level jul) {
        int value = jul == null ? Level.INFO.intValue() : jul.intValue();
        LogLevel nearest = LogLevel.trace;
        for (LogLevel candidate : LogLevel.values()) {
            if (candidate.julLevel().intValue() <= value
                    && candidate.julLevel().intValue() >= nearest.julLevel().intValue()) {
                nearest = candidate;
            }
        }
        return nearest;
    }

    static final class StdoutHandler extends Handler {
        private final PrintStream out;

        StdoutHandler(PrintStream out, Level level) {
            this.out = out;
            setLevel(level);
            setFormatter(new JsonFormatter());
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                out.print(getFormatter().format(record));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
