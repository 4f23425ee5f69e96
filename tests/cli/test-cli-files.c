/* test-cli-files.c: files that change under gatepost-cli upload, and special files
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch runs with --jobs 1 and the simulator holds the first file's reply
 * for two seconds (its delay fault), so the second file, already checked,
 * waits its turn. The test changes it in that window: the CLI must refuse it
 * (stage check, FILE_CHANGED) and the simulator must never receive a
 * complete body for it. FIFOs, devices and symlinks to them are refused at
 * check without blocking.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-test-sim.h"

static GpTestSim *sim;
static char *files_dir;
static guint counter;

typedef enum
{
  CHANGE_BYTES,
  CHANGE_GROW,
  CHANGE_SHRINK,
  CHANGE_DELETE,
  CHANGE_REPLACE,
} Change;

typedef struct
{
  const char *name;
  const char *profile;
  Change      change;
} ChangeCase;

static const ChangeCase change_cases[] = {
  { "bytes", "sim-wechatpay-v3", CHANGE_BYTES },
  { "grow", "sim-alipay", CHANGE_GROW },
  { "shrink", "sim-wechatpay-v2", CHANGE_SHRINK },
  { "delete", "sim-wechatpay-global", CHANGE_DELETE },
  { "replace", "sim-wechatpay-v3-cert", CHANGE_REPLACE },
};

static guint
pending_rows (void)
{
  g_autofree char *path = gp_test_history_path ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return 0;
    }
  sqlite3_busy_timeout (db, 1000);
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM uploads WHERE status = 'pending'", -1,
                          &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static void
apply_change (const char *path,
              Change      change,
              const char *format)
{
  g_autoptr(GError) error = NULL;
  int fd;

  switch (change)
    {
    case CHANGE_BYTES:
      /* same size, one byte different, same inode */
      fd = open (path, O_WRONLY);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (pwrite (fd, "X", 1, 40), ==, 1);
      close (fd);
      break;
    case CHANGE_GROW:
      fd = open (path, O_WRONLY | O_APPEND);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, "more bytes", 10), ==, 10);
      close (fd);
      break;
    case CHANGE_SHRINK:
      g_assert_cmpint (truncate (path, 30), ==, 0);
      break;
    case CHANGE_DELETE:
      g_assert_cmpint (g_unlink (path), ==, 0);
      break;
    case CHANGE_REPLACE:
      {
        /* another valid file of the same format renamed over it */
        g_autofree char *other = gp_test_write_file (files_dir, "replacement.tmp", format,
                                                     900000 + counter, 0);

        g_assert_cmpint (g_rename (other, path), ==, 0);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_changed (gconstpointer data)
{
  const ChangeCase *c = data;
  const char *format = strstr (c->profile, "global") ? "pdf" : "jpeg";
  const char *ext = strstr (c->profile, "global") ? "pdf" : "jpg";
  g_autofree char *first_name = g_strdup_printf ("first-%u.%s", ++counter, ext);
  g_autofree char *second_name = g_strdup_printf ("second-%u.%s", counter, ext);
  g_autofree char *first = gp_test_write_file (files_dir, first_name, format, 100 + counter, 0);
  g_autofree char *second = gp_test_write_file (files_dir, second_name, format, 200 + counter,
                                                4096);
  const char * const argv[] = { "upload", "--profile", c->profile, "--json", "--jobs", "1",
                                first, second, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 deadline;
  JsonObject *line, *e;

  gp_test_sim_fault (sim, NULL);
  gp_test_sim_clear_uploads (sim);
  gp_test_sim_fault (sim, "{\"mode\":\"delay\",\"seconds\":2,\"count\":1}");

  proc = gp_test_cli_spawnv (NULL, argv, &error);
  g_assert_no_error (error);
  /* the first file's row is pending: both files have been checked */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (pending_rows () == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  apply_change (second, c->change, format);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %s", c->name, out);
  expect_status (g_subprocess_get_exit_status (proc), 1, out, err);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (lines, 0), "ok"));

  line = g_ptr_array_index (lines, 1);
  g_assert_false (json_object_get_boolean_member (line, "ok"));
  g_assert_true (json_object_get_null_member (line, "media_id"));
  e = json_object_get_object_member (line, "error");
  g_assert_cmpstr (json_object_get_string_member (e, "stage"), ==, "check");
  g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "FILE_CHANGED");
  g_assert_cmpuint (strlen (json_object_get_string_member (e, "message")), >, 0);

  /* the simulator got the first file only: nothing complete for the second */
  uploads = gp_test_sim_uploads (sim);
  g_assert_cmpuint (json_array_get_length (uploads), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (uploads, 0),
                                                  "sha256"), ==,
                   json_object_get_string_member (g_ptr_array_index (lines, 0), "sha256"));
  gp_test_sim_fault (sim, NULL);
}

