#!/bin/bash
# check-po.sh: every translation compiles with msgfmt's format and header
# checks, and has no fuzzy or untranslated entry.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-po.sh PO_DIR
set -uo pipefail
po_dir=$1
status=0
for lang in $(grep -v '^#' "$po_dir/LINGUAS"); do
  po="$po_dir/$lang.po"
  if ! stats=$(LC_ALL=C msgfmt --check-format -c --statistics -o /dev/null "$po" 2>&1); then
    echo "$stats"
    status=1
    continue
  fi
  # "N translated messages[, N fuzzy translations][, N untranslated messages]."
  if grep -q 'fuzzy\|untranslated' <<<"$stats"; then
    echo "$lang.po: $stats"
    LC_ALL=C msgattrib --only-fuzzy --no-wrap "$po" | grep '^msgid' | sed 's/^/  fuzzy: /'
    LC_ALL=C msgattrib --untranslated --no-wrap "$po" | grep '^msgid' | sed 's/^/  untranslated: /'
    status=1
    continue
  fi
  n=$(grep -o '^[0-9]*' <<<"$stats")
  if [ "${n:-0}" -eq 0 ]; then
    echo "$lang.po: no translated message"
    status=1
    continue
  fi
  echo "$lang.po: $stats"
done
exit $status
