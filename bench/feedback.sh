#!/usr/bin/env bash
# Feedback throughput with durability on, closed loop, one run (prints Markdown tables for
# docs/benchmarks.md):
#   1. the two sinks in-process, side by side: the embedded log (fsync before every
#      acknowledgement, group commit) and Kafka (a real KRaft broker on loopback, acks=all);
#      1 to 256 clients;
#   2. the packaged runtime's POST /v1/feedback with no sink, the log, and Kafka; 8 and 64 clients.
# Measures the disk it runs on: pass a directory on the disk to measure. About 2 minutes at 5 s per row.
#
#   bench/feedback.sh [seconds per row] [directory]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/kafka.sh >/dev/null
./mvnw -q -B -pl feedback,inference-runtime -am install -DskipTests
./mvnw -q -B -pl feedback dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt
java -cp "feedback/target/classes:$(cat feedback/target/classpath.txt)" bench/feedback/FeedbackBench.java "$@"
