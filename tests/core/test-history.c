/* test-history.c: the upload history on real SQLite files
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gatepost-core.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static GpHistory *
open_history (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *default_path = gp_history_dup_default_path ();
  GpHistory *history;

  history = gp_history_open_sync (path != NULL ? path : default_path, GP_HISTORY_OPEN_NONE,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);

  return history;
}

static gint64
begin (GpHistory     *history,
       const char    *profile,
       const char    *profile_id,
       GpGatewayKind  gateway,
       const char    *path,
       const char    *sha256)
{
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  pending = gp_history_entry_new_pending (profile, profile_id, gateway, NULL, path, 100,
                                          GP_FORMAT_JPEG, sha256);
  id = gp_history_begin_sync (history, pending, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
succeed (GpHistory  *history,
         gint64      id,
         const char *media_id)
{
  g_autoptr(GpUploadResult) result = gp_upload_result_new_success (media_id, NULL);
  g_autoptr(GError) error = NULL;

  gp_history_complete_sync (history, id, result, NULL, &error);
  g_assert_no_error (error);
}

static void
fail (GpHistory  *history,
      gint64      id,
      const char *code)
{
  g_autoptr(GpUploadResult) result = gp_upload_result_new_failure (GP_STAGE_GATEWAY, code,
                                                                   "refused");
  g_autoptr(GError) error = NULL;

  gp_history_complete_sync (history, id, result, NULL, &error);
  g_assert_no_error (error);
}

static GpHistoryEntry *
get_entry (GpHistory *history,
           gint64     id)
{
  g_autoptr(GError) error = NULL;
  GpHistoryEntry *entry = gp_history_get_entry_sync (history, id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);

  return entry;
}

/* The ids a query finds, in order, as "3,2,1". */
static char *
search_ids (GpHistory      *history,
            GpHistoryQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = gp_history_search_sync (history, query, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 count;

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GpHistoryEntry *e = g_ptr_array_index (rows, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", e->id);
    }

  /* The count agrees with the rows whenever there is no paging. */
  count = gp_history_count_sync (history, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, >=, rows->len);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
search_text (GpHistory  *history,
             const char *text)
{
  g_autoptr(GpHistoryQuery) query = gp_history_query_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  char *ids;
  gint64 count;
  gint64 n;

  gp_history_query_set_text (query, text);
  ids = search_ids (history, query);
  /* With no paging, the count is the number of rows found. */
  count = gp_history_count_sync (history, query, NULL, &error);
  g_assert_no_error (error);
  parts = g_strsplit (ids, ",", -1);
  n = *ids != '\0' ? g_strv_length (parts) : 0;
  g_assert_cmpint (count, ==, n);

  return ids;
}

static int
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */

static void
test_open_empty (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GpHistory) history = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "gatepost",
                                                "history.sqlite3", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  history = open_history (NULL);
  g_assert_cmpstr (gp_history_get_path (history), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, GP_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM uploads"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'uploads_fts'"),
                   ==, 1);
  g_assert_cmpint (sql_int (path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);

  /* Opening again changes nothing. */
  g_clear_object (&history);
  history = open_history (NULL);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, GP_HISTORY_SCHEMA_VERSION);
}

/* A version-1 file as the first release wrote it, built here by hand (not
 * with the code under test), with two rows. */
static void
make_v1_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  sql_exec (path,
            "CREATE TABLE uploads (id INTEGER PRIMARY KEY AUTOINCREMENT, time_us INTEGER NOT NULL,"
            " profile TEXT NOT NULL, profile_id TEXT NOT NULL, gateway TEXT NOT NULL,"
            " account TEXT, path TEXT NOT NULL, filename TEXT NOT NULL, size INTEGER NOT NULL,"
            " format TEXT, sha256 TEXT, status TEXT NOT NULL CHECK (status IN ('pending',"
            " 'succeeded', 'failed', 'interrupted')), stage TEXT, code TEXT, message TEXT,"
            " attempts INTEGER NOT NULL DEFAULT 0, duration_ms INTEGER, media_id TEXT,"
            " media_url TEXT, owner TEXT);"
            "CREATE INDEX uploads_time ON uploads (time_us);"
            "CREATE INDEX uploads_profile ON uploads (profile);"
            "CREATE INDEX uploads_pending ON uploads (owner) WHERE status = 'pending';"
            "CREATE INDEX uploads_duplicate ON uploads (sha256, profile_id)"
            " WHERE status = 'succeeded';"
            "CREATE INDEX uploads_capacity ON uploads (gateway, profile_id)"
            " WHERE status = 'succeeded';"
            "CREATE INDEX uploads_capacity_account ON uploads (gateway, account)"
            " WHERE status = 'succeeded';"
            "INSERT INTO uploads (time_us, profile, profile_id, gateway, path, filename, size,"
            " status, attempts, duration_ms, media_id) VALUES"
            " (1700000000000000, 'Shop A', 'p1', 'alipay', '/a/营业执照.jpg', '营业执照.jpg', 5,"
            "  'succeeded', 1, 20, 'OLDMEDIA123'),"
            " (1700000001000000, 'Shop A', 'p1', 'alipay', '/a/门头照.png', '门头照.png', 6,"
            "  'failed', 2, 30, NULL);"
            "PRAGMA user_version = 1;");
}

/* Version 2 added the trigram index (without end marks), by hand too. */
static void
make_v2_file (const char *path)
{
  make_v1_file (path);
  sql_exec (path,
            "CREATE VIRTUAL TABLE uploads_fts USING fts5 (filename, media_id, profile, code,"
            " content = 'uploads', content_rowid = 'id', tokenize = 'trigram');"
            "CREATE TRIGGER uploads_fts_insert AFTER INSERT ON uploads BEGIN"
            " INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
            " VALUES (new.id, new.filename, new.media_id, new.profile, new.code); END;"
            "CREATE TRIGGER uploads_fts_delete AFTER DELETE ON uploads BEGIN"
            " INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
            " VALUES ('delete', old.id, old.filename, old.media_id, old.profile, old.code); END;"
            "CREATE TRIGGER uploads_fts_update AFTER UPDATE OF filename, media_id, profile, code"
            " ON uploads BEGIN"
            " INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
            " VALUES ('delete', old.id, old.filename, old.media_id, old.profile, old.code);"
            " INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
            " VALUES (new.id, new.filename, new.media_id, new.profile, new.code); END;"
            "INSERT INTO uploads_fts (uploads_fts) VALUES ('rebuild');"
            "INSERT INTO uploads (time_us, profile, profile_id, gateway, path, filename, size,"
            " status, attempts, media_id) VALUES (1700000002000000, '分店', 'p2', 'alipay',"
            " '/a/收银台.jpg', '收银台.jpg', 7, 'succeeded', 1, 'V2ROW99');"
            "PRAGMA user_version = 2;");
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 2);
}

