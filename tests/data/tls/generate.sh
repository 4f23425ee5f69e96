#!/usr/bin/env bash
# generate.sh: the test CA and certificates for the uploader's loopback TLS tests
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from anywhere; writes next to this script. The outputs are committed,
# so tests never depend on openssl at run time. Keys are throwaway test keys.
#
#   ca.pem / ca.key                 the test CA (trusted through the uploader's CA PEM)
#   server.pem / server.key         localhost + 127.0.0.1, issued by ca
#   wronghost.pem / wronghost.key   only DNS:wrong-host.invalid, issued by ca
#   expired.pem / expired.key       localhost + 127.0.0.1, issued by ca, expired in 2021
#   other-ca.pem / other-ca.key     an unrelated CA nobody trusts
#   untrusted.pem / untrusted.key   localhost + 127.0.0.1, issued by other-ca
#   client.pem / client.key         clientAuth, issued by ca (the v2 merchant certificate)
#   rogue-client.pem / .key         clientAuth, self-signed (the server must refuse it)
set -euo pipefail
cd "$(dirname "$0")"

days=7300
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

ca() {  # name subject
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days $days -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}

leaf() {  # name issuer subject extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$3" -out "$work/$1.csr"
  printf '%s\n' "$4" > "$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
    -CAserial "$work/$2.srl" -sha256 -days $days -extfile "$work/$1.ext" -out "$1.pem" 2>/dev/null
}

server_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1'

ca ca "/O=Gatepost Tests/CN=Gatepost Test CA"
ca other-ca "/O=Somebody Else/CN=Unrelated Test CA"

leaf server ca "/O=Gatepost Tests/CN=localhost" "$server_ext"
leaf untrusted other-ca "/O=Somebody Else/CN=localhost" "$server_ext"
leaf wronghost ca "/O=Gatepost Tests/CN=wrong-host.invalid" 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:wrong-host.invalid'
leaf client ca "/O=Gatepost Tests/CN=1900000109" 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'

# A certificate that expired long ago: `openssl x509 -req` cannot backdate,
# so `openssl ca` with explicit dates and a throwaway database.
key expired.key
openssl req -new -key expired.key -subj "/O=Gatepost Tests/CN=localhost" -out "$work/expired.csr"
printf '%s\n' "$server_ext" > "$work/expired.ext"
touch "$work/index.txt"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
organizationName = optional
commonName = supplied
CNF
echo 1000 > "$work/serial"
openssl ca -batch -config "$work/ca.cnf" -cert ca.pem -keyfile ca.key -notext \
  -startdate 20200101000000Z -enddate 20210101000000Z -extfile "$work/expired.ext" \
  -in "$work/expired.csr" -out expired.pem 2>/dev/null

key rogue-client.key
openssl req -x509 -new -key rogue-client.key -sha256 -days $days -subj "/CN=rogue client" \
  -addext "extendedKeyUsage=clientAuth" -out rogue-client.pem

for c in server untrusted wronghost client expired; do
  openssl x509 -in $c.pem -noout -subject -enddate
done
