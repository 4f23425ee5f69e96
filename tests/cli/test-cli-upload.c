/* test-cli-upload.c: gatepost-cli upload end to end against the real gatepost-sim
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real CLI, the real simulator over loopback TLS, the test's private
 * gnome-keyring and a real SQLite history file (in the test's throwaway
 * XDG_DATA_HOME). Every gateway and profile mode, every accepted format; the
 * JSON Lines checked key by key against INTERFACES.md and against what the
 * simulator says it issued.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-test-sim.h"

static GpTestSim *sim;
static char *files_dir;

typedef struct
{
  const char *profile;
  const char *gateway;
  const char *formats[6];
} GatewayCase;

static const GatewayCase gateway_cases[] = {
  { "sim-alipay", "alipay", { "jpeg", "png", "bmp", "gif", "mp4", NULL } },
  { "sim-wechatpay-v2", "wechatpay-v2", { "jpeg", "png", "bmp", NULL } },
  { "sim-wechatpay-v2-hmac", "wechatpay-v2", { "jpeg", "png", "bmp", NULL } },
  { "sim-wechatpay-v3", "wechatpay-v3", { "jpeg", "png", "bmp", NULL } },
  { "sim-wechatpay-v3-cert", "wechatpay-v3", { "jpeg", "png", "bmp", NULL } },
  { "sim-wechatpay-global", "wechatpay-global", { "pdf", "jpeg", "png", "bmp", NULL } },
  { "sim-wechatpay-global-cert", "wechatpay-global", { "pdf", "jpeg", "png", "bmp", NULL } },
};

static const char * const contract_keys[] = {
  "file", "profile", "gateway", "ok", "media_id", "media_url", "format", "size", "sha256",
  "history_id", NULL,
};
/* Members the CLI adds after the contract's (extensions, never renames). */
static const char * const extra_keys[] = {
  "warnings", "duplicate_of", "attempts", "width", "height", "error", "problems", NULL,
};

static const char *
ext_of (const char *format)
{
  return g_str_equal (format, "jpeg") ? "jpg" : format;
}

/* The contract's keys come first and in its order; anything else is a
 * known extension. */
static void
assert_contract_keys (JsonObject *line)
{
  g_autoptr(GList) members = json_object_get_members (line);
  GList *l = members;

  for (guint i = 0; contract_keys[i] != NULL; i++, l = l->next)
    {
      g_assert_nonnull (l);
      g_assert_cmpstr (l->data, ==, contract_keys[i]);
    }
  for (; l != NULL; l = l->next)
    if (!g_strv_contains (extra_keys, l->data))
      g_error ("unexpected member %s", (const char *) l->data);
}

static JsonObject *
find_sim_upload (JsonArray  *uploads,
                 const char *gateway,
                 const char *sha256)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *u = json_array_get_object_element (uploads, i);

      if (g_strcmp0 (json_object_get_string_member (u, "gateway"), gateway) == 0 &&
          g_strcmp0 (json_object_get_string_member (u, "sha256"), sha256) == 0)
        found = u;   /* the last one */
    }
  return found;
}

static guint
count_sim_uploads (JsonArray  *uploads,
                   const char *sha256)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *u = json_array_get_object_element (uploads, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (u, "sha256", NULL), sha256) == 0)
        n++;
    }
  return n;
}

