/* gp-history.c: the upload history, a SQLite file on one worker thread
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-history.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-error.h"
#include "gp-file-check.h"
#include "gp-gateway-info.h"
#include "gp-history-private.h"

/*
 * Threading: one GThread per GpHistory owns the sqlite3 connection. Every
 * operation is a Job (a function + its GTask) pushed on a GAsyncQueue and run
 * there in order, so writes are serialised and a "complete" never overtakes
 * its "begin". The GpHistory object only holds the queue and the thread; the
 * GpHistoryWorker struct (gp-history-private.h) is touched by the worker
 * thread alone.
 *
 * Interrupted uploads: a row is inserted as pending with an owner token. Each
 * process that opens the file read-write creates "<file>-owners/<token>.lock"
 * and holds flock(LOCK_EX) on it for as long as it has the history open. The
 * kernel drops that lock when the process dies, however it dies (SIGKILL,
 * power loss aside). At open, a pending row is marked interrupted only if its
 * owner's lock can be taken (or its lock file is gone). Unlike a stored pid
 * and start time this needs no /proc, survives pid reuse, and works between
 * processes in different pid namespaces (a Flatpak GUI and a CLI run through
 * `flatpak run --command`), since they share the file but not pids.
 */

#define BUSY_TIMEOUT_MS 5000
#define BUSY_SLEEP_MS 2
#define PROGRESS_STEPS 10000


/* Migrations: migrations[v] takes a file from user_version v to v + 1.
 * Never edit one that has shipped; add a new one. */