/* The tail of a 40 MiB video changes while its body is being streamed.
 * Either the change came too late to matter (the bytes sent are the bytes
 * checked, and the simulator's SHA-256 says so) or the upload is refused
 * with FILE_CHANGED and no complete body arrived: never a success for
 * bytes other than the checked ones. */
static void
test_changed_mid_stream (void)
{
  g_autofree char *mp4 = gp_test_write_file (files_dir, "stream.mp4", "mp4", 777,
                                             40 * 1024 * 1024);
  const char * const argv[] = { "upload", "--profile", "sim-alipay", "--json", mp4, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) uploads = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  JsonObject *line;
  int fd;

  gp_test_sim_fault (sim, NULL);
  gp_test_sim_clear_uploads (sim);
  proc = gp_test_cli_spawnv (NULL, argv, &error);
  g_assert_no_error (error);
  while (pending_rows () == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  fd = open (mp4, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "CHANGED!", 8, 40 * 1024 * 1024 - 100), ==, 8);
  close (fd);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  lines = gp_test_json_lines (out);
  line = g_ptr_array_index (lines, 0);
  uploads = gp_test_sim_uploads (sim);
  if (json_object_get_boolean_member (line, "ok"))
    {
      g_test_message ("the change came after the last byte was read: sent as checked");
      g_assert_cmpuint (json_array_get_length (uploads), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (uploads, 0),
                                                      "sha256"), ==,
                       json_object_get_string_member (line, "sha256"));
    }
  else
    {
      JsonObject *e = json_object_get_object_member (line, "error");

      g_test_message ("refused mid-stream: %s", json_object_get_string_member (e, "message"));
      g_printerr ("# mid-stream change: refused (%s)\n",
                  json_object_get_string_member (e, "message"));
      g_assert_cmpstr (json_object_get_string_member (e, "stage"), ==, "check");
      g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "FILE_CHANGED");
      g_assert_true (json_object_get_null_member (line, "media_id"));
      for (guint i = 0; i < json_array_get_length (uploads); i++)
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (uploads, i),
                                                     "status"), !=, 200);
      expect_status (g_subprocess_get_exit_status (proc), 1, out, err);
    }
}

/* FIFOs, devices, directories and symlinks to them: refused at check
 * (NOT_REGULAR_FILE), quickly, nothing sent, no history row. */
static void
test_special_files (void)
{
  g_autofree char *fifo = g_build_filename (files_dir, "pipe.jpg", NULL);
  g_autofree char *link_fifo = g_build_filename (files_dir, "link-to-pipe.jpg", NULL);
  g_autofree char *link_zero = g_build_filename (files_dir, "link-to-zero.jpg", NULL);
  g_autofree char *good = gp_test_write_file (files_dir, "special-good.jpg", "jpeg", 4242, 0);
  const char * const argv[] = { "upload", "--profile", "sim-wechatpay-v3", "--json",
                                fifo, link_fifo, link_zero, "/dev/null", files_dir, good, NULL };
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, link_fifo), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", link_zero), ==, 0);

  start = g_get_monotonic_time ();
  expect_status (gp_test_cli_runv (NULL, &out, &err, argv), 1, out, err);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  lines = gp_test_json_lines (out);
  g_assert_cmpuint (lines->len, ==, 6);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);
      JsonObject *e = json_object_get_object_member (line, "error");

      g_assert_false (json_object_get_boolean_member (line, "ok"));
      g_assert_true (json_object_get_null_member (line, "history_id"));
      g_assert_cmpstr (json_object_get_string_member (e, "stage"), ==, "check");
      g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "NOT_REGULAR_FILE");
    }
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (lines, 5), "ok"));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (change_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/gatepost/cli/files/changed/%s",
                                               change_cases[i].name);

      g_test_add_data_func (name, &change_cases[i], test_changed);
    }
  g_test_add_func ("/gatepost/cli/files/special", test_special_files);
  g_test_add_func ("/gatepost/cli/files/changed-mid-stream", test_changed_mid_stream);

  sim = gp_test_sim_start (NULL);
  gp_test_sim_import_profiles (sim);
  files_dir = g_build_filename (sim->tmp, "files", NULL);
  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);

  ret = g_test_run ();

  gp_test_sim_stop (sim);
  g_free (files_dir);
  return ret;
}
