#!/usr/bin/env bash
# Installs what is missing, builds everything (tests and benchmarks in one configure) and runs
# every test with ctest. `scripts/test.sh --sanitize` does the same under ASan+UBSan in
# build-sanitize/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-sanitize
  options=(-DCMAKE_BUILD_TYPE=Debug -DDONDOC_SANITIZE=ON)
fi
cmake -S . -B "$build" "${options[@]}"
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
