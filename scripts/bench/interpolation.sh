#!/usr/bin/env bash
# Interpolation benchmark: paint's linear merge against a plain copy of the same bytes, numpy and torch.lerp, on
# synthetic checkpoints shaped like CLIP image towers. See docs/benchmarks.md, section "Interpolation".
#
# Usage: scripts/bench/interpolation.sh [--smoke] [--no-build] [--out DIR] [--work DIR] [--runs N]
#                                       [--configurations "TOWER:DTYPE:LAYOUT ..."]
#   --smoke     tiny checkpoints (a few MB), one run per contender, for CI
#   --runs N    runs per contender and configuration (default 3, or 1 with --smoke)
#   --configurations  a subset such as "vit-l-14:F16:single vit-b-32:BF16:sharded" (default all 12)
#   --no-build  use the paint-bench module as already packaged (the integration test packages it itself)
#   --out DIR   where interpolation.json and interpolation.md go (default .paint/bench, or .paint/bench/smoke)
#   --work DIR  where checkpoints are generated (default a new folder in /dev/shm when it has room, else in --out)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=/usr/bin/python3
SMOKE=false
BUILD=true
OUT=""
WORK=""
RUNS=""
SELECTED=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) SMOKE=true ;;
    --no-build) BUILD=false ;;
    --out) OUT=$2; shift ;;
    --work) WORK=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --configurations) SELECTED=$2; shift ;;
    *) echo "Unknown option $1; see the usage at the top of $0." >&2; exit 2 ;;
  esac
  shift
done

# A smoke run writes apart from the real figures, so that checking the harness never overwrites them.
if [[ -z "$OUT" ]]; then
  OUT=$($SMOKE && echo "$ROOT/.paint/bench/smoke" || echo "$ROOT/.paint/bench")
fi

# Configurations as tower:dtype:layout. The smoke mode covers every dtype and both layouts once, on a tiny tower.
if $SMOKE; then
  CONFIGURATIONS=(tiny:F32:single tiny:F16:sharded tiny:BF16:sharded); RUNS=${RUNS:-1}; MAX_SHARD_BYTES=1048576
else
  CONFIGURATIONS=()
  for tower in vit-b-32 vit-l-14; do
    for dtype in F32 F16 BF16; do
      CONFIGURATIONS+=("$tower:$dtype:single" "$tower:$dtype:sharded")
    done
  done
  # 256 MiB shards split ViT-B/32 in F32 into 2 shards and ViT-L/14 into 5.
  RUNS=${RUNS:-3}; MAX_SHARD_BYTES=268435456
fi
if [[ -n "$SELECTED" ]]; then
  read -r -a CONFIGURATIONS <<<"$SELECTED"
fi
ALPHA=0.3

if ! "$PYTHON" -c 'import numpy, torch' 2>/dev/null; then
  echo "$PYTHON cannot import numpy and torch; install the Debian packages python3-numpy and python3-torch." >&2
  exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "/usr/bin/time is missing; install the Debian package time (it reports each contender's peak memory)." >&2
  exit 1
fi

if $BUILD; then
  (cd "$ROOT" && mvn -B -q -pl paint-bench -am package -DskipTests)
fi
CLASSPATH_BENCH="$ROOT/paint-bench/target/classes:$ROOT/paint-bench/target/lib/*"
if [[ ! -d "$ROOT/paint-bench/target/lib" ]]; then
  echo "paint-bench is not packaged; run without --no-build, or mvn -pl paint-bench -am package first." >&2
  exit 1
fi

mkdir -p "$OUT"
if [[ -z "$WORK" ]]; then
  # tmpfs keeps every file in memory, so reads and writes measure the contenders rather than the disk. The largest
  # configuration needs two inputs and one output of ViT-L/14 in F32 at once, about 3.7 GB.
  needed_kb=$($SMOKE && echo 65536 || echo 4500000)
  if [[ -d /dev/shm ]] && (( $(df -k --output=avail /dev/shm | tail -1) > needed_kb )); then
    WORK=$(mktemp -d /dev/shm/paint-bench.XXXXXX)
  else
    WORK=$(mktemp -d "$OUT/work.XXXXXX")
  fi
fi
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

