package io.tcpfleet.e2e.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl against one kubeconfig: what a user types, so what a user gets. */
public final class Kubectl {

    private static final long TIMEOUT_SECONDS = 180;

    private final Path kubeconfig;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
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
