#!/usr/bin/env bash
# Serving benchmark on loopback: the ceiling (ONNX Runtime alone, in process), the Sequor
# inference runtime (dynamic batching on and off; with batching also over OIP REST, JSON and
# binary tensors) and, side by side in the same run, a Python peer (FastAPI + uvicorn + onnxruntime, installed from
# PyPI into a benchmark-only virtual environment) serving the same ONNX file. Closed-loop load
# from bench/serving/LoadGenerator.java with real user histories from amazon-games.
#
#   bench/serving.sh [SECONDS_PER_STEP]        (default 20; concurrencies 1 8 32 64)
#
# Model: bench/results/amazon-bce/package when bench/train-quality.sh has run, else a one-epoch
# SASRec trained here on amazon-games (serving cost depends on the shapes: 23,715 items, history
# 50, hidden 50, not on the weights). Results: bench/results/serving/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SEQUOR_DATASETS:-../shared/datasets}"
OUT=bench/results/serving
STEP="${1:-20}"
CONCURRENCY="1 8 32 64"
SEQUOR_PORT=18181
PEER_PORT=18282
mkdir -p "$OUT"
# A server left running by a failed step would answer the next step's load: stop them all on exit.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
for port in 18181 18282; do
  if curl -s "http://127.0.0.1:$port" >/dev/null 2>&1; then echo "port $port is in use: stop that server first"; exit 1; fi
done

PKG="${SEQUOR_BENCH_MODEL:-bench/results/amazon-bce/package}"
if [ ! -f "$PKG/model.onnx" ]; then
  PKG="$OUT/model"
  if [ ! -f "$PKG/model.onnx" ]; then
    echo "==> Training a one-epoch SASRec on amazon-games for the serving benchmark..."
    ./scripts/train.sh --data "$DATA/amazon-games.txt" --short-users train-only --epochs 1 --eval-every 1 \
      --output "$PKG" --threads 2 >/dev/null
  fi
fi
PKG="$(cd "$PKG" && pwd)"
echo "==> Model package: $PKG ($(python3 -c "import json;m=json.load(open('$PKG/metadata.json'));print(m['itemCount'],'items, history',m['maxSequenceLength'])"))"

# One line per user: the user's items (external ids) in time order.
awk '{h[$1] = h[$1] "," $2} END {n = 0; for (u in h) if (n++ < 5000) print substr(h[u], 2)}' \
  "$DATA/amazon-games.txt" > "$OUT/histories.txt"

echo "==> Building the runtime..."
./mvnw -q -B -pl inference-runtime -am install -DskipTests
VENV="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}/peer-venv-$(sha256sum bench/serving/requirements.txt | cut -c1-8)"
if [ ! -x "$VENV/bin/uvicorn" ]; then
  echo "==> Installing the Python peer into $VENV ..."
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r bench/serving/requirements.txt
fi

wait_for() {
  for _ in $(seq 1 240); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "not ready: $1"; return 1
}

load() {
  java bench/serving/LoadGenerator.java "$1" "$OUT/histories.txt" "$STEP" 10 $CONCURRENCY | tee "$OUT/$2.txt"
}

LENGTH=$(python3 -c "import json;print(json.load(open('$PKG/metadata.json'))['maxSequenceLength'])")
# The same histories as Open Inference Protocol calls on item indices (the stock clients' way).
load_oip() {
  SEQUOR_LOAD_PROTOCOL=$3 SEQUOR_LOAD_ITEMS="$PKG/items.tsv" SEQUOR_LOAD_LENGTH=$LENGTH \
    java bench/serving/LoadGenerator.java "$1" "$OUT/histories.txt" "$STEP" 10 $CONCURRENCY | tee "$OUT/$2.txt"
}

echo "==> The ceiling: ONNX Runtime alone, in process, 2 intra-op threads, batches of real histories"
java -cp 'inference-runtime/target/quarkus-app/lib/main/*' bench/serving/OrtCeiling.java "$PKG" "$OUT/histories.txt" \
  "$STEP" 2 10 1 8 32 64 | tee "$OUT/ort-ceiling.txt"

