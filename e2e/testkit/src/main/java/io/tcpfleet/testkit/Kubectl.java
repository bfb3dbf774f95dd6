package io.tcpfleet.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl from PATH against one kubeconfig: what a user types, so what a user gets. */
public final class Kubectl {

    /** Long enough for {@code kubectl wait --timeout=180s} to give its own answer. */
    private static final long TIMEOUT_SECONDS = 300;

    private final Path kubeconfig;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** kubectl as the admin of {@link LocalCluster#shared()}. */
    public static Kubectl admin() {
        return new Kubectl(LocalCluster.shared().kubeconfig());
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Runs kubectl with args and returns its result, whatever the exit code. */
    public Processes.Result run(String... args) {
        return Processes.run(command(args), Map.of(), TIMEOUT_SECONDS);
    }

    /** The kubectl command line for args, for a process the caller runs itself (kubectl logs -f). */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs kubectl with args; fails with kubectl's own output when it exits non-zero. */
    public String ok(String... args) {
        return run(args).requireSuccess().stdout();
    }
}
