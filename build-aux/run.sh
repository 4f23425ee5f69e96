#!/usr/bin/env bash
# run.sh: install what is missing, build, and launch Gatepost from the tree.
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Idempotent and fast when nothing changed: dpkg-query, then ninja's no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build --buildtype=debugoptimized
ninja -C _build

# The freshly compiled GSettings schema, and the tree's gatepost-sim
# ahead of any installed one. exec, so signals reach the app itself.
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export PATH="$PWD/_build/src/sim:$PATH"
exec ./_build/src/gui/gatepost "$@"
