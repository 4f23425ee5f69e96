/* gp-history.h: the upload history, a SQLite file on one worker thread
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gp-types.h"
#include "gp-upload-result.h"

G_BEGIN_DECLS

/*
 * GpHistory: every upload, one row each, in
 * `$XDG_DATA_HOME/gatepost/history.sqlite3`. All work runs in order on the
 * history's own thread; each operation is `_async`/`_finish` (with a
 * `_sync` wrapper for the CLI). An upload is recorded in two steps:
 *
 *   id = begin (gp_history_entry_new_pending (…))   before the first byte
 *   complete (id, result)                            after the outcome
 *
 * A row still pending when its process dies becomes interrupted at the next
 * open (by any process); rows of live processes are left alone.
 * Nothing secret is ever stored.
 */

/* The schema version this build writes (PRAGMA user_version). */
#define GP_HISTORY_SCHEMA_VERSION 3

/* Alipay keeps at most this many images and videos per merchant app. */
#define GP_HISTORY_ALIPAY_CAPACITY 5000

/* What a row left pending by a process that died says. */
#define GP_HISTORY_CANCELLED_MESSAGE \
  "The upload was cancelled while it was being sent; the gateway may or may not have stored the file"
#define GP_HISTORY_INTERRUPTED_MESSAGE \
  "Gatepost stopped before this upload finished; the gateway may or may not have stored the file"
#define GP_HISTORY_INTERRUPTED_CODE "INTERRUPTED"

typedef enum
{
  GP_HISTORY_STATUS_PENDING,
  GP_HISTORY_STATUS_SUCCEEDED,
  GP_HISTORY_STATUS_FAILED,
  GP_HISTORY_STATUS_INTERRUPTED,
} GpHistoryStatus;

typedef enum
{
  GP_HISTORY_OPEN_NONE      = 0,
  /* Neither migrates, sweeps nor writes; any write fails with
   * GP_HISTORY_ERROR_READ_ONLY. */
  GP_HISTORY_OPEN_READ_ONLY = 1 << 0,
} GpHistoryOpenFlags;

typedef enum
{
  GP_HISTORY_EXPORT_CSV,
  GP_HISTORY_EXPORT_JSON,
} GpHistoryExportFormat;

/* One upload. A plain ref-counted struct that crosses threads; its fields
 * are read-only for everyone but gp-history.c. Strings are UTF-8 or NULL. */
typedef struct _GpHistoryEntry GpHistoryEntry;
struct _GpHistoryEntry
{
  gint64           id;           /* -1 until begin stored it */
  gint64           time_us;      /* begin time, UTC, microseconds since 1970 */
  char            *profile;      /* profile name at upload time */
  char            *profile_id;   /* the profile's stable id */
  char            *gateway;      /* "alipay", "wechatpay-v2", … */
  char            *account;      /* non-secret merchant account: app_id / mch_id */
  char            *path;         /* the user's file, absolute, for display */
  char            *filename;     /* the user's own file name */
  guint64          size;
  char            *format;       /* sniffed: "jpeg", … or NULL */
  char            *sha256;       /* lower-case hex */
  GpHistoryStatus  status;
  char            *stage;        /* "check", "network", "gateway", "verify" or NULL */
  char            *code;
  char            *message;
  guint            attempts;
  gint64           duration_ms;  /* -1 while pending or unknown */
  char            *media_id;
  char            *media_url;
};

#define GP_TYPE_HISTORY_ENTRY (gp_history_entry_get_type ())
#define GP_TYPE_HISTORY_QUERY (gp_history_query_get_type ())
#define GP_TYPE_HISTORY (gp_history_get_type ())

G_DECLARE_FINAL_TYPE (GpHistory, gp_history, GP, HISTORY, GObject)

typedef struct _GpHistoryQuery GpHistoryQuery;

const char      *gp_history_status_to_string       (GpHistoryStatus      status);
gboolean         gp_history_status_from_string     (const char          *word,
                                                    GpHistoryStatus     *status);

GType            gp_history_entry_get_type         (void) G_GNUC_CONST;
GpHistoryEntry  *gp_history_entry_new_pending      (const char          *profile,
                                                    const char          *profile_id,
                                                    GpGatewayKind        gateway,
                                                    const char          *account,
                                                    const char          *path,
                                                    guint64              size,
                                                    GpFormat             format,
                                                    const char          *sha256);
GpHistoryEntry  *gp_history_entry_new_for_report   (GpCheckReport       *report,
                                                    const char          *profile,
                                                    const char          *profile_id,
                                                    const char          *account);
