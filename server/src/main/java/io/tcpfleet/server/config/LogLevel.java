package io.tcpfleet.server.config;

import java.util.logging.Level;

/** The {@code --log-level} values, mapped onto java.util.logging levels. */
public enum LogLevel {
    error(Level.SEVERE),
    warn(Level.WARNING),
    info(Level.INFO),
    debug(Level.FINE),
    trace(Level.FINEST);

    @SuppressWarnings("ImmutableEnumChecker") // Level is immutable, only not annotated so
    private final Level julLevel;

    LogLevel(Level julLevel) {
        this.julLevel = julLevel;
    }

    public Level julLevel() {
        return julLevel;
    }
}
