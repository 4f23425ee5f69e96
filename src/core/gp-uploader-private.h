/* gp-uploader-private.h: uploader helpers shared inside the core and its tests
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GPtrArray *gp_uploader_parse_ca_pem (const char  *pem,
                                     GError     **error);

G_END_DECLS
