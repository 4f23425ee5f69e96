#!/bin/bash
# check-install.sh: `meson install --destdir` puts every expected file in
# place, and nothing is missing from the list.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-install.sh BUILD_DIR PREFIX EXPECTED_LIST
set -euo pipefail
build=$1 prefix=$2 expected=$3
dest=$(mktemp -d "${TMPDIR:-/tmp}/gatepost-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null

status=0
while read -r f; do
  [ -z "$f" ] || [ "${f#\#}" != "$f" ] && continue
  if [ ! -e "$dest$prefix/$f" ]; then
    echo "not installed: $prefix/$f"
    status=1
  fi
done < "$expected"
for exe in bin/gatepost bin/gatepost-cli; do
  [ -x "$dest$prefix/$exe" ] || { echo "not executable: $prefix/$exe"; status=1; }
done
[ $status -eq 0 ] && echo "all $(grep -cv '^#' "$expected") expected files installed"
exit $status
