#!/usr/bin/env bash
# generate.sh: the signing known-answer vectors, computed with the openssl CLI
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every expected signature under this folder comes from here, never from
# Gatepost's own signer, so a bug in gp-signer.c cannot pass by agreeing
# with itself. Keys and the tiny JPEG are made once (delete them to make new
# ones); the vectors are recomputed from them on every run. Files hold the
# exact bytes (no trailing newline). Run from anywhere; needs openssl 3 and,
# only when tiny.jpg is missing, ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C

# Keys: "app" signs requests (Alipay app key, WeChat merchant API key),
# "gateway" signs responses (the Alipay public key's pair, the WeChat Pay
# platform key). PKCS#8 PEM, RSA 2048.
for k in app gateway; do
  if [ ! -f "$k-key.pem" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$k-key.pem"
  fi
  openssl pkey -in "$k-key.pem" -pubout -out "$k-pub.pem"
done
if [ ! -f tiny.jpg ]; then
  convert -size 4x3 xc:'#3366cc' -strip tiny.jpg
fi

put() { printf '%s' "$2" > "$1"; }
rsa2() { openssl dgst -sha256 -sign "$1" | base64 -w0; }
md5u() { openssl dgst -md5 -r | cut -c1-32 | tr -d '\n' | tr a-f A-F; }
hmacu() { openssl dgst -sha256 -hmac "$1" -r | cut -c1-64 | tr -d '\n' | tr a-f A-F; }

API_KEY=192006250b4c09247ec02edce69f6a2d
TINY_MD5=$(openssl dgst -md5 -r tiny.jpg | cut -c1-32)
TINY_SHA256=$(openssl dgst -sha256 -r tiny.jpg | cut -c1-64)
put tiny.jpg.md5 "$TINY_MD5"
put tiny.jpg.sha256 "$TINY_SHA256"

# PROTOCOLS.md 1.2: the Alipay worked example (189 bytes in UTF-8). The
# driver test uploads tiny.jpg named 门店照片 at that timestamp, so its
# request signs exactly this string.
S='app_id=2014072300007148&charset=UTF-8&format=JSON&image_name=门店照片&image_type=jpg&method=alipay.offline.material.image.upload&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0'
put alipay-sign-content.txt "$S"
printf '%s' "$S" | rsa2 app-key.pem > alipay-sign-content.sig

# PROTOCOLS.md 3.2: the v3 worked example (185 bytes).
M=$'POST\n/v3/merchant-service/images/upload\n1566987169\n12ced2db6f0193dda91ba86224ea1cd8\n{"filename":"filea.jpg","sha256":"46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4"}\n'
printf '%s' "$M" > v3-message.txt
printf '%s' "$M" | rsa2 app-key.pem > v3-message.sig

# Driver requests for tiny.jpg uploaded as filea.jpg (same clock and nonce).
for kind in v3 global; do
  if [ $kind = v3 ]; then
    P=/v3/merchant-service/images/upload; F=sha256
  else
    P=/v3/global/merchant-storage/file/upload; F=digest
  fi
  META="{\"filename\":\"filea.jpg\",\"$F\":\"$TINY_SHA256\"}"
  put $kind-request-meta.json "$META"
  printf 'POST\n%s\n1566987169\n12ced2db6f0193dda91ba86224ea1cd8\n%s\n' "$P" "$META" \
    | rsa2 app-key.pem > $kind-request.sig
done

# v2 requests for tiny.jpg, mch_id 1230000109 (PROTOCOLS.md 2.2 rule).
printf 'mch_id=1230000109&media_hash=%s&key=%s' "$TINY_MD5" "$API_KEY" | md5u > v2-request-md5.sign
printf 'mch_id=1230000109&media_hash=%s&sign_type=HMAC-SHA256&key=%s' "$TINY_MD5" "$API_KEY" \
  | hmacu "$API_KEY" > v2-request-hmac.sign

# v2 responses: the document's example (MD5 890BCD0A…), the same signed
# with HMAC-SHA256, and one with extra fields that must be signed too.
R='media_id=9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8&result_code=SUCCESS&return_code=SUCCESS&return_msg=OK'
printf '%s&key=%s' "$R" "$API_KEY" | md5u > v2-response-md5.sign
printf '%s&key=%s' "$R" "$API_KEY" | hmacu "$API_KEY" > v2-response-hmac.sign
R='appid=wx2421b1c4370ec43b&mch_id=1230000109&media_id=9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8&nonce_str=5K8264ILTKCH16CQ&result_code=SUCCESS&return_code=SUCCESS&return_msg=OK'
printf '%s&key=%s' "$R" "$API_KEY" | md5u > v2-response-extra.sign
R='err_code=PARAM_ERROR&err_code_des=size should be less than 2M&result_code=FAIL&return_code=SUCCESS&return_msg=OK'
printf '%s&key=%s' "$R" "$API_KEY" | md5u > v2-response-fail.sign

# Alipay responses: the signed bytes are the node's raw text, \/ included;
# the *-unescaped.sig variant signs the node with \/ replaced by / (the
# SDKs' fallback).
N='{"code":"10000","msg":"Success","image_id":"hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED","image_url":"http:\/\/dl.django.t.taobao.com\/rest\/1.0\/image?fileIds=hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED&zoom=original"}'
put alipay-response-node.json "$N"
printf '%s' "$N" | rsa2 gateway-key.pem > alipay-response-node.sig
printf '%s' "$N" | sed 's#\\/#/#g' | rsa2 gateway-key.pem > alipay-response-node-unescaped.sig
N='{"code":"40004","msg":"Business Failed","sub_code":"EXCEED_MAX_SIZE","sub_msg":"文件大小超过限制"}'
put alipay-error-node.json "$N"
printf '%s' "$N" | rsa2 gateway-key.pem > alipay-error-node.sig

# v3 and Global responses, signed over "ts\nnonce\nbody\n".
put v3-response-body.json '{"media_id":"BB04A5DEEFEA18D4F2554C1EDD3B610B.bmp"}'
put global-response-body.json '{"file_id":"b6a17e2a-1dc4-4376-8630-e73d06490c0d"}'
put v3-error-body.json '{"code":"PARAM_ERROR","message":"图片sha256值有误"}'
for b in v3-response global-response v3-error; do
  { printf '1700000000\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n'; cat $b-body.json; printf '\n'; } \
    | rsa2 gateway-key.pem > $b.sig
done

echo "generate.sh: vectors written"
