#!/usr/bin/env bash
# Installs the stock Open Inference Protocol client (tritonclient, HTTP and gRPC, from PyPI) into
# a cached virtual environment and prints its `python`. The tests call the runtime with it in its
# default settings, as a user would; the benchmarks may use it too.
set -euo pipefail
REQUIREMENTS="$(dirname "$0")/oip-clients-requirements.txt"
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
VENV="$CACHE_ROOT/oip-clients-$(sha256sum "$REQUIREMENTS" | cut -c1-8)"
if [ ! -x "$VENV/bin/python" ] || [ ! -f "$VENV/.complete" ]; then
  echo "Installing tritonclient into $VENV (first run only)..." >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE_ROOT"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$REQUIREMENTS" >&2
  touch "$VENV/.complete"
fi
echo "$VENV/bin/python"
