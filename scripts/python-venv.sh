#!/usr/bin/env bash
# A cached virtual environment for pinned PyPI packages (third-party servers, peers and clients
# for tests and benchmarks): installs REQUIREMENTS once into ~/.cache/sequor/NAME-<hash of the
# file> and prints that directory. Changing the file reinstalls.
#
#   scripts/python-venv.sh NAME REQUIREMENTS [PYTHON]     (PYTHON defaults to python3)
set -euo pipefail
NAME=$1
REQUIREMENTS=$2
PYTHON="${3:-python3}"
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
VENV="$CACHE_ROOT/$NAME-$(sha256sum "$REQUIREMENTS" | cut -c1-8)"
if [ ! -x "$VENV/bin/python" ] || [ ! -f "$VENV/.complete" ]; then
  echo "Installing $NAME into $VENV (first run only)..." >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE_ROOT"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$REQUIREMENTS" >&2
  touch "$VENV/.complete"
fi
echo "$VENV"
