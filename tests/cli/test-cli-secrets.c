/* test-cli-secrets.c: no secret leaves the keyring, whatever gatepost-cli does
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports all seven simulator profiles (plus a v2 profile with a wrong API
 * key, so the gateway refuses its signature), uploads with every one of them
 * (a success and a failure each), exports and prints the history, lists and
 * shows the profiles, all with G_MESSAGES_DEBUG=all. Then it looks for every
 * client secret (the Alipay app key, the v2 API keys, the v2 client key and
 * PKCS#12, the v3/Global merchant key: as DER bytes, as bare base64 and as
 * each PEM body line) in every file under the test's HOME and XDG dirs and
 * the wrapper's (except gnome-keyring's encrypted keyring file), in the
 * captured stdout and stderr, and in /proc/<pid>/environ and cmdline of a
 * CLI caught while it uploads.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gp-test-sim.h"

static GpTestSim *sim;
static char *files_dir;
static char *outer_dirs[6];
static guint keyrings_seen;
static const char * const wrong_api_key = "WrongApiKey0123456789abcdefABCDEF";

typedef struct
{
  char   *what;
  GBytes *bytes;
} Needle;

static void
needle_free (gpointer p)
{
  Needle *n = p;

  g_free (n->what);
  g_bytes_unref (n->bytes);
  g_free (n);
}

static void
add_needle (GPtrArray  *needles,
            const char *what,
            const void *data,
            gsize       len)
{
  Needle *n = g_new0 (Needle, 1);

  n->what = g_strdup (what);
  n->bytes = g_bytes_new (data, len);
  g_ptr_array_add (needles, n);
}

/* A PEM file: its DER, its bare base64 and each body line of 16+ chars. */
static void
add_pem_needles (GPtrArray  *needles,
                 const char *rel)
{
  g_autofree char *path = g_build_filename (sim->dir, rel, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) b64 = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree guchar *der = NULL;
  gsize der_len = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *what = g_strdup_printf ("%s line %u", rel, i);
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || g_str_has_prefix (line, "-----"))
        continue;
      g_string_append (b64, line);
      if (strlen (line) >= 16)
        add_needle (needles, what, line, strlen (line));
    }
  {
    g_autofree char *what = g_strdup_printf ("%s as bare base64", rel);

    add_needle (needles, what, b64->str, b64->len);
  }
  der = g_base64_decode (b64->str, &der_len);
  g_assert_cmpuint (der_len, >, 256);
  {
    g_autofree char *what = g_strdup_printf ("%s as DER", rel);

    add_needle (needles, what, der, der_len);
  }
}

static GPtrArray *
secret_needles (void)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (needle_free);
  g_autofree char *api_key_path = g_build_filename (sim->dir, "wechatpay-v2", "api-key.txt", NULL);
  g_autofree char *p12_path = g_build_filename (sim->dir, "wechatpay-v2", "apiclient_cert.p12",
                                                NULL);
  g_autofree char *api_key = NULL;
  g_autofree char *p12 = NULL;
  g_autofree char *p12_b64 = NULL;
  gsize p12_len = 0;

  add_pem_needles (needles, "alipay/app-private-key.pem");
  add_pem_needles (needles, "wechatpay-v2/apiclient_key.pem");
  add_pem_needles (needles, "wechatpay/apiclient_key.pem");

  g_assert_true (g_file_get_contents (api_key_path, &api_key, NULL, NULL));
  g_strstrip (api_key);
  g_assert_cmpuint (strlen (api_key), >=, 32);
  add_needle (needles, "v2 api_key", api_key, strlen (api_key));
  add_needle (needles, "wrong v2 api_key", wrong_api_key, strlen (wrong_api_key));

  g_assert_true (g_file_get_contents (p12_path, &p12, &p12_len, NULL));
  add_needle (needles, "v2 PKCS#12", p12, p12_len);
  p12_b64 = g_base64_encode ((const guchar *) p12, p12_len);
  add_needle (needles, "v2 PKCS#12 as base64", p12_b64, strlen (p12_b64));

  return needles;
}

static Needle *
find_needle (GPtrArray  *needles,
             const void *data,
             gsize       len)
{
  for (guint i = 0; i < needles->len; i++)
    {
      Needle *n = g_ptr_array_index (needles, i);
      gsize nlen = g_bytes_get_size (n->bytes);

      if (len >= nlen && memmem (data, len, g_bytes_get_data (n->bytes, NULL), nlen) != NULL)
        return n;
    }
  return NULL;
}