sequor() {
  local name=$1 size=$2 delay=$3
  echo "==> $name (max batch $size, max delay $delay)"
  SEQUOR_MODEL_URI="file://$PKG" SEQUOR_MODEL_NAME=amazon SEQUOR_BATCH_MAX_SIZE="$size" SEQUOR_BATCH_MAX_DELAY="$delay" \
    QUARKUS_HTTP_PORT=$SEQUOR_PORT QUARKUS_GRPC_SERVER_PORT=19191 QUARKUS_LOG_LEVEL=WARN \
    java -Xmx2g -jar inference-runtime/target/quarkus-app/quarkus-run.jar > "$OUT/$name.log" 2>&1 &
  local pid=$!
  wait_for "http://127.0.0.1:$SEQUOR_PORT/q/health/ready"
  load "http://127.0.0.1:$SEQUOR_PORT/v1/recommendations" "$name"
  if [ "$size" -gt 1 ]; then
    echo "--> the same runtime, OIP REST JSON"
    load_oip "http://127.0.0.1:$SEQUOR_PORT/v2/models/amazon/infer" "$name-oip-json" oip-json
    echo "--> the same runtime, OIP REST binary tensors"
    load_oip "http://127.0.0.1:$SEQUOR_PORT/v2/models/amazon/infer" "$name-oip-binary" oip-binary
  fi
  kill $pid; wait $pid 2>/dev/null || true
}

sequor sequor-batching 32 2ms
sequor sequor-no-batching 1 0ms

echo "==> python-peer (FastAPI + uvicorn + onnxruntime)"
PEER_MODEL_DIR="$PKG" PEER_THREADS=2 "$VENV/bin/uvicorn" --app-dir bench/serving peer_server:app \
  --host 127.0.0.1 --port $PEER_PORT --log-level warning > "$OUT/python-peer.log" 2>&1 &
PEER=$!
wait_for "http://127.0.0.1:$PEER_PORT/health"
load "http://127.0.0.1:$PEER_PORT/v1/recommendations" python-peer
kill $PEER; wait $PEER 2>/dev/null || true

echo
echo "Summary: req/s and p99 (ms) per concurrency; ratio = Sequor with batching / Python peer"
printf '%-12s %-24s %-24s %-24s %-12s %-10s\n' concurrency sequor-batching sequor-no-batching python-peer "ratio req/s" "ratio p99"
for c in $CONCURRENCY; do
  row() { grep -E "^concurrency +$c " "$OUT/$1.txt" | awk '{printf "%s req/s, p99 %s", $3, $9}'; }
  rps() { grep -E "^concurrency +$c " "$OUT/$1.txt" | awk '{print $3}'; }
  p99() { grep -E "^concurrency +$c " "$OUT/$1.txt" | awk '{print $9}'; }
  printf '%-12s %-24s %-24s %-24s %-12s %-10s\n' "$c" "$(row sequor-batching)" "$(row sequor-no-batching)" \
    "$(row python-peer)" "$(awk -v a="$(rps sequor-batching)" -v b="$(rps python-peer)" 'BEGIN{printf "%.2fx", a/b}')" \
    "$(awk -v a="$(p99 sequor-batching)" -v b="$(p99 python-peer)" 'BEGIN{printf "%.2fx", a/b}')"
done
CEILING=$(awk 'NR > 1 && $2 > max {max = $2} END {print max}' "$OUT/ort-ceiling.txt")
echo
echo "Sequor with batching per protocol, as a fraction of the ONNX Runtime ceiling ($CEILING rows/s)"
printf '%-12s %-28s %-28s %-28s\n' concurrency "recommendations" "OIP REST JSON" "OIP REST binary"
for c in $CONCURRENCY; do
  cell() { grep -E "^concurrency +$c " "$OUT/$1.txt" | awk -v m="$CEILING" '{printf "%s req/s (%.0f%%), p99 %s", $3, 100 * $3 / m, $9}'; }
  printf '%-12s %-28s %-28s %-28s\n' "$c" "$(cell sequor-batching)" "$(cell sequor-batching-oip-json)" \
    "$(cell sequor-batching-oip-binary)"
done