/* One row of the history file, read with SQLite directly. */
static char *
history_row (gint64      id,
             const char *column)
{
  g_autofree char *path = gp_test_history_path ();
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM uploads WHERE id = ?", column);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
assert_success_line (JsonObject *line,
                     const char *path,
                     const char *profile,
                     const char *gateway,
                     const char *format,
                     JsonArray  *uploads)
{
  const char *sha256 = json_object_get_string_member (line, "sha256");
  g_autofree char *real = g_canonicalize_filename (path, NULL);
  JsonObject *issued;
  gint64 history_id;
  g_autofree char *status = NULL;
  g_autofree char *row_media = NULL;
  g_autofree char *row_sha256 = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *local_sha256 = NULL;
  gsize len = 0;

  assert_contract_keys (line);
  g_assert_cmpstr (json_object_get_string_member (line, "file"), ==, real);
  g_assert_cmpstr (json_object_get_string_member (line, "profile"), ==, profile);
  g_assert_cmpstr (json_object_get_string_member (line, "gateway"), ==, gateway);
  if (!json_object_get_boolean_member (line, "ok"))
    g_error ("%s with %s not ok: %s", path, profile,
             json_object_get_string_member (json_object_get_object_member (line, "error"),
                                            "message"));
  g_assert_false (json_object_has_member (line, "error"));
  g_assert_cmpstr (json_object_get_string_member (line, "format"), ==, format);
  g_assert_cmpuint (strlen (sha256), ==, 64);
  /* Alipay's digest is computed while sending: it must still be the file's. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  local_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (sha256, ==, local_sha256);

  issued = find_sim_upload (uploads, gateway, sha256);
  g_assert_nonnull (issued);
  g_assert_cmpint (json_object_get_int_member (issued, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (issued, "size"), ==,
                   json_object_get_int_member (line, "size"));
  g_assert_nonnull (json_object_get_string_member (line, "media_id"));
  g_assert_cmpstr (json_object_get_string_member (line, "media_id"), ==,
                   json_object_get_string_member (issued, "media_id"));
  if (g_str_equal (gateway, "alipay"))
    {
      /* the simulator's URL names the image (with "\/" unescaped) */
      const char *url = json_object_get_string_member (line, "media_url");

      g_assert_true (g_str_has_prefix (url, "http://"));
      g_assert_nonnull (strstr (url, json_object_get_string_member (line, "media_id")));
    }
  else
    g_assert_true (json_object_get_null_member (line, "media_url"));

  history_id = json_object_get_int_member (line, "history_id");
  g_assert_cmpint (history_id, >, 0);
  status = history_row (history_id, "status");
  row_media = history_row (history_id, "media_id");
  row_sha256 = history_row (history_id, "sha256");
  g_assert_cmpstr (status, ==, "succeeded");
  g_assert_cmpstr (row_media, ==, json_object_get_string_member (line, "media_id"));
  g_assert_cmpstr (row_sha256, ==, local_sha256);
}

/* Every accepted format of one profile in one batch with --jobs 4: exit 0,
 * one line per file in argument order, each ID the one the simulator issued. */
static void
test_every_format (gconstpointer data)
{
  const GatewayCase *c = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (args, g_strdup ("upload"));
  g_ptr_array_add (args, g_strdup ("--profile"));
  g_ptr_array_add (args, g_strdup (c->profile));
  g_ptr_array_add (args, g_strdup ("--json"));
  g_ptr_array_add (args, g_strdup ("--jobs"));
  g_ptr_array_add (args, g_strdup ("4"));
  for (guint i = 0; c->formats[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u.%s", c->profile, i, ext_of (c->formats[i]));
      /* the profile's name in the bytes: a fresh file for each profile */
      char *path = gp_test_write_file (files_dir, name, c->formats[i],
                                       g_str_hash (c->profile) + i, 0);

      g_ptr_array_add (paths, path);
      g_ptr_array_add (args, g_strdup (path));
    }
  g_ptr_array_add (args, NULL);

  status = gp_test_cli_runv (NULL, &out, &err, (const char * const *) args->pdata);
  if (status != 0)
    g_error ("upload with %s: exit %d\n%s\n%s", c->profile, status, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, paths->len);
  uploads = gp_test_sim_uploads (sim);

  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);

      assert_success_line (line, g_ptr_array_index (paths, i), c->profile, c->gateway,
                           c->formats[i], uploads);
      g_assert_cmpint (json_object_get_int_member (line, "attempts"), ==, 1);
      g_assert_true (g_hash_table_add (ids, GINT_TO_POINTER (
                                         json_object_get_int_member (line, "history_id"))));
    }
}

/* --jobs 4 with the simulator holding the first request's reply for a
 * second: that file finishes last but is still printed first. */
