package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet of tcpfleet servers: a drained, monitored, disruption-protected Deployment. */
// The status schema's list type and defaults, which the generator has no annotation for.
@SchemaCustomizer(value = StatusSchema.class, input = "")
@Group(TcpService.GROUP)
@Version(TcpService.VERSION)
@ShortNames("tcps")
@Categories("tcpfleet")
@AdditionalPrinterColumn(
        name = "Replicas",
        jsonPath = ".spec.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Desired server pods (spec.replicas).")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Server pods that are Ready (status.readyReplicas).")
@AdditionalPrinterColumn(
        name = "Handler",
        jsonPath = ".spec.handler",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Connection handler: echo, proxy or a plugin (spec.handler).")
@AdditionalPrinterColumn(
        name = "Port",
        jsonPath = ".spec.port",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "TCP port of the pods and the Service (spec.port).")
@AdditionalPrinterColumn(
        name = "Status",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Reason of the Ready condition, e.g. AllReplicasReady.")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "Time since the TcpService was created.")
// -o wide only (priority 1): what a reader looks at next, as kubectl get deployments -o wide does.
@AdditionalPrinterColumn(
        name = "Updated",
        jsonPath = ".status.updatedReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1,
        getDescription = "Server pods running the current pod template; below Replicas during a rollout.")
@AdditionalPrinterColumn(
        name = "Degraded",
        jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "Reason of the Degraded condition: AsExpected, or why the fleet is failing.")
@AdditionalPrinterColumn(
        name = "Endpoint",
        jsonPath = ".status.endpoint",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "In-cluster address of the Service, <name>.<namespace>.svc:<port>.")
@AdditionalPrinterColumn(
        name = "Image",
        jsonPath = ".spec.image",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "Server image (spec.image); empty means the operator's default server image.")
@JsonClassDescription("A fleet of tcpfleet TCP servers. The operator runs it as a Deployment whose pods drain their"
        + " connections before they stop, a Service, a metrics Service, a PodDisruptionBudget and, when the"
        + " Prometheus Operator is installed, a ServiceMonitor and a PrometheusRule. Users write spec; the"
        + " operator writes status.")
// The name becomes the children's names: the Services' (DNS-1035 labels) bound it.
@ValidationRule(value = KubernetesSyntax.NAME_RULE, message = KubernetesSyntax.NAME_MESSAGE)
public class TcpService extends CustomResource<TcpServiceSpec, TcpServiceStatus> implements Namespaced {

    public static final String GROUP = "tcpfleet.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected TcpServiceSpec initSpec() {
        return new TcpServiceSpec();
    }
}