static const char * const migrations[] = {
  /* 1: the table of uploads. */
  "CREATE TABLE uploads ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time_us     INTEGER NOT NULL,"
  "  profile     TEXT NOT NULL,"
  "  profile_id  TEXT NOT NULL,"
  "  gateway     TEXT NOT NULL,"
  "  account     TEXT,"
  "  path        TEXT NOT NULL,"
  "  filename    TEXT NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  format      TEXT,"
  "  sha256      TEXT,"
  "  status      TEXT NOT NULL"
  "              CHECK (status IN ('pending', 'succeeded', 'failed', 'interrupted')),"
  "  stage       TEXT,"
  "  code        TEXT,"
  "  message     TEXT,"
  "  attempts    INTEGER NOT NULL DEFAULT 0,"
  "  duration_ms INTEGER,"
  "  media_id    TEXT,"
  "  media_url   TEXT,"
  "  owner       TEXT"
  ");"
  "CREATE INDEX uploads_time ON uploads (time_us);"
  "CREATE INDEX uploads_profile ON uploads (profile);"
  "CREATE INDEX uploads_pending ON uploads (owner) WHERE status = 'pending';"
  "CREATE INDEX uploads_duplicate ON uploads (sha256, profile_id) WHERE status = 'succeeded';"
  "CREATE INDEX uploads_capacity ON uploads (gateway, profile_id) WHERE status = 'succeeded';"
  "CREATE INDEX uploads_capacity_account ON uploads (gateway, account)"
  "  WHERE status = 'succeeded';"
  "PRAGMA user_version = 1;",

  /* 2: trigram full-text search over an external-content table kept in
   * sync by triggers; 'rebuild' indexes the rows a version-1 file has. */
  "CREATE VIRTUAL TABLE uploads_fts USING fts5 ("
  "  filename, media_id, profile, code,"
  "  content = 'uploads', content_rowid = 'id', tokenize = 'trigram');"
  "CREATE TRIGGER uploads_fts_insert AFTER INSERT ON uploads BEGIN"
  "  INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
  "    VALUES (new.id, new.filename, new.media_id, new.profile, new.code);"
  "END;"
  "CREATE TRIGGER uploads_fts_delete AFTER DELETE ON uploads BEGIN"
  "  INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
  "    VALUES ('delete', old.id, old.filename, old.media_id, old.profile, old.code);"
  "END;"
  "CREATE TRIGGER uploads_fts_update AFTER UPDATE OF filename, media_id, profile, code"
  "  ON uploads BEGIN"
  "  INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
  "    VALUES ('delete', old.id, old.filename, old.media_id, old.profile, old.code);"
  "  INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
  "    VALUES (new.id, new.filename, new.media_id, new.profile, new.code);"
  "END;"
  "INSERT INTO uploads_fts (uploads_fts) VALUES ('rebuild');"
  "PRAGMA user_version = 2;",

  /* 3: the same index rebuilt with two U+001F marks after each value
   * (through a view, so that 'rebuild' and the triggers agree): then every
   * occurrence of a one- or two-character term starts a trigram, and
   * uploads_fts_terms (the index's vocabulary) finds it. */
  "DROP TRIGGER uploads_fts_insert;"
  "DROP TRIGGER uploads_fts_delete;"
  "DROP TRIGGER uploads_fts_update;"
  "DROP TABLE uploads_fts;"
  "CREATE VIEW uploads_fts_source AS SELECT id,"
  "  filename || char(31, 31) AS filename, media_id || char(31, 31) AS media_id,"
  "  profile || char(31, 31) AS profile, code || char(31, 31) AS code FROM uploads;"
  "CREATE VIRTUAL TABLE uploads_fts USING fts5 ("
  "  filename, media_id, profile, code,"
  "  content = 'uploads_fts_source', content_rowid = 'id', tokenize = 'trigram');"
  "CREATE VIRTUAL TABLE uploads_fts_terms USING fts5vocab (uploads_fts, 'row');"
  "CREATE TRIGGER uploads_fts_insert AFTER INSERT ON uploads BEGIN"
  "  INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
  "    VALUES (new.id, new.filename || char(31, 31), new.media_id || char(31, 31),"
  "            new.profile || char(31, 31), new.code || char(31, 31));"
  "END;"
  "CREATE TRIGGER uploads_fts_delete AFTER DELETE ON uploads BEGIN"
  "  INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
  "    VALUES ('delete', old.id, old.filename || char(31, 31), old.media_id || char(31, 31),"
  "            old.profile || char(31, 31), old.code || char(31, 31));"
  "END;"
  "CREATE TRIGGER uploads_fts_update AFTER UPDATE OF filename, media_id, profile, code"
  "  ON uploads BEGIN"
  "  INSERT INTO uploads_fts (uploads_fts, rowid, filename, media_id, profile, code)"
  "    VALUES ('delete', old.id, old.filename || char(31, 31), old.media_id || char(31, 31),"
  "            old.profile || char(31, 31), old.code || char(31, 31));"
  "  INSERT INTO uploads_fts (rowid, filename, media_id, profile, code)"
  "    VALUES (new.id, new.filename || char(31, 31), new.media_id || char(31, 31),"
  "            new.profile || char(31, 31), new.code || char(31, 31));"
  "END;"
  "INSERT INTO uploads_fts (uploads_fts) VALUES ('rebuild');"
  "PRAGMA user_version = 3;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GP_HISTORY_SCHEMA_VERSION);

/* ------------------------------------------------------------------------ */
/* The worker                                                                */

typedef struct
{
  GpHistoryJobFunc  func;   /* NULL: close and end the thread */
  GTask   *task;
} Job;

struct _GpHistory
{
  GObject      parent_instance;

  char        *path;
  GAsyncQueue *queue;
  GThread     *thread;
};

G_DEFINE_FINAL_TYPE (GpHistory, gp_history, G_TYPE_OBJECT)

static GpHistoryError
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return GP_HISTORY_ERROR_CORRUPT;
    case SQLITE_READONLY:
      return GP_HISTORY_ERROR_READ_ONLY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return GP_HISTORY_ERROR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return GP_HISTORY_ERROR_CANT_OPEN;
    case SQLITE_FULL:
      return GP_HISTORY_ERROR_FULL;
    default:
      return GP_HISTORY_ERROR_FAILED;
    }
}

/* Every SQLite failure ends here: a specific code, what we were doing, the
 * file, and SQLite's own message. A statement stopped because the caller
 * cancelled (see busy_cb() and progress_cb()) is G_IO_ERROR_CANCELLED. */
void
gp_history_set_sqlite_error (GError          **error,
                             GpHistoryWorker  *w,
                             int               rc,
                             const char       *what)
{
  const char *detail = w->db != NULL ? sqlite3_errmsg (w->db) : sqlite3_errstr (rc);

  if (((rc & 0xff) == SQLITE_INTERRUPT || (rc & 0xff) == SQLITE_BUSY) &&
      g_cancellable_is_cancelled (w->cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s (%s): %s", what, w->path,
                   "cancelled");
      return;
    }

  g_set_error (error, GP_HISTORY_ERROR, error_code_for_sqlite (rc),
               "%s (%s): %s", what, w->path, detail);
}

/* Waits for another process's write to end, for BUSY_TIMEOUT_MS at most,
 * or until the caller cancels. */
static int
busy_cb (gpointer data,
         int      count)
{
  GpHistoryWorker *w = data;

  if (g_cancellable_is_cancelled (w->cancellable) ||
      (gint64) count * BUSY_SLEEP_MS >= BUSY_TIMEOUT_MS)
    return 0;
  g_usleep (BUSY_SLEEP_MS * 1000);

  return 1;
}

