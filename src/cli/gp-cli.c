/* gp-cli.c: gatepost-cli, the command-line companion of Gatepost
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gp-cli-private.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "check", gp_cli_check, N_("Check files against a gateway's rules, sending nothing") },
  { "profile", gp_cli_profile, N_("Import, list, show and remove merchant profiles") },
  { "upload", gp_cli_upload, N_("Check and upload files with a profile, recording every result") },
  { "history", gp_cli_history, N_("Show, search or export the upload history") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  gatepost-cli COMMAND [OPTION…]\n\n%s\n", _("Usage:"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “gatepost-cli COMMAND --help” for a command's options."));
}

int
gp_cli_usage_error (GOptionContext *context,
                    const char     *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("gatepost-cli: %s\n", message);
  if (context != NULL)
    g_printerr ("%s\n", _("Run with --help for usage."));

  return GP_CLI_EXIT_USAGE;
}

/* One compact JSON object per line (JSON Lines), flushed so a consumer
 * reading a pipe sees each file's result as soon as it is known. */
void
gp_cli_print_json_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("gatepost-cli");
  /* stdout carries results (JSON Lines with --json): GLib's debug and info
   * messages (G_MESSAGES_DEBUG) go to stderr like the rest. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_usage (stderr);
      return GP_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return GP_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("gatepost-cli %s\n", PACKAGE_VERSION);
      return GP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("gatepost-cli: %s\n", _("unknown command"));
  print_usage (stderr);

  return GP_CLI_EXIT_USAGE;
}
