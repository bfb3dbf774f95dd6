"""operator-scale.json as docs/bench/operator-scale.png."""

from scale.settings import OUT, TARGET_READY_S, TARGET_RSS_MIB


def plot(results):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ready_axes, rss_axes, rate_axes) = plt.subplots(1, 3, figsize=(15, 4.2))
    for phase, color in zip(results["phases"], ("#1f77b4", "#ff7f0e")):
        for key, style in (("rolled_out", "-"), ("reconciled", ":")):
            times = phase["ready_curve"][key]
            ready_axes.step(
                [0] + times,
                range(len(times) + 1),
                style,
                color=color,
                where="post",
                label=f"{phase['phase']}: {'Ready' if key == 'rolled_out' else 'reconciled once'}",
            )
    for phase, color in zip(results.get("floor", []), ("#1f77b4", "#ff7f0e")):
        times = phase.get("ready_curve", {}).get("rolled_out", [])
        if times:
            ready_axes.step(
                [0] + times,
                range(len(times) + 1),
                "--",
                color=color,
                alpha=0.6,
                where="post",
                label=f"{phase['phase']}: control plane alone",
            )
    ready_axes.axvline(TARGET_READY_S, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_READY_S} s")
    ready_axes.set(xlabel="seconds since the first request", ylabel="TcpServices", title="TcpServices Ready")
    ready_axes.legend(fontsize=8)
    series = results["series"]
    rss_axes.plot([point["t"] for point in series], [point["rss_mib"] for point in series], color="#2ca02c")
    rss_axes.axhline(TARGET_RSS_MIB / 1.048576, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_RSS_MIB} MB")
    rss_axes.set(xlabel="seconds", ylabel="MiB", title="operator RSS", ylim=(0, None))
    rss_axes.legend(fontsize=8)
    counted = [point for point in series if point["reconciles"] is not None]  # points 0.5 s apart, rates over 1 s
    rate = [
        (later["t"], (later["reconciles"] - earlier["reconciles"]) / (later["t"] - earlier["t"]))
        for earlier, later in zip(counted[::2], counted[2::2])
        if later["t"] > earlier["t"]
    ]
    rate_axes.plot([t for t, _ in rate], [per_second for _, per_second in rate], color="#d62728")
    rate_axes.set(xlabel="seconds", ylabel="reconciles/s", title="reconciles per second", ylim=(0, None))
    for axes in (rss_axes, rate_axes):
        for phase, color in zip(results["phases"], ("#1f77b4", "#ff7f0e")):
            axes.axvspan(phase["start_t"], phase["end_t"], color=color, alpha=0.12, label=phase["phase"])
    rate_axes.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "operator-scale.png", dpi=110)