/* Lets a long statement (a search of a short term scans every row) stop
 * as soon as its caller cancels, freeing the thread for the next job. */
static int
progress_cb (gpointer data)
{
  GpHistoryWorker *w = data;

  return g_cancellable_is_cancelled (w->cancellable);
}

sqlite3_stmt *
gp_history_prepare (GpHistoryWorker      *w,
                    const char  *sql,
                    const char  *what,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (w->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

static gboolean
exec_sql (GpHistoryWorker      *w,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (w->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return FALSE;
    }

  return TRUE;
}

static void
rollback (GpHistoryWorker *w)
{
  /* After some errors SQLite has already rolled back; nothing to report. */
  if (!sqlite3_get_autocommit (w->db))
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
}

void
gp_history_binder_init (GpHistoryBinder       *b,
                        sqlite3_stmt *stmt)
{
  b->stmt = stmt;
  b->index = 0;
  b->rc = SQLITE_OK;
}

void
gp_history_bind_text (GpHistoryBinder     *b,
                      const char *value)
{
  int rc;

  b->index++;
  if (value != NULL)
    rc = sqlite3_bind_text (b->stmt, b->index, value, -1, SQLITE_TRANSIENT);
  else
    rc = sqlite3_bind_null (b->stmt, b->index);
  if (b->rc == SQLITE_OK)
    b->rc = rc;
}

void
gp_history_bind_int64 (GpHistoryBinder *b,
                       gint64  value)
{
  int rc = sqlite3_bind_int64 (b->stmt, ++b->index, value);

  if (b->rc == SQLITE_OK)
    b->rc = rc;
}

gboolean
gp_history_binder_check (GpHistoryBinder      *b,
                         GpHistoryWorker      *w,
                         const char  *what,
                         GError     **error)
{
  if (b->rc != SQLITE_OK)
    {
      gp_history_set_sqlite_error (error, w, b->rc, what);
      return FALSE;
    }

  return TRUE;
}

gboolean
gp_history_step_done (GpHistoryWorker        *w,
                      sqlite3_stmt  *stmt,
                      const char    *what,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return FALSE;
    }

  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* Reads a row selected with GP_HISTORY_ENTRY_COLUMNS. */
GpHistoryEntry *
gp_history_entry_from_stmt (sqlite3_stmt *stmt)
{
  GpHistoryEntry *e = gp_history_entry_alloc ();
  GpHistoryStatus status = GP_HISTORY_STATUS_FAILED;

  e->id = sqlite3_column_int64 (stmt, 0);
  e->time_us = sqlite3_column_int64 (stmt, 1);
  e->profile = column_dup (stmt, 2);
  e->profile_id = column_dup (stmt, 3);
  e->gateway = column_dup (stmt, 4);
  e->account = column_dup (stmt, 5);
  e->path = column_dup (stmt, 6);
  e->filename = column_dup (stmt, 7);
  e->size = (guint64) sqlite3_column_int64 (stmt, 8);
  e->format = column_dup (stmt, 9);
  e->sha256 = column_dup (stmt, 10);
  gp_history_status_from_string ((const char *) sqlite3_column_text (stmt, 11), &status);
  e->status = status;
  e->stage = column_dup (stmt, 12);
  e->code = column_dup (stmt, 13);
  e->message = column_dup (stmt, 14);
  e->attempts = (guint) sqlite3_column_int64 (stmt, 15);
  e->duration_ms = sqlite3_column_type (stmt, 16) == SQLITE_NULL
                   ? -1 : sqlite3_column_int64 (stmt, 16);
  e->media_id = column_dup (stmt, 17);
  e->media_url = column_dup (stmt, 18);

  return e;
}

static gboolean
read_user_version (GpHistoryWorker  *w,
                   int     *version,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = gp_history_prepare (w, "PRAGMA user_version", "Could not read the upload history", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      gp_history_set_sqlite_error (error, w, rc, "Could not read the upload history");
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);

  return TRUE;
}

static gboolean
check_version (GpHistoryWorker  *w,
               int      version,
               GError **error)
{
  if (version > GP_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_VERSION,
                   "The upload history (%s) was written by a newer version of Gatepost "
                   "(schema %d; this version knows up to %d): update Gatepost",
                   w->path, version, GP_HISTORY_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* Takes the file from whatever version it has to the current one, in one
 * transaction; BEGIN IMMEDIATE makes a second process opening at the same
 * moment wait and then find the work done. */
static gboolean
migrate (GpHistoryWorker  *w,
         GError **error)
{
  const char *what = "Could not upgrade the upload history";
  int version;

  if (!read_user_version (w, &version, error) || !check_version (w, version, error))
    return FALSE;
  if (version == GP_HISTORY_SCHEMA_VERSION)
    return TRUE;

  if (!exec_sql (w, "BEGIN IMMEDIATE", what, error))
    return FALSE;
  if (!read_user_version (w, &version, error) || !check_version (w, version, error))
    {
      rollback (w);
      return FALSE;
    }
  for (int v = version; v < GP_HISTORY_SCHEMA_VERSION; v++)
    {
      g_debug ("Migrating %s from schema %d to %d", w->path, v, v + 1);
      if (!exec_sql (w, migrations[v], what, error))
        {
          rollback (w);
          return FALSE;
        }
    }

  return exec_sql (w, "COMMIT", what, error);
}

/* Creates this process's lock file and holds flock on it until close. The
 * file is locked under a temporary name and then renamed, so no other
 * process ever sees an unlocked "<token>.lock" of a live process. */
static gboolean
owner_lock (GpHistoryWorker  *w,
            GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  int fd;

  w->owners_dir = g_strconcat (w->path, "-owners", NULL);
  if (g_mkdir_with_parents (w->owners_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CANT_OPEN,
                   "Could not create the folder %s beside the upload history: %s",
                   w->owners_dir, g_strerror (errsv));
      return FALSE;
    }

  w->token = g_uuid_string_random ();
  name = g_strconcat (w->token, ".lock", NULL);
  tmp_name = g_strconcat (w->token, ".new", NULL);
  w->lock_path = g_build_filename (w->owners_dir, name, NULL);
  tmp_path = g_build_filename (w->owners_dir, tmp_name, NULL);
  fd = open (tmp_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0 || rename (tmp_path, w->lock_path) != 0)
    {
      int errsv = errno;

      if (fd >= 0)
        {
          g_unlink (tmp_path);
          close (fd);
        }
      g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CANT_OPEN,
                   "Could not create the lock file %s of the upload history: %s",
                   w->lock_path, g_strerror (errsv));
      g_clear_pointer (&w->lock_path, g_free);
      g_clear_pointer (&w->token, g_free);
      return FALSE;
    }
  w->lock_fd = fd;

  return TRUE;
}

/* TRUE if the process that wrote @token still has the history open. A
 * token is a row's owner; it only ever names a lock file its process had
 * already locked before it wrote the row. */
static gboolean
owner_is_alive (GpHistoryWorker     *w,
                const char *token)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  int fd;

  if (token == NULL || !g_uuid_string_is_valid (token))
    return FALSE;
  if (g_strcmp0 (token, w->token) == 0)
    return TRUE;

  name = g_strconcat (token, ".lock", NULL);
  path = g_build_filename (w->owners_dir, name, NULL);
  fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    {
      /* Gone: its owner closed or a sweep already found it dead. Any other
       * failure means we cannot tell, and a live upload must not be marked. */
      return errno != ENOENT;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return TRUE;
    }

  /* Its owner is gone; remove the file while holding the lock. */
  g_unlink (path);
  close (fd);

  return FALSE;
}

/* Removes the lock files of processes that died with nothing pending. */
static void
remove_stale_locks (GpHistoryWorker *w)
{
  g_autoptr(GDir) dir = g_dir_open (w->owners_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *token = NULL;

      if (!g_str_has_suffix (name, ".lock"))
        continue;
      token = g_strndup (name, strlen (name) - strlen (".lock"));
      /* Takes the lock and removes the file if its owner is gone. */
      owner_is_alive (w, token);
    }
}

static gboolean
sweep_interrupted (GpHistoryWorker  *w,
                   GError **error)
{
  const char *what = "Could not mark interrupted uploads in the upload history";
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (g_free);
  gboolean has_null = FALSE;
  int rc;

  select = gp_history_prepare (w, "SELECT DISTINCT owner FROM uploads WHERE status = 'pending'",
                               what, error);
  if (select == NULL)
    return FALSE;
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *owner = (const char *) sqlite3_column_text (select, 0);

      if (owner == NULL)
        has_null = TRUE;
      else if (!owner_is_alive (w, owner))
        g_ptr_array_add (dead, g_strdup (owner));
    }
  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return FALSE;
    }
  if (has_null)
    g_ptr_array_add (dead, NULL);
  if (dead->len == 0)
    return TRUE;

  update = gp_history_prepare (w,
                               "UPDATE uploads SET status = 'interrupted', code = ?, message = ?, "
                               "owner = NULL WHERE status = 'pending' AND owner IS ?",
                               what, error);
  if (update == NULL || !exec_sql (w, "BEGIN IMMEDIATE", what, error))
    return FALSE;
  for (guint i = 0; i < dead->len; i++)
    {
      GpHistoryBinder b;

      sqlite3_reset (update);
      gp_history_binder_init (&b, update);
      gp_history_bind_text (&b, GP_HISTORY_INTERRUPTED_CODE);
      gp_history_bind_text (&b, GP_HISTORY_INTERRUPTED_MESSAGE);
      gp_history_bind_text (&b, g_ptr_array_index (dead, i));
      if (!gp_history_binder_check (&b, w, what, error) ||
          !gp_history_step_done (w, update, what, error))
        {
          rollback (w);
          return FALSE;
        }
      g_debug ("Marked %d upload(s) of a stopped process as interrupted",
               sqlite3_changes (w->db));
    }

  return exec_sql (w, "COMMIT", what, error);
}

