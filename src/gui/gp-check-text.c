/* gp-check-text.c: what the window says about a checked file, translated
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core's messages are plain English for logs and JSON (STYLE.md
 * section 7). The window shows its own translated text, keyed on the
 * problem code, and says what to do about it.
 */

#include "config.h"

#include "gp-check-text.h"

#include <string.h>

#include <glib/gi18n.h>

const char *
gp_check_text_gateway_name (GpGatewayKind gateway)
{
  switch (gateway)
    {
    case GP_GATEWAY_ALIPAY:
      return _("Alipay");
    case GP_GATEWAY_WECHATPAY_V2:
      return _("WeChat Pay v2");
    case GP_GATEWAY_WECHATPAY_V3:
      return _("WeChat Pay v3");
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      return _("WeChat Pay Global");
    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Format names are product names and stay as they are, except "unknown". */
const char *
gp_check_text_format_name (GpFormat format)
{
  if (format == GP_FORMAT_UNKNOWN)
    return _("Unknown format");

  return gp_format_display_name (format);
}

static char *
format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

/* Near the limit, "2.0 MiB of 2 MiB" would hide the byte that breaks it. */
static char *
format_size_against (guint64 size,
                     guint64 limit)
{
  if (size > limit && size - limit < GP_MIB / 10)
    return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);

  return format_size (size);
}

/**
 * gp_check_text_size:
 *
 * Returns: (transfer full): e.g. "1.2 MiB of 2 MiB"
 */
char *
gp_check_text_size (GpCheckReport *report)
{
  g_autofree char *size = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  size = format_size_against (gp_check_report_get_size (report),
                              gp_check_report_get_max_size (report));
  /* A refused format has no limit of its own to compare with. */
  if (gp_check_report_get_max_size (report) == 0 ||
      !gp_gateway_accepts (gp_check_report_get_gateway (report),
                           gp_check_report_get_format (report)))
    return g_steal_pointer (&size);

  limit = gp_format_size_mib (gp_check_report_get_max_size (report));
  /* TRANSLATORS: a file's size against the gateway's limit, "1.2 MiB of 2 MiB" */
  return g_strdup_printf (_("%s of %s"), size, limit);
}

/**
 * gp_check_text_accepted:
 *
 * Returns: (transfer full): e.g. "JPEG, PNG or BMP up to 2 MiB"
 */
char *
gp_check_text_accepted (GpGatewayKind gateway)
{
  const GpGatewayInfo *info = gp_gateway_info (gateway);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  for (const GpFormatRule *r = info->rules; r->format != GP_FORMAT_UNKNOWN; r++)
    {
      g_autofree char *mib = gp_format_size_mib (r->max_size);

      /* TRANSLATORS: one accepted format and its limit, "JPEG (2 MiB)" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s (%s)"),
                                               gp_format_display_name (r->format), mib));
    }
  g_ptr_array_add (parts, NULL);

  /* TRANSLATORS: the separator between accepted formats */
  joined = g_strjoinv (_(", "), (char **) parts->pdata);

  return g_steal_pointer (&joined);
}

static char *
text_exceed_max_size (GpCheckReport *report)
{
  GpFormat format = gp_check_report_get_format (report);
  const char *gateway = gp_check_text_gateway_name (gp_check_report_get_gateway (report));
  g_autofree char *size = format_size_against (gp_check_report_get_size (report),
                                               gp_check_report_get_max_size (report));
  g_autofree char *limit = gp_format_size_mib (gp_check_report_get_max_size (report));

  switch (format)
    {
    case GP_FORMAT_JPEG:
    case GP_FORMAT_PNG:
    case GP_FORMAT_BMP:
    case GP_FORMAT_GIF:
      /* TRANSLATORS: 1: file size, 2: gateway, 3: limit, 4: format */
      return g_strdup_printf (_("The file is %1$s, over %2$s’s limit of %3$s for %4$s. "
                                "Compress or resize the image."),
                              size, gateway, limit, gp_format_display_name (format));
    case GP_FORMAT_MP4:
      return g_strdup_printf (_("The file is %1$s, over %2$s’s limit of %3$s for %4$s. "
                                "Shorten the video or encode it at a lower bit rate."),
                              size, gateway, limit, gp_format_display_name (format));
    case GP_FORMAT_PDF:
      return g_strdup_printf (_("The file is %1$s, over %2$s’s limit of %3$s for %4$s. "
                                "Lower the resolution of its images or split the document."),
                              size, gateway, limit, gp_format_display_name (format));
    case GP_FORMAT_UNKNOWN:
    case GP_N_FORMATS:
    default:
      /* TRANSLATORS: 1: file size, 2: gateway, 3: limit */
      return g_strdup_printf (_("The file is %1$s, over %2$s’s largest limit of %3$s."),
                              size, gateway, limit);
    }
}

/**
 * gp_check_text_problem:
 *
 * Returns: (transfer full): what is wrong and what to do, translated
 */
char *
gp_check_text_problem (GpCheckReport        *report,
                       const GpCheckProblem *problem)
{
  GpGatewayKind gateway;
  g_autofree char *accepted = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  gateway = gp_check_report_get_gateway (report);

  if (g_str_equal (problem->code, GP_CHECK_EXCEED_MAX_SIZE))
    return text_exceed_max_size (report);

  if (g_str_equal (problem->code, GP_CHECK_FORMAT_NOT_ALLOWED))
    {
      accepted = gp_check_text_accepted (gateway);
      /* TRANSLATORS: 1: gateway, 2: format, 3: accepted formats and limits */
      return g_strdup_printf (_("%1$s does not take %2$s files. It takes %3$s: "
                                "convert the file to one of those."),
                              gp_check_text_gateway_name (gateway),
                              gp_format_display_name (gp_check_report_get_format (report)),
                              accepted);
    }

  if (g_str_equal (problem->code, GP_CHECK_UNKNOWN_FORMAT))
    {
      accepted = gp_check_text_accepted (gateway);
      /* TRANSLATORS: 1: gateway, 2: accepted formats and limits */
      return g_strdup_printf (_("The content is not a JPEG, PNG, BMP, GIF, MP4 or PDF file, "
                                "whatever its name says. %1$s takes %2$s."),
                              gp_check_text_gateway_name (gateway), accepted);
    }

  if (g_str_equal (problem->code, GP_CHECK_EMPTY_FILE))
    return g_strdup (_("The file is empty. Save or export it again, then add the new copy."));

  if (g_str_equal (problem->code, GP_CHECK_NOT_REGULAR_FILE))
    return g_strdup (_("This is not a regular file. Add the file itself, not a folder, "
                       "device or pipe."));

  if (g_str_equal (problem->code, GP_CHECK_UNREADABLE))
    return g_strdup (_("The file cannot be read. Check that it still exists and that you "
                       "may open it."));

  if (g_str_equal (problem->code, GP_CHECK_FILE_CHANGED))
    return g_strdup (_("The file changed while it was being checked. Remove it and add it "
                       "again once it is saved."));

  /* A code this window does not know yet: the core's own words. */
  return g_strdup (problem->message);
}

/**
 * gp_check_text_warnings:
 *
 * The core lists an extension mismatch first and a damaged header second;
 * both are re-stated here in translated words.
 *
 * Returns: (transfer full): the warnings, translated
 */
GStrv
gp_check_text_warnings (GpCheckReport *report)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char * const *warnings;
  GpFormat format;
  const char *path;
  const char *base;
  const char *dot;
  guint n, done = 0;

  g_return_val_if_fail (report != NULL, NULL);

  warnings = gp_check_report_get_warnings (report);
  n = warnings ? g_strv_length ((char **) warnings) : 0;
  format = gp_check_report_get_format (report);
  path = gp_check_report_get_path (report);
  base = strrchr (path, '/');
  dot = strrchr (base ? base : path, '.');

  if (n > 0 && format != GP_FORMAT_UNKNOWN && !gp_format_extension_matches (format, path))
    {
      g_autofree char *text = NULL;

      if (dot != NULL && dot[1] != '\0')
        /* TRANSLATORS: 1: the file's extension, 2: the format found in it */
        text = g_strdup_printf (_("The name ends in .%1$s but the content is %2$s; "
                                  "it will be sent as %2$s."),
                                dot + 1, gp_format_display_name (format));
      else
        text = g_strdup_printf (_("The name has no extension; the content is %1$s and "
                                  "will be sent as %1$s."),
                                gp_format_display_name (format));
      g_strv_builder_add (builder, text);
      done++;
    }

  if (n > done)
    {
      g_autofree char *text =
        g_strdup_printf (_("The %s header looks truncated or damaged; the gateway may "
                           "refuse the file. Open and save it again."),
                         gp_format_display_name (format));

      g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}
