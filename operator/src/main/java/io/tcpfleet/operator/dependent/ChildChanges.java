package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The children one reconcile created or put back, told as one Event each way instead of one per child:
 * a new TcpService gets a single "Created" Event naming its Deployment, Services and PDB. The workflow
 * runs the dependents on several threads, so they record here and the reconciler tells it afterwards.
 */
public final class ChildChanges {

    private static final String KEY = ChildChanges.class.getName();

    private final Set<String> created = new TreeSet<>();
    private final Set<String> updated = new TreeSet<>();

    /** This reconcile's changes, kept in its context. */
    public static ChildChanges of(Context<TcpService> context) {
        ManagedWorkflowAndDependentResourceContext attributes = context.managedWorkflowAndDependentResourceContext();
        synchronized (attributes) {
            ChildChanges changes = attributes.get(KEY, ChildChanges.class).orElse(null);
            if (changes == null) {
                changes = new ChildChanges();
                attributes.put(KEY, changes);
            }
            return changes;
        }
    }

    synchronized void created(HasMetadata child) {
        created.add(describe(child));
    }

    synchronized void updated(HasMetadata child) {
        updated.add(describe(child));
    }

    /**
     * Hands each kind of change to {@code normalEvent} as a reason and message, and forgets them, so a later
     * call in the same reconcile repeats nothing.
     */
    public synchronized void tell(BiConsumer<String, String> normalEvent) {
        if (!created.isEmpty()) {
            normalEvent.accept("Created", "created " + String.join(", ", created));
        }
        if (!updated.isEmpty()) {
            normalEvent.accept("Updated", "updated " + String.join(", ", updated) + " to the desired state");
        }
        created.clear();
        updated.clear();
    }

    private static String describe(HasMetadata child) {
        return HasMetadata.getKind(child.getClass()) + " " + child.getMetadata().getName();
    }
}
