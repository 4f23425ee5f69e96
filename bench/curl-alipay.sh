#!/usr/bin/env bash
# curl-alipay.sh: the reference for bench/upload. What a user without
# Gatepost does: sign Alipay's alipay.offline.material.image.upload with the
# openssl CLI and post the file with `curl -F` (PROTOCOLS.md 1.1 and 1.2).
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   curl-alipay.sh FILE IMAGE_TYPE BASE_URL APP_ID APP_PRIVATE_KEY CA
#
# Prints the gateway's JSON reply; exits non-zero unless it says 10000.
set -euo pipefail
file=$1 type=$2 base=$3 app_id=$4 key=$5 ca=$6
name=$(basename "$file")
method=alipay.offline.material.image.upload
ts=$(TZ=UTC-8 date '+%Y-%m-%d %H:%M:%S')   # Beijing time, whatever the machine's zone

content="app_id=$app_id&charset=utf-8&format=JSON&image_name=$name&image_type=$type"
content+="&method=$method&sign_type=RSA2&timestamp=$ts&version=1.0"
sign=$(printf '%s' "$content" | openssl dgst -sha256 -sign "$key" | base64 -w0)
sign=${sign//+/%2B}; sign=${sign//\//%2F}; sign=${sign//=/%3D}
q_ts=${ts// /+}; q_ts=${q_ts//:/%3A}

reply=$(curl -sS --fail-with-body --cacert "$ca" -H 'Expect:' \
  -F "image_type=$type" -F "image_name=$name" -F "image_content=@$file" \
  "$base/gateway.do?app_id=$app_id&method=$method&format=JSON&charset=utf-8&sign_type=RSA2&timestamp=$q_ts&version=1.0&sign=$sign")
printf '%s\n' "$reply"
case $reply in *'"code":"10000"'*) ;; *) exit 1 ;; esac