static void
test_argument_order (void)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *delayed;
  guint delayed_index = G_MAXUINT;

  g_ptr_array_add (args, g_strdup ("upload"));
  g_ptr_array_add (args, g_strdup ("--profile"));
  g_ptr_array_add (args, g_strdup ("sim-wechatpay-global"));
  g_ptr_array_add (args, g_strdup ("--json"));
  g_ptr_array_add (args, g_strdup ("--jobs"));
  g_ptr_array_add (args, g_strdup ("4"));
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("order-%u.pdf", i);
      char *path = gp_test_write_file (files_dir, name, "pdf", 9400 + i, 0);

      g_ptr_array_add (paths, path);
      g_ptr_array_add (args, g_strdup (path));
    }
  g_ptr_array_add (args, NULL);

  gp_test_sim_clear_uploads (sim);
  gp_test_sim_fault (sim, "{\"mode\":\"delay\",\"seconds\":1,\"count\":1}");
  expect_status (gp_test_cli_runv (NULL, &out, &err, (const char * const *) args->pdata), 0, out,
                 err);
  gp_test_sim_fault (sim, NULL);
  lines = gp_test_json_lines (out);
  uploads = gp_test_sim_uploads (sim);
  g_assert_cmpuint (lines->len, ==, 6);
  g_assert_cmpuint (json_array_get_length (uploads), ==, 6);
  for (guint i = 0; i < lines->len; i++)
    assert_success_line (g_ptr_array_index (lines, i), g_ptr_array_index (paths, i),
                         "sim-wechatpay-global", "wechatpay-global", "pdf", uploads);

  /* the delayed one (recorded first, answered last) was not the last file */
  delayed = json_object_get_string_member (json_array_get_object_element (uploads, 0), "sha256");
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (lines, i), "sha256"),
                     delayed))
      delayed_index = i;
  g_test_message ("the delayed file was argument %u of 6", delayed_index + 1);
  g_assert_cmpuint (delayed_index, <, 4);
}

/* The same bytes again: skipped with duplicate_of and nothing sent; with
 * --force sent again as a new row. Through Alipay, whose digests are
 * computed while sending unless a file may be a duplicate, also a file of
 * the same size as an earlier one but other bytes: sent. */
static void
test_duplicates (gconstpointer data)
{
  const char *profile = data;
  g_autofree char *tag = g_strdup_printf ("%s-", profile);
  g_autofree char *name_a = g_strconcat (tag, "dup-a.png", NULL);
  g_autofree char *name_b = g_strconcat (tag, "dup-b.jpg", NULL);
  g_autofree char *name_c = g_strconcat (tag, "dup-c.png", NULL);
  guint variant = g_str_equal (profile, "sim-alipay") ? 7100 : 7000;
  g_autofree char *a = gp_test_write_file (files_dir, name_a, "png", variant + 1, 20000);
  g_autofree char *b = gp_test_write_file (files_dir, name_b, "jpeg", variant + 2, 0);
  g_autofree char *c = gp_test_write_file (files_dir, name_c, "png", variant + 3, 20000);
  g_autofree char *out4 = NULL, *err4 = NULL;
  g_autoptr(GPtrArray) fourth = NULL;
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL;
  g_autofree char *err3 = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  JsonObject *dup;
  g_autofree char *sha_a = NULL;

  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", profile,
                                    "--json", a, NULL), 0, out, err);
  first = gp_test_json_lines (out);
  sha_a = g_strdup (json_object_get_string_member (g_ptr_array_index (first, 0), "sha256"));

  /* a again, and a new file b: b goes, a is skipped */
  expect_status (gp_test_cli_run (&out2, &err2, "upload", "--profile", profile,
                                    "--json", a, b, NULL), 0, out2, err2);
  second = gp_test_json_lines (out2);
  g_assert_cmpuint (second->len, ==, 2);
  dup = g_ptr_array_index (second, 0);
  assert_contract_keys (dup);
  g_assert_true (json_object_get_boolean_member (dup, "ok"));
  g_assert_cmpint (json_object_get_int_member (dup, "duplicate_of"), ==,
                   json_object_get_int_member (g_ptr_array_index (first, 0), "history_id"));
  g_assert_cmpint (json_object_get_int_member (dup, "history_id"), ==,
                   json_object_get_int_member (g_ptr_array_index (first, 0), "history_id"));
  g_assert_cmpstr (json_object_get_string_member (dup, "media_id"), ==,
                   json_object_get_string_member (g_ptr_array_index (first, 0), "media_id"));
  g_assert_cmpint (json_object_get_int_member (dup, "attempts"), ==, 0);
  g_assert_false (json_object_has_member (g_ptr_array_index (second, 1), "duplicate_of"));
  uploads = gp_test_sim_uploads (sim);
  g_assert_cmpuint (count_sim_uploads (uploads, sha_a), ==, 1);
  g_clear_pointer (&uploads, json_array_unref);

  /* --force: sent again, a new row */
  expect_status (gp_test_cli_run (&out3, &err3, "upload", "--profile", profile,
                                    "--json", "--force", a, NULL), 0, out3, err3);
  third = gp_test_json_lines (out3);
  g_assert_false (json_object_has_member (g_ptr_array_index (third, 0), "duplicate_of"));
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (third, 0), "attempts"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (third, 0), "history_id"), >,
                   json_object_get_int_member (g_ptr_array_index (second, 1), "history_id"));
  uploads = gp_test_sim_uploads (sim);
  g_assert_cmpuint (count_sim_uploads (uploads, sha_a), ==, 2);

  /* the duplicate is per profile: the cert-mode profile sends it */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-wechatpay-v3-cert",
                                    "--json", a, NULL), 0, out, err);
  g_clear_pointer (&first, g_ptr_array_unref);
  first = gp_test_json_lines (out);
  g_assert_false (json_object_has_member (g_ptr_array_index (first, 0), "duplicate_of"));

  g_clear_pointer (&uploads, json_array_unref);

  /* same size as a, other bytes: no duplicate */
  expect_status (gp_test_cli_run (&out4, &err4, "upload", "--profile", profile,
                                  "--json", c, NULL), 0, out4, err4);
  fourth = gp_test_json_lines (out4);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (fourth, 0), "size"), ==,
                   json_object_get_int_member (g_ptr_array_index (first, 0), "size"));
  g_assert_false (json_object_has_member (g_ptr_array_index (fourth, 0), "duplicate_of"));
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (fourth, 0), "attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (fourth, 0), "sha256"), !=,
                   sha_a);
}