/* Opens an old file and checks that its rows are found by every kind of
 * search, then that new rows follow. */
static void
check_migrated (const char *path,
                guint       old_rows)
{
  g_autoptr(GpHistory) history = open_history (path);
  g_autoptr(GpHistoryQuery) query = gp_history_query_new ();
  g_autofree char *ids = NULL;
  g_autofree char *all = NULL;
  gint64 id;

  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, GP_HISTORY_SCHEMA_VERSION);

  ids = search_text (history, "MEDIA12");
  g_assert_cmpstr (ids, ==, "1");
  g_free (ids);
  ids = search_text (history, "门头照");
  g_assert_cmpstr (ids, ==, "2");
  g_free (ids);
  ids = search_text (history, "执照");
  g_assert_cmpstr (ids, ==, "1");
  g_free (ids);
  ids = search_text (history, "照");
  g_assert_cmpstr (ids, ==, "2,1");
  if (old_rows == 3)
    {
      g_free (ids);
      ids = search_text (history, "分店");
      g_assert_cmpstr (ids, ==, "3");
    }

  id = begin (history, "Shop A", "p1", GP_GATEWAY_ALIPAY, "/a/新文件.jpg", SHA_A);
  g_assert_cmpint (id, ==, old_rows + 1);
  g_free (ids);
  ids = search_text (history, "新文件");
  g_assert_cmpint (g_ascii_strtoll (ids, NULL, 10), ==, id);
  g_free (ids);
  ids = search_text (history, "文件");
  g_assert_cmpint (g_ascii_strtoll (ids, NULL, 10), ==, id);
  all = search_ids (history, query);
  g_assert_cmpstr (all, ==, old_rows == 3 ? "4,3,2,1" : "3,2,1");
}

static void
test_migrate_v1 (void)
{
  g_autofree char *path = gp_history_dup_default_path ();

  make_v1_file (path);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 1);
  check_migrated (path, 2);
}

static void
test_migrate_v2 (void)
{
  g_autofree char *path = gp_history_dup_default_path ();

  make_v2_file (path);
  check_migrated (path, 3);
}

static void
test_newer_version (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  sql_exec (path, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_VERSION);
  g_assert_null (history);
  g_assert_nonnull (strstr (error->message, "newer version of Gatepost"));
  g_assert_nonnull (strstr (error->message, path));
  /* Nothing was touched. */
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 99);
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                      */

static void
test_begin_complete (void)
{
  g_autoptr(GpHistory) history = open_history (NULL);
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GpHistoryEntry) e = NULL;
  g_autoptr(GpUploadResult) ok = gp_upload_result_new_success ("IMG-0001",
                                                               "https://img.example/1.jpg");
  g_autoptr(GpUploadResult) bad = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time ();
  gint64 id, id2;

  pending = gp_history_entry_new_pending ("Shop A", "p-1", GP_GATEWAY_ALIPAY, "2021000000000001",
                                          "/home/u/扫描件/营业执照.jpg", 123456, GP_FORMAT_JPEG,
                                          "ABCDEF" SHA_A + 6);
  g_assert_cmpint (pending->id, ==, -1);
  id = gp_history_begin_sync (history, pending, NULL, &error);
  g_assert_no_error (error);

  e = get_entry (history, id);
  g_assert_cmpint (e->id, ==, id);
  g_assert_cmpint (e->time_us, >=, before);
  g_assert_cmpint (e->time_us, <=, g_get_real_time ());
  g_assert_cmpstr (e->profile, ==, "Shop A");
  g_assert_cmpstr (e->profile_id, ==, "p-1");
  g_assert_cmpstr (e->gateway, ==, "alipay");
  g_assert_cmpstr (e->account, ==, "2021000000000001");
  g_assert_cmpstr (e->path, ==, "/home/u/扫描件/营业执照.jpg");
  g_assert_cmpstr (e->filename, ==, "营业执照.jpg");
  g_assert_cmpuint (e->size, ==, 123456);
  g_assert_cmpstr (e->format, ==, "jpeg");
  g_assert_cmpstr (e->sha256, ==, "abcdef" SHA_A + 6);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_PENDING);
  g_assert_null (e->stage);
  g_assert_null (e->media_id);
  g_assert_cmpuint (e->attempts, ==, 0);
  g_assert_cmpint (e->duration_ms, ==, -1);
  g_clear_pointer (&e, gp_history_entry_unref);

  gp_upload_result_set_attempts (ok, 2);
  gp_upload_result_set_duration_ms (ok, 812);
  g_assert_true (gp_history_complete_sync (history, id, ok, NULL, &error));
  g_assert_no_error (error);
  e = get_entry (history, id);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_SUCCEEDED);
  g_assert_cmpstr (e->media_id, ==, "IMG-0001");
  g_assert_cmpstr (e->media_url, ==, "https://img.example/1.jpg");
  g_assert_cmpuint (e->attempts, ==, 2);
  g_assert_cmpint (e->duration_ms, ==, 812);
  g_assert_null (e->code);
  g_clear_pointer (&e, gp_history_entry_unref);

  /* A completed row stays as it is. */
  bad = gp_upload_result_new_failure (GP_STAGE_NETWORK, "TIMEOUT", "timed out");
  g_assert_false (gp_history_complete_sync (history, id, bad, NULL, &error));
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_INVALID);
  g_clear_error (&error);
  e = get_entry (history, id);
  g_assert_cmpstr (e->media_id, ==, "IMG-0001");
  g_clear_pointer (&e, gp_history_entry_unref);

  /* A failure keeps its stage, code and message. */
  id2 = gp_history_begin_sync (history, pending, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, ==, id + 1);
  g_assert_true (gp_history_complete_sync (history, id2, bad, NULL, &error));
  e = get_entry (history, id2);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_FAILED);
  g_assert_cmpstr (e->stage, ==, "network");
  g_assert_cmpstr (e->code, ==, "TIMEOUT");
  g_assert_cmpstr (e->message, ==, "timed out");
  g_assert_null (e->media_id);

  /* Unknown ids are errors. */
  g_assert_false (gp_history_complete_sync (history, 999, ok, NULL, &error));
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (gp_history_get_entry_sync (history, 999, NULL, &error));
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_NOT_FOUND);
}

