#!/usr/bin/env bash
# Builds a real Prometheus server from the Go module proxy and caches it; prints the path of the
# binary. Tests start it on loopback (testing/.../PrometheusServer.java) to scrape runtimes and
# routers and to check PromQL (the dashboard's queries, later the rollout analysis's).
# The module github.com/prometheus/prometheus v0.316.0 is Prometheus 3.16; built without the web
# UI's assets (the HTTP API, all the tests use, needs none). Cold build about 7 minutes on 2 cores.
set -euo pipefail
VERSION="${SEQUOR_PROMETHEUS_VERSION:-v0.316.0}"
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
OUT="$CACHE_ROOT/prometheus-$VERSION"
if [ -x "$OUT/bin/prometheus" ]; then
  echo "$OUT/bin/prometheus"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build Prometheus for the tests" >&2; exit 1; }
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/prometheus-build.lock"
flock 9
if [ -x "$OUT/bin/prometheus" ]; then echo "$OUT/bin/prometheus"; exit 0; fi
echo "Building Prometheus ($VERSION of github.com/prometheus/prometheus) into $OUT (first run only, ~7 min)..." >&2
mkdir -p "$OUT/tmp"
# Moved into bin/ only once complete, so a present binary is a whole one.
GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOBIN="$OUT/tmp" go install "github.com/prometheus/prometheus/cmd/prometheus@$VERSION" >&2
mkdir -p "$OUT/bin"
mv "$OUT/tmp/prometheus" "$OUT/bin/prometheus"
rmdir "$OUT/tmp"
echo "$OUT/bin/prometheus"
