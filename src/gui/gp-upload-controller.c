/* gp-upload-controller.c: sends the upload page's files with the active profile
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same steps as `gatepost-cli upload`: each checked file is looked up
 * in the history (an earlier success of the same bytes with the same
 * profile is shown and skipped unless the user asks to upload it again),
 * then the rest go through one GpUploader with the history as its journal,
 * and every row follows the uploader's signals. One batch per request;
 * batches may overlap, a file is never in two at once.
 */

#include "config.h"

#include "gp-upload-controller.h"

#include <glib/gi18n.h>

#include "gp-history-journal.h"

struct _GpUploadController
{
  GObject       parent_instance;

  GpUploadPage *page;
  GCancellable *cancellable;     /* the window's */
  gulong        cancelled_id;
  GpProfile    *profile;
  GpHistory    *history;
  guint         jobs;
  GList        *batches;         /* Batch*, running */
  GHashTable   *in_flight;       /* paths of files in a batch */
};

G_DEFINE_FINAL_TYPE (GpUploadController, gp_upload_controller, G_TYPE_OBJECT)

enum {
  BATCH_FINISHED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GpUploadController *controller;
  GpProfile          *profile;
  GCancellable       *cancellable;
  GPtrArray          *items;          /* GpUploadItem, one per report */
  GPtrArray          *reports;        /* GpCheckReport */
  GPtrArray          *duplicates;     /* GpHistoryEntry or NULL, per report */
  GPtrArray          *upload_items;   /* GpUploadItem, per uploader index */
  GPtrArray          *followers;      /* Follower: same bytes as a file being sent */
  GpUploader         *uploader;
  guint               pending_lookups;
  guint               n_ok;
  guint               n_failed;
  guint               n_skipped;
} Batch;

/* A file whose bytes are already in the batch under another name: sent
 * once, as `gatepost-cli upload` does; it takes the leader's outcome. */
typedef struct
{
  GpUploadItem *item;
  guint         leader;          /* uploader index */
} Follower;

static void
follower_free (Follower *follower)
{
  g_clear_object (&follower->item);
  g_free (follower);
}

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->followers, g_ptr_array_unref);
  g_clear_object (&batch->uploader);
  g_clear_pointer (&batch->upload_items, g_ptr_array_unref);
  g_clear_pointer (&batch->duplicates, g_ptr_array_unref);
  g_clear_pointer (&batch->reports, g_ptr_array_unref);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_clear_object (&batch->cancellable);
  g_clear_object (&batch->profile);
  g_clear_object (&batch->controller);
  g_free (batch);
}

static void
entry_unref_nullable (gpointer entry)
{
  if (entry != NULL)
    gp_history_entry_unref (entry);
}

static void
window_cancelled_cb (GCancellable       *cancellable,
                     GpUploadController *self)
{
  gp_upload_controller_cancel_all (self);
}

GpUploadController *
gp_upload_controller_new (GpUploadPage *page,
                          GCancellable *cancellable)
{
  GpUploadController *self;

  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (page), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (GP_TYPE_UPLOAD_CONTROLLER, NULL);
  self->page = g_object_ref (page);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (window_cancelled_cb),
                                                  self, NULL);
    }

  return self;
}

void
gp_upload_controller_set_profile (GpUploadController *self,
                                  GpProfile          *profile)
{
  g_return_if_fail (GP_IS_UPLOAD_CONTROLLER (self));
  g_return_if_fail (profile == NULL || GP_IS_PROFILE (profile));

  g_set_object (&self->profile, profile);
}

/**
 * gp_upload_controller_get_profile:
 *
 * Returns: (transfer none) (nullable): the profile new uploads use
 */
GpProfile *
gp_upload_controller_get_profile (GpUploadController *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_CONTROLLER (self), NULL);
  return self->profile;
}

void
gp_upload_controller_set_history (GpUploadController *self,
                                  GpHistory          *history)
{
  g_return_if_fail (GP_IS_UPLOAD_CONTROLLER (self));
  g_return_if_fail (history == NULL || GP_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

/**
 * gp_upload_controller_get_history:
 *
 * Returns: (transfer none) (nullable): the history every upload is
 *   journalled in
 */
GpHistory *
gp_upload_controller_get_history (GpUploadController *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_CONTROLLER (self), NULL);
  return self->history;
}

void
gp_upload_controller_set_jobs (GpUploadController *self,
                               guint               jobs)
{
  g_return_if_fail (GP_IS_UPLOAD_CONTROLLER (self));

  self->jobs = CLAMP (jobs, 1, 16);
}

/**
 * gp_upload_controller_get_n_running:
 *
 * Returns: how many batches are still running
 */
guint
gp_upload_controller_get_n_running (GpUploadController *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_CONTROLLER (self), 0);
  return g_list_length (self->batches);
}

