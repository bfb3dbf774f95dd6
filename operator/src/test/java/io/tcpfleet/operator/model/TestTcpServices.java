package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;

/** TcpServices as a user would write them, before any defaulting. */
public final class TestTcpServices {

    private TestTcpServices() {}

    public static TcpService named(String name) {
        TcpService tcps = new TcpService();
        tcps.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("apps")
                .withGeneration(1L)
                .build());
        tcps.setSpec(new TcpServiceSpec());
        return tcps;
    }
}
