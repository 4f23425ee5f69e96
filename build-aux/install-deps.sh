#!/usr/bin/env bash
# Install every Debian 12 package Gatepost needs to build, run and test.
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Idempotent: when every package is already installed it only runs dpkg-query
# and returns at once. Runs apt-get as root, or through sudo.
set -euo pipefail

PACKAGES=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libgnutls28-dev
  libjson-glib-dev libxml2-dev libsecret-1-dev libsqlite3-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libpoppler-glib-dev
  # runtime pieces that are plugins, not link dependencies
  glib-networking libgtk-4-media-gstreamer gstreamer1.0-plugins-good gstreamer1.0-libav
  fonts-wqy-microhei
  # headless tests: X server, private session bus, real Secret Service
  xvfb xauth dbus gnome-keyring libsecret-tools xdotool
  # the keyring's own unlock prompt (GUI tests answer it); screenshots (import)
  gcr imagemagick
  # test fixtures and validation
  openssl appstream desktop-file-utils libgtk-4-bin flatpak-builder
  # screenshots of the running app (build-aux/screenshots.sh)
  imagemagick
  # sanitizers and fuzzing
  clang libclang-rt-14-dev
  # bench/run: the reference client the benchmarks compare against
  curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
