#!/usr/bin/env bash
# Sequor quickstart: runs on a fresh machine with a JDK, no cluster.
#
# Today it shows the operator's side of Sequor end to end: it builds the project, lays out the
# embedded local model registry, resolves the sample RecommenderModels in manifests/samples
# through it, and prints every Kubernetes object the operator would create for them, with the
# status it would report. Training (trainer/) and serving (inference-runtime/) join this script as
# those modules land; until then the registry's version directories are empty stand-ins for
# model packages.
set -euo pipefail
cd "$(dirname "$0")"

REGISTRY="${SEQUOR_REGISTRY:-.sequor/registry}"
OUT=".sequor/rendered.yaml"

echo "==> [1/3] Building Sequor (the first run downloads Maven and the dependencies)..."
./mvnw -q -B install -DskipTests

echo "==> [2/3] Laying out the local directory registry in $REGISTRY ..."
mkdir -p "$REGISTRY/movies-sasrec/versions/1" "$REGISTRY/movies-sasrec/aliases" "$REGISTRY/games-sasrec/versions/3"
echo 1 > "$REGISTRY/movies-sasrec/aliases/champion"
echo "    movies-sasrec: version 1, alias champion -> 1"
echo "    games-sasrec:  version 3"

echo "==> [3/3] Resolving manifests/samples and rendering what the operator would apply..."
./mvnw -q -B -pl operator exec:java -Dexec.mainClass=dev.sequor.operator.cli.Render \
  -Dexec.args="--registry $REGISTRY --namespace recs manifests/samples/movies-cpu.yaml manifests/samples/games-gpu.yaml manifests/samples/books-uri.yaml" \
  > "$OUT"

echo
grep -E '^# ' "$OUT" | sed 's/^# /    /'
echo
echo "Summary: $(grep -c '^kind:' "$OUT") Kubernetes objects for $(grep -c '^# RecommenderModel' "$OUT") models written to $OUT"
grep '^kind:' "$OUT" | sort | uniq -c | sed 's/kind: //; s/"//g; s/^/    /'
echo
echo "Next: kubectl apply -k manifests/base && kubectl apply -k manifests/samples   (on a cluster)"
