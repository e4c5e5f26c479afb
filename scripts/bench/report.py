"""Summary of the interpolation benchmark: interpolation.json with every run, the machine and the ratios, and a
markdown table on standard output (and in interpolation.md).

Usage: /usr/bin/python3 report.py RESULTS.jsonl CHECKS.jsonl OUT_DIR MODE LOAD_BEFORE LOAD_AFTER WORK_FILESYSTEM

Throughput is (bytes read + bytes written) per second: both inputs and the output, headers and all shards
included. Each configuration's figure is the best (shortest) of its runs, because the noise comes from other
processes competing for the machine. The median is recorded too.
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

CONTENDERS = ("copy", "paint", "numpy", "torch")
REFERENCES = ("copy", "numpy", "torch")


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip() \
            or subprocess.run(command, capture_output=True, text=True, check=False).stderr.strip()
    except OSError as error:
        return "unavailable: %s" % error


def machine(load_before, load_after, filesystem):
    import numpy
    import torch

    lscpu = dict(line.split(":", 1) for line in command_output(["lscpu"]).splitlines() if ":" in line)
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    return {
        "cpu_model": lscpu.get("Model name", "unknown").strip(),
        "cpu_cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "java": command_output(["java", "-version"]).splitlines()[0],
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "work_filesystem": filesystem,
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


def summarize(runs):
    best = min(runs, key=lambda run: run["seconds"])
    return {
        "best_seconds": best["seconds"],
        "median_seconds": statistics.median(run["seconds"] for run in runs),
        "first_run_seconds": min(run["first_seconds"] for run in runs),
        "bytes": best["bytes"],
        "gb_per_second": best["bytes"] / best["seconds"] / 1e9,
        "peak_rss_mib": max(run["peak_rss_kb"] for run in runs) / 1024,
        "runs": len(runs),
    }


def configurations(results, checks):
    keys = sorted({(r["tower"], r["dtype"], r["layout"]) for r in results},
                  key=lambda key: (key[0], ["F32", "F16", "BF16"].index(key[1]), ["single", "sharded"].index(key[2])))
    summaries = []
    for tower, dtype, layout in keys:
        runs = [r for r in results if (r["tower"], r["dtype"], r["layout"]) == (tower, dtype, layout)]
        contenders = {name: summarize([r for r in runs if r["contender"] == name]) for name in CONTENDERS}
        paint = contenders["paint"]["gb_per_second"]
        check = next(c for c in checks if (c["tower"], c["dtype"], c["layout"]) == (tower, dtype, layout))
        summaries.append({
            "tower": tower, "dtype": dtype, "layout": layout,
            "contenders": contenders,
            "paint_ratio": {name: paint / contenders[name]["gb_per_second"] for name in REFERENCES},
            "goal_met": paint >= 0.7 * contenders["copy"]["gb_per_second"]
            and paint >= max(contenders["numpy"]["gb_per_second"], contenders["torch"]["gb_per_second"]),
            "check": check,
        })
    return summaries


def markdown(summaries, host):
    lines = [
        "Machine: %s, %d cores, %s GiB, Linux %s, %s, numpy %s, torch %s (%d threads); files on %s; load average"
        " %s before, %s after." % (host["cpu_model"], host["cpu_cores"], host["memory_gib"], host["kernel"],
                                    host["java"], host["numpy"], host["torch"], host["torch_threads"],
                                    host["work_filesystem"], host["load_average_before"], host["load_average_after"]),
        "",
        "| tower | dtype | layout | MB moved | copy GB/s | paint GB/s | paint, first run | numpy GB/s | torch GB/s"
        " | paint / copy | paint / numpy | paint / torch | peak RSS MiB copy / paint / numpy / torch | check |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        c = s["contenders"]
        first = c["paint"]["bytes"] / c["paint"]["first_run_seconds"] / 1e9
        check = s["check"]
        lines.append("| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |" % (
            s["tower"], s["dtype"], s["layout"], c["paint"]["bytes"] / 1e6, c["copy"]["gb_per_second"],
            c["paint"]["gb_per_second"], first, c["numpy"]["gb_per_second"], c["torch"]["gb_per_second"],
            s["paint_ratio"]["copy"], s["paint_ratio"]["numpy"], s["paint_ratio"]["torch"],
            " / ".join("%.0f" % c[name]["peak_rss_mib"] for name in CONTENDERS),
            "passed, %g / %g ulp" % (check["max_ulps"]["numpy"], check["max_ulps"]["torch"])
            if check["passed"] else "FAILED"))
    return "\n".join(lines) + "\n"


def main(argv):
    results_path, checks_path, out, mode, load_before, load_after, filesystem = argv[1:]
    with open(results_path) as file:
        results = [json.loads(line) for line in file if line.strip()]
    with open(checks_path) as file:
        checks = [json.loads(line) for line in file if line.strip()]
    host = machine(load_before, load_after, filesystem)
    summaries = configurations(results, checks)
    report = {
        "benchmark": "interpolation",
        "mode": mode,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "alpha": 0.3,
        "machine": host,
        "configurations": summaries,
        "all_checks_passed": all(s["check"]["passed"] for s in summaries),
        "runs": results,
    }
    with open(os.path.join(out, "interpolation.json"), "w") as file:
        json.dump(report, file, indent=2)
    table = markdown(summaries, host)
    with open(os.path.join(out, "interpolation.md"), "w") as file:
        file.write(table)
    print(table, end="")
    if not report["all_checks_passed"]:
        raise SystemExit("The correctness check failed; see the check entries in %s." % os.path.join(
            out, "interpolation.json"))


if __name__ == "__main__":
    main(sys.argv)
