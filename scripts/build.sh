#!/usr/bin/env bash
# Configures and builds faultline (Release, in build/). Extra arguments go to the build,
# e.g. `scripts/build.sh --target faultline`.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" "$@"