/* The uploader's way in: a pending row from the file's check report, with
 * the user's own (CJK) name and the sniffed format, not the extension. */
static void
test_entry_for_report (void)
{
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 2, 0, 0, 0, 3, 8, 2, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autofree char *file = g_build_filename (g_get_user_data_dir (), "门头照.jpg", NULL);
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GpHistoryEntry) e = NULL;
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, png, sizeof png);
  gint64 id;

  g_assert_true (g_file_set_contents (file, (const char *) png, sizeof png, NULL));
  report = gp_file_check_sync (file, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  pending = gp_history_entry_new_for_report (report, "Shop A", "pa", "2021000000000001");
  id = gp_history_begin_sync (h, pending, NULL, &error);
  g_assert_no_error (error);
  e = get_entry (h, id);
  g_assert_cmpstr (e->path, ==, file);
  g_assert_cmpstr (e->filename, ==, "门头照.jpg");
  g_assert_cmpstr (e->format, ==, "png");
  g_assert_cmpuint (e->size, ==, sizeof png);
  g_assert_cmpstr (e->sha256, ==, checksum);
  g_assert_cmpstr (e->gateway, ==, "alipay");
  g_assert_cmpstr (e->account, ==, "2021000000000001");
}

typedef struct
{
  GMainLoop *loop;
  GArray    *order;
  gint64     id;
  guint      pending;
} AsyncState;

static void
async_begun_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  int tag = 1;

  state->id = gp_history_begin_finish (GP_HISTORY (object), result, &error);
  g_assert_no_error (error);
  g_array_append_val (state->order, tag);
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static void
async_completed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  int tag = 2;

  g_assert_true (gp_history_complete_finish (GP_HISTORY (object), result, &error));
  g_assert_no_error (error);
  g_array_append_val (state->order, tag);
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

/* The async API on a main loop: a completion queued right behind its begin
 * (the id is known to be 1 in a fresh file) runs after it, in order. */
static void
test_async_order (void)
{
  g_autoptr(GpHistory) history = open_history (NULL);
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GpUploadResult) ok = gp_upload_result_new_success ("M1", NULL);
  g_autoptr(GpHistoryEntry) e = NULL;
  AsyncState state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.order = g_array_new (FALSE, FALSE, sizeof (int));
  state.pending = 2;
  pending = gp_history_entry_new_pending ("P", "pid", GP_GATEWAY_WECHATPAY_V2, NULL, "/x.jpg", 1,
                                          GP_FORMAT_JPEG, SHA_A);
  gp_history_begin_async (history, pending, NULL, async_begun_cb, &state);
  gp_history_complete_async (history, 1, ok, NULL, async_completed_cb, &state);
  g_main_loop_run (state.loop);

  g_assert_cmpint (state.id, ==, 1);
  g_assert_cmpuint (state.order->len, ==, 2);
  g_assert_cmpint (g_array_index (state.order, int, 0), ==, 1);
  g_assert_cmpint (g_array_index (state.order, int, 1), ==, 2);
  e = get_entry (history, 1);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_SUCCEEDED);

  g_array_unref (state.order);
  g_main_loop_unref (state.loop);
}

/* ------------------------------------------------------------------------ */
/* Interrupted uploads                                                       */

/* The child: begins one upload, prints its id, then waits to be killed (or
 * for its stdin to close). */
static int
child_main (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GpHistoryEntry) pending = NULL;
  gint64 id;

  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  if (history == NULL)
    {
      fprintf (stderr, "child: %s\n", error->message);
      return 1;
    }
  pending = gp_history_entry_new_pending ("Child", "child-profile", GP_GATEWAY_ALIPAY, NULL,
                                          "/tmp/child.jpg", 1, GP_FORMAT_JPEG, SHA_C);
  id = gp_history_begin_sync (history, pending, NULL, &error);
  if (id < 0)
    {
      fprintf (stderr, "child: %s\n", error->message);
      return 1;
    }
  printf ("%" G_GINT64_FORMAT "\n", id);
  fflush (stdout);
  while (getchar () != EOF)
    ;

  return 0;
}

static GSubprocess *
spawn_child (const char *path,
             gint64     *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *child;

  g_assert_no_error (error);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error, self_exe, "--child-begin", path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *id = g_ascii_strtoll (line, NULL, 10);
  g_assert_cmpint (*id, >, 0);

  return child;
}

static void
kill_child (GSubprocess *child)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
}

static void
assert_status (const char      *path,
               gint64           id,
               GpHistoryStatus  status)
{
  g_autoptr(GpHistory) history = open_history (path);
  g_autoptr(GpHistoryEntry) e = get_entry (history, id);

  g_assert_cmpstr (gp_history_status_to_string (e->status), ==,
                   gp_history_status_to_string (status));
  if (status == GP_HISTORY_STATUS_INTERRUPTED)
    {
      g_assert_cmpstr (e->message, ==, GP_HISTORY_INTERRUPTED_MESSAGE);
      g_assert_cmpstr (e->message, ==, "Gatepost stopped before this upload finished; the "
                                       "gateway may or may not have stored the file");
      g_assert_cmpstr (e->code, ==, "INTERRUPTED");
    }
  else
    {
      g_assert_null (e->message);
    }
}

