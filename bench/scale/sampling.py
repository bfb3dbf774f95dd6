"""What is sampled while the phases run: the operator's RSS, CPU and reconciles every half second, and the
metrics and CPU seconds of every process at the start and the end of a phase."""

import contextlib
import os
import threading
import time

from process_stats import cpu_seconds
from scale.cluster import COMPONENTS, control_plane_port
from scale.metrics import parse, total
from scale.settings import CLUSTER


class Sampler:
    """Every half second: RSS, CPU, Ready counts; the operator's reconcile counter every second."""

    def __init__(self, operator, readiness):
        self.operator, self.readiness = operator, readiness
        self.points = []
        self.t0 = time.monotonic()
        self.stopped = False
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        started, tick = None, 0
        while not self.stopped:
            if tick % 2 == 0:
                with contextlib.suppress(RuntimeError, OSError):
                    started = total(
                        parse(self.operator.metrics(), "reconciliations_started"), "reconciliations_started_total"
                    )
            self.points.append(
                {
                    "t": round(time.monotonic() - self.t0, 2),
                    "rss_mib": round(self.operator.rss_kib() / 1024, 1),
                    "cpu_s": self.operator.cpu_s(),
                    "reconciles": started,
                    "rolled_out_g1": self.readiness.count(self.readiness.rolled_out, 1),
                    "rolled_out_g2": self.readiness.count(self.readiness.rolled_out, 2),
                }
            )
            tick += 1
            time.sleep(0.5)


def snapshot(api, operator):
    return {
        "t": time.monotonic(),
        "operator": operator.metrics(),
        "api_server": api.text("/metrics"),
        "controller_manager": api.component_metrics(control_plane_port("CONTROLLER_MANAGER_PORT")),
        "cpu": cpu_by_process(operator),
    }


def cpu_by_process(operator=None):
    """CPU seconds so far of each control plane component, the operator and this client (its watch and requests)."""
    out = {
        component: cpu_seconds((CLUSTER / ".state" / "pids" / f"{component}.pid").read_text().strip(), gone=0)
        for component in COMPONENTS
    }
    out["operator"] = operator.cpu_s() if operator else 0
    out["client"] = cpu_seconds(os.getpid())
    return out


def cpu_spent(before, after):
    return {k: round(after[k] - before.get(k, 0), 1) for k in after}
