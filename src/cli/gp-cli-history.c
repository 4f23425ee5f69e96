/* gp-cli-history.c: gatepost-cli history [export]
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "gp-cli-private.h"

#define DEFAULT_LIMIT 50

/* A history that cannot be opened or read, or an export that cannot be
 * written, is a problem of this machine's setup (exit status 2), reported
 * with SQLite's or GIO's own words. */
static int
history_error (GError *error)
{
  g_printerr ("gatepost-cli: %s\n", error->message);

  return GP_CLI_EXIT_USAGE;
}

static GpHistory *
open_default_history (GError **error)
{
  g_autofree char *path = gp_history_dup_default_path ();

  return gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, error);
}

static void
print_entry_text (GpHistoryEntry *e)
{
  g_autofree char *time = gp_history_entry_dup_time_string (e);
  g_autofree char *size = g_format_size (e->size);
  const char *status = gp_history_status_to_string (e->status);

  printf ("#%-6" G_GINT64_FORMAT " %s  %-11s %s (%s)\n", e->id, time, status, e->profile,
          e->gateway);
  printf ("        %s  (%s, %s)\n", e->filename, e->format != NULL ? e->format : "?", size);
  switch (e->status)
    {
    case GP_HISTORY_STATUS_SUCCEEDED:
      printf ("        %s %s\n", _("media ID:"), e->media_id != NULL ? e->media_id : "");
      if (e->media_url != NULL)
        printf ("        %s %s\n", _("media URL:"), e->media_url);
      break;
    case GP_HISTORY_STATUS_FAILED:
    case GP_HISTORY_STATUS_INTERRUPTED:
      printf ("        %s%s%s: %s\n", e->stage != NULL ? e->stage : "",
              e->stage != NULL ? " " : "", e->code != NULL ? e->code : "",
              e->message != NULL ? e->message : "");
      break;
    case GP_HISTORY_STATUS_PENDING:
      printf ("        %s\n", _("in progress"));
      break;
    default:
      break;
    }
}

static gboolean
parse_limit (const char *text,
             guint      *limit)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *limit = (guint) value;

  return TRUE;
}

static int
history_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GpHistoryQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *search = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *gateway_id = NULL;
  g_autofree char *status_word = NULL;
  gboolean json = FALSE;
  guint limit = DEFAULT_LIMIT;
  GpHistoryStatus status;
  gint64 total;
  const GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      N_("Only uploads whose file name, media ID, profile or code contains TEXT"),
      N_("TEXT") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_("Only uploads made with the profile of this name"), N_("NAME") },
    { "gateway", 'g', 0, G_OPTION_ARG_STRING, &gateway_id,
      N_("Only uploads to this gateway"), N_("GATEWAY") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_word,
      N_("Only uploads with this status: pending, succeeded, failed, interrupted"),
      N_("STATUS") },
    { "limit", 'n', 0, G_OPTION_ARG_STRING, &limit_text,
      N_("Show at most N uploads, newest first (default 50; 0 for all)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per upload (JSON Lines)"),
      NULL },
    { NULL }
  };

  context = g_option_context_new (_("[export]"));
  g_option_context_set_summary (context,
                                _("Show the uploads this machine made, newest first. "
                                  "“gatepost-cli history export --help” for an export."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("gatepost-cli history");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return gp_cli_usage_error (context, _("unexpected argument “%s”"), argv[1]);

  query = gp_history_query_new ();
  if (limit_text != NULL && !parse_limit (limit_text, &limit))
    return gp_cli_usage_error (context, _("--limit needs a whole number of 0 or more, not “%s”"),
                               limit_text);
  gp_history_query_set_limit (query, limit);
  gp_history_query_set_text (query, search);
  gp_history_query_set_profile (query, profile);
  if (gateway_id != NULL)
    {
      GpGatewayKind gateway = gp_gateway_kind_from_string (gateway_id);

      if (gateway == GP_GATEWAY_INVALID)
        return gp_cli_usage_error (context,
                                   _("unknown gateway “%s”; use alipay, wechatpay-v2, "
                                     "wechatpay-v3 or wechatpay-global"), gateway_id);
      gp_history_query_set_gateway (query, gateway);
    }
  if (status_word != NULL)
    {
      if (!gp_history_status_from_string (status_word, &status))
        return gp_cli_usage_error (context,
                                   _("unknown status “%s”; use pending, succeeded, failed or "
                                     "interrupted"), status_word);
      gp_history_query_set_status (query, status);
    }

  history = open_default_history (&error);
  if (history == NULL)
    return history_error (error);
  rows = gp_history_search_sync (history, query, NULL, &error);
  if (rows == NULL)
    return history_error (error);

  if (json)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          g_autoptr(JsonNode) node = gp_history_entry_to_json (g_ptr_array_index (rows, i));

          gp_cli_print_json_line (node);
        }
      return GP_CLI_EXIT_OK;
    }

  total = gp_history_count_sync (history, query, NULL, &error);
  if (total < 0)
    return history_error (error);
  if (rows->len == 0)
    {
      printf ("%s\n", (search != NULL || profile != NULL || gateway_id != NULL ||
                       status_word != NULL) ? _("No upload matches.") : _("No uploads yet."));
      return GP_CLI_EXIT_OK;
    }
  for (guint i = 0; i < rows->len; i++)
    print_entry_text (g_ptr_array_index (rows, i));
  if (total > rows->len)
    printf (_("%u of %" G_GINT64_FORMAT " uploads shown; use --limit for more.\n"),
            rows->len, total);

  return GP_CLI_EXIT_OK;
}

static int
history_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GpHistoryQuery) query = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *search = NULL;
  g_autofree char *profile = NULL;
  GpHistoryExportFormat format;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv (default; UTF-8 with a byte-order mark, for spreadsheets) or json (one array)"),
      N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE, replacing it, instead of standard output"), N_("FILE") },
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      N_("Only uploads whose file name, media ID, profile or code contains TEXT"),
      N_("TEXT") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_("Only uploads made with the profile of this name"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Export the whole upload history, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("gatepost-cli history export");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return gp_cli_usage_error (context, _("unexpected argument “%s”"), argv[1]);

  if (format_name == NULL || strcmp (format_name, "csv") == 0)
    format = GP_HISTORY_EXPORT_CSV;
  else if (strcmp (format_name, "json") == 0)
    format = GP_HISTORY_EXPORT_JSON;
  else
    return gp_cli_usage_error (context, _("unknown format “%s”; use csv or json"), format_name);

  query = gp_history_query_new ();
  gp_history_query_set_text (query, search);
  gp_history_query_set_profile (query, profile);

  history = open_default_history (&error);
  if (history == NULL)
    return history_error (error);

  if (output != NULL && strcmp (output, "-") != 0)
    {
      /* Written beside the target and renamed over it when complete, so a
       * failed export never leaves half a file. */
      file = g_file_new_for_commandline_arg (output);
      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                                &error));
      if (stream == NULL)
        return history_error (error);
    }
  else
    {
      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (!gp_history_export_sync (history, query, format, stream, NULL, &error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable discards the replacement. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (stream, abandon, NULL);
      return history_error (error);
    }
  if (!g_output_stream_close (stream, NULL, &error))
    return history_error (error);

  return GP_CLI_EXIT_OK;
}

int
gp_cli_history (int    argc,
                char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "export") == 0)
    return history_export (argc - 1, argv + 1);

  return history_list (argc, argv);
}
