package io.tcpfleet.operator.config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Before the operator starts: can the leader-election Lease be written where it goes? A missing
 * namespace or missing rights never heal by retrying, and the Lease client would retry them for ever
 * with a stack trace each time while nothing reconciles. So say it once, in one line naming the
 * namespace and the setting, and exit 1: a pod goes to CrashLoopBackOff with that line as its
 * termination message, and a fixed setting (or a created namespace) takes effect at the next start.
 */
@Singleton
public class LeaseNamespaceCheck {

    static final int EXIT_CODE = 1;
    /** Where the kubelet reads a container's termination message from (the Pod default). */
    private static final Path TERMINATION_LOG = Path.of("/dev/termination-log");

    private static final Logger LOG = Logger.getLogger(LeaseNamespaceCheck.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final QuarkusConfigurationService operatorSdk;

    LeaseNamespaceCheck(KubernetesClient client, OperatorConfig config, QuarkusConfigurationService operatorSdk) {
        this.client = client;
        this.config = config;
        this.operatorSdk = operatorSdk;
    }

    /** Before QOSDK's own startup observer (priority 3123), which starts the operator. */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        if (operatorSdk.getLeaderElectionConfiguration().isEmpty()) { // off, or not the prod profile: no Lease
            return;
        }
        problem().ifPresent(message -> {
            LOG.error(message);
            writeTerminationMessage(message);
            // Not System.exit: from a startup observer it waits for Quarkus's shutdown hook, which waits
            // for the startup to finish. Nothing has started that needs stopping.
            Runtime.getRuntime().halt(EXIT_CODE);
        });
    }

    /** Why the Lease cannot be written, or empty (other failures are left to the Lease client's retries). */
    Optional<String> problem() {
        String namespace = config.namespace();
        Lease probe = new LeaseBuilder()
                .withNewMetadata()
                .withName(LeaderElection.LEASE_NAME)
                .withNamespace(namespace)
                .endMetadata()
                .build();
        try {
            client.resource(probe).dryRun().create();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return describe(namespace, e);
        }
    }

    static Optional<String> describe(String namespace, KubernetesClientException e) {
        String fix = "set tcpfleet.operator.namespace (env TCPFLEET_OPERATOR_NAMESPACE; in a pod POD_NAMESPACE) to"
                + " the operator's namespace, or run a single operator without leader election with"
                + " tcpfleet.operator.leader-election=false (env TCPFLEET_OPERATOR_LEADER_ELECTION=false)";
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
            return Optional.of("leader election cannot start: namespace '" + namespace + "' (where the Lease "
                    + LeaderElection.LEASE_NAME + " goes) does not exist; " + fix);
        }
        if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
            return Optional.of("leader election cannot start: not allowed to create Leases in namespace '"
                    + namespace
                    + "' (the Role tcpfleet-operator-leader-election grants it in the operator's namespace); "
                    + fix);
        }
        return Optional.empty();
    }

    private static void writeTerminationMessage(String message) {
        if (Files.isWritable(TERMINATION_LOG)) {
            try {
                Files.writeString(TERMINATION_LOG, message, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // the log line already says it
            }
        }
    }
}
