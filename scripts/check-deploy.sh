#!/usr/bin/env bash
# Checks the deployment and monitoring files under deploy/ against each other and against the services' code.
#   - Kubernetes: renders the overlays cpu and gpu, the Strimzi topics and the PodMonitor with `kubectl kustomize`.
#     Only the gpu overlay may request a GPU, no overlay may render a Secret, and every service needs its image, its
#     HTTP port and its health probes.
#   - Kafka: every topic in dev.paint.shared.event.Topics and every dead-letter topic needs a KafkaTopic.
#   - Prometheus: `promtool check config`, `promtool check rules` and `promtool test rules`.
#   - Grafana: the dashboard must be valid JSON and promtool must parse every panel query.
#   - Metric names: every paint_* metric in the dashboard and the alerts must belong to a meter that the services'
#     Java code registers.
# Needs bash, grep with -P, python3, promtool (Debian package prometheus) and kubectl. Tested with kubectl v1.32.4
# (kustomize v5.5.0); the kustomizations use fields that old kustomize releases lack. Without kubectl, the Kubernetes
# and Kafka checks are skipped with a warning.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

services=(trainer-service interpolator-service evaluator-service registry-service)
image_tag=0.1.0
skipped=()

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "check-deploy: FAILED: $*" >&2
  exit 1
}

step() {
  echo "check-deploy: $*"
}

# Prints the HTTP port that a service's application.properties sets (quarkus.http.port).
http_port() {
  local service=$1
  local port
  port="$(grep -oP '^quarkus\.http\.port=\K[0-9]+' "$service/src/main/resources/application.properties" || true)"
  [[ -n "$port" ]] || fail "no quarkus.http.port in $service/src/main/resources/application.properties"
  echo "$port"
}

# Prints the document of kind $1 with metadata.name $2 from the multi-document YAML file $3. It relies on the layout
# of `kubectl kustomize` output: documents separated by "---" lines and metadata.name indented by two spaces.
manifest() {
  awk -v kind="$1" -v name="$2" 'BEGIN { RS = "\n---\n" }
    $0 ~ ("(^|\n)kind: " kind "\n") && $0 ~ ("\n  name: " name "\n") { print }' "$3"
}

# Counts the lines of $2 that equal $1 once their indentation and list dash are removed.
count_lines() {
  grep -cxF -- "$1" <(sed 's/^[ -]*//' <<<"$2") || true
}

render() {
  local source=$1 output=$2
  kubectl kustomize "$source" >"$output" 2>"$work/kustomize.err" ||
    fail "kubectl kustomize $source: $(cat "$work/kustomize.err") (tested with kubectl v1.32.4, kustomize v5.5.0)"
}

check_service_manifests() {
  local overlay=$1 rendered=$2
  local service port deployment

  for service in "${services[@]}"; do
    port="$(http_port "$service")"
    deployment="$(manifest Deployment "$service" "$rendered")"
    [[ -n "$deployment" ]] || fail "overlay $overlay renders no Deployment named $service"
    [[ -n "$(manifest Service "$service" "$rendered")" ]] || fail "overlay $overlay renders no Service named $service"

    [[ "$(count_lines "image: paint/$service:$image_tag" "$deployment")" -eq 1 ]] ||
      fail "Deployment $service in overlay $overlay does not use image paint/$service:$image_tag"
    [[ "$(count_lines "containerPort: $port" "$deployment")" -eq 1 ]] ||
      fail "Deployment $service in overlay $overlay does not expose port $port (quarkus.http.port of $service)"
    [[ "$(count_lines "path: /q/health/ready" "$deployment")" -eq 1 ]] ||
      fail "Deployment $service in overlay $overlay has no readiness probe on /q/health/ready"
    # The startup probe and the liveness probe both use /q/health/live.
    [[ "$(count_lines "path: /q/health/live" "$deployment")" -eq 2 ]] ||
      fail "Deployment $service in overlay $overlay lacks the startup or liveness probe on /q/health/live"
  done

  if grep -qx 'kind: Secret' "$rendered"; then
    fail "overlay $overlay renders a Secret; the object store keys belong in a Secret created with kubectl" \
      "(deploy/k8s/README.md), never in the manifests"
  fi
}

check_kubernetes() {
  if ! command -v kubectl >/dev/null; then
    echo "check-deploy: WARNING: kubectl not found, so deploy/k8s was NOT checked." \
      "Install kubectl (tested with v1.32.4) to check it." >&2
    skipped+=("Kubernetes and Kafka checks (no kubectl)")
    return
  fi

  local overlay
  for overlay in cpu gpu; do
    render "deploy/k8s/overlays/$overlay" "$work/$overlay.yaml"
    check_service_manifests "$overlay" "$work/$overlay.yaml"
    step "deploy/k8s/overlays/$overlay renders $(grep -cx 'kind: Deployment' "$work/$overlay.yaml") Deployments"
  done

  local trainer_gpu trainer_cpu
  trainer_gpu="$(manifest Deployment trainer-service "$work/gpu.yaml")"
  trainer_cpu="$(manifest Deployment trainer-service "$work/cpu.yaml")"
  [[ "$(count_lines "nvidia.com/gpu: 1" "$trainer_gpu")" -eq 1 ]] ||
    fail "the gpu overlay's trainer-service does not request nvidia.com/gpu: 1"
  [[ "$(grep -c 'nvidia.com/gpu' "$work/gpu.yaml")" -eq "$(grep -c 'nvidia.com/gpu' <<<"$trainer_gpu")" ]] ||
    fail "the gpu overlay mentions nvidia.com/gpu outside trainer-service"
  if grep -n 'nvidia.com/gpu' "$work/cpu.yaml" >"$work/cpu-gpu-lines"; then
    fail "the cpu overlay still requests or selects a GPU: $(tr '\n' ' ' <"$work/cpu-gpu-lines")"
  fi
  grep -A1 -x ' *- name: PAINT_TRAINER_PREFER_GPU' <<<"$trainer_cpu" | grep -qx ' *value: "false"' ||
    fail "the cpu overlay's trainer-service does not set PAINT_TRAINER_PREFER_GPU=false"
  if grep -q 'PAINT_TRAINER_PREFER_GPU' "$work/gpu.yaml"; then
    fail "the gpu overlay sets PAINT_TRAINER_PREFER_GPU; it should keep the trainer's default (true)"
  fi
  step "only the gpu overlay requests a GPU; the cpu overlay sets PAINT_TRAINER_PREFER_GPU=false"

  render deploy/k8s/monitoring "$work/monitoring.yaml"
  step "deploy/k8s/monitoring renders"

  check_topics
}

