#!/usr/bin/env bash
# Operator at scale on the real control plane (kube-apiserver + etcd + controller manager +
# scheduler + kwok nodes, built by scripts/kube-control-plane.sh): N RecommenderModels applied at
# once, time until all have their objects and a settled Ready status, JVM heap and CPU, API calls
# per resource from the API server's audit log. Prints a table.
#
#   bench/operator-scale.sh [N ...]        (default: 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> Building the operator and its test harness..."
./mvnw -q -B -pl operator -am install -DskipTests
bash scripts/kube-control-plane.sh >/dev/null
./mvnw -q -B -pl operator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.sequor.operator.bench.OperatorScaleBenchmark -Dexec.args="${*:-100 1000}"
