/* test-cli-history.c: gatepost-cli history and history export
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gatepost-core.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

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

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = g_bytes_get_size (bytes);

  return size > 0 ? g_strndup (g_bytes_get_data (bytes, NULL), size) : g_strdup ("");
}

/* Runs gatepost-cli with the arguments (NULL-terminated) and returns its
 * exit status; stdout comes back as bytes, since the CSV is checked byte
 * for byte. */
static int
run_cli (GBytes **out,
         char   **err,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* GLib's isolated dirs live in this process only (its environment says
   * /dev/null); hand the CLI the same data folder. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  if (g_subprocess_get_exit_status (proc) != 0)
    g_test_message ("stderr: %.*s", (int) g_bytes_get_size (err_bytes),
                    (const char *) g_bytes_get_data (err_bytes, NULL));
  if (err != NULL)
    *err = bytes_to_string (err_bytes);

  return g_subprocess_get_exit_status (proc);
}

static void
sql_exec (const char *sql)
{
  g_autofree char *path = gp_history_dup_default_path ();
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
add_row (GpHistory     *h,
         const char    *profile,
         GpGatewayKind  gateway,
         const char    *path,
         const char    *sha256,
         GpUploadResult *result)
{
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  pending = gp_history_entry_new_pending (profile, profile, gateway, NULL, path, 2048,
                                          GP_FORMAT_JPEG, sha256);
  id = gp_history_begin_sync (h, pending, NULL, &error);
  g_assert_no_error (error);
  if (result != NULL)
    {
      gp_history_complete_sync (h, id, result, NULL, &error);
      g_assert_no_error (error);
    }

  return id;
}

/* Rows 1..3, with fixed times; row 3 stays pending in this (live) process.
 * The history stays open, as the GUI's would while the CLI runs. */
static GpHistory *
fill (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpUploadResult) ok = gp_upload_result_new_success ("A3F9xyz", NULL);
  g_autoptr(GpUploadResult) bad = gp_upload_result_new_failure (GP_STAGE_GATEWAY, "SIGN_ERROR",
                                                                "错误的签名, \"验签\"失败");
  GpHistory *h = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);

  g_assert_no_error (error);
  gp_upload_result_set_duration_ms (ok, 40);
  gp_upload_result_set_duration_ms (bad, 41);
  add_row (h, "Shop A", GP_GATEWAY_ALIPAY, "/m/营业执照,正本.jpg", SHA_A, ok);
  add_row (h, "Shop B", GP_GATEWAY_WECHATPAY_V3, "/m/shop\nfront.jpg", SHA_B, bad);
  add_row (h, "Shop A", GP_GATEWAY_ALIPAY, "/m/门头.jpg", SHA_C, NULL);
  sql_exec ("UPDATE uploads SET time_us = 1700000000000000 + id * 1000000");

  return h;
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

/* The ids of `history --json ARGS…` output, as "3,2,1". */
static char *
json_ids (GBytes *out)
{
  g_autofree char *text = bytes_to_string (out);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autoptr(JsonObject) o = parse_object (lines[i]);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 0 ? "," : "",
                              json_object_get_int_member (o, "id"));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
