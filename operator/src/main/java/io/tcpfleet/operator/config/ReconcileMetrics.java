package io.tcpfleet.operator.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconcile metrics (reconciliations started/succeeded/failed, execution time, queue, per
 * namespace) on /q/metrics. QOSDK looks up a Metrics bean when it builds the operator configuration;
 * its own binder registers too late for that here (nothing reached the registry), so we produce one.
 */
public class ReconcileMetrics {

    @Produces
    @Singleton
    Metrics reconcileMetrics(MeterRegistry registry) {
        return new MicrometerMetricsV2.MicrometerMetricsV2Builder(registry)
                .withNamespaceAsTag()
                .build();
    }
}
