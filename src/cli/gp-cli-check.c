/* gp-cli-check.c: gatepost-cli check
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "gp-cli-private.h"

/* JSON is UTF-8: a file name that is not (any bytes are allowed on
 * Linux), and messages that quote it, are written with U+FFFD in place of
 * the invalid bytes. */
static void
add_utf8_value (JsonBuilder *builder,
                const char  *value)
{
  if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    add_utf8_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_error (JsonBuilder *builder,
           GpStage      stage,
           const char  *code,
           const char  *message,
           const char  *detail)
{
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "stage", gp_stage_to_string (stage));
  add_nullable_string (builder, "code", code);
  add_nullable_string (builder, "message", message);
  if (detail != NULL)
    add_nullable_string (builder, "detail", detail);
  json_builder_end_object (builder);
}

/**
 * gp_cli_add_file_result:
 *
 * Adds the members of INTERFACES.md's per-file object, in the contract's
 * order, for a file that stopped at its check, was uploaded, or was
 * skipped as a duplicate.
 */
void
gp_cli_add_file_result (JsonBuilder             *builder,
                        const GpCliFileOutcome  *outcome)
{
  GpCheckReport *report = outcome->report;
  GpUploadResult *result = outcome->result;
  const char * const *warnings = gp_check_report_get_warnings (report);
  gboolean ok;
  gint64 history_id = -1;
  guint width, height;

  if (result != NULL)
    {
      ok = gp_upload_result_is_ok (result);
      history_id = gp_upload_result_get_history_id (result);
    }
  else
    ok = gp_check_report_is_ok (report);

  add_nullable_string (builder, "file", gp_check_report_get_path (report));
  add_nullable_string (builder, "profile", outcome->profile_name);
  add_nullable_string (builder, "gateway",
                       gp_gateway_kind_to_string (gp_check_report_get_gateway (report)));
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  add_nullable_string (builder, "media_id", result ? gp_upload_result_get_media_id (result) : NULL);
  add_nullable_string (builder, "media_url",
                       result ? gp_upload_result_get_media_url (result) : NULL);
  add_nullable_string (builder, "format",
                       gp_format_to_string (gp_check_report_get_format (report)));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) gp_check_report_get_size (report));
  add_nullable_string (builder, "sha256", gp_check_report_get_sha256 (report));
  json_builder_set_member_name (builder, "history_id");
  if (history_id > 0)
    json_builder_add_int_value (builder, history_id);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; warnings[i] != NULL; i++)
    add_utf8_value (builder, warnings[i]);
  for (guint i = 0; outcome->extra_warnings && outcome->extra_warnings[i] != NULL; i++)
    add_utf8_value (builder, outcome->extra_warnings[i]);
  json_builder_end_array (builder);

  if (outcome->duplicate_of > 0)
    {
      json_builder_set_member_name (builder, "duplicate_of");
      json_builder_add_int_value (builder, outcome->duplicate_of);
    }
  if (result != NULL)
    {
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, gp_upload_result_get_attempts (result));
    }

  if (gp_check_report_get_dimensions (report, &width, &height))
    {
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, height);
    }

  if (result != NULL && !ok)
    {
      add_error (builder, gp_upload_result_get_stage (result), gp_upload_result_get_code (result),
                 gp_upload_result_get_message (result), gp_upload_result_get_detail (result));
    }
  else if (result == NULL && !ok)
    {
      const GpCheckProblem *first = gp_check_report_get_problem (report, 0);
      g_autofree char *message = gp_check_report_dup_message (report);

      add_error (builder, GP_STAGE_CHECK, first->code, message, NULL);

      /* Every rule that failed, not just the first (an extension of the
       * contract's single "error"). */
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < gp_check_report_get_n_problems (report); i++)
        {
          const GpCheckProblem *p = gp_check_report_get_problem (report, i);

          json_builder_begin_object (builder);
          add_nullable_string (builder, "code", p->code);
          add_nullable_string (builder, "message", p->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
}

/**
 * gp_cli_print_file_result:
 *
 * Prints one JSON line for @outcome.
 */
void
gp_cli_print_file_result (const GpCliFileOutcome *outcome)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  gp_cli_add_file_result (builder, outcome);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  gp_cli_print_json_line (root);
}

static void
print_report_json (GpCheckReport *report,
                   const char    *profile_name)
{
  GpCliFileOutcome outcome = { report, profile_name, NULL, -1, NULL };

  gp_cli_print_file_result (&outcome);
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

      guint64 size = gp_check_report_get_size (report);
      g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size);

      if (gp_check_report_get_dimensions (report, &width, &height))
        /* TRANSLATORS: appended to the size: ", <width>×<height>" in pixels */
        dims = g_strdup_printf (_(", %u×%u"), width, height);
      /* TRANSLATORS: "<path>: OK, JPEG, 1234 bytes (limit 2 MiB), 640×480";
       * the last %s is empty or ", <width>×<height>" */
      printf (ngettext ("%s: OK, %s, %s byte (limit %s)%s\n",
                        "%s: OK, %s, %s bytes (limit %s)%s\n",
                        (unsigned long) MIN (size, G_MAXULONG)),
              gp_check_report_get_path (report), gp_format_display_name (format),
              size_text, limit, dims ? dims : "");
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
  g_option_context_set_description (context,
                                    _("Each file is recognised by its content (magic bytes), "
                                      "not its name, and checked against the gateway's accepted "
                                      "formats and size limit.\n\n"
                                      "Exit status:\n"
                                      "  0  every file passes the gateway's rules\n"
                                      "  1  at least one file was refused\n"
                                      "  2  usage error, or the profile could not be loaded"));
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
      g_autoptr(GpCheckReport) report = NULL;

      report = gp_file_check_sync (files[i], gateway, GP_FILE_CHECK_NONE, NULL, NULL);

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
