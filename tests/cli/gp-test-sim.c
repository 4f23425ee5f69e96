/* gp-test-sim.c: the real gatepost-sim and gatepost-cli, for end-to-end tests
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the simulator with fresh fixtures in a temporary folder, imports
 * its generated profiles with the real CLI (into the test's private
 * keyring), and talks to its control endpoint over TLS.
 */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "gp-test-sim.h"

const char * const gp_test_sim_profiles[] = {
  "sim-alipay", "sim-wechatpay-v2", "sim-wechatpay-v2-hmac", "sim-wechatpay-v3",
  "sim-wechatpay-v3-cert", "sim-wechatpay-global", "sim-wechatpay-global-cert", NULL,
};

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GpTestSim *sim_start (const char         *tmp,
                             const char * const *extra_args);

GpTestSim *
gp_test_sim_start (const char * const *extra_args)
{
  return sim_start (NULL, extra_args);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (to, data, len, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

/* A simulator whose HTTPS certificate is @server_pem (e.g. expired, or for
 * another host) instead of the one it generated. */
GpTestSim *
gp_test_sim_start_with_tls (const char *server_pem,
                            const char *server_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("gatepost-e2e-tls-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "sim", NULL);
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server-key.pem", NULL);
  const char *gen[] = { g_getenv ("GATEPOST_SIM"), "--generate", dir, NULL };
  int wait_status = 0;

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) gen, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  copy_file (server_pem, pem);
  copy_file (server_key, key);

  return sim_start (tmp, NULL);
}

static GpTestSim *
sim_start (const char         *tmp,
           const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *line = NULL;
  g_autofree char *ca = NULL;
  g_auto(GStrv) words = NULL;
  GpTestSim *sim = g_new0 (GpTestSim, 1);

  sim->tmp = tmp ? g_strdup (tmp) : g_dir_make_tmp ("gatepost-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  sim->dir = g_build_filename (sim->tmp, "sim", NULL);

  g_ptr_array_add (args, (char *) g_getenv ("GATEPOST_SIM"));
  g_ptr_array_add (args, (char *) "--dir");
  g_ptr_array_add (args, sim->dir);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (args, (char *) extra_args[i]);
  g_ptr_array_add (args, NULL);
  g_assert_nonnull (args->pdata[0]);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "READY");
  sim->base_url = g_strdup (words[1]);
  sim->v2_base_url = g_strdup (words[2]);

  ca = g_build_filename (sim->dir, "ca.pem", NULL);
  db = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  sim->session = soup_session_new_with_options ("tls-database", db, "timeout", 30,
                                                "proxy-resolver", NULL, NULL);
  return sim;
}

void
gp_test_sim_stop (GpTestSim *sim)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", sim->tmp);

  g_subprocess_send_signal (sim->proc, SIGTERM);
  g_assert_true (g_subprocess_wait_check (sim->proc, NULL, &error));
  g_clear_object (&sim->proc);
  g_clear_object (&sim->session);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (sim->tmp);
  g_free (sim->dir);
  g_free (sim->base_url);
  g_free (sim->v2_base_url);
  g_free (sim);
}

char *
gp_test_sim_profile_path (GpTestSim  *sim,
                          const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.json", name);

  return g_build_filename (sim->dir, "profiles", file, NULL);
}

void
gp_test_sim_import_profiles (GpTestSim *sim)
{
  for (guint i = 0; gp_test_sim_profiles[i] != NULL; i++)
    {
      g_autofree char *path = gp_test_sim_profile_path (sim, gp_test_sim_profiles[i]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = gp_test_cli_run (&out, &err, "profile", "import", path, NULL);

      if (status != 0)
        g_error ("import of %s failed (%d): %s", gp_test_sim_profiles[i], status, err);
    }
}

/* Imports a copy of the generated profile @base named @name, with the
 * members given as key, value pairs (a NULL value removes the member).
 * Returns the import's exit status. */
int
gp_test_sim_import_derived (GpTestSim  *sim,
                            const char *base,
                            const char *name,
                            char      **err,
                            ...)
{
  g_autofree char *path = gp_test_sim_profile_path (sim, base);
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *out_path = g_build_filename (sim->tmp, file, NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  const char *key;
  va_list ap;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (obj, "name", name);
  va_start (ap, err);
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);

      if (value == NULL)
        json_object_remove_member (obj, key);
      else
        json_object_set_string_member (obj, key, value);
    }
  va_end (ap);
  json_generator_set_root (gen, json_parser_get_root (parser));
  json_generator_to_file (gen, out_path, &error);
  g_assert_no_error (error);

  return gp_test_cli_run (&out, err, "profile", "import", out_path, NULL);
}

static GBytes *
control (GpTestSim  *sim,
         const char *method,
         const char *path,
         const char *json)
{
  g_autofree char *url = g_strconcat (sim->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  if (json != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply = soup_session_send_and_read (sim->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("%s %s: HTTP %u: %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
  return reply;
}

/* Adds a fault ({"mode": …, "count": …}), or clears them all (NULL). */
void
gp_test_sim_fault (GpTestSim  *sim,
                   const char *json)
{
  g_autoptr(GBytes) reply = control (sim, json ? "POST" : "DELETE", "/_sim/faults", json);
}

JsonArray *
gp_test_sim_uploads (GpTestSim *sim)
{
  g_autoptr(GBytes) reply = control (sim, "GET", "/_sim/uploads", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                              &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  return json_array_ref (json_object_get_array_member (root, "uploads"));
}

void
gp_test_sim_clear_uploads (GpTestSim *sim)
{
  g_autoptr(GBytes) reply = control (sim, "DELETE", "/_sim/uploads", NULL);
}

const char *
gp_test_cli_path (void)
{
  static char *path;

  if (path == NULL && g_getenv ("GATEPOST_CLI") != NULL)
    path = g_strdup (g_getenv ("GATEPOST_CLI"));
  if (path == NULL)
    path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "gatepost-cli", NULL);

  return path;
}

/* @env: "NAME=VALUE" strings added to the test's environment. */
GSubprocess *
gp_test_cli_spawnv (const char * const *env,
                    const char * const *argv,
                    GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  /* GLib's test isolation changes what g_get_user_data_dir() returns in
   * this process, not the environment: the CLI gets the test's dirs.
   * Outside a test case (imports in main()) the CLI keeps the wrapper's. */
  if (g_test_get_path () != NULL && *g_test_get_path () != '\0')
    {
      g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
    }
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  g_ptr_array_add (args, (char *) gp_test_cli_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  return g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, error);
}

static gboolean
kill_hung_cb (gpointer user_data)
{
  g_subprocess_force_exit (G_SUBPROCESS (user_data));
  g_error ("gatepost-cli hung for 90 s");
  return G_SOURCE_REMOVE;
}

/* Runs the CLI to its end (a hang past 90 s fails the test) and returns its
 * exit status; stdout and stderr are captured. */
int
gp_test_cli_runv (const char * const *env,
                  char              **out,
                  char              **err,
                  const char * const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) guard = NULL;

  proc = gp_test_cli_spawnv (env, argv, &error);
  g_assert_no_error (error);
  guard = g_timeout_source_new_seconds (90);
  g_source_set_callback (guard, kill_hung_cb, proc, NULL);
  g_source_attach (guard, NULL);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_source_destroy (guard);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc))
    g_error ("gatepost-cli %s died by signal %d; stderr: %s", argv[0],
             g_subprocess_get_term_sig (proc), err && *err ? *err : "");

  return g_subprocess_get_exit_status (proc);
}

int
gp_test_cli_run (char       **out,
                 char       **err,
                 const char  *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return gp_test_cli_runv (NULL, out, err, (const char * const *) args->pdata);
}

/* Every line of @out must be one JSON object; returns them (JsonObject *). */
GPtrArray *
gp_test_json_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      if (error != NULL)
        g_error ("not a JSON line: %s (%s)", lines[i], error->message);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static void
append_le32 (GByteArray *a,
             guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (a, b, 4);
}

static void
append_be32 (GByteArray *a,
             guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (a, b, 4);
}

/* The head of a small valid file of @format; @variant makes the bytes
 * (and so the SHA-256 and the simulator's media ID) unique. */
GBytes *
gp_test_make_file_bytes (const char *format,
                         guint       variant,
                         gsize       pad_to)
{
  GByteArray *a = g_byte_array_new ();
  g_autofree char *tag = g_strdup_printf ("gatepost test file %s %u\n", format, variant);

  if (g_str_equal (format, "jpeg"))
    {
      static const guint8 jpeg[] = {
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20,
        0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
      };

      g_byte_array_append (a, jpeg, sizeof jpeg);
    }
  else if (g_str_equal (format, "png"))
    {
      static const guint8 png[] = {
        0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R',
        0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, /* CRC not checked by anyone here */
        0x00, 0x00, 0x00, 0x00, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
      };

      g_byte_array_append (a, png, sizeof png);
    }
  else if (g_str_equal (format, "bmp"))
    {
      g_byte_array_append (a, (const guint8 *) "BM", 2);
      append_le32 (a, 54 + 32 * 16 * 3);
      append_le32 (a, 0);
      append_le32 (a, 54);
      append_le32 (a, 40);
      append_le32 (a, 32);
      append_le32 (a, 16);
      g_byte_array_append (a, (const guint8 *) "\x01\x00\x18\x00", 4);
      for (guint i = 0; i < 6; i++)
        append_le32 (a, 0);
    }
  else if (g_str_equal (format, "gif"))
    g_byte_array_append (a, (const guint8 *) "GIF89a\x20\x00\x10\x00\x00\x00\x00;", 14);
  else if (g_str_equal (format, "mp4"))
    {
      append_be32 (a, 24);
      g_byte_array_append (a, (const guint8 *) "ftypisom\x00\x00\x02\x00isommp41", 20);
      append_be32 (a, 8);
      g_byte_array_append (a, (const guint8 *) "free", 4);
    }
  else if (g_str_equal (format, "pdf"))
    {
      const char *pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

      g_byte_array_append (a, (const guint8 *) pdf, strlen (pdf));
    }
  else
    g_assert_not_reached ();

  g_byte_array_append (a, (const guint8 *) tag, strlen (tag));
  if (a->len < pad_to)
    {
      gsize old = a->len;

      g_byte_array_set_size (a, pad_to);
      memset (a->data + old, 0, pad_to - old);
    }
  return g_byte_array_free_to_bytes (a);
}

char *
gp_test_write_file (const char *dir,
                    const char *name,
                    const char *format,
                    guint       variant,
                    gsize       pad_to)
{
  g_autoptr(GBytes) head = gp_test_make_file_bytes (format, variant, 0);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "wb");
  gsize len = g_bytes_get_size (head);
  static const char zeros[65536];

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (g_bytes_get_data (head, NULL), 1, len, f), ==, len);
  while (len < pad_to)
    {
      gsize n = MIN (sizeof zeros, pad_to - len);

      g_assert_cmpuint (fwrite (zeros, 1, n, f), ==, n);
      len += n;
    }
  g_assert_cmpint (fclose (f), ==, 0);

  return path;
}

char *
gp_test_history_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "gatepost", "history.sqlite3", NULL);
}
