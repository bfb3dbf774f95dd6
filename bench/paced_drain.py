"""A paced drain of many connections, measured from the clients' side (make bench runs it after bench.py).

Two servers from the jar, A and B. bench/go/cmd/drainclient opens BENCH_DRAIN_CONNS connections to A; each
sends a 64-byte chunk of its own byte sequence every BENCH_DRAIN_INTERVAL (random phase) and checks the echo.
Then A drains (POST /drain): when A closes a connection, its client notes the time, reconnects to B and resumes
from the last byte echoed. Run once with --drain-close-rate BENCH_DRAIN_RATE and once with 0 (all at once).
Measured: closes per second (the most in any 1 s window, sliding), against the target of at most 1.1 x the rate,
and the bytes each client sent against those echoed back in order (the target: no client loses a byte).
Writes docs/bench/paced-drain.json and paced-drain.md.

  python paced_drain.py          measure and write
  python paced_drain.py report   only rewrite paced-drain.md from paced-drain.json
"""

import json
import os
import subprocess
import sys
import time
import urllib.request

from bench import BUILD, CLIENT_CPU, LOGS, OUT, Tcpfleet, log
from process_stats import loadavg, machine_basics

CONNS = int(os.environ.get("BENCH_DRAIN_CONNS", "5000"))
RATE = int(os.environ.get("BENCH_DRAIN_RATE", "500"))
INTERVAL = float(os.environ.get("BENCH_DRAIN_INTERVAL", "5"))
TIMEOUT = "30s"
TARGET = 1.1  # the most closes in any second, as a multiple of the configured rate


def max_in_window(times, window=1.0):
    """The most of the sorted `times` within any `window` seconds [t, t + window)."""
    best, j = 0, 0
    for i in range(len(times)):
        while times[i] - times[j] >= window:
            j += 1
        best = max(best, i - j + 1)
    return best


def per_second(times):
    """Closes in each whole second from the first close: the shape of the drain."""
    if not times:
        return []
    counts = [0] * (int(times[-1] - times[0]) + 1)
    for t in times:
        counts[int(t - times[0])] += 1
    return counts


