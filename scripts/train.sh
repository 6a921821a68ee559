#!/usr/bin/env bash
# Runs the Sequor trainer: ./scripts/train.sh --help
# Builds the trainer on first use (or with SEQUOR_REBUILD=1) and runs it on the JVM.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR=$(ls "$ROOT"/trainer/target/sequor-trainer-*.jar 2>/dev/null | head -1 || true)
CP_FILE="$ROOT/trainer/target/runtime-classpath.txt"
if [ -z "$JAR" ] || [ ! -f "$CP_FILE" ] || [ "$ROOT/trainer/pom.xml" -nt "$CP_FILE" ] || [ "${SEQUOR_REBUILD:-0}" = 1 ]; then
  echo "Building the trainer..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl trainer -am install -DskipTests >&2 \
    && ./mvnw -q -B -pl trainer dependency:build-classpath -Dmdep.includeScope=runtime \
       -Dmdep.outputFile="$CP_FILE" >/dev/null)
  JAR=$(ls "$ROOT"/trainer/target/sequor-trainer-*.jar | head -1)
fi
exec java ${SEQUOR_JAVA_OPTS:-} -cp "$JAR:$(cat "$CP_FILE")" dev.sequor.trainer.cli.Train "$@" \
  2> >(grep --line-buffered -v "INFO ai.djl" >&2)
