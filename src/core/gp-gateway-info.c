/* gp-gateway-info.c: the one table of what each gateway accepts
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-gateway-info.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* PROTOCOLS.md section 5.2. The vendors write "2M"/"5M"; Alipay documents
 * 5 MB as 5.24288e+06 bytes, so limits are MiB, and inclusive. */
static const GpFormatRule alipay_rules[] = {
  { GP_FORMAT_JPEG, 5 * GP_MIB },
  { GP_FORMAT_PNG, 5 * GP_MIB },
  { GP_FORMAT_BMP, 5 * GP_MIB },
  { GP_FORMAT_GIF, 5 * GP_MIB },
  { GP_FORMAT_MP4, 50 * GP_MIB },
  { GP_FORMAT_UNKNOWN, 0 },
};

static const GpFormatRule wechatpay_image_rules[] = {
  { GP_FORMAT_JPEG, 2 * GP_MIB },
  { GP_FORMAT_PNG, 2 * GP_MIB },
  { GP_FORMAT_BMP, 2 * GP_MIB },
  { GP_FORMAT_UNKNOWN, 0 },
};

static const GpFormatRule wechatpay_global_rules[] = {
  { GP_FORMAT_PDF, 5 * GP_MIB },
  { GP_FORMAT_JPEG, 5 * GP_MIB },
  { GP_FORMAT_PNG, 5 * GP_MIB },
  { GP_FORMAT_BMP, 5 * GP_MIB },
  { GP_FORMAT_UNKNOWN, 0 },
};

static const GpGatewayInfo gateways[GP_N_GATEWAYS] = {
  [GP_GATEWAY_ALIPAY] = {
    GP_GATEWAY_ALIPAY, "alipay", N_("Alipay"),
    "https://openapi.alipay.com", "/gateway.do", alipay_rules,
  },
  [GP_GATEWAY_WECHATPAY_V2] = {
    GP_GATEWAY_WECHATPAY_V2, "wechatpay-v2", N_("WeChat Pay v2"),
    "https://api.mch.weixin.qq.com", "/secapi/mch/uploadmedia", wechatpay_image_rules,
  },
  [GP_GATEWAY_WECHATPAY_V3] = {
    GP_GATEWAY_WECHATPAY_V3, "wechatpay-v3", N_("WeChat Pay v3"),
    "https://api.mch.weixin.qq.com", "/v3/merchant-service/images/upload", wechatpay_image_rules,
  },
  [GP_GATEWAY_WECHATPAY_GLOBAL] = {
    GP_GATEWAY_WECHATPAY_GLOBAL, "wechatpay-global", N_("WeChat Pay Global"),
    "https://apihk.mch.weixin.qq.com", "/v3/global/merchant-storage/file/upload",
    wechatpay_global_rules,
  },
};

typedef struct
{
  const char *id;
  const char *display_name;
  const char *extension;
  const char *mime_type;
  const char *aliases[3];  /* other extensions that name the same format */
} FormatInfo;

static const FormatInfo formats[GP_N_FORMATS] = {
  [GP_FORMAT_UNKNOWN] = { NULL, "unknown", NULL, "application/octet-stream", { NULL } },
  [GP_FORMAT_JPEG] = { "jpeg", "JPEG", "jpg", "image/jpeg", { "jpeg", "jpe", NULL } },
  [GP_FORMAT_PNG] = { "png", "PNG", "png", "image/png", { NULL } },
  [GP_FORMAT_BMP] = { "bmp", "BMP", "bmp", "image/bmp", { "dib", NULL } },
  [GP_FORMAT_GIF] = { "gif", "GIF", "gif", "image/gif", { NULL } },
  [GP_FORMAT_MP4] = { "mp4", "MP4", "mp4", "video/mp4", { "m4v", NULL } },
  [GP_FORMAT_PDF] = { "pdf", "PDF", "pdf", "application/pdf", { NULL } },
};

/**
 * gp_gateway_info:
 * @kind: a valid gateway
 *
 * Returns: (transfer none): the gateway's entry in the rules table
 */
const GpGatewayInfo *
gp_gateway_info (GpGatewayKind kind)
{
  g_return_val_if_fail (kind >= 0 && kind < GP_N_GATEWAYS, NULL);

  return &gateways[kind];
}

/**
 * gp_gateway_kind_from_string:
 * @id: (nullable): a contract string such as "alipay"
 *
 * Returns: the gateway, or %GP_GATEWAY_INVALID
 */
GpGatewayKind
gp_gateway_kind_from_string (const char *id)
{
  if (id == NULL)
    return GP_GATEWAY_INVALID;

  for (guint i = 0; i < GP_N_GATEWAYS; i++)
    if (strcmp (gateways[i].id, id) == 0)
      return gateways[i].kind;

  return GP_GATEWAY_INVALID;
}