/* A file the gateway does not take is refused at check (history_id null,
 * nothing sent) while the others in the batch still go; exit 1. */
static void
test_refused_at_check (void)
{
  g_autofree char *good = gp_test_write_file (files_dir, "ok.bmp", "bmp", 8001, 0);
  g_autofree char *gif = gp_test_write_file (files_dir, "anim.gif", "gif", 8002, 0);
  g_autofree char *big = gp_test_write_file (files_dir, "big.jpg", "jpeg", 8003,
                                             2 * 1024 * 1024 + 1);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  static const char * const codes[] = { NULL, "FORMAT_NOT_ALLOWED", "EXCEED_MAX_SIZE" };

  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-wechatpay-v2",
                                    "--json", "--jobs", "4", good, gif, big, NULL), 1, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (lines, 0), "ok"));
  uploads = gp_test_sim_uploads (sim);
  for (guint i = 1; i < 3; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);
      JsonObject *error;

      assert_contract_keys (line);
      g_assert_false (json_object_get_boolean_member (line, "ok"));
      g_assert_true (json_object_get_null_member (line, "media_id"));
      g_assert_true (json_object_get_null_member (line, "history_id"));
      error = json_object_get_object_member (line, "error");
      g_assert_cmpstr (json_object_get_string_member (error, "stage"), ==, "check");
      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, codes[i]);
      g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
      g_assert_cmpuint (count_sim_uploads (uploads,
                                           json_object_get_string_member (line, "sha256")),
                        ==, 0);
    }
}

/* Limits are inclusive; empty and unknown files are refused by content;
 * a JPEG named .png is sent as a JPEG (.jpg to WeChat) with a warning. */
static void
test_edges (void)
{
  g_autofree char *at_limit = gp_test_write_file (files_dir, "limit.bmp", "bmp", 8101,
                                                  2 * 1024 * 1024);
  g_autofree char *empty = g_build_filename (files_dir, "empty.jpg", NULL);
  g_autofree char *unknown = g_build_filename (files_dir, "notes.jpg", NULL);
  g_autofree char *misnamed = gp_test_write_file (files_dir, "photo.png", "jpeg", 8102, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  JsonObject *line;
  JsonObject *sent;

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (unknown, "just some text, not an image\n", -1, NULL));
  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-wechatpay-v3", "--json",
                                  at_limit, empty, unknown, misnamed, NULL), 1, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 4);
  uploads = gp_test_sim_uploads (sim);

  line = g_ptr_array_index (lines, 0);
  assert_success_line (line, at_limit, "sim-wechatpay-v3", "wechatpay-v3", "bmp", uploads);
  g_assert_cmpint (json_object_get_int_member (line, "size"), ==, 2 * 1024 * 1024);

  line = g_ptr_array_index (lines, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (line, "error"),
                                                  "code"), ==, "EMPTY_FILE");
  line = g_ptr_array_index (lines, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (line, "error"),
                                                  "code"), ==, "UNKNOWN_FORMAT");
  g_assert_true (json_object_get_null_member (line, "format"));

  line = g_ptr_array_index (lines, 3);
  assert_success_line (line, misnamed, "sim-wechatpay-v3", "wechatpay-v3", "jpeg", uploads);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (line, "warnings")), >=,
                    1);
  sent = find_sim_upload (uploads, "wechatpay-v3", json_object_get_string_member (line, "sha256"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (sent, "filename"), ".jpg"));
}