static void
test_interrupted_by_kill (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GSubprocess) dead = NULL;
  g_autoptr(GSubprocess) live = NULL;
  g_autoptr(GpHistory) mine = NULL;
  g_autoptr(GpHistoryEntry) e = NULL;
  g_autofree char *stale = NULL;
  gint64 dead_id, live_id, my_id;

  dead = spawn_child (path, &dead_id);
  live = spawn_child (path, &live_id);
  mine = open_history (path);
  my_id = begin (mine, "Me", "me", GP_GATEWAY_ALIPAY, "/tmp/mine.jpg", SHA_A);

  kill_child (dead);

  /* A process that died with nothing pending left a lock file nobody
   * holds; the next open removes it. */
  {
    g_autofree char *owners = g_strconcat (path, "-owners", NULL);
    g_autofree char *token = g_uuid_string_random ();
    g_autofree char *name = g_strconcat (token, ".lock", NULL);

    stale = g_build_filename (owners, name, NULL);
    g_assert_true (g_file_set_contents (stale, "", 0, NULL));
  }

  /* A fresh open sweeps the dead child's row only: the live child and this
   * process (through another GpHistory) still own theirs. */
  assert_status (path, dead_id, GP_HISTORY_STATUS_INTERRUPTED);
  assert_status (path, live_id, GP_HISTORY_STATUS_PENDING);
  assert_status (path, my_id, GP_HISTORY_STATUS_PENDING);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));

  /* Its lock file went with it; the live child's is still there. */
  {
    g_autofree char *owners = g_strconcat (path, "-owners", NULL);
    g_autoptr(GDir) dir = g_dir_open (owners, 0, NULL);
    guint n = 0;

    g_assert_nonnull (dir);
    while (g_dir_read_name (dir) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 2);   /* the live child and `mine` */
  }

  kill_child (live);
  assert_status (path, live_id, GP_HISTORY_STATUS_INTERRUPTED);
  assert_status (path, my_id, GP_HISTORY_STATUS_PENDING);

  /* An interrupted row that completes after all keeps the returned ID. */
  succeed (mine, dead_id, "LATE-ID");
  e = get_entry (mine, dead_id);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_SUCCEEDED);
  g_assert_cmpstr (e->media_id, ==, "LATE-ID");
}

/* A process that closes its history with an upload still pending gives that
 * upload up: nothing can complete it any more. */
static void
test_interrupted_by_close (void)
{
  g_autoptr(GpHistory) history = open_history (NULL);
  g_autofree char *path = gp_history_dup_default_path ();
  gint64 id = begin (history, "P", "p", GP_GATEWAY_WECHATPAY_V3, "/tmp/a.png", SHA_A);
  gint64 done = begin (history, "P", "p", GP_GATEWAY_WECHATPAY_V3, "/tmp/b.png", SHA_B);

  succeed (history, done, "OK1");
  g_assert_finalize_object (g_steal_pointer (&history));
  assert_status (path, id, GP_HISTORY_STATUS_INTERRUPTED);
  assert_status (path, done, GP_HISTORY_STATUS_SUCCEEDED);
}

/* ------------------------------------------------------------------------ */
/* Search                                                                    */

/* Ten rows, ids 1..10 in this order. */
static GpHistory *
fill_search_rows (void)
{
  GpHistory *h = open_history (NULL);

  succeed (h, begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/s/营业执照.jpg", SHA_A),
           "A3F9KQ2ZX");                                                            /* 1 */
  succeed (h, begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/s/营业执照副本.jpg", SHA_B),
           "B7Q1ZZ");                                                               /* 2 */
  fail (h, begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/s/门头照.png", SHA_C),
        "isv.invalid-signature");                                                   /* 3 */
  succeed (h, begin (h, "店铺乙", "pb", GP_GATEWAY_WECHATPAY_V3, "/s/passport.jpg", SHA_A),
           "V3-MEDIA-a3f9");                                                        /* 4 */
  succeed (h, begin (h, "店铺乙", "pb", GP_GATEWAY_WECHATPAY_V3, "/s/执.bmp", SHA_B),
           "ZZZ");                                                                  /* 5 */
  fail (h, begin (h, "Global", "pg", GP_GATEWAY_WECHATPAY_GLOBAL, "/s/PASSPORT-scan.pdf",
                  SHA_C), "PARAM_ERROR");                                           /* 6 */
  begin (h, "Global", "pg", GP_GATEWAY_WECHATPAY_GLOBAL, "/s/shop front.jpg", SHA_A); /* 7 */
  succeed (h, begin (h, "V2", "p2", GP_GATEWAY_WECHATPAY_V2, "/s/a\"b*c-d:e OR f.jpg", SHA_B),
           "Q2");                                                                   /* 8 */
  succeed (h, begin (h, "V2", "p2", GP_GATEWAY_WECHATPAY_V2, "/s/100%_off\\x.jpg", SHA_C),
           "Q3");                                                                   /* 9 */
  succeed (h, begin (h, "V2", "p2", GP_GATEWAY_WECHATPAY_V2, "/s/x.jpg", SHA_A),
           "y");                                                                    /* 10 */

  return h;
}

static void
assert_text_finds (GpHistory  *history,
                   const char *text,
                   const char *expected)
{
  g_autofree char *ids = search_text (history, text);

  if (g_strcmp0 (ids, expected) != 0)
    g_error ("search for [%s]: expected [%s], got [%s]", text, expected, ids);
}

static void
test_search_text (void)
{
  g_autoptr(GpHistory) h = fill_search_rows ();

  /* Fragments of media IDs, any case, through the trigram index. */
  assert_text_finds (h, "3F9K", "1");
  assert_text_finds (h, "a3f9", "4,1");
  assert_text_finds (h, "media", "4");
  /* File names, case-insensitively. */
  assert_text_finds (h, "passport", "6,4");
  assert_text_finds (h, "PASSPORT-SCAN", "6");
  /* CJK: three and more characters (trigram), two and one (base table). */
  assert_text_finds (h, "营业执照", "2,1");
  assert_text_finds (h, "执照副", "2");
  assert_text_finds (h, "执照", "2,1");
  assert_text_finds (h, "门头", "3");
  assert_text_finds (h, "执", "5,2,1");
  assert_text_finds (h, "乙", "5,4");
  /* Short terms at the very end of a value, and values of one or two
   * characters, are found too. */
  assert_text_finds (h, "铺乙", "5,4");
  assert_text_finds (h, "zz", "5,2");
  assert_text_finds (h, "Q2", "8,1");
  assert_text_finds (h, "y", "10");
  assert_text_finds (h, "龘", "");
  /* Profile names and codes. */
  assert_text_finds (h, "店铺乙", "5,4");
  assert_text_finds (h, "invalid-sig", "3");
  assert_text_finds (h, "PARAM_ERR", "6");
  /* Blank text is no filter; no match is an empty page, not an error. */
  assert_text_finds (h, "  ", "10,9,8,7,6,5,4,3,2,1");
  assert_text_finds (h, "nothing-like-this", "");
}

