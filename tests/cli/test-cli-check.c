/* test-cli-check.c: gatepost-cli check, its JSON Lines and exit statuses
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static char *tmpdir;

static const char *
cli_path (void)
{
  static char *path;

  /* meson sets GATEPOST_CLI; a test run by hand from the build tree finds
   * the binary beside it. */
  if (path == NULL && g_getenv ("GATEPOST_CLI") != NULL)
    path = g_strdup (g_getenv ("GATEPOST_CLI"));
  if (path == NULL)
    path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "gatepost-cli", NULL);

  return path;
}

/* Runs gatepost-cli with @argv (NULL-terminated, without the program) and
 * returns its exit status; stdout and stderr are captured. */
static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));

  return g_subprocess_get_exit_status (proc);
}

static char *
write_file (const char *name,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return path;
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_json_lines (void)
{
  static const guint8 jpeg[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
    0xff, 0xd9,
  };
  g_autofree char *good = write_file ("scan.png", jpeg, sizeof jpeg);
  g_autofree char *bad = write_file ("anim.gif", "GIF89a\x01\x00\x01\x00", 10);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *error_obj;
  JsonArray *warnings;
  static const char *contract_order[] = {
    "file", "profile", "gateway", "ok", "media_id", "media_url", "format", "size",
    "sha256", "history_id",
  };
  int status;
  guint i = 0;

  status = run_cli (&out, &err, "check", "--gateway", "wechatpay-v3", "--json", good, bad, NULL);
  g_assert_cmpint (status, ==, 1);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");

  /* The good file: every contract key, in the contract's order. */
  first = parse_line (lines[0]);
  members = json_object_get_members (first);
  for (GList *l = members; l != NULL && i < G_N_ELEMENTS (contract_order); l = l->next, i++)
    g_assert_cmpstr (l->data, ==, contract_order[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (contract_order));
  g_assert_cmpstr (json_object_get_string_member (first, "file"), ==, good);
  g_assert_true (json_object_get_null_member (first, "profile"));
  g_assert_cmpstr (json_object_get_string_member (first, "gateway"), ==, "wechatpay-v3");
  g_assert_true (json_object_get_boolean_member (first, "ok"));
  g_assert_true (json_object_get_null_member (first, "media_id"));
  g_assert_true (json_object_get_null_member (first, "media_url"));
  g_assert_cmpstr (json_object_get_string_member (first, "format"), ==, "jpeg");
  g_assert_cmpint (json_object_get_int_member (first, "size"), ==, sizeof jpeg);
  g_assert_cmpuint (strlen (json_object_get_string_member (first, "sha256")), ==, 64);
  g_assert_true (json_object_get_null_member (first, "history_id"));
  g_assert_false (json_object_has_member (first, "error"));
  warnings = json_object_get_array_member (first, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==,
                   "The name ends in .png but the content is JPEG; it is sent as JPEG");

  /* The refused file, in argument order. */
  second = parse_line (lines[1]);
  g_assert_cmpstr (json_object_get_string_member (second, "file"), ==, bad);
  g_assert_false (json_object_get_boolean_member (second, "ok"));
  g_assert_cmpstr (json_object_get_string_member (second, "format"), ==, "gif");
  error_obj = json_object_get_object_member (second, "error");
  g_assert_cmpstr (json_object_get_string_member (error_obj, "stage"), ==, "check");
  g_assert_cmpstr (json_object_get_string_member (error_obj, "code"), ==, "FORMAT_NOT_ALLOWED");
  g_assert_cmpstr (json_object_get_string_member (error_obj, "message"), ==,
                   "GIF files are not accepted by WeChat Pay v3, which takes "
                   "JPEG (2 MiB), PNG (2 MiB), BMP (2 MiB)");
}

static void
test_all_ok_exit_zero (void)
{
  g_autofree char *pdf = write_file ("licence.pdf", "%PDF-1.4\n%%EOF\n", 15);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) obj = NULL;

  g_assert_cmpint (run_cli (&out, &err, "check", "--gateway", "wechatpay-global", "--json", pdf,
                            NULL), ==, 0);
  obj = parse_line (out);
  g_assert_true (json_object_get_boolean_member (obj, "ok"));
  g_assert_cmpstr (json_object_get_string_member (obj, "format"), ==, "pdf");
  g_assert_cmpstr (err, ==, "");
}

static void
test_unknown_format_null (void)
{
  g_autofree char *txt = write_file ("readme.txt", "plain text", 10);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *error_obj;

  g_assert_cmpint (run_cli (&out, &err, "check", "-g", "alipay", "--json", txt, NULL), ==, 1);
  obj = parse_line (out);
  g_assert_true (json_object_get_null_member (obj, "format"));
  error_obj = json_object_get_object_member (obj, "error");
  g_assert_cmpstr (json_object_get_string_member (error_obj, "code"), ==, "UNKNOWN_FORMAT");
}

static void
test_text_output (void)
{
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 4, 0, 0, 0, 3, 8, 2, 0, 0, 0,
  };
  g_autofree char *path = write_file ("shop.png", png, sizeof png);
  g_autofree char *empty = write_file ("empty.png", "", 0);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, png, sizeof png);

  g_assert_cmpint (run_cli (&out, &err, "check", "--gateway", "alipay", path, empty, NULL), ==, 1);
  expected = g_strdup_printf ("%s: OK, PNG, 29 bytes (limit 5 MiB), 4×3\n"
                              "  sha256 %s\n"
                              "%s: refused\n"
                              "  EMPTY_FILE: The file is empty (0 bytes)\n",
                              path, sha256, empty);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_usage_errors (void)
{
  g_autofree char *path = write_file ("x.jpg", "\xff\xd8\xff", 3);
  struct { const char *args[6]; const char *needle; } cases[] = {
    { { "check", "--gateway", "alipay", NULL }, "no files given" },
    { { "check", path, NULL }, "--gateway" },
    { { "check", "--gateway", "paypal", path, NULL }, "unknown gateway “paypal”" },
    { { "check", "--bogus", path, NULL }, "Unknown option --bogus" },
    { { "frobnicate", NULL }, "unknown command" },
    { { NULL }, "Usage:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char **a = cases[i].args;
      int status = run_cli (&out, &err, a[0], a[0] ? a[1] : NULL, a[0] && a[1] ? a[2] : NULL,
                            a[0] && a[1] && a[2] ? a[3] : NULL,
                            a[0] && a[1] && a[2] && a[3] ? a[4] : NULL, NULL);

      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].needle));
    }
}

static void
test_help (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "check"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "check", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--gateway"));
  g_assert_nonnull (strstr (out, "--json"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("gatepost-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/gatepost/cli/check/json-lines", test_json_lines);
  g_test_add_func ("/gatepost/cli/check/all-ok", test_all_ok_exit_zero);
  g_test_add_func ("/gatepost/cli/check/unknown-format", test_unknown_format_null);
  g_test_add_func ("/gatepost/cli/check/text-output", test_text_output);
  g_test_add_func ("/gatepost/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/gatepost/cli/help", test_help);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }

  return ret;
}
