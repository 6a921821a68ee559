#!/usr/bin/env bash
# Regenerates the golden model packages in testing/golden (a local registry with versions 1 and 2
# of synthetic-sasrec, ~30 KB each) with the trainer. Tests of the runtime and the package module
# use them, so those need no PyTorch. Run after a change to the package format or the ONNX graph.
set -euo pipefail
cd "$(dirname "$0")/.."
G=testing/golden
rm -rf "$G/synthetic-sasrec"
for seed in 7 8; do
  ./scripts/train.sh --synthetic --users 400 --items 100 --registry "$G" --model-name synthetic-sasrec \
    --epochs 6 --eval-every 3 --hidden 16 --heads 2 --max-length 12 --dropout 0.2 --lr 0.005 --loss ce \
    --seed "$seed" --threads 1 | tail -2
done
rm -rf "$G/synthetic-sasrec/.lock" "$G/synthetic-sasrec/.staging"
