#!/bin/bash
# headless-run.sh: run a command under Xvfb, a private D-Bus session bus and
# an unlocked gnome-keyring, with throwaway HOME and XDG directories.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Used as meson's default test wrapper and by .ci/run. Exits with the
# command's status. Xvfb picks its own display (-displayfd), so parallel
# tests never race for a display number.
set -uo pipefail

if [ $# -eq 0 ]; then
  echo "usage: headless-run.sh COMMAND [ARG…]" >&2
  exit 2
fi

for tool in Xvfb dbus-run-session gnome-keyring-daemon gdbus; do
  if ! command -v "$tool" >/dev/null; then
    echo "headless-run: $tool is missing; run build-aux/install-deps.sh" >&2
    exit 1
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/gatepost-headless.XXXXXX")
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T"/{home,data,config,cache,runtime}
chmod 700 "$T/runtime"

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$T/display" 2>"$T/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do
  [ -s "$T/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.05
done
if [ ! -s "$T/display" ]; then
  echo "headless-run: Xvfb did not start:" >&2
  cat "$T/xvfb.log" >&2
  exit 1
fi

export DISPLAY=":$(head -n1 "$T/display")"
export HOME="$T/home" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" \
       XDG_CACHE_HOME="$T/cache" XDG_RUNTIME_DIR="$T/runtime" \
       GDK_BACKEND=x11 NO_AT_BRIDGE=1 GST_REGISTRY="$T/cache/gst-registry.bin"
export GSETTINGS_BACKEND="${GSETTINGS_BACKEND:-memory}"
export GTK_A11Y="${GTK_A11Y:-none}"
export LC_ALL="${LC_ALL:-C.UTF-8}"
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

# Unlock the keyring before anything asks for it: a locked or missing
# collection makes gnome-keyring show a prompt, and under Xvfb nobody
# answers it.
dbus-run-session -- bash -c '
  printf %s "gatepost-test-keyring" |
    gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$XDG_RUNTIME_DIR/gkd.log" 2>&1 &
  if ! gdbus wait --session --timeout 10 org.freedesktop.secrets; then
    echo "headless-run: gnome-keyring did not start:" >&2
    cat "$XDG_RUNTIME_DIR/gkd.log" >&2
    exit 1
  fi
  exec "$@"' headless-run "$@"
