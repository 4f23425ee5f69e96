#!/usr/bin/env bash
# fixtures.sh: the benchmark media, made from random bytes (nothing downloaded).
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/fixtures.sh DIR [JPEG_COUNT]
#
# DIR/video.mp4   exactly 50 MiB (52,428,800 bytes, Alipay's video limit): an
#                 ISO BMFF `ftyp` box (isom, mp41) followed by one `mdat` box of
#                 random bytes. That is what every check on the way looks at (the
#                 client's and the simulator's sniffers read `ftyp` at bytes 4-7);
#                 nothing decodes the frames.
# DIR/jpeg/shop-NNN.jpg  JPEG_COUNT (default 200) distinct files of 200 KiB +
#                 tests/data/signing/tiny.jpg: SOI, then four COM segments of
#                 random bytes, then the rest of the small real JPEG (JFIF, SOF,
#                 scan), so sniffing and the dimension parser see a real JPEG.
set -euo pipefail
dir=${1:?usage: fixtures.sh DIR [JPEG_COUNT]}
count=${2:-200}
here=$(cd "$(dirname "$0")/.." && pwd)
tiny=$here/tests/data/signing/tiny.jpg
mkdir -p "$dir/jpeg"

size=$((50 * 1024 * 1024))
if [ "$(stat -c %s "$dir/video.mp4" 2>/dev/null || echo 0)" != "$size" ]; then
  {
    # ftyp: size 24, major brand isom, minor 512, compatible isom mp41
    printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41'
    # mdat: size = everything after the ftyp box
    mdat=$((size - 24))
    printf "\\x$(printf %02x $((mdat >> 24 & 255)))\\x$(printf %02x $((mdat >> 16 & 255)))"
    printf "\\x$(printf %02x $((mdat >> 8 & 255)))\\x$(printf %02x $((mdat & 255)))mdat"
    head -c $((mdat - 8)) /dev/urandom
  } > "$dir/video.mp4.tmp"
  mv "$dir/video.mp4.tmp" "$dir/video.mp4"
fi

for ((i = 1; i <= count; i++)); do
  f=$(printf '%s/jpeg/shop-%03d.jpg' "$dir" "$i")
  [ -s "$f" ] && continue
  {
    printf '\xff\xd8'
    for _ in 1 2 3 4; do
      # COM segment: length 51202 = 0xc802 (the two length bytes + 51,200 bytes)
      printf '\xff\xfe\xc8\x02'
      head -c 51200 /dev/urandom
    done
    tail -c +3 "$tiny"
  } > "$f.tmp"
  mv "$f.tmp" "$f"
done