/* Whatever FTS5 or LIKE would read as syntax is matched as plain text. */
static void
test_search_special (void)
{
  g_autoptr(GpHistory) h = fill_search_rows ();

  assert_text_finds (h, "\"", "8");
  assert_text_finds (h, "a\"b", "8");
  assert_text_finds (h, "\"b*c", "8");
  assert_text_finds (h, "*", "8");
  assert_text_finds (h, "b*", "8");
  assert_text_finds (h, "c-d", "8");
  assert_text_finds (h, "-", "8,6,4,3");
  assert_text_finds (h, "d:e", "8");
  assert_text_finds (h, "filename:x", "");
  assert_text_finds (h, "media_id:ZZZ", "");
  assert_text_finds (h, "e OR f", "8");
  assert_text_finds (h, "x OR y", "");
  assert_text_finds (h, "OR", "8,6,4");   /* "passport" too */
  assert_text_finds (h, "NEAR(a b)", "");
  assert_text_finds (h, "^营业", "");
  assert_text_finds (h, "\"\"\"", "");
  assert_text_finds (h, "%", "9");
  assert_text_finds (h, "0%_", "9");
  assert_text_finds (h, "_", "9,6");
  assert_text_finds (h, "\\", "9");
  assert_text_finds (h, "%_off\\x", "9");
  assert_text_finds (h, "'; DROP TABLE uploads; --", "");
  assert_text_finds (h, "'", "");
  assert_text_finds (h, "x.jpg", "10,9");
}

/* A one-character term that starts many different trigrams is searched by
 * scanning the table instead, as is a single letter or digit; the answer
 * is the same. */
static void
test_search_common_letter (void)
{
  g_autoptr(GpHistory) h = fill_search_rows ();
  g_autoptr(GString) name = g_string_new ("/s/");
  const char *others = "0123456789abcdefghijklmnopqrstuvwxyz一二三四五六七八九十"
                       "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬";
  gint64 id;

  /* "〇" followed by 76 different characters: 76 trigrams start with it. */
  for (const char *p = others; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_string_append (name, "〇");
      g_string_append_unichar (name, g_utf8_get_char (p));
    }
  g_string_append (name, ".jpg");
  id = begin (h, "Q", "pq", GP_GATEWAY_ALIPAY, name->str, SHA_A);
  g_assert_cmpint (id, ==, 11);

  assert_text_finds (h, "〇", "11");
  assert_text_finds (h, "〇子", "11");
  assert_text_finds (h, "子〇", "11");
  assert_text_finds (h, "q", "11,9,8,2,1");
  assert_text_finds (h, "Q", "11,9,8,2,1");
  assert_text_finds (h, "3", "11,9,4,1");
}

static void
test_search_filters (void)
{
  g_autoptr(GpHistory) h = fill_search_rows ();
  g_autoptr(GpHistoryQuery) q = gp_history_query_new ();
  g_autofree char *ids = NULL;
  g_autofree char *path = gp_history_dup_default_path ();

#define CHECK(expected) \
  G_STMT_START { g_free (ids); ids = search_ids (h, q); g_assert_cmpstr (ids, ==, expected); } \
  G_STMT_END

  gp_history_query_set_profile (q, "Shop A");
  CHECK ("3,2,1");
  gp_history_query_set_profile (q, "Shop");   /* exact name, not a fragment */
  CHECK ("");
  gp_history_query_set_profile (q, NULL);
  gp_history_query_set_profile_id (q, "pb");
  CHECK ("5,4");
  gp_history_query_set_profile_id (q, NULL);

  gp_history_query_set_gateway (q, GP_GATEWAY_WECHATPAY_GLOBAL);
  CHECK ("7,6");
  gp_history_query_set_status (q, GP_HISTORY_STATUS_PENDING);
  CHECK ("7");
  gp_history_query_set_gateway (q, GP_GATEWAY_INVALID);
  gp_history_query_set_status (q, GP_HISTORY_STATUS_FAILED);
  CHECK ("6,3");
  gp_history_query_set_status (q, GP_HISTORY_STATUS_SUCCEEDED);
  CHECK ("10,9,8,5,4,2,1");
  /* Text and filters together, on both search paths. */
  gp_history_query_set_text (q, "a3f9");
  CHECK ("4,1");
  gp_history_query_set_gateway (q, GP_GATEWAY_ALIPAY);
  CHECK ("1");
  gp_history_query_set_text (q, "执");
  CHECK ("2,1");
  gp_history_query_set_text (q, NULL);
  gp_history_query_set_gateway (q, GP_GATEWAY_INVALID);
  gp_history_query_set_status (q, -1);

  /* Date range: [since, until). Times set by hand: row n at 1000·n s. */
  sql_exec (path, "UPDATE uploads SET time_us = id * 1000000000");
  gp_history_query_set_time_range (q, 3000000000, 6000000000);
  CHECK ("5,4,3");
  gp_history_query_set_time_range (q, 9000000000, G_MAXINT64);
  CHECK ("10,9");
  gp_history_query_set_time_range (q, G_MININT64, 2000000001);
  CHECK ("2,1");
  gp_history_query_set_text (q, "passport");
  gp_history_query_set_time_range (q, 5000000000, G_MAXINT64);
  CHECK ("6");
#undef CHECK
}

static void
test_search_paging (void)
{
  g_autoptr(GpHistory) h = fill_search_rows ();
  g_autoptr(GpHistoryQuery) q = gp_history_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

#define CHECK(expected) \
  G_STMT_START { g_free (ids); ids = search_ids (h, q); g_assert_cmpstr (ids, ==, expected); } \
  G_STMT_END

  gp_history_query_set_limit (q, 4);
  CHECK ("10,9,8,7");
  gp_history_query_set_offset (q, 4);
  CHECK ("6,5,4,3");
  gp_history_query_set_offset (q, 8);
  CHECK ("2,1");
  gp_history_query_set_offset (q, 12);
  CHECK ("");
  /* Keyset paging: rows older than the last one seen. */
  gp_history_query_set_offset (q, 0);
  gp_history_query_set_before_id (q, 7);
  CHECK ("6,5,4,3");
  gp_history_query_set_before_id (q, 3);
  CHECK ("2,1");
  /* The same through the trigram path. */
  gp_history_query_set_before_id (q, 0);
  gp_history_query_set_text (q, "jpg");
  gp_history_query_set_limit (q, 3);
  CHECK ("10,9,8");
  gp_history_query_set_before_id (q, 8);
  CHECK ("7,4,2");
  gp_history_query_set_before_id (q, 0);
  gp_history_query_set_offset (q, 3);
  CHECK ("7,4,2");

  /* The count ignores paging. */
  g_assert_cmpint (gp_history_count_sync (h, q, NULL, &error), ==, 7);
  g_assert_no_error (error);
  g_assert_cmpint (gp_history_count_sync (h, NULL, NULL, &error), ==, 10);
  gp_history_query_set_text (q, "执照");
  g_assert_cmpint (gp_history_count_sync (h, q, NULL, &error), ==, 2);
#undef CHECK
}

