#!/usr/bin/env bash
# The embedded feedback log's throughput with durability on (fsync before every acknowledgement,
# group commit): closed-loop clients, 1 to 256, 5 s each. Prints a Markdown table
# (docs/benchmarks.md). Measures the disk it runs on: pass a directory on the disk to measure.
#
#   bench/feedback-log.sh [seconds per row] [directory]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl feedback -am install -DskipTests
./mvnw -q -B -pl feedback dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "feedback/target/classes:$(cat feedback/target/classpath.txt)" bench/feedback/FeedbackLogBench.java "$@"