# Every topic constant and every dead-letter topic of a channel with failure-strategy=dead-letter-queue needs a
# KafkaTopic, or a cluster without automatic topic creation stops the pipeline.
check_topics() {
  local topics_java=paint-shared/src/main/java/dev/paint/shared/event/Topics.java
  render deploy/k8s/kafka-topics "$work/topics.yaml"

  local expected=() topic properties channel override
  mapfile -t expected < <(grep -oP 'static final String [A-Z_]+ = "\K[^"]+' "$topics_java")
  [[ "${#expected[@]}" -gt 0 ]] || fail "found no topic constants in $topics_java"

  for properties in */src/main/resources/application.properties; do
    while read -r channel; do
      override="$(grep -oP "^mp\.messaging\.incoming\.\Q$channel\E\.dead-letter-queue\.topic=\K.+" "$properties" || true)"
      expected+=("${override:-dead-letter-topic-$channel}")
    done < <(grep -oP '^mp\.messaging\.incoming\.\K[^.]+(?=\.failure-strategy=dead-letter-queue)' "$properties")
  done

  for topic in "${expected[@]}"; do
    grep -qxF "  topicName: $topic" "$work/topics.yaml" ||
      fail "deploy/k8s/kafka-topics has no KafkaTopic with topicName $topic"
  done
  step "deploy/k8s/kafka-topics covers all ${#expected[@]} topics: ${expected[*]}"
}

check_prometheus() {
  command -v promtool >/dev/null ||
    fail "promtool not found; install Debian's prometheus package (apt-get install prometheus), as .ci/run does"

  promtool check config deploy/prometheus/prometheus.yml
  promtool check rules deploy/prometheus/alerts.yml
  promtool test rules deploy/prometheus/alerts-test.yml

  local service port
  for service in "${services[@]}"; do
    port="$(http_port "$service")"
    grep -qF "\"$service:$port\"" deploy/prometheus/prometheus.yml ||
      fail "deploy/prometheus/prometheus.yml does not scrape $service:$port"
  done
  step "deploy/prometheus/prometheus.yml scrapes all ${#services[@]} services on their HTTP ports"
}

check_dashboard() {
  local dashboard=deploy/grafana/dashboards/paint.json
  python3 -m json.tool "$dashboard" >/dev/null || fail "$dashboard is not valid JSON"
  step "$dashboard is valid JSON"

  # promtool parses every panel query as the expression of a recording rule, with Grafana's $model variable
  # replaced by a model name.
  python3 - "$dashboard" >"$work/dashboard-rules.yml" <<'PY'
import json
import sys

dashboard = json.load(open(sys.argv[1]))
print("groups:\n  - name: dashboard-queries\n    rules:")
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$model", "demo")
        print(f"      - record: dashboard:panel_{panel['id']}:{target['refId']}")
        print(f"        expr: {json.dumps(expr)}")
PY
  promtool check rules "$work/dashboard-rules.yml" >"$work/promtool.out" 2>&1 ||
    fail "a query in $dashboard does not parse: $(cat "$work/promtool.out")"
  step "promtool parses all $(grep -c 'record:' "$work/dashboard-rules.yml") queries of $dashboard"
}

# Micrometer's Prometheus registry exports a meter "paint.a.b" as paint_a_b, adding _total to counters and
# _seconds_count, _seconds_sum and _seconds_max to timers. Each exported name in the dashboard and the alerts must map
# back to a "paint.*" string literal in the services' Java sources, so a renamed meter fails here.
check_metric_names() {
  python3 - deploy/grafana/dashboards/paint.json deploy/prometheus/alerts.yml <<'PY'
import pathlib
import re
import sys

used = {}
for path in sys.argv[1:]:
    for name in re.findall(r"\bpaint_[a-z_]+", pathlib.Path(path).read_text()):
        used.setdefault(name, path)

registered = set()
for source in pathlib.Path(".").glob("*/src/main/java/**/*.java"):
    registered.update(re.findall(r'"(paint\.[a-z.]+)"', source.read_text()))

missing = []
for name, path in sorted(used.items()):
    meter = re.sub(r"(_seconds_count|_seconds_sum|_seconds_max|_total)$", "", name).replace("_", ".")
    if meter not in registered:
        missing.append(f"{name} (meter {meter}, used in {path})")

if missing:
    sys.exit("check-deploy: FAILED: no Java source registers these meters: " + "; ".join(missing))
print(f"check-deploy: all {len(used)} paint_* metrics in the dashboard and the alerts have a meter in the Java sources")
PY
}

check_kubernetes
check_prometheus
check_dashboard
check_metric_names
if [[ "${#skipped[@]}" -gt 0 ]]; then
  step "all other checks passed; SKIPPED: ${skipped[*]}"
else
  step "all checks passed"
fi
