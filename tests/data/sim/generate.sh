#!/bin/sh
# Regenerates the known-answer vectors for the simulator's own verification
# code (tests/sim/test-sim-crypto.c), independently of it, with the openssl CLI.
# The keys are test-only and committed; rerunning replaces every file here.
set -eu
cd "$(dirname "$0")"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out kat-key.pem 2>/dev/null
openssl pkey -in kat-key.pem -pubout -out kat-pub.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other-key.pem 2>/dev/null
openssl pkey -in other-key.pem -pubout -out other-pub.pem

# PROTOCOLS.md 1.2: the Alipay worked example, 189 bytes in UTF-8.
printf '%s' 'app_id=2014072300007148&charset=UTF-8&format=JSON&image_name=门店照片&image_type=jpg&method=alipay.offline.material.image.upload&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0' > alipay-content.txt
openssl dgst -sha256 -sign kat-key.pem alipay-content.txt | base64 -w0 > alipay-content.sig

# PROTOCOLS.md 3.2: the v3 worked example, 185 bytes.
printf 'POST\n/v3/merchant-service/images/upload\n1566987169\n12ced2db6f0193dda91ba86224ea1cd8\n{"filename":"filea.jpg","sha256":"46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4"}\n' > v3-message.txt
openssl dgst -sha256 -sign kat-key.pem v3-message.txt | base64 -w0 > v3-message.sig

# PROTOCOLS.md 2.2/2.3: v2 vectors, as NAME=UPPER-HEX lines.
KEY=192006250b4c09247ec02edce69f6a2d
md5 () { printf '%s' "$1" | openssl dgst -md5 -r | cut -d' ' -f1 | tr a-f A-F; }
hmac () { printf '%s' "$1" | openssl dgst -sha256 -hmac "$KEY" -r | cut -d' ' -f1 | tr a-f A-F; }
{
  echo "doc_md5=$(md5 "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=$KEY")"
  echo "doc_hmac=$(hmac "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=$KEY")"
  echo "upload_md5=$(md5 "mch_id=1230000109&media_hash=3b9050f1dc255c49f6fc73da8cdbd61f&key=$KEY")"
  echo "upload_hmac=$(hmac "mch_id=1230000109&media_hash=3b9050f1dc255c49f6fc73da8cdbd61f&sign_type=HMAC-SHA256&key=$KEY")"
  echo "response_md5=$(md5 "media_id=9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8&result_code=SUCCESS&return_code=SUCCESS&return_msg=OK&key=$KEY")"
} > v2-vectors.txt

# A client certificate that no simulator CA issued (v2 must refuse it).
openssl req -x509 -new -key other-key.pem -subj /CN=1230000109 -days 36500 \
  -addext extendedKeyUsage=clientAuth -out self-signed-cert.pem 2>/dev/null
