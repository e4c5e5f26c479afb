#!/usr/bin/python3
"""Combine the paint and PyTorch throughput results into .paint/bench/throughput.json and a markdown table.

scripts/bench/throughput.sh calls this with the JSON that each driver printed and the machine facts it gathered as
environment variables (PAINT_BENCH_*). Every ratio is paint's rate divided by the reference rate of the same run.
"""

import argparse
import datetime
import json
import os
import pathlib

# (row label, key in every driver's JSON)
ROWS = (
    ("fine-tuning, batch 128, AdamW, clipping", "train_images_per_second"),
    ("evaluation, batch 64", "eval_images_per_second"),
    ("data path only, model replaced by a no-op", "data_path_images_per_second"),
    ("IDX decode of the 60,000 training images", "decode_images_per_second"),
)

MACHINE_KEYS = ("cpu", "cores", "memory", "kernel", "java", "load_average")


def reference(argument):
    """Parse NAME=FILE into the reference's name and the JSON its driver printed."""
    name, separator, file = argument.partition("=")
    if not separator or not name or not file:
        raise argparse.ArgumentTypeError(f"invalid reference {argument!r}: expected NAME=FILE")
    return name, json.loads(pathlib.Path(file).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paint", required=True, help="JSON printed by dev.paint.bench.training.TrainingThroughput")
    parser.add_argument("--reference", type=reference, action="append", required=True,
                        help="NAME=FILE with the JSON printed by throughput_torch.py; repeat for each reference")
    parser.add_argument("--output", required=True, help="JSON file to write")
    parser.add_argument("--mode", required=True, choices=("full", "smoke"), help="the mode the drivers ran in")
    args = parser.parse_args()

    paint = json.loads(pathlib.Path(args.paint).read_text())
    report = build_report(paint, args.reference, args.mode)
    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(report))


def build_report(paint, references, mode):
    """Build the report: the machine, each driver's settings, and per row every rate and ratio."""
    machine = {key: os.environ.get("PAINT_BENCH_" + key.upper(), "unknown") for key in MACHINE_KEYS}
    machine["torch"] = references[0][1]["torch_version"]
    drivers = [{"name": "paint", "threads": paint["threads"], "interop_threads": paint["interop_threads"]}]
    for name, result in references:
        drivers.append({"name": name, "threads": result["threads"], "interop_threads": result["interop_threads"],
                        "blas": result["blas"]})

    rows = []
    for label, key in ROWS:
        row = {"work": label, "key": key, "paint_images_per_second": paint[key], "references": []}
        for name, result in references:
            row["references"].append({"name": name, "images_per_second": result[key],
                                      "ratio": paint[key] / result[key]})
        rows.append(row)

    data_path = paint["data_path_images_per_second"]
    return {
        "benchmark": "training and evaluation throughput of EncoderSpec.DEMO on Fashion-MNIST",
        "mode": mode,
        "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "drivers": drivers,
        "rows": rows,
        # How many times faster than fine-tuning the data path alone runs: well above 1 means it is no bottleneck.
        "data_path_headroom": {"train": data_path / paint["train_images_per_second"],
                               "eval": data_path / paint["eval_images_per_second"]},
    }


def markdown(report):
    """Format the report as the table docs/benchmarks.md shows, preceded by the machine it ran on."""
    machine = report["machine"]
    lines = [
        f"Mode: {report['mode']}, recorded {report['recorded_at']}",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} memory, kernel {machine['kernel']},"
        f" load average {machine['load_average']} at start",
        f"Software: {machine['java']}; PyTorch {machine['torch']}",
    ]
    for driver in report["drivers"]:
        blas = f", BLAS {driver['blas']}" if "blas" in driver else ""
        lines.append(f"- {driver['name']}: {driver['threads']} intra-op / {driver['interop_threads']} inter-op"
                     f" threads{blas}")

    names = [entry["name"] for entry in report["rows"][0]["references"]]
    header = "| work | paint images/s |" + "".join(f" {name} images/s | ratio |" for name in names)
    lines += ["", header, "|---|---|" + "---|---|" * len(names)]
    for row in report["rows"]:
        cells = "".join(f" {entry['images_per_second']:,.0f} | {entry['ratio']:.2f} |" for entry in row["references"])
        lines.append(f"| {row['work']} | {row['paint_images_per_second']:,.0f} |{cells}")

    headroom = report["data_path_headroom"]
    lines.append("")
    lines.append(f"paint's no-op data path runs {headroom['train']:.1f} times as fast as its fine-tuning and"
                 f" {headroom['eval']:.1f} times as fast as its evaluation.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
