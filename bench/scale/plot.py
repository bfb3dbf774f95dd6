"""operator-scale.json as docs/bench/operator-scale.png."""

from scale.settings import OUT, TARGET_READY_S, TARGET_RSS_MIB


def plot(r):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.2))
    for p, color in zip(r["phases"], ("#1f77b4", "#ff7f0e")):
        for key, style in (("rolled_out", "-"), ("reconciled", ":")):
            xs = p["ready_curve"][key]
            a.step(
                [0] + xs,
                range(len(xs) + 1),
                style,
                color=color,
                where="post",
                label=f"{p['phase']}: {'Ready' if key == 'rolled_out' else 'reconciled once'}",
            )
    for p, color in zip(r.get("floor", []), ("#1f77b4", "#ff7f0e")):
        xs = p.get("ready_curve", {}).get("rolled_out", [])
        if xs:
            a.step(
                [0] + xs,
                range(len(xs) + 1),
                "--",
                color=color,
                alpha=0.6,
                where="post",
                label=f"{p['phase']}: control plane alone",
            )
    a.axvline(TARGET_READY_S, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_READY_S} s")
    a.set(xlabel="seconds since the first request", ylabel="TcpServices", title="TcpServices Ready")
    a.legend(fontsize=8)
    s = r["series"]
    b.plot([p["t"] for p in s], [p["rss_mib"] for p in s], color="#2ca02c")
    b.axhline(TARGET_RSS_MIB / 1.048576, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_RSS_MIB} MB")
    b.set(xlabel="seconds", ylabel="MiB", title="operator RSS", ylim=(0, None))
    b.legend(fontsize=8)
    pts = [p for p in s if p["reconciles"] is not None]
    rate = [
        (q["t"], (q["reconciles"] - p["reconciles"]) / (q["t"] - p["t"]))
        for p, q in zip(pts[::2], pts[2::2])
        if q["t"] > p["t"]
    ]
    c.plot([t for t, _ in rate], [v for _, v in rate], color="#d62728")
    c.set(xlabel="seconds", ylabel="reconciles/s", title="reconciles per second", ylim=(0, None))
    for ax in (b, c):
        for p, color in zip(r["phases"], ("#1f77b4", "#ff7f0e")):
            ax.axvspan(p["start_t"], p["end_t"], color=color, alpha=0.12, label=p["phase"])
    c.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "operator-scale.png", dpi=110)
