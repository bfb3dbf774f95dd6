"""What /metrics answers say (Prometheus text format): samples, sums, histogram quantiles, the API server's
busiest requests."""

from prometheus_client.parser import text_string_to_metric_families


def parse(text, *families):
    """The samples of the metric families whose names start with one of `families` in a /metrics answer (Prometheus
    text format), read by prometheus_client's parser: {sample name: [(labels, value)]}."""
    # Only the lines that name a wanted family go to the parser (a hand-written filter): parsing all of the
    # operator's metrics took 4-8 ms of this client's CPU each second of a phase, its reconcile lines 0.2 ms.
    wanted = "\n".join(line for line in text.splitlines() if any(family in line for family in families))
    out = {}
    for family in text_string_to_metric_families(wanted):
        for sample in family.samples:
            if sample.name.startswith(families):
                out.setdefault(sample.name, []).append((sample.labels, float(sample.value)))
    return out


def samples(metrics, name):
    """(labels, value) of every sample `name` of parsed metrics."""
    return metrics.get(name, [])


def total(metrics, name, **match):
    """The sum of the samples `name` whose labels have the given values."""
    return sum(value for labels, value in samples(metrics, name) if matches(labels, match))


def increase(before, after, name, **match):
    """How much the samples `name` with the given labels grew from one scrape to the next."""
    return total(after, name, **match) - total(before, name, **match)


def matches(labels, match):
    return all(labels.get(label) == wanted for label, wanted in match.items())


def buckets(metrics, name, **match):
    """Cumulative histogram buckets {le: count}, summed over the other labels."""
    out = {}
    for labels, value in samples(metrics, name + "_bucket"):
        if matches(labels, match):
            le = float(labels["le"])
            out[le] = out.get(le, 0) + value
    return out


def quantile(q, before, after):
    """Like PromQL histogram_quantile over the increase between two scrapes: linear within a bucket."""
    bounds = sorted(after)
    counts = [after[le] - before.get(le, 0) for le in bounds]
    if not counts or counts[-1] <= 0:
        return None
    rank, lower, below = q * counts[-1], 0.0, 0.0
    for le, count in zip(bounds, counts):
        if count >= rank:
            if le == float("inf"):
                return lower  # above the largest finite bucket: its bound, as histogram_quantile does
            return lower + (le - lower) * (rank - below) / max(count - below, 1e-9)
        lower, below = le, count
    return lower


def api_latency(before, after, top=8):
    """The API server's busiest request kinds over the phase (all clients): count and mean duration."""

    def by_kind(text):
        out, metrics = {}, parse(text, "apiserver_request_duration_seconds")
        for suffix in ("_count", "_sum"):
            for labels, value in samples(metrics, "apiserver_request_duration_seconds" + suffix):
                if labels.get("verb") not in ("WATCH", "CONNECT"):
                    kind = " ".join(
                        part
                        for part in (labels["verb"], labels.get("resource", ""), labels.get("subresource", ""))
                        if part
                    )
                    out.setdefault(kind, [0, 0])[suffix == "_sum"] += value  # [count, seconds]
        return out

    kinds_before, kinds_after = by_kind(before), by_kind(after)
    rows = [
        (kind, count - kinds_before.get(kind, [0, 0])[0], seconds - kinds_before.get(kind, [0, 0])[1])
        for kind, (count, seconds) in kinds_after.items()
    ]
    return [
        {"request": kind, "count": int(count), "mean_ms": round(1000 * seconds / count, 1)}
        for kind, count, seconds in sorted(rows, key=lambda row: -row[1])[:top]
        if count > 0
    ]