static void
assert_no_needle (GPtrArray  *needles,
                  const char *where,
                  const void *data,
                  gsize       len)
{
  Needle *n = find_needle (needles, data, len);

  if (n != NULL)
    g_error ("%s is in %s", n->what, where);
}

static guint
scan_dir (GPtrArray  *needles,
          const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        n += scan_dir (needles, path);
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *data = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &data, &len, NULL))
            continue;
          /* gnome-keyring's own file: it must be the encrypted format */
          if (g_str_has_suffix (path, ".keyring") && strstr (path, "/keyrings/") != NULL)
            {
              g_assert_true (len > 16 && memcmp (data, "GnomeKeyring\n\r\0\n", 16) == 0);
              g_test_message ("skipped the encrypted keyring %s", path);
              keyrings_seen++;
              continue;
            }
          assert_no_needle (needles, path, data, len);
          g_test_message ("scanned %s (%" G_GSIZE_FORMAT " bytes)", path, len);
          n++;
        }
    }
  return n;
}

static void
run_and_scan (GPtrArray          *needles,
              int                 expected,
              const char * const *argv)
{
  const char * const env[] = { "G_MESSAGES_DEBUG=all", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *where = g_strjoinv (" ", (char **) argv);
  int status = gp_test_cli_runv (env, &out, &err, argv);

  if (expected >= 0)
    expect_status (status, expected, out, err);
  assert_no_needle (needles, where, out, strlen (out));
  assert_no_needle (needles, where, err, strlen (err));
}

/* A CLI caught in the middle of an upload: its environment and argv. */
static void
scan_running_cli (GPtrArray  *needles,
                  const char *profile,
                  const char *file)
{
  const char * const argv[] = { "upload", "--profile", profile, "--json", "--force", file, NULL };
  const char * const env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char *parts[] = { "environ", "cmdline" };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  gp_test_sim_fault (sim, "{\"mode\":\"delay\",\"seconds\":2,\"count\":1}");
  proc = gp_test_cli_spawnv (env, argv, &error);
  g_assert_no_error (error);
  g_usleep (800 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/%s", g_subprocess_get_identifier (proc),
                                               parts[i]);
      g_autofree char *data = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, >, 0);
      assert_no_needle (needles, path, data, len);
    }
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  expect_status (g_subprocess_get_exit_status (proc), 0, out, err);
  assert_no_needle (needles, "upload output", out, strlen (out));
  assert_no_needle (needles, "upload stderr", err, strlen (err));
}

