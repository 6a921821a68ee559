#!/usr/bin/env bash
# Trains SASRec (and TiSASRec, BERT4Rec) on the shared public datasets with the SASRec paper's settings and prints HR@10 /
# NDCG@10 (sampled-100 and full catalogue), the baselines, seconds per epoch and throughput.
#
#   bench/train-quality.sh [amazon-bce|amazon-sampled-softmax|amazon-ce|amazon-default|ml100k-bce|ml100k-ce|ml100k-default
#                           |ml100k-tisasrec|ml100k-events|ml100k-bert4rec|amazon-bert4rec ...]   (default: all)
#   A run may name its seed: ml100k-default@43 is ml100k-default with --seed 43 (default 42).
#   bench/train-quality.sh --summary [runs...]      the table from earlier runs' logs only
#
# Needs ../shared/datasets (see its README). Logs and packages go to bench/results/<run>/.
# Takes about 50 minutes on 2 cores for all runs (amazon-ce, a softmax over all 23,715 items, is half).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SEQUOR_DATASETS:-../shared/datasets}"
RESULTS=bench/results
mkdir -p "$RESULTS"

if [ "${1:-}" != "--summary" ]; then
echo "==> Building the trainer..."
./mvnw -q -B -pl trainer -am install -DskipTests
STAGE=$(mktemp -d)
cp trainer/target/sequor-trainer-*.jar "$STAGE/trainer.jar"
./mvnw -q -B -pl trainer dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$STAGE/cp.txt" >/dev/null
# Sequor's own modules are copied too: a rebuild while the runs go on must not change them.
CP="$STAGE/trainer.jar"
for jar in $(tr ':' ' ' < "$STAGE/cp.txt"); do
  case "$jar" in
    */dev/sequor/*) cp "$jar" "$STAGE/" && CP="$CP:$STAGE/$(basename "$jar")" ;;
    *) CP="$CP:$jar" ;;
  esac
done
fi

# Paper settings: hidden 50, 2 blocks, 1 head, max length 50, dropout 0.5, lr 0.001, batch 128.
PAPER="--hidden 50 --blocks 2 --heads 1 --max-length 50 --lr 0.001 --batch-size 128 --seed 42"
declare -A RUNS=(
  [amazon-bce]="--data $DATA/amazon-games.txt --format sasrec --short-users train-only $PAPER --dropout 0.5 --loss bce --epochs 200 --eval-every 10 --patience 5 --select-by ndcg-sampled --length-buckets"
  [amazon-sampled-softmax]="--data $DATA/amazon-games.txt --format sasrec --short-users train-only $PAPER --dropout 0.5 --loss sampled-softmax --negatives 1024 --epochs 200 --eval-every 10 --patience 5 --select-by ndcg-sampled --length-buckets"
  [amazon-ce]="--data $DATA/amazon-games.txt --format sasrec --short-users train-only $PAPER --dropout 0.5 --loss ce --epochs 40 --eval-every 5 --patience 3 --select-by ndcg-sampled --length-buckets"
  [ml100k-bce]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --loss bce --epochs 200 --eval-every 20 --patience 3"
  [ml100k-ce]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --loss ce --epochs 100 --eval-every 10 --patience 3"
  # The default loss (no --loss, no --negatives): what a user gets without choosing.
  [amazon-default]="--data $DATA/amazon-games.txt --format sasrec --short-users train-only $PAPER --dropout 0.5 --epochs 200 --eval-every 10 --patience 5 --length-buckets"
  [ml100k-default]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --epochs 100 --eval-every 10 --patience 3"
  # TiSASRec: the default run plus time intervals, span 256 as in the TiSASRec paper.
  [ml100k-tisasrec]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --epochs 100 --eval-every 10 --patience 3 --time-span 256"
  # Event types: MovieLens ratings of 4-5 read as 'liked', the rest as 'rated'.
  [ml100k-events]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --epochs 100 --eval-every 10 --patience 3 --events"
  # BERT4Rec: the same layers, bidirectional, trained by the Cloze task (mask probability 0.2, as
  # Klenitskiy and Vasilev); it learns more slowly, so more epochs and patience.
  [ml100k-bert4rec]="--data $DATA/ml-100k-u.data --format movielens $PAPER --dropout 0.2 --epochs 200 --eval-every 10 --patience 5 --bert4rec --mask-probability 0.2"
  [amazon-bert4rec]="--data $DATA/amazon-games.txt --format sasrec --short-users train-only $PAPER --dropout 0.5 --epochs 200 --eval-every 10 --patience 5 --length-buckets --bert4rec --mask-probability 0.2"
)
ORDER=(amazon-bce amazon-sampled-softmax amazon-ce amazon-default amazon-bert4rec ml100k-bce ml100k-ce ml100k-default
  ml100k-tisasrec ml100k-events ml100k-bert4rec)
SUMMARY_ONLY=0
if [ "${1:-}" = "--summary" ]; then SUMMARY_ONLY=1; shift; fi
[ $# -gt 0 ] && ORDER=("$@")

for run in "${ORDER[@]}"; do
  [ "$SUMMARY_ONLY" = 1 ] && break
  base="${run%@*}"
  [ -n "${RUNS[$base]:-}" ] || { echo "unknown run $base (one of ${!RUNS[*]})"; exit 2; }
  args="${RUNS[$base]}"
  if [ "$base" != "$run" ]; then args="${args/--seed 42/--seed ${run#*@}}"; fi
  echo "==> $run"
  mkdir -p "$RESULTS/$run"
  # shellcheck disable=SC2086
  java -Xmx12g -cp "$CP" dev.sequor.trainer.cli.Train $args --threads 2 --output "$RESULTS/$run/package" \
    2>&1 | grep --line-buffered -v "INFO ai.djl" | tee "$RESULTS/$run/train.log"
done

echo
echo "Summary (test set, leave-one-out, @10)"
printf '%-24s %-14s %10s %12s %12s %14s %9s %9s\n' run model "HR full" "NDCG full" "HR 100neg" "NDCG 100neg" "s/epoch" "seq/s"
for run in "${ORDER[@]}"; do
  log="$RESULTS/$run/train.log"
  [ -f "$log" ] || continue
  speed=$(grep -E '^best epoch' "$log" | sed -E 's/.*; ([0-9.]+) s\/epoch, ([0-9]+) sequences.*/\1 \2/')
  grep -E '^(SASRec|TiSASRec|BERT4Rec|SASRec \+ events|most popular|Markov chain) ' "$log" | while read -r line; do
    name=$(echo "$line" | sed -E 's/ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$//')
    nums=$(echo "$line" | grep -oE '[0-9]+\.[0-9]+' | tr '\n' ' ')
    # shellcheck disable=SC2086
    printf '%-24s %-14s %10s %12s %12s %14s %9s %9s\n' "$run" "$name" $nums ${speed:-- -}
    speed="- -"
  done
done