static void
message (GpUploadController *self,
         const char         *text)
{
  g_signal_emit (self, signals[MESSAGE], 0, text);
}

static void
item_done (Batch          *batch,
           GpUploadItem   *item,
           GpUploadResult *result)
{
  gp_upload_item_set_progress (item, -1);
  gp_upload_item_set_result (item, result);
  g_hash_table_remove (batch->controller->in_flight, gp_upload_item_get_path (item));
}

static void
batch_finish (Batch *batch)
{
  GpUploadController *self = batch->controller;

  self->batches = g_list_remove (self->batches, batch);
  g_signal_emit (self, signals[BATCH_FINISHED], 0, batch->n_ok, batch->n_failed,
                 batch->n_skipped);
  batch_free (batch);
}

static void
file_progress_cb (GpUploader *uploader,
                  guint       index,
                  guint64     sent,
                  guint64     total,
                  Batch      *batch)
{
  GpUploadItem *item = g_ptr_array_index (batch->upload_items, index);

  gp_upload_item_set_progress (item, total > 0 ? (double) sent / (double) total : 0);
}

static void
file_finished_cb (GpUploader     *uploader,
                  guint           index,
                  GpUploadResult *result,
                  Batch          *batch)
{
  GpUploadItem *item = g_ptr_array_index (batch->upload_items, index);

  if (!g_hash_table_contains (batch->controller->in_flight, gp_upload_item_get_path (item)))
    return;
  if (gp_upload_result_is_ok (result))
    batch->n_ok++;
  else
    batch->n_failed++;
  item_done (batch, item, result);

  for (guint i = 0; i < batch->followers->len; i++)
    {
      Follower *follower = g_ptr_array_index (batch->followers, i);
      g_autoptr(GpUploadResult) same = NULL;
      g_autofree char *leader_name = NULL;
      g_autofree char *notice = NULL;

      if (follower->leader != index)
        continue;

      if (gp_upload_result_is_ok (result))
        {
          same = gp_upload_result_new_success (gp_upload_result_get_media_id (result),
                                               gp_upload_result_get_media_url (result));
          gp_upload_result_set_history_id (same, gp_upload_result_get_history_id (result));
          batch->n_skipped++;
        }
      else
        {
          same = gp_upload_result_new_failure (gp_upload_result_get_stage (result),
                                               gp_upload_result_get_code (result),
                                               gp_upload_result_get_message (result));
          batch->n_failed++;
        }
      gp_upload_result_set_attempts (same, 0);
      leader_name = gp_upload_item_dup_name (item);
      /* TRANSLATORS: %s is a file name */
      notice = g_strdup_printf (_("The same bytes as %s: sent once"), leader_name);
      gp_upload_item_set_notice (follower->item, notice);
      item_done (batch, follower->item, same);
    }
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  results = gp_uploader_upload_finish (GP_UPLOADER (object), result, &error);

  /* Every file normally reported through ::file-finished; any that did not
   * still gets its result (or the batch's error). */
  for (guint i = 0; i < batch->upload_items->len; i++)
    {
      GpUploadItem *item = g_ptr_array_index (batch->upload_items, i);
      g_autoptr(GpUploadResult) failure = NULL;

      if (!g_hash_table_contains (batch->controller->in_flight, gp_upload_item_get_path (item)))
        continue;
      if (results != NULL && i < results->len)
        {
          file_finished_cb (batch->uploader, i, g_ptr_array_index (results, i), batch);
          continue;
        }
      failure = gp_upload_result_new_failure (GP_STAGE_NETWORK,
                                              error != NULL &&
                                              g_error_matches (error, G_IO_ERROR,
                                                               G_IO_ERROR_CANCELLED)
                                              ? GP_UPLOAD_CANCELLED
                                              : GP_UPLOAD_REQUEST_NOT_BUILT,
                                              error != NULL ? error->message : _("Not sent"));
      file_finished_cb (batch->uploader, i, failure, batch);
    }

  batch_finish (batch);
}

