package io.tcpfleet.e2e.argocd;

import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs deploy/argocd/health-tcpservice.lua with the real Lua 5.1 interpreter, inside a harness
 * that gives it only what Argo CD's gopher-lua sandbox gives (base, table, os.time/os.date).
 */
final class ArgoHealth {

    static final Path SCRIPT = RepoPaths.resolve("deploy/argocd/health-tcpservice.lua");

    /** What Argo CD would show for one object. */
    record Health(String status, String message) {}

    private ArgoHealth() {}

    static Health of(Path objectJson) {
        String out = run(SCRIPT, objectJson).requireSuccess().stdout();
        List<String> lines = List.of(out.split("\n", -1));
        return new Health(lines.get(0), lines.get(1));
    }

    /** The harness run as is: for scripts that are expected to fail. */
    static Processes.Result run(Path script, Path objectJson) {
        return Processes.run(
                List.of("lua5.1", resource("run-health.lua").toString(), script.toString(), objectJson.toString()));
    }

    static Path resource(String name) {
        try {
            return Path.of(ArgoHealth.class.getResource("/argocd/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource argocd/" + name + " is missing", e);
        }
    }
}
