#!/usr/bin/env bash
# Installs what is missing, builds dondocd and starts it on the built-in defaults
# (http://127.0.0.1:8080, database ./var/dondoc.db). Extra arguments go to `dondocd serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target dondocd -j"$(nproc)"
exec build/src/dondocd serve "$@"
