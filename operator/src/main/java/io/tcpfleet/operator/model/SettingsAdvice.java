package io.tcpfleet.operator.model;

import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.server.config.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings that admission accepts, each valid alone, that will hurt together or on a common platform.
 * They are warnings, not refusals: the operator cannot know the load balancer or autoscaler in front of
 * the fleet, only that a usual one would break it. Reported as the SettingsWarning condition and an Event.
 */
public final class SettingsAdvice {

    /** AWS Network Load Balancer's idle timeout for TCP flows, fixed: an idle flow is dropped without a RST. */
    static final Duration LOAD_BALANCER_IDLE_TIMEOUT = Duration.ofSeconds(350);

    /** cluster-autoscaler's --max-graceful-termination-sec default: a node scale-down stops waiting there. */
    static final long AUTOSCALER_MAX_GRACE_SECONDS = 600;

    public record Warning(String reason, String message) {}

    private SettingsAdvice() {}

    /** What will hurt, in a stable order; empty when nothing does. */
    public static List<Warning> of(EffectiveSpec spec) {
        List<Warning> warnings = new ArrayList<>();
        Duration keepaliveIdle = GoDuration.parse(spec.keepaliveIdle());
        if (spec.serviceType() == ServiceSpec.Type.LoadBalancer
                && keepaliveIdle.compareTo(LOAD_BALANCER_IDLE_TIMEOUT) >= 0) {
            warnings.add(new Warning(
                    "KeepaliveAfterLoadBalancerIdleTimeout",
                    "spec.connections.keepalive.idle " + spec.keepaliveIdle()
                            + " is at or above the idle timeout of usual cloud load balancers (AWS NLB: 350s,"
                            + " fixed): an idle connection is dropped silently before its first keepalive probe;"
                            + " use less than 350s"));
        }
        long grace = ServerDeployment.terminationGracePeriodSeconds(spec);
        if (grace > AUTOSCALER_MAX_GRACE_SECONDS) {
            warnings.add(new Warning(
                    "GracePeriodAboveAutoscalerLimit",
                    "the pods' grace period is " + grace + "s (drain.delay + connections.max / drain.closeRate"
                            + " + drain.timeout + 10s), above cluster-autoscaler's default"
                            + " --max-graceful-termination-sec of 600s: a node scale-down kills pods before their"
                            + " drain ends; raise drain.closeRate or shorten drain.timeout or drain.delay"));
        }
        Duration maxAge = GoDuration.parse(spec.maxAge());
        if (!maxAge.isZero()) {
            Duration earliest =
                    maxAge.multipliedBy(100L - spec.maxAgeJitterPercent()).dividedBy(100);
            Duration drain = Duration.ofSeconds(grace - ServerDeployment.EXIT_MARGIN_SECONDS);
            if (earliest.compareTo(drain) < 0) {
                warnings.add(new Warning(
                        "MaxAgeShorterThanDrain",
                        "spec.connections.maxAge " + spec.maxAge() + " (" + earliest.toSeconds()
                                + "s at its earliest, with the jitter) is shorter than a drain (" + drain.toSeconds()
                                + "s: delay, spread and timeout): connections are recycled faster than a pod"
                                + " can drain them, so every pod keeps a reconnect wave going; make maxAge longer"));
            }
            if (spec.maxAgeJitterPercent() == 0) {
                warnings.add(new Warning(
                        "MaxAgeWithoutJitter",
                        "spec.connections.maxAgeJitterPercent is 0: connections opened together (after a rollout"
                                + " or a restart) all reach maxAge together and reconnect in one wave; keep the"
                                + " default 10"));
            }
        }
        return warnings;
    }
}
