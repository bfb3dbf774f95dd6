package io.tcpfleet.server.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code message}, the fields of
 * a {@link StructuredRecord}, and {@code error} with the stack trace when there is one.
 */
public final class JsonFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"ts\":\"")
                .append(Instant.ofEpochMilli(record.getMillis()))
                .append('"');
        field(out, "level", levelName(record.getLevel()));
        field(out, "logger", record.getLoggerName());
        field(out, "message", formatMessage(record));
        if (record instanceof StructuredRecord) {
            Object[] fields = ((StructuredRecord) record).fields();
            for (int i = 0; i + 1 < fields.length; i += 2) {
                Object value = fields[i + 1];
                if (value instanceof Number || value instanceof Boolean) {
                    out.append(",\"");
                    escape(out, String.valueOf(fields[i]));
                    out.append("\":").append(value);
                } else {
                    field(out, String.valueOf(fields[i]), String.valueOf(value));
                }
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(out, "error", trace.toString());
        }
        return out.append("}\n").toString();
    }

    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        if (v >= Level.FINE.intValue()) {
            return "debug";
        }
        return "trace";
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(",\"");
        escape(out, name);
        out.append("\":\"");
        escape(out, value == null ? "" : value);
        out.append('"');
    }

    static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
    }
}
