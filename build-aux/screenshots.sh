#!/usr/bin/env bash
# screenshots.sh: take data/screenshots/*.png from the built app under Xvfb.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the built `gatepost FILE…` inside tests/headless-run.sh, in English
# and with LANGUAGE=zh_CN. The first file given is selected, so it is the
# one previewed. Usage: build-aux/screenshots.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-_build}
out=${2:-data/screenshots}

if [ "${GATEPOST_SCREENSHOTS_INSIDE:-}" != 1 ]; then
  for tool in import xdotool; do
    if ! command -v "$tool" >/dev/null; then
      echo "screenshots: $tool is missing; run build-aux/install-deps.sh" >&2
      exit 1
    fi
  done
  ninja -C "$build"
  mkdir -p "$out"
  GATEPOST_SCREENSHOTS_INSIDE=1 exec tests/headless-run.sh "$0" "$build" "$out"
fi

media=tests/data/media
app="$build/src/gui/gatepost"
# The tree's gatepost-sim, as build-aux/run.sh arranges it: the throwaway
# keyring is empty, so the app starts its Sandbox.
PATH="$(cd "$build/src/sim" && pwd):$PATH"
export PATH

# The build tree's translations, laid out as gettext expects.
locales=$(mktemp -d)
trap 'rm -rf "$locales" "${named:-}"' EXIT
for mo in "$build"/po/*/LC_MESSAGES/gatepost.mo; do
  [ -e "$mo" ] || continue
  lang=$(basename "$(dirname "$(dirname "$mo")")")
  mkdir -p "$locales/$lang/LC_MESSAGES"
  cp "$mo" "$locales/$lang/LC_MESSAGES/"
done

shoot() {
  local name=$1; shift
  local pid wid

  GSETTINGS_SCHEMA_DIR="$build/data" GATEPOST_LOCALEDIR="$locales" "$app" "$@" &
  pid=$!
  wid=$(timeout 20 xdotool search --sync --onlyvisible --limit 1 --name '^Gatepost$')
  # Checks, thumbnails, the preview and GstDiscoverer run in threads; give
  # them time, then take the window alone.
  sleep 4
  import -window "$wid" "$out/$name.png"
  gdbus call --session --dest io.github.gatepost.Gatepost \
    --object-path /io/github/gatepost/Gatepost \
    --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
  wait "$pid"
  echo "screenshots: $out/$name.png"
}

# The Upload view after a Sandbox upload: the throwaway keyring is empty,
# so the app starts gatepost-sim (from the build tree, as run.sh does) and
# selects the Sandbox Alipay profile; Ctrl+Return uploads, and the rows then
# show the media IDs the simulator issued.
shoot_uploaded() {
  local name=$1; shift
  local pid wid

  GSETTINGS_SCHEMA_DIR="$build/data" GATEPOST_LOCALEDIR="$locales" "$app" "$@" &
  pid=$!
  wid=$(timeout 20 xdotool search --sync --onlyvisible --limit 1 --name '^Gatepost$')
  # The simulator makes its keys on the first start, and the checks run.
  sleep 6
  xdotool windowfocus --sync "$wid"
  xdotool key ctrl+Return
  sleep 5
  import -window "$wid" "$out/$name.png"
  gdbus call --session --dest io.github.gatepost.Gatepost \
    --object-path /io/github/gatepost/Gatepost \
    --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
  wait "$pid"
  echo "screenshots: $out/$name.png"
}

# The History view after a second Sandbox batch (run after shoot_uploaded,
# so the history holds both batches): Ctrl+F opens it with the search
# focused.
shoot_history() {
  local name=$1; shift
  local pid wid

  GSETTINGS_SCHEMA_DIR="$build/data" GATEPOST_LOCALEDIR="$locales" "$app" "$@" &
  pid=$!
  wid=$(timeout 20 xdotool search --sync --onlyvisible --limit 1 --name '^Gatepost$')
  sleep 6
  xdotool windowfocus --sync "$wid"
  xdotool key ctrl+Return
  sleep 5
  xdotool key ctrl+f
  sleep 2
  import -window "$wid" "$out/$name.png"
  gdbus call --session --dest io.github.gatepost.Gatepost \
    --object-path /io/github/gatepost/Gatepost \
    --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
  wait "$pid"
  echo "screenshots: $out/$name.png"
}

# Files with Chinese names and bytes of their own, so none is a duplicate.
named=$(mktemp -d)
{ cat "$media/licence-scan.png"; printf 'gatepost-screenshot'; } > "$named/营业执照 2026.png"
{ cat "$media/shop-photo.jpg"; printf 'gatepost-screenshot'; } > "$named/门店照片.jpg"

files=("$media/shop-photo.jpg" "$media/licence-scan.png" "$media/clip.mp4" "$media/invoice.pdf"
       "$media/animation.gif")
video_first=("$media/clip.mp4" "$media/shop-photo.jpg" "$media/licence-scan.png"
             "$media/invoice.pdf" "$media/animation.gif")

for lang in en zh_CN; do
  if [ "$lang" = en ]; then
    unset LANGUAGE
  else
    export LANGUAGE=$lang
  fi
  shoot "upload-image-$lang" "${files[@]}"
  shoot "upload-video-$lang" "${video_first[@]}"
  # A fresh history per language, so that nothing counts as uploaded before.
  rm -rf "$XDG_DATA_HOME/gatepost/history.sqlite3"*
  shoot_uploaded "upload-sandbox-$lang" "$media/shop-photo.jpg" "$media/licence-scan.png"
  shoot_history "history-$lang" "$named/营业执照 2026.png" "$named/门店照片.jpg" \
    "$media/clip.mp4" "$media/animation.gif"
done
