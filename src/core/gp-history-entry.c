/* gp-history-entry.c: rows of the upload history, queries, JSON and CSV
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-history.h"

#include <string.h>

#include "gp-file-check.h"
#include "gp-gateway-info.h"
#include "gp-history-private.h"

static const char * const status_words[GP_HISTORY_N_STATUSES] = {
  [GP_HISTORY_STATUS_PENDING] = "pending",
  [GP_HISTORY_STATUS_SUCCEEDED] = "succeeded",
  [GP_HISTORY_STATUS_FAILED] = "failed",
  [GP_HISTORY_STATUS_INTERRUPTED] = "interrupted",
};

/* ------------------------------------------------------------------------ */
/* Status words                                                              */

const char *
gp_history_status_to_string (GpHistoryStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_words))
    return NULL;

  return status_words[status];
}

gboolean
gp_history_status_from_string (const char      *word,
                               GpHistoryStatus *status)
{
  for (guint i = 0; word != NULL && i < G_N_ELEMENTS (status_words); i++)
    if (strcmp (word, status_words[i]) == 0)
      {
        if (status != NULL)
          *status = (GpHistoryStatus) i;
        return TRUE;
      }

  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* GpHistoryEntry                                                            */

G_DEFINE_BOXED_TYPE (GpHistoryEntry, gp_history_entry,
                     gp_history_entry_ref, gp_history_entry_unref)

GpHistoryEntry *
gp_history_entry_alloc (void)
{
  GpHistoryEntry *self = g_atomic_rc_box_new0 (GpHistoryEntry);

  self->id = -1;
  self->duration_ms = -1;

  return self;
}

static void
entry_clear (gpointer data)
{
  GpHistoryEntry *self = data;

  g_free (self->profile);
  g_free (self->profile_id);
  g_free (self->gateway);
  g_free (self->account);
  g_free (self->path);
  g_free (self->filename);
  g_free (self->format);
  g_free (self->sha256);
  g_free (self->stage);
  g_free (self->code);
  g_free (self->message);
  g_free (self->media_id);
  g_free (self->media_url);
}

GpHistoryEntry *
gp_history_entry_ref (GpHistoryEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
gp_history_entry_unref (GpHistoryEntry *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, entry_clear);
}

/**
 * gp_history_entry_new_pending:
 * @profile: the profile's name
 * @profile_id: the profile's stable id
 * @account: (nullable): the non-secret merchant account (Alipay app_id,
 *   WeChat mch_id), used to count uploads per merchant
 * @path: the user's file; a relative path is taken from the working folder
 * @format: the sniffed format
 * @sha256: (nullable): lower- or upper-case hex
 *
 * Describes an upload about to start, for gp_history_begin_async(). The
 * file name kept is the user's own; names that are not UTF-8 are shown
 * with replacement characters.
 *
 * Returns: (transfer full): a pending entry with no id yet
 */
GpHistoryEntry *
gp_history_entry_new_pending (const char    *profile,
                              const char    *profile_id,
                              GpGatewayKind  gateway,
                              const char    *account,
                              const char    *path,
                              guint64        size,
                              GpFormat       format,
                              const char    *sha256)
{
  GpHistoryEntry *self;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (gp_gateway_kind_to_string (gateway) != NULL, NULL);
  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  absolute = g_canonicalize_filename (path, NULL);
  self = gp_history_entry_alloc ();
  self->profile = g_utf8_make_valid (profile, -1);
  self->profile_id = g_utf8_make_valid (profile_id, -1);
  self->gateway = g_strdup (gp_gateway_kind_to_string (gateway));
  self->account = account != NULL ? g_utf8_make_valid (account, -1) : NULL;
  self->path = g_filename_display_name (absolute);
  self->filename = g_filename_display_basename (absolute);
  self->size = size;
  self->format = g_strdup (gp_format_to_string (format));
  self->sha256 = sha256 != NULL ? g_ascii_strdown (sha256, -1) : NULL;
  self->status = GP_HISTORY_STATUS_PENDING;

  return self;
}

/**
 * gp_history_entry_new_for_report:
 * @report: the check of the file about to be sent
 * @account: (nullable): see gp_history_entry_new_pending()
 *
 * Returns: (transfer full): a pending entry for @report's file
 */
GpHistoryEntry *
gp_history_entry_new_for_report (GpCheckReport *report,
                                 const char    *profile,
                                 const char    *profile_id,
                                 const char    *account)
{
  g_return_val_if_fail (report != NULL, NULL);

  return gp_history_entry_new_pending (profile, profile_id,
                                       gp_check_report_get_gateway (report), account,
                                       gp_check_report_get_path (report),
                                       gp_check_report_get_size (report),
                                       gp_check_report_get_format (report),
                                       gp_check_report_get_sha256 (report));
}

/**
 * gp_history_entry_dup_time_string:
 *
 * Returns: (transfer full): the begin time as ISO 8601 UTC, to the second
 */
char *
gp_history_entry_dup_time_string (GpHistoryEntry *self)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  dt = g_date_time_new_from_unix_utc (self->time_us / G_USEC_PER_SEC);
  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * gp_history_entry_to_json:
 *
 * The row as the CLI prints it (`history --json`, `history export --format
 * json`): snake_case keys in a fixed order, null for what is unknown.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
gp_history_entry_to_json (GpHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  time = gp_history_entry_dup_time_string (self);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  add_string_member (builder, "time", time);
  add_string_member (builder, "profile", self->profile);
  add_string_member (builder, "profile_id", self->profile_id);
  add_string_member (builder, "gateway", self->gateway);
  add_string_member (builder, "file", self->path);
  add_string_member (builder, "filename", self->filename);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) self->size);
  add_string_member (builder, "format", self->format);
  add_string_member (builder, "sha256", self->sha256);
  add_string_member (builder, "status", gp_history_status_to_string (self->status));
  add_string_member (builder, "stage", self->stage);
  add_string_member (builder, "code", self->code);
  add_string_member (builder, "message", self->message);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, self->attempts);
  json_builder_set_member_name (builder, "duration_ms");
  if (self->duration_ms >= 0)
    json_builder_add_int_value (builder, self->duration_ms);
  else
    json_builder_add_null_value (builder);
  add_string_member (builder, "media_id", self->media_id);
  add_string_member (builder, "media_url", self->media_url);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with its
 * quotes doubled; anything else goes as it is. NULL is an empty field. */
