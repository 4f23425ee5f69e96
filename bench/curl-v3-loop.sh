#!/usr/bin/env bash
# curl-v3-loop.sh: the reference for bench/batch. What a user with a curl
# script does: for each file, one after the other, build the meta JSON, sign
# the WeChat Pay v3 message with the openssl CLI (PROTOCOLS.md 3.1 and 3.2) and
# post it with `curl -F`, a new process and connection per file.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   curl-v3-loop.sh BASE_URL MCH_ID MERCHANT_SERIAL WECHATPAY_SERIAL KEY CA FILE...
#
# Exits non-zero at the first file the gateway does not answer with a media_id.
set -euo pipefail
base=$1 mchid=$2 serial=$3 wserial=$4 key=$5 ca=$6
shift 6
path=/v3/merchant-service/images/upload
for file in "$@"; do
  name=$(basename "$file")
  sha=$(openssl dgst -sha256 -r "$file"); sha=${sha%% *}
  meta="{\"filename\":\"$name\",\"sha256\":\"$sha\"}"
  ts=$(date +%s)
  nonce=$(openssl rand -hex 16)
  sig=$(printf 'POST\n%s\n%s\n%s\n%s\n' "$path" "$ts" "$nonce" "$meta" \
        | openssl dgst -sha256 -sign "$key" | base64 -w0)
  auth="WECHATPAY2-SHA256-RSA2048 mchid=\"$mchid\",nonce_str=\"$nonce\",timestamp=\"$ts\""
  auth+=",serial_no=\"$serial\",signature=\"$sig\""
  reply=$(curl -sS --fail-with-body --cacert "$ca" -H 'Expect:' -H 'Accept: application/json' \
    -H "Authorization: $auth" -H "Wechatpay-Serial: $wserial" \
    -F "meta=$meta;type=application/json" -F "file=@$file;type=image/jpeg" "$base$path")
  case $reply in *'"media_id"'*) ;; *) printf '%s: %s\n' "$file" "$reply" >&2; exit 1 ;; esac
done
