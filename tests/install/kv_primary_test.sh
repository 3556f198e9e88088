#!/usr/bin/env bash
# A user's own system end to end, through the installed package only: installs faultline
# into a scratch prefix, builds examples/kv-primary against it with find_package(faultline),
# then drives the user's `kvp` binary: its property tests, list, run, campaign, a campaign
# that finds its planted bug, repro of the failing seed and shrink of the campaign.
set -uo pipefail
build_dir=$1
source_dir=$2
cxx_flags=${3:-}     # the build's compiler flags, its build type's included: a sanitizer build's library needs its runtime
linker_flags=${4:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log=$scratch/step.log

# step NAME EXPECTED_EXIT COMMAND...: runs COMMAND, fails the test naming NAME (with the
# command's output) unless it exits EXPECTED_EXIT.
step() {
  local name=$1 expected=$2
  shift 2
  echo "== $name"
  "$@" >"$log" 2>&1
  local code=$?
  if [[ $code -ne $expected ]]; then
    cat "$log" >&2
    echo "kv-primary consumer test FAILED at step \"$name\": exit $code, expected $expected: $*" >&2
    exit 1
  fi
}

# expect NAME PATTERN: the last step's output holds PATTERN (a grep -E pattern).
expect() {
  if ! grep -Eq "$2" "$log"; then
    cat "$log" >&2
    echo "kv-primary consumer test FAILED at step \"$1\": output lacks /$2/" >&2
    exit 1
  fi
}

step "install faultline" 0 cmake --install "$build_dir" --prefix "$scratch/prefix"
step "configure examples/kv-primary" 0 cmake -S "$source_dir/examples/kv-primary" -B "$scratch/build" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="$cxx_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$linker_flags"
step "build examples/kv-primary" 0 cmake --build "$scratch/build" -j2
kvp=$scratch/build/kvp
out=$scratch/out

step "property tests" 0 "$scratch/build/kvp_property_test"
step "kvp list" 0 "$kvp" list systems
expect "kvp list" "^  kv-primary: "

step "kvp run" 0 "$kvp" run --system kv-primary --nemesis partition,kill --seed 3 --out "$out/run"
expect "kvp run" "linearizable"
[[ -s $out/run/results.json ]] || { echo "FAILED at step \"kvp run\": no results.json" >&2; exit 1; }

step "kvp campaign (crash)" 0 "$kvp" campaign --system kv-primary --nemesis crash --seeds 1..20 --jobs 2 \
  --out "$out/crash"

step "kvp campaign finds kvp.ack-before-backup" 1 "$kvp" campaign --system kv-primary \
  --bug kvp.ack-before-backup --nemesis partition --seeds 1..200 --stop-on-first --out "$out/bug"
failing=$(ls -d "$out"/bug/failures/seed-*/history.jsonl 2>/dev/null | head -n 1)
[[ -n $failing ]] || { echo "FAILED at step \"kvp campaign finds the bug\": no failing history" >&2; exit 1; }

step "kvp repro of the failing seed" 0 "$kvp" repro "$failing"
expect "kvp repro of the failing seed" "^identical "

step "kvp shrink of the campaign" 0 "$kvp" shrink "$out/bug" --out "$out/min"
step "kvp repro of the shrunk history" 0 "$kvp" repro "$out/min/history.jsonl"
expect "kvp repro of the shrunk history" "^identical "
echo "kv-primary consumer test passed"
