#!/usr/bin/env bash
# Sequor quickstart: runs on a fresh machine with a JDK, no cluster.
#
# 1. builds Sequor;
# 2. generates interaction data with planted sequential habits, trains a small SASRec on it
#    (Deep Java Library, PyTorch engine), evaluates it against popularity and Markov-chain
#    baselines, exports it to ONNX and registers it in the embedded local registry
#    (.sequor/registry) under the alias "champion"; then trains a second version (a wider model
#    on the same data) to be its challenger;
# 3. shows what the operator does with a RecommenderModel that follows that alias and runs a
#    50/50 A/B test against the new version: resolves both and renders every Kubernetes object
#    it would create;
# 4. serves both versions side by side behind one address on localhost, as the operator does
#    in a cluster: two predictors and a router in front of them (the same runtime, Quarkus +
#    ONNX Runtime), prints which variant each of a few users gets (always the same one), a few
#    real recommendations and the curl lines to try, and keeps serving until Ctrl-C
#    (SEQUOR_QUICKSTART_EXIT=1 stops after the demo).
set -euo pipefail
cd "$(dirname "$0")"

REGISTRY="${SEQUOR_REGISTRY:-.sequor/registry}"
mkdir -p .sequor

echo "==> [1/4] Building Sequor (the first run downloads Maven and the dependencies)..."
./mvnw -q -B install -DskipTests
SEQUOR_REBUILD=1 ./scripts/train.sh --help >/dev/null

echo "==> [2/4] Training SASRec on synthetic data into $REGISTRY ..."
./scripts/train.sh --synthetic --users 2000 --items 200 --registry "$REGISTRY" \
  --model-name synthetic-sasrec --alias champion \
  --hidden 32 --heads 2 --max-length 20 --dropout 0.2 --lr 0.005 --loss ce \
  --epochs 40 --eval-every 5 --patience 2
CHAMPION=$(cat "$REGISTRY/synthetic-sasrec/aliases/champion")
echo "==> [2/4] Training a challenger (same data, a wider model) into $REGISTRY ..."
./scripts/train.sh --synthetic --users 2000 --items 200 --registry "$REGISTRY" \
  --model-name synthetic-sasrec \
  --hidden 48 --heads 2 --max-length 20 --dropout 0.2 --lr 0.003 --loss ce \
  --epochs 40 --eval-every 5 --patience 2
CHALLENGER=$(ls "$REGISTRY"/synthetic-sasrec/versions | sort -n | tail -1)

echo "==> [3/4] What the operator creates for a RecommenderModel following that alias, A/B testing version $CHALLENGER..."
cat > .sequor/quickstart-model.yaml <<YAML
apiVersion: sequor.dev/v1alpha1
kind: RecommenderModel
metadata:
  name: quickstart
  namespace: recs
spec:
  model:
    registry: {name: synthetic-sasrec, alias: champion}
  rollout:
    strategy: ABTest
    salt: quickstart-ab
    candidates:
      - name: challenger
        model: {registry: {name: synthetic-sasrec, version: "$CHALLENGER"}}
        weight: 50
  serving:
    replicas: 2
    batching: {maxBatchSize: 32, maxDelay: 2ms}
    topK: {default: 10, max: 100}
YAML
./mvnw -q -B -pl operator exec:java -Dexec.mainClass=dev.sequor.operator.cli.Render \
  -Dexec.args="--registry $REGISTRY .sequor/quickstart-model.yaml" > .sequor/rendered.yaml
grep -E '^# ' .sequor/rendered.yaml | sed 's/^# /    /'
echo "    objects: $(grep '^kind:' .sequor/rendered.yaml | sed 's/kind: //; s/"//g' | tr '\n' ' ')"
PORT="${SEQUOR_PORT:-8080}"
GRPC_PORT="${SEQUOR_GRPC_PORT:-9000}"
PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; exit $rc' EXIT
await_ready() { # NAME URL PID
  for _ in $(seq 1 120); do
    curl -sf "$2/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 stopped:"; tail -20 ".sequor/$1.log"; exit 1; }
    sleep 0.5
  done
  echo "$1 did not become ready:"; tail -20 ".sequor/$1.log"; exit 1
}
predictor() { # NAME VERSION HTTP_PORT GRPC_PORT
  SEQUOR_MODEL_URI="file://$(cd "$REGISTRY" && pwd)/synthetic-sasrec/versions/$2" SEQUOR_MODEL_NAME=quickstart \
    SEQUOR_MODEL_VERSION="$2" QUARKUS_HTTP_PORT="$3" QUARKUS_GRPC_SERVER_PORT="$4" \
    java -Xmx512m -jar inference-runtime/target/quarkus-app/quarkus-run.jar > ".sequor/$1.log" 2>&1 &
  PIDS+=($!)
}
echo "==> [4/4] Serving version $CHAMPION (champion) and $CHALLENGER (challenger) behind http://localhost:$PORT ..."
predictor predictor-v$CHAMPION "$CHAMPION" 18081 19081
predictor predictor-v$CHALLENGER "$CHALLENGER" 18082 19082
# The split the operator would write into the quickstart-split ConfigMap (see .sequor/rendered.yaml).
cat > .sequor/split.json <<JSON
{"formatVersion": 1, "model": "quickstart", "salt": "quickstart-ab",
 "variants": [{"variant": "challenger", "version": "$CHALLENGER", "weight": 50, "http": "http://127.0.0.1:18082", "grpc": "127.0.0.1:19082"},
              {"variant": "champion", "version": "$CHAMPION", "weight": 50, "http": "http://127.0.0.1:18081", "grpc": "127.0.0.1:19081"}]}