static void
csv_append_field (GString    *out,
                  const char *value,
                  gboolean    last)
{
  if (value != NULL && strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (value != NULL)
    {
      g_string_append (out, value);
    }

  g_string_append (out, last ? "\r\n" : ",");
}

static const char * const csv_columns[] = {
  "id", "time", "profile", "profile_id", "gateway", "file", "filename", "size", "format",
  "sha256", "status", "stage", "code", "message", "attempts", "duration_ms", "media_id",
  "media_url",
};

/**
 * gp_history_append_csv_header:
 *
 * Appends the CSV header line (CRLF-terminated, no byte-order mark).
 */
void
gp_history_append_csv_header (GString *out)
{
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    csv_append_field (out, csv_columns[i], i + 1 == G_N_ELEMENTS (csv_columns));
}

/**
 * gp_history_entry_append_csv:
 *
 * Appends the row as one RFC 4180 record, in the columns of
 * gp_history_append_csv_header().
 */
void
gp_history_entry_append_csv (GpHistoryEntry *self,
                             GString        *out)
{
  g_autofree char *id = NULL;
  g_autofree char *time = NULL;
  g_autofree char *size = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *duration = NULL;
  const char *fields[G_N_ELEMENTS (csv_columns)];

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->id);
  time = gp_history_entry_dup_time_string (self);
  size = g_strdup_printf ("%" G_GUINT64_FORMAT, self->size);
  attempts = g_strdup_printf ("%u", self->attempts);
  if (self->duration_ms >= 0)
    duration = g_strdup_printf ("%" G_GINT64_FORMAT, self->duration_ms);

  fields[0] = id;
  fields[1] = time;
  fields[2] = self->profile;
  fields[3] = self->profile_id;
  fields[4] = self->gateway;
  fields[5] = self->path;
  fields[6] = self->filename;
  fields[7] = size;
  fields[8] = self->format;
  fields[9] = self->sha256;
  fields[10] = gp_history_status_to_string (self->status);
  fields[11] = self->stage;
  fields[12] = self->code;
  fields[13] = self->message;
  fields[14] = attempts;
  fields[15] = duration;
  fields[16] = self->media_id;
  fields[17] = self->media_url;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    csv_append_field (out, fields[i], i + 1 == G_N_ELEMENTS (fields));
}

/* ------------------------------------------------------------------------ */
/* GpHistoryQuery                                                            */


