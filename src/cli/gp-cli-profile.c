/* gp-cli-profile.c: gatepost-cli profile import|list|show|remove
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "gp-cli-private.h"

/* A keyring that waits on a prompt nobody answers must not hang the CLI.
 * GATEPOST_KEYRING_TIMEOUT (seconds) changes the limit. */
#define KEYRING_TIMEOUT_SECONDS 30

static guint
keyring_timeout (void)
{
  const char *value = g_getenv ("GATEPOST_KEYRING_TIMEOUT");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 3600, &seconds, NULL))
    return (guint) seconds;

  return KEYRING_TIMEOUT_SECONDS;
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
  gboolean      timed_out;
} Wait;

static void
wait_init (Wait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->cancellable = g_cancellable_new ();
  wait->result = NULL;
  wait->timed_out = FALSE;
}

static void
wait_clear (Wait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_object (&wait->cancellable);
  g_clear_object (&wait->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

static void
keyring_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
keyring_timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  g_cancellable_cancel (wait->cancellable);

  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the operation started on @wait finishes. */
static void
wait_run (Wait *wait)
{
  guint timeout = g_timeout_add_seconds (keyring_timeout (), keyring_timeout_cb, wait);

  while (wait->result == NULL)
    g_main_loop_run (wait->loop);
  if (!wait->timed_out)
    g_source_remove (timeout);
}

static void
wait_fix_error (Wait    *wait,
                GError **error)
{
  if (wait->timed_out && *error != NULL &&
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_UNAVAILABLE,
                   "The keyring did not answer within %u seconds (is it waiting for a password?): "
                   "unlock it (for example by logging in to the desktop) and try again",
                   keyring_timeout ());
    }
}

/**
 * gp_cli_load_profile:
 *
 * Loads a profile from the keyring, giving up after a timeout.
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with @error set
 */
GpProfile *
gp_cli_load_profile (const char  *name,
                     GError     **error)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_auto(Wait) wait = { NULL, NULL, NULL, FALSE };
  GpProfile *profile;

  wait_init (&wait);
  gp_profile_store_load_async (store, name, wait.cancellable, keyring_done_cb, &wait);
  wait_run (&wait);
  profile = gp_profile_store_load_finish (store, wait.result, error);
  if (profile == NULL)
    wait_fix_error (&wait, error);

  return profile;
}

static int
fail (GError *error)
{
  g_printerr ("gatepost-cli: %s\n", error->message);

  return GP_CLI_EXIT_USAGE;
}

static GOptionContext *
context_new (const char         *parameter,
             const char         *summary,
             const char         *prgname,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname (prgname);

  return context;
}

/* Certificates -------------------------------------------------------------------------- */

static const char *
certificate_title (const char *field)
{
  if (strcmp (field, "client_cert") == 0)
    return _("client certificate");
  return _("platform certificate");
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (date, "%Y-%m-%d");
}

/* Warns on stderr about a certificate that ends soon or has ended. */
static void
warn_expiry (GpProfile  *profile,
             const char *field)
{
  GpCertificate *cert = gp_profile_get_certificate (profile, field);
  g_autofree char *date = NULL;
  int days = 0;

  if (cert == NULL)
    return;
  date = format_date (gp_certificate_get_not_after (cert));
  switch (gp_certificate_get_expiry (cert, g_get_real_time () / G_USEC_PER_SEC, &days))
    {
    case GP_EXPIRY_SOON:
      g_printerr (_("warning: the %s of profile “%s” expires on %s, in %d days: renew it "
                    "before then\n"),
                  certificate_title (field), gp_profile_get_name (profile), date, days);
      break;

    case GP_EXPIRY_EXPIRED:
      g_printerr (_("warning: the %s of profile “%s” expired on %s: the gateway will refuse "
                    "it; renew it and import the profile again\n"),
                  certificate_title (field), gp_profile_get_name (profile), date);
      break;

    case GP_EXPIRY_OK:
    default:
      break;
    }
}

static void
warn_all_expiry (GpProfile *profile)
{
  warn_expiry (profile, "client_cert");
  warn_expiry (profile, "platform_certificate");
}

/* import -------------------------------------------------------------------------------- */

