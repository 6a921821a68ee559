#!/usr/bin/env bash
# Regenerates the golden model packages in testing/golden with the trainer: a local registry with
# versions 1 and 2 of synthetic-sasrec, version 1 of synthetic-tisasrec (reads time and event
# types) and version 1 of synthetic-bert4rec (bidirectional), ~30-60 KB each. Tests of the runtime and the package module use them, so those need no PyTorch. Run after
# a change to the package format or the ONNX graph.
#
#   scripts/golden-packages.sh [sasrec] [tisasrec] [bert4rec]     (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
G=testing/golden
SMALL=(--synthetic --users 400 --items 100 --registry "$G" --epochs 6 --eval-every 3 --hidden 16 --heads 2
  --max-length 12 --dropout 0.2 --lr 0.005 --loss ce --threads 1)
for model in "${@:-sasrec tisasrec bert4rec}"; do
  for m in $model; do
    case "$m" in
      sasrec)
        rm -rf "$G/synthetic-sasrec"
        for seed in 7 8; do
          ./scripts/train.sh "${SMALL[@]}" --model-name synthetic-sasrec --seed "$seed" | tail -2
        done ;;
      tisasrec)
        rm -rf "$G/synthetic-tisasrec"
        ./scripts/train.sh "${SMALL[@]}" --model-name synthetic-tisasrec --time-span 64 --events --seed 7 | tail -2 ;;
      bert4rec)
        rm -rf "$G/synthetic-bert4rec"
        ./scripts/train.sh "${SMALL[@]}" --model-name synthetic-bert4rec --bert4rec --seed 7 | tail -2 ;;
      *) echo "unknown golden model $m (sasrec, tisasrec, bert4rec)"; exit 2 ;;
    esac
    rm -rf "$G/synthetic-$m/.lock" "$G/synthetic-$m/.staging"
  done
done
