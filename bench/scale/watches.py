"""Watches on the TcpServices (or the Deployments): when each reached a generation's status, Ready and rolled out."""

import http.client
import json
import threading
import time

from scale.settings import NS
from scale.shell import log


class Readiness:
    """A watch on the TcpServices: when each first reached, at each generation, reconciled (status of
    that generation), Ready=True, and rolled out (also Progressing=False); and who was Degraded."""

    def __init__(self, api, path=f"/apis/tcpfleet.io/v1alpha1/namespaces/{NS}/tcpservices"):
        self.api, self.path = api, path
        self.lock = threading.Lock()
        self.reconciled, self.ready, self.rolled_out = {}, {}, {}  # generation -> {name: monotonic time}
        self.degraded = set()
        self.stopped = False
        threading.Thread(target=self.loop, daemon=True).start()

    def count(self, table, generation):
        with self.lock:
            return len(table.get(generation, {}))

    def see(self, obj, now):
        meta, status = obj["metadata"], obj.get("status") or {}
        generation, name = meta.get("generation"), meta["name"]
        if status.get("observedGeneration") != generation:
            return
        conditions = {condition["type"]: condition["status"] for condition in status.get("conditions", [])}
        with self.lock:
            self.reconciled.setdefault(generation, {}).setdefault(name, now)
            if conditions.get("Ready") == "True":
                self.ready.setdefault(generation, {}).setdefault(name, now)
                if conditions.get("Progressing") == "False":
                    self.rolled_out.setdefault(generation, {}).setdefault(name, now)
            if conditions.get("Degraded") == "True":
                self.degraded.add(name)

    def loop(self):
        path = self.path
        while not self.stopped:
            try:
                status, listing = self.api.request("GET", path)
                for obj in listing["items"]:
                    self.see(obj, time.monotonic())
                connection = self.api.connect(timeout=None)
                connection.request(
                    "GET",
                    f"{path}?watch=true&timeoutSeconds=3600&resourceVersion={listing['metadata']['resourceVersion']}",
                )
                response = connection.getresponse()
                while not self.stopped:
                    line = response.readline()
                    if not line:
                        break
                    event = json.loads(line)
                    if event["type"] == "ERROR":  # e.g. 410 Gone: list again
                        break
                    if event["type"] in ("ADDED", "MODIFIED"):
                        self.see(event["object"], time.monotonic())
                connection.close()
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                log(f"watch restarts after {type(e).__name__}: {e}")
                time.sleep(1)


class Rollouts(Readiness):
    """A watch on the Deployments of a namespace: when each was rolled out at each generation (its only
    ReplicaSet's pods updated and available), for the control plane without the operator."""

    def see(self, obj, now):
        meta, status = obj["metadata"], obj.get("status") or {}
        want = obj["spec"].get("replicas", 1)
        if (
            status.get("observedGeneration") == meta["generation"]
            and status.get("updatedReplicas") == status.get("availableReplicas") == status.get("replicas") == want
        ):
            with self.lock:
                self.rolled_out.setdefault(meta["generation"], {}).setdefault(meta["name"], now)


def ready_curve(watch, generation, t0):
    """Seconds after the phase start at which each TcpService was reconciled / rolled out, sorted."""
    with watch.lock:
        return {
            key: sorted(round(t - t0, 2) for t in table.get(generation, {}).values())
            for key, table in (("reconciled", watch.reconciled), ("rolled_out", watch.rolled_out))
        }
