#!/usr/bin/env bash
# Measures images/s of fine-tuning, evaluation and the bare data path of the demo encoder in paint (DJL) and in the
# same network written in PyTorch, in one run with the same thread count. Prints a markdown table of both rates, their
# ratio and the machine they ran on, and writes the same figures as JSON.
#
# Usage: scripts/bench/throughput.sh [--smoke] [--no-build] [--output FILE]
#   --smoke      a few steps only, to check that the harness works (CI runs this); its figures mean nothing
#   --no-build   use the classes and target/lib already in paint-bench/target instead of running Maven
#   --output     JSON file to write, default <repository>/.paint/bench/throughput.json
# Environment:
#   PAINT_BENCH_THREADS  intra-op threads of both frameworks, default: the number of online CPUs (nproc)
#   PAINT_BENCH_PYTHON   Python with torch and numpy, default /usr/bin/python3 (Debian's python3-torch)
#   PAINT_DATA_DIR       datasets directory, as in scripts/fetch-datasets.sh, default <repository>/.paint/data
#   PAINT_BENCH_OPENBLAS_DIR  directory with OpenBLAS's libblas.so.3, default the one of Debian's
#                        libopenblas0-pthread when installed. When it exists, the PyTorch reference runs a second time
#                        with that BLAS first on LD_LIBRARY_PATH.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench_dir="$repo/scripts/bench"
data_dir="${PAINT_DATA_DIR:-$repo/.paint/data}/fashion-mnist"
python="${PAINT_BENCH_PYTHON:-/usr/bin/python3}"
threads="${PAINT_BENCH_THREADS:-$(nproc)}"
openblas_dir="${PAINT_BENCH_OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}"
# Eager PyTorch runs no inter-op work, so one inter-op thread on both sides keeps the pools equal.
interop_threads=1

mode=full
build=true
output="$repo/.paint/bench/throughput.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) mode=smoke; shift ;;
    --no-build) build=false; shift ;;
    --output) output="${2:?--output needs a file name}"; shift 2 ;;
    *)
      echo "Unknown option $1; usage: scripts/bench/throughput.sh [--smoke] [--no-build] [--output FILE]" >&2
      exit 2
      ;;
  esac
done

# Steps of 128 images per epoch, timed epochs after one warm-up epoch, images in the timed evaluation pass.
if [[ "$mode" == smoke ]]; then
  sizes=(--train-steps 2 --train-epochs 1 --eval-images 256)
else
  sizes=(--train-steps 20 --train-epochs 3 --eval-images 10000)
fi

if [[ ! -f "$data_dir/train-images-idx3-ubyte.gz" ]]; then
  echo "Missing $data_dir/train-images-idx3-ubyte.gz: run scripts/fetch-datasets.sh first" >&2
  exit 1
fi
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "$python cannot import torch and numpy: install python3-torch (Debian) or set PAINT_BENCH_PYTHON" >&2
  exit 1
fi
if [[ "$build" == true ]]; then
  (cd "$repo" && mvn -B -q -pl paint-bench -am package -DskipTests)
fi
if [[ ! -d "$repo/paint-bench/target/lib" ]]; then
  echo "Missing $repo/paint-bench/target/lib: run without --no-build, or mvn -pl paint-bench -am package first" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export PAINT_BENCH_CPU="$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
export PAINT_BENCH_CORES="$(nproc)"
export PAINT_BENCH_MEMORY="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
export PAINT_BENCH_KERNEL="$(uname -r)"
export PAINT_BENCH_JAVA="$(java -version 2>&1 | head -n 1)"
export PAINT_BENCH_LOAD_AVERAGE="$(cut -d ' ' -f 1-3 /proc/loadavg)"

echo "Measuring paint (DJL), $mode mode, $threads threads..." >&2
OMP_NUM_THREADS="$threads" java -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads="$interop_threads" \
  -cp "$repo/paint-bench/target/classes:$repo/paint-bench/target/lib/*" \
  dev.paint.bench.training.TrainingThroughput --data "$data_dir" "${sizes[@]}" > "$work/paint.json"

# Runs the PyTorch reference; the arguments before it are extra environment settings, such as LD_LIBRARY_PATH.
measure_reference() {
  local name="$1"
  shift
  echo "Measuring PyTorch ($python, $name), $mode mode, $threads threads..." >&2
  env "$@" OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "$python" "$bench_dir/throughput_torch.py" \
    --data "$data_dir" --threads "$threads" --interop-threads "$interop_threads" "${sizes[@]}" > "$work/$name.json"
  references+=(--reference "$name=$work/$name.json")
}

# Debian's torch calls whichever BLAS the libblas.so.3 alternative points to. Its default, the reference BLAS of
# libblas3, runs the dense layers many times slower than OpenBLAS, so OpenBLAS gives a second, fairer reference.
references=()
measure_reference pytorch
system_blas="$(readlink -f /lib/x86_64-linux-gnu/libblas.so.3 || true)"
if [[ -f "$openblas_dir/libblas.so.3" && "$system_blas" != "$openblas_dir"/* ]]; then
  measure_reference pytorch-openblas LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

"$python" "$bench_dir/throughput_report.py" --paint "$work/paint.json" "${references[@]}" \
  --output "$output" --mode "$mode"
echo "Wrote $output" >&2
