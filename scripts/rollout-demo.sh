#!/usr/bin/env bash
# A canary decided by metrics, on loopback, with live numbers: the operator against a real
# Kubernetes API server, the runtime as a router and two predictors, a real Prometheus, and
# simulated users who ask for recommendations and click. A training pipeline's "candidate" alias
# starts the rollout; the analysis takes it through 30% and 60% of users and promotes it, moving
# the "champion" alias. Each line is the resource's status.candidate as it changes.
# The whole scenario suite (rollbacks, annotations, a Prometheus outage): ./mvnw -pl e2e verify
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/kube-control-plane.sh
bash scripts/prometheus.sh
echo "Building Sequor (tests skipped)..."
./mvnw -B -q install -DskipTests
./mvnw -B -pl e2e verify -Dit.test='RolloutScenariosIT#aGoodCandidateGoesThroughEveryStepAndIsPromoted' \
  | grep --line-buffered -E '^\[rollout\]|Tests run:|BUILD|ERROR'