static char *
read_stdin (gsize    *len,
            GError  **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  gssize n;

  n = g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error);
  if (n < 0)
    return NULL;
  /* A NUL so the text reads as a string. */
  if (!g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  *len = (gsize) n;

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static int
profile_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProfile) stored = NULL;
  g_autoptr(GpProfileStore) store = NULL;
  g_autofree char *base_dir = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(Wait) wait = { NULL, NULL, NULL, FALSE };
  const char *path;
  char *data = NULL;
  gsize len = 0;
  gboolean replaced = FALSE;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("FILE|-") },
    { NULL }
  };

  context = context_new (NULL,
                         _("Import a profile file (JSON) into the keyring; “-” reads standard "
                           "input. A profile of the same name is replaced."),
                         "gatepost-cli profile import", entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (args == NULL || args[0] == NULL)
    return gp_cli_usage_error (context, "%s", _("no profile file given"));
  if (args[1] != NULL)
    return gp_cli_usage_error (context, "%s", _("give one profile file"));

  path = args[0];
  if (strcmp (path, "-") == 0)
    data = read_stdin (&len, &error);
  else
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);

      base_dir = g_path_get_dirname (absolute);
      if (!g_file_get_contents (path, &data, &len, &error))
        data = NULL;
    }
  if (data == NULL)
    {
      g_printerr ("gatepost-cli: %s\n", error->message);
      return GP_CLI_EXIT_USAGE;
    }

  profile = gp_profile_new_from_data (data, len, base_dir, &error);
  gp_secret_free (data, len);
  if (profile == NULL)
    {
      g_printerr (_("gatepost-cli: %s: %s\n"), path, error->message);
      return GP_CLI_EXIT_USAGE;
    }

  store = gp_profile_store_new ();
  wait_init (&wait);
  gp_profile_store_save_async (store, profile, wait.cancellable, keyring_done_cb, &wait);
  wait_run (&wait);
  stored = gp_profile_store_save_finish (store, wait.result, &replaced, &error);
  if (stored == NULL)
    {
      wait_fix_error (&wait, &error);
      return fail (error);
    }

  if (replaced)
    printf (_("Replaced profile “%s” (%s); its id is kept\n"), gp_profile_get_name (stored),
            gp_gateway_kind_to_string (gp_profile_get_gateway (stored)));
  else
    printf (_("Imported profile “%s” (%s)\n"), gp_profile_get_name (stored),
            gp_gateway_kind_to_string (gp_profile_get_gateway (stored)));
  warn_all_expiry (stored);

  return GP_CLI_EXIT_OK;
}

/* list ---------------------------------------------------------------------------------- */

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_summary_members (JsonBuilder *builder,
                     GpProfile   *profile)
{
  add_string_member (builder, "name", gp_profile_get_name (profile));
  add_string_member (builder, "gateway", gp_gateway_kind_to_string (gp_profile_get_gateway (profile)));
  add_string_member (builder, "id", gp_profile_get_id (profile));
  add_string_member (builder, "base_url", gp_profile_get_base_url (profile));
}

static int
profile_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_auto(Wait) wait = { NULL, NULL, NULL, FALSE };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per profile"), NULL },
    { NULL }
  };

  context = context_new (NULL, _("List the profiles in the keyring."),
                         "gatepost-cli profile list", entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return gp_cli_usage_error (context, "%s", _("“profile list” takes no arguments"));

  store = gp_profile_store_new ();
  wait_init (&wait);
  gp_profile_store_list_async (store, wait.cancellable, keyring_done_cb, &wait);
  wait_run (&wait);
  profiles = gp_profile_store_list_finish (store, wait.result, &error);
  if (profiles == NULL)
    {
      wait_fix_error (&wait, &error);
      return fail (error);
    }

  if (profiles->len == 0 && !json)
    printf ("%s\n", _("No profiles. Import one with “gatepost-cli profile import FILE”."));
  for (guint i = 0; i < profiles->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (profiles, i);

      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          add_summary_members (builder, profile);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          gp_cli_print_json_line (root);
        }
      else
        printf ("%s\t%s\t%s\n", gp_profile_get_name (profile),
                gp_gateway_kind_to_string (gp_profile_get_gateway (profile)),
                gp_profile_get_base_url (profile));
    }

  return GP_CLI_EXIT_OK;
}

/* show ---------------------------------------------------------------------------------- */

static const char * const shown_strings[] = {
  "app_id", "mch_id", "serial_no", "platform_serial", "sign_type", "image_pid", NULL
};

static guint
count_certificates (const char *pem)
{
  guint n = 0;

  for (const char *p = pem; p != NULL && (p = strstr (p, "-----BEGIN CERTIFICATE-----")); p++)
    n++;

  return n;
}

/* The public keys worth a fingerprint, by field. Private keys are shown by
 * the fingerprint of their public half only. */
