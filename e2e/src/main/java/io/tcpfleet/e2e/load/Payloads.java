package io.tcpfleet.e2e.load;

import java.nio.charset.StandardCharsets;

/**
 * Request bodies that identify themselves: connection id and sequence number first, then bytes
 * derived from both, so a byte from another request, another connection or a shifted stream is
 * caught. Line-protocol bodies use only hex digits and end with a newline.
 */
final class Payloads {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Payloads() {}

    static byte[] request(int connectionId, long seq, int size, boolean line) {
        byte[] body = new byte[size];
        if (line) {
            String head = String.format("%08x%016x", connectionId, seq);
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < size - 1; i++) {
                body[i] = i < h.length ? h[i] : HEX[(int) ((seq * 31 + i * 7L + connectionId) & 0xf)];
            }
            body[size - 1] = '\n';
            return body;
        }
        for (int i = 0; i < 4; i++) {
            body[i] = (byte) (connectionId >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            body[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        for (int i = 12; i < size; i++) {
            body[i] = (byte) (seq * 31 + i * 7L + connectionId);
        }
        return body;
    }
}