static void
batch_send (Batch *batch)
{
  GpUploadController *self = batch->controller;
  g_autoptr(GPtrArray) to_upload = NULL;
  g_autoptr(GpGateway) gateway = NULL;
  g_autoptr(GpHistoryJournal) journal = NULL;
  g_autoptr(GHashTable) leaders = g_hash_table_new (g_str_hash, g_str_equal);

  to_upload = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);
  batch->upload_items = g_ptr_array_new_with_free_func (g_object_unref);
  batch->followers = g_ptr_array_new_with_free_func ((GDestroyNotify) follower_free);

  for (guint i = 0; i < batch->reports->len; i++)
    {
      GpUploadItem *item = g_ptr_array_index (batch->items, i);
      GpHistoryEntry *duplicate = g_ptr_array_index (batch->duplicates, i);

      if (duplicate != NULL)
        {
          /* Nothing is sent: the earlier success stands, with its ID and
           * history row, and no attempt. */
          g_autoptr(GpUploadResult) earlier = NULL;
          g_autofree char *when = gp_history_entry_dup_time_string (duplicate);
          g_autofree char *notice = NULL;

          earlier = gp_upload_result_new_success (duplicate->media_id, duplicate->media_url);
          gp_upload_result_set_history_id (earlier, duplicate->id);
          gp_upload_result_set_attempts (earlier, 0);
          /* TRANSLATORS: 1: date and time, 2: media ID */
          notice = g_strdup_printf (_("Already uploaded on %1$s as %2$s; not sent again"),
                                    when, duplicate->media_id);
          gp_upload_item_set_notice (item, notice);
          batch->n_skipped++;
          item_done (batch, item, earlier);
          continue;
        }

      {
        GpCheckReport *report = g_ptr_array_index (batch->reports, i);
        const char *sha256 = gp_check_report_get_sha256 (report);
        gpointer leader;

        if (g_hash_table_lookup_extended (leaders, sha256, NULL, &leader))
          {
            Follower *follower = g_new0 (Follower, 1);

            follower->item = g_object_ref (item);
            follower->leader = GPOINTER_TO_UINT (leader);
            g_ptr_array_add (batch->followers, follower);
            continue;
          }
        g_hash_table_insert (leaders, (gpointer) sha256, GUINT_TO_POINTER (to_upload->len));
        g_ptr_array_add (batch->upload_items, g_object_ref (item));
        g_ptr_array_add (to_upload, gp_check_report_ref (report));
      }
    }

  if (to_upload->len == 0)
    {
      batch_finish (batch);
      return;
    }

  gateway = gp_gateway_new_for_kind (gp_profile_get_gateway (batch->profile));
  journal = gp_history_journal_new (self->history);
  batch->uploader = gp_uploader_new ();
  gp_uploader_set_jobs (batch->uploader, self->jobs);
  g_signal_connect (batch->uploader, "file-progress", G_CALLBACK (file_progress_cb), batch);
  g_signal_connect (batch->uploader, "file-finished", G_CALLBACK (file_finished_cb), batch);
  gp_uploader_upload_async (batch->uploader, gateway, batch->profile, to_upload,
                            GP_UPLOAD_JOURNAL (journal), batch->cancellable, uploaded_cb, batch);
}

typedef struct
{
  Batch *batch;
  guint  index;
} Lookup;

static void
duplicate_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Lookup *lookup = user_data;
  Batch *batch = lookup->batch;
  g_autoptr(GError) error = NULL;
  GpHistoryEntry *duplicate = NULL;

  if (!gp_history_find_duplicate_finish (GP_HISTORY (object), result, &duplicate, &error))
    g_warning ("Looking for an earlier upload failed: %s", error->message);
  g_ptr_array_index (batch->duplicates, lookup->index) = duplicate;
  g_free (lookup);

  if (--batch->pending_lookups > 0)
    return;

  if (g_cancellable_is_cancelled (batch->cancellable))
    {
      g_autoptr(GpUploadResult) cancelled =
        gp_upload_result_new_failure (GP_STAGE_NETWORK, GP_UPLOAD_CANCELLED,
                                      _("Cancelled before sending"));

      for (guint i = 0; i < batch->items->len; i++)
        {
          batch->n_failed++;
          item_done (batch, g_ptr_array_index (batch->items, i), cancelled);
        }
      batch_finish (batch);
      return;
    }

  batch_send (batch);
}

/**
 * gp_upload_controller_upload:
 * @reports: (element-type GpCheckReport): passing reports, as
 *   GpUploadPage::upload-requested gives them
 * @force: send even the files already uploaded with this profile
 *
 * Starts a batch with the current profile. When it ends,
 * ::batch-finished says how it went.
 */
