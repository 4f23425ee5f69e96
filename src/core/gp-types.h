/* gp-types.h: shared enums and forward declarations of the Gatepost core
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The four upload APIs. The string forms ("alipay", …) are a contract:
 * they appear in profile files and JSON output. */
typedef enum
{
  GP_GATEWAY_INVALID = -1,
  GP_GATEWAY_ALIPAY = 0,
  GP_GATEWAY_WECHATPAY_V2,
  GP_GATEWAY_WECHATPAY_V3,
  GP_GATEWAY_WECHATPAY_GLOBAL,
  GP_N_GATEWAYS
} GpGatewayKind;

/* Where an upload stopped; see INTERFACES.md "stage". */
typedef enum
{
  GP_STAGE_NONE = 0,
  GP_STAGE_CHECK,
  GP_STAGE_NETWORK,
  GP_STAGE_GATEWAY,
  GP_STAGE_VERIFY,
} GpStage;

/* A file format as sniffed from magic bytes, never from the name. */
typedef enum
{
  GP_FORMAT_UNKNOWN = 0,
  GP_FORMAT_JPEG,
  GP_FORMAT_PNG,
  GP_FORMAT_BMP,
  GP_FORMAT_GIF,
  GP_FORMAT_MP4,
  GP_FORMAT_PDF,
  GP_N_FORMATS
} GpFormat;

typedef struct _GpCheckReport GpCheckReport;
typedef struct _GpProfile GpProfile;
typedef struct _GpHttpRequest GpHttpRequest;

G_END_DECLS
