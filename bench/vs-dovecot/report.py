"""The Markdown table of a results.json: medians, the Roost/Dovecot ratio and the targets.

    python3 report.py [results.json]
"""

import json
import statistics
import sys

# Roost's speed as a multiple of Dovecot's that each kind of scenario must reach.
TARGETS = {"throughput": 1.5, "select": 1.0}
MEMORY_TARGET = 0.2  # Roost's memory per idle connection as a fraction of Dovecot's at most


def median(outcomes, key):
    values = [o[key] for o in outcomes if "error" not in o and key in o]
    return statistics.median(values) if values else None


def target_for(name, kind):
    if name.startswith("search-"):
        return TARGETS["throughput"]
    return TARGETS.get(kind)


def rows(results):
    for name, record in results["scenarios"].items():
        roost, dovecot = record["roost"], record["dovecot"]
        errors = sum("error" in o for o in roost + dovecot)
        r_time, d_time = median(roost, "seconds"), median(dovecot, "seconds")
        units = next((o["units"] for o in roost + dovecot if "units" in o), 0)
        speed = d_time / r_time if r_time and d_time else None
        row = {
            "name": name, "description": record["description"], "unit": record["unit"], "kind": record["kind"],
            "roost": r_time, "dovecot": d_time, "units": units, "speed": speed, "errors": errors,
            "roost_cpu": median(roost, "cpu"), "dovecot_cpu": median(dovecot, "cpu"),
            "roost_peak": median(roost, "peak_rss_kb"), "dovecot_peak": median(dovecot, "peak_rss_kb"),
        }
        growth = [[o["peak_rss_kb"] - o["rss_before_kb"] for o in runs if "rss_before_kb" in o and "error" not in o]
                  for runs in (roost, dovecot)]
        if growth[0] and growth[1]:
            row["roost_growth"], row["dovecot_growth"] = statistics.median(growth[0]), statistics.median(growth[1])
        if record["kind"] == "memory":
            row["roost_per"] = median(roost, "rss_kb_per_connection")
            row["dovecot_per"] = median(dovecot, "rss_kb_per_connection")
            row["roost_pss"] = median(roost, "pss_kb_per_connection")
            row["dovecot_pss"] = median(dovecot, "pss_kb_per_connection")
            row["met"] = (errors == 0 and row["roost_per"] is not None and row["dovecot_pss"]
                          and row["roost_per"] <= MEMORY_TARGET * row["dovecot_pss"])
        else:
            goal = target_for(name, record["kind"])
            row["target"] = goal
            row["met"] = errors == 0 and speed is not None and speed >= goal
        yield row


def _time(seconds, unit, units):
    if seconds is None:
        return "failed"
    if unit in ("selects", "searches"):
        return f"{seconds * 1000:.0f} ms"
    return f"{units / seconds:,.0f} {unit}/s"


def _mib(kb):
    return "-" if kb is None else f"{kb / 1024:.0f}"


def markdown(results):
    lines = ["| Scenario | Roost | Dovecot | Roost speed / Dovecot's | Target | Met | CPU s Roost / Dovecot "
             "| Peak RSS MiB Roost / Dovecot |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    memory_lines = []
    for row in rows(results):
        if row["kind"] == "memory":
            memory_lines.append(
                f"| {row['name']}: {row['units']} idle connections | Roost {row['roost_per'] or 0:.1f} KiB "
                f"(PSS {row['roost_pss'] or 0:.1f}) | Dovecot {row['dovecot_per'] or 0:.1f} KiB RSS, "
                f"{row['dovecot_pss'] or 0:.1f} KiB PSS | at most {MEMORY_TARGET:.0%} of Dovecot's PSS | "
                f"{'yes' if row['met'] else 'NO'}{' (errors)' if row['errors'] else ''} | "
                f"time to IDLE: {_seconds(row['roost'])} / {_seconds(row['dovecot'])} |")
            continue
        speed = "-" if row["speed"] is None else f"{row['speed']:.2f}x"
        cpu = f"{_seconds(row['roost_cpu'])} / {_seconds(row['dovecot_cpu'])}"
        lines.append(
            f"| {row['name']} | {_time(row['roost'], row['unit'], row['units'])} | "
            f"{_time(row['dovecot'], row['unit'], row['units'])} | {speed} | {row['target']}x | "
            f"{'yes' if row['met'] else 'NO'}{' (errors)' if row['errors'] else ''} | {cpu} | "
            f"{_mib(row['roost_peak'])} / {_mib(row['dovecot_peak'])} |")
    growth_lines = [f"| {row['name']} | {_mib(row['roost_growth'])} | {_mib(row['dovecot_growth'])} |"
                    for row in rows(results) if "roost_growth" in row]
    if growth_lines:
        lines += ["", "| Memory while streaming | Roost peak growth MiB | Dovecot peak growth MiB |",
                  "| --- | --- | --- |"] + growth_lines
    if memory_lines:
        lines += ["", "| Memory | Roost per connection | Dovecot per connection | Target | Met | Notes |",
                  "| --- | --- | --- | --- | --- | --- |"] + memory_lines
    machine = results["machine"]
    lines += ["", f"{results['runs']} runs per scenario and server, alternating; medians. "
              f"{machine['date']}; {machine['cpu']}, {machine['memory']}, Linux {machine['kernel']}, "
              f"{machine['filesystem']}; {machine['dovecot'] and 'Dovecot ' + machine['dovecot']}; "
              f"Roost {machine['roost']}, {machine['swift']}."]
    return "\n".join(lines)


def _seconds(value):
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "results.json") as f:
        print(markdown(json.load(f)))
