#!/bin/bash
# generate.sh: regenerate the key and certificate fixtures of the profile tests
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The outputs are committed, so tests never run this. To regenerate:
#   cd tests/data/keys && ./generate.sh
# then commit every changed file. Everything is made by the openssl CLI, and
# expected.ini holds the values the tests compare against (serials,
# fingerprints, expiry dates), taken from openssl's own output so that a
# bug in our parser cannot agree with itself.
#
# Files:
#   app.pkcs1.pem app.pkcs8.pem          the Alipay app / WeChat merchant key (RSA 2048)
#   app.pkcs1.b64 app.pkcs8.b64          the same as bare one-line base64 (DER)
#   app.pkcs8.crlf.pem                   PKCS#8 PEM with CRLF line ends and padding
#   app.pub.pem app.pub.b64              its public key (SPKI)
#   alipay.key.pem alipay.pub.pem        the "Alipay platform" key pair (RSA 2048)
#   alipay.pub.b64 alipay.rsapub.pem     its public key as bare base64 and as PKCS#1
#   weak1024.pem weak1024.b64            an RSA key of 1024 bits (refused)
#   encrypted.pem encrypted-legacy.pem   passphrase "fixture" (PKCS#8 and OpenSSL legacy)
#   encrypted.b64                        the encrypted PKCS#8 as bare one-line base64
#   ec.pem                               a P-256 key (not RSA, refused)
#   ca.pem ca.key.pem                    a test CA
#   platform.key.pem platform.pem        WeChat platform key and certificate; the
#                                        serial's top bit is set, so its DER has a
#                                        leading zero byte
#   platform.pub.pem                     the platform public key (SPKI)
#   client.key.pem client.pem            v2 client key and certificate (serial with a
#                                        leading zero nibble)
#   client.p12                           the pair as PKCS#12, password "p12-secret"
#   client-mchid.p12                     the pair as PKCS#12, password "1900000109" (mch_id)
#   client.p12.b64 client-mchid.p12.b64  the same as one-line base64
#   soon.pem                             a client certificate valid for 20 days from generation
#   expired.pem                          a client certificate that expired in 2021
#   other.pem                            a certificate for another key (mismatch)
set -euo pipefail
cd "$(dirname "$0")"

rm -rf work && mkdir work
trap 'rm -rf work' EXIT

b64line() { openssl base64 -A -in "$1"; echo; }

openssl genrsa -traditional -out app.pkcs1.pem 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in app.pkcs1.pem -out app.pkcs8.pem
openssl rsa -in app.pkcs1.pem -traditional -outform DER -out work/app.pkcs1.der 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in app.pkcs1.pem -outform DER -out work/app.pkcs8.der
b64line work/app.pkcs1.der > app.pkcs1.b64
b64line work/app.pkcs8.der > app.pkcs8.b64
{ printf '  \r\n'; sed 's/$/\r/' app.pkcs8.pem; printf '\r\n\r\n'; } > app.pkcs8.crlf.pem
openssl pkey -in app.pkcs8.pem -pubout -out app.pub.pem
openssl pkey -in app.pkcs8.pem -pubout -outform DER -out work/app.pub.der
b64line work/app.pub.der > app.pub.b64

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out alipay.key.pem 2>/dev/null
openssl pkey -in alipay.key.pem -pubout -out alipay.pub.pem
openssl pkey -in alipay.key.pem -pubout -outform DER -out work/alipay.pub.der
b64line work/alipay.pub.der > alipay.pub.b64
openssl rsa -in alipay.key.pem -RSAPublicKey_out -out alipay.rsapub.pem 2>/dev/null

