"""What ran: the machine, the versions and the settings of the control plane and the operator."""

import json
import os
import re

from process_stats import first_line, machine_basics
from scale.cluster import client_limits, controller_manager_syncs
from scale.settings import CLUSTER, OPERATOR_CPU, ROOT
from scale.shell import kubectl


def machine(settings, operator_argv):
    pom = (ROOT / "pom.xml").read_text()

    def version(prop):
        return (re.search(rf"<{prop}>([^<]+)</{prop}>", pom) or [None, "?"])[1]

    server = json.loads(kubectl("version", "-o", "json")).get("serverVersion", {}).get("gitVersion", "?")
    return {
        **machine_basics(),
        "kubernetes": server,
        "kwok": first_line(str(CLUSTER / "bin" / "kwok"), "--version"),
        "quarkus": version("quarkus.version"),
        "quarkus_operator_sdk": version("quarkus-operator-sdk.version"),
        "fabric8": version("fabric8.version"),
        "controller_manager_client_limits": client_limits("kube-controller-manager", ("20", "30")),
        "controller_manager_concurrent_syncs": controller_manager_syncs(),
        "scheduler_client_limits": client_limits("kube-scheduler", ("50", "100")),
        "operator_command": " ".join(operator_argv),
        "operator_java_tool_options": settings["env"]["JAVA_TOOL_OPTIONS"],
        "operator_env": {
            k: v
            for k, v in settings["env"].items()
            if k
            not in (
                "JAVA_TOOL_OPTIONS",
                "TCPFLEET_OPERATOR_SERVER_IMAGE",
                "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS",
            )
        },
        "operator_memory_limit": settings["memory_limit"],
        "operator_cpu": OPERATOR_CPU or "not pinned",
        "concurrent_reconciliation_threads": settings["env"].get(
            "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS"
        )
        or os.environ.get("QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS")
        or app_property("quarkus.operator-sdk.concurrent-reconciliation-threads"),
    }


def app_property(key):
    text = (ROOT / "operator" / "src" / "main" / "resources" / "application.properties").read_text()
    match = re.search(rf"^{re.escape(key)}=(.*)$", text, re.M)
    return match.group(1).strip() if match else "default"
