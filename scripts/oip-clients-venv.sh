#!/usr/bin/env bash
# Installs the stock Open Inference Protocol client (tritonclient, HTTP and gRPC, from PyPI) into
# a cached virtual environment and prints its `python`. The tests call the runtime with it in its
# default settings, as a user would; the benchmarks may use it too.
set -euo pipefail
echo "$("$(dirname "$0")/python-venv.sh" oip-clients "$(dirname "$0")/oip-clients-requirements.txt")/bin/python"
