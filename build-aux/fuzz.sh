#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer targets with clang and run each one.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: build-aux/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]
# Runs every target (or the named ones) for SECONDS (default 60) from its
# seed corpus in fuzz/corpus/<name>/; new inputs go to _build-fuzz/corpus/.
# Prints one line per target with its executions and exits non-zero when a
# target crashed (the reproducer is left in _build-fuzz/crashes/).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true

build-aux/install-deps.sh || exit 1
if [ ! -f _build-fuzz/build.ninja ]; then
  CC=clang meson setup _build-fuzz -Dfuzzing=true -Dgui=disabled -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized || exit 1
fi
ninja -C _build-fuzz || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for exe in _build-fuzz/fuzz/fuzz-*; do
    [ -f "$exe" ] && [ -x "$exe" ] && targets+=("$(basename "$exe" | sed 's/^fuzz-//')")
  done
fi

status=0
mkdir -p _build-fuzz/crashes
for t in "${targets[@]}"; do
  mkdir -p "_build-fuzz/corpus/$t"
  log="_build-fuzz/fuzz-$t.log"
  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "_build-fuzz/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
      -artifact_prefix="_build-fuzz/crashes/$t-" \
      "_build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' | tail -1)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} executions in ${seconds}s, no crash"
  else
    echo "fuzz $t: CRASH after ${runs:-?} executions (exit $rc); see $log"
    tail -30 "$log"
    status=1
  fi
done
exit $status
