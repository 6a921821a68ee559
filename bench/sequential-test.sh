#!/usr/bin/env bash
# The rollout's sequential test (mSPRT, analysis/) by seeded simulation: false-positive rate under
# no difference against a z-test peeked at every look, power and mean stopping look under true
# differences. Prints a Markdown table (docs/benchmarks.md). About half a minute.
#
#   bench/sequential-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl analysis install -DskipTests
java -cp analysis/target/classes bench/analysis/SequentialTestTable.java
