package io.tcpfleet.e2e.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the harness takes from the pod template the operator wrote into the Deployment: the
 * server container's environment, its preStop command, readiness probe, ports and the pod's
 * termination grace period. Nothing here is invented; every field is read from the template.
 */
public record PodTemplate(
        String configHash,
        Map<String, String> env,
        List<String> preStop,
        Duration gracePeriod,
        String readinessPath,
        int readinessPort,
        int tcpPort) {

    public static PodTemplate of(Deployment deployment) {
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        Container c = template.getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            if (v.getValueFrom() != null) {
                throw new IllegalStateException(
                        "env " + v.getName() + " uses valueFrom: the harness has no kubelet to resolve it");
            }
            env.put(v.getName(), v.getValue());
        }
        HTTPGetAction probe = c.getReadinessProbe().getHttpGet();
        return new PodTemplate(
                template.getMetadata().getAnnotations().get("tcpfleet.io/config-hash"),
                Map.copyOf(env),
                List.copyOf(c.getLifecycle().getPreStop().getExec().getCommand()),
                Duration.ofSeconds(template.getSpec().getTerminationGracePeriodSeconds()),
                probe.getPath(),
                port(c, probe.getPort()),
                port(c, new IntOrString("tcp")));
    }

    /** A probe's port, named or numbered, as the kubelet resolves it against the container's ports. */
    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no container port named " + port.getStrVal()));
    }
}