JSON
SEQUOR_ROLE=router SEQUOR_ROUTER_SPLIT_FILE="$PWD/.sequor/split.json" SEQUOR_MODEL_NAME=quickstart \
  QUARKUS_HTTP_PORT="$PORT" QUARKUS_GRPC_SERVER_PORT="$GRPC_PORT" \
  java -Xmx256m -jar inference-runtime/target/quarkus-app/quarkus-run.jar > .sequor/router.log 2>&1 &
PIDS+=($!)
ROUTER=$!
await_ready predictor-v$CHAMPION http://localhost:18081 "${PIDS[0]}"
await_ready predictor-v$CHALLENGER http://localhost:18082 "${PIDS[1]}"
await_ready router "http://localhost:$PORT" "$ROUTER"
echo "    Each user sticks to one variant (asked twice):"
for user in alice bob carol dave erin frank; do
  seen=""
  for _ in 1 2; do
    seen="$seen $(curl -s -D - -o /dev/null -X POST "http://localhost:$PORT/v1/recommendations" \
      -H 'Content-Type: application/json' -d "{\"userId\":\"$user\",\"history\":[\"item-3\",\"item-17\"],\"k\":3}" \
      | tr -d '\r' | awk -F': ' 'tolower($1)=="x-sequor-variant"{v=$2} tolower($1)=="x-sequor-version"{n=$2} END{print v "(v" n ")"}')"
  done
  printf '      %-6s ->%s\n' "$user" "$seen"
done
for history in '"item-3","item-17","item-42"' '"item-7","item-77","item-150","item-9"'; do
  echo "    user alice, history [$history] ->"
  curl -s -X POST "http://localhost:$PORT/v1/recommendations" -H 'Content-Type: application/json' \
    -d "{\"userId\":\"alice\",\"history\":[$history],\"k\":5}" | sed 's/^/      /'
  echo
done
PKG="$REGISTRY/synthetic-sasrec/versions/$CHAMPION"
echo
echo "Done. Model packages: $REGISTRY/synthetic-sasrec/versions/{$CHAMPION,$CHALLENGER}"
echo "      training curves: open $PKG/training-curves.html"
echo "      rendered objects: .sequor/rendered.yaml"
cat <<TRY
Try it (the router and both predictors keep serving until Ctrl-C):
  curl -si -X POST localhost:$PORT/v1/recommendations -H 'Content-Type: application/json' -d '{"userId":"alice","history":["item-3","item-17"],"k":5}'
  # change the weights: edit .sequor/split.json (the router re-reads it within a second)
  curl -s localhost:$PORT/v2/models/quickstart
  curl -s -X POST localhost:$PORT/v2/models/quickstart/infer -H 'Content-Type: application/json' -d '{"inputs":[{"name":"history","datatype":"INT64","shape":[1,20],"data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3,17]},{"name":"exclude","datatype":"INT64","shape":[1,2],"data":[3,17]},{"name":"k","datatype":"INT64","shape":[1],"data":[5]}]}'
  curl -s -X POST localhost:$PORT/v1/feedback -H 'Content-Type: application/json' -d '{"userId":"alice","itemId":"item-5","event":"click"}'
  curl -s localhost:$PORT/q/metrics | grep ^sequor_     # per-variant counters, on the router
  curl -s localhost:$PORT/q/openapi
  gRPC (Open Inference Protocol): localhost:$GRPC_PORT, service inference.GRPCInferenceService
On a cluster: kubectl apply -k manifests/base && kubectl apply -k manifests/samples
TRY
[ "${SEQUOR_QUICKSTART_EXIT:-0}" = 1 ] && exit 0
wait $ROUTER
