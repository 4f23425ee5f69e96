#!/bin/bash
# check-translation.sh: gatepost-cli speaks Simplified Chinese with
# LANGUAGE=zh_CN (under any non-"C" locale), while error codes, JSON member
# names and the contract's words stay as they are.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-translation.sh GATEPOST_CLI BUILD_PO_DIR
set -uo pipefail
cli=$(realpath "$1") po=$(realpath "$2")
status=0
work=$(mktemp -d "${TMPDIR:-/tmp}/gatepost-translation.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'plain text, not an image\n' > "$work/note.jpg"

zh() { LC_ALL=C.UTF-8 LANGUAGE=zh_CN GATEPOST_LOCALEDIR=$po "$cli" "$@" 2>&1; }
expect()
{
  local what=$1 text=$2 needle=$3
  if grep -qF -- "$needle" <<<"$text"; then
    echo "ok: $what"
  else
    echo "FAIL: $what: no “$needle” in:"
    sed 's/^/  /' <<<"$text"
    status=1
  fi
}

expect "help" "$(zh --help)" "用法："
expect "help: exit statuses" "$(zh --help)" "退出状态："
expect "option descriptions" "$(zh upload --help)" "同时上传的文件数（1–16，默认 3）"
expect "usage error" "$(zh bogus)" "gatepost-cli: 未知命令“bogus”"
out=$(zh check --gateway wechatpay-v3 "$work/note.jpg")
expect "check refusal" "$out" "：未通过"
expect "check: the code stays" "$out" "UNKNOWN_FORMAT: 文件内容不是 JPEG、PNG、BMP、GIF、MP4 或 PDF"
expect "check: the gateway's Chinese name" "$out" "微信支付 v3支持 JPEG（2 MiB）、PNG（2 MiB）、BMP（2 MiB）"
json=$(zh check --json --gateway wechatpay-v3 "$work/note.jpg")
expect "JSON: member names and codes stay" "$json" '"stage":"check","code":"UNKNOWN_FORMAT"'
expect "JSON: the message is translated" "$json" '"message":"文件内容不是'
# The "C" locale makes gettext ignore LANGUAGE: English, as documented.
expect "LC_ALL=C stays English" "$(LC_ALL=C LANGUAGE=zh_CN GATEPOST_LOCALEDIR=$po "$cli" --help)" "Usage:"
exit $status
