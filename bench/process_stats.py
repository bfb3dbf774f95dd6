"""What the benchmarks measure of a process (CPU seconds, RSS, open files, context switches, command line) and of
the machine (load average, CPU model, versions), and how they stop the processes they start: one home for bench.py
and the operator benchmark (bench/scale/), through psutil where it reads the same numbers (at less cost per sample
than reading /proc by hand, so sampling does not disturb what it samples).
"""

import os
import subprocess
import time
from pathlib import Path

import psutil

# pid -> psutil.Process, made once: making one reads /proc/PID/stat for the start time, which doubles a sample's cost.
# Like reading /proc/PID, it follows the number: the benchmarks sample only processes they know to run.
_processes = {}


def _process(pid):
    pid = int(pid)
    if pid not in _processes:
        _processes[pid] = psutil.Process(pid)
    return _processes[pid]


def cpu_seconds(pid, gone=None):
    """User and system CPU seconds of a process (all its threads) so far; `gone` when it no longer runs (None: raise)."""
    try:
        times = _process(pid).cpu_times()
    except psutil.NoSuchProcess:
        if gone is None:
            raise
        return gone
    return round(times.user + times.system, 2)  # whole clock ticks (1/100 s), as /proc/PID/stat counts them


def rss_kib(pid, gone=None):
    """Resident set size of a process in KiB (VmRSS); `gone` when it no longer runs (None: raise)."""
    try:
        return _process(pid).memory_info().rss // 1024
    except psutil.NoSuchProcess:
        if gone is None:
            raise
        return gone


def open_fds(pid):
    """File descriptors a process has open."""
    return _process(pid).num_fds()


def context_switches(pids):
    """Voluntary and involuntary context switches of every thread of these processes so far."""
    # Read per thread by hand: psutil's num_ctx_switches() reads /proc/PID/status, the main thread's counts only.
    switches = 0
    for pid in pids:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                status = Path(f"/proc/{pid}/task/{task}/status").read_text()
            except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
                continue
            switches += sum(
                int(line.split()[1])
                for line in status.splitlines()
                if line.split(":")[0] in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
            )
    return switches


def command_line(pid):
    """The argv of a process; None when it does not run."""
    try:
        return _process(pid).cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def pids_running(argument, but=None):
    """Processes whose command line has `argument` in one of its words (but not process `but`)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if process.pid != but and any(argument in word for word in process.info["cmdline"] or ()):
            found.append(process.pid)
    return found


def loadavg():
    """The load averages over 1, 5 and 15 minutes, as /proc/loadavg shows them (two decimals)."""
    return [f"{load:.2f}" for load in psutil.getloadavg()]


def cpu_model():
    """The processor's model name."""
    # Read by hand: psutil does not report the model name.
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def first_line(*argv):
    """The first line a command prints (stdout, else stderr: java -version writes there), for version records."""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (result.stdout.strip() or result.stderr.strip()).splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError) as e:
        return f"unavailable ({e})"


def machine_basics():
    """What every benchmark result records of the machine it ran on."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loadavg_start": loadavg(),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": os.uname().release,
        "java": first_line("java", "-version"),
    }


def stop_process(process, grace=30):
    """SIGTERM, then SIGKILL if the process has not exited within grace seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
