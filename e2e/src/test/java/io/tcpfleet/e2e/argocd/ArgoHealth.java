package io.tcpfleet.e2e.argocd;

import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TcpService health check as Argo CD runs it: e2e/tools/bin/argocd-health (built by make
 * tools from e2e/tools/argocd-health) runs health.lua in gopher-lua with Argo CD's libraries and
 * conversions, once as a built-in check and once as an argocd-cm customization.
 */
final class ArgoHealth {

    /** Argo CD's layout for built-in checks, as it would be contributed upstream. */
    static final Path CUSTOMIZATIONS = RepoPaths.resolve("deploy/argocd/resource_customizations");

    static final Path SCRIPT = CUSTOMIZATIONS.resolve("tcpfleet.io/TcpService/health.lua");

    /** What Argo CD would show for one object. */
    record Health(String status, String message) {}

    private ArgoHealth() {}

    static Health of(Path object) {
        String out = run("eval", SCRIPT.toString(), object.toString())
                .requireSuccess()
                .stdout();
        List<String> lines = List.of(out.split("\n", -1));
        return new Health(lines.get(0), lines.get(1));
    }

    /** Every health.lua under {@code customizations} against its health_test.yaml. */
    static Processes.Result test(Path customizations) {
        return run("test", customizations.toString());
    }

    private static Processes.Result run(String... args) {
        Path runner = RepoPaths.resolve("e2e/tools/bin/argocd-health");
        if (!Files.isExecutable(runner)) {
            throw new IllegalStateException(
                    runner + " is missing: build it with `make tools` (bash e2e/tools/build.sh); make test does");
        }
        List<String> command = new ArrayList<>(List.of(runner.toString()));
        command.addAll(List.of(args));
        return Processes.run(command);
    }
}
