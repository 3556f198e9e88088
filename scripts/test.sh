#!/usr/bin/env bash
# Command 2 of the README: install what is missing, build everything, run the whole test
# suite, then the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# the tests of the only code that runs threads (the linearizability checker's partition pool)
# under ThreadSanitizer. Both suites replay every fuzz target's seed corpus (fuzz_replay.*);
# fuzzing itself (libFuzzer mutating from those corpora) is the separate command
# scripts/fuzz.sh, or the optional stage `fuzz` here. `.ci/run` runs exactly this.
#
#   FAULTLINE_TEST_STAGES="release asan tsan"   the stages to run (default: these three;
#                                               `fuzz` adds a 10 s libFuzzer run per target)
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${FAULTLINE_TEST_STAGES:-release asan tsan}
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
    tsan)
      stage "TSan build and the linearizability checker's tests"
      cmake --preset tsan >/dev/null
      cmake --build --preset tsan -j "$jobs" --target linearizable_test
      build-tsan/tests/linearizable_test --gtest_brief=1
      ;;
    fuzz)
      stage "short fuzz run of every target"
      bash scripts/fuzz.sh --seconds 10 --jobs "$jobs"
      ;;
    *)
      echo "test.sh: unknown stage \"$name\" in FAULTLINE_TEST_STAGES (release, asan, tsan, fuzz)" >&2
      exit 2
      ;;
  esac
done
stage "done"
