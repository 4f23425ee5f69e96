/* test-cli-crash.c: gatepost-cli killed with SIGKILL in the middle of batches
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 50 runs of a five-file batch (--jobs 3) against a simulator that holds
 * every reply for a second, each killed with SIGKILL after a random delay
 * (0 to 2.5 s: before the first request, while requests are in flight,
 * between the reply and the history write, after the end). Then the history
 * file must be sound:
 *
 *  - PRAGMA integrity_check says ok;
 *  - "the client received" a media ID when the CLI wrote that file's JSON
 *    line (ok true, with the ID) to its stdout pipe before it died: each such
 *    ID is in a `succeeded` row with the same ID and history_id;
 *  - every media ID the simulator issued (GET /_sim/uploads, status 200) is
 *    either in a `succeeded` row, or that file's row is `interrupted` (the
 *    process died between the reply and the history write): never lost into
 *    a `pending`, `failed` or missing row;
 *  - no file has two rows (each run uploads fresh files), no media ID is in
 *    two rows;
 *  - rows left `pending` by the last killed run become `interrupted` as soon
 *    as the history is opened again.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-test-sim.h"

#define RUNS 50
#define FILES_PER_RUN 5

static GpTestSim *sim;
static char *files_dir;

static sqlite3 *
open_history (void)
{
  g_autofree char *path = gp_test_history_path ();
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static char *
query_text (sqlite3    *db,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           const char *arg)
{
  g_autofree char *text = query_text (db, sql, arg);

  return text ? g_ascii_strtoll (text, NULL, 10) : -1;
}

typedef struct
{
  char   *media_id;
  char   *sha256;
  gint64  history_id;
} Received;

static void
received_free (gpointer p)
{
  Received *r = p;

  g_free (r->media_id);
  g_free (r->sha256);
  g_free (r);
}

static void
test_kill_batches (void)
{
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (received_free);
  g_autoptr(JsonArray) uploads = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint issued = 0, interrupted_issued = 0, killed_early = 0, completed = 0;
  gint64 pending_before, interrupted_before;
  sqlite3 *db;

  gp_test_sim_fault (sim, "{\"mode\":\"delay\",\"seconds\":1}");

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *run_out = NULL;
      g_autofree char *run_err = NULL;
      g_auto(GStrv) lines = NULL;
      guint delay_ms = g_test_rand_int_range (0, 2500);

      g_ptr_array_add (argv, g_strdup ("upload"));
      g_ptr_array_add (argv, g_strdup ("--profile"));
      g_ptr_array_add (argv, g_strdup (run % 2 ? "sim-wechatpay-v3" : "sim-alipay"));
      g_ptr_array_add (argv, g_strdup ("--json"));
      g_ptr_array_add (argv, g_strdup ("--jobs"));
      g_ptr_array_add (argv, g_strdup ("3"));
      for (guint i = 0; i < FILES_PER_RUN; i++)
        {
          g_autofree char *name = g_strdup_printf ("run%02u-%u.png", run, i);

          g_ptr_array_add (argv, gp_test_write_file (files_dir, name, "png", run * 100 + i, 0));
        }
      g_ptr_array_add (argv, NULL);

      proc = gp_test_cli_spawnv (NULL, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
      g_usleep (delay_ms * 1000);
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &run_out, &run_err, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_signaled (proc))
        killed_early++;
      else
        {
          expect_status (g_subprocess_get_exit_status (proc), 0, run_out, run_err);
          completed++;
        }

      /* every complete line on the pipe is something the client received */
      lines = g_strsplit (run_out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *obj;
          Received *r;

          if (lines[i + 1] == NULL)
            break;   /* the part after the last newline is not a line */
          json_parser_load_from_data (parser, lines[i], -1, &error);
          g_assert_no_error (error);
          obj = json_node_get_object (json_parser_get_root (parser));
          if (!json_object_get_boolean_member (obj, "ok"))
            g_error ("run %u: a file failed: %s", run, lines[i]);
          r = g_new0 (Received, 1);
          r->media_id = g_strdup (json_object_get_string_member (obj, "media_id"));
          r->sha256 = g_strdup (json_object_get_string_member (obj, "sha256"));
          r->history_id = json_object_get_int_member (obj, "history_id");
          g_ptr_array_add (received, r);
        }
    }
  gp_test_sim_fault (sim, NULL);
  g_test_message ("%u runs killed, %u finished first; %u results received", killed_early,
                  completed, received->len);

  /* the last run's pending rows are still pending: nobody opened the file */
  db = open_history ();
  pending_before = query_int (db, "SELECT count(*) FROM uploads WHERE status = 'pending'", NULL);
  interrupted_before = query_int (db, "SELECT count(*) FROM uploads WHERE status = 'interrupted'",
                                  NULL);
  sqlite3_close (db);

  /* opening it again (any command that opens it read-write) sweeps them */
  expect_status (gp_test_cli_run (&out, &err, "upload", "--profile", "sim-alipay", "--json",
                                  "/nonexistent/file.png", NULL), 1, out, err);

  db = open_history ();
  {
    g_autofree char *integrity = query_text (db, "PRAGMA integrity_check", NULL);

    g_assert_cmpstr (integrity, ==, "ok");
  }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM uploads WHERE status = 'pending'", NULL),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM uploads WHERE status = 'interrupted'",
                              NULL), ==, interrupted_before + pending_before);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM uploads WHERE status = 'failed'", NULL),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT sha256 FROM uploads "
                                  "GROUP BY sha256 HAVING count(*) > 1)", NULL), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT media_id FROM uploads "
                                  "WHERE media_id IS NOT NULL "
                                  "GROUP BY media_id HAVING count(*) > 1)", NULL), ==, 0);

  /* what the client received is recorded as received */
  for (guint i = 0; i < received->len; i++)
    {
      Received *r = g_ptr_array_index (received, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->history_id);
      g_autofree char *status = query_text (db, "SELECT status FROM uploads WHERE id = ?", id);
      g_autofree char *media = query_text (db, "SELECT media_id FROM uploads WHERE id = ?", id);
      g_autofree char *sha = query_text (db, "SELECT sha256 FROM uploads WHERE id = ?", id);

      g_assert_cmpstr (status, ==, "succeeded");
      g_assert_cmpstr (media, ==, r->media_id);
      g_assert_cmpstr (sha, ==, r->sha256);
    }

  /* what the simulator issued is recorded, or its row says interrupted */
  uploads = gp_test_sim_uploads (sim);
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *u = json_array_get_object_element (uploads, i);
      const char *media_id = json_object_get_string_member_with_default (u, "media_id", NULL);
      const char *sha256 = json_object_get_string_member_with_default (u, "sha256", NULL);
      g_autofree char *by_id = NULL;
      g_autofree char *by_file = NULL;

      if (json_object_get_int_member (u, "status") != 200 || media_id == NULL)
        continue;
      issued++;
      by_id = query_text (db, "SELECT status FROM uploads WHERE media_id = ?", media_id);
      by_file = query_text (db, "SELECT status FROM uploads WHERE sha256 = ?", sha256);
      if (g_strcmp0 (by_id, "succeeded") == 0)
        continue;
      if (g_strcmp0 (by_file, "interrupted") != 0)
        g_error ("media ID %s (file %s) issued by the simulator: row %s", media_id, sha256,
                 by_file ? by_file : "missing");
      interrupted_issued++;
    }
  sqlite3_close (db);

  g_test_message ("%u IDs issued, %u of them in interrupted rows; %" G_GINT64_FORMAT
                  " rows were pending before the reopen", issued, interrupted_issued,
                  pending_before);
  g_printerr ("# %u runs killed, %u finished; %u results received; %u IDs issued, %u in "
              "interrupted rows; %" G_GINT64_FORMAT " pending rows swept at reopen\n",
              killed_early, completed, received->len, issued, interrupted_issued,
              pending_before);
  /* the runs did hit the interesting places */
  g_assert_cmpuint (killed_early, >, RUNS / 2);
  g_assert_cmpuint (received->len, >, 0);
  g_assert_cmpuint (issued, >, received->len);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/gatepost/cli/crash/sigkill-batches", test_kill_batches);

  sim = gp_test_sim_start (NULL);
  gp_test_sim_import_profiles (sim);
  files_dir = g_build_filename (sim->tmp, "files", NULL);
  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);

  ret = g_test_run ();

  gp_test_sim_stop (sim);
  g_free (files_dir);
  return ret;
}
