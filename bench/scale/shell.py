"""Log lines and the commands the benchmark runs (kubectl against the local control plane)."""

import subprocess
import time

from scale.settings import KUBECONFIG


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def run(*argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw).stdout


def kubectl(*args, stdin=None, timeout=300):
    return run("kubectl", "--kubeconfig", str(KUBECONFIG), *args, input=stdin, timeout=timeout)
