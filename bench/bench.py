"""tcpfleet benchmark: tcpfleet against the classic Go echo server and the loopback ceilings.

Run through bench/run.sh (it installs the tools, builds the Go peer and the server jar, then
calls this). Every server is pinned to CPU 0 and every client to CPU 1 with taskset, so the
servers get one core each, the way a pod with a one-CPU limit would, and the client never
competes with the server it measures. Results go to docs/bench/results.json; report.py turns
them into results.md and the plots.

  python bench.py all     the full benchmark (ceilings, echo, proxy, idle memory)
  python bench.py tune    tcpfleet variants (JVM flags, server flags) against each other
  python bench.py proxy   the proxy section again, into the existing results.json
  python bench.py tls | proxy-protocol | small-writes | data-plane (the three)
                          those sections alone, into the existing results.json (issue 21)
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from process_stats import (
    context_switches,
    cpu_seconds,
    first_line,
    loadavg,
    machine_basics,
    open_fds,
    rss_kib,
    stop_process,
)

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "bench" / ".build"
OUT = ROOT / "docs" / "bench"
LOGS = ROOT / "bench" / ".out"
# run.sh copies server/target/tcpfleet-server.jar here, so a rebuild during the run cannot change it.
JAR = BUILD / "tcpfleet-server.jar"

SERVER_CPU = os.environ.get("BENCH_SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("BENCH_CLIENT_CPU", "1")
DURATION = float(os.environ.get("BENCH_DURATION", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SERVER_WARMUP = float(os.environ.get("BENCH_SERVER_WARMUP", "20"))
FD_LIMIT = int(os.environ.get("BENCH_FD_LIMIT", "0")) or None

# The one certificate and key both TLS servers present: RSA-2048, self-signed for 127.0.0.1, written by
# bench/go/cmd/gencert at the start of the TLS section.
TLS_DIR = BUILD / "tls"
TLS_CERT, TLS_KEY = TLS_DIR / "cert.pem", TLS_DIR / "key.pem"
# A second server jar (e.g. the one before a change) measured next to the current one in the sections of
# issue 21 (TLS, PROXY protocol, small writes), as "tcpfleet-baseline".
BASELINE_JAR = os.environ.get("BENCH_BASELINE_JAR")

# The JVM options of the server image, read from its one definition so the benchmark runs what
# production runs.
IMAGE_SPEC = ROOT / "server" / "src" / "main" / "image" / "image.json"

# tcpfleet sizes its heap from the memory it sees, as in a pod with this memory limit (the JVM reads
# the container's limit; here the host has far more): -XX:MaxRAM.
POD_MEMORY = os.environ.get("BENCH_POD_MEMORY", "1g")
POD_JAVA = [f"-XX:MaxRAM={POD_MEMORY}"] if POD_MEMORY else []


def production_java_options():
    """The JVM flags of the image's entrypoint ["java", flags..., "-jar", jar]."""
    argv = json.loads(IMAGE_SPEC.read_text()).get("entrypoint", [])
    if argv[:1] != ["java"] or "-jar" not in argv:
        sys.exit(f'bench: no entrypoint ["java", ..., "-jar", ...] in {IMAGE_SPEC}')
    return argv[1 : argv.index("-jar")]


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {seconds}s")


class Server:
    """A server process pinned to the server CPU (or to cpus); stdout/stderr to a log file. loadgen_args
    go with every load generator run against it (a TLS server's CA, a PROXY protocol header)."""

    loadgen_args = ()

    def __init__(self, name, argv, port, env=None, cpus=None):
        self.name, self.port = name, port
        LOGS.mkdir(parents=True, exist_ok=True)
        self.logfile = open(LOGS / f"{name}-{port}.log", "w")  # noqa: SIM115 (open while the server runs, closed by stop)
        self.proc = subprocess.Popen(
            ["taskset", "-c", cpus or SERVER_CPU] + argv,
            stdout=subprocess.PIPE,
            stderr=self.logfile,
            env=env,
            text=True,
        )
        wait_port(port, self.proc)

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server: same pid

    def stop(self):
        stop_process(self.proc)
        self.logfile.close()


