#!/usr/bin/env bash
# Command 2 of the README: install what is missing, build everything, run the whole test
# suite, then the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# a short libFuzzer run of every input parser and message codec. `.ci/run` runs exactly this.
#
#   FAULTLINE_TEST_STAGES="release asan fuzz"   the stages to run (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${FAULTLINE_TEST_STAGES:-release asan fuzz}
jobs=$(nproc)

stage() {
  echo "== test.sh: $1 ($(date -u +%H:%M:%S))"
}

bash scripts/install-deps.sh
for name in $stages; do
  case $name in
    release)
      stage "release build and suite"
      bash scripts/build.sh
      ctest --preset release -j "$jobs"
      ;;
    asan)
      stage "ASan + UBSan build and suite"
      cmake --preset asan >/dev/null
      cmake --build --preset asan -j "$jobs"
      ctest --preset asan -j "$jobs"
      ;;
    fuzz)
      stage "short fuzz run of every target"
      bash scripts/fuzz.sh --seconds 10 --jobs "$jobs"
      ;;
    *)
      echo "test.sh: unknown stage \"$name\" in FAULTLINE_TEST_STAGES (release, asan, fuzz)" >&2
      exit 2
      ;;
  esac
done
stage "done"
