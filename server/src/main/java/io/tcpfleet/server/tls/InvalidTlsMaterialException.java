package io.tcpfleet.server.tls;

/** A certificate, key or CA file that cannot be used; the message says why, in one line. */
public final class InvalidTlsMaterialException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidTlsMaterialException(String message) {
        super(message);
    }
}