static void
test_no_secret_anywhere (void)
{
  g_autoptr(GPtrArray) needles = secret_needles ();
  g_autofree char *err = NULL;
  g_autofree char *csv = g_build_filename (g_get_home_dir (), "history.csv", NULL);
  g_autofree char *json = g_build_filename (g_get_home_dir (), "history.json", NULL);
  g_autofree char *jpeg = NULL;
  g_autofree char *pdf = NULL;
  const char * const isolated[] = {
    g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (), g_get_user_cache_dir (),
    g_get_user_state_dir (), g_get_user_runtime_dir (),
  };
  guint scanned = 0;

  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  /* the imports go through the CLI too */
  gp_test_sim_import_profiles (sim);
  expect_status (gp_test_sim_import_derived (sim, "sim-wechatpay-v2", "e2e-v2-wrong-key", &err,
                                             "api_key", wrong_api_key, NULL), 0, "", err);

  for (guint i = 0; gp_test_sim_profiles[i] != NULL; i++)
    {
      const char *profile = gp_test_sim_profiles[i];
      gboolean global = strstr (profile, "global") != NULL;
      g_autofree char *name = g_strdup_printf ("secret-%u.%s", i, global ? "pdf" : "jpg");
      g_autofree char *name2 = g_strdup_printf ("secret-fail-%u.%s", i, global ? "pdf" : "jpg");
      g_autofree char *ok_file = gp_test_write_file (files_dir, name, global ? "pdf" : "jpeg",
                                                     3000 + i, 0);
      g_autofree char *bad_file = gp_test_write_file (files_dir, name2, global ? "pdf" : "jpeg",
                                                      3100 + i, 0);
      const char * const ok_argv[] = { "upload", "--profile", profile, "--json", ok_file, NULL };
      const char * const text_argv[] = { "upload", "--profile", profile, "--force", ok_file,
                                         NULL };
      const char * const bad_argv[] = { "upload", "--profile", profile, "--json", bad_file, NULL };
      const char * const show_argv[] = { "profile", "show", profile, "--json", NULL };
      const char * const show_text[] = { "profile", "show", profile, NULL };

      run_and_scan (needles, 0, ok_argv);
      run_and_scan (needles, 0, text_argv);
      gp_test_sim_fault (sim, "{\"mode\":\"bad-signature\",\"count\":1}");
      run_and_scan (needles, 1, bad_argv);
      run_and_scan (needles, 0, show_argv);
      run_and_scan (needles, 0, show_text);
    }
  {
    /* the gateway refuses the signature made with a wrong API key */
    g_autofree char *f = gp_test_write_file (files_dir, "wrong-key.jpg", "jpeg", 3999, 0);
    const char * const a[] = { "upload", "--profile", "e2e-v2-wrong-key", "--json", f, NULL };
    const char * const t[] = { "upload", "--profile", "e2e-v2-wrong-key", f, NULL };

    run_and_scan (needles, 1, a);
    run_and_scan (needles, 1, t);
  }
  gp_test_sim_fault (sim, NULL);

  {
    const char * const list[] = { "profile", "list", "--json", NULL };
    const char * const list_text[] = { "profile", "list", NULL };
    const char * const hist[] = { "history", "--json", NULL };
    const char * const hist_text[] = { "history", NULL };
    const char * const export_csv[] = { "history", "export", "--format", "csv", "--output", csv,
                                        NULL };
    const char * const export_json[] = { "history", "export", "--format", "json", "--output",
                                         json, NULL };
    const char * const export_stdout[] = { "history", "export", NULL };

    run_and_scan (needles, 0, list);
    run_and_scan (needles, 0, list_text);
    run_and_scan (needles, 0, hist);
    run_and_scan (needles, 0, hist_text);
    run_and_scan (needles, 0, export_csv);
    run_and_scan (needles, 0, export_json);
    run_and_scan (needles, 0, export_stdout);
    g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  }

  /* a running CLI: v2 (API key, client key) and Alipay (app key) */
  jpeg = gp_test_write_file (files_dir, "running.jpg", "jpeg", 3500, 0);
  scan_running_cli (needles, "sim-wechatpay-v2-hmac", jpeg);
  scan_running_cli (needles, "sim-alipay", jpeg);
  pdf = gp_test_write_file (files_dir, "running.pdf", "pdf", 3501, 0);
  scan_running_cli (needles, "sim-wechatpay-global-cert", pdf);

  for (guint i = 0; i < G_N_ELEMENTS (isolated); i++)
    scanned += scan_dir (needles, isolated[i]);
  for (guint i = 0; i < G_N_ELEMENTS (outer_dirs); i++)
    if (outer_dirs[i] != NULL)
      scanned += scan_dir (needles, outer_dirs[i]);
  g_test_message ("%u files scanned for %u secret strings", scanned, needles->len);
  /* the history file at least, and the keyring the profiles went to */
  g_assert_cmpuint (scanned, >=, 3);
  g_assert_cmpuint (keyrings_seen, >=, 1);

  /* and the search itself works: the simulator's own copy holds them */
  {
    g_autofree char *key = g_build_filename (sim->dir, "wechatpay", "apiclient_key.pem", NULL);
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (key, &data, &len, NULL));
    g_assert_nonnull (find_needle (needles, data, len));
  }
}

int
main (int    argc,
      char **argv)
{
  const char *names[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                          "XDG_STATE_HOME", "XDG_RUNTIME_DIR" };
  int ret;

  /* the wrapper's throwaway dirs (the keyring lives there), before GLib's
   * test isolation hides them */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    outer_dirs[i] = g_strdup (g_getenv (names[i]));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/gatepost/cli/secrets/nowhere", test_no_secret_anywhere);

  sim = gp_test_sim_start (NULL);
  files_dir = g_build_filename (sim->tmp, "files", NULL);
  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);

  ret = g_test_run ();

  gp_test_sim_stop (sim);
  g_free (files_dir);
  return ret;
}
