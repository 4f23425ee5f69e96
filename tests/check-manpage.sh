#!/bin/bash
# check-manpage.sh: the manual page formats without a single groff warning,
# and documents every command and option gatepost-cli's --help lists.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-manpage.sh MAN_PAGE GATEPOST_CLI
set -uo pipefail
page=$1 cli=$2
status=0

warnings=$(groff -man -ww -z -K utf8 "$page" 2>&1)
if [ -n "$warnings" ]; then
  echo "groff warns about $page:"
  echo "$warnings"
  status=1
fi
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || { echo "man warns:"; echo "$warnings"; status=1; }
fi

text=$(MANWIDTH=200 man -l "$page" 2>/dev/null || groff -man -Tutf8 "$page")
text=$(sed 's/\x08.//g' <<<"$text")
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'EXIT STATUS' FILES; do
  grep -q "^$section" <<<"$text" || { echo "no $section section"; status=1; }
done
for cmd in check upload history 'history export' 'profile import' 'profile list' \
           'profile show' 'profile remove'; do
  # Every long option in the command's --help appears in the page.
  # shellcheck disable=SC2086
  for opt in $(LC_ALL=C.UTF-8 "$cli" $cmd --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    [ "$opt" = --help ] && continue
    grep -q -- "$opt" <<<"$text" || { echo "“$cmd” option $opt is not in the page"; status=1; }
  done
  grep -q "gatepost-cli $cmd" <<<"$text" || { echo "“gatepost-cli $cmd” is not in the page"; status=1; }
done
[ $status -eq 0 ] && echo "man page ok"
exit $status