/* ------------------------------------------------------------------------ */
/* Duplicates and capacity                                                   */

static void
test_duplicate (void)
{
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GpHistoryEntry) dup = NULL;
  g_autoptr(GError) error = NULL;
  gint64 failed, first, second, other_profile;

  g_assert_true (gp_history_find_duplicate_sync (h, "pa", SHA_A, &dup, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (dup);

  failed = begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/d/a.jpg", SHA_A);
  fail (h, failed, "SYSTEM_ERROR");
  begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/d/a.jpg", SHA_A);   /* pending */
  other_profile = begin (h, "Shop B", "pb", GP_GATEWAY_ALIPAY, "/d/a.jpg", SHA_A);
  succeed (h, other_profile, "OTHER");
  g_assert_true (gp_history_find_duplicate_sync (h, "pa", SHA_A, &dup, NULL, &error));
  g_assert_null (dup);

  first = begin (h, "Shop A renamed", "pa", GP_GATEWAY_ALIPAY, "/d/copy.jpg", SHA_A);
  succeed (h, first, "FIRST");
  second = begin (h, "Shop A", "pa", GP_GATEWAY_ALIPAY, "/d/a.jpg", SHA_A);
  succeed (h, second, "SECOND");

  /* The earliest success of this content through this profile (by id, so
   * a renamed profile still matches), whatever case the hex is in. */
  g_assert_true (gp_history_find_duplicate_sync (h, "pa", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", &dup, NULL,
                                                 &error));
  g_assert_no_error (error);
  g_assert_nonnull (dup);
  g_assert_cmpint (dup->id, ==, first);
  g_assert_cmpstr (dup->media_id, ==, "FIRST");
  g_assert_cmpint (dup->time_us, >, 0);
  g_clear_pointer (&dup, gp_history_entry_unref);

  g_assert_true (gp_history_find_duplicate_sync (h, "pb", SHA_A, &dup, NULL, &error));
  g_assert_cmpint (dup->id, ==, other_profile);
  g_clear_pointer (&dup, gp_history_entry_unref);
  g_assert_true (gp_history_find_duplicate_sync (h, "pa", SHA_B, &dup, NULL, &error));
  g_assert_null (dup);
}

static void
test_capacity (void)
{
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistoryEntry) pending = NULL;

  for (guint i = 0; i < 7; i++)
    {
      const char *profile_id = i < 4 ? "pa" : "pa-reimported";
      gint64 id;

      g_clear_pointer (&pending, gp_history_entry_unref);
      pending = gp_history_entry_new_pending ("Shop", profile_id, GP_GATEWAY_ALIPAY,
                                              "2021000000000001", "/c/x.jpg", 1,
                                              GP_FORMAT_JPEG, SHA_A);
      id = gp_history_begin_sync (h, pending, NULL, &error);
      g_assert_no_error (error);
      if (i == 3)
        fail (h, id, "X");
      else if (i != 6)
        succeed (h, id, "M");
    }
  /* Another app and another gateway do not count. */
  g_clear_pointer (&pending, gp_history_entry_unref);
  pending = gp_history_entry_new_pending ("Other", "po", GP_GATEWAY_ALIPAY, "2021000000000002",
                                          "/c/y.jpg", 1, GP_FORMAT_JPEG, SHA_A);
  succeed (h, gp_history_begin_sync (h, pending, NULL, &error), "N");
  succeed (h, begin (h, "V3", "pa", GP_GATEWAY_WECHATPAY_V3, "/c/z.jpg", SHA_A), "O");

  /* pa: rows 0,1,2 succeeded (3 failed); pa-reimported: 4,5 (6 pending). */
  g_assert_cmpint (gp_history_count_succeeded_sync (h, GP_GATEWAY_ALIPAY, "pa", NULL, NULL,
                                                    &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (gp_history_count_succeeded_sync (h, GP_GATEWAY_ALIPAY, NULL,
                                                    "2021000000000001", NULL, &error), ==, 5);
  g_assert_cmpint (gp_history_count_succeeded_sync (h, GP_GATEWAY_ALIPAY, "pa-reimported",
                                                    "2021000000000001", NULL, &error), ==, 5);
  g_assert_cmpint (gp_history_count_succeeded_sync (h, GP_GATEWAY_ALIPAY, "po", NULL, NULL,
                                                    &error), ==, 1);
  g_assert_cmpint (gp_history_count_succeeded_sync (h, GP_GATEWAY_WECHATPAY_V3, "pa", NULL,
                                                    NULL, &error), ==, 1);

  g_assert_false (gp_history_near_capacity (4499, GP_HISTORY_ALIPAY_CAPACITY));
  g_assert_true (gp_history_near_capacity (4500, GP_HISTORY_ALIPAY_CAPACITY));
  g_assert_true (gp_history_near_capacity (5001, GP_HISTORY_ALIPAY_CAPACITY));
}

/* ------------------------------------------------------------------------ */
/* Export                                                                    */

/* Three rows whose names need quoting, with times fixed by hand. */
static GpHistory *
fill_export_rows (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GpHistoryEntry) p1 = NULL;
  g_autoptr(GpHistoryEntry) p2 = NULL;
  g_autoptr(GpHistoryEntry) p3 = NULL;
  g_autoptr(GpUploadResult) ok = gp_upload_result_new_success ("A3F9xyz",
                                                               "https://example.com/a?x=1,2");
  g_autoptr(GpUploadResult) bad = gp_upload_result_new_failure (GP_STAGE_GATEWAY, "PARAM_ERROR",
                                                                "bad, \"very\" bad\r\nsecond line");
  g_autoptr(GError) error = NULL;
  GpHistory *h = open_history (NULL);

  p1 = gp_history_entry_new_pending ("Shop, \"A\"", "p1", GP_GATEWAY_ALIPAY, NULL,
                                     "/tmp/x/营业执照,副本.jpg", 1234, GP_FORMAT_JPEG, SHA_A);
  p2 = gp_history_entry_new_pending ("Shop B", "p2", GP_GATEWAY_WECHATPAY_V3, NULL,
                                     "/data/line\nbreak \"quoted\".png", 99, GP_FORMAT_PNG,
                                     SHA_B);
  p3 = gp_history_entry_new_pending ("Shop B", "p2", GP_GATEWAY_WECHATPAY_V3, NULL,
                                     "/data/plain.bmp", 10, GP_FORMAT_BMP, SHA_C);
  g_assert_cmpint (gp_history_begin_sync (h, p1, NULL, &error), ==, 1);
  g_assert_cmpint (gp_history_begin_sync (h, p2, NULL, &error), ==, 2);
  g_assert_cmpint (gp_history_begin_sync (h, p3, NULL, &error), ==, 3);
  g_assert_no_error (error);
  gp_upload_result_set_duration_ms (ok, 250);
  gp_upload_result_set_attempts (bad, 3);
  gp_upload_result_set_duration_ms (bad, 1500);
  g_assert_true (gp_history_complete_sync (h, 1, ok, NULL, &error));
  g_assert_true (gp_history_complete_sync (h, 2, bad, NULL, &error));
  sql_exec (path, "UPDATE uploads SET time_us = 1700000000000000 + id * 1000000");

  return h;
}

#define EXPECTED_CSV \
  "\xEF\xBB\xBF" \
  "id,time,profile,profile_id,gateway,file,filename,size,format,sha256,status,stage,code," \
  "message,attempts,duration_ms,media_id,media_url\r\n" \
  "3,2023-11-14T22:13:23Z,Shop B,p2,wechatpay-v3,/data/plain.bmp,plain.bmp,10,bmp," SHA_C \
  ",pending,,,,0,,,\r\n" \
  "2,2023-11-14T22:13:22Z,Shop B,p2,wechatpay-v3,\"/data/line\nbreak \"\"quoted\"\".png\"," \
  "\"line\nbreak \"\"quoted\"\".png\",99,png," SHA_B ",failed,gateway,PARAM_ERROR," \
  "\"bad, \"\"very\"\" bad\r\nsecond line\",3,1500,,\r\n" \
  "1,2023-11-14T22:13:21Z,\"Shop, \"\"A\"\"\",p1,alipay,\"/tmp/x/营业执照,副本.jpg\"," \
  "\"营业执照,副本.jpg\",1234,jpeg," SHA_A ",succeeded,,,,1,250,A3F9xyz," \
  "\"https://example.com/a?x=1,2\"\r\n"

static void
test_export_csv (void)
{
  g_autoptr(GpHistory) h = fill_export_rows ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static (EXPECTED_CSV, strlen (EXPECTED_CSV));

  g_assert_true (gp_history_export_sync (h, NULL, GP_HISTORY_EXPORT_CSV, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  if (!g_bytes_equal (bytes, expected))
    g_error ("CSV differs:\n%.*s", (int) g_bytes_get_size (bytes),
             (const char *) g_bytes_get_data (bytes, NULL));
}

static void
test_export_json (void)
{
  g_autoptr(GpHistory) h = fill_export_rows ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char * const keys[] = {
    "id", "time", "profile", "profile_id", "gateway", "file", "filename", "size", "format",
    "sha256", "status", "stage", "code", "message", "attempts", "duration_ms", "media_id",
    "media_url",
  };
  JsonArray *array;
  JsonObject *o;

  g_assert_true (gp_history_export_sync (h, NULL, GP_HISTORY_EXPORT_JSON, out, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  o = json_array_get_object_element (array, 0);
  g_assert_cmpuint (json_object_get_size (o), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
  g_assert_true (json_object_get_null_member (o, "duration_ms"));
  g_assert_true (json_object_get_null_member (o, "media_id"));

  o = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "filename"), ==,
                   "line\nbreak \"quoted\".png");
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==,
                   "bad, \"very\" bad\r\nsecond line");
  g_assert_cmpint (json_object_get_int_member (o, "duration_ms"), ==, 1500);

  o = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "time"), ==, "2023-11-14T22:13:21Z");
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "Shop, \"A\"");
  g_assert_cmpstr (json_object_get_string_member (o, "filename"), ==, "营业执照,副本.jpg");
  g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, "/tmp/x/营业执照,副本.jpg");
  g_assert_cmpint (json_object_get_int_member (o, "size"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (o, "media_id"), ==, "A3F9xyz");
  g_assert_cmpstr (json_object_get_string_member (o, "sha256"), ==, SHA_A);
}

