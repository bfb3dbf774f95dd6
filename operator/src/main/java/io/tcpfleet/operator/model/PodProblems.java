package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a fleet's pods are not Ready, as the kubelet and the scheduler tell it in the pods' status: a container
 * stuck waiting for a reason that will not pass by itself, a container that died and was restarted, or a pod no
 * node can take. Pure: pods in, the first problem out.
 */
public final class PodProblems {

    /** Waiting reasons that mean "stuck", unlike ContainerCreating or PodInitializing, which mean "on its way". */
    public static final Set<String> STUCK_REASONS = Set.of(
            "ImagePullBackOff",
            "ErrImagePull",
            "ErrImageNeverPull",
            "InvalidImageName",
            "CrashLoopBackOff",
            "CreateContainerConfigError",
            "CreateContainerError",
            "RunContainerError");
    /** The reason of a container that is not ready after a restart, told with why it last terminated. */
    public static final String CONTAINER_RESTARTED = "ContainerRestarted";

    public static final String UNSCHEDULABLE = "Unschedulable";
    /** A status message stays readable and small; a termination message alone may be 4 KiB. */
    static final int MAX_MESSAGE_LENGTH = 1024;

    /** A reason for Degraded, and a one-line message naming the pod and, where there is one, the container. */
    public record Problem(String reason, String message) {}

    private PodProblems() {}

    /** The first problem among the pods that are not Ready, the pods taken by name so the choice is stable. */
    public static Optional<Problem> first(Collection<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getName()))
                .map(PodProblems::of)
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * This pod's problem; none for a Ready pod, a pod on its way (being created, starting, probed) and a pod that
     * is going or gone (terminating, evicted): the ReplicaSet replaces those, their past is no concern of the fleet.
     */
    public static Optional<Problem> of(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null
                || isReady(status)
                || pod.getMetadata().getDeletionTimestamp() != null
                || "Succeeded".equals(status.getPhase())
                || "Failed".equals(status.getPhase())) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        // Init containers first: the main containers wait for them.
        List<ContainerStatus> containers = new ArrayList<>(status.getInitContainerStatuses());
        containers.addAll(status.getContainerStatuses());
        for (ContainerStatus c : containers) {
            Optional<Problem> problem = of(name, c);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return status.getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && UNSCHEDULABLE.equals(c.getReason()))
                .findFirst()
                .map(c -> problem(UNSCHEDULABLE, "pod " + name + ": " + UNSCHEDULABLE + detail(c.getMessage())));
    }

    private static Optional<Problem> of(String pod, ContainerStatus c) {
        String where = "pod " + pod + " container " + c.getName() + ": ";
        ContainerStateWaiting waiting =
                c.getState() == null ? null : c.getState().getWaiting();
        ContainerStateTerminated last =
                c.getLastState() == null ? null : c.getLastState().getTerminated();
        if (waiting != null && STUCK_REASONS.contains(waiting.getReason())) {
            String message = where + waiting.getReason() + detail(waiting.getMessage());
            return Optional.of(
                    problem(waiting.getReason(), last == null ? message : message + "; " + lastTermination(last)));
        }
        // A ready container's old restarts are history; a not-ready one's last end is likely why the pod is not Ready.
        if (last != null
                && c.getRestartCount() != null
                && c.getRestartCount() > 0
                && !Boolean.TRUE.equals(c.getReady())) {
            return Optional.of(problem(
                    CONTAINER_RESTARTED,
                    where + "restarted " + c.getRestartCount() + (c.getRestartCount() == 1 ? " time, " : " times, ")
                            + lastTermination(last)));
        }
        return Optional.empty();
    }

    private static boolean isReady(PodStatus status) {
        return status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** "last terminated with exit code 1 (Error): the termination message", what the container said as it died. */
    private static String lastTermination(ContainerStateTerminated t) {
        String reason = t.getReason() == null ? "" : " (" + t.getReason() + ")";
        return "last terminated with exit code " + t.getExitCode() + reason + detail(t.getMessage());
    }

    private static String detail(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    /** One line (kubectl prints conditions in a table), cut to a bounded length. */
    private static Problem problem(String reason, String message) {
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return new Problem(reason, line.length() > MAX_MESSAGE_LENGTH ? line.substring(0, MAX_MESSAGE_LENGTH) : line);
    }
}
