#!/bin/bash
# screenshot.sh: a PNG of the main window of an installed Gatepost, taken
# headless (run it through tests/headless-run.sh).
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: tests/headless-run.sh build-aux/screenshot.sh PREFIX OUTPUT.png [ARG…]
# The language comes from the environment, e.g. LANGUAGE=zh_CN (with a
# non-"C" locale such as LC_ALL=C.UTF-8). ARGs go to gatepost (files to show).
# SCREENSHOT_SETUP, if set, is a command run first (to import a profile…);
# SCREENSHOT_ACTIONS, if set, is a command run once the window is up (xdotool
# key presses, a drop…).
set -euo pipefail
prefix=$1 output=$2
shift 2

for tool in xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing" >&2; exit 1; }
done

export PATH="$prefix/bin:$PATH"
export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
glib-compile-schemas "$GSETTINGS_SCHEMA_DIR"

if [ -n "${SCREENSHOT_SETUP:-}" ]; then
  bash -c "$SCREENSHOT_SETUP"
fi

"$prefix/bin/gatepost" "$@" &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null' EXIT

window=$(xdotool search --sync --onlyvisible --pid "$app" 2>/dev/null | tail -n1)
# Let the first frames, the icon theme and the fonts settle.
sleep 2
if [ -n "${SCREENSHOT_ACTIONS:-}" ]; then
  WINDOW=$window bash -c "$SCREENSHOT_ACTIONS"
  sleep 2
fi
import -window "$window" "$output"
echo "screenshot: $output ($(identify -format '%wx%h' "$output"))"