static void
collect_keys (GpProfile   *profile,
              const char **names,
              GpPublicKey **keys,
              guint       *n)
{
  GpPrivateKey *private_key = gp_profile_get_private_key (profile);
  GpPublicKey *verify_key = gp_profile_get_verify_key (profile);
  GpCertificate *client = gp_profile_get_certificate (profile, "client_cert");

  *n = 0;
  if (private_key != NULL)
    {
      names[*n] = "private_key";
      keys[(*n)++] = gp_private_key_get_public_key (private_key);
    }
  if (verify_key != NULL)
    {
      if (gp_profile_get_gateway (profile) == GP_GATEWAY_ALIPAY)
        names[*n] = "alipay_public_key";
      else if (gp_profile_get_certificate (profile, "platform_certificate") != NULL)
        names[*n] = "platform_certificate";
      else
        names[*n] = "platform_public_key";
      keys[(*n)++] = verify_key;
    }
  if (client != NULL)
    {
      names[*n] = "client_key";
      keys[(*n)++] = gp_certificate_get_public_key (client);
    }
}

static const char *
expiry_status (GpExpiry expiry)
{
  switch (expiry)
    {
    case GP_EXPIRY_SOON:
      return "expiring";
    case GP_EXPIRY_EXPIRED:
      return "expired";
    case GP_EXPIRY_OK:
    default:
      return "ok";
    }
}

static void
show_json (GpProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) api_key = gp_profile_dup_api_key (profile);
  static const char * const cert_fields[] = { "client_cert", "platform_certificate", NULL };
  const char *names[4];
  GpPublicKey *keys[4];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n;

  json_builder_begin_object (builder);
  add_summary_members (builder, profile);
  json_builder_set_member_name (builder, "custom_base_url");
  json_builder_add_boolean_value (builder, gp_profile_has_custom_base_url (profile));

  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  for (guint i = 0; shown_strings[i] != NULL; i++)
    if (gp_profile_get_string (profile, shown_strings[i]) != NULL)
      add_string_member (builder, shown_strings[i],
                         gp_profile_get_string (profile, shown_strings[i]));
  json_builder_end_object (builder);
  add_string_member (builder, "verify_serial", gp_profile_get_verify_serial (profile));

  json_builder_set_member_name (builder, "keys");
  json_builder_begin_object (builder);
  collect_keys (profile, names, keys, &n);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, names[i]);
      json_builder_begin_object (builder);
      add_string_member (builder, "type", "RSA");
      json_builder_set_member_name (builder, "bits");
      json_builder_add_int_value (builder, gp_public_key_get_bits (keys[i]));
      add_string_member (builder, "sha256", gp_public_key_get_fingerprint (keys[i]));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "certificates");
  json_builder_begin_object (builder);
  for (guint i = 0; cert_fields[i] != NULL; i++)
    {
      GpCertificate *cert = gp_profile_get_certificate (profile, cert_fields[i]);
      g_autoptr(GDateTime) end = NULL;
      g_autofree char *iso = NULL;
      GpExpiry expiry;
      int days;

      if (cert == NULL)
        continue;
      end = g_date_time_new_from_unix_utc (gp_certificate_get_not_after (cert));
      iso = g_date_time_format_iso8601 (end);
      expiry = gp_certificate_get_expiry (cert, now, &days);
      json_builder_set_member_name (builder, cert_fields[i]);
      json_builder_begin_object (builder);
      add_string_member (builder, "serial", gp_certificate_get_serial (cert));
      add_string_member (builder, "subject", gp_certificate_get_subject (cert));
      add_string_member (builder, "not_after", iso);
      json_builder_set_member_name (builder, "days_left");
      json_builder_add_int_value (builder, days);
      add_string_member (builder, "status", expiry_status (expiry));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "ca_certificates");
  json_builder_add_int_value (builder, count_certificates (gp_profile_get_ca_pem (profile)));
  /* Which secrets the profile holds, never their values. */
  json_builder_set_member_name (builder, "secrets");
  json_builder_begin_array (builder);
  if (gp_profile_get_private_key (profile) != NULL)
    json_builder_add_string_value (builder, "private_key");
  if (api_key != NULL)
    json_builder_add_string_value (builder, "api_key");
  if (gp_profile_get_client_certificate (profile) != NULL)
    json_builder_add_string_value (builder, "client_key");
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  gp_cli_print_json_line (root);
}

static void
show_line (const char *label,
           const char *value)
{
  printf ("  %-22s %s\n", label, value);
}

