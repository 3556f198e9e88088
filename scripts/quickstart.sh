#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build, and run the demo campaign.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh --target faultline
./build/bin/faultline demo
