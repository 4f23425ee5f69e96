/* gp-gateway-info.h: the one table of what each gateway accepts
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gp-types.h"

G_BEGIN_DECLS

#define GP_MIB G_GUINT64_CONSTANT (1048576)

typedef struct
{
  GpFormat format;
  guint64  max_size;   /* inclusive, in bytes */
} GpFormatRule;

typedef struct
{
  GpGatewayKind       kind;
  const char         *id;                /* contract string, e.g. "wechatpay-v3" */
  const char         *display_name;      /* product name, marked N_(): show it with _() */
  const char         *default_base_url;  /* scheme://host, no path */
  const char         *path;              /* documented path, always kept */
  const GpFormatRule *rules;             /* terminated by GP_FORMAT_UNKNOWN */
} GpGatewayInfo;

const GpGatewayInfo *gp_gateway_info               (GpGatewayKind  kind);
GpGatewayKind        gp_gateway_kind_from_string   (const char    *id);
const char          *gp_gateway_kind_to_string     (GpGatewayKind  kind);
guint64              gp_gateway_max_size           (GpGatewayKind  kind,
                                                    GpFormat       format);
guint64              gp_gateway_largest_size       (GpGatewayKind  kind);
gboolean             gp_gateway_accepts            (GpGatewayKind  kind,
                                                    GpFormat       format);
char                *gp_gateway_describe_formats   (GpGatewayKind  kind);

const char          *gp_format_to_string           (GpFormat       format);
const char          *gp_format_display_name        (GpFormat       format);
const char          *gp_format_extension           (GpFormat       format);
const char          *gp_format_mime_type           (GpFormat       format);
gboolean             gp_format_extension_matches   (GpFormat       format,
                                                    const char    *filename);
char                *gp_format_size_mib            (guint64        size);

G_END_DECLS
