package io.tcpfleet.server.config;

/** A setting the server refuses; the message is the one line printed before exit code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
