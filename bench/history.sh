#!/usr/bin/env bash
# history.sh: build and run the upload-history search benchmark.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/history.sh              100,000 rows
#   bench/history.sh 1000000      a million rows
#   bench/history.sh 100000 --iterations 200 --keep
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-_build}
[ -f "$build/build.ninja" ] || meson setup "$build"
meson compile -C "$build" bench-history
exec "$build/bench/bench-history" "$@"
