"""The packaged operator as a process on this machine, run as its own ServiceAccount."""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import time

from process_stats import cpu_seconds, pids_running, rss_kib, stop_process
from scale.settings import ACCOUNT, KUBECONFIG, LOGS, NS, OPERATOR_CPU, OPERATOR_JAR, OPERATOR_NS
from scale.shell import kubectl, run


def service_account_kubeconfig(api, path):
    token = kubectl("create", "token", ACCOUNT, "-n", OPERATOR_NS, "--duration=2h").strip()
    config = json.loads(
        run("kubectl", "config", "view", "--raw", "--flatten", "-o", "json", "--kubeconfig", str(KUBECONFIG))
    )
    cluster = config["clusters"][0]["cluster"]
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": ACCOUNT,
                "clusters": [
                    {
                        "name": "local",
                        "cluster": {
                            "server": cluster["server"],
                            "certificate-authority-data": cluster["certificate-authority-data"],
                        },
                    }
                ],
                "users": [{"name": ACCOUNT, "user": {"token": token}}],
                "contexts": [
                    {"name": ACCOUNT, "context": {"cluster": "local", "user": ACCOUNT, "namespace": OPERATOR_NS}}
                ],
            }
        )
    )
    path.chmod(0o600)


class Operator:
    """The packaged operator, prod profile, as its ServiceAccount, with deploy/'s JVM options and the
    JVM sized for deploy/'s memory limit (-XX:MaxRAM), pinned to one CPU like a pod with a one-CPU limit."""

    def __init__(self, api, settings):
        LOGS.mkdir(parents=True, exist_ok=True)
        kubeconfig = LOGS / "operator.kubeconfig"
        service_account_kubeconfig(api, kubeconfig)
        self.port = free_port()
        limit = settings["memory_limit"].replace("Mi", "m").replace("Gi", "g")
        self.argv = (["taskset", "-c", OPERATOR_CPU] if OPERATOR_CPU else []) + [
            "java",
            f"-XX:MaxRAM={limit}",
            "-jar",
            str(OPERATOR_JAR),
        ]
        env = {
            **os.environ,
            **settings["env"],
            "KUBECONFIG": str(kubeconfig),
            "QUARKUS_HTTP_HOST": "127.0.0.1",
            "QUARKUS_HTTP_PORT": str(self.port),
            "POD_NAMESPACE": OPERATOR_NS,
            "POD_NAME": "tcpfleet-operator-bench",
            # Only the benchmark's namespace: TcpServices of a demo or a test on the same cluster stay out.
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_TCPSERVICE_NAMESPACES": NS,
        }
        self.logfile = open(LOGS / "operator.log", "w")  # noqa: SIM115 (open while the operator runs, closed by stop)
        self.process = subprocess.Popen(self.argv, env=env, stdout=self.logfile, stderr=subprocess.STDOUT)
        self.pid = self.process.pid  # taskset execs java: same pid
        deadline = time.time() + 180
        while self.get("/q/health/ready")[0] != 200:
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the operator did not become ready, see {LOGS / 'operator.log'}")
            time.sleep(0.5)

    def get(self, path):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError:
            return 0, ""

    def metrics(self):
        status, body = self.get("/q/metrics")
        if status != 200:
            raise RuntimeError(f"/q/metrics answered {status}")
        return body

    def rss_kib(self):
        return rss_kib(self.pid, gone=0)

    def cpu_s(self):
        return cpu_seconds(self.pid, gone=0)

    def heap_after_gc(self):
        """Live and committed heap after a full GC (jcmd), in MiB; empty when jcmd is not there."""
        try:
            run("jcmd", str(self.pid), "GC.run", timeout=120)
            info = run("jcmd", str(self.pid), "GC.heap_info", timeout=60)
        except (OSError, subprocess.SubprocessError):
            return {}
        spaces = re.findall(r"^ (?!Metaspace|class space)\S.*?total (\d+)K, used (\d+)K", info, re.M)
        return {
            "live_heap_mib": round(sum(int(used) for _, used in spaces) / 1024, 1),
            "heap_committed_mib": round(sum(int(committed) for committed, _ in spaces) / 1024, 1),
        }

    def thread_dump(self, name):
        """jstack-like dump into the log directory (for profiling a slow run); best effort."""
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            (LOGS / name).write_text(run("jcmd", str(self.pid), "Thread.print", timeout=60))

    def stop(self):
        stop_process(self.process)
        self.logfile.close()

    def errors_logged(self):
        return self.lines_logged(r"\bERROR\b")

    def conflicts_logged(self):
        """Status patches the API server refused because the TcpService changed during the reconcile
        (TcpServiceReconciler.statusPatch): JOSDK counts each as a failed reconcile and retries it."""
        return self.lines_logged(r"Conflict during reconciliation")

    def lines_logged(self, pattern):
        return sum(
            1 for line in (LOGS / "operator.log").read_text(errors="replace").splitlines() if re.search(pattern, line)
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def other_operators(own_pid):
    """Other tcpfleet operators on this machine: they may reconcile too, or load the API server."""
    return pids_running("quarkus-run.jar", but=own_pid)
