#!/usr/bin/env bash
# Command 2 of the README: install what is missing, build everything, run the whole test
# suite. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --preset release -j "$(nproc)"
