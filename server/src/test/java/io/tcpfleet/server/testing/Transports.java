package io.tcpfleet.server.testing;

import io.tcpfleet.server.transport.Transport;

/** A transport chosen as an operator chooses it: {@code -Dtcpfleet.transport}. */
public final class Transports {

    private Transports() {}

    /** What {@link Transport#detect()} picks when {@code name} is asked for. */
    public static synchronized Transport asked(String name) {
        String before = System.getProperty(Transport.TRANSPORT_PROPERTY);
        System.setProperty(Transport.TRANSPORT_PROPERTY, name);
        try {
            return Transport.detect();
        } finally {
            if (before == null) {
                System.clearProperty(Transport.TRANSPORT_PROPERTY);
            } else {
                System.setProperty(Transport.TRANSPORT_PROPERTY, before);
            }
        }
    }
}
