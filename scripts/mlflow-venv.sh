#!/usr/bin/env bash
# Installs the pinned MLflow tracking server into a cached virtual environment and prints its
# `mlflow` executable. Used by the tests (a real MLflow server, never a fake) and by developers.
set -euo pipefail
MLFLOW_VERSION="${SEQUOR_MLFLOW_VERSION:-2.22.5}"
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
# The constraints file is part of the cache key: changing it reinstalls.
CONSTRAINTS_HASH=$(sha256sum "$(dirname "$0")/mlflow-constraints.txt" | cut -c1-8)
VENV="$CACHE_ROOT/mlflow-$MLFLOW_VERSION-$CONSTRAINTS_HASH"
if [ ! -x "$VENV/bin/mlflow" ] || [ ! -f "$VENV/.complete" ]; then
  echo "Installing MLflow $MLFLOW_VERSION into $VENV (first run only)..." >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE_ROOT"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip >&2
  "$VENV/bin/pip" install --quiet "mlflow==$MLFLOW_VERSION" -c "$(dirname "$0")/mlflow-constraints.txt" >&2
  touch "$VENV/.complete"
fi
echo "$VENV/bin/mlflow"
