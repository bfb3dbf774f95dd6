package io.tcpfleet.server.logging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A thin structured front for java.util.logging: {@code log.info("listening", "port", 7000)}.
 * Callers on hot paths check {@link #isDebugEnabled()} first so nothing is built when it is off.
 */
public final class Log {

    private final Logger logger;

    private Log(Logger logger) {
        this.logger = logger;
    }

    public static Log get(Class<?> type) {
        return new Log(Logger.getLogger(type.getName()));
    }

    public boolean isDebugEnabled() {
        return logger.isLoggable(Level.FINE);
    }

    public void debug(String message, Object... fields) {
        log(Level.FINE, message, null, fields);
    }

    public void info(String message, Object... fields) {
        log(Level.INFO, message, null, fields);
    }

    public void warn(String message, Object... fields) {
        log(Level.WARNING, message, null, fields);
    }

    public void warn(String message, Throwable error, Object... fields) {
        log(Level.WARNING, message, error, fields);
    }

    public void error(String message, Throwable error, Object... fields) {
        log(Level.SEVERE, message, error, fields);
    }

    private void log(Level level, String message, Throwable error, Object[] fields) {
        if (!logger.isLoggable(level)) {
            return;
        }
        StructuredRecord record = new StructuredRecord(level, message, fields);
        record.setLoggerName(logger.getName());
        record.setThrown(error);
        logger.log(record);
    }
}
