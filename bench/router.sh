#!/usr/bin/env bash
# Router benchmark on loopback, one run, same model, same load:
#   0. one user, one request at a time: the latency the hop adds on a quiet machine;
#   1. overhead: closed-loop recommendation requests (each with a userId, so the router hashes
#      every one) straight to a predictor, then through a router in front of it;
#   2. a weight change from 5% to 50% under 64 closed-loop users, every request a new user:
#      failed requests, and the share of requests each variant answered before and after.
#
#   bench/router.sh [SECONDS_PER_STEP]        (default 20; concurrencies 1 8 32 64)
#   SEQUOR_BENCH_PIN=0 bench/router.sh        (no pinning: every process on both cores)
#
# Pinning (2 cores, the default): predictors on core 0 (one ONNX Runtime thread each), the router
# and the load generator together on core 1. Direct runs leave the router's core to the load
# generator alone, so the comparison charges the router with all the CPU it takes from a machine
# this size.
# Model: as bench/serving.sh (bench/results/amazon-bce/package, else a one-epoch Amazon Games SASRec
# trained here). The weight change serves that package as two versions: it measures routing.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SEQUOR_DATASETS:-../shared/datasets}"
OUT=bench/results/router
STEP="${1:-20}"
CONCURRENCY="${SEQUOR_BENCH_CONCURRENCY:-1 8 32 64}"
mkdir -p "$OUT"

PKG="${SEQUOR_BENCH_MODEL:-bench/results/amazon-bce/package}"
if [ ! -f "$PKG/model.onnx" ]; then
  PKG=bench/results/serving/model
  if [ ! -f "$PKG/model.onnx" ]; then
    echo "==> Training a one-epoch SASRec on amazon-games for the benchmark..."
    mkdir -p bench/results/serving
    ./scripts/train.sh --data "$DATA/amazon-games.txt" --short-users train-only --epochs 1 --eval-every 1 \
      --output "$PKG" --threads 2 >/dev/null
  fi
fi
PKG="$(cd "$PKG" && pwd)"
awk '{h[$1] = h[$1] "," $2} END {n = 0; for (u in h) if (n++ < 5000) print substr(h[u], 2)}' \
  "$DATA/amazon-games.txt" > "$OUT/histories.txt"
[ -f inference-runtime/target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B -pl inference-runtime -am install -DskipTests
JAR=inference-runtime/target/quarkus-app/quarkus-run.jar
PIDS=()
if [ "${SEQUOR_BENCH_PIN:-1}" = 1 ]; then CORE0="taskset -c 0"; CORE1="taskset -c 1"; THREADS=1; else CORE0=""; CORE1=""; THREADS=0; fi
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

wait_for() {
  for _ in $(seq 1 240); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "not ready: $1"; return 1
}
predictor() { # NAME VERSION HTTP GRPC
  SEQUOR_MODEL_URI="file://$PKG" SEQUOR_MODEL_NAME=amazon SEQUOR_MODEL_VERSION="$2" SEQUOR_INFERENCE_THREADS=$THREADS \
    SEQUOR_BATCH_MAX_SIZE=32 SEQUOR_BATCH_MAX_DELAY=2ms QUARKUS_HTTP_PORT="$3" QUARKUS_GRPC_SERVER_PORT="$4" \
    QUARKUS_LOG_LEVEL=WARN $CORE0 java -Xmx2g -jar $JAR > "$OUT/$1.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$3/q/health/ready"
}
split() { # CANDIDATE_WEIGHT FILE
  cat > "$2" <<JSON
{"formatVersion": 1, "model": "amazon", "salt": "bench",
 "variants": [{"variant": "candidate", "version": "2", "weight": $1, "http": "http://127.0.0.1:18182", "grpc": "127.0.0.1:19192"},
              {"variant": "champion", "version": "1", "weight": $((100 - $1)), "http": "http://127.0.0.1:18181", "grpc": "127.0.0.1:19191"}]}
JSON
}
load() { # URL NAME
  SEQUOR_LOAD_USERS=100000 $CORE1 java bench/serving/LoadGenerator.java "$1" "$OUT/histories.txt" "$STEP" 10 \
    $CONCURRENCY | tee "$OUT/$2.txt"
}

echo "==> Predictors (core 0): version 1 and version 2 of $(basename "$(dirname "$PKG")")/$(basename "$PKG")"
predictor predictor-v1 1 18181 19191
predictor predictor-v2 2 18182 19192
split 0 "$OUT/split.json"
echo "==> Router (core 1)"
SEQUOR_ROLE=router SEQUOR_ROUTER_SPLIT_FILE="$PWD/$OUT/split.json" SEQUOR_MODEL_NAME=amazon \
  QUARKUS_HTTP_PORT=18080 QUARKUS_GRPC_SERVER_PORT=19090 QUARKUS_LOG_LEVEL=WARN \
  $CORE1 java -Xmx512m -jar $JAR > "$OUT/router.log" 2>&1 &
PIDS+=($!)
wait_for http://127.0.0.1:18080/q/health/ready

echo "==> Warming up the JIT of the router and the predictor (10 s at 32 users through the router, not counted)"
SEQUOR_LOAD_USERS=100000 $CORE1 java bench/serving/LoadGenerator.java http://127.0.0.1:18080/v1/recommendations \
  "$OUT/histories.txt" 10 10 32 > /dev/null
echo "==> One user, one request at a time (3,000 each; the floor: a bare round trip to a runtime's health endpoint)"
BODY="{\"userId\":\"u1\",\"history\":[$(head -1 "$OUT/histories.txt" | cut -d, -f1-5 | sed 's/\([^,]*\)/"\1"/g')],\"k\":10}"
$CORE1 java bench/router/SequentialLatency.java "$BODY" http://127.0.0.1:18181/q/health/live \
  http://127.0.0.1:18181/v1/recommendations http://127.0.0.1:18080/v1/recommendations | tee "$OUT/sequential.txt"
echo "==> Straight to the predictor"
load http://127.0.0.1:18181/v1/recommendations direct
echo "==> Through the router"
load http://127.0.0.1:18080/v1/recommendations routed

echo
echo "Router overhead (same model, same load; req/s and latency in ms)"
printf '%-12s %10s %10s %9s %9s %9s %9s %10s %10s\n' concurrency direct routed ratio "p50 dir" "p50 rtd" "p50 +" "p99 dir" "p99 rtd"
paste "$OUT/direct.txt" "$OUT/routed.txt" | awk '{
  printf "%-12s %10.1f %10.1f %8.1f%% %9.2f %9.2f %9.2f %10.2f %10.2f\n", $2, $3, $15, 100*$15/$3, $6, $18, $18-$6, $9, $21 }'

echo
echo "==> A weight change from 5% to 50% under 64 closed-loop users (every request a new user)"
split 5 "$OUT/split.json"
sleep 2
split 50 "$OUT/split-50.json"
$CORE1 java bench/router/SplitChangeLoad.java http://127.0.0.1:18080/v1/recommendations "$OUT/histories.txt" \
  64 "$STEP" "$STEP" "$PWD/$OUT/split.json" "$OUT/split-50.json" | tee "$OUT/weight-change.txt"
curl -s http://127.0.0.1:18080/q/metrics | grep -E '^sequor_(fallbacks_total|request_errors_total)' || echo "(no fallbacks or errors counted)"
