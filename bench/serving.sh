#!/usr/bin/env bash
# Serving benchmark on loopback, one server at a time, same model.onnx, same histories:
#   - the ceiling: ONNX Runtime alone, in process (bench/serving/OrtCeiling.java);
#   - Sequor's inference runtime with dynamic batching: the recommendation API, and the Open
#     Inference Protocol over REST JSON, REST binary tensors and gRPC; without batching: the
#     recommendation API;
#   - Triton Inference Server (PyTriton's bundled tritonserver, dynamic batcher max 32 / 2 ms,
#     onnxruntime in the bound Python function): OIP REST JSON, REST binary, gRPC;
#   - KServe's Python model server with onnxruntime (a custom model, as KServe users write one):
#     the same three;
#   - a FastAPI + uvicorn + onnxruntime server with Sequor's recommendation API.
# The peers run from benchmark-only virtual environments under ~/.cache/sequor (PyPI, pinned in
# bench/serving/*requirements.txt). Load, closed loop: bench/serving/LoadGenerator.java for REST
# (it reports its own CPU), ghz (built once from the Go module proxy) for gRPC. Before loading a
# peer, its answer for one history is checked against Sequor's: same items, or the run stops.
#
#   bench/serving.sh [SECONDS_PER_STEP]        (default 20; SEQUOR_BENCH_CONCURRENCY, default "1 8 32 64 128")
#
# Model: bench/results/amazon-bce/package when bench/train-quality.sh has run, else a one-epoch
# SASRec trained here on amazon-games (serving cost depends on the shapes: 23,715 items, history
# 50, hidden 50, not on the weights). Results: bench/results/serving/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SEQUOR_DATASETS:-../shared/datasets}"
OUT=bench/results/serving
STEP="${1:-20}"
CONCURRENCY="${SEQUOR_BENCH_CONCURRENCY:-1 8 32 64 128}"
CACHE="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
HTTP_PORT=18181
GRPC_PORT=19191
GHZ_VERSION=v0.120.0
mkdir -p "$OUT"
# Every server runs in its own process group (Triton's Python process has a tritonserver child):
# stop them all on exit, so that a failed step never leaves one answering the next step's load.
SERVERS=()
stop_all() { for pid in "${SERVERS[@]}"; do kill -- "-$pid" 2>/dev/null || true; done; }
trap stop_all EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in $HTTP_PORT $GRPC_PORT; do
  if port_open $port; then echo "port $port is in use: stop that server first"; exit 1; fi
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
LENGTH=$(python3 -c "import json;print(json.load(open('$PKG/metadata.json'))['maxSequenceLength'])")
echo "==> Model package: $PKG ($(python3 -c "import json;m=json.load(open('$PKG/metadata.json'));print(m['itemCount'],'items, history',m['maxSequenceLength'])"))"

# One line per user: the user's items (external ids) in time order.
awk '{h[$1] = h[$1] "," $2} END {n = 0; for (u in h) if (n++ < 5000) print substr(h[u], 2)}' \
  "$DATA/amazon-games.txt" > "$OUT/histories.txt"

echo "==> Building the runtime..."
./mvnw -q -B -pl inference-runtime -am install -DskipTests