test_list_json (void)
{
  g_autoptr(GpHistory) h = fill ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ids = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(GList) members = NULL;
  static const char * const keys[] = {
    "id", "time", "profile", "profile_id", "gateway", "file", "filename", "size", "format",
    "sha256", "status", "stage", "code", "message", "attempts", "duration_ms", "media_id",
    "media_url",
  };
  guint i = 0;

  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", NULL), ==, 0);
  text = bytes_to_string (out);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* three lines and the final "" */
  g_assert_cmpstr (lines[3], ==, "");

  /* Newest first; the pending row of this live process was not swept. */
  o = parse_object (lines[0]);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
  g_assert_true (json_object_get_null_member (o, "duration_ms"));
  g_clear_pointer (&o, json_object_unref);

  o = parse_object (lines[1]);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (o, "stage"), ==, "gateway");
  g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "SIGN_ERROR");
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "错误的签名, \"验签\"失败");
  g_assert_cmpstr (json_object_get_string_member (o, "filename"), ==, "shop\nfront.jpg");
  g_clear_pointer (&o, json_object_unref);

  o = parse_object (lines[2]);
  members = json_object_get_members (o);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (keys));
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, keys[i]);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "time"), ==, "2023-11-14T22:13:21Z");
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "Shop A");
  g_assert_cmpstr (json_object_get_string_member (o, "profile_id"), ==, "Shop A");
  g_assert_cmpstr (json_object_get_string_member (o, "gateway"), ==, "alipay");
  g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, "/m/营业执照,正本.jpg");
  g_assert_cmpstr (json_object_get_string_member (o, "filename"), ==, "营业执照,正本.jpg");
  g_assert_cmpint (json_object_get_int_member (o, "size"), ==, 2048);
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "jpeg");
  g_assert_cmpstr (json_object_get_string_member (o, "sha256"), ==, SHA_A);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "succeeded");
  g_assert_true (json_object_get_null_member (o, "stage"));
  g_assert_cmpint (json_object_get_int_member (o, "attempts"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "duration_ms"), ==, 40);
  g_assert_cmpstr (json_object_get_string_member (o, "media_id"), ==, "A3F9xyz");
  g_assert_true (json_object_get_null_member (o, "media_url"));

  /* Filters. */
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", "--search", "执照", NULL), ==, 0);
  ids = json_ids (out);
  g_assert_cmpstr (ids, ==, "1");
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", "--search", "3f9X", NULL), ==, 0);
  ids = json_ids (out);
  g_assert_cmpstr (ids, ==, "1");
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", "--profile", "Shop A", NULL), ==, 0);
  ids = json_ids (out);
  g_assert_cmpstr (ids, ==, "3,1");
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", "--limit", "2", NULL), ==, 0);
  ids = json_ids (out);
  g_assert_cmpstr (ids, ==, "3,2");
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", "--search", "\" OR *", NULL), ==, 0);
  ids = json_ids (out);
  g_assert_cmpstr (ids, ==, "");
}

static void
test_list_text (void)
{
  g_autoptr(GpHistory) h = fill ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  const char *row1, *row2, *row3;

  g_assert_cmpint (run_cli (&out, NULL, "history", NULL), ==, 0);
  text = bytes_to_string (out);
  row3 = strstr (text, "#3 ");
  row2 = strstr (text, "#2 ");
  row1 = strstr (text, "#1 ");
  g_assert_nonnull (row3);
  g_assert_nonnull (row2);
  g_assert_nonnull (row1);
  g_assert_true (row3 < row2 && row2 < row1);
  g_assert_nonnull (strstr (row1, "2023-11-14T22:13:21Z"));
  g_assert_nonnull (strstr (row1, "succeeded"));
  g_assert_nonnull (strstr (row1, "营业执照,正本.jpg"));
  g_assert_nonnull (strstr (row1, "A3F9xyz"));
  g_assert_nonnull (strstr (row2, "SIGN_ERROR"));
  g_assert_nonnull (strstr (row3, "pending"));
  g_assert_nonnull (strstr (row3, "门头.jpg"));

  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--limit", "1", NULL), ==, 0);
  text = bytes_to_string (out);
  g_assert_nonnull (strstr (text, "#3 "));
  g_assert_null (strstr (text, "#2 "));
  g_assert_nonnull (strstr (text, "1 of 3"));

  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (&out, NULL, "history", "--search", "no-such-thing", NULL), ==, 0);
  text = bytes_to_string (out);
  g_assert_cmpstr (text, ==, "No upload matches.\n");
}

