package io.tcpfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Writes core/v1 Events on a TcpService so `kubectl describe tcps` tells the story. */
final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private EventRecorder() {}

    static void normal(KubernetesClient client, TcpService tcps, String reason, String message) {
        record(client, tcps, "Normal", reason, message);
    }

    static void record(KubernetesClient client, TcpService tcps, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(tcps.getMetadata().getName() + "."
                        + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                .withNamespace(tcps.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(tcps.getApiVersion())
                .withKind(tcps.getKind())
                .withName(tcps.getMetadata().getName())
                .withNamespace(tcps.getMetadata().getNamespace())
                .withUid(tcps.getMetadata().getUid())
                .withResourceVersion(tcps.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(TcpServiceResources.OPERATOR_NAME)
                .endSource()
                .withReportingComponent(TcpServiceResources.OPERATOR_NAME)
                .withReportingInstance(TcpServiceResources.OPERATOR_NAME)
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(tcps.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: losing one must never fail a reconcile.
            LOG.warnf(
                    "could not record %s event %s on %s/%s: %s",
                    type,
                    reason,
                    tcps.getMetadata().getNamespace(),
                    tcps.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