FASTAPI_VENV=$(scripts/python-venv.sh peer-venv bench/serving/requirements.txt)
KSERVE_VENV=$(scripts/python-venv.sh kserve-venv bench/serving/kserve-requirements.txt)
# PyTriton's backend stub links the system's libpython3.11: its venv must use that same Python.
TRITON_VENV=$(scripts/python-venv.sh triton-venv bench/serving/triton-requirements.txt /usr/bin/python3.11)
GHZ="$CACHE/ghz-$GHZ_VERSION/ghz"
if [ ! -x "$GHZ" ]; then
  echo "==> Building ghz $GHZ_VERSION from the Go module proxy..."
  (cd "$CACHE" && GOBIN="$CACHE/ghz-$GHZ_VERSION" GOFLAGS=-mod=mod go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION") \
    > "$OUT/ghz-build.log" 2>&1 || { cat "$OUT/ghz-build.log"; exit 1; }
fi
SEQUOR_LOAD_PROTOCOL=ghz-data SEQUOR_LOAD_ITEMS="$PKG/items.tsv" SEQUOR_LOAD_LENGTH=$LENGTH \
  java bench/serving/LoadGenerator.java "$OUT/ghz-data.json" "$OUT/histories.txt"

# start NAME COMMAND...: run a server in its own process group, its log in $OUT/NAME.log.
start() {
  local name=$1; shift
  setsid "$@" > "$OUT/$name.log" 2>&1 &
  SERVER=$!
  SERVERS+=("$SERVER")
}
# Stops the server and waits for its ports to close (tritonserver, a child, drains for a while).
stop() {
  kill -- "-$SERVER" 2>/dev/null || true
  for _ in $(seq 1 120); do
    if ! port_open $HTTP_PORT && ! port_open $GRPC_PORT; then break; fi
    sleep 0.5
  done
  kill -9 -- "-$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
wait_for() {
  for _ in $(seq 1 240); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "not ready: $1"; return 1
}

# The REST loads: the recommendation API (item ids) or OIP (item indices, JSON or binary).
load() {
  java bench/serving/LoadGenerator.java "$1" "$OUT/histories.txt" "$STEP" 10 $CONCURRENCY | tee "$OUT/$2.txt"
}
load_oip() {
  SEQUOR_LOAD_PROTOCOL=$3 SEQUOR_LOAD_ITEMS="$PKG/items.tsv" SEQUOR_LOAD_LENGTH=$LENGTH \
    java bench/serving/LoadGenerator.java "$1" "$OUT/histories.txt" "$STEP" 10 $CONCURRENCY | tee "$OUT/$2.txt"
}
# The gRPC load with ghz: 2 s of warm-up, then a fixed number of calls (about STEP seconds' worth;
# a timed run would count the calls it cuts off at the end as errors). Printed like LoadGenerator.
load_grpc() {
  : > "$OUT/$2.txt"
  for c in $CONCURRENCY; do
    local ghz=("$GHZ" --insecure --proto inference-runtime/src/main/proto/grpc_predict_v2.proto
      --call inference.GRPCInferenceService/ModelInfer -D "$OUT/ghz-data.json" -c "$c" --format json)
    "${ghz[@]}" -z 2s "$1" > "$OUT/ghz-warmup.json" 2>/dev/null || true
    local n
    n=$(python3 -c "import json;print(max($c * 20, int(json.load(open('$OUT/ghz-warmup.json'))['rps'] * $STEP)))")
    local TIMEFORMAT='%U %S'
    { time "${ghz[@]}" -n "$n" "$1" > "$OUT/ghz.json" 2>/dev/null; } 2> "$OUT/ghz-cpu.txt"
    python3 - "$OUT/ghz.json" "$OUT/ghz-cpu.txt" "$c" <<'PY' | tee -a "$OUT/$2.txt"
import json, sys
r = json.load(open(sys.argv[1]))
user, system = map(float, open(sys.argv[2]).read().split())
seconds = r["total"] / 1e9
latency = {p["percentage"]: p["latency"] / 1e6 for p in r["latencyDistribution"] or []}
errors = sum(v for k, v in r["statusCodeDistribution"].items() if k != "OK")
print("concurrency %3d  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  loadgen-cpu %.2f cores"
      % (int(sys.argv[3]), r["count"] / seconds - errors / seconds, latency.get(50, 0), latency.get(99, 0),
         errors, (user + system) / seconds))
PY
  done
}

# The first history as an OIP REST JSON body; each server's top items for it must equal Sequor's.
python3 - "$OUT/ghz-data.json" > "$OUT/parity-request.json" <<'PY'
import base64, json, struct, sys
first = json.load(open(sys.argv[1]))[0]
raw = base64.b64decode(first["raw_input_contents"][0])
print(json.dumps({"inputs": [{"name": "history", "datatype": "INT64", "shape": first["inputs"][0]["shape"],
                              "data": list(struct.unpack("<%dq" % (len(raw) // 8), raw))}]}))
PY
top_items() {
  curl -sf -H 'Content-Type: application/json' --data @"$OUT/parity-request.json" \
    "http://127.0.0.1:$HTTP_PORT/v2/models/amazon/infer" \
    | python3 -c "import json,sys;print([o['data'] for o in json.load(sys.stdin)['outputs'] if o['name']=='items'][0])"
}
check_parity() {
  local theirs; theirs=$(top_items)
  if [ "$theirs" != "$(cat "$OUT/parity-sequor.txt")" ]; then
    echo "$1 answers $theirs where Sequor answers $(cat "$OUT/parity-sequor.txt"): not the same model, stopping"; exit 1
  fi
  echo "--> $1 returns the same top items as Sequor for the check history"
}
oip_suite() {
  echo "--> $1, OIP REST JSON"
  load_oip "http://127.0.0.1:$HTTP_PORT/v2/models/amazon/infer" "$1-oip-json" oip-json
  echo "--> $1, OIP REST binary tensors"
  load_oip "http://127.0.0.1:$HTTP_PORT/v2/models/amazon/infer" "$1-oip-binary" oip-binary
  echo "--> $1, OIP gRPC (ghz)"
  load_grpc "127.0.0.1:$GRPC_PORT" "$1-oip-grpc"
}

echo "==> The ceiling: ONNX Runtime alone, in process, 2 intra-op threads, batches of real histories"
java -cp 'inference-runtime/target/quarkus-app/lib/main/*' bench/serving/OrtCeiling.java "$PKG" "$OUT/histories.txt" \
  "$STEP" 2 10 1 8 32 64 | tee "$OUT/ort-ceiling.txt"

sequor() {
  local name=$1 size=$2 delay=$3
  echo "==> $name (max batch $size, max delay $delay)"
  start "$name" env SEQUOR_MODEL_URI="file://$PKG" SEQUOR_MODEL_NAME=amazon SEQUOR_BATCH_MAX_SIZE="$size" \
    SEQUOR_BATCH_MAX_DELAY="$delay" QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_GRPC_SERVER_PORT=$GRPC_PORT \
    QUARKUS_LOG_LEVEL=WARN java -Xmx2g -jar inference-runtime/target/quarkus-app/quarkus-run.jar
  wait_for "http://127.0.0.1:$HTTP_PORT/q/health/ready"
  load "http://127.0.0.1:$HTTP_PORT/v1/recommendations" "$name"
  if [ "$size" -gt 1 ]; then
    top_items > "$OUT/parity-sequor.txt"
    oip_suite "$name"
  fi
  stop
}
sequor sequor-batching 32 2ms
sequor sequor-no-batching 1 0ms

echo "==> triton (PyTriton 0.7 / tritonserver 2.51: dynamic batcher max 32, 2 ms; onnxruntime, 2 threads)"
start triton env PEER_MODEL_DIR="$PKG" PEER_THREADS=2 PEER_HTTP_PORT=$HTTP_PORT PEER_GRPC_PORT=$GRPC_PORT \
  PEER_METRICS_PORT=18383 "$TRITON_VENV/bin/python" bench/serving/triton_peer.py
wait_for "http://127.0.0.1:$HTTP_PORT/v2/models/amazon/ready"
check_parity triton
oip_suite triton
stop

echo "==> kserve (KServe 0.21 model server, one worker; onnxruntime, 2 threads)"
start kserve env PEER_MODEL_DIR="$PKG" PEER_THREADS=2 PEER_HTTP_PORT=$HTTP_PORT PEER_GRPC_PORT=$GRPC_PORT \
  "$KSERVE_VENV/bin/python" bench/serving/kserve_peer.py --enable_latency_logging false --configure_logging false
wait_for "http://127.0.0.1:$HTTP_PORT/v2/models/amazon/ready"
check_parity kserve
oip_suite kserve
stop

echo "==> python-peer (FastAPI + uvicorn + onnxruntime, the recommendation API)"
start python-peer env PEER_MODEL_DIR="$PKG" PEER_THREADS=2 "$FASTAPI_VENV/bin/uvicorn" --app-dir bench/serving \
  peer_server:app --host 127.0.0.1 --port $HTTP_PORT --log-level warning
wait_for "http://127.0.0.1:$HTTP_PORT/health"
load "http://127.0.0.1:$HTTP_PORT/v1/recommendations" python-peer
stop

field() { grep -E "^concurrency +$2 " "$OUT/$1.txt" | awk -v f="$3" '{print $f}'; }
cell() { grep -E "^concurrency +$2 " "$OUT/$1.txt" | awk '{printf "%s req/s, p99 %s", $3, $9}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
echo
echo "Summary: req/s and p99 (ms) per concurrency. Recommendation API; ratio = Sequor with batching / Python peer"
printf '%-12s %-26s %-26s %-26s %-12s %-10s\n' concurrency sequor-batching sequor-no-batching python-peer "ratio req/s" "ratio p99"
for c in $CONCURRENCY; do
  printf '%-12s %-26s %-26s %-26s %-12s %-10s\n' "$c" "$(cell sequor-batching "$c")" "$(cell sequor-no-batching "$c")" \
    "$(cell python-peer "$c")" "$(ratio "$(field sequor-batching "$c" 3)" "$(field python-peer "$c" 3)")" \
    "$(ratio "$(field sequor-batching "$c" 9)" "$(field python-peer "$c" 9)")"
done
for protocol in oip-json oip-binary oip-grpc; do
  echo
  echo "Open Inference Protocol, $protocol; ratios = Sequor / Triton (req/s higher is better, p99 lower is better)"
  printf '%-12s %-26s %-26s %-26s %-12s %-10s\n' concurrency sequor triton kserve "ratio req/s" "ratio p99"
  for c in $CONCURRENCY; do
    printf '%-12s %-26s %-26s %-26s %-12s %-10s\n' "$c" "$(cell "sequor-batching-$protocol" "$c")" \
      "$(cell "triton-$protocol" "$c")" "$(cell "kserve-$protocol" "$c")" \
      "$(ratio "$(field "sequor-batching-$protocol" "$c" 3)" "$(field "triton-$protocol" "$c" 3)")" \
      "$(ratio "$(field "sequor-batching-$protocol" "$c" 9)" "$(field "triton-$protocol" "$c" 9)")"
  done
done
CEILING=$(awk 'NR > 1 && $2 > max {max = $2} END {print max}' "$OUT/ort-ceiling.txt")
echo
echo "Sequor with batching per protocol, as a fraction of the ONNX Runtime ceiling ($CEILING rows/s)"
printf '%-12s %-16s %-16s %-16s %-16s\n' concurrency recommendations "OIP REST JSON" "OIP REST binary" "OIP gRPC"
for c in $CONCURRENCY; do
  share() { awk -v a="$(field "$1" "$c" 3)" -v m="$CEILING" 'BEGIN{printf "%.0f%%", 100 * a / m}'; }
  printf '%-12s %-16s %-16s %-16s %-16s\n' "$c" "$(share sequor-batching)" "$(share sequor-batching-oip-json)" \
    "$(share sequor-batching-oip-binary)" "$(share sequor-batching-oip-grpc)"
done
echo
echo "The load generators' own CPU (cores, at the highest concurrency): $(for f in "$OUT"/*-oip-*.txt "$OUT"/sequor-batching.txt; do
  printf '%s %s; ' "$(basename "$f" .txt)" "$(tail -1 "$f" | awk '{print $NF == "cores" ? $(NF-1) : "?"}')"; done)"
