package io.tcpfleet.e2e.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.rollout.Fleet;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.rollout.TcpfleetReplica;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.awaitility.Awaitility;

/** What the fault scenarios share: a TcpService made by the real operator, its template, a fleet of it. */
final class Scenario {

    private Scenario() {}

    /** Applies the TcpService and returns the pod template the operator made of it. */
    static PodTemplate template(KubernetesClient client, TestNamespace ns, String yaml) {
        OperatorUnderTest.shared();
        TcpServices tcps = new TcpServices(client, ns.name());
        tcps.apply(yaml);
        return tcps.awaitTemplate(nameOf(yaml), null);
    }

    static Fleet fleet(String scenario) {
        return new Fleet(TcpfleetReplica::start, Duration.ofMillis(300), Results.logDir(scenario));
    }

    static void awaitMoreOk(LoadClient load, long more) {
        long target = load.counters().requestsOk() + more;
        Awaitility.await("load client gets " + more + " more answers")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> load.counters().requestsOk() >= target);
    }

    static Socket connect(InetSocketAddress endpoint) throws IOException {
        Socket s = new Socket();
        s.connect(endpoint, 2000);
        return s;
    }

    /** True when the peer closed (EOF or reset) within the timeout, false when the socket stayed open. */
    static boolean closedByPeerWithin(Socket s, Duration timeout) {
        try {
            s.setSoTimeout((int) timeout.toMillis());
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String nameOf(String yaml) {
        return yaml.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("name:"))
                .findFirst()
                .orElseThrow()
                .substring("name:".length())
                .trim();
    }
}