openssl genrsa -traditional -out weak1024.pem 1024 2>/dev/null
openssl pkey -in weak1024.pem -outform DER -out work/weak.der
b64line work/weak.der > weak1024.b64
openssl pkcs8 -topk8 -in app.pkcs8.pem -passout pass:fixture -out encrypted.pem
openssl pkcs8 -topk8 -in app.pkcs8.pem -passout pass:fixture -outform DER -out work/encrypted.der
b64line work/encrypted.der > encrypted.b64
openssl rsa -in app.pkcs1.pem -traditional -aes256 -passout pass:fixture -out encrypted-legacy.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key.pem -out ca.pem -days 7300 \
  -subj "/CN=Gatepost Test CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null

# Platform certificate: 20-byte serial with the top bit set.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform.key.pem 2>/dev/null
openssl pkey -in platform.key.pem -pubout -out platform.pub.pem
openssl req -new -key platform.key.pem -subj "/CN=Tenpay.com Root CA platform" -out work/platform.csr
openssl x509 -req -in work/platform.csr -CA ca.pem -CAkey ca.key.pem -days 7300 \
  -set_serial 0x9A0B1C2D3E4F5061728394A5B6C7D8E9F0011223 -out platform.pem 2>/dev/null

# v2 client certificate: serial with a leading zero nibble (0x0…).
openssl genrsa -traditional -out client.key.pem 2048 2>/dev/null
openssl req -new -key client.key.pem -subj "/CN=1900000109/O=Gatepost Test Merchant" -out work/client.csr
openssl x509 -req -in work/client.csr -CA ca.pem -CAkey ca.key.pem -days 7300 \
  -set_serial 0x0542DE1F00AB77 -out client.pem 2>/dev/null
openssl pkcs12 -export -in client.pem -inkey client.key.pem -passout pass:p12-secret -out client.p12
openssl pkcs12 -export -in client.pem -inkey client.key.pem -passout pass:1900000109 -out client-mchid.p12
b64line client.p12 > client.p12.b64
b64line client-mchid.p12 > client-mchid.p12.b64

openssl x509 -req -in work/client.csr -CA ca.pem -CAkey ca.key.pem -days 20 \
  -set_serial 0x5005 -out soon.pem 2>/dev/null

# An expired certificate needs explicit dates: `openssl ca` takes them.
mkdir -p work/ca/new
: > work/ca/index.txt
echo 7E01 > work/ca/serial
cat > work/ca.cnf <<CNF
[ ca ]
default_ca = test
[ test ]
dir = work/ca
database = work/ca/index.txt
new_certs_dir = work/ca/new
serial = work/ca/serial
default_md = sha256
policy = anything
email_in_dn = no
[ anything ]
commonName = supplied
organizationName = optional
CNF
openssl ca -batch -config work/ca.cnf -cert ca.pem -keyfile ca.key.pem -in work/client.csr \
  -startdate 20200101000000Z -enddate 20210101000000Z -notext -out expired.pem 2>/dev/null

openssl req -new -key alipay.key.pem -subj "/CN=someone else" -out work/other.csr
openssl x509 -req -in work/other.csr -CA ca.pem -CAkey ca.key.pem -days 7300 \
  -set_serial 0x77 -out other.pem 2>/dev/null

serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
not_after() { date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s; }
spki_sha256() { openssl pkey -pubin -in "$1" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1; }

openssl x509 -in client.pem -pubkey -noout > work/client.pub.pem

cat > expected.ini <<INI
# Generated by generate.sh from openssl output; do not edit.
[serial]
platform=$(serial platform.pem)
client=$(serial client.pem)
soon=$(serial soon.pem)
expired=$(serial expired.pem)

[not_after]
platform=$(not_after platform.pem)
client=$(not_after client.pem)
soon=$(not_after soon.pem)
expired=$(not_after expired.pem)

[fingerprint]
app=$(spki_sha256 app.pub.pem)
alipay=$(spki_sha256 alipay.pub.pem)
platform=$(spki_sha256 platform.pub.pem)
client=$(spki_sha256 work/client.pub.pem)

[bits]
app=$(openssl pkey -in app.pkcs8.pem -noout -text | sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p')
weak=$(openssl pkey -in weak1024.pem -noout -text | sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p')
INI
rm -f ca.srl