RESULTS="$WORK/results.jsonl"
CHECKS="$WORK/checks.jsonl"
: >"$RESULTS"
: >"$CHECKS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Prints the files of a checkpoint, an index with its shards or one file.
checkpoint_files() {
  if [[ "$1" == *.safetensors.index.json ]]; then
    echo "$1"
    ls "$(dirname "$1")"/*.safetensors
  else
    echo "$1"
  fi
}

total_bytes() {
  local total=0 file
  for checkpoint in "$@"; do
    while read -r file; do total=$((total + $(stat -c %s "$file"))); done < <(checkpoint_files "$checkpoint")
  done
  echo "$total"
}

# Runs one contender under /usr/bin/time -v and appends its record to $RESULTS.
run_contender() {
  local contender=$1 tower=$2 dtype=$3 layout=$4 run=$5 base=$6 fine_tuned=$7 output=$8
  local command
  case "$contender" in
    copy) command=(java -cp "$CLASSPATH_BENCH" dev.paint.bench.merge.PlainCopy "$base" "$fine_tuned" "$output") ;;
    # The interpolator service's launchers add the Vector API module, so paint runs with it here too. The merge needs
    # a few MiB; without a heap limit the JVM sizes its heap from the machine's memory and lets the young generation
    # fill hundreds of MiB with the Vector API's warm-up garbage before collecting it.
    paint) command=(java --add-modules jdk.incubator.vector -Xmx64m -cp "$CLASSPATH_BENCH"
                    dev.paint.bench.merge.PaintMerge "$base" "$fine_tuned" "$ALPHA" "$output" 2) ;;
    numpy|torch) command=("$PYTHON" "$ROOT/scripts/bench/lerp.py" "$contender" "$base" "$fine_tuned" "$ALPHA"
                          "$output") ;;
  esac
  rm -rf "$(dirname "$output")"
  mkdir -p "$(dirname "$output")"
  /usr/bin/time -v -o "$WORK/time.txt" "${command[@]}" >"$WORK/stdout.txt"
  local rss_kb bytes
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  bytes=$(total_bytes "$base" "$fine_tuned" "$output")
  "$PYTHON" - "$contender" "$tower" "$dtype" "$layout" "$run" "$rss_kb" "$bytes" "$WORK/stdout.txt" \
      >>"$RESULTS" <<'PY'
import json, sys
contender, tower, dtype, layout, run, rss_kb, total, stdout = sys.argv[1:]
timing = json.loads(open(stdout).read().strip().splitlines()[-1])
print(json.dumps({"contender": contender, "tower": tower, "dtype": dtype, "layout": layout, "run": int(run),
                  "seconds": timing["seconds"], "first_seconds": timing.get("first_seconds", timing["seconds"]),
                  "bytes": int(total), "peak_rss_kb": int(rss_kb)}))
PY
}

for configuration in "${CONFIGURATIONS[@]}"; do
  IFS=: read -r tower dtype layout <<<"$configuration"
  shard_bytes=$([[ $layout == single ]] && echo 0 || echo "$MAX_SHARD_BYTES")
  config="$WORK/$tower-$dtype-$layout"
  mkdir -p "$config"
  java -cp "$CLASSPATH_BENCH" dev.paint.bench.merge.SyntheticCheckpoints "$tower" "$dtype" "$shard_bytes" "$config"
  if [[ $layout == single ]]; then
    base="$config/base.safetensors"; fine_tuned="$config/fine-tuned.safetensors"; name=candidate.safetensors
  else
    base="$config/base/model.safetensors.index.json"; fine_tuned="$config/fine-tuned/model.safetensors.index.json"
    name=model.safetensors.index.json
  fi
  # Read every input once so that all contenders find them in the page cache.
  cat $(checkpoint_files "$base") $(checkpoint_files "$fine_tuned") >/dev/null
  echo "== $(date -u +%H:%M:%S) $tower $dtype $layout: $(total_bytes "$base") bytes per checkpoint" >&2
  for run in $(seq 1 "$RUNS"); do
    for contender in copy paint numpy torch; do
      run_contender "$contender" "$tower" "$dtype" "$layout" "$run" "$base" "$fine_tuned" \
        "$config/out-$contender/$name"
    done
  done
  "$PYTHON" "$ROOT/scripts/bench/check.py" "$dtype" "$base" "$fine_tuned" "$config/out-paint/$name" \
    "$config/out-numpy/$name" "$config/out-torch/$name" \
    | "$PYTHON" -c 'import json, sys; check = json.load(sys.stdin); check.update(tower=sys.argv[1],
        dtype=sys.argv[2], layout=sys.argv[3]); print(json.dumps(check))' "$tower" "$dtype" "$layout" >>"$CHECKS"
  rm -rf "$config"
done

"$PYTHON" "$ROOT/scripts/bench/report.py" "$RESULTS" "$CHECKS" "$OUT" "$($SMOKE && echo smoke || echo full)" \
  "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(stat -f -c %T "$WORK")"
