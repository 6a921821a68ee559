#!/usr/bin/env bash
# Sequor quickstart: runs on a fresh machine with a JDK, no cluster.
#
# 1. builds Sequor;
# 2. generates interaction data with planted sequential habits, trains a small SASRec on it
#    (Deep Java Library, PyTorch engine), evaluates it against popularity and Markov-chain
#    baselines, exports it to ONNX and registers it in the embedded local registry
#    (.sequor/registry) under the alias "champion";
# 3. shows what the operator does with a RecommenderModel that follows that alias: resolves it
#    and renders every Kubernetes object it would create.
# Serving (the inference runtime) joins this script when it lands.
set -euo pipefail
cd "$(dirname "$0")"

REGISTRY="${SEQUOR_REGISTRY:-.sequor/registry}"
mkdir -p .sequor

echo "==> [1/3] Building Sequor (the first run downloads Maven and the dependencies)..."
./mvnw -q -B install -DskipTests
SEQUOR_REBUILD=1 ./scripts/train.sh --help >/dev/null

echo "==> [2/3] Training SASRec on synthetic data into $REGISTRY ..."
./scripts/train.sh --synthetic --users 2000 --items 200 --registry "$REGISTRY" \
  --model-name synthetic-sasrec --alias champion \
  --hidden 32 --heads 2 --max-length 20 --dropout 0.2 --lr 0.005 --loss ce \
  --epochs 40 --eval-every 5 --patience 2

echo "==> [3/3] What the operator creates for a RecommenderModel following that alias..."
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
echo
echo "Done. Model package: $(ls -d "$REGISTRY"/synthetic-sasrec/versions/* | sort -V | tail -1)"
echo "      training curves: open $(ls -d "$REGISTRY"/synthetic-sasrec/versions/* | sort -V | tail -1)/training-curves.html"
echo "      rendered objects: .sequor/rendered.yaml"
echo "On a cluster: kubectl apply -k manifests/base && kubectl apply -k manifests/samples"
