#!/usr/bin/env bash
# `kustomize build DIR`, with kubectl's built-in kustomize when present, else a kustomize
# installed once from the Go module proxy into the Sequor cache.
set -euo pipefail
KUSTOMIZE_VERSION=v5.5.0
if command -v kubectl >/dev/null 2>&1; then
  exec kubectl kustomize "$1"
fi
if command -v kustomize >/dev/null 2>&1; then
  exec kustomize build "$1"
fi
BIN="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}/kustomize-$KUSTOMIZE_VERSION"
if [ ! -x "$BIN/kustomize" ]; then
  echo "Installing kustomize $KUSTOMIZE_VERSION into $BIN (first run only)..." >&2
  GOBIN="$BIN" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
fi
exec "$BIN/kustomize" build "$1"