void
gp_upload_controller_upload (GpUploadController *self,
                             GPtrArray          *reports,
                             gboolean            force)
{
  Batch *batch;

  g_return_if_fail (GP_IS_UPLOAD_CONTROLLER (self));
  g_return_if_fail (reports != NULL);

  if (self->profile == NULL)
    {
      message (self, _("Choose a profile first: Manage Profiles… in the profile menu"));
      return;
    }
  if (self->history == NULL)
    {
      message (self, _("The upload history is not open, so nothing was sent"));
      return;
    }

  batch = g_new0 (Batch, 1);
  batch->controller = g_object_ref (self);
  batch->profile = g_object_ref (self->profile);
  batch->cancellable = g_cancellable_new ();
  batch->items = g_ptr_array_new_with_free_func (g_object_unref);
  batch->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);

  for (guint i = 0; i < reports->len; i++)
    {
      GpCheckReport *report = g_ptr_array_index (reports, i);
      const char *path = gp_check_report_get_path (report);
      GpUploadItem *item = gp_upload_page_find_item (self->page, path);

      /* Checked for another gateway, gone from the list, or already on its
       * way: not part of this batch. */
      if (item == NULL || g_hash_table_contains (self->in_flight, path) ||
          !gp_check_report_is_ok (report) ||
          gp_check_report_get_gateway (report) != gp_profile_get_gateway (self->profile))
        continue;

      g_hash_table_add (self->in_flight, g_strdup (path));
      gp_upload_item_set_notice (item, NULL);
      gp_upload_item_set_result (item, NULL);
      gp_upload_item_set_progress (item, 0);
      g_ptr_array_add (batch->items, g_object_ref (item));
      g_ptr_array_add (batch->reports, gp_check_report_ref (report));
    }

  batch->duplicates = g_ptr_array_new_full (batch->reports->len, entry_unref_nullable);
  g_ptr_array_set_size (batch->duplicates, batch->reports->len);
  self->batches = g_list_prepend (self->batches, batch);

  if (batch->reports->len == 0)
    {
      batch_finish (batch);
      return;
    }
  if (force)
    {
      batch_send (batch);
      return;
    }

  batch->pending_lookups = batch->reports->len;
  for (guint i = 0; i < batch->reports->len; i++)
    {
      Lookup *lookup = g_new0 (Lookup, 1);

      lookup->batch = batch;
      lookup->index = i;
      gp_history_find_duplicate_async (self->history, gp_profile_get_id (batch->profile),
                                       gp_check_report_get_sha256 (batch->reports->pdata[i]),
                                       NULL, duplicate_found_cb, lookup);
    }
}

/**
 * gp_upload_controller_cancel_file:
 *
 * Stops sending the file at @path; it ends as stage network, CANCELLED.
 *
 * Returns: %TRUE when the file was being sent
 */
gboolean
gp_upload_controller_cancel_file (GpUploadController *self,
                                  const char         *path)
{
  g_return_val_if_fail (GP_IS_UPLOAD_CONTROLLER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (GList *l = self->batches; l != NULL; l = l->next)
    {
      Batch *batch = l->data;

      if (batch->uploader == NULL)
        continue;
      for (guint i = 0; i < batch->upload_items->len; i++)
        if (g_strcmp0 (gp_upload_item_get_path (batch->upload_items->pdata[i]), path) == 0)
          {
            gp_uploader_cancel_file (batch->uploader, i);
            return TRUE;
          }
    }

  return FALSE;
}

void
gp_upload_controller_cancel_all (GpUploadController *self)
{
  g_return_if_fail (GP_IS_UPLOAD_CONTROLLER (self));

  for (GList *l = self->batches; l != NULL; l = l->next)
    g_cancellable_cancel (((Batch *) l->data)->cancellable);
}

static void
gp_upload_controller_dispose (GObject *object)
{
  GpUploadController *self = GP_UPLOAD_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->page);
  g_clear_object (&self->profile);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (gp_upload_controller_parent_class)->dispose (object);
}

static void
gp_upload_controller_finalize (GObject *object)
{
  GpUploadController *self = GP_UPLOAD_CONTROLLER (object);

  g_assert (self->batches == NULL);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (gp_upload_controller_parent_class)->finalize (object);
}

static void
gp_upload_controller_class_init (GpUploadControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_upload_controller_dispose;
  object_class->finalize = gp_upload_controller_finalize;

  /* batch-finished (guint n_uploaded, guint n_failed, guint n_skipped) */
  signals[BATCH_FINISHED] =
    g_signal_new ("batch-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /* message (const char *text): translated words for a toast */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gp_upload_controller_init (GpUploadController *self)
{
  self->jobs = 3;
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