static gboolean
worker_open (GpHistoryWorker  *w,
             GError **error)
{
  gboolean read_only = (w->flags & GP_HISTORY_OPEN_READ_ONLY) != 0;
  g_autofree char *dir = g_path_get_dirname (w->path);
  int version;
  int rc;

  if (!read_only && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_CANT_OPEN,
                   "Could not create the folder of the upload history (%s): %s",
                   dir, g_strerror (errsv));
      return FALSE;
    }

  /* The history names people's files: keep it private (SQLite would
   * create it with the umask's mode; its -wal and -shm files copy this). */
  if (!read_only)
    {
      int fd = open (w->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
    }

  rc = sqlite3_open_v2 (w->path, &w->db,
                        read_only ? SQLITE_OPEN_READONLY
                                  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      gp_history_set_sqlite_error (error, w, rc, "Could not open the upload history");
      return FALSE;
    }
  sqlite3_extended_result_codes (w->db, 1);
  sqlite3_busy_handler (w->db, busy_cb, w);
  sqlite3_progress_handler (w->db, PROGRESS_STEPS, progress_cb, w);

  /* SQLite silently opens a file it may not write read-only; say so now
   * rather than at the first upload. */
  if (!read_only && sqlite3_db_readonly (w->db, "main") == 1)
    {
      g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_READ_ONLY,
                   "The upload history (%s) is read-only: check the permissions of the "
                   "file and its folder", w->path);
      return FALSE;
    }

  /* The first read of the header: a file that is not a database fails here. */
  if (!read_user_version (w, &version, error) || !check_version (w, version, error))
    return FALSE;

  if (read_only)
    {
      if (version < GP_HISTORY_SCHEMA_VERSION)
        {
          g_set_error (error, GP_HISTORY_ERROR, GP_HISTORY_ERROR_VERSION,
                       "The upload history (%s) has an older format (schema %d) that a "
                       "read-only open cannot upgrade: open it once normally",
                       w->path, version);
          return FALSE;
        }
      return TRUE;
    }

  /* WAL lets the CLI read while the GUI writes; synchronous=FULL makes a
   * pending row durable before the first byte of its upload is sent. */
  if (!exec_sql (w, "PRAGMA journal_mode = WAL", "Could not open the upload history", error) ||
      !exec_sql (w, "PRAGMA synchronous = FULL", "Could not open the upload history", error))
    return FALSE;

  if (!migrate (w, error) || !owner_lock (w, error) || !sweep_interrupted (w, error))
    return FALSE;
  remove_stale_locks (w);
  w->opened = TRUE;

  return TRUE;
}