static void
test_export_empty (void)
{
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (gp_history_export_sync (h, NULL, GP_HISTORY_EXPORT_JSON, out, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "[]\n", 3);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

static void
test_error_corrupt (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;

  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "not a database ");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));

  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_null (history);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "file is not a database"));
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
}

/* A database whose table pages are damaged opens (the header is fine) and
 * fails on the first read with SQLite's message. */
static void
test_error_damaged_pages (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GpHistory) history = fill_search_rows ();
  g_autoptr(GpHistoryQuery) q = gp_history_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_clear_object (&history);
  sql_exec (path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 4096 * 3);
  /* Overwrite every page after the first (schema) page with junk. */
  for (gsize i = 4096; i < len; i++)
    data[i] = (char) (0xA5 ^ (i & 0xff));
  g_assert_true (g_file_set_contents (path, data, len, NULL));

  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  if (history != NULL)
    {
      gp_history_query_set_text (q, "执");
      rows = gp_history_search_sync (history, q, NULL, &error);
      g_assert_null (rows);
    }
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "database disk image is malformed"));
  g_test_message ("%s", error->message);
}

static void
test_error_read_only (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GpHistory) history = fill_search_rows ();
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 id;

  g_clear_object (&history);

  /* Opened read-only on purpose: reads work, every write is refused. */
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_READ_ONLY, NULL, &error);
  g_assert_no_error (error);
  rows = gp_history_search_sync (history, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 10);
  pending = gp_history_entry_new_pending ("P", "p", GP_GATEWAY_ALIPAY, NULL, "/r.jpg", 1,
                                          GP_FORMAT_JPEG, SHA_A);
  id = gp_history_begin_sync (history, pending, NULL, &error);
  g_assert_cmpint (id, ==, -1);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "readonly database"));
  g_test_message ("%s", error->message);
  g_clear_object (&history);
  g_clear_error (&error);

  /* A file the process may not write. Root may write anything. */
  if (geteuid () == 0)
    {
      g_test_skip ("running as root: file permissions do not stop writes");
      return;
    }
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_null (history);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_READ_ONLY);
  g_chmod (path, 0644);
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gint64     id;
} BusyState;

