package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slims what the informers cache of a child: of {@code metadata.managedFields} only the entries of the
 * operator's own field manager stay (JOSDK's server-side-apply matcher compares the child with the desired
 * state through exactly those), and their field trees are rebuilt small: the same keys in the same order, in
 * maps sized to fit, with one shared empty map for the leaves. Deserialized as it comes from the API server,
 * the operator's own entry of a Deployment is mostly empty maps and can hold more heap than the rest of the
 * Deployment; the entries of other managers (the controller-manager's status updates) nobody here reads.
 */
final class OwnManagedFields {

    private OwnManagedFields() {}

    /** Drops the managedFields entries of other managers and compacts the rest, in place; returns the resource. */
    static <R extends HasMetadata> R keep(R resource, String manager) {
        List<ManagedFieldsEntry> entries = resource.getMetadata().getManagedFields();
        if (entries == null || entries.isEmpty()) {
            return resource;
        }
        resource.getMetadata()
                .setManagedFields(entries.stream()
                        .filter(e -> manager.equals(e.getManager()))
                        .map(OwnManagedFields::compacted)
                        .toList());
        return resource;
    }

    private static ManagedFieldsEntry compacted(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() != null) {
            FieldsV1 fields = new FieldsV1();
            fields.setAdditionalProperties(compacted(entry.getFieldsV1().getAdditionalProperties()));
            entry.setFieldsV1(fields);
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> compacted(Map<String, Object> tree) {
        if (tree.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>((int) Math.ceil(tree.size() / 0.75), 0.75f);
        tree.forEach((key, value) ->
                out.put(key, value instanceof Map<?, ?> m ? compacted((Map<String, Object>) m) : value));
        return out;
    }
}