/* Rows this process leaves pending are interrupted: nothing will complete
 * them once the history is closed. */
static void
worker_close (GpHistoryWorker *w)
{
  if (w->db != NULL && w->opened)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      GpHistoryBinder b;

      stmt = gp_history_prepare (w,
                                 "UPDATE uploads SET status = 'interrupted', code = ?, "
                                 "message = ?, owner = NULL "
                                 "WHERE status = 'pending' AND owner = ?",
                                 "Could not close the upload history", &error);
      if (stmt != NULL)
        {
          gp_history_binder_init (&b, stmt);
          gp_history_bind_text (&b, GP_HISTORY_INTERRUPTED_CODE);
          gp_history_bind_text (&b, GP_HISTORY_INTERRUPTED_MESSAGE);
          gp_history_bind_text (&b, w->token);
          if (gp_history_binder_check (&b, w, "Could not close the upload history", &error))
            gp_history_step_done (w, stmt, "Could not close the upload history", &error);
        }
      /* Not fatal: the next open finds these rows' owner gone. */
      if (error != NULL)
        g_debug ("%s", error->message);
    }

  if (w->db != NULL)
    {
      int rc = sqlite3_close (w->db);

      /* Only a statement left unfinalized can make this fail. */
      if (rc != SQLITE_OK)
        g_warning ("Could not close the upload history (%s): %s", w->path,
                   sqlite3_errstr (rc));
      w->db = NULL;
    }

  if (w->lock_fd >= 0)
    {
      g_unlink (w->lock_path);
      close (w->lock_fd);
      w->lock_fd = -1;
    }
}

