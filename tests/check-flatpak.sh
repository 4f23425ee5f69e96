#!/bin/bash
# check-flatpak.sh: the Flatpak manifest parses (flatpak-builder, with
# warnings fatal) and asks for exactly the permissions README documents.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real build needs the GNOME runtime, which cannot be downloaded here.
set -euo pipefail
manifest="$1/flatpak/io.github.gatepost.Gatepost.json"

shown=$(G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$manifest")

expected_args='--device=dri
--share=ipc
--share=network
--socket=fallback-x11
--socket=wayland'
args=$shown
# flatpak-builder pretty-prints one array element per line.
actual_args=$(awk '/"finish-args" *: *\[/ {on=1; next} on && /\]/ {on=0} on' <<<"$args" |
              tr -d ' ",' | sed '/^$/d' | sort)
if [ "$actual_args" != "$expected_args" ]; then
  echo "finish-args differ from the documented set:"
  diff <(echo "$expected_args") <(echo "$actual_args") || true
  exit 1
fi
if grep -q -- '--filesystem\|--talk-name=org.freedesktop.secrets' <<<"$args"; then
  echo "the manifest asks for file-system or keyring access it must not need"
  exit 1
fi
# poppler-glib (PDF previews) is not in the GNOME runtime, so it is built
# first; then the app itself.
modules=$(grep -o '"name" *: *"[^"]*"' <<<"$args" | sed 's/.*: *"//; s/"$//' | tr '\n' ' ')
if [ "$modules" != "poppler gatepost " ]; then
  echo "unexpected module list: $modules"
  exit 1
fi
grep -q '"run-tests" *: *true' <<<"$args" || { echo "run-tests is not enabled"; exit 1; }
grep -q 'meson test --setup=bare' <<<"$args" || { echo "the tests do not use the bare setup"; exit 1; }
grep -q '"type" *: *"dir"' <<<"$args" || { echo "the app is not built from the local tree"; exit 1; }
grep -q '"sha256" *: *"[0-9a-f]\{64\}"' <<<"$args" || { echo "a downloaded source has no sha256"; exit 1; }
echo "manifest ok: gatepost module from the tree, tests run, permissions: $(echo $actual_args)"
