#!/usr/bin/env bash
# Sequor quickstart: runs on a fresh machine with a JDK, no cluster.
#
# 1. builds Sequor;
# 2. generates interaction data with planted sequential habits, trains a small SASRec on it
#    (Deep Java Library, PyTorch engine), evaluates it against popularity and Markov-chain
#    baselines, exports it to ONNX and registers it in the embedded local registry
#    (.sequor/registry) under the alias "champion";
# 3. shows what the operator does with a RecommenderModel that follows that alias: resolves it
#    and renders every Kubernetes object it would create;
# 4. serves the model with the inference runtime (Quarkus + ONNX Runtime) on localhost, prints
#    a few real recommendations and the curl lines to try, and keeps serving until Ctrl-C
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

echo "==> [3/4] What the operator creates for a RecommenderModel following that alias..."
cat > .sequor/quickstart-model.yaml <<'YAML'
apiVersion: sequor.dev/v1alpha1
kind: RecommenderModel
metadata:
  name: quickstart
  namespace: recs
spec:
  model:
    registry: {name: synthetic-sasrec, alias: champion}
  serving:
    replicas: 2
    batching: {maxBatchSize: 32, maxDelay: 2ms}
    topK: {default: 10, max: 100}
YAML
./mvnw -q -B -pl operator exec:java -Dexec.mainClass=dev.sequor.operator.cli.Render \
  -Dexec.args="--registry $REGISTRY .sequor/quickstart-model.yaml" > .sequor/rendered.yaml
grep -E '^# ' .sequor/rendered.yaml | sed 's/^# /    /'
echo "    objects: $(grep '^kind:' .sequor/rendered.yaml | sed 's/kind: //; s/"//g' | tr '\n' ' ')"
PKG=$(ls -d "$REGISTRY"/synthetic-sasrec/versions/* | sort -V | tail -1)
VERSION=$(basename "$PKG")
PORT="${SEQUOR_PORT:-8080}"
GRPC_PORT="${SEQUOR_GRPC_PORT:-9000}"
echo "==> [4/4] Serving version $VERSION with the inference runtime on http://localhost:$PORT ..."
SEQUOR_MODEL_URI="file://$PWD/$PKG" SEQUOR_MODEL_NAME=quickstart SEQUOR_MODEL_VERSION="$VERSION" \
  QUARKUS_HTTP_PORT="$PORT" QUARKUS_GRPC_SERVER_PORT="$GRPC_PORT" \
  java -jar inference-runtime/target/quarkus-app/quarkus-run.jar > .sequor/runtime.log 2>&1 &
RUNTIME=$!
trap 'rc=$?; kill $RUNTIME 2>/dev/null || true; wait $RUNTIME 2>/dev/null || true; exit $rc' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $RUNTIME 2>/dev/null || { echo "the runtime stopped:"; cat .sequor/runtime.log; exit 1; }
  sleep 0.5
done
curl -sf "http://localhost:$PORT/q/health/ready" >/dev/null || { echo "the runtime did not become ready:"; tail -20 .sequor/runtime.log; exit 1; }
for history in '"item-3","item-17","item-42"' '"item-1","item-2"' '"item-7","item-77","item-150","item-9"'; do
  echo "    history [$history] ->"
  curl -s -X POST "http://localhost:$PORT/v1/recommendations" -H 'Content-Type: application/json' \
    -d "{\"userId\":\"demo\",\"history\":[$history],\"k\":5}" | sed 's/^/      /'
  echo
done
echo
echo "Done. Model package: $PKG"
echo "      training curves: open $PKG/training-curves.html"
echo "      rendered objects: .sequor/rendered.yaml"
cat <<TRY
Try it (the runtime keeps serving until Ctrl-C):
  curl -s -X POST localhost:$PORT/v1/recommendations -H 'Content-Type: application/json' -d '{"history":["item-3","item-17"],"k":5}'
  curl -s localhost:$PORT/v2/models/quickstart
  curl -s -X POST localhost:$PORT/v2/models/quickstart/infer -H 'Content-Type: application/json' -d '{"inputs":[{"name":"history","datatype":"INT64","shape":[1,20],"data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3,17]},{"name":"exclude","datatype":"INT64","shape":[1,2],"data":[3,17]},{"name":"k","datatype":"INT64","shape":[1],"data":[5]}]}'
  curl -s -X POST localhost:$PORT/v1/feedback -H 'Content-Type: application/json' -d '{"userId":"demo","itemId":"item-5","event":"click"}'
  curl -s localhost:$PORT/q/metrics | grep ^sequor_
  curl -s localhost:$PORT/q/openapi
  gRPC (Open Inference Protocol): localhost:$GRPC_PORT, service inference.GRPCInferenceService
On a cluster: kubectl apply -k manifests/base && kubectl apply -k manifests/samples
TRY
[ "${SEQUOR_QUICKSTART_EXIT:-0}" = 1 ] && exit 0
wait $RUNTIME