G_DEFINE_BOXED_TYPE (GpHistoryQuery, gp_history_query, gp_history_query_copy,
                     gp_history_query_free)

/**
 * gp_history_query_new:
 *
 * A query matching every row, newest first, with no limit.
 *
 * Returns: (transfer full): a new query
 */
GpHistoryQuery *
gp_history_query_new (void)
{
  GpHistoryQuery *self = g_new0 (GpHistoryQuery, 1);

  self->gateway = GP_GATEWAY_INVALID;
  self->status = -1;
  self->since_us = G_MININT64;
  self->until_us = G_MAXINT64;

  return self;
}

GpHistoryQuery *
gp_history_query_copy (const GpHistoryQuery *self)
{
  GpHistoryQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->text = g_strdup (self->text);
  copy->profile = g_strdup (self->profile);
  copy->profile_id = g_strdup (self->profile_id);

  return copy;
}

void
gp_history_query_free (GpHistoryQuery *self)
{
  if (self == NULL)
    return;

  g_free (self->text);
  g_free (self->profile);
  g_free (self->profile_id);
  g_free (self);
}

/* User input: made valid UTF-8 (SQLite compares UTF-8) and trimmed; an
 * empty string means "no filter". */
static char *
dup_user_text (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return NULL;

  valid = g_strstrip (g_utf8_make_valid (text, -1));
  if (*valid == '\0')
    return NULL;

  return g_steal_pointer (&valid);
}

/**
 * gp_history_query_set_text:
 * @text: (nullable): a fragment of a file name, media ID, profile name or
 *   code, matched anywhere, case-insensitively; %NULL or blank for any
 */
void
gp_history_query_set_text (GpHistoryQuery *self,
                           const char     *text)
{
  g_return_if_fail (self != NULL);

  g_free (self->text);
  self->text = dup_user_text (text);
}

/**
 * gp_history_query_set_profile:
 * @profile: (nullable): the exact profile name, %NULL for any
 */
void
gp_history_query_set_profile (GpHistoryQuery *self,
                              const char     *profile)
{
  g_return_if_fail (self != NULL);

  g_free (self->profile);
  self->profile = profile != NULL ? g_utf8_make_valid (profile, -1) : NULL;
}

void
gp_history_query_set_profile_id (GpHistoryQuery *self,
                                 const char     *profile_id)
{
  g_return_if_fail (self != NULL);

  g_free (self->profile_id);
  self->profile_id = profile_id != NULL ? g_utf8_make_valid (profile_id, -1) : NULL;
}

/**
 * gp_history_query_set_gateway:
 * @gateway: a gateway, or %GP_GATEWAY_INVALID for any
 */
void
gp_history_query_set_gateway (GpHistoryQuery *self,
                              GpGatewayKind   gateway)
{
  g_return_if_fail (self != NULL);

  self->gateway = gateway;
}

/**
 * gp_history_query_set_status:
 * @status: a #GpHistoryStatus, or -1 for any
 */
void
gp_history_query_set_status (GpHistoryQuery *self,
                             int             status)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (status >= -1 && status < (int) G_N_ELEMENTS (status_words));

  self->status = status;
}

/**
 * gp_history_query_set_time_range:
 * @since_us: first begin time included (unix µs), %G_MININT64 for no bound
 * @until_us: first begin time excluded (unix µs), %G_MAXINT64 for no bound
 */
void
gp_history_query_set_time_range (GpHistoryQuery *self,
                                 gint64          since_us,
                                 gint64          until_us)
{
  g_return_if_fail (self != NULL);

  self->since_us = since_us;
  self->until_us = until_us;
}

/**
 * gp_history_query_set_before_id:
 * @before_id: keyset paging: only rows with a smaller id (the last id of the
 *   previous page); 0 for no bound
 */
void
gp_history_query_set_before_id (GpHistoryQuery *self,
                                gint64          before_id)
{
  g_return_if_fail (self != NULL);

  self->before_id = before_id;
}

/**
 * gp_history_query_set_limit:
 * @limit: at most this many rows; 0 for all
 */
void
gp_history_query_set_limit (GpHistoryQuery *self,
                            guint           limit)
{
  g_return_if_fail (self != NULL);

  self->limit = limit;
}

void
gp_history_query_set_offset (GpHistoryQuery *self,
                             guint           offset)
{
  g_return_if_fail (self != NULL);

  self->offset = offset;
}
