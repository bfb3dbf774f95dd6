package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * What the generator has no annotation for in the status schema (TcpServiceStatus), at build time only (on the
 * root schema of TcpService: the generator would drop a default set on the status type itself):
 * conditions as a map list keyed by type, as the API conventions ask (server-side apply merges them by type), and
 * observedGeneration 0 until the operator writes status, so kstatus (Flux, kpt, Config Sync) reads a TcpService
 * the operator has not seen yet as InProgress rather than Current.
 */
public class StatusSchema implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
        JSONSchemaProps status = root.getProperties().get("status");
        // The API server fills in a missing status, and then its observedGeneration, whenever it reads one.
        status.setDefault(JsonNodeFactory.instance.objectNode());
        status.getProperties().get("observedGeneration").setDefault(JsonNodeFactory.instance.numberNode(0));
        JSONSchemaProps conditions = status.getProperties().get("conditions");
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        return root;
    }
}
