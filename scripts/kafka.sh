#!/usr/bin/env bash
# Resolves a real Apache Kafka broker (KRaft mode) from Maven Central — the kafka_2.13 artifact,
# the same code as the Apache release's tarball — and caches its class path; prints the path of
# the class-path file. Tests start the broker on loopback (testing/.../KafkaBroker.java) with
# `java -cp $(cat that file) kafka.Kafka server.properties`. About 10 s once (Maven downloads).
set -euo pipefail
VERSION="${SEQUOR_KAFKA_VERSION:-4.1.1}"
LOG4J_VERSION=2.24.3
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
OUT="$CACHE_ROOT/kafka-$VERSION"
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -s "$OUT/classpath.txt" ]; then
  echo "$OUT/classpath.txt"
  exit 0
fi
mkdir -p "$OUT"
exec 9>"$CACHE_ROOT/kafka-build.lock"
flock 9
if [ -s "$OUT/classpath.txt" ]; then echo "$OUT/classpath.txt"; exit 0; fi
echo "Resolving Apache Kafka $VERSION (broker) from Maven Central into $OUT (first run only)..." >&2
cat > "$OUT/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sequor.test</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
# Written under another name and moved once complete, so a present file is a whole one.
"$REPO_ROOT/mvnw" -q -B -f "$OUT/pom.xml" dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.tmp" >&2
mv "$OUT/classpath.tmp" "$OUT/classpath.txt"
echo "$OUT/classpath.txt"
