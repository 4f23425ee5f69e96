#!/bin/bash
# check-potfiles.sh: every source with translatable strings is in
# po/POTFILES.in, and every listed file exists.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$1"
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
needed=$( { grep -rlE '(^|[^A-Za-z0-9_])N?_\(' src --include='*.c' || true;
            grep -rl 'translatable="yes"' src --include='*.ui' || true; } | sort -u)
for f in $needed; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "listed in po/POTFILES.in but missing: $f"
    status=1
  fi
done
if [ "$listed" != "$(grep -v '^#' po/POTFILES.in | sed '/^$/d')" ]; then
  echo "po/POTFILES.in is not sorted"
  status=1
fi
exit $status
