package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet of tcpfleet servers: a drained, monitored, disruption-protected Deployment. */
@Group(TcpService.GROUP)
@Version(TcpService.VERSION)
@ShortNames("tcps")
@Categories("tcpfleet")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Handler", jsonPath = ".spec.handler", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Port", jsonPath = ".spec.port", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Status",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
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