static void
busy_begun_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BusyState *state = user_data;

  state->id = gp_history_begin_finish (GP_HISTORY (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

/* Another process holds the write lock: a begin waits for it, up to 5 s,
 * then fails with SQLite's "database is locked"; a caller that cancels
 * stops the wait at once. */
static void
test_error_busy (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  BusyState state = { 0 };
  sqlite3 *other = NULL;
  gint64 start;

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  pending = gp_history_entry_new_pending ("P", "p", GP_GATEWAY_ALIPAY, NULL, "/b.jpg", 1,
                                          GP_FORMAT_JPEG, SHA_A);

  /* Cancelled while waiting. */
  state.loop = g_main_loop_new (NULL, FALSE);
  start = g_get_monotonic_time ();
  gp_history_begin_async (h, pending, cancellable, busy_begun_cb, &state);
  g_timeout_add (200, cancel_cb, cancellable);
  g_main_loop_run (state.loop);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (state.id, ==, -1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&state.error);
  g_main_loop_unref (state.loop);

  /* Not cancelled: gives up after the timeout, with SQLite's words. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (gp_history_begin_sync (h, pending, NULL, &error), ==, -1);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "database is locked"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Once the other writer is done, the same begin works. */
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_cmpint (gp_history_begin_sync (h, pending, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_error_cant_open (void)
{
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "not-a-dir", NULL);
  g_autofree char *path = g_build_filename (blocker, "history.sqlite3", NULL);
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "nope",
                                               "history.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_null (history);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CANT_OPEN);
  g_assert_nonnull (strstr (error->message, blocker));
  g_clear_error (&error);

  /* Read-only never creates. */
  history = gp_history_open_sync (missing, GP_HISTORY_OPEN_READ_ONLY, NULL, &error);
  g_assert_null (history);
  g_assert_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CANT_OPEN);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_cancelled (void)
{
  g_autoptr(GpHistory) h = open_history (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GpHistoryEntry) pending = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  pending = gp_history_entry_new_pending ("P", "p", GP_GATEWAY_ALIPAY, NULL, "/r.jpg", 1,
                                          GP_FORMAT_JPEG, SHA_A);
  g_assert_cmpint (gp_history_begin_sync (h, pending, cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (gp_history_count_sync (h, NULL, NULL, &error), ==, 0);
}

/* A cancelled upload was on its way to the gateway: its row says
 * interrupted (the file may be stored there), not failed. */
static void
test_cancelled_in_flight (void)
{
  g_autoptr(GpHistory) history = open_history (NULL);
  g_autoptr(GpUploadResult) cancelled =
    gp_upload_result_new_failure (GP_STAGE_NETWORK, "CANCELLED", "The upload was cancelled");
  g_autoptr(GpHistoryEntry) e = NULL;
  g_autoptr(GpHistoryEntry) f = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = begin (history, "Shop A", "p-1", GP_GATEWAY_WECHATPAY_V3, "/tmp/a.jpg", SHA_A);
  gint64 id2 = begin (history, "Shop A", "p-1", GP_GATEWAY_WECHATPAY_V3, "/tmp/b.jpg", SHA_A);

  g_assert_true (gp_history_complete_sync (history, id, cancelled, NULL, &error));
  g_assert_no_error (error);
  e = get_entry (history, id);
  g_assert_cmpint (e->status, ==, GP_HISTORY_STATUS_INTERRUPTED);
  g_assert_cmpstr (e->code, ==, "CANCELLED");
  g_assert_cmpstr (e->message, ==, GP_HISTORY_CANCELLED_MESSAGE);

  /* Any other network failure stays a failure. */
  {
    g_autoptr(GpUploadResult) timeout =
      gp_upload_result_new_failure (GP_STAGE_NETWORK, "TIMEOUT", "timed out");

    g_assert_true (gp_history_complete_sync (history, id2, timeout, NULL, &error));
    f = get_entry (history, id2);
    g_assert_cmpint (f->status, ==, GP_HISTORY_STATUS_FAILED);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "--child-begin") == 0)
    return child_main (argv[2]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/history/schema/empty", test_open_empty);
  g_test_add_func ("/gatepost/history/schema/from-v1", test_migrate_v1);
  g_test_add_func ("/gatepost/history/schema/from-v2", test_migrate_v2);
  g_test_add_func ("/gatepost/history/schema/newer", test_newer_version);
  g_test_add_func ("/gatepost/history/rows/begin-complete", test_begin_complete);
  g_test_add_func ("/gatepost/history/rows/cancelled-in-flight", test_cancelled_in_flight);
  g_test_add_func ("/gatepost/history/rows/for-report", test_entry_for_report);
  g_test_add_func ("/gatepost/history/rows/async-order", test_async_order);
  g_test_add_func ("/gatepost/history/rows/cancelled", test_cancelled);
  g_test_add_func ("/gatepost/history/interrupted/killed", test_interrupted_by_kill);
  g_test_add_func ("/gatepost/history/interrupted/closed", test_interrupted_by_close);
  g_test_add_func ("/gatepost/history/search/text", test_search_text);
  g_test_add_func ("/gatepost/history/search/special", test_search_special);
  g_test_add_func ("/gatepost/history/search/common-letter", test_search_common_letter);
  g_test_add_func ("/gatepost/history/search/filters", test_search_filters);
  g_test_add_func ("/gatepost/history/search/paging", test_search_paging);
  g_test_add_func ("/gatepost/history/duplicate", test_duplicate);
  g_test_add_func ("/gatepost/history/capacity", test_capacity);
  g_test_add_func ("/gatepost/history/export/csv", test_export_csv);
  g_test_add_func ("/gatepost/history/export/json", test_export_json);
  g_test_add_func ("/gatepost/history/export/empty", test_export_empty);
  g_test_add_func ("/gatepost/history/error/corrupt", test_error_corrupt);
  g_test_add_func ("/gatepost/history/error/damaged-pages", test_error_damaged_pages);
  g_test_add_func ("/gatepost/history/error/read-only", test_error_read_only);
  g_test_add_func ("/gatepost/history/error/cant-open", test_error_cant_open);
  g_test_add_func ("/gatepost/history/error/busy", test_error_busy);

  return g_test_run ();
}
