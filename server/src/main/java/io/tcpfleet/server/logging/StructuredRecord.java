package io.tcpfleet.server.logging;

import java.util.logging.Level;
import java.util.logging.LogRecord;

/** A log record with name/value pairs that {@link JsonFormatter} writes as JSON fields. */
final class StructuredRecord extends LogRecord {
    private static final long serialVersionUID = 1L;

    private final transient Object[] fields;

    StructuredRecord(Level level, String message, Object[] fields) {
        super(level, message);
        this.fields = fields;
    }

    Object[] fields() {
        return fields;
    }
}
