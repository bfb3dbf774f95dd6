package io.tcpfleet.operator.dependent;

import java.time.Duration;
import java.time.Instant;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.DetailedCondition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;

/**
 * Activation condition of a dependent whose kind comes from an optional CRD: met once the CRD exists.
 * Unlike JOSDK's CRDPresentActivationCondition it never stops looking (a Prometheus Operator installed
 * a week later is still picked up), but asks the API server at most once per interval. The detail
 * (Boolean) lets the reconciler report the dependent as skipped.
 */
abstract class CrdPresent<R extends HasMetadata> implements DetailedCondition<R, TcpService, Boolean> {

    /** At most one CRD lookup per interval; while it is missing the reconciler comes back at this pace. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    private final String crdName;
    private volatile boolean present;
    private volatile Instant lastCheck = Instant.EPOCH;

    CrdPresent(String crdName) {
        this.crdName = crdName;
    }

    @Override
    public Result<Boolean> detailedIsMet(DependentResource<R, TcpService> dependent, TcpService tcps,
            Context<TcpService> context) {
        boolean now = check(context.getClient());
        return Result.withResult(now, now);
    }

    private synchronized boolean check(KubernetesClient client) {
        // Once present, assume it stays: removing a CRD that has live objects is an admin's deliberate act.
        if (!present && Instant.now().isAfter(lastCheck.plus(RECHECK))) {
            present = client.resources(CustomResourceDefinition.class).withName(crdName).get() != null;
            lastCheck = Instant.now();
        }
        return present;
    }
}
