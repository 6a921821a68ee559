#!/usr/bin/env bash
# User-level DP-SGD against non-private training with the same settings, on the shared datasets:
# HR@10 / NDCG@10 (full catalogue and 100 negatives), the Markov-chain baseline, seconds per epoch.
# Prints a Markdown table (docs/benchmarks.md); logs in bench/results/privacy/<run>.log.
#
#   bench/privacy.sh [ml100k|amazon ...]        (default: both; amazon is about 2 hours on 2 cores)
#   SEQUOR_PRIVACY_EPSILONS="1 4 8" bench/privacy.sh ml100k
#   SEQUOR_PRIVACY_TRAINING="--loss sampled-softmax --dropout 0.2 --epochs 10 --eval-every 10 --batch-size 2048 --lr 0.01" \
#     SEQUOR_PRIVACY_TAG=-ss SEQUOR_PRIVACY_EPSILONS=8 bench/privacy.sh amazon
#
# delta: 1e-4 on MovieLens 100K (943 users: about 1/(10 n)), 1e-6 on Amazon Games (30,711 users:
# about 1/(30 n)). Clip 1. Every epoch is run and the last parameters kept (no early stopping:
# choosing an epoch by validation items would spend privacy the accountant does not count).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SEQUOR_DATASETS:-../shared/datasets}"
OUT=bench/results/privacy
EPSILONS="${SEQUOR_PRIVACY_EPSILONS:-1 4 8}"
mkdir -p "$OUT"
./mvnw -q -B -pl trainer -am install -DskipTests
declare -A INPUT=(
  [ml100k]="--data $DATA/ml-100k-u.data --format movielens"
  [amazon]="--data $DATA/amazon-games.txt --short-users train-only"
)
declare -A TRAINING=(
  [ml100k]="--dropout 0.2 --epochs 50 --eval-every 50 --batch-size 64 --lr 0.005"
  [amazon]="--dropout 0.2 --epochs 10 --eval-every 10 --batch-size 512 --lr 0.005"
)
# Other training settings for every run of this invocation (e.g. the sampled softmax), and a tag for its logs.
TAG="${SEQUOR_PRIVACY_TAG:-}"
declare -A SETTINGS
for d in ml100k amazon; do SETTINGS[$d]="${INPUT[$d]} ${SEQUOR_PRIVACY_TRAINING:-${TRAINING[$d]}}"; done
declare -A DELTA=([ml100k]=1e-4 [amazon]=1e-6)
RUNS=("$@")
[ ${#RUNS[@]} -eq 0 ] && RUNS=(ml100k amazon)
row() { # DATA LABEL LOG
  awk -v d="$1" -v l="$2" '
    /^SASRec/ {hr=$2; nd=$3; hs=$4; ns=$5}
    /^Markov/ {mhr=$3; mnd=$4}
    /s\/epoch/ {for (i = 2; i <= NF; i++) if ($i ~ /^s\/epoch/) s=$(i-1)}
    /^privacy:/ {match($0, /noise multiplier [0-9.]+/); sig=substr($0, RSTART+17, RLENGTH-17)}
    END {printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", d, l, sig == "" ? "" : sig, hr, nd, hs, ns, mnd, s}' "$3"
}
echo "| data | training | noise multiplier | HR@10 full | NDCG@10 full | HR@10 100 neg | NDCG@10 100 neg | Markov NDCG@10 full | s/epoch |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for d in "${RUNS[@]}"; do
  if ./scripts/train.sh ${SETTINGS[$d]} --threads 2 --output "$OUT/$d$TAG-plain" > "$OUT/$d$TAG-plain.log" 2>&1; then
    row "$d" "non-private" "$OUT/$d$TAG-plain.log"
  else echo "| $d | non-private | failed: $(tail -1 "$OUT/$d$TAG-plain.log") |"; fi
  for e in $EPSILONS; do
    if ./scripts/train.sh ${SETTINGS[$d]} --threads 2 --dp-epsilon "$e" --dp-delta "${DELTA[$d]}" --max-grad-norm 1 \
      --output "$OUT/$d$TAG-eps$e" > "$OUT/$d$TAG-eps$e.log" 2>&1; then
      row "$d" "DP-SGD ε=$e, δ=${DELTA[$d]}" "$OUT/$d$TAG-eps$e.log"
    else echo "| $d | DP-SGD ε=$e | failed: $(tail -1 "$OUT/$d$TAG-eps$e.log") |"; fi
  done
done
