/* gp-cli-check.c: gatepost-cli check
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "gp-cli-private.h"

/**
 * gp_cli_add_check_result:
 * @profile_name: (nullable): the profile, %NULL for `--gateway`
 *
 * Adds the members of INTERFACES.md's per-file object for a file that went
 * no further than the local check, in the contract's order.
 */
void
gp_cli_add_check_result (JsonBuilder   *builder,
                         GpCheckReport *report,
                         const char    *profile_name)
{
  const char * const *warnings = gp_check_report_get_warnings (report);
  const char *format = gp_format_to_string (gp_check_report_get_format (report));
  const char *sha256 = gp_check_report_get_sha256 (report);
  gboolean ok = gp_check_report_is_ok (report);
  guint width, height;

  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, gp_check_report_get_path (report));
  json_builder_set_member_name (builder, "profile");
  if (profile_name != NULL)
    json_builder_add_string_value (builder, profile_name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "gateway");
  json_builder_add_string_value (builder,
                                 gp_gateway_kind_to_string (gp_check_report_get_gateway (report)));
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  json_builder_set_member_name (builder, "media_id");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "media_url");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "format");
  if (format != NULL)
    json_builder_add_string_value (builder, format);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) gp_check_report_get_size (report));
  json_builder_set_member_name (builder, "sha256");
  if (sha256 != NULL)
    json_builder_add_string_value (builder, sha256);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "history_id");
  json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, warnings[i]);
  json_builder_end_array (builder);

  if (gp_check_report_get_dimensions (report, &width, &height))
    {
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, height);
    }

  if (!ok)
    {
      const GpCheckProblem *first = gp_check_report_get_problem (report, 0);
      g_autofree char *message = gp_check_report_dup_message (report);

      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, gp_stage_to_string (GP_STAGE_CHECK));
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, first->code);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);

      /* Every rule that failed, not just the first (an extension of the
       * contract's single "error"). */
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < gp_check_report_get_n_problems (report); i++)
        {
          const GpCheckProblem *p = gp_check_report_get_problem (report, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, p->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, p->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
}

static void
print_report_json (GpCheckReport *report,
                   const char    *profile_name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  gp_cli_add_check_result (builder, report, profile_name);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  gp_cli_print_json_line (root);
}

static void
print_report_text (GpCheckReport *report)
{
  const char * const *warnings = gp_check_report_get_warnings (report);
  GpFormat format = gp_check_report_get_format (report);
  g_autofree char *limit = gp_format_size_mib (gp_check_report_get_max_size (report));
  guint width, height;

  if (gp_check_report_is_ok (report))
    {
      g_autofree char *dims = NULL;

      if (gp_check_report_get_dimensions (report, &width, &height))
        dims = g_strdup_printf (", %u×%u", width, height);
      /* TRANSLATORS: "<path>: OK, JPEG, 1234 bytes (limit 2 MiB), 640×480" */
      printf (_("%s: OK, %s, %" G_GUINT64_FORMAT " bytes (limit %s)%s\n"),
              gp_check_report_get_path (report), gp_format_display_name (format),
              gp_check_report_get_size (report), limit, dims ? dims : "");
      printf ("  sha256 %s\n", gp_check_report_get_sha256 (report));
    }
  else
    {
      printf (_("%s: refused\n"), gp_check_report_get_path (report));
      for (guint i = 0; i < gp_check_report_get_n_problems (report); i++)
        {
          const GpCheckProblem *p = gp_check_report_get_problem (report, i);

          printf ("  %s: %s\n", p->code, p->message);
        }
    }

  for (guint i = 0; warnings[i] != NULL; i++)
    printf (_("  warning: %s\n"), warnings[i]);
}

int
gp_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gateway_id = NULL;
  g_autofree char *profile_name = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  GpGatewayKind gateway;
  int status = GP_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "gateway", 'g', 0, G_OPTION_ARG_STRING, &gateway_id,
      N_("Apply this gateway's rules: alipay, wechatpay-v2, wechatpay-v3, wechatpay-global"),
      N_("GATEWAY") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Apply the rules of this profile's gateway"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per file (JSON Lines)"),
      NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Check files by their content against a gateway's format "
                                  "and size rules. Nothing is sent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("gatepost-cli check");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);

  if (files == NULL || files[0] == NULL)
    return gp_cli_usage_error (context, "%s", _("no files given"));
  if (profile_name != NULL && gateway_id != NULL)
    return gp_cli_usage_error (context, "%s", _("give --gateway or --profile, not both"));
  if (profile_name != NULL)
    {
      g_autoptr(GpProfile) profile = gp_cli_load_profile (profile_name, &error);

      if (profile == NULL)
        {
          g_printerr ("gatepost-cli: %s\n", error->message);
          return GP_CLI_EXIT_USAGE;
        }
      gateway_id = g_strdup (gp_gateway_kind_to_string (gp_profile_get_gateway (profile)));
    }
  if (gateway_id == NULL)
    return gp_cli_usage_error (context, "%s",
                               _("say which rules apply with --gateway or --profile"));

  gateway = gp_gateway_kind_from_string (gateway_id);
  if (gateway == GP_GATEWAY_INVALID)
    return gp_cli_usage_error (context,
                               _("unknown gateway “%s”; expected alipay, wechatpay-v2, "
                                 "wechatpay-v3 or wechatpay-global"),
                               gateway_id);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GpCheckReport) report = gp_file_check_sync (files[i], gateway, NULL, NULL);

      g_assert (report != NULL);
      if (!gp_check_report_is_ok (report))
        status = GP_CLI_EXIT_REFUSED;
      if (json)
        print_report_json (report, profile_name);
      else
        print_report_text (report);
    }

  return status;
}
