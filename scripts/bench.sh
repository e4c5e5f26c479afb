#!/usr/bin/env bash
# Runs paint's benchmarks: interpolation (scripts/bench/interpolation.sh) and, when present, training throughput
# (scripts/bench/throughput.sh). Results go to .paint/bench/. See docs/benchmarks.md.
#
# Usage: scripts/bench.sh [--smoke]   (--smoke: tiny inputs and one run each, to check that the harness works)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
if [[ $# -gt 1 || ( $# -eq 1 && "$1" != --smoke ) ]]; then
  echo "Usage: $0 [--smoke]" >&2
  exit 2
fi

"$HERE/bench/interpolation.sh" "$@"
if [[ -f "$HERE/bench/throughput.sh" ]]; then
  "$HERE/bench/throughput.sh" "$@"
fi
