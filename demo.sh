#!/usr/bin/env bash
# Runs the PAINT demo on this machine: fetches the datasets, builds every module, then runs paint-demo.jar, which
# starts a Kafka broker, an object store and the four services, pretrains a base encoder and patches it twice.
# Options are passed on to the demo; `./demo.sh --help` lists them (after the fetch and the build).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"

scripts/fetch-datasets.sh
echo "demo.sh: building all modules (mvn -B -q install -DskipTests)"
mvn -B -q install -DskipTests
exec java -jar paint-demo/target/paint-demo.jar "$@"