def drain(rate):
    """One drain of A with this close rate; the clients' and the server's view of it."""
    server_args = ["--drain-delay", "0", "--drain-timeout", TIMEOUT, "--drain-close-rate", str(rate)]
    a = Tcpfleet(name=f"drain-a-rate{rate}", server_args=server_args)
    b = Tcpfleet(name=f"drain-b-rate{rate}")
    admin = int(a.argv[a.argv.index("--admin-port") + 1])
    client = subprocess.Popen(
        [
            "taskset",
            "-c",
            CLIENT_CPU,
            str(BUILD / "drainclient"),
            "-a",
            f"127.0.0.1:{a.port}",
            "-b",
            f"127.0.0.1:{b.port}",
            "-conns",
            str(CONNS),
            "-interval",
            f"{INTERVAL}s",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = client.stdout.readline().strip()
        if ready != f"ready {CONNS}":
            raise RuntimeError(f"drainclient did not get its connections up: {ready!r} (exit {client.wait()})")
        time.sleep(INTERVAL + 2)  # every client in its rhythm
        log(f"rate {rate}: {CONNS} connections, draining A")
        request = urllib.request.Request(f"http://127.0.0.1:{admin}/drain", method="POST")
        with urllib.request.urlopen(request, timeout=300) as response:
            server_view = json.loads(response.read())
        time.sleep(2)  # the last reconnects settle on B
        out, _ = client.communicate("stop\n", timeout=120)
        clients = json.loads(out)
    finally:
        if client.poll() is None:
            client.kill()
        for s in (a, b):
            s.stop()
    times = clients.pop("close_seconds")
    spread = times[-1] - times[0] if len(times) > 1 else 0.0
    return {
        "rate": rate,
        "connections": CONNS,
        "server": server_view,
        "clients": clients,
        "max_closes_in_1s": max_in_window(times),
        "closes_per_second": per_second(times),
        "first_to_last_close_s": round(spread, 3),
        "mean_closes_per_s": round((len(times) - 1) / spread, 1) if spread > 0 else None,
    }


def lossless(run):
    c = run["clients"]
    return (
        c["closed_by_a"] == c["conns"]
        and c["reconnected"] == c["conns"]
        and c["bytes_lost"] == 0
        and c["mismatches"] == 0
        and c["clients_losing_bytes"] == 0
    )


def verdicts(paced, unpaced):
    limit = TARGET * paced["rate"]
    return {
        "rate_within_target": paced["max_closes_in_1s"] <= limit,
        "paced_lossless": lossless(paced),
        "unpaced_lossless": lossless(unpaced),
    }


def report(results):
    paced, unpaced = results["paced"], results["unpaced"]
    m, v = results["machine"], results["verdicts"]

    def row(name, r):
        c = r["clients"]
        return (
            f"| {name} | {r['max_closes_in_1s']} | {r['mean_closes_per_s']} | {r['first_to_last_close_s']} "
            f"| {r['server']['closed']} / {r['server']['forced']} | {c['reconnected']} / {c['conns']} "
            f"| {c['bytes_sent']:,} / {c['bytes_echoed']:,} | {c['clients_losing_bytes']} |"
        )

    return "\n".join(
        [
            "# Paced drain",
            "",
            f"Written by `bench/paced_drain.py` (`make bench` runs it) on {m['date']}: {m['nproc']} CPUs ({m['cpu']}),"
            f" kernel {m['kernel']}, {m['java']}, load average at the start {' '.join(m['loadavg_start'])},"
            f" at the end {' '.join(m['loadavg_end'])}. Both servers pinned to CPU 0 with the image's JVM flags,"
            " the client on CPU 1.",
            "",
            f"{results['connections']:,} connections to server A, each client sending a 64-byte chunk of its own byte"
            f" sequence every {results['interval_s']:g} s (random phase) and checking the echo. A drains"
            f" (`--drain-delay 0 --drain-timeout {TIMEOUT}`); a client whose connection A closes reconnects to"
            " server B and resumes from the last byte echoed. Closes are timed by the clients (when they read EOF),"
            " so what is counted is what the other pods would see: reconnects.",
            "",
            "| `--drain-close-rate` | most closes in any 1 s | mean closes/s | first to last close, s"
            " | server: closed / forced | reconnected to B | bytes sent / echoed | clients that lost bytes |",
            "|---|---|---|---|---|---|---|---|",
            row(str(paced["rate"]), paced),
            row("0 (all at once)", unpaced),
            "",
            f"Target: at most {TARGET} x the rate in any second, {TARGET * paced['rate']:.0f} here:"
            f" **{'met' if v['rate_within_target'] else 'missed'}** ({paced['max_closes_in_1s']})."
            f" No byte lost: **{'met' if v['paced_lossless'] and v['unpaced_lossless'] else 'missed'}**.",
            "",
            f"Closes per second, paced: {paced['closes_per_second']}; all at once: {unpaced['closes_per_second']}.",
            "",
            "How to read it: the server uses one slot per close (1/rate apart, at most 50 ms of missed slots"
            " caught up at once). A slot either asks the next connection (closed at once if idle) or closes one"
            " asked earlier that has gone idle since: a client busy at its slot (a chunk in the last second,"
            f" about a fifth of them with a chunk every {results['interval_s']:g} s) takes a second slot, so the"
            " drain spreads over more than connections / rate, never above the rate. The times"
            " are the client's, on one CPU that also reconnects: with all closes at once it sees them over"
            " seconds while the server closed them all within `elapsedMillis` of the drain's answer"
            f" ({unpaced['server']['elapsedMillis']} ms here).",
            "",
        ]
    )


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    (BUILD / "no-plugins").mkdir(parents=True, exist_ok=True)
    machine = machine_basics()
    paced = drain(RATE)
    unpaced = drain(0)
    machine["loadavg_end"] = loadavg()
    results = {
        "connections": CONNS,
        "interval_s": INTERVAL,
        "machine": machine,
        "paced": paced,
        "unpaced": unpaced,
        "verdicts": verdicts(paced, unpaced),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "paced-drain.json").write_text(json.dumps(results, indent=1) + "\n")
    (OUT / "paced-drain.md").write_text(report(results))
    v = results["verdicts"]
    for run in (paced, unpaced):
        c = run["clients"]
        target = f"target <= {TARGET * run['rate']:.0f}/s" if run["rate"] else "no target (contrast)"
        print(
            f"paced drain rate={run['rate']}: {target}, measured max"
            f" {run['max_closes_in_1s']} in 1 s (mean {run['mean_closes_per_s']}/s over"
            f" {run['first_to_last_close_s']} s); bytes sent {c['bytes_sent']} echoed {c['bytes_echoed']},"
            f" reconnected {c['reconnected']}/{c['conns']}"
        )
    print(f"paced drain: closes/s within {TARGET} x rate: {'PASS' if v['rate_within_target'] else 'FAIL'}")
    print(f"paced drain: no byte lost: {'PASS' if v['paced_lossless'] and v['unpaced_lossless'] else 'FAIL'}")
    print("paced drain: wrote docs/bench/paced-drain.md and paced-drain.json")


if __name__ == "__main__":
    if sys.argv[1:] == ["report"]:  # the page again from paced-drain.json, without measuring
        (OUT / "paced-drain.md").write_text(report(json.loads((OUT / "paced-drain.json").read_text())))
    else:
        main()
