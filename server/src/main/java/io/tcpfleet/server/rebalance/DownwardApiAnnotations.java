package io.tcpfleet.server.rebalance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file the kubelet writes for a downward API volume item of {@code metadata.annotations}: one
 * {@code key="value"} per line, sorted by key, each value quoted as Go's {@code strconv.Quote} does.
 */
final class DownwardApiAnnotations {

    private DownwardApiAnnotations() {}

    /** Key to value; a line that is not {@code key="..."} is an {@link IllegalArgumentException} naming it. */
    static Map<String, String> parse(String text) {
        Map<String, String> annotations = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.length() < eq + 3 || line.charAt(eq + 1) != '"' || !line.endsWith("\"")) {
                throw new IllegalArgumentException("line " + lineNumber + " is not key=\"value\"");
            }
            annotations.put(line.substring(0, eq), unquote(line.substring(eq + 2, line.length() - 1), lineNumber));
        }
        return annotations;
    }

    /** The inside of a Go double-quoted string literal, its escapes undone (bytes as UTF-8). */
    private static String unquote(String quoted, int lineNumber) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(quoted.length());
        for (int i = 0; i < quoted.length(); ) {
            char c = quoted.charAt(i++);
            if (c == '"') {
                throw new IllegalArgumentException("line " + lineNumber + " has an unescaped quote");
            }
            if (c != '\\') {
                int end = Character.isHighSurrogate(c) && i < quoted.length() ? i + 1 : i;
                utf8(bytes, quoted.substring(i - 1, end));
                i = end;
                continue;
            }
            if (i >= quoted.length()) {
                throw new IllegalArgumentException("line " + lineNumber + " ends in a backslash");
            }
            char e = quoted.charAt(i++);
            switch (e) {
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(11);
                case '\\', '"', '\'' -> bytes.write(e);
                case 'x' -> {
                    bytes.write(hex(quoted, i, 2, lineNumber));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int digits = e == 'u' ? 4 : 8;
                    utf8(bytes, new String(Character.toChars(hex(quoted, i, digits, lineNumber))));
                    i += digits;
                }
                default -> {
                    if (e < '0' || e > '7' || i + 2 > quoted.length()) {
                        throw new IllegalArgumentException("line " + lineNumber + " has an unknown escape \\" + e);
                    }
                    bytes.write(Integer.parseInt(quoted.substring(i - 1, i + 2), 8));
                    i += 2;
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String s, int from, int digits, int lineNumber) {
        try {
            return Integer.parseUnsignedInt(s.substring(from, from + digits), 16);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("line " + lineNumber + " has a bad hex escape");
        }
    }

    private static void utf8(ByteArrayOutputStream bytes, String s) {
        bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
