package io.tcpfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events on a TcpService so `kubectl describe tcps` tells the story. Aggregated as client-go's
 * recorder does: a repeat of an Event this operator wrote (same TcpService, type, reason and message) raises the
 * count and lastTimestamp of the one object, which kubectl shows as "(x3 over 5m)", instead of adding another.
 * Like client-go's, the memory of recent Events is this process's: a restarted operator starts new objects.
 */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    /** As client-go's EventCorrelator (maxLruCacheEntries): the Events recently written, least recent dropped. */
    static final int REMEMBERED = 4096;

    private final String reportingInstance;
    private final Map<Key, Event> recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Event> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** What makes two Events the same one (client-go's getEventKey, less what is constant in this operator). */
    private record Key(String namespace, String name, String uid, String type, String reason, String message) {}

    public EventRecorder(String reportingInstance) {
        this.reportingInstance = reportingInstance;
    }

    /**
     * The recorder of this operator process: its pod's name (POD_NAME, from the downward API in deploy/ and the
     * chart) reports the Events, else the host name, which in a pod is the pod's name too.
     */
    public static EventRecorder ofThisProcess() {
        String pod = System.getenv("POD_NAME");
        String host = System.getenv("HOSTNAME");
        return new EventRecorder(
                pod != null && !pod.isBlank()
                        ? pod
                        : host != null && !host.isBlank() ? host : TcpServiceResources.OPERATOR_NAME);
    }

    public void normal(KubernetesClient client, TcpService tcps, String reason, String message) {
        record(client, tcps, "Normal", reason, message);
    }

    public void record(KubernetesClient client, TcpService tcps, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = tcps.getMetadata().getNamespace();
        Key key = new Key(
                namespace, tcps.getMetadata().getName(), tcps.getMetadata().getUid(), type, reason, message);
        Event before = recent.get(key);
        try {
            recent.put(
                    key,
                    before == null
                            ? create(client, event(tcps, type, reason, message, now))
                            : repeat(client, before, now));
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: losing one must never fail a reconcile.
            LOG.warnf(
                    "could not record %s event %s on %s/%s: %s",
                    type, reason, namespace, tcps.getMetadata().getName(), e.getMessage());
        }
    }

    /** One more of an Event already written: its count and lastTimestamp patched, or written anew if it expired. */
    private static Event repeat(KubernetesClient client, Event before, String now) {
        int count = before.getCount() + 1;
        try {
            // On the object we hold: by name, Fabric8 would GET it first, which the operator may not (create and
            // patch on events only).
            return client.v1()
                    .events()
                    .inNamespace(before.getMetadata().getNamespace())
                    .resource(before)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            // The API server let it expire (its event TTL, 1h by default): client-go writes it again, count kept.
            Event again = new EventBuilder(before)
                    .editMetadata()
                    .withResourceVersion(null)
                    .withUid(null)
                    .withCreationTimestamp(null)
                    .withManagedFields()
                    .endMetadata()
                    .withCount(count)
                    .withLastTimestamp(now)
                    .build();
            return create(client, again);
        }
    }

    private static Event create(KubernetesClient client, Event event) {
        return client.v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .create();
    }

    private Event event(TcpService tcps, String type, String reason, String message, String now) {
        return new EventBuilder()
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
                .withHost(reportingInstance)
                .endSource()
                .withReportingComponent(TcpServiceResources.OPERATOR_NAME)
                .withReportingInstance(reportingInstance)
                .build();
    }
}
