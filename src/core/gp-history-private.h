/* gp-history-private.h: what the gp-history*.c files share
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "gp-history.h"

G_BEGIN_DECLS

#define GP_HISTORY_N_STATUSES (GP_HISTORY_STATUS_INTERRUPTED + 1)

struct _GpHistoryQuery
{
  char          *text;
  char          *profile;
  char          *profile_id;
  GpGatewayKind  gateway;
  int            status;
  gint64         since_us;
  gint64         until_us;
  gint64         before_id;
  guint          limit;
  guint          offset;
};

GpHistoryEntry  *gp_history_entry_alloc         (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The columns gp_history_entry_from_stmt() reads, in its order. */
#define GP_HISTORY_ENTRY_COLUMNS \
  "u.id, u.time_us, u.profile, u.profile_id, u.gateway, u.account, u.path, u.filename, " \
  "u.size, u.format, u.sha256, u.status, u.stage, u.code, u.message, u.attempts, "       \
  "u.duration_ms, u.media_id, u.media_url"

/* The state of one history's worker thread; see gp-history.c. */
typedef struct _GpHistoryWorker GpHistoryWorker;

struct _GpHistoryWorker
{
  /* Set before the thread starts, never changed. */
  char               *path;
  GpHistoryOpenFlags  flags;
  GAsyncQueue        *queue;

  /* The worker thread's alone. */
  sqlite3            *db;
  char               *owners_dir;
  char               *token;
  char               *lock_path;
  int                 lock_fd;
  gboolean            opened;
  GCancellable       *cancellable;   /* the running job's, borrowed */
};

/* A job: runs on the worker thread and returns through @task. */
typedef void (*GpHistoryJobFunc) (GpHistoryWorker *w,
                                  GTask           *task);

/* Binds parameters in order and keeps the first failure for one check. */
typedef struct
{
  sqlite3_stmt *stmt;
  int           index;
  int           rc;
} GpHistoryBinder;

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} GpHistorySyncCall;

void             gp_history_push                (GpHistory          *self,
                                                 GpHistoryJobFunc    func,
                                                 GTask              *task);
void             gp_history_set_sqlite_error    (GError            **error,
                                                 GpHistoryWorker    *w,
                                                 int                 rc,
                                                 const char         *what);
sqlite3_stmt    *gp_history_prepare             (GpHistoryWorker    *w,
                                                 const char         *sql,
                                                 const char         *what,
                                                 GError            **error);
gboolean         gp_history_step_done           (GpHistoryWorker    *w,
                                                 sqlite3_stmt       *stmt,
                                                 const char         *what,
                                                 GError            **error);
void             gp_history_binder_init         (GpHistoryBinder    *b,
                                                 sqlite3_stmt       *stmt);
void             gp_history_bind_text           (GpHistoryBinder    *b,
                                                 const char         *value);
void             gp_history_bind_int64          (GpHistoryBinder    *b,
                                                 gint64              value);
gboolean         gp_history_binder_check        (GpHistoryBinder    *b,
                                                 GpHistoryWorker    *w,
                                                 const char         *what,
                                                 GError            **error);
GpHistoryEntry  *gp_history_entry_from_stmt     (sqlite3_stmt       *stmt);
GPtrArray       *gp_history_collect_entries     (GpHistoryWorker    *w,
                                                 sqlite3_stmt       *stmt,
                                                 const char         *what,
                                                 GError            **error);
gboolean         gp_history_single_int64        (GpHistoryWorker    *w,
                                                 sqlite3_stmt       *stmt,
                                                 gint64             *value,
                                                 const char         *what,
                                                 GError            **error);
void             gp_history_sync_call_begin     (GpHistorySyncCall  *call);
void             gp_history_sync_call_done_cb   (GObject            *object,
                                                 GAsyncResult       *result,
                                                 gpointer            user_data);
void             gp_history_sync_call_wait      (GpHistorySyncCall  *call);
void             gp_history_sync_call_end       (GpHistorySyncCall  *call);

G_END_DECLS