class GoEcho(Server):
    """The classic Go echo server (bench/go/cmd/goecho)."""

    def __init__(self, port=None, name="go", tls=False, cpus=None):
        port = port or free_port()
        argv = [str(BUILD / "goecho"), "-addr", f"127.0.0.1:{port}"]
        if tls:
            argv += ["-tls-cert", str(TLS_CERT), "-tls-key", str(TLS_KEY)]
            self.loadgen_args = ("-tls-ca", str(TLS_CERT))
        super().__init__(name, argv, port, cpus=cpus)

    def memory(self):
        """Live heap and goroutine stacks after a GC (goecho prints them on SIGUSR1)."""
        self.proc.send_signal(10)
        m = json.loads(self.proc.stdout.readline())
        return {"heap_kib": m["heap_alloc"] / 1024, "stacks_kib": m["stack_inuse"] / 1024}


class CRelay(Server):
    """bench/c/crelay.c, the smallest epoll server in C: an echo, or with upstream a proxy in front of it.
    The ceiling of the load generator's client for what tcpfleet serves."""

    def __init__(self, upstream=None, cpus=None):
        port = free_port()
        super().__init__(
            "c-epoll" if upstream is None else "c-proxy",
            [str(BUILD / "crelay"), str(port), *([str(upstream)] if upstream else [])],
            port,
            cpus=cpus,
        )


class Tcpfleet(Server):
    """The server jar as the image runs it (its JVM flags), plus any variant's options."""

    def __init__(
        self, port=None, java_opts=(), server_args=(), name="tcpfleet", handler_args=(), jar=JAR, cpus=None, tls=False
    ):
        port = port or free_port()
        if tls:
            server_args = [*server_args, "--tls-cert", str(TLS_CERT), "--tls-key", str(TLS_KEY)]
            self.loadgen_args = ("-tls-ca", str(TLS_CERT))
        admin = free_port()
        env = {k: v for k, v in os.environ.items() if k != "JAVA_TOOL_OPTIONS" and not k.startswith("TCPFLEET_")}
        argv = [
            "java",
            *production_java_options(),
            *POD_JAVA,
            *java_opts,
            "-jar",
            str(jar),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--admin-bind",
            "127.0.0.1",
            "--admin-port",
            str(admin),
            "--plugins-dir",
            str(BUILD / "no-plugins"),
            *handler_args,
            *server_args,
        ]
        self.argv = argv
        super().__init__(name, argv, port, env=env, cpus=cpus)

    def memory(self):
        """Live heap: the bytes of all live objects, which GC.class_histogram counts after a full GC
        (the server runs with -XX:-UsePerfData, attach still works). Not the generations' "used", which
        also holds what jcmd itself allocates after the collection."""
        hist = subprocess.run(
            ["jcmd", str(self.pid), "GC.class_histogram"], check=True, capture_output=True, text=True, timeout=120
        ).stdout
        total = re.search(r"^Total\s+\d+\s+(\d+)", hist, re.M)
        return {"heap_kib": int(total.group(1)) / 1024, "stacks_kib": 0}


