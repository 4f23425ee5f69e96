/* gp-history-search.c: reading the upload history: rows, search, count,
 * duplicates, capacity and export, as jobs on the history's worker thread
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-history.h"

#include <string.h>

#include "gp-error.h"
#include "gp-gateway-info.h"
#include "gp-history-private.h"

/* A short term that starts more trigrams than this is searched by LIKE. */
#define SHORT_TERM_MAX_TRIGRAMS 64

static void
get_entry_job (GpHistoryWorker *w,
               GTask  *task)
{
  const char *what = "Could not read the upload history";
  gint64 id = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;
  GpHistoryBinder b;

  stmt = gp_history_prepare (w,
                             "SELECT " GP_HISTORY_ENTRY_COLUMNS " FROM uploads AS u "
                             "WHERE u.id = ?",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gp_history_binder_init (&b, stmt);
  gp_history_bind_int64 (&b, id);
  if (!gp_history_binder_check (&b, w, what, &error) ||
      (entries = gp_history_collect_entries (w, stmt, what, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (entries->len == 0)
    {
      g_task_return_new_error (task, GP_HISTORY_ERROR, GP_HISTORY_ERROR_NOT_FOUND,
                               "There is no upload %" G_GINT64_FORMAT " in the history (%s)",
                               id, w->path);
      return;
    }

  g_task_return_pointer (task, gp_history_entry_ref (g_ptr_array_index (entries, 0)),
                         (GDestroyNotify) gp_history_entry_unref);
}

void
gp_history_get_entry_async (GpHistory           *self,
                            gint64               id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_get_entry_async);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  gp_history_push (self, get_entry_job, task);
}

/**
 * gp_history_get_entry_finish:
 *
 * Returns: (transfer full): the row, or %NULL with @error set
 *   (%GP_HISTORY_ERROR_NOT_FOUND if there is no such row)
 */
GpHistoryEntry *
gp_history_get_entry_finish (GpHistory     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_get_entry_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GpHistoryEntry *
gp_history_get_entry_sync (GpHistory     *self,
                           gint64         id,
                           GCancellable  *cancellable,
                           GError       **error)
{
  GpHistorySyncCall call;
  GpHistoryEntry *entry;

  gp_history_sync_call_begin (&call);
  gp_history_get_entry_async (self, id, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  entry = gp_history_get_entry_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return entry;
}

/* A query's parameters, bound in the order build_query() wrote them. */
typedef struct
{
  gboolean  is_text;
  char     *text;
  gint64    number;
} Param;

static void
param_clear (gpointer data)
{
  g_free (((Param *) data)->text);
}

static void
add_text_param (GArray *params,
                char   *text)
{
  Param p = { TRUE, text, 0 };

  g_array_append_val (params, p);
}

static void
add_int_param (GArray *params,
               gint64  number)
{
  Param p = { FALSE, NULL, number };

  g_array_append_val (params, p);
}

/* An FTS5 string: the whole input as one phrase in double quotes, inner
 * quotes doubled, so that no operator, column filter or `*` inside it means
 * anything. With the trigram tokenizer the phrase matches any substring. */
static char *
fts_phrase (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/* A LIKE pattern for "contains", with `\` as the ESCAPE character. */
static char *
like_contains (const char *text)
{
  GString *out = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');

  return g_string_free (out, FALSE);
}

/* Builds the SELECT (or count) for @q from fixed SQL fragments; every value
 * from the query goes into @params, never into the SQL text.
 *
 * @match is the FTS5 expression for the query's text (see prepare_query()
 * and short_term_match()); NULL with text means the LIKE scan of the base
 * table, and @none a text that no row contains.
 *
 * Rows are newest first by id: ids are handed out at begin, in begin order,
 * so this matches begin time without a sort, and FTS5 can walk its rowids
 * backwards and stop at the limit. */
static char *
build_query (const GpHistoryQuery *q,
             const char           *match,
             gboolean              none,
             gboolean              count,
             GArray               *params)
{
  GString *sql = g_string_new (count ? "SELECT count(*) FROM "
                                     : "SELECT " GP_HISTORY_ENTRY_COLUMNS " FROM ");
  const char *id_column = "u.id";
  gboolean use_fts = match != NULL;
  gboolean other_filters = q->profile != NULL || q->profile_id != NULL ||
                           q->gateway != GP_GATEWAY_INVALID || q->status >= 0 ||
                           q->since_us != G_MININT64 || q->until_us != G_MAXINT64;

  /* Counting text matches alone needs no row of the base table. */
  if (count && use_fts && !other_filters)
    {
      g_string_append (sql, "uploads_fts WHERE uploads_fts MATCH ?");
      add_text_param (params, g_strdup (match));
      return g_string_free (sql, FALSE);
    }

  if (use_fts)
    {
      g_string_append (sql, "uploads_fts CROSS JOIN uploads AS u ON u.id = uploads_fts.rowid "
                            "WHERE uploads_fts MATCH ?");
      add_text_param (params, g_strdup (match));
      id_column = "uploads_fts.rowid";
    }
  else
    {
      g_string_append (sql, none ? "uploads AS u WHERE 0" : "uploads AS u WHERE 1");
      if (q->text != NULL && !none)
        {
          g_string_append (sql, " AND (u.filename LIKE ?1 ESCAPE '\\' OR u.media_id LIKE ?1 "
                                "ESCAPE '\\' OR u.profile LIKE ?1 ESCAPE '\\' OR u.code LIKE ?1 "
                                "ESCAPE '\\')");
          add_text_param (params, like_contains (q->text));
        }
    }

  if (q->profile != NULL)
    {
      g_string_append (sql, " AND u.profile = ?");
      add_text_param (params, g_strdup (q->profile));
    }
  if (q->profile_id != NULL)
    {
      g_string_append (sql, " AND u.profile_id = ?");
      add_text_param (params, g_strdup (q->profile_id));
    }
  if (q->gateway != GP_GATEWAY_INVALID)
    {
      g_string_append (sql, " AND u.gateway = ?");
      add_text_param (params, g_strdup (gp_gateway_kind_to_string (q->gateway)));
    }
  if (q->status >= 0)
    {
      g_string_append (sql, " AND u.status = ?");
      add_text_param (params, g_strdup (gp_history_status_to_string (q->status)));
    }
  if (q->since_us != G_MININT64)
    {
      g_string_append (sql, " AND u.time_us >= ?");
      add_int_param (params, q->since_us);
    }
  if (q->until_us != G_MAXINT64)
    {
      g_string_append (sql, " AND u.time_us < ?");
      add_int_param (params, q->until_us);
    }

  if (!count)
    {
      if (q->before_id > 0)
        {
          g_string_append_printf (sql, " AND %s < ?", id_column);
          add_int_param (params, q->before_id);
        }
      g_string_append_printf (sql, " ORDER BY %s DESC LIMIT ? OFFSET ?", id_column);
      add_int_param (params, q->limit > 0 ? (gint64) q->limit : -1);
      add_int_param (params, q->offset);
    }

  return g_string_free (sql, FALSE);
}

/* Terms shorter than three characters have no trigram of their own, but
 * the index stores every column with two end marks (see the schema), so
 * every occurrence of such a term starts some trigram. The vocabulary table
 * lists those trigrams by prefix; OR-ed together as phrases they find the
 * rows. A term that starts too many trigrams (a single common letter) is
 * left to the LIKE scan, which stops early when matches are plentiful.
 *
 * Sets *@match to the expression, or NULL for the LIKE scan; sets *@none
 * when no indexed text contains the term. */
static gboolean
short_term_match (GpHistoryWorker  *w,
                  const char       *text,
                  char            **match,
                  gboolean         *none,
                  GError          **error)
{
  const char *what = "Could not search the upload history";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) expression = g_string_new (NULL);
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autofree char *high = g_strconcat (low, "\xf4\x8f\xbf\xbf", NULL);   /* U+10FFFF */
  GpHistoryBinder b;
  guint n = 0;
  int rc;

  *match = NULL;
  *none = FALSE;
  stmt = gp_history_prepare (w,
                             "SELECT term FROM uploads_fts_terms WHERE term >= ? AND term < ? "
                             "LIMIT ?",
                             what, error);
  if (stmt == NULL)
    return FALSE;
  gp_history_binder_init (&b, stmt);
  gp_history_bind_text (&b, low);
  gp_history_bind_text (&b, high);
  gp_history_bind_int64 (&b, SHORT_TERM_MAX_TRIGRAMS + 1);
  if (!gp_history_binder_check (&b, w, what, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *phrase = fts_phrase ((const char *) sqlite3_column_text (stmt, 0));

      if (++n > SHORT_TERM_MAX_TRIGRAMS)
        return TRUE;
      if (expression->len > 0)
        g_string_append (expression, " OR ");
      g_string_append (expression, phrase);
    }
  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (error, w, rc, what);
      return FALSE;
    }

  if (n == 0)
    *none = TRUE;
  else
    *match = g_string_free (g_steal_pointer (&expression), FALSE);

  return TRUE;
}

static sqlite3_stmt *
prepare_query (GpHistoryWorker      *w,
               const GpHistoryQuery *q,
               gboolean              count,
               const char           *what,
               GError              **error)
{
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *match = NULL;
  gboolean none = FALSE;
  GpHistoryBinder b;

  /* A single ASCII character starts hundreds of trigrams in any history
   * of random IDs: go straight to the LIKE scan, which finds a page of it
   * at once. */
  if (q->text != NULL && g_utf8_strlen (q->text, -1) >= 3)
    match = fts_phrase (q->text);
  else if (q->text != NULL && q->text[1] == '\0' && g_ascii_isalnum (q->text[0]))
    match = NULL;
  else if (q->text != NULL && !short_term_match (w, q->text, &match, &none, error))
    return NULL;

  g_array_set_clear_func (params, param_clear);
  sql = build_query (q, match, none, count, params);
  stmt = gp_history_prepare (w, sql, what, error);
  if (stmt == NULL)
    return NULL;

  gp_history_binder_init (&b, stmt);
  for (guint i = 0; i < params->len; i++)
    {
      Param *p = &g_array_index (params, Param, i);

      if (p->is_text)
        gp_history_bind_text (&b, p->text);
      else
        gp_history_bind_int64 (&b, p->number);
    }
  if (!gp_history_binder_check (&b, w, what, error))
    return NULL;

  return g_steal_pointer (&stmt);
}

static void
search_job (GpHistoryWorker *w,
            GTask  *task)
{
  const char *what = "Could not search the upload history";
  const GpHistoryQuery *q = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *entries;
  GError *error = NULL;

  stmt = prepare_query (w, q, FALSE, what, &error);
  if (stmt == NULL || (entries = gp_history_collect_entries (w, stmt, what, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * gp_history_search_async:
 * @query: (nullable): what to find; %NULL for every row
 *
 * Finds rows, newest first, one page at a time (see the query's limit,
 * offset and before-id).
 */
void
gp_history_search_async (GpHistory            *self,
                         const GpHistoryQuery *query,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_search_async);
  g_task_set_task_data (task,
                        query != NULL ? gp_history_query_copy (query) : gp_history_query_new (),
                        (GDestroyNotify) gp_history_query_free);
  gp_history_push (self, search_job, task);
}

/**
 * gp_history_search_finish:
 *
 * Returns: (transfer container) (element-type GpHistoryEntry): the rows,
 *   or %NULL with @error set
 */
GPtrArray *
gp_history_search_finish (GpHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_search_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
gp_history_search_sync (GpHistory            *self,
                        const GpHistoryQuery *query,
                        GCancellable         *cancellable,
                        GError              **error)
{
  GpHistorySyncCall call;
  GPtrArray *entries;

  gp_history_sync_call_begin (&call);
  gp_history_search_async (self, query, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  entries = gp_history_search_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return entries;
}

static void
count_job (GpHistoryWorker *w,
           GTask  *task)
{
  const char *what = "Could not count rows in the upload history";
  const GpHistoryQuery *q = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  gint64 n;

  stmt = prepare_query (w, q, TRUE, what, &error);
  if (stmt == NULL || !gp_history_single_int64 (w, stmt, &n, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, n);
}

/**
 * gp_history_count_async:
 * @query: (nullable): the same query as for gp_history_search_async(); its
 *   limit, offset and before-id are ignored
 *
 * Counts every row @query matches.
 */
void
gp_history_count_async (GpHistory            *self,
                        const GpHistoryQuery *query,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_count_async);
  g_task_set_task_data (task,
                        query != NULL ? gp_history_query_copy (query) : gp_history_query_new (),
                        (GDestroyNotify) gp_history_query_free);
  gp_history_push (self, count_job, task);
}

/**
 * gp_history_count_finish:
 *
 * Returns: the number of rows, or -1 with @error set
 */
gint64
gp_history_count_finish (GpHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_count_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

gint64
gp_history_count_sync (GpHistory            *self,
                       const GpHistoryQuery *query,
                       GCancellable         *cancellable,
                       GError              **error)
{
  GpHistorySyncCall call;
  gint64 n;

  gp_history_sync_call_begin (&call);
  gp_history_count_async (self, query, cancellable, gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  n = gp_history_count_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return n;
}

/* ------------------------------------------------------------------------ */
/* Duplicates and capacity                                                   */

typedef struct
{
  GpGatewayKind  gateway;
  char          *profile_id;
  char          *second;      /* sha256 or account */
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *d = data;

  g_free (d->profile_id);
  g_free (d->second);
  g_free (d);
}

static void
find_duplicate_job (GpHistoryWorker *w,
                    GTask  *task)
{
  const char *what = "Could not look for duplicates in the upload history";
  LookupData *d = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;
  GpHistoryBinder b;

  stmt = gp_history_prepare (w,
                             "SELECT " GP_HISTORY_ENTRY_COLUMNS " FROM uploads AS u "
                             "WHERE u.status = 'succeeded' AND u.sha256 = ? AND u.profile_id = ? "
                             "ORDER BY u.id ASC LIMIT 1",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gp_history_binder_init (&b, stmt);
  gp_history_bind_text (&b, d->second);
  gp_history_bind_text (&b, d->profile_id);
  if (!gp_history_binder_check (&b, w, what, &error) ||
      (entries = gp_history_collect_entries (w, stmt, what, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (entries->len == 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, gp_history_entry_ref (g_ptr_array_index (entries, 0)),
                           (GDestroyNotify) gp_history_entry_unref);
}

/**
 * gp_history_find_duplicate_async:
 * @profile_id: the profile's stable id
 * @sha256: the file's SHA-256, hex (either case)
 *
 * Looks for the earliest succeeded upload of the same content through the
 * same profile, so that an upload can be skipped (`"duplicate_of"`).
 */
void
gp_history_find_duplicate_async (GpHistory           *self,
                                 const char          *profile_id,
                                 const char          *sha256,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  LookupData *d;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (sha256 != NULL);

  d = g_new0 (LookupData, 1);
  d->profile_id = g_strdup (profile_id);
  d->second = g_ascii_strdown (sha256, -1);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_find_duplicate_async);
  g_task_set_task_data (task, d, lookup_data_free);
  gp_history_push (self, find_duplicate_job, task);
}

/**
 * gp_history_find_duplicate_finish:
 * @duplicate: (out) (transfer full) (nullable): the earliest succeeded row
 *   with this content and profile, or %NULL if there is none
 *
 * Returns: %FALSE with @error set if the lookup failed
 */
gboolean
gp_history_find_duplicate_finish (GpHistory       *self,
                                  GAsyncResult    *result,
                                  GpHistoryEntry **duplicate,
                                  GError         **error)
{
  GError *local_error = NULL;
  GpHistoryEntry *entry;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gp_history_find_duplicate_async, FALSE);

  entry = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (duplicate != NULL)
    *duplicate = entry;
  else if (entry != NULL)
    gp_history_entry_unref (entry);

  return TRUE;
}

gboolean
gp_history_find_duplicate_sync (GpHistory       *self,
                                const char      *profile_id,
                                const char      *sha256,
                                GpHistoryEntry **duplicate,
                                GCancellable    *cancellable,
                                GError         **error)
{
  GpHistorySyncCall call;
  gboolean ok;

  gp_history_sync_call_begin (&call);
  gp_history_find_duplicate_async (self, profile_id, sha256, cancellable,
                                   gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  ok = gp_history_find_duplicate_finish (self, call.result, duplicate, error);
  gp_history_sync_call_end (&call);

  return ok;
}

static void
succeeded_sizes_job (GpHistoryWorker *w,
                     GTask  *task)
{
  const char *what = "Could not read the sizes of earlier uploads in the history";
  LookupData *d = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                       g_free, NULL);
  GError *error = NULL;
  GpHistoryBinder b;
  int rc;

  stmt = gp_history_prepare (w,
                             "SELECT DISTINCT size FROM uploads "
                             "WHERE status = 'succeeded' AND gateway = ? AND profile_id = ?",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gp_history_binder_init (&b, stmt);
  gp_history_bind_text (&b, gp_gateway_kind_to_string (d->gateway));
  gp_history_bind_text (&b, d->profile_id);
  if (!gp_history_binder_check (&b, w, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 size = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (sizes, g_memdup2 (&size, sizeof size));
    }
  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (&error, w, rc, what);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&sizes), (GDestroyNotify) g_hash_table_unref);
}

/**
 * gp_history_list_succeeded_sizes_async:
 * @gateway: the profile's gateway
 * @profile_id: the profile's stable id
 *
 * Collects the sizes of the files this profile uploaded successfully. A
 * file of any other size cannot be a duplicate (gp_history_find_duplicate_async()),
 * so its SHA-256 is not needed before it is sent.
 */
void
gp_history_list_succeeded_sizes_async (GpHistory           *self,
                                       GpGatewayKind        gateway,
                                       const char          *profile_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  LookupData *d;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (profile_id != NULL);

  d = g_new0 (LookupData, 1);
  d->gateway = gateway;
  d->profile_id = g_strdup (profile_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_list_succeeded_sizes_async);
  g_task_set_task_data (task, d, lookup_data_free);
  gp_history_push (self, succeeded_sizes_job, task);
}

/**
 * gp_history_list_succeeded_sizes_finish:
 *
 * Returns: (transfer full) (element-type gint64 gint64): a set of sizes
 *   (pointers to #gint64, for g_int64_hash()), or %NULL with @error set
 */
GHashTable *
gp_history_list_succeeded_sizes_finish (GpHistory     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gp_history_list_succeeded_sizes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GHashTable *
gp_history_list_succeeded_sizes_sync (GpHistory     *self,
                                      GpGatewayKind  gateway,
                                      const char    *profile_id,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  GpHistorySyncCall call;
  GHashTable *sizes;

  gp_history_sync_call_begin (&call);
  gp_history_list_succeeded_sizes_async (self, gateway, profile_id, cancellable,
                                         gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  sizes = gp_history_list_succeeded_sizes_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return sizes;
}

static void
count_succeeded_job (GpHistoryWorker *w,
                     GTask  *task)
{
  const char *what = "Could not count uploads in the history";
  LookupData *d = g_task_get_task_data (task);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  GpHistoryBinder b;
  gint64 n;

  stmt = gp_history_prepare (w,
                             "SELECT count(*) FROM uploads WHERE status = 'succeeded' "
                             "AND gateway = ? AND (profile_id = ? OR account = ?)",
                             what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gp_history_binder_init (&b, stmt);
  gp_history_bind_text (&b, gp_gateway_kind_to_string (d->gateway));
  gp_history_bind_text (&b, d->profile_id);
  gp_history_bind_text (&b, d->second);
  if (!gp_history_binder_check (&b, w, what, &error) ||
      !gp_history_single_int64 (w, stmt, &n, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, n);
}

/**
 * gp_history_count_succeeded_async:
 * @gateway: the gateway the uploads went to
 * @profile_id: (nullable): count this profile's uploads
 * @account: (nullable): and/or those to this merchant account (Alipay
 *   app_id), whichever profile sent them
 *
 * Counts succeeded uploads, for a check against a gateway's cap such as
 * %GP_HISTORY_ALIPAY_CAPACITY (see gp_history_near_capacity()).
 */
void
gp_history_count_succeeded_async (GpHistory           *self,
                                  GpGatewayKind        gateway,
                                  const char          *profile_id,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  LookupData *d;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (gp_gateway_kind_to_string (gateway) != NULL);
  g_return_if_fail (profile_id != NULL || account != NULL);

  d = g_new0 (LookupData, 1);
  d->gateway = gateway;
  d->profile_id = g_strdup (profile_id);
  d->second = g_strdup (account);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_count_succeeded_async);
  g_task_set_task_data (task, d, lookup_data_free);
  gp_history_push (self, count_succeeded_job, task);
}

/**
 * gp_history_count_succeeded_finish:
 *
 * Returns: the count, or -1 with @error set
 */
gint64
gp_history_count_succeeded_finish (GpHistory     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gp_history_count_succeeded_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

gint64
gp_history_count_succeeded_sync (GpHistory     *self,
                                 GpGatewayKind  gateway,
                                 const char    *profile_id,
                                 const char    *account,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  GpHistorySyncCall call;
  gint64 n;

  gp_history_sync_call_begin (&call);
  gp_history_count_succeeded_async (self, gateway, profile_id, account, cancellable,
                                    gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  n = gp_history_count_succeeded_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return n;
}

/**
 * gp_history_near_capacity:
 *
 * Returns: %TRUE once @count reaches 90% of @capacity
 */
gboolean
gp_history_near_capacity (gint64 count,
                          gint64 capacity)
{
  g_return_val_if_fail (capacity > 0, FALSE);

  return count * 10 >= capacity * 9;
}

/* ------------------------------------------------------------------------ */
/* Export                                                                    */

typedef struct
{
  GpHistoryQuery        *query;
  GpHistoryExportFormat  format;
  GOutputStream         *stream;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  gp_history_query_free (d->query);
  g_object_unref (d->stream);
  g_free (d);
}

static gboolean
flush_buffer (GOutputStream  *stream,
              GString        *buffer,
              GCancellable   *cancellable,
              GError        **error)
{
  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);

  return TRUE;
}

static void
append_json_entry (GString        *buffer,
                   GpHistoryEntry *entry)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = gp_history_entry_to_json (entry);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_string_append (buffer, text);
}

static void
export_job (GpHistoryWorker *w,
            GTask  *task)
{
  const char *what = "Could not export the upload history";
  ExportData *d = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;
  gboolean first = TRUE;
  int rc;

  stmt = prepare_query (w, d->query, FALSE, what, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (d->format == GP_HISTORY_EXPORT_CSV)
    {
      /* A byte-order mark, so that spreadsheet programs read UTF-8. */
      g_string_append (buffer, "\xEF\xBB\xBF");
      gp_history_append_csv_header (buffer);
    }
  else
    {
      g_string_append_c (buffer, '[');
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GpHistoryEntry) entry = gp_history_entry_from_stmt (stmt);

      if (d->format == GP_HISTORY_EXPORT_CSV)
        {
          gp_history_entry_append_csv (entry, buffer);
        }
      else
        {
          g_string_append (buffer, first ? "\n" : ",\n");
          append_json_entry (buffer, entry);
        }
      first = FALSE;
      if (buffer->len >= 64 * 1024 && !flush_buffer (d->stream, buffer, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (rc != SQLITE_DONE)
    {
      gp_history_set_sqlite_error (&error, w, rc, what);
      g_task_return_error (task, error);
      return;
    }

  if (d->format == GP_HISTORY_EXPORT_JSON)
    g_string_append (buffer, first ? "]\n" : "\n]\n");
  if (!flush_buffer (d->stream, buffer, cancellable, &error) ||
      !g_output_stream_flush (d->stream, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * gp_history_export_async:
 * @query: (nullable): the rows to export; %NULL for all, newest first
 * @format: CSV (RFC 4180, CRLF, with a UTF-8 byte-order mark and a header
 *   line) or JSON (one array of the objects of gp_history_entry_to_json())
 * @stream: where to write; written from the history's thread until the
 *   operation finishes, and not closed
 */
void
gp_history_export_async (GpHistory             *self,
                         const GpHistoryQuery  *query,
                         GpHistoryExportFormat  format,
                         GOutputStream         *stream,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  GTask *task;
  ExportData *d;

  g_return_if_fail (GP_IS_HISTORY (self));
  g_return_if_fail (format == GP_HISTORY_EXPORT_CSV || format == GP_HISTORY_EXPORT_JSON);
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  d = g_new0 (ExportData, 1);
  d->query = query != NULL ? gp_history_query_copy (query) : gp_history_query_new ();
  d->format = format;
  d->stream = g_object_ref (stream);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_export_async);
  g_task_set_task_data (task, d, export_data_free);
  gp_history_push (self, export_job, task);
}

gboolean
gp_history_export_finish (GpHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gp_history_export_sync (GpHistory             *self,
                        const GpHistoryQuery  *query,
                        GpHistoryExportFormat  format,
                        GOutputStream         *stream,
                        GCancellable          *cancellable,
                        GError               **error)
{
  GpHistorySyncCall call;
  gboolean ok;

  gp_history_sync_call_begin (&call);
  gp_history_export_async (self, query, format, stream, cancellable,
                           gp_history_sync_call_done_cb, &call);
  gp_history_sync_call_wait (&call);
  ok = gp_history_export_finish (self, call.result, error);
  gp_history_sync_call_end (&call);

  return ok;
}
