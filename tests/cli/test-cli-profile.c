/* test-cli-profile.c: gatepost-cli profile import|list|show|remove on the real keyring
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/headless-run.sh: a private D-Bus session with an unlocked
 * gnome-keyring and throwaway HOME/XDG dirs. The test that locks the keyring
 * runs last.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

static char *tmpdir;
static char *keys_dir;
static GKeyFile *expected;
/* The wrapper's throwaway dirs, as they were before test isolation. */
static char *outer_home;
static GPtrArray *outer_dirs;

static const char *
cli_path (void)
{
  static char *path;

  if (path == NULL && g_getenv ("GATEPOST_CLI") != NULL)
    path = g_strdup (g_getenv ("GATEPOST_CLI"));
  if (path == NULL)
    path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "gatepost-cli", NULL);

  return path;
}

typedef struct
{
  const char  *cwd;
  const char  *stdin_text;
  const char  *bus;      /* DBUS_SESSION_BUS_ADDRESS override */
} RunOptions;

/* Runs gatepost-cli under `timeout 60`, so a hang fails the test instead
 * of stalling it, and returns its exit status. */
static int
run_cli_full (const RunOptions  *options,
              char             **out,
              char             **err,
              const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  int status;

  if (options != NULL && options->stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  if (options != NULL && options->cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, options->cwd);
  if (options != NULL && options->bus != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", options->bus, TRUE);

  g_ptr_array_add (args, (char *) "timeout");
  g_ptr_array_add (args, (char *) "60");
  g_ptr_array_add (args, (char *) cli_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, options ? options->stdin_text : NULL, NULL, out, err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  status = g_subprocess_get_exit_status (proc);
  g_assert_cmpint (status, !=, 124);   /* timeout(1): the CLI hung */

  return status;
}

static int
run_cli (char       **out,
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

  return run_cli_full (NULL, out, err, (const char * const *) args->pdata);
}

static char *
slurp (const char *name)
{
  g_autofree char *path = g_build_filename (keys_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);

  return data;
}

static char *
expect (const char *group,
        const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (expected, group, key, &error);

  g_assert_no_error (error);

  return value;
}

/* Writes a profile file from key/value pairs; returns its path. */
static char *
write_profile (const char          *file,
               const char * const  *kv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *path = g_build_filename (tmpdir, file, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; kv[i] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, kv[i]);
      json_builder_add_string_value (builder, kv[i + 1]);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
import_ok (const char * const *kv,
           const char         *expected_line)
{
  g_autofree char *path = write_profile ("profile.json", kv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_cli (&out, &err, "profile", "import", path, NULL);

  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected_line);
}

static JsonObject *
parse_object (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
show_json (const char *name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "profile", "show", name, "--json", NULL), ==, 0);
  g_assert_nonnull (strchr (out, '\n'));
  g_assert_null (strchr (out, '\n') + 1 == out + strlen (out) ? NULL : "more than one line");

  return parse_object (out);
}

static void
remove_ok (const char *name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = g_strdup_printf ("Removed profile “%s”\n", name);

  g_assert_cmpint (run_cli (&out, &err, "profile", "remove", name, NULL), ==, 0);
  g_assert_cmpstr (out, ==, line);
}

/* Secrets --------------------------------------------------------------------------------- */

/* Every string that would give a secret away: each key's bare base64, the
 * body of each PEM (joined and line by line), the API key, the PKCS#12 and
 * its password. */
static GPtrArray *
secret_needles (void)
{
  static const char *pems[] = {
    "app.pkcs1.pem", "app.pkcs8.pem", "client.key.pem", "alipay.key.pem", "platform.key.pem",
  };
  static const char *b64s[] = {
    "app.pkcs1.b64", "app.pkcs8.b64", "client.p12.b64", "client-mchid.p12.b64",
  };
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (pems); i++)
    {
      g_autofree char *pem = slurp (pems[i]);
      g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
      GString *body = g_string_new (NULL);

      for (guint l = 0; lines[l] != NULL; l++)
        if (!g_str_has_prefix (lines[l], "-----") && *lines[l] != '\0')
          {
            g_string_append (body, lines[l]);
            g_ptr_array_add (needles, g_strdup (lines[l]));
          }
      g_ptr_array_add (needles, g_string_free (body, FALSE));
    }
  for (guint i = 0; i < G_N_ELEMENTS (b64s); i++)
    {
      char *b64 = slurp (b64s[i]);

      g_strstrip (b64);
      g_ptr_array_add (needles, b64);
      g_ptr_array_add (needles, g_strndup (b64 + 100, 60));
    }
  g_ptr_array_add (needles, g_strdup ("192006250b4c09247ec02edce69f6a2d"));
  g_ptr_array_add (needles, g_strdup ("p12-secret"));

  return needles;
}

static void
assert_no_secret (const char *text,
                  GPtrArray  *needles,
                  const char *where)
{
  for (guint i = 0; i < needles->len; i++)
    if (strstr (text, g_ptr_array_index (needles, i)) != NULL)
      g_error ("a secret (needle %u) appears in %s", i, where);
}

/* Profiles of every gateway in every key format ------------------------------------------ */

static const char *alipay_privates[] = {
  "keys/app.pkcs1.pem", "keys/app.pkcs8.pem", "keys/app.pkcs1.b64", "keys/app.pkcs8.b64",
  "keys/app.pkcs8.crlf.pem",
};
static const char *alipay_publics[] = {
  "keys/alipay.pub.pem", "keys/alipay.pub.b64", "keys/alipay.rsapub.pem",
};

static void
import_all_gateways (void)
{
  g_autofree char *p12_b64 = slurp ("client.p12.b64");
  g_autofree char *cert_pem = slurp ("platform.pem");
  g_autofree char *app_pkcs1 = slurp ("app.pkcs1.pem");
  const char *v2_pair[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key", "192006250b4c09247ec02edce69f6a2d", "client_cert_file", "keys/soon.pem",
    "client_key_file", "keys/client.key.pem", "ca_file", "keys/ca.pem", NULL
  };
  const char *v2_p12[] = {
    "name", "Shop B2", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key", "192006250b4c09247ec02edce69f6a2d", "sign_type", "HMAC-SHA256",
    "client_p12", p12_b64, "client_p12_password", "p12-secret", NULL
  };
  const char *v2_p12_default[] = {
    "name", "Shop B3", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key", "192006250b4c09247ec02edce69f6a2d", "client_p12_file", "keys/client-mchid.p12",
    NULL
  };
  const char *v2_expired[] = {
    "name", "Shop B4", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key", "192006250b4c09247ec02edce69f6a2d", "client_cert_file", "keys/expired.pem",
    "client_key_file", "keys/client.key.pem", NULL
  };
  const char *v3[] = {
    "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109",
    "serial_no", "5157f09efdf526ae", "private_key", app_pkcs1,
    "platform_certificate", cert_pem, "base_url", "https://127.0.0.1:8443", NULL
  };
  const char *global[] = {
    "name", "Shop D", "gateway", "wechatpay-global", "mch_id", "1900000109",
    "serial_no", "5157F09EFDF526AE", "private_key_file", "keys/app.pkcs8.b64",
    "platform_public_key_file", "keys/platform.pub.pem",
    "platform_serial", "PUB_KEY_ID_0000000000000024101100397200000006", NULL
  };

  /* Alipay in every private and public key format, from files and inline;
   * each import replaces the last. */
  for (guint i = 0; i < G_N_ELEMENTS (alipay_privates); i++)
    {
      const char *pub = alipay_publics[i % G_N_ELEMENTS (alipay_publics)];
      g_autofree char *priv_text = slurp (alipay_privates[i] + strlen ("keys/"));
      g_autofree char *pub_text = slurp (pub + strlen ("keys/"));
      const char *files[] = {
        "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001",
        "private_key_file", alipay_privates[i], "alipay_public_key_file", pub, NULL
      };
      const char *inlined[] = {
        "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001",
        "private_key", priv_text, "alipay_public_key", pub_text, NULL
      };

      g_test_message ("alipay: %s + %s", alipay_privates[i], pub);
      import_ok (files, i == 0 ? "Imported profile “Shop A” (alipay)\n"
                               : "Replaced profile “Shop A” (alipay); its id is kept\n");
      import_ok (inlined, "Replaced profile “Shop A” (alipay); its id is kept\n");
    }

  /* v3 and Global with the merchant key in every format too. */
  for (guint i = 0; i < G_N_ELEMENTS (alipay_privates); i++)
    {
      g_autofree char *priv_text = slurp (alipay_privates[i] + strlen ("keys/"));
      const char *v3_files[] = {
        "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109",
        "serial_no", "5157F09EFDF526AE", "private_key_file", alipay_privates[i],
        "platform_certificate_file", "keys/platform.pem", NULL
      };
      const char *global_inline[] = {
        "name", "Shop D", "gateway", "wechatpay-global", "mch_id", "1900000109",
        "serial_no", "5157F09EFDF526AE", "private_key", priv_text,
        "platform_public_key_file", "keys/platform.pub.pem", "platform_serial", "PUB_KEY_ID_1",
        NULL
      };

      import_ok (v3_files, i == 0 ? "Imported profile “Shop C” (wechatpay-v3)\n"
                                  : "Replaced profile “Shop C” (wechatpay-v3); its id is kept\n");
      import_ok (global_inline,
                 i == 0 ? "Imported profile “Shop D” (wechatpay-global)\n"
                        : "Replaced profile “Shop D” (wechatpay-global); its id is kept\n");
    }

  import_ok (v2_pair, "Imported profile “Shop B” (wechatpay-v2)\n");
  import_ok (v2_p12, "Imported profile “Shop B2” (wechatpay-v2)\n");
  import_ok (v2_p12_default, "Imported profile “Shop B3” (wechatpay-v2)\n");
  import_ok (v2_expired, "Imported profile “Shop B4” (wechatpay-v2)\n");
  import_ok (v3, "Replaced profile “Shop C” (wechatpay-v3); its id is kept\n");
  import_ok (global, "Replaced profile “Shop D” (wechatpay-global); its id is kept\n");
}

static void
remove_all (void)
{
  static const char *names[] = {
    "Shop A", "Shop B", "Shop B2", "Shop B3", "Shop B4", "Shop C", "Shop D",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    remove_ok (names[i]);
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) needles = secret_needles ();
  static const char *names[] = {
    "Shop A", "Shop B", "Shop B2", "Shop B3", "Shop B4", "Shop C", "Shop D",
  };
  static const char *gateways[] = {
    "alipay", "wechatpay-v2", "wechatpay-v2", "wechatpay-v2", "wechatpay-v2", "wechatpay-v3",
    "wechatpay-global",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(JsonObject) d = NULL;
  g_autofree char *app_fp = expect ("fingerprint", "app");
  g_autofree char *alipay_fp = expect ("fingerprint", "alipay");
  g_autofree char *platform_fp = expect ("fingerprint", "platform");
  g_autofree char *platform_serial = expect ("serial", "platform");
  JsonObject *keys;
  JsonObject *cert;

  import_all_gateways ();

  /* list --json: every profile, sorted by name. */
  g_assert_cmpint (run_cli (&out, &err, "profile", "list", "--json", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (names) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonObject) o = parse_object (lines[i]);

      g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (o, "gateway"), ==, gateways[i]);
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "id")));
    }
  assert_no_secret (out, needles, "list --json");
  assert_no_secret (err, needles, "list --json stderr");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "profile", "list", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Shop A\talipay\thttps://openapi.alipay.com\n"));
  g_assert_nonnull (strstr (out, "Shop C\twechatpay-v3\thttps://127.0.0.1:8443\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* show: fingerprints and serials as openssl computed them; never a secret. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpint (run_cli (&out, &err, "profile", "show", names[i], NULL), ==, 0);
      g_assert_true (g_str_has_prefix (out, names[i]));
      assert_no_secret (out, needles, names[i]);
      assert_no_secret (err, needles, names[i]);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&out, &err, "profile", "show", names[i], "--json", NULL), ==, 0);
      assert_no_secret (out, needles, names[i]);
      assert_no_secret (err, needles, names[i]);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  a = show_json ("Shop A");
  keys = json_object_get_object_member (a, "keys");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (keys, "private_key"), "sha256"), ==, app_fp);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (keys, "alipay_public_key"), "sha256"), ==,
                   alipay_fp);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (a, "fields"), "app_id"), ==,
                   "2021000000000001");

  c = show_json ("Shop C");
  g_assert_cmpstr (json_object_get_string_member (c, "verify_serial"), ==, platform_serial);
  g_assert_cmpstr (json_object_get_string_member (c, "base_url"), ==, "https://127.0.0.1:8443");
  cert = json_object_get_object_member (json_object_get_object_member (c, "certificates"),
                                        "platform_certificate");
  g_assert_cmpstr (json_object_get_string_member (cert, "serial"), ==, platform_serial);
  g_assert_cmpstr (json_object_get_string_member (cert, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (c, "fields"), "serial_no"), ==,
                   "5157F09EFDF526AE");

  d = show_json ("Shop D");
  g_assert_cmpstr (json_object_get_string_member (d, "verify_serial"), ==,
                   "PUB_KEY_ID_0000000000000024101100397200000006");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (d, "keys"),
                                                    "platform_public_key"), "sha256"), ==,
                   platform_fp);

  remove_all ();
  g_assert_cmpint (run_cli (&out, &err, "profile", "list", "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
}

static void
test_replace_keeps_id (void)
{
  const char *first[] = {
    "name", "Shop R", "gateway", "alipay", "app_id", "1", "private_key_file",
    "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL
  };
  const char *second[] = {
    "name", "Shop R", "gateway", "wechatpay-global", "mch_id", "2", "serial_no", "AB",
    "private_key_file", "keys/app.pkcs8.pem", "platform_certificate_file", "keys/platform.pem",
    NULL
  };
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  import_ok (first, "Imported profile “Shop R” (alipay)\n");
  before = show_json ("Shop R");
  import_ok (second, "Replaced profile “Shop R” (wechatpay-global); its id is kept\n");
  after = show_json ("Shop R");
  g_assert_cmpstr (json_object_get_string_member (before, "id"), ==,
                   json_object_get_string_member (after, "id"));
  g_assert_cmpstr (json_object_get_string_member (after, "gateway"), ==, "wechatpay-global");

  /* One item, not two. */
  g_assert_cmpint (run_cli (&out, &err, "profile", "list", "--json", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);

  remove_ok ("Shop R");
}

static void
test_stdin_relative_to_cwd (void)
{
  const char *kv[] = {
    "name", "Shop S", "gateway", "alipay", "app_id", "1", "private_key_file",
    "keys/app.pkcs1.b64", "alipay_public_key_file", "keys/alipay.pub.b64", NULL
  };
  g_autofree char *path = write_profile ("stdin.json", kv);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "profile", "import", "-", NULL };
  RunOptions in_tmp = { tmpdir, NULL, NULL };
  RunOptions in_keys = { keys_dir, NULL, NULL };

  g_file_get_contents (path, &text, NULL, NULL);
  in_tmp.stdin_text = text;
  in_keys.stdin_text = text;

  /* From keys/ itself, "keys/app.pkcs1.b64" does not exist. */
  g_assert_cmpint (run_cli_full (&in_keys, &out, &err, argv), ==, 2);
  g_test_message ("%s", err);
  g_assert_true (g_str_has_prefix (err, "gatepost-cli: -: field “private_key_file”: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli_full (&in_tmp, &out, &err, argv), ==, 0);
  g_assert_cmpstr (out, ==, "Imported profile “Shop S” (alipay)\n");
  remove_ok ("Shop S");
}

static void
test_import_refused (void)
{
  static const struct {
    const char *kv[16];
    const char *message;
  } cases[] = {
    { { "name", "X", "gateway", "paypal", NULL },
      "field “gateway”: unknown gateway “paypal”; expected alipay, wechatpay-v2, wechatpay-v3 "
      "or wechatpay-global" },
    { { "name", "X", "gateway", "alipay", "app_id", "1", "private_key_file",
        "keys/weak1024.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL },
      "field “private_key_file”: an RSA key of 1024 bits is too short: at least 2048 bits are "
      "required" },
    { { "name", "X", "gateway", "alipay", "app_id", "1", "private_key_file",
        "keys/encrypted.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL },
      "field “private_key_file”: the key is encrypted with a passphrase, which Gatepost does "
      "not store; decrypt it first (openssl pkey -in KEY -out PLAIN-KEY)" },
    { { "name", "X", "gateway", "alipay", "app_id", "1", "private_key_file",
        "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/app.pub.pem", NULL },
      "field “alipay_public_key_file”: this is the app's own public key (it verifies a "
      "signature made with “private_key”); use the Alipay public key shown for the app on the "
      "Alipay open platform" },
    { { "name", "X", "gateway", "alipay", "app_id", "1", "private_key_file",
        "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/alipay.pub.pem", "base_url",
        "http://127.0.0.1:8443", NULL },
      "field “base_url”: plain http is refused; use https://host[:port]" },
    { { "name", "X", "gateway", "wechatpay-v2", "mch_id", "1", "api_key", "k", "client_p12_file",
        "keys/client.p12", "oops", "1", NULL },
      "unknown field “oops” for gateway wechatpay-v2" },
  };
  g_autoptr(GPtrArray) needles = secret_needles ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_profile ("bad.json", cases[i].kv);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *line = g_strdup_printf ("gatepost-cli: %s: %s\n", path, cases[i].message);

      g_assert_cmpint (run_cli (&out, &err, "profile", "import", path, NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, line);
      assert_no_secret (err, needles, "an import error");
    }

  {
    g_autofree char *path = g_build_filename (tmpdir, "broken.json", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_file_set_contents (path, "{\"name\": ", -1, NULL);
    g_assert_cmpint (run_cli (&out, &err, "profile", "import", path, NULL), ==, 2);
    g_assert_nonnull (strstr (err, ": the profile is not valid JSON (line 1, "));
  }
}

static void
test_unknown_profile (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *file = g_build_filename (keys_dir, "ca.pem", NULL);

  g_assert_cmpint (run_cli (&out, &err, "profile", "show", "Nobody", NULL), ==, 2);
  g_assert_cmpstr (err, ==,
                   "gatepost-cli: There is no profile named “Nobody”: see “gatepost-cli "
                   "profile list”\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "profile", "remove", "Nobody", NULL), ==, 2);
  g_assert_cmpstr (err, ==,
                   "gatepost-cli: There is no profile named “Nobody”: see “gatepost-cli "
                   "profile list”\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "check", "--profile", "Nobody", file, NULL), ==, 2);
  g_assert_cmpstr (err, ==,
                   "gatepost-cli: There is no profile named “Nobody”: see “gatepost-cli "
                   "profile list”\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "profile", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "profile", "frobnicate", NULL), ==, 2);
  g_assert_true (g_str_has_prefix (err, "gatepost-cli: unknown profile command “frobnicate”"));
}

static void
test_check_profile (void)
{
  static const guint8 jpeg[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
    0xff, 0xd9,
  };
  const char *kv[] = {
    "name", "Shop Check", "gateway", "wechatpay-global", "mch_id", "2", "serial_no", "AB",
    "private_key_file", "keys/app.pkcs8.pem", "platform_certificate_file", "keys/platform.pem",
    NULL
  };
  g_autofree char *image = g_build_filename (tmpdir, "scan.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) result = NULL;

  g_file_set_contents (image, (const char *) jpeg, sizeof jpeg, NULL);
  import_ok (kv, "Imported profile “Shop Check” (wechatpay-global)\n");
  g_assert_cmpint (run_cli (&out, &err, "check", "--profile", "Shop Check", "--json", image,
                            NULL), ==, 0);
  result = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (result, "profile"), ==, "Shop Check");
  g_assert_cmpstr (json_object_get_string_member (result, "gateway"), ==, "wechatpay-global");
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "check", "--profile", "Shop Check", "--gateway",
                            "alipay", image, NULL), ==, 2);
  remove_ok ("Shop Check");
}

/* A client certificate for keys/client.key.pem that expires in ten days,
 * issued now with the openssl CLI, so the "expires soon" path is covered
 * whatever the date (a committed fixture would expire itself). */
static char *
issue_soon_certificate (void)
{
  g_autofree char *csr = g_build_filename (tmpdir, "soon.csr", NULL);
  g_autofree char *key = g_build_filename (keys_dir, "client.key.pem", NULL);
  g_autofree char *ca = g_build_filename (keys_dir, "ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (keys_dir, "ca.key.pem", NULL);
  char *cert = g_build_filename (tmpdir, "soon-now.pem", NULL);
  const char *req[] = { "openssl", "req", "-new", "-key", key, "-subj", "/CN=Gatepost soon",
                        "-out", csr, NULL };
  const char *x509[] = { "openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                         "-days", "10", "-set_serial", "0x5005", "-out", cert, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) req, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_spawn_sync (NULL, (char **) x509, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return cert;
}

static void
test_expiry (void)
{
  g_autofree char *soon_cert = issue_soon_certificate ();
  const char *soon[] = {
    "name", "Shop Soon", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", "k",
    "client_cert_file", soon_cert, "client_key_file", "keys/client.key.pem", NULL
  };
  const char *expired[] = {
    "name", "Shop Old", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", "k",
    "client_cert_file", "keys/expired.pem", "client_key_file", "keys/client.key.pem", NULL
  };
  g_autofree char *soon_serial = expect ("serial", "soon");
  g_autofree char *expired_serial = expect ("serial", "expired");
  g_autofree char *path = write_profile ("soon.json", soon);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) old = NULL;
  JsonObject *cert;

  g_assert_cmpint (run_cli (&out, &err, "profile", "import", path, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "warning: the client certificate of profile "
                                        "“Shop Soon” expires on "));
  g_assert_nonnull (strstr (err, "renew it before then\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "profile", "show", "Shop Soon", NULL), ==, 0);
  g_assert_nonnull (strstr (out, soon_serial));
  g_assert_nonnull (strstr (out, "renew it soon"));
  g_assert_nonnull (strstr (err, "renew it before then"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  import_ok (expired, "Imported profile “Shop Old” (wechatpay-v2)\n");
  g_assert_cmpint (run_cli (&out, &err, "profile", "show", "Shop Old", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "client_cert"));
  g_assert_nonnull (strstr (out, "EXPIRED on 2021-01-01"));
  g_assert_cmpstr (err, ==,
                   "warning: the client certificate of profile “Shop Old” expired on "
                   "2021-01-01: the gateway will refuse it; renew it and import the profile "
                   "again\n");
  old = show_json ("Shop Old");
  cert = json_object_get_object_member (json_object_get_object_member (old, "certificates"),
                                        "client_cert");
  g_assert_cmpstr (json_object_get_string_member (cert, "status"), ==, "expired");
  g_assert_cmpstr (json_object_get_string_member (cert, "serial"), ==, expired_serial);
  g_assert_cmpstr (json_object_get_string_member (cert, "not_after"), ==,
                   "2021-01-01T00:00:00Z");

  remove_ok ("Shop Soon");
  remove_ok ("Shop Old");
}

/* Nothing on disk ------------------------------------------------------------------------ */

/* Returns the first regular file under @dir that holds a needle. */
static char *
scan_dir (const char *dir,
          GPtrArray  *needles,
          guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *found = scan_dir (path, needles, n_files);

          if (found != NULL)
            return found;
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      /* gnome-keyring's own encrypted keyring files are the one exception. */
      if (g_str_has_suffix (path, ".keyring") && strstr (path, "/keyrings/") != NULL)
        continue;
      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      (*n_files)++;
      for (guint i = 0; i < needles->len; i++)
        {
          const char *needle = g_ptr_array_index (needles, i);

          if (memmem (contents, len, needle, strlen (needle)) != NULL)
            return g_steal_pointer (&path);
        }
    }

  return NULL;
}

static void
test_nothing_on_disk (void)
{
  g_autoptr(GPtrArray) needles = secret_needles ();
  static const char *vars[] = {
    "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
    "XDG_STATE_HOME",
  };
  g_autofree char *keyring_dir = NULL;
  g_autofree char *canary_root = NULL;
  g_autofree char *canary_dir = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *found = NULL;
  guint n_files = 0;

  /* The scan does find key material where there is some. */
  canary_root = g_dir_make_tmp ("gatepost-canary-XXXXXX", NULL);
  canary_dir = g_build_filename (canary_root, "deep", NULL);
  g_assert_cmpint (g_mkdir_with_parents (canary_dir, 0700), ==, 0);
  canary = g_build_filename (canary_dir, "leak.txt", NULL);
  g_file_set_contents (canary, g_ptr_array_index (needles, 3), -1, NULL);
  found = scan_dir (canary_root, needles, &n_files);
  g_assert_cmpstr (found, ==, canary);
  g_unlink (canary);
  g_rmdir (canary_dir);
  g_rmdir (canary_root);
  g_clear_pointer (&found, g_free);
  n_files = 0;

  import_all_gateways ();

  /* The dirs the CLI saw (this test's isolated ones) and the wrapper's. */
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      {
        found = scan_dir (g_getenv (vars[i]), needles, &n_files);
        g_assert_cmpstr (found, ==, NULL);
      }
  for (guint i = 0; i < outer_dirs->len; i++)
    {
      found = scan_dir (g_ptr_array_index (outer_dirs, i), needles, &n_files);
      g_assert_cmpstr (found, ==, NULL);
    }

  /* The keyring did write something, and only in its own file. */
  for (guint i = 0; i < outer_dirs->len; i++)
    {
      g_autofree char *candidate = g_build_filename (g_ptr_array_index (outer_dirs, i),
                                                     "keyrings", "login.keyring", NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        keyring_dir = g_steal_pointer (&candidate);
    }
  g_test_message ("scanned %u files; keyring file %s", n_files,
                  keyring_dir ? keyring_dir : "(none)");
  g_assert_nonnull (keyring_dir);

  remove_all ();
}

/* Keyring failures ----------------------------------------------------------------------- */

static void
test_no_bus (void)
{
  const char *argv[] = { "profile", "list", NULL };
  RunOptions options = { NULL, NULL, "unix:path=/nonexistent/gatepost-test-bus" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (run_cli_full (&options, &out, &err, argv), ==, 2);
  g_assert_true (g_str_has_prefix (err, "gatepost-cli: No keyring is available: start a Secret "
                                        "Service such as gnome-keyring (for example by logging "
                                        "in to the desktop) and try again ("));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_bus_without_keyring (void)
{
  g_autofree char *config = g_build_filename (tmpdir, "bus.conf", NULL);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *text = g_strdup_printf (
    "<busconfig><type>session</type><listen>unix:dir=%s</listen>"
    "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
    "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>", tmpdir);
  const char *names[] = { "list", "show", "import" };

  /* A session bus with no service files: nothing can provide the secrets. */
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "dbus-daemon", "--nofork", "--print-address=1",
                             "--config-file", config, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *profile = g_build_filename (keys_dir, "..", "..", "meson.build", NULL);
      const char *argv[] = { "profile", names[i], i == 2 ? profile : "Shop A", NULL };
      const char *list_argv[] = { "profile", "list", NULL };
      RunOptions options = { NULL, NULL, address };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (i == 2)
        {
          const char *kv[] = {
            "name", "Shop N", "gateway", "alipay", "app_id", "1", "private_key_file",
            "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL
          };
          g_autofree char *path = write_profile ("nobus.json", kv);

          argv[2] = path;
          g_assert_cmpint (run_cli_full (&options, &out, &err, argv), ==, 2);
        }
      else
        g_assert_cmpint (run_cli_full (&options, &out, &err, i == 0 ? list_argv : argv), ==, 2);
      g_assert_true (g_str_has_prefix (err, "gatepost-cli: No keyring is available: "));
    }

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

/* A session bus of its own, where the Secret Service must first be started
 * and has no keyring yet: the call waits (on activation, then on a "new
 * keyring" prompt nobody answers). The CLI gives up after
 * GATEPOST_KEYRING_TIMEOUT seconds instead of waiting on. */
static void
test_prompt_times_out (void)
{
  const char *kv[] = {
    "name", "Shop P", "gateway", "alipay", "app_id", "1", "private_key_file",
    "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL
  };
  g_autofree char *path = write_profile ("prompt.json", kv);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GATEPOST_KEYRING_TIMEOUT", "2", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "timeout", "60", "dbus-run-session",
                                      "--", cli_path (), "profile", "import", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%s (%.1f s)", err, elapsed / (double) G_USEC_PER_SEC);

  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, "gatepost-cli: The keyring did not answer within 2 seconds "
                                 "(is it waiting for a password?): unlock it (for example by "
                                 "logging in to the desktop) and try again\n"));
  g_assert_cmpint (elapsed, <, 20 * G_USEC_PER_SEC);
}

/* Locks the default collection through libsecret; only a prompt could unlock it
 * again, so this runs last. */
static void
test_locked (void)
{
  const char *kv[] = {
    "name", "Shop L", "gateway", "alipay", "app_id", "1", "private_key_file",
    "keys/app.pkcs8.pem", "alipay_public_key_file", "keys/alipay.pub.pem", NULL
  };
  g_autofree char *path = write_profile ("locked.json", kv);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;
  static const char *locked =
    "gatepost-cli: The keyring is locked: unlock it (for example by logging in to the desktop) "
    "and try again";

  import_ok (kv, "Imported profile “Shop L” (alipay)\n");

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  {
    const char *list[] = { "profile", "list", NULL };
    const char *show[] = { "profile", "show", "Shop L", NULL };
    const char *remove[] = { "profile", "remove", "Shop L", NULL };
    const char *import[] = { "profile", "import", path, NULL };
    const char * const *commands[] = { list, show, remove, import };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;

        g_test_message ("%s", commands[i][1]);
        g_assert_cmpint (run_cli_full (NULL, &out, &err, commands[i]), ==, 2);
        g_assert_true (g_str_has_prefix (err, locked));
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *link = NULL;
  static const char *vars[] = {
    "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
  };
  int ret;

  /* Before isolation replaces them: the dirs the keyring daemon uses. */
  outer_home = g_strdup (g_get_home_dir ());
  outer_dirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (outer_dirs, g_strdup (outer_home));
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      g_ptr_array_add (outer_dirs, g_strdup (g_getenv (vars[i])));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  keys_dir = g_test_build_filename (G_TEST_DIST, "data", "keys", NULL);
  expected = g_key_file_new ();
  ini = g_build_filename (keys_dir, "expected.ini", NULL);
  g_key_file_load_from_file (expected, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  /* Profile files live outside HOME/XDG, with keys/ beside them. */
  tmpdir = g_dir_make_tmp ("gatepost-cli-profile-XXXXXX", &error);
  g_assert_no_error (error);
  link = g_build_filename (tmpdir, "keys", NULL);
  g_assert_cmpint (symlink (keys_dir, link), ==, 0);

  g_test_add_func ("/gatepost/cli/profile/round-trip", test_round_trip);
  g_test_add_func ("/gatepost/cli/profile/replace-keeps-id", test_replace_keeps_id);
  g_test_add_func ("/gatepost/cli/profile/stdin-relative-to-cwd", test_stdin_relative_to_cwd);
  g_test_add_func ("/gatepost/cli/profile/import-refused", test_import_refused);
  g_test_add_func ("/gatepost/cli/profile/unknown-profile", test_unknown_profile);
  g_test_add_func ("/gatepost/cli/profile/check-profile", test_check_profile);
  g_test_add_func ("/gatepost/cli/profile/expiry", test_expiry);
  g_test_add_func ("/gatepost/cli/profile/nothing-on-disk", test_nothing_on_disk);
  g_test_add_func ("/gatepost/cli/profile/no-bus", test_no_bus);
  g_test_add_func ("/gatepost/cli/profile/bus-without-keyring", test_bus_without_keyring);
  g_test_add_func ("/gatepost/cli/profile/prompt-times-out", test_prompt_times_out);
  g_test_add_func ("/gatepost/cli/profile/locked", test_locked);

  ret = g_test_run ();

  g_unlink (link);
  {
    static const char *files[] = {
      "profile.json", "stdin.json", "bad.json", "broken.json", "scan.jpg", "soon.json", "soon-now.pem", "soon.csr",
      "bus.conf", "nobus.json", "locked.json", "prompt.json",
    };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *p = g_build_filename (tmpdir, files[i], NULL);

        g_unlink (p);
      }
  }
  g_rmdir (tmpdir);
  g_key_file_unref (expected);

  return ret;
}
