#!/bin/bash
# check-completion.sh: the bash completion of gatepost-cli completes
# commands, options, gateway ids, file names and real profile names.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-completion.sh COMPLETION_FILE GATEPOST_CLI KEYS_DIR
# Profile names come from the real keyring, so this runs in the headless
# wrapper (private session bus, unlocked gnome-keyring).
set -uo pipefail
completion=$(realpath "$1") cli=$(realpath "$2") keys=$(realpath "$3")
status=0
# A loaded machine (parallel builds) can take more than the interactive 3 s.
export GATEPOST_COMPLETION_TIMEOUT=30
work=$(mktemp -d "${TMPDIR:-/tmp}/gatepost-completion.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One profile whose name needs quoting on a command line.
cat > "$work/profile.json" <<JSON
{"name": "Shop A 上海", "gateway": "wechatpay-v3", "mch_id": "1900000109",
 "serial_no": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
 "private_key_file": "$keys/app.pkcs8.pem",
 "platform_public_key_file": "$keys/platform.pub.pem",
 "platform_serial": "PUB_KEY_ID_0000000000000000000000000001"}
JSON
if ! "$cli" profile import "$work/profile.json" >/dev/null; then
  echo "could not import the test profile"
  exit 1
fi
touch "$work/licence-scan.jpg" "$work/licence-scan.png" "$work/other.pdf"

# complete LINE: prints the candidates for LINE (cursor at its end), one a
# line, sorted. LINE is split the way readline does (on spaces and "=").
complete_line()
{
  ( set +u
    # shellcheck disable=SC1090
    source "$completion"
    cd "$work" || exit 1
    COMP_LINE=$1
    COMP_POINT=${#1}
    read -r -a COMP_WORDS <<<"$(sed 's/=/ = /g' <<<"$1")"
    COMP_WORDS[0]=$cli
    [[ $1 == *' ' || $1 == *= ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _gatepost_cli gatepost-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort )
}

expect()
{
  local line=$1 want actual
  want=$(printf '%s\n' "${@:2}" | sort)
  actual=$(complete_line "$line")
  if [ "$actual" = "$want" ]; then
    echo "ok: “$line”"
  else
    echo "FAIL: “$line”"
    echo "  want: $(echo $want)"
    echo "  got:  $(echo $actual)"
    status=1
  fi
}

expect 'gatepost-cli ' check profile upload history help --help --version
expect 'gatepost-cli up' upload
expect 'gatepost-cli profile ' import list show remove --help
expect 'gatepost-cli profile show ' 'Shop\ A\ 上海'
expect 'gatepost-cli profile show Sh' 'Shop\ A\ 上海'
expect 'gatepost-cli profile show Xy'
expect 'gatepost-cli upload --profile ' 'Shop\ A\ 上海'
expect 'gatepost-cli check --profile=Sho' 'Shop\ A\ 上海'
expect 'gatepost-cli check --gateway wechatpay-' wechatpay-v2 wechatpay-v3 wechatpay-global
expect 'gatepost-cli check --gateway=al' alipay
expect 'gatepost-cli upload --' --profile --json --jobs --force --help
expect 'gatepost-cli upload --profile X licence' licence-scan.jpg licence-scan.png
expect 'gatepost-cli history --status f' failed
expect 'gatepost-cli history ex' export
expect 'gatepost-cli history export --format ' csv json
expect 'gatepost-cli history export --' --format --output --search --profile --help

"$cli" profile remove "Shop A 上海" >/dev/null || status=1
exit $status
