#!/usr/bin/python3
"""Combine the paint and PyTorch throughput results into .paint/bench/throughput.json and a markdown table.

scripts/bench/throughput.sh calls this with the two JSON files its drivers printed and the machine facts it gathered
as environment variables (PAINT_BENCH_*). Every ratio is paint's rate divided by the reference rate of the same run.
"""

import argparse
import datetime
import json
import os
import pathlib

# (row label, key in both drivers' JSON)
ROWS = (
    ("fine-tuning, batch 128, AdamW, clipping", "train_images_per_second"),
    ("evaluation, batch 64", "eval_images_per_second"),
    ("data path only, model replaced by a no-op", "data_path_images_per_second"),
    ("IDX decode of the 60,000 training images", "decode_images_per_second"),
)

MACHINE_KEYS = ("cpu", "cores", "memory", "kernel", "java", "blas", "load_average")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paint", required=True, help="JSON printed by dev.paint.bench.training.TrainingThroughput")
    parser.add_argument("--torch", required=True, help="JSON printed by throughput_torch.py")
    parser.add_argument("--output", required=True, help="JSON file to write")
    parser.add_argument("--mode", required=True, choices=("full", "smoke"), help="the mode the drivers ran in")
    args = parser.parse_args()

    paint = json.loads(pathlib.Path(args.paint).read_text())
    torch = json.loads(pathlib.Path(args.torch).read_text())
    machine = {key: os.environ.get("PAINT_BENCH_" + key.upper(), "unknown") for key in MACHINE_KEYS}
    machine["torch"] = torch["torch_version"]
    machine["threads"] = {"paint": paint["threads"], "pytorch": torch["threads"],
                          "paint_interop": paint["interop_threads"], "pytorch_interop": torch["interop_threads"]}

    rows = []
    for label, key in ROWS:
        rows.append({"work": label, "key": key, "paint_images_per_second": paint[key],
                     "pytorch_images_per_second": torch[key], "ratio": paint[key] / torch[key]})
    data_path = paint["data_path_images_per_second"]
    report = {
        "benchmark": "training and evaluation throughput of EncoderSpec.DEMO on Fashion-MNIST",
        "mode": args.mode,
        "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "rows": rows,
        # How many times faster than fine-tuning the data path alone runs: well above 1 means it is no bottleneck.
        "data_path_headroom": {"train": data_path / paint["train_images_per_second"],
                               "eval": data_path / paint["eval_images_per_second"]},
    }
    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(report))


def markdown(report):
    """Format the report as the table docs/benchmarks.md shows, preceded by the machine it ran on."""
    machine = report["machine"]
    threads = machine["threads"]
    lines = [
        f"Mode: {report['mode']}, recorded {report['recorded_at']}",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} memory, kernel {machine['kernel']},"
        f" load average {machine['load_average']} at start",
        f"Software: {machine['java']}; PyTorch {machine['torch']} with BLAS {machine['blas']}",
        f"Threads: paint {threads['paint']} intra-op / {threads['paint_interop']} inter-op,"
        f" PyTorch {threads['pytorch']} / {threads['pytorch_interop']}",
        "",
        "| work | paint images/s | PyTorch images/s | ratio |",
        "|---|---|---|---|",
    ]
    for row in report["rows"]:
        lines.append(f"| {row['work']} | {row['paint_images_per_second']:,.0f} |"
                     f" {row['pytorch_images_per_second']:,.0f} | {row['ratio']:.2f} |")
    headroom = report["data_path_headroom"]
    lines.append("")
    lines.append(f"paint's no-op data path runs {headroom['train']:.1f} times as fast as its fine-tuning and"
                 f" {headroom['eval']:.1f} times as fast as its evaluation.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
