#!/usr/bin/env bash
# test.sh: install what is missing, build, and run every test headless.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Three builds: the normal one runs every suite (under Xvfb, a private D-Bus
# session and an unlocked gnome-keyring, meson's default test setup); a
# second one with AddressSanitizer and UBSan runs the core and CLI suites;
# a clang build runs each libFuzzer target for a few seconds.
# Ends with "N passed, N failed[, N skipped]" and exits non-zero when any
# test failed.
set -uo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh || exit 1

passed=0 failed=0 skipped=0 status=0

# meson 1.0 prints Ok:/Fail:/… lines instead of one summary; add them up.
tally() {
  local out=$1
  get() { awk -v k="$1" -F: '$1==k {gsub(/ /,"",$2); print $2; f=1} END{if(!f) print 0}' "$out"; }
  passed=$(( passed + $(get Ok) + $(get 'Expected Fail') ))
  failed=$(( failed + $(get Fail) + $(get 'Unexpected Pass') + $(get Timeout) ))
  skipped=$(( skipped + $(get Skipped) ))
}

run_suite() {
  local dir=$1; shift
  local out="$dir/meson-test.out"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  tally "$out"
  if ! grep -q '^Ok:' "$out"; then
    # meson did not get as far as running tests.
    failed=$(( failed + 1 ))
  fi
  [ "$rc" -eq 0 ] || status=1
}

build() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  fi
  ninja -C "$dir"
}

if build _build; then
  run_suite _build
else
  echo "test.sh: the build failed" >&2
  failed=$(( failed + 1 )); status=1
fi

# Runs "$@" with the sanitizers' options exported to it alone.
sanitized() {
  local -x ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1:fast_unwind_on_malloc=0
  local -x LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0"
  local -x UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  "$@"
}

if build _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false -Dgui=disabled; then
  sanitized run_suite _build-sanitize --suite core --suite cli
  # and the end-to-end uploads through the simulator (about 80 s here)
  sanitized run_suite _build-sanitize test-cli-upload
else
  echo "test.sh: the sanitizer build failed" >&2
  failed=$(( failed + 1 )); status=1
fi

# Each fuzz target runs briefly from its seed corpus; a crash is a failed
# test. build-aux/fuzz.sh SECONDS runs them longer.
fuzz_out=$(mktemp)
build-aux/fuzz.sh "${GATEPOST_FUZZ_SECONDS:-15}" 2>&1 | tee "$fuzz_out"
passed=$(( passed + $(grep -c '^fuzz .*no crash$' "$fuzz_out") ))
fuzz_failed=$(grep -c '^fuzz .*CRASH' "$fuzz_out")
if ! grep -q '^fuzz ' "$fuzz_out"; then
  echo "test.sh: the fuzz targets did not build or run" >&2
  fuzz_failed=1
fi
failed=$(( failed + fuzz_failed ))
rm -f "$fuzz_out"

[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