const char *
gp_gateway_kind_to_string (GpGatewayKind kind)
{
  g_return_val_if_fail (kind >= 0 && kind < GP_N_GATEWAYS, NULL);

  return gateways[kind].id;
}

/**
 * gp_gateway_max_size:
 *
 * Returns: the inclusive limit in bytes for @format, or 0 when the gateway
 *   does not accept @format at all
 */
guint64
gp_gateway_max_size (GpGatewayKind kind,
                     GpFormat      format)
{
  g_return_val_if_fail (kind >= 0 && kind < GP_N_GATEWAYS, 0);

  for (const GpFormatRule *r = gateways[kind].rules; r->format != GP_FORMAT_UNKNOWN; r++)
    if (r->format == format)
      return r->max_size;

  return 0;
}

/* The limit used when the format is unknown or refused, so that every rule
 * a file breaks can still be reported. */
guint64
gp_gateway_largest_size (GpGatewayKind kind)
{
  guint64 largest = 0;

  g_return_val_if_fail (kind >= 0 && kind < GP_N_GATEWAYS, 0);

  for (const GpFormatRule *r = gateways[kind].rules; r->format != GP_FORMAT_UNKNOWN; r++)
    largest = MAX (largest, r->max_size);

  return largest;
}

gboolean
gp_gateway_accepts (GpGatewayKind kind,
                    GpFormat      format)
{
  return gp_gateway_max_size (kind, format) > 0;
}

/**
 * gp_gateway_describe_formats:
 *
 * Returns: (transfer full): e.g. "JPEG, PNG, BMP (2 MiB)"
 */
char *
gp_gateway_describe_formats (GpGatewayKind kind)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (kind >= 0 && kind < GP_N_GATEWAYS, NULL);

  for (const GpFormatRule *r = gateways[kind].rules; r->format != GP_FORMAT_UNKNOWN; r++)
    {
      g_autofree char *mib = gp_format_size_mib (r->max_size);

      if (s->len > 0)
        /* TRANSLATORS: between the formats of "JPEG (2 MiB), PNG (2 MiB)" */
        g_string_append (s, _(", "));
      /* TRANSLATORS: a format and its size limit: "JPEG (2 MiB)" */
      g_string_append_printf (s, _("%s (%s)"), formats[r->format].display_name, mib);
    }

  return g_string_free (s, FALSE);
}

/**
 * gp_format_to_string:
 *
 * Returns: (nullable): the contract name ("jpeg", …), %NULL for unknown
 */
const char *
gp_format_to_string (GpFormat format)
{
  g_return_val_if_fail (format >= 0 && format < GP_N_FORMATS, NULL);

  return formats[format].id;
}

const char *
gp_format_display_name (GpFormat format)
{
  g_return_val_if_fail (format >= 0 && format < GP_N_FORMATS, NULL);

  return formats[format].display_name;
}

/* The lower-case extension gateways expect ("jpg" for JPEG, as every SDK
 * sample and WeChat's filename rule use). */
const char *
gp_format_extension (GpFormat format)
{
  g_return_val_if_fail (format >= 0 && format < GP_N_FORMATS, NULL);

  return formats[format].extension;
}

const char *
gp_format_mime_type (GpFormat format)
{
  g_return_val_if_fail (format >= 0 && format < GP_N_FORMATS, NULL);

  return formats[format].mime_type;
}

/**
 * gp_format_extension_matches:
 * @filename: a file name or path
 *
 * Returns: %TRUE when @filename's extension names @format (case-insensitive)
 */
gboolean
gp_format_extension_matches (GpFormat    format,
                             const char *filename)
{
  const char *dot;
  const char *slash;
  const FormatInfo *info;

  g_return_val_if_fail (format >= 0 && format < GP_N_FORMATS, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  info = &formats[format];
  dot = strrchr (filename, '.');
  slash = strrchr (filename, '/');
  if (dot == NULL || (slash != NULL && dot < slash) || info->extension == NULL)
    return FALSE;
  dot++;

  if (g_ascii_strcasecmp (dot, info->extension) == 0)
    return TRUE;
  for (guint i = 0; info->aliases[i] != NULL; i++)
    if (g_ascii_strcasecmp (dot, info->aliases[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Sizes are shown in MiB because the limits are; whole numbers without
 * decimals ("2 MiB"), others with two ("2.00 MiB" would hide 1 byte). */
char *
gp_format_size_mib (guint64 size)
{
  if (size % GP_MIB == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", size / GP_MIB);
  if (size < GP_MIB)
    return g_strdup_printf ("%.1f KiB", size / 1024.0);

  return g_strdup_printf ("%.2f MiB", (double) size / GP_MIB);
}
