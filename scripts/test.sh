#!/usr/bin/env bash
# Installs what is missing, builds everything (tests and benchmarks in one configure), runs every
# test with ctest, then each libFuzzer harness for 30 s (scripts/fuzz.sh, built with clang in
# build-fuzz/; DONDOC_FUZZ_SECONDS changes the time). `scripts/test.sh --sanitize` runs the
# ctest suite under ASan+UBSan in build-sanitize/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The browser tests' packages, exactly as tests/browser/package-lock.json pins them.
if [ ! -d tests/browser/node_modules ] ||
   [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
fi

build=build
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-sanitize
  options=(-DCMAKE_BUILD_TYPE=Debug -DDONDOC_SANITIZE=ON)
fi
cmake -S . -B "$build" "${options[@]}"
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
if [ "${1:-}" != "--sanitize" ]; then
  scripts/fuzz.sh "${DONDOC_FUZZ_SECONDS:-30}"
fi