GpHistoryEntry  *gp_history_entry_ref              (GpHistoryEntry      *self);
void             gp_history_entry_unref            (GpHistoryEntry      *self);
char            *gp_history_entry_dup_time_string  (GpHistoryEntry      *self);
JsonNode        *gp_history_entry_to_json          (GpHistoryEntry      *self);
void             gp_history_entry_append_csv       (GpHistoryEntry      *self,
                                                    GString             *out);
void             gp_history_append_csv_header      (GString             *out);

GType            gp_history_query_get_type         (void) G_GNUC_CONST;
GpHistoryQuery  *gp_history_query_new              (void);
GpHistoryQuery  *gp_history_query_copy             (const GpHistoryQuery *self);
void             gp_history_query_free             (GpHistoryQuery      *self);
void             gp_history_query_set_text         (GpHistoryQuery      *self,
                                                    const char          *text);
void             gp_history_query_set_profile      (GpHistoryQuery      *self,
                                                    const char          *profile);
void             gp_history_query_set_profile_id   (GpHistoryQuery      *self,
                                                    const char          *profile_id);
void             gp_history_query_set_gateway      (GpHistoryQuery      *self,
                                                    GpGatewayKind        gateway);
void             gp_history_query_set_status       (GpHistoryQuery      *self,
                                                    int                  status);
void             gp_history_query_set_time_range   (GpHistoryQuery      *self,
                                                    gint64               since_us,
                                                    gint64               until_us);
void             gp_history_query_set_before_id    (GpHistoryQuery      *self,
                                                    gint64               before_id);
void             gp_history_query_set_limit        (GpHistoryQuery      *self,
                                                    guint                limit);
void             gp_history_query_set_offset       (GpHistoryQuery      *self,
                                                    guint                offset);

char            *gp_history_dup_default_path       (void);
const char      *gp_history_get_path               (GpHistory           *self);

void             gp_history_open_async             (const char          *path,
                                                    GpHistoryOpenFlags   flags,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GpHistory       *gp_history_open_finish            (GAsyncResult        *result,
                                                    GError             **error);
GpHistory       *gp_history_open_sync              (const char          *path,
                                                    GpHistoryOpenFlags   flags,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_begin_async            (GpHistory           *self,
                                                    GpHistoryEntry      *pending,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64           gp_history_begin_finish           (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gint64           gp_history_begin_sync             (GpHistory           *self,
                                                    GpHistoryEntry      *pending,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_complete_async         (GpHistory           *self,
                                                    gint64               id,
                                                    GpUploadResult      *result,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         gp_history_complete_finish        (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gboolean         gp_history_complete_sync          (GpHistory           *self,
                                                    gint64               id,
                                                    GpUploadResult      *result,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_get_entry_async        (GpHistory           *self,
                                                    gint64               id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GpHistoryEntry  *gp_history_get_entry_finish       (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
GpHistoryEntry  *gp_history_get_entry_sync         (GpHistory           *self,
                                                    gint64               id,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_search_async           (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray       *gp_history_search_finish          (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
GPtrArray       *gp_history_search_sync            (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_count_async            (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64           gp_history_count_finish           (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gint64           gp_history_count_sync             (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_find_duplicate_async   (GpHistory           *self,
                                                    const char          *profile_id,
                                                    const char          *sha256,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         gp_history_find_duplicate_finish  (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GpHistoryEntry     **duplicate,
                                                    GError             **error);
gboolean         gp_history_find_duplicate_sync    (GpHistory           *self,
                                                    const char          *profile_id,
                                                    const char          *sha256,
                                                    GpHistoryEntry     **duplicate,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void             gp_history_count_succeeded_async  (GpHistory           *self,
                                                    GpGatewayKind        gateway,
                                                    const char          *profile_id,
                                                    const char          *account,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64           gp_history_count_succeeded_finish (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gint64           gp_history_count_succeeded_sync   (GpHistory           *self,
                                                    GpGatewayKind        gateway,
                                                    const char          *profile_id,
                                                    const char          *account,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
gboolean         gp_history_near_capacity          (gint64               count,
                                                    gint64               capacity);

void             gp_history_list_succeeded_sizes_async  (GpHistory           *self,
                                                         GpGatewayKind        gateway,
                                                         const char          *profile_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GHashTable      *gp_history_list_succeeded_sizes_finish (GpHistory           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
GHashTable      *gp_history_list_succeeded_sizes_sync   (GpHistory           *self,
                                                         GpGatewayKind        gateway,
                                                         const char          *profile_id,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

void             gp_history_export_async           (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GpHistoryExportFormat format,
                                                    GOutputStream       *stream,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         gp_history_export_finish          (GpHistory           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gboolean         gp_history_export_sync            (GpHistory           *self,
                                                    const GpHistoryQuery *query,
                                                    GpHistoryExportFormat format,
                                                    GOutputStream       *stream,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpHistoryEntry, gp_history_entry_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpHistoryQuery, gp_history_query_free)

G_END_DECLS