static void
show_text (GpProfile *profile)
{
  g_autoptr(GBytes) api_key = gp_profile_dup_api_key (profile);
  static const char * const cert_fields[] = { "client_cert", "platform_certificate", NULL };
  const char *names[4];
  GpPublicKey *keys[4];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *base_url = NULL;
  guint n;

  printf ("%s\n", gp_profile_get_name (profile));
  show_line (_("gateway"), gp_gateway_kind_to_string (gp_profile_get_gateway (profile)));
  show_line (_("id"), gp_profile_get_id (profile));
  base_url = gp_profile_has_custom_base_url (profile)
    ? g_strdup (gp_profile_get_base_url (profile))
    : g_strdup_printf (_("%s (default)"), gp_profile_get_base_url (profile));
  show_line (_("base URL"), base_url);
  for (guint i = 0; shown_strings[i] != NULL; i++)
    if (gp_profile_get_string (profile, shown_strings[i]) != NULL)
      show_line (shown_strings[i], gp_profile_get_string (profile, shown_strings[i]));

  collect_keys (profile, names, keys, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf (_("RSA %u bits, SHA-256 %s"),
                                               gp_public_key_get_bits (keys[i]),
                                               gp_public_key_get_fingerprint (keys[i]));

      show_line (names[i], text);
    }
  if (gp_profile_get_verify_serial (profile) != NULL)
    show_line (_("response serial"), gp_profile_get_verify_serial (profile));

  for (guint i = 0; cert_fields[i] != NULL; i++)
    {
      GpCertificate *cert = gp_profile_get_certificate (profile, cert_fields[i]);
      g_autofree char *date = NULL;
      g_autofree char *text = NULL;
      int days;

      if (cert == NULL)
        continue;
      date = format_date (gp_certificate_get_not_after (cert));
      switch (gp_certificate_get_expiry (cert, now, &days))
        {
        case GP_EXPIRY_SOON:
          text = g_strdup_printf (_("serial %s, expires %s, in %d days: renew it soon"),
                                  gp_certificate_get_serial (cert), date, days);
          break;

        case GP_EXPIRY_EXPIRED:
          text = g_strdup_printf (_("serial %s, EXPIRED on %s"),
                                  gp_certificate_get_serial (cert), date);
          break;

        case GP_EXPIRY_OK:
        default:
          text = g_strdup_printf (_("serial %s, expires %s (in %d days)"),
                                  gp_certificate_get_serial (cert), date, days);
          break;
        }
      show_line (cert_fields[i], text);
      show_line ("", gp_certificate_get_subject (cert));
    }

  if (gp_profile_get_ca_pem (profile) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%u extra trusted certificate(s)"),
                                               count_certificates (gp_profile_get_ca_pem (profile)));

      show_line ("ca_file", text);
    }
  if (api_key != NULL)
    show_line ("api_key", _("set (never shown)"));
}

static int
profile_show (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the profile as one JSON object"), NULL },
    { NULL }
  };

  context = context_new (_("NAME"),
                         _("Show a profile without its secrets: key fingerprints (SHA-256 of "
                           "the public key) and certificate expiry dates."),
                         "gatepost-cli profile show", entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return gp_cli_usage_error (context, "%s", _("give one profile name"));

  profile = gp_cli_load_profile (argv[1], &error);
  if (profile == NULL)
    return fail (error);

  if (json)
    show_json (profile);
  else
    show_text (profile);
  warn_all_expiry (profile);

  return GP_CLI_EXIT_OK;
}

/* remove -------------------------------------------------------------------------------- */

static int
profile_remove (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfileStore) store = NULL;
  g_auto(Wait) wait = { NULL, NULL, NULL, FALSE };

  context = context_new (_("NAME"), _("Remove a profile from the keyring."),
                         "gatepost-cli profile remove", NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return gp_cli_usage_error (context, "%s", _("give one profile name"));

  store = gp_profile_store_new ();
  wait_init (&wait);
  gp_profile_store_remove_async (store, argv[1], wait.cancellable, keyring_done_cb, &wait);
  wait_run (&wait);
  if (!gp_profile_store_remove_finish (store, wait.result, &error))
    {
      wait_fix_error (&wait, &error);
      return fail (error);
    }
  printf (_("Removed profile “%s”\n"), argv[1]);

  return GP_CLI_EXIT_OK;
}

/* Dispatch ------------------------------------------------------------------------------ */

static const struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} subcommands[] = {
  { "import", profile_import, N_("Import a profile file (FILE or - for standard input)") },
  { "list", profile_list, N_("List profiles [--json]") },
  { "show", profile_show, N_("Show a profile without its secrets: NAME [--json]") },
  { "remove", profile_remove, N_("Remove a profile: NAME") },
};

static void
print_profile_usage (FILE *out)
{
  fprintf (out, "%s\n  gatepost-cli profile COMMAND [OPTION…]\n\n%s\n", _("Usage:"),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-8s %s\n", subcommands[i].name, _(subcommands[i].summary));
}

int
gp_cli_profile (int    argc,
                char **argv)
{
  if (argc < 2)
    {
      print_profile_usage (stderr);
      return GP_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_profile_usage (stdout);
      return GP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      return subcommands[i].run (argc - 1, argv + 1);

  g_printerr (_("gatepost-cli: unknown profile command “%s”\n"), argv[1]);
  print_profile_usage (stderr);

  return GP_CLI_EXIT_USAGE;
}
