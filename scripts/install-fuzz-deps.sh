#!/usr/bin/env bash
# Installs, with apt-get, what the fuzz build needs beyond install-deps.sh: clang (the `fuzz`
# presets' compiler) and compiler-rt (libFuzzer and the sanitizers' runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh clang libclang-rt-14-dev
