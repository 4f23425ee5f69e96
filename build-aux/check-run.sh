#!/usr/bin/env bash
# check-run.sh: prove that build-aux/run.sh does what README promises on a
# fresh HOME: installs what is missing, builds, launches the app, and with
# an empty keyring the app starts the Sandbox simulator, which stops again
# when the app quits.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/check-run.sh   (runs itself inside tests/headless-run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${GATEPOST_CHECK_RUN_INSIDE:-}" != 1 ]; then
  GATEPOST_CHECK_RUN_INSIDE=1 exec tests/headless-run.sh "$0"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
build-aux/run.sh >"$log" 2>&1 &
pid=$!
wid=$(timeout 600 xdotool search --sync --onlyvisible --limit 1 --name '^Gatepost$')
for _ in $(seq 1 60); do
  [ -s "$XDG_CACHE_HOME/gatepost/sandbox/profiles/sim-alipay.json" ] && break
  sleep 0.5
done
sim=$(pgrep -P "$pid" -f gatepost-sim || true)
if [ -z "$sim" ]; then
  echo "check-run: the app did not start gatepost-sim" >&2
  cat "$log" >&2
  exit 1
fi
echo "check-run: window $wid, Sandbox simulator pid $sim"
gdbus call --session --dest io.github.gatepost.Gatepost \
  --object-path /io/github/gatepost/Gatepost \
  --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
wait "$pid"
if kill -0 "$sim" 2>/dev/null; then
  echo "check-run: gatepost-sim still runs after the app quit" >&2
  ps -o pid,ppid,stat,cmd -p "$sim" >&2 || true
  tail -20 "$log" >&2
  exit 1
fi
echo "check-run: OK (the simulator stopped with the app)"