def loadgen(mode, port, conns, size, duration=DURATION, warmup=WARMUP, server=None, extra=(), cpus=None):
    """Runs the load generator on the client CPU (or cpus); adds the server's CPU over the measured window."""
    if mode == "paced":  # ping-pong at 1,000 round trips/s: what a lightly loaded server costs in CPU
        mode, extra = "pingpong", ("-interval", "1ms", *extra)
    argv = [
        "taskset",
        "-c",
        cpus or CLIENT_CPU,
        str(BUILD / "loadgen"),
        "-mode",
        mode,
        "-addr",
        f"127.0.0.1:{port}",
        "-conns",
        str(conns),
        "-size",
        str(size),
        "-warmup",
        f"{warmup}s",
        "-duration",
        f"{duration}s",
        *extra,
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cpu0 = None
    if server is not None:
        # Every process that serves the round trip on the server core (a proxy: itself and its backend).
        pids = [server.pid, *getattr(server, "co_pids", ())]
        time.sleep(warmup)
        cpu0, switches0, t0 = cpu_seconds(server.pid), context_switches(pids), time.time()
    out, err = proc.communicate(timeout=duration + warmup + 120)
    if proc.returncode != 0:
        raise RuntimeError(f"loadgen {mode} against {port} failed: {err.strip()}")
    result = json.loads(out)
    if cpu0 is not None:
        seconds = time.time() - t0
        result["server_cpu_percent"] = 100 * (cpu_seconds(server.pid) - cpu0) / seconds
        if mode == "pingpong":
            result["server_switches_per_round_trip"] = (
                (context_switches(pids) - switches0) / seconds / result["round_trips_per_s"]
            )
    return result


def warm_up(server, extra=()):
    """JIT and pools warm: a mix of the measured workloads before anything counts (extra: loadgen flags)."""
    if SERVER_WARMUP <= 0:
        return
    log(f"warm-up {server.name} {SERVER_WARMUP:.0f}s")
    extra = (*server.loadgen_args, *extra)
    third = SERVER_WARMUP / 3
    loadgen("pingpong", server.port, 1, 64, duration=third, warmup=0, extra=extra)
    loadgen("pipeline", server.port, 16, 64, duration=third, warmup=0, extra=extra)
    loadgen("bulk", server.port, 4, 65536, duration=third, warmup=0, extra=extra)


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


# Echo scenarios: name, loadgen mode, connections, message size, metrics to keep.
SCENARIOS = [
    ("pingpong_1", "pingpong", 1, 64),
    ("pipeline_1", "pipeline", 1, 64),
    ("pipeline_16", "pipeline", 16, 64),
    ("bulk_1", "bulk", 1, 65536),
    ("bulk_4", "bulk", 4, 65536),
]
METRICS = [
    "round_trips_per_s",
    "messages_per_s",
    "echoed_gbit_per_s",
    "client_cpu_percent",
    "server_cpu_percent",
    "server_switches_per_round_trip",
    "handshakes_per_s",
    "resumed_fraction",
]
LATENCY_KEYS = ["p1", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "p99.5", "p99.9", "p99.95", "p99.99"]


def interleaved(servers, scenarios=SCENARIOS, rounds=ROUNDS, cpus=None):
    """Every scenario, rounds times, the servers alternating (A B A B ...); medians and min-max.
    A scenario is (name, mode, connections, size[, loadgen flags])."""
    runs = {s.name: {sc[0]: [] for sc in scenarios} for s in servers}
    for name, mode, conns, size, *flags in scenarios:
        extra = tuple(flags[0]) if flags else ()
        for r in range(rounds):
            order = servers if r % 2 == 0 else list(reversed(servers))
            for s in order:
                res = loadgen(
                    mode, s.port, conns, size, server=s, extra=(*getattr(s, "loadgen_args", ()), *extra), cpus=cpus
                )
                runs[s.name][name].append(res)
                log(f"{name} round {r + 1} {s.name}: " + brief(res))
    return {srv: {sc: aggregate(results) for sc, results in per.items()} for srv, per in runs.items()}


def brief(res):
    k = PRIMARY[res["mode"]]
    extra = f" p99={res['latency_us']['p99']:.1f}us" if "latency_us" in res else ""
    return (
        f"{k}={res[k]:.4g}{extra} client_cpu={res['client_cpu_percent']:.0f}%"
        f" server_cpu={res.get('server_cpu_percent', 0):.0f}%"
    )


PRIMARY = {
    "pingpong": "round_trips_per_s",
    "pipeline": "messages_per_s",
    "bulk": "echoed_gbit_per_s",
    "handshake": "handshakes_per_s",
}


def aggregate(results):
    agg = {}
    skip = set(PRIMARY.values()) - {PRIMARY[results[0]["mode"]]}
    for k in METRICS:
        if k in skip:
            continue
        vals = [r[k] for r in results if k in r]
        if vals:
            agg[k] = summary(vals)
    if "latency_us" in results[0]:
        agg["latency_us"] = {p: summary([r["latency_us"][p] for r in results]) for p in LATENCY_KEYS}
    if results[0].get("tls"):
        agg["tls"] = results[0]["tls"]
    return agg


def iperf3(streams):
    port = free_port()
    srv = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, "iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)  # no probe connection: a one-off (-1) iperf3 server would take it for the test
        out = subprocess.run(
            [
                "taskset",
                "-c",
                CLIENT_CPU,
                "iperf3",
                "-c",
                "127.0.0.1",
                "-p",
                str(port),
                "-t",
                str(int(DURATION)),
                "-O",
                str(int(WARMUP)),
                "-P",
                str(streams),
                "-J",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=DURATION + WARMUP + 60,
        ).stdout
    finally:
        srv.wait(30)
    return json.loads(out)["end"]["sum_received"]["bits_per_second"] / 1e9


def sockperf():
    port = free_port()
    srv = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, "sockperf", "server", "--tcp", "-i", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        out = subprocess.run(
            [
                "taskset",
                "-c",
                CLIENT_CPU,
                "sockperf",
                "ping-pong",
                "--tcp",
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
                "-m",
                "64",
                "--full-rtt",
                "-t",
                str(int(DURATION + WARMUP)),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=DURATION + 60,
        ).stdout
    finally:
        srv.terminate()
        srv.wait(30)
    valid = re.search(r"\[Valid Duration\] RunTime=([\d.]+) sec; SentMessages=\d+; ReceivedMessages=(\d+)", out)
    lat = {f"p{float(p):g}": float(v) for p, v in re.findall(r"percentile (\d+\.\d+) =\s+([\d.]+)", out)}
    return {"round_trips_per_s": int(valid.group(2)) / float(valid.group(1)), "latency_us": lat}


def ceilings(rounds=ROUNDS):
    """iperf3 and sockperf (their own clients), and the C epoll echo with the load generator's ping-pong client."""
    res = {"iperf3_1": [], "iperf3_4": [], "sockperf": [], "c_epoll": []}
    c = CRelay()
    try:
        for r in range(rounds):
            res["iperf3_1"].append(iperf3(1))
            res["iperf3_4"].append(iperf3(4))
            res["sockperf"].append(sockperf())
            res["c_epoll"].append(loadgen("pingpong", c.port, 1, 64, server=c))
            log(
                f"ceilings round {r + 1}: iperf3 {res['iperf3_1'][-1]:.1f} / -P4 {res['iperf3_4'][-1]:.1f} Gbit/s, "
                f"sockperf {res['sockperf'][-1]['round_trips_per_s']:.0f} rt/s, C epoll echo "
                + brief(res["c_epoll"][-1])
            )
    finally:
        c.stop()
    sp = res["sockperf"]
    return {
        "iperf3_1_gbit_per_s": summary(res["iperf3_1"]),
        "iperf3_4_gbit_per_s": summary(res["iperf3_4"]),
        "sockperf": {
            "round_trips_per_s": summary([s["round_trips_per_s"] for s in sp]),
            "latency_us": {p: summary([s["latency_us"][p] for s in sp]) for p in sp[0]["latency_us"]},
        },
        "c_epoll_pingpong": aggregate(res["c_epoll"]),
    }


def proxy(rounds=ROUNDS):
    """tcpfleet's proxy handler in front of the Go echo server, against the same echo server direct and
    through the smallest C epoll proxy (what any proxy costs here)."""
    backend = GoEcho()
    prox = Tcpfleet(
        name="tcpfleet-proxy", handler_args=["--handler", "proxy", "--upstream", f"127.0.0.1:{backend.port}"]
    )
    cprox = CRelay(upstream=backend.port)
    try:
        warm_up(prox)
        prox.co_pids = cprox.co_pids = (backend.pid,)
        direct = type("Direct", (), {"name": "direct", "port": backend.port, "pid": backend.pid})()
        return interleaved(
            [prox, cprox, direct],
            scenarios=[("pingpong_1", "pingpong", 1, 64), ("pipeline_16", "pipeline", 16, 64)],
            rounds=rounds,
        )
    finally:
        prox.stop()
        cprox.stop()
        backend.stop()


def fd_limit():
    import resource

    return FD_LIMIT or resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def idle(make_server, step):
    """Opens idle connections in steps up to what the open-file limit allows, measuring after each."""
    server = make_server()
    limit = fd_limit()
    client = subprocess.Popen(
        [
            "taskset",
            "-c",
            CLIENT_CPU,
            str(BUILD / "loadgen"),
            "-mode",
            "idle",
            "-addr",
            f"127.0.0.1:{server.port}",
            "-sources",
            "127.0.0.10-127.0.0.29",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    points = []
    try:
        # One-time costs (JIT of the accept and echo paths, pools, compiler arenas) belong to the base,
        # not to the first step's connections: a short echo warm-up first.
        loadgen("pingpong", server.port, 1, 64, duration=2, warmup=0)
        loadgen("pipeline", server.port, 16, 64, duration=2, warmup=0)
        fds0 = open_fds(server.pid)
        conns = 0
        while True:
            time.sleep(1)
            mem = server.memory()
            rss = []
            for _ in range(3):  # RSS moves a little after a step (GC, trim): the median of three
                time.sleep(0.5)
                rss.append(rss_kib(server.pid))
            point = {"connections": conns, "rss_kib": statistics.median(rss), "fds": open_fds(server.pid), **mem}
            points.append(point)
            log(f"idle {server.name}: {point}")
            per_conn = (point["fds"] - fds0) / conns if conns else 3
            headroom = limit - 200  # the JVM or Go runtime opens a few files of its own
            if point["fds"] + step * per_conn > headroom or conns + step > headroom:
                break
            client.stdin.write(f"open {step}\n")
            client.stdin.flush()
            answer = json.loads(client.stdout.readline())
            if answer["failed"]:
                log(f"idle {server.name}: {answer['failed']} connections failed: {answer['error']}")
                break
            conns = answer["open"]
    finally:
        client.stdin.write("quit\n")
        client.stdin.flush()
        client.wait(60)
        server.stop()
    return {"points": points, "fd_limit": limit, **fit(points)}


def fit(points):
    """Least squares: memory = base + slope * connections, per 10k connections."""
    xs = [p["connections"] for p in points]
    out = {}
    for key in ("rss_kib", "heap_kib", "stacks_kib"):
        ys = [p[key] for p in points]
        if len(xs) < 2:
            continue
        slope, base = statistics.linear_regression(xs, ys)
        out[key.replace("_kib", "_mib_per_10k")] = slope * 10000 / 1024
        out[key.replace("_kib", "_base_mib")] = base / 1024
    return out


def machine():
    pom = (ROOT / "pom.xml").read_text()
    netty = re.search(r"<netty.version>([^<]+)</netty.version>", pom)
    return {
        **machine_basics(),
        "go": first_line("go", "version"),
        "netty": netty.group(1) if netty else "?",
        "iperf3": first_line("iperf3", "--version"),
        "sockperf": first_line("sockperf", "--version"),
        "jvm_flags": " ".join(production_java_options()),
        "fd_limit": fd_limit(),
        "duration_s": DURATION,
        "warmup_s": WARMUP,
        "rounds": ROUNDS,
        "server_warmup_s": SERVER_WARMUP,
        "server_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
        "pod_memory": POD_MEMORY,
    }


# "tuned": the opt-in latency knob of docs/bench/tuning.md (epoll spin), run next to the image's defaults.
TUNED_JAVA = os.environ.get("BENCH_TUNED_JAVA_OPTS", "-Dtcpfleet.epoll.spinMicros=50").split()
TUNED_ARGS = os.environ.get("BENCH_TUNED_ARGS", "").split()


# Issue 21's sections: TLS against Go's crypto/tls, the PROXY protocol's cost, unbatched small writes
# on a two-CPU server. Each runs alone (bench.py tls | proxy-protocol | small-writes) or within all.
TLS_SCENARIOS = [
    ("handshake_full", "handshake", 8, 64),
    ("handshake_resumed", "handshake", 8, 64, ["-tls-resume"]),
    ("tls_pingpong_1", "pingpong", 1, 64, ["-tls"]),
    ("tls_bulk_4", "bulk", 4, 65536, ["-tls"]),
]


def tls_provider(server):
    """The provider tcpfleet's start log names ("TLS on the data port"; JSON lines on its stdout)."""
    for _ in range(100):
        line = server.proc.stdout.readline()
        if not line:
            break
        if "TLS on the data port" in line:
            return json.loads(line).get("provider", "?")
    return "?"


def with_baseline(make):
    """The current jar's server, and the baseline jar's next to it when BENCH_BASELINE_JAR is set."""
    return [make("tcpfleet", JAR)] + ([make("tcpfleet-baseline", Path(BASELINE_JAR))] if BASELINE_JAR else [])


def tls_section(rounds=ROUNDS):
    """tcpfleet with --tls-cert/--tls-key against the Go crypto/tls echo, the same certificate, both
    pinned as the echo section is: full and resumed handshakes, ping-pong and bulk over TLS."""
    subprocess.run([str(BUILD / "gencert"), "-dir", str(TLS_DIR)], check=True)
    servers = [GoEcho(name="go", tls=True)]
    try:
        servers[:0] = with_baseline(lambda name, jar: Tcpfleet(name=name, jar=jar, tls=True))
        providers = {s.name: tls_provider(s) for s in servers if isinstance(s, Tcpfleet)}
        for s in servers:
            log(f"warm-up {s.name} (TLS) {SERVER_WARMUP:.0f}s")
            third = SERVER_WARMUP / 3
            loadgen("pingpong", s.port, 1, 64, duration=third, warmup=0, extra=(*s.loadgen_args, "-tls"))
            loadgen("bulk", s.port, 4, 65536, duration=third, warmup=0, extra=(*s.loadgen_args, "-tls"))
            loadgen("handshake", s.port, 8, 64, duration=third, warmup=0, extra=s.loadgen_args)
        echo = interleaved(servers, scenarios=TLS_SCENARIOS, rounds=rounds)
    finally:
        for s in servers:
            s.stop()
    return {"echo": echo, "provider": providers, "key": "RSA-2048", "argv": servers[0].argv}


PROXY_PROTOCOL_ROUNDS = int(os.environ.get("BENCH_PROXY_PROTOCOL_ROUNDS", "5"))


def proxy_protocol_section(rounds=PROXY_PROTOCOL_ROUNDS):
    """The same echo server with --proxy-protocol required (the client sends a v2 header first on
    every connection) and without: what the header costs a ping-pong round trip."""
    servers = [Tcpfleet(), Tcpfleet(name="tcpfleet-proxy-protocol", server_args=["--proxy-protocol", "required"])]
    servers[1].loadgen_args = ("-proxy-v2",)
    try:
        for s in servers:
            warm_up(s)
        echo = interleaved(
            servers,
            scenarios=[("pingpong_1", "pingpong", 1, 64), ("pingpong_16", "pingpong", 16, 64)],
            rounds=rounds,
        )
    finally:
        for s in servers:
            s.stop()
    return {"echo": echo}


# A pod allowed two CPUs: server and client share both, unpinned; each message its own write(2) and
# no bound on messages in flight (loadgen -batch 1 -window 0).
SMALL_WRITES_CPUS = os.environ.get("BENCH_SMALL_WRITES_CPUS", "0,1")
SMALL_WRITES_SCENARIOS = [
    ("unbatched_16", "pipeline", 16, 64, ["-batch", "1", "-window", "0"]),
    ("unbatched_1", "pipeline", 1, 64, ["-batch", "1", "-window", "0"]),
]


def small_writes_section(rounds=ROUNDS):
    """tcpfleet and Go, and the C epoll echo: the least a server can do per wake-up (one read, one write)."""
    servers = [GoEcho(cpus=SMALL_WRITES_CPUS), CRelay(cpus=SMALL_WRITES_CPUS)]
    try:
        servers[:0] = with_baseline(lambda name, jar: Tcpfleet(name=name, jar=jar, cpus=SMALL_WRITES_CPUS))
        for s in servers[:-1]:
            warm_up(s)
        echo = interleaved(servers, scenarios=SMALL_WRITES_SCENARIOS, rounds=rounds, cpus=SMALL_WRITES_CPUS)
    finally:
        for s in servers:
            s.stop()
    return {"echo": echo, "cpus": SMALL_WRITES_CPUS, "argv": servers[0].argv}


SECTIONS = {"tls": tls_section, "proxy_protocol": proxy_protocol_section, "small_writes": small_writes_section}


def run_section(results, key):
    """One of SECTIONS into results, with its own time and load (it may run apart from the rest)."""
    start, date = loadavg(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (BUILD / "no-plugins").mkdir(parents=True, exist_ok=True)
    results[key] = SECTIONS[key]()
    results[key]["run"] = {
        "date": date,
        "loadavg_start": start,
        "loadavg_end": loadavg(),
        "duration_s": DURATION,
        "warmup_s": WARMUP,
        "server_warmup_s": SERVER_WARMUP,
        "baseline_jar": BASELINE_JAR,
    }


def run_sections(*keys):
    """Only these sections, into the existing results.json."""
    path = OUT / "results.json"
    results = json.loads(path.read_text())
    for key in keys:
        run_section(results, key)
        path.write_text(json.dumps(results, indent=1))
    log(f"wrote {path}")


def run_all():
    OUT.mkdir(parents=True, exist_ok=True)
    (BUILD / "no-plugins").mkdir(parents=True, exist_ok=True)
    results = {"machine": machine()}
    log("machine", results["machine"])
    results["ceilings"] = ceilings()
    servers = [Tcpfleet(), GoEcho()]
    results["tcpfleet_argv"] = servers[0].argv
    if TUNED_JAVA or TUNED_ARGS:
        servers.insert(1, Tcpfleet(name="tcpfleet-tuned", java_opts=TUNED_JAVA, server_args=TUNED_ARGS))
        results["tuned"] = {"java": TUNED_JAVA, "args": TUNED_ARGS, "argv": servers[1].argv}
    try:
        for s in servers:
            warm_up(s)
        results["echo"] = interleaved(servers)
    finally:
        for s in servers:
            s.stop()
    results["proxy"] = proxy()
    results.pop("proxy_rerun", None)
    for key in SECTIONS:
        run_section(results, key)
    results["idle"] = {
        "tcpfleet": idle(lambda: Tcpfleet(server_args=["--max-connections", "100000"]), step=2500),
        "go": idle(GoEcho, step=1000),
    }
    results["machine"]["loadavg_end"] = loadavg()
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    log(f"wrote {OUT / 'results.json'}")


# tcpfleet variants for `bench.py tune`: name, extra JVM options, extra server flags[, jar].
VARIANTS = (
    json.loads(os.environ["BENCH_VARIANTS"])
    if "BENCH_VARIANTS" in os.environ
    else [
        ["default", [], []],
        ["1-loop", [], ["--worker-threads", "1"]],
    ]
)


def run_tune():
    OUT.mkdir(parents=True, exist_ok=True)
    (BUILD / "no-plugins").mkdir(parents=True, exist_ok=True)
    scen = [
        s
        for s in SCENARIOS + [("paced_1k", "paced", 1, 64)]
        if s[0] in os.environ.get("BENCH_SCENARIOS", "pingpong_1,pipeline_16,bulk_4").split(",")
    ]
    servers = [Tcpfleet(name=v[0], java_opts=v[1], server_args=v[2], jar=v[3] if len(v) > 3 else JAR) for v in VARIANTS]
    try:
        for s in servers:
            warm_up(s)
        res = interleaved(servers, scenarios=scen)
    finally:
        for s in servers:
            s.stop()
    res["_machine"] = {
        "loadavg": loadavg(),
        "variants": VARIANTS,
        "duration_s": DURATION,
        "rounds": ROUNDS,
    }
    name = os.environ.get("BENCH_TUNE_NAME", "tune")
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"{name}.json").write_text(json.dumps(res, indent=1))
    if os.environ.get("BENCH_TUNE_SAVE"):  # kept as evidence in the results (report.py renders it)
        (OUT / f"tuning-{name}.json").write_text(json.dumps(res, indent=1))
    for sc, _, _, _ in scen:
        for n, *_ in VARIANTS:
            a = res[n][sc]
            key = next(k for k in ("round_trips_per_s", "messages_per_s", "echoed_gbit_per_s") if k in a)
            lat = (
                f" p50={a['latency_us']['p50']['median']:.1f} p99={a['latency_us']['p99']['median']:.1f}"
                f" p99.9={a['latency_us']['p99.9']['median']:.1f}"
                if "latency_us" in a
                else ""
            )
            print(
                f"{sc:12} {n:14} {key}={a[key]['median']:.4g} [{a[key]['min']:.4g}-{a[key]['max']:.4g}]{lat}"
                f" srvcpu={a['server_cpu_percent']['median']:.0f}%"
            )


def run_idle():
    """Only the idle-connection memory of tcpfleet (with BENCH_JAVA_OPTS / BENCH_SERVER_ARGS), for tuning."""
    (BUILD / "no-plugins").mkdir(parents=True, exist_ok=True)
    java = os.environ.get("BENCH_JAVA_OPTS", "").split()
    args = os.environ.get("BENCH_SERVER_ARGS", "").split()
    res = idle(lambda: Tcpfleet(java_opts=java, server_args=["--max-connections", "100000", *args]), step=2500)
    print(json.dumps({k: v for k, v in res.items() if k != "points"}))


def run_proxy():
    """Only the proxy section again, into the existing results.json (its time and load are kept with it)."""
    path = OUT / "results.json"
    results = json.loads(path.read_text())
    start = loadavg()
    results["proxy"] = proxy()
    results["proxy_rerun"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loadavg_start": start,
        "loadavg_end": loadavg(),
    }
    path.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    {
        "all": run_all,
        "tune": run_tune,
        "idle": run_idle,
        "proxy": run_proxy,
        "tls": lambda: run_sections("tls"),
        "proxy-protocol": lambda: run_sections("proxy_protocol"),
        "small-writes": lambda: run_sections("small_writes"),
        "data-plane": lambda: run_sections(*SECTIONS),
    }[sys.argv[1] if len(sys.argv) > 1 else "all"]()