static void
worker_free (GpHistoryWorker *w)
{
  g_async_queue_unref (w->queue);
  g_free (w->path);
  g_free (w->owners_dir);
  g_free (w->token);
  g_free (w->lock_path);
  g_free (w);
}

static gboolean
release_task_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer data)
{
  GpHistoryWorker *w = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (w->queue);
      GMainContext *context;
      GSource *release;

      if (job->func == NULL)
        {
          g_free (job);
          break;
        }
      w->cancellable = g_task_get_cancellable (job->task);
      if (!g_task_return_error_if_cancelled (job->task))
        job->func (w, job->task);
      w->cancellable = NULL;
      /* Drop this thread's reference in the caller's context (an idle,
       * not g_main_context_invoke, which may run it right here), so that
       * the last reference to the task, and so perhaps to the GpHistory,
       * goes there and never here: a GpHistory finalized on its own thread
       * could not wait for its database to close. */
      context = g_main_context_ref (g_task_get_context (job->task));
      release = g_idle_source_new ();
      g_source_set_priority (release, G_PRIORITY_DEFAULT);
      g_source_set_callback (release, release_task_cb, g_steal_pointer (&job->task),
                             g_object_unref);
      g_source_attach (release, context);
      /* The source may already have run, freeing the task and letting the
       * caller drop the context: hold it until this thread is done. */
      g_source_unref (release);
      g_main_context_unref (context);
      g_free (job);
    }

  worker_close (w);
  worker_free (w);

  return NULL;
}

void
gp_history_push (GpHistory *self,
                 GpHistoryJobFunc    func,
                 GTask     *task)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->task = task;
  g_async_queue_push (self->queue, job);
}

static void
gp_history_finalize (GObject *object)
{
  GpHistory *self = GP_HISTORY (object);

  g_async_queue_push (self->queue, g_new0 (Job, 1));
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (gp_history_parent_class)->finalize (object);
}

static void
gp_history_class_init (GpHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_history_finalize;
}

static void
gp_history_init (GpHistory *self)
{
}

/* ------------------------------------------------------------------------ */
/* Running the async API synchronously (for the CLI and tests)               */

void
gp_history_sync_call_begin (GpHistorySyncCall *call)
{
  call->context = g_main_context_new ();
  call->result = NULL;
  g_main_context_push_thread_default (call->context);
}

void
gp_history_sync_call_done_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  GpHistorySyncCall *call = user_data;

  call->result = g_object_ref (result);
}

void
gp_history_sync_call_wait (GpHistorySyncCall *call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->context, TRUE);
}

static void
task_finalized_cb (gpointer  data,
                   GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* Returns once the worker has let go of the task too, so that the caller's
 * next unref of the GpHistory is really its last. */
void
gp_history_sync_call_end (GpHistorySyncCall *call)
{
  gboolean finalized = FALSE;

  g_object_weak_ref (G_OBJECT (call->result), task_finalized_cb, &finalized);
  g_clear_object (&call->result);
  while (!finalized)
    g_main_context_iteration (call->context, TRUE);
  g_main_context_pop_thread_default (call->context);
  g_main_context_unref (call->context);
}

/* ------------------------------------------------------------------------ */
/* Open                                                                      */

/**
 * gp_history_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/gatepost/history.sqlite3`
 */
char *
gp_history_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "gatepost", "history.sqlite3", NULL);
}

const char *
gp_history_get_path (GpHistory *self)
{
  g_return_val_if_fail (GP_IS_HISTORY (self), NULL);

  return self->path;
}

static void
open_job (GpHistoryWorker *w,
          GTask  *task)
{
  g_autoptr(GError) error = NULL;

  if (!worker_open (w, &error))
    {
      worker_close (w);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * gp_history_open_async:
 * @path: the database file, created (with its folder) if missing; see
 *   gp_history_dup_default_path()
 *
 * Opens the history on its own thread: migrates the schema to
 * %GP_HISTORY_SCHEMA_VERSION and marks the pending rows of processes that
 * are gone as interrupted.
 */
void
gp_history_open_async (const char          *path,
                       GpHistoryOpenFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GpHistory) self = NULL;
  g_autoptr(GTask) task = NULL;
  GpHistoryWorker *w;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = g_object_new (GP_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);

  w = g_new0 (GpHistoryWorker, 1);
  w->path = g_strdup (path);
  w->flags = flags;
  w->lock_fd = -1;
  w->queue = g_async_queue_new ();
  self->queue = g_async_queue_ref (w->queue);
  self->thread = g_thread_new ("gp-history", worker_main, w);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_open_async);
  gp_history_push (self, open_job, g_steal_pointer (&task));
}

