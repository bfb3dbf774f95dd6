package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Gives every node of the CRD schema a description, so {@code kubectl explain} documents all of it.
 * The generator takes descriptions only from {@code @JsonPropertyDescription} on our fields; this
 * adds what it leaves out, at build time:
 *
 * <ul>
 *   <li>the root, spec, status and list items of our own types: the class's
 *       {@code @JsonClassDescription};
 *   <li>the Kubernetes types we embed (affinity, tolerations, env, resources, ...): Kubernetes' own
 *       wording, from {@code kubernetes-descriptions.json} (refreshed by
 *       {@code operator/kubernetes-descriptions.sh} from a kube-apiserver's OpenAPI);
 *   <li>string list items and map values, which have no wording anywhere: a sentence naming their
 *       field.
 * </ul>
 *
 * A description already set is kept. A node it cannot describe stays bare, and
 * CrdDescriptionsTest names it.
 */
final class SchemaDescriptions {

    static final String KUBERNETES_DESCRIPTIONS = "kubernetes-descriptions.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode kubernetes;

    SchemaDescriptions() {
        try (InputStream in = SchemaDescriptions.class.getResourceAsStream(KUBERNETES_DESCRIPTIONS)) {
            if (in == null) {
                throw new IllegalStateException(KUBERNETES_DESCRIPTIONS + " is not on the classpath");
            }
            kubernetes = JSON.readTree(in).path("schemas");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HasMetadata process(HasMetadata crd) {
        if (crd instanceof CustomResourceDefinition v1) {
            v1.getSpec().getVersions().forEach(v -> {
                JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
                describeType(TcpService.class, root, "TcpService");
                Map<String, JSONSchemaProps> top = root.getProperties();
                describeType(TcpServiceSpec.class, top.get("spec"), "spec");
                describeType(TcpServiceStatus.class, top.get("status"), "status");
            });
        }
        return crd;
    }

    /** A node whose Java type is {@code type}, held by the field {@code name}. */
    private void describeType(Type type, JSONSchemaProps node, String name) {
        if (node == null) {
            return;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw) && node.getItems() != null) {
                JSONSchemaProps items = node.getItems().getSchema();
                describeType(args[0], items, name);
                setIfBare(items, "One element of " + name + ".");
            } else if (Map.class.isAssignableFrom(raw)
                    && node.getAdditionalProperties() != null
                    && node.getAdditionalProperties().getSchema() != null) {
                JSONSchemaProps values = node.getAdditionalProperties().getSchema();
                describeType(args[1], values, name);
                setIfBare(values, "The value of one " + name + " entry.");
            }
            return;
        }
        if (!(type instanceof Class<?> c)) {
            return;
        }
        JsonClassDescription own = c.getAnnotation(JsonClassDescription.class);
        if (own != null) {
            setIfBare(node, own.value());
        }
        if (c.getPackage() == SchemaDescriptions.class.getPackage()) {
            describeFields(c, node);
        } else if (c.getPackageName().startsWith("io.fabric8.kubernetes.api.model")
                && c != IntOrString.class
                && c != Quantity.class) {
            describeKubernetes(node, reference(kubernetesName(c)), name);
        }
    }

    private void describeFields(Class<?> c, JSONSchemaProps node) {
        if (node.getProperties() == null) {
            return;
        }
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty renamed = f.getAnnotation(JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : f.getName();
            describeType(f.getGenericType(), node.getProperties().get(name), name);
        }
    }

    /** A node that is the Kubernetes schema {@code k8s} (a property, an item, a map value). */
    private void describeKubernetes(JSONSchemaProps node, JsonNode k8s, String name) {
        JsonNode type = resolve(k8s);
        setIfBare(node, text(k8s.path("description")));
        setIfBare(node, text(type.path("description")));
        if (node.getProperties() != null) {
            node.getProperties().forEach((property, child) -> {
                JsonNode k8sProperty = type.path("properties").path(property);
                if (!k8sProperty.isMissingNode()) {
                    describeKubernetes(child, k8sProperty, property);
                }
            });
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            JSONSchemaProps items = node.getItems().getSchema();
            describeKubernetes(items, k8s.has("items") ? k8s.path("items") : type.path("items"), name);
            setIfBare(items, "One element of " + name + ".");
        }
        if (node.getAdditionalProperties() != null
                && node.getAdditionalProperties().getSchema() != null) {
            JSONSchemaProps values = node.getAdditionalProperties().getSchema();
            JsonNode k8sValues = k8s.has("additionalProperties")
                    ? k8s.path("additionalProperties")
                    : type.path("additionalProperties");
            describeKubernetes(values, k8sValues, name);
            setIfBare(values, "The value of one " + name + " entry.");
        }
    }

    /** The type a Kubernetes schema node stands for: its $ref (direct or through allOf), or itself. */
    private JsonNode resolve(JsonNode k8s) {
        String ref =
                k8s.path("$ref").asText(k8s.path("allOf").path(0).path("$ref").asText(""));
        if (ref.isEmpty()) {
            return k8s;
        }
        return kubernetes.path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private JsonNode reference(String name) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** The OpenAPI name of a fabric8 model class: the schema whose name ends with its simple name. */
    private String kubernetesName(Class<?> c) {
        for (Iterator<String> names = kubernetes.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.endsWith("." + c.getSimpleName())) {
                return name;
            }
        }
        return c.getName();
    }

    private static String text(JsonNode description) {
        return description.asText(null);
    }

    private static void setIfBare(JSONSchemaProps node, String description) {
        if (node != null
                && (node.getDescription() == null || node.getDescription().isBlank())
                && description != null
                && !description.isBlank()) {
            node.setDescription(description);
        }
    }
}
