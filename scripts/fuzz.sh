#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) in build-fuzz/ and runs each for SECONDS
# (default 30), two at a time, starting from its seed corpus in tests/fuzz/corpus/<name>/ (new
# inputs go to a scratch copy; the repository's corpus is not changed). Prints each harness's
# executions, coverage and crashes; exits non-zero if any crashed. A crash leaves its input in
# build-fuzz/findings/<name>/: make it a regression test.
#   scripts/fuzz.sh [SECONDS [HARNESS...]]   (all harnesses when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scripts/install-deps.sh

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DDONDOC_FUZZ=ON -DDONDOC_BUILD_TESTS=OFF -DDONDOC_BUILD_BENCH=OFF > /dev/null
fuzzers=(fuzz_http_request fuzz_write_bodies fuzz_query fuzz_csv_import fuzz_config fuzz_dates
         fuzz_templates_mime fuzz_attachments)
if [ $# -gt 1 ]; then
  fuzzers=("${@:2}")
fi
cmake --build build-fuzz -j"$(nproc)" --target "${fuzzers[@]}"

work="build-fuzz/work"
findings="build-fuzz/findings"
rm -rf "$work" "$findings"
mkdir -p "$work" "$findings"

run_one() {
  local name=$1
  mkdir -p "$work/$name/corpus" "$findings/$name"
  cp tests/fuzz/corpus/"$name"/* "$work/$name/corpus/"
  # -rss_limit_mb: the default 2 GiB; -timeout: an input taking 10 s is a hang worth knowing.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    build-fuzz/tests/fuzz/"$name" "$work/$name/corpus" -max_total_time="$seconds" -timeout=10 \
    -artifact_prefix="$findings/$name/" -print_final_stats=1 > "$work/$name/log" 2>&1
}

failed=0
passed=0
pids=()
names=()
for name in "${fuzzers[@]}"; do
  run_one "$name" &
  pids+=($!)
  names+=("$name")
  if [ ${#pids[@]} -ge "$(nproc)" ]; then
    if wait "${pids[0]}"; then :; else echo "FAILED ${names[0]}"; fi
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then :; else echo "FAILED ${names[$i]}"; fi
done

for name in "${fuzzers[@]}"; do
  log="$work/$name/log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
  crashes=$(find "$findings/$name" -type f | wc -l)
  printf '%-22s %10s executions  coverage %6s  crashes %s\n' "$name" "$runs" "$cov" "$crashes"
  if [ "$crashes" -ne 0 ] || grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|runtime error' "$log"; then
    failed=$((failed + 1))
    grep -m 5 -A 20 'ERROR\|runtime error' "$log" || true
  else
    passed=$((passed + 1))
  fi
done
echo "fuzz harnesses: $passed clean, $failed crashed"
[ "$failed" -eq 0 ]
