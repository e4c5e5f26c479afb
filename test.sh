#!/usr/bin/env bash
# Runs the whole test suite: fetches the datasets, then `mvn -B verify`, whose verify phase ends with
# paint-demo's PipelineEndToEndTest against the packaged services. Arguments are passed on to Maven.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"

scripts/fetch-datasets.sh
exec mvn -B verify "$@"
