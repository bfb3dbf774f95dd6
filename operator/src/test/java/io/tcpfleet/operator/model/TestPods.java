package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Fleet pods in the states the kubelet and the scheduler report, as their status reads in the API. */
public final class TestPods {

    private TestPods() {}

    public static Pod ready(String name) {
        return pod(
                name,
                "Running",
                "True",
                new ContainerStatusBuilder()
                        .withName("server")
                        .withReady(true)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2026-01-01T10:00:00Z")
                        .endRunning()
                        .endState()
                        .build());
    }

    public static Pod starting(String name) {
        return waiting(name, "ContainerCreating", null);
    }

    public static Pod waiting(String name, String reason, String message) {
        return pod(
                name,
                "Pending",
                "False",
                new ContainerStatusBuilder()
                        .withName("server")
                        .withReady(false)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .build());
    }

    public static Pod crashLooping(String name, int exitCode, String terminationMessage) {
        return pod(
                name,
                "Running",
                "False",
                new ContainerStatusBuilder()
                        .withName("server")
                        .withReady(false)
                        .withRestartCount(3)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container=server pod=" + name)
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason("Error")
                        .withMessage(terminationMessage)
                        .endTerminated()
                        .endLastState()
                        .build());
    }

    /** Running again after restarts, not ready yet: between two crashes of a crash loop, or after one OOM kill. */
    public static Pod restarted(String name, int restarts, int exitCode, String reason) {
        return pod(
                name,
                "Running",
                "False",
                new ContainerStatusBuilder()
                        .withName("server")
                        .withReady(false)
                        .withRestartCount(restarts)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2026-01-01T10:00:00Z")
                        .endRunning()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(reason)
                        .endTerminated()
                        .endLastState()
                        .build());
    }

    public static Pod unschedulable(String name, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("apps")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .endCondition()
                .endStatus()
                .build();
    }

    private static Pod pod(String name, String phase, String ready, ContainerStatus container) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("apps")
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .addToContainerStatuses(container)
                .endStatus()
                .build();
    }
}