static void
test_usage_errors (void)
{
  g_autofree char *good = gp_test_write_file (files_dir, "usage.jpg", "jpeg", 9001, 0);
  g_autofree char *out = NULL, *err = NULL;

  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "no-such-profile",
                                    "--json", good, NULL), 2, out, err);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "no-such-profile"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  expect_status (gp_test_cli_run (&out, &err, "upload", "--json", good, NULL), 2, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-alipay", "--jobs",
                                    "0", good, NULL), 2, out, err);
}

/* File names Linux allows: bytes that are not UTF-8, quotes, backslashes,
 * a newline, CJK, an emoji, a leading dash. The JSON stays valid UTF-8, one
 * line per file, and the files go to every kind of gateway. */
static void
test_hostile_names (void)
{
  static const char * const names[] = {
    "bad\xff\xfe.jpg", "quote\"back\\slash\nnl.jpg", "\xe8\x90\xa5\xe4\xb8\x9a\xe6\x89\xa7\xe7\x85\xa7 scan.jpg",
    "emoji\xf0\x9f\x98\x80.jpg", "-dash.jpg",
  };
  static const char * const profiles[] = { "sim-alipay", "sim-wechatpay-v2", "sim-wechatpay-v3" };

  for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) lines = NULL;
      g_autofree char *out = NULL, *err = NULL;

      g_ptr_array_add (args, g_strdup ("upload"));
      g_ptr_array_add (args, g_strdup ("--profile"));
      g_ptr_array_add (args, g_strdup (profiles[p]));
      g_ptr_array_add (args, g_strdup ("--json"));
      g_ptr_array_add (args, g_strdup ("--"));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          char *path = gp_test_write_file (files_dir, names[i], "jpeg", 9300 + p * 10 + i, 0);

          g_ptr_array_add (paths, path);
          g_ptr_array_add (args, g_strdup (path));
        }
      g_ptr_array_add (args, NULL);

      expect_status (gp_test_cli_runv (NULL, &out, &err, (const char * const *) args->pdata), 0,
                     out, err);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      lines = gp_test_json_lines (out);
      g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (names));
      for (guint i = 0; i < lines->len; i++)
        {
          JsonObject *line = g_ptr_array_index (lines, i);
          g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (paths, i), -1);

          g_assert_true (json_object_get_boolean_member (line, "ok"));
          g_assert_cmpstr (json_object_get_string_member (line, "file"), ==, valid);
        }
    }
}

/* With every debug message on (G_MESSAGES_DEBUG=all), stdout is still
 * nothing but the JSON Lines. */