#define EXPECTED_CSV \
  "\xEF\xBB\xBF" \
  "id,time,profile,profile_id,gateway,file,filename,size,format,sha256,status,stage,code," \
  "message,attempts,duration_ms,media_id,media_url\r\n" \
  "3,2023-11-14T22:13:23Z,Shop A,Shop A,alipay,/m/门头.jpg,门头.jpg,2048,jpeg," SHA_C \
  ",pending,,,,0,,,\r\n" \
  "2,2023-11-14T22:13:22Z,Shop B,Shop B,wechatpay-v3,\"/m/shop\nfront.jpg\"," \
  "\"shop\nfront.jpg\",2048,jpeg," SHA_B ",failed,gateway,SIGN_ERROR," \
  "\"错误的签名, \"\"验签\"\"失败\",1,41,,\r\n" \
  "1,2023-11-14T22:13:21Z,Shop A,Shop A,alipay,\"/m/营业执照,正本.jpg\",\"营业执照,正本.jpg\"," \
  "2048,jpeg," SHA_A ",succeeded,,,,1,40,A3F9xyz,\r\n"

static void
test_export_csv (void)
{
  g_autoptr(GpHistory) h = fill ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static (EXPECTED_CSV, strlen (EXPECTED_CSV));
  g_autofree char *file = g_build_filename (g_get_tmp_dir (), "export.csv", NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_cmpint (run_cli (&out, NULL, "history", "export", NULL), ==, 0);
  if (!g_bytes_equal (out, expected))
    g_error ("CSV differs:\n%.*s", (int) g_bytes_get_size (out),
             (const char *) g_bytes_get_data (out, NULL));

  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", "export", "--format", "csv", "--output", file,
                            NULL), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, EXPECTED_CSV, strlen (EXPECTED_CSV));
}

static void
test_export_json (void)
{
  g_autoptr(GpHistory) h = fill ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *file = g_build_filename (g_get_tmp_dir (), "export.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (run_cli (&out, NULL, "history", "export", "--format", "json", "-o", file,
                            NULL), ==, 0);
  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"),
                   ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2),
                                                  "filename"), ==, "营业执照,正本.jpg");
}

static void
test_usage_errors (void)
{
  g_autoptr(GpHistory) h = fill ();
  g_autofree char *err = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no", "such", "dir", "x.csv",
                                               NULL);

#define EXPECT_USAGE(...) \
  G_STMT_START { \
    g_autoptr(GBytes) o = NULL; \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (run_cli (&o, &err, __VA_ARGS__, NULL), ==, 2); \
    g_assert_cmpuint (g_bytes_get_size (o), ==, 0); \
    g_assert_true (g_str_has_prefix (err, "gatepost-cli: ")); \
  } G_STMT_END

  EXPECT_USAGE ("history", "--limit", "-1");
  EXPECT_USAGE ("history", "--limit", "ten");
  EXPECT_USAGE ("history", "--status", "done");
  EXPECT_USAGE ("history", "--gateway", "paypal");
  EXPECT_USAGE ("history", "stray");
  EXPECT_USAGE ("history", "export", "--format", "xml");
  g_assert_nonnull (strstr (err, "csv or json"));
  EXPECT_USAGE ("history", "export", "--output", missing);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
#undef EXPECT_USAGE
}

static void
test_corrupt (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "garbage, not SQLite, at all......", -1, NULL));
  g_assert_cmpint (run_cli (&out, &err, "history", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "file is not a database"));
  g_assert_nonnull (strstr (err, path));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, &err, "history", "export", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "file is not a database"));
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
}

static void
test_empty (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (&out, NULL, "history", "--json", NULL), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  g_clear_pointer (&out, g_bytes_unref);
  g_assert_cmpint (run_cli (&out, NULL, "history", NULL), ==, 0);
  text = bytes_to_string (out);
  g_assert_cmpstr (text, ==, "No uploads yet.\n");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/cli/history/json", test_list_json);
  g_test_add_func ("/gatepost/cli/history/text", test_list_text);
  g_test_add_func ("/gatepost/cli/history/export-csv", test_export_csv);
  g_test_add_func ("/gatepost/cli/history/export-json", test_export_json);
  g_test_add_func ("/gatepost/cli/history/usage", test_usage_errors);
  g_test_add_func ("/gatepost/cli/history/corrupt", test_corrupt);
  g_test_add_func ("/gatepost/cli/history/empty", test_empty);

  return g_test_run ();
}
