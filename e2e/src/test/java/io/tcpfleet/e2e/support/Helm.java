package io.tcpfleet.e2e.support;

import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The helm that e2e/tools/build.sh builds from the pinned module (make tools), run on charts/tcpfleet. */
public final class Helm {

    public static final String CHART = "charts/tcpfleet";

    private Helm() {}

    /** The binary; an AssertionError (a failure, never a skip) when it has not been built. */
    public static Path binary() {
        Path helm = RepoPaths.resolve("e2e/tools/bin/helm");
        if (!Files.isExecutable(helm)) {
            throw new AssertionError(
                    helm + " is missing: build it with `make tools` (bash e2e/tools/build.sh); make test does");
        }
        return helm;
    }

    /** Runs helm with args, in the repository root's terms (chart paths relative to it). */
    public static Processes.Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(args);
        // No user config or cache of this machine's helm leaks into the tests.
        Path home = RepoPaths.resolve("e2e/target/helm-home");
        return Processes.run(
                command,
                Map.of(
                        "HELM_CONFIG_HOME", home.resolve("config").toString(),
                        "HELM_CACHE_HOME", home.resolve("cache").toString(),
                        "HELM_DATA_HOME", home.resolve("data").toString()),
                120);
    }

    /** {@code helm template} of the chart into namespace, with extra args (e.g. --set), parsed. */
    public static Manifests template(String namespace, String... args) {
        return Manifests.parse(render(namespace, args).requireSuccess().stdout());
    }

    /** {@code helm template} of the chart into namespace, with extra args, as it exited. */
    public static Processes.Result render(String namespace, String... args) {
        List<String> command = new ArrayList<>(
                List.of("template", "tcpfleet", RepoPaths.resolve(CHART).toString(), "--namespace", namespace));
        command.addAll(List.of(args));
        return run(command);
    }
}