static void
test_debug_keeps_stdout_clean (void)
{
  g_autofree char *a = gp_test_write_file (files_dir, "debug-a.jpg", "jpeg", 9201, 0);
  g_autofree char *b = gp_test_write_file (files_dir, "debug-b.gif", "gif", 9202, 0);
  const char * const env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char * const argv[] = { "upload", "--profile", "sim-wechatpay-v3-cert", "--json", a, b,
                                NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  expect_status (gp_test_cli_runv (env, &out, &err, argv), 1, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 2);
  /* the messages went somewhere: stderr */
  g_assert_nonnull (strstr (err, "DEBUG"));
}

/* Peak resident memory of the CLI while it sends a 50 MiB MP4: the body is
 * streamed from disk, never held whole. */
static void
test_peak_rss (void)
{
  g_autofree char *mp4 = gp_test_write_file (files_dir, "big.mp4", "mp4", 9100,
                                             50 * 1024 * 1024);
  const char * const argv[] = { "upload", "--profile", "sim-alipay", "--json", mp4, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *status_path = NULL;
  guint64 hwm_kib = 0;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer's shadow memory and quarantine inflate the resident size");
  return;
#endif
  proc = gp_test_cli_spawnv (NULL, argv, &error);
  g_assert_no_error (error);
  status_path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (proc));

  /* VmHWM is the peak so far; read it until the process is gone (a zombie
   * keeps no status lines), the last value read is the peak. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      const char *hwm;

      if (!g_file_get_contents (status_path, &text, NULL, NULL))
        break;
      hwm = strstr (text, "VmHWM:");
      if (hwm == NULL)
        break;
      hwm_kib = MAX (hwm_kib, g_ascii_strtoull (hwm + 6, NULL, 10));
      g_usleep (5000);
    }
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("50 MiB upload failed: %s %s", out, err);
  lines = gp_test_json_lines (out);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (lines, 0), "ok"));
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (lines, 0), "size"), ==,
                   50 * 1024 * 1024);

  g_test_message ("peak RSS (VmHWM) of gatepost-cli uploading 50 MiB: %" G_GUINT64_FORMAT
                  " KiB", hwm_kib);
  g_printerr ("# peak RSS (VmHWM) of gatepost-cli uploading 50 MiB: %" G_GUINT64_FORMAT " KiB\n",
              hwm_kib);
  g_assert_cmpuint (hwm_kib, >, 0);
  g_assert_cmpuint (hwm_kib, <, 40 * 1024);
}

/* The same bytes twice in one command, under two names and even with
 * --force: sent once, one history row, both lines carry the same ID. */
static void
test_same_bytes_in_one_batch (void)
{
  g_autofree char *a = gp_test_write_file (files_dir, "twin-a.jpg", "jpeg", 7101, 0);
  g_autofree char *b = gp_test_write_file (files_dir, "twin-b.jpg", "jpeg", 7101, 0);
  g_autofree char *c = gp_test_write_file (files_dir, "twin-c.png", "png", 7102, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  JsonObject *first, *twin;

  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-alipay", "--json",
                                    "--force", a, c, b, NULL), 0, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 3);
  first = g_ptr_array_index (lines, 0);
  twin = g_ptr_array_index (lines, 2);
  assert_contract_keys (twin);
  g_assert_cmpstr (json_object_get_string_member (twin, "file"), ==, b);
  g_assert_true (json_object_get_boolean_member (twin, "ok"));
  g_assert_cmpstr (json_object_get_string_member (twin, "media_id"), ==,
                   json_object_get_string_member (first, "media_id"));
  g_assert_cmpint (json_object_get_int_member (twin, "history_id"), ==,
                   json_object_get_int_member (first, "history_id"));
  g_assert_cmpint (json_object_get_int_member (twin, "duplicate_of"), ==,
                   json_object_get_int_member (first, "history_id"));
  g_assert_cmpint (json_object_get_int_member (twin, "attempts"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (first, "attempts"), ==, 1);

  uploads = gp_test_sim_uploads (sim);
  g_assert_cmpuint (count_sim_uploads (uploads, json_object_get_string_member (first, "sha256")),
                    ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cmd = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (gateway_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/gatepost/cli/upload/formats/%s",
                                               gateway_cases[i].profile);

      g_test_add_data_func (name, &gateway_cases[i], test_every_format);
    }
  g_test_add_func ("/gatepost/cli/upload/argument-order", test_argument_order);
  g_test_add_data_func ("/gatepost/cli/upload/duplicates/wechatpay-v3", "sim-wechatpay-v3",
                        test_duplicates);
  g_test_add_data_func ("/gatepost/cli/upload/duplicates/alipay", "sim-alipay", test_duplicates);
  g_test_add_func ("/gatepost/cli/upload/same-bytes-in-one-batch", test_same_bytes_in_one_batch);
  g_test_add_func ("/gatepost/cli/upload/refused-at-check", test_refused_at_check);
  g_test_add_func ("/gatepost/cli/upload/usage-errors", test_usage_errors);
  g_test_add_func ("/gatepost/cli/upload/edges", test_edges);
  g_test_add_func ("/gatepost/cli/upload/hostile-names", test_hostile_names);
  g_test_add_func ("/gatepost/cli/upload/debug-keeps-stdout-clean", test_debug_keeps_stdout_clean);
  g_test_add_func ("/gatepost/cli/upload/peak-rss", test_peak_rss);

  sim = gp_test_sim_start (NULL);
  gp_test_sim_import_profiles (sim);
  files_dir = g_build_filename (sim->tmp, "files", NULL);
  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);

  ret = g_test_run ();

  gp_test_sim_stop (sim);
  g_free (files_dir);
  return ret;
}
