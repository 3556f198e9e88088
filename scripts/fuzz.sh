#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each one, from a
# seed corpus taken from tests/data (and fuzz/seeds for message codecs), with a hang timeout
# and leak detection. Prints one line per target: runs, exec/s, corpus size, result; exits 1
# if any target found a crash, hang or leak (the input is kept in build-fuzz/artifacts/, or build-fuzz-fast/...).
#
#   scripts/fuzz.sh --seconds 10                  short mode (test.sh stage `fuzz`): 10 s per target
#   scripts/fuzz.sh --runs 10000000 --seconds 900 long mode: whichever comes first
#                                                 (the figures in docs/benchmarks.md)
#   scripts/fuzz.sh --seconds 60 fuzz_jsonl       some targets only
#   --jobs N                                      compile with N jobs, fuzz N targets at once (default 1)
#   --preset fuzz-fast                            UBSan + libstdc++ assertions (no leak checks)
#                                                 without ASan, several times faster: the long
#                                                 runs to 10^7 (build-fuzz-fast/)
#
# The working corpus grows in build-fuzz/corpus/<target>/ and is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=()
jobs=1
preset=fuzz
targets=()
while (($#)); do
  case $1 in
    --seconds) limit+=(-max_total_time="$2"); shift 2 ;;
    --runs) limit+=(-runs="$2"); shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

# The rows of fuzz/targets.txt: target | library | seed directories | dictionary | largest input.
mapfile -t table < <(grep -v '^#' fuzz/targets.txt)
((${#limit[@]} > 0)) || limit=(-max_total_time=10)
build_targets=("${targets[@]}")
if ((${#targets[@]} == 0)); then
  for row in "${table[@]}"; do targets+=("${row%%|*}"); done
  build_targets=(fuzzers)
fi

row_of() {  # the table row of a target, or nothing
  local candidate
  for candidate in "${table[@]}"; do [[ ${candidate%%|*} == "$1" ]] && echo "$candidate"; done
  return 0
}

for target in "${targets[@]}"; do
  [[ -n $(row_of "$target") ]] || { echo "fuzz.sh: unknown target $target" >&2; exit 2; }
done

bash scripts/install-fuzz-deps.sh
[[ $preset == fuzz || $preset == fuzz-fast ]] || { echo "fuzz.sh: --preset is fuzz or fuzz-fast, not $preset" >&2; exit 2; }
build=build-$preset
cmake --preset "$preset" >/dev/null
cmake --build "$build" -j "$jobs" --target "${build_targets[@]}"

# Fuzzes one target and writes its line of the table to $build/logs/TARGET.row.
fuzz_one() {
  local target=$1 seeds dictionary max_len corpus log result runs speed files bytes seed_dirs
  IFS='|' read -r _ _ seeds dictionary max_len <<<"$(row_of "$target")"
  corpus=$build/corpus/$target
  log=$build/logs/$target.log
  IFS=':' read -r -a seed_dirs <<<"$seeds"
  result=ok
  $build/fuzz/"$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -dict="$dictionary" -print_final_stats=1 -artifact_prefix=$build/artifacts/"$target"- \
    "$corpus" "${seed_dirs[@]}" >"$log" 2>&1 || result="FAILED (see $log)"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  printf '%-22s %12s %9s %16s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "$files files/${bytes}B" "$result" \
    >"$build/logs/$target.row"
}

# --jobs targets at once (each libFuzzer process uses one core).
for target in "${targets[@]}"; do
  mkdir -p "$build/corpus/$target" $build/artifacts $build/logs
  rm -f "$build/logs/$target.row"
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz_one "$target" &
done
wait

failed=0
printf '%-22s %12s %9s %16s  %s\n' target runs exec/s corpus result
for target in "${targets[@]}"; do
  row_file=$build/logs/$target.row
  if [[ -f $row_file ]]; then cat "$row_file"; else printf '%-22s %s\n' "$target" "FAILED (no result)"; failed=1; fi
  grep -q FAILED "$row_file" 2>/dev/null && failed=1
done
exit $failed
