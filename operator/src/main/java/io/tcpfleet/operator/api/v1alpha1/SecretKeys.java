package io.tcpfleet.operator.api.v1alpha1;

/** A key of a Secret, as the API server takes it, and a file name in the mounted Secret. */
final class SecretKeys {

    static final String DEFAULT_CA_KEY = "ca.crt";

    static final String PATTERN = "^[-._a-zA-Z0-9]+$";
    /** A key may not be '.' or '..': it is also a file name in the mounted volume. */
    static final String NOT_DOTS_RULE = "self != '.' && self != '..'";

    static final String NOT_DOTS_MESSAGE = "must not be '.' or '..'";

    private SecretKeys() {}
}