/**
 * gp_history_open_finish:
 *
 * Returns: (transfer full): the history, or %NULL with @error set
 */
GpHistory *
gp_history_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == gp_history_open_async, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  return g_object_ref (g_task_get_source_object (task));
}

GpHistory *
gp_history_open_sync (const char          *path,
                      GpHistoryOpenFlags   flags,
                      GCancellable        *cancellable,
                      GError             **error)
{
  GpHistorySyncCall call;
  GpHistory *self;

  gp_history_sync_call_begin (&call);
  gp_history_open_async (path, flags, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  self = gp_history_open_finish (call.result, error);
  gp_history_sync_call_end (&call);

  return self;
}

/* ------------------------------------------------------------------------ */
/* Begin and complete                                                        */

static void
begin_job (GpHistoryWorker *w,
           GTask  *task)
{
  const char *what = "Could not record the upload in the history";
  GpHistoryEntry *e = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  GpHistoryBinder b;

  stmt = gp_history_prepare (w,
                             "INSERT INTO uploads (time_us, profile, profile_id, gateway, "
                             "account, path, filename, size, format, sha256, status, "
                             "attempts, owner) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  gp_history_binder_init (&b, stmt);
  gp_history_bind_int64 (&b, g_get_real_time ());
  gp_history_bind_text (&b, e->profile);
  gp_history_bind_text (&b, e->profile_id);
  gp_history_bind_text (&b, e->gateway);
  gp_history_bind_text (&b, e->account);
  gp_history_bind_text (&b, e->path);
  gp_history_bind_text (&b, e->filename);
  gp_history_bind_int64 (&b, (gint64) e->size);
  gp_history_bind_text (&b, e->format);
  gp_history_bind_text (&b, e->sha256);
  gp_history_bind_text (&b, w->token);
  if (!gp_history_binder_check (&b, w, what, &error) ||
      !gp_history_step_done (w, stmt, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, sqlite3_last_insert_rowid (w->db));
}

/**
 * gp_history_begin_async:
 * @pending: the upload about to start (gp_history_entry_new_pending())
 *
 * Writes @pending as a pending row, durably, and gives its id. Call it
 * before the first byte is sent and complete the row with
 * gp_history_complete_async() afterwards.
 */
void
gp_history_begin_async (GpHistory           *self,
                        GpHistoryEntry      *pending,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (pending != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_begin_async);
  g_task_set_task_data (task, gp_history_entry_ref (pending),
                        (GDestroyNotify) gp_history_entry_unref);
  gp_history_push (self, begin_job, task);
}

/**
 * gp_history_begin_finish:
 *
 * Returns: the new row's id, or -1 with @error set
 */
gint64
gp_history_begin_finish (GpHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_begin_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

gint64
gp_history_begin_sync (GpHistory       *self,
                       GpHistoryEntry  *pending,
                       GCancellable    *cancellable,
                       GError         **error)
{
  GpHistorySyncCall call;
  gint64 id;

  gp_history_sync_call_begin (&call);
  gp_history_begin_async (self, pending, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  id = gp_history_begin_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return id;
}

typedef struct
{
  gint64          id;
  GpUploadResult *result;
} CompleteData;

static void
complete_data_free (gpointer data)
{
  CompleteData *d = data;

  gp_upload_result_unref (d->result);
  g_free (d);
}

/* Called when an UPDATE of @id changed nothing: say why. */
static GError *
explain_unchanged (GpHistoryWorker *w,
                   gint64  id)
{
  const char *what = "Could not complete the upload in the history";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  GpHistoryBinder b;
  int rc;

  stmt = gp_history_prepare (w, "SELECT status FROM uploads WHERE id = ?", what, &error);
  if (stmt == NULL)
    return error;
  gp_history_binder_init (&b, stmt);
  gp_history_bind_int64 (&b, id);
  if (!gp_history_binder_check (&b, w, what, &error))
    return error;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_error_new (GP_HISTORY_ERROR, GP_HISTORY_ERROR_INVALID,
                        "Upload %" G_GINT64_FORMAT " in the history is already complete (%s)",
                        id, (const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_DONE)
    return g_error_new (GP_HISTORY_ERROR, GP_HISTORY_ERROR_NOT_FOUND,
                        "There is no upload %" G_GINT64_FORMAT " in the history (%s)",
                        id, w->path);
  gp_history_set_sqlite_error (&error, w, rc, what);

  return error;
}

static void
complete_job (GpHistoryWorker *w,
              GTask  *task)
{
  const char *what = "Could not complete the upload in the history";
  CompleteData *d = g_task_get_task_data (task);
  GpUploadResult *r = d->result;
  gboolean ok = gp_upload_result_is_ok (r);
  gboolean cancelled;
  GpHistoryStatus status;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  GpHistoryBinder b;

  /* An interrupted row may still be completed: if the process lived after
   * all, the media ID it got is the truth and must not be lost. */
  stmt = gp_history_prepare (w,
                             "UPDATE uploads SET status = ?, stage = ?, code = ?, message = ?, "
                             "attempts = ?, duration_ms = ?, media_id = ?, media_url = ?, "
                             "sha256 = coalesce (sha256, ?), owner = NULL "
                             "WHERE id = ? AND status IN ('pending', 'interrupted')",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A begun upload that was cancelled may have reached the gateway: the
   * bytes were on their way. Like a crash, that is "interrupted", never a
   * plain failure that would invite a blind retry. */
  cancelled = !ok && gp_upload_result_get_stage (r) == GP_STAGE_NETWORK &&
              g_strcmp0 (gp_upload_result_get_code (r), "CANCELLED") == 0;
  if (ok)
    status = GP_HISTORY_STATUS_SUCCEEDED;
  else if (cancelled)
    status = GP_HISTORY_STATUS_INTERRUPTED;
  else
    status = GP_HISTORY_STATUS_FAILED;

  gp_history_binder_init (&b, stmt);
  gp_history_bind_text (&b, gp_history_status_to_string (status));
  gp_history_bind_text (&b, gp_stage_to_string (gp_upload_result_get_stage (r)));
  gp_history_bind_text (&b, gp_upload_result_get_code (r));
  gp_history_bind_text (&b, cancelled ? GP_HISTORY_CANCELLED_MESSAGE
                                      : gp_upload_result_get_message (r));
  gp_history_bind_int64 (&b, gp_upload_result_get_attempts (r));
  gp_history_bind_int64 (&b, gp_upload_result_get_duration_ms (r));
  gp_history_bind_text (&b, gp_upload_result_get_media_id (r));
  gp_history_bind_text (&b, gp_upload_result_get_media_url (r));
  gp_history_bind_text (&b, gp_upload_result_get_sha256 (r));
  gp_history_bind_int64 (&b, d->id);
  if (!gp_history_binder_check (&b, w, what, &error) ||
      !gp_history_step_done (w, stmt, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (sqlite3_changes (w->db) == 0)
    {
      g_task_return_error (task, explain_unchanged (w, d->id));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * gp_history_complete_async:
 * @id: what gp_history_begin_finish() gave
 * @result: the outcome
 * @cancellable: (nullable): best %NULL: a cancelled completion loses the
 *   outcome, and the row is then marked interrupted when this process ends
 *
 * Records the outcome of upload @id (status succeeded or failed, stage, code,
 * message, attempts, duration, media ID and URL).
 */
void
gp_history_complete_async (GpHistory           *self,
                           gint64               id,
                           GpUploadResult      *result,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  CompleteData *d;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (result != NULL);

  d = g_new0 (CompleteData, 1);
  d->id = id;
  d->result = gp_upload_result_ref (result);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_complete_async);
  g_task_set_task_data (task, d, complete_data_free);
  gp_history_push (self, complete_job, task);
}

gboolean
gp_history_complete_finish (GpHistory     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_complete_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gp_history_complete_sync (GpHistory       *self,
                          gint64           id,
                          GpUploadResult  *result,
                          GCancellable    *cancellable,
                          GError         **error)
{
  GpHistorySyncCall call;
  gboolean ok;

  gp_history_sync_call_begin (&call);
  gp_history_complete_async (self, id, result, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  ok = gp_history_complete_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return ok;
}

/* Runs a prepared SELECT of GP_HISTORY_ENTRY_COLUMNS to the end. */
GPtrArray *
gp_history_collect_entries (GpHistoryWorker        *w,
                            sqlite3_stmt  *stmt,
                            const char    *what,
                            GError       **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gp_history_entry_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, gp_history_entry_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* Runs a prepared SELECT of one integer. */
gboolean
gp_history_single_int64 (GpHistoryWorker        *w,
                         sqlite3_stmt  *stmt,
                         gint64        *value,
                         const char    *what,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return FALSE;
    }
  *value = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

