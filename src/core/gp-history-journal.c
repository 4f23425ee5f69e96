/* gp-history-journal.c: the upload history as the uploader's journal
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-history-journal.h"

#include "gp-profile.h"

/* Writes the pending row before the uploader sends the first byte of a
 * file and completes it with the final result, so that a returned media
 * ID is on disk before anyone is told about it. */
struct _GpHistoryJournal
{
  GObject    parent_instance;

  GpHistory *history;
};

static void journal_iface_init (GpUploadJournalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GpHistoryJournal, gp_history_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GP_TYPE_UPLOAD_JOURNAL, journal_iface_init))

/**
 * gp_history_journal_new:
 *
 * Returns: (transfer full): a journal writing to @history
 */
GpHistoryJournal *
gp_history_journal_new (GpHistory *history)
{
  GpHistoryJournal *self;

  g_return_val_if_fail (GP_IS_HISTORY (history), NULL);

  self = g_object_new (GP_TYPE_HISTORY_JOURNAL, NULL);
  self->history = g_object_ref (history);

  return self;
}

GpHistory *
gp_history_journal_get_history (GpHistoryJournal *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_JOURNAL (self), NULL);

  return self->history;
}

/* The merchant account a row belongs to: Alipay counts its 5,000-item
 * capacity per app, so the app_id is kept; WeChat rows keep the mch_id. */
static const char *
profile_account (GpProfile *profile)
{
  const char *app_id;

  if (profile == NULL)
    return NULL;
  app_id = gp_profile_get_string (profile, "app_id");

  return app_id != NULL ? app_id : gp_profile_get_string (profile, "mch_id");
}

static void
begin_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gint64 id;

  id = gp_history_begin_finish (GP_HISTORY (source), result, &error);
  if (id < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static void
journal_begin_async (GpUploadJournal     *journal,
                     GpProfile           *profile,
                     GpCheckReport       *report,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GpHistoryJournal *self = GP_HISTORY_JOURNAL (journal);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GpHistoryEntry) pending = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, journal_begin_async);

  pending = gp_history_entry_new_for_report (report,
                                             profile ? gp_profile_get_name (profile) : NULL,
                                             profile ? gp_profile_get_id (profile) : NULL,
                                             profile_account (profile));
  gp_history_begin_async (self->history, pending, cancellable, begin_done_cb,
                          g_steal_pointer (&task));
}

static gint64
journal_begin_finish (GpUploadJournal  *journal,
                      GAsyncResult     *result,
                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
complete_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (gp_history_complete_finish (GP_HISTORY (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
journal_complete_async (GpUploadJournal     *journal,
                        gint64               id,
                        GpUploadResult      *result,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GpHistoryJournal *self = GP_HISTORY_JOURNAL (journal);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, journal_complete_async);
  gp_history_complete_async (self->history, id, result, cancellable, complete_done_cb,
                             g_steal_pointer (&task));
}

static gboolean
journal_complete_finish (GpUploadJournal  *journal,
                         GAsyncResult     *result,
                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
journal_iface_init (GpUploadJournalInterface *iface)
{
  iface->begin_async = journal_begin_async;
  iface->begin_finish = journal_begin_finish;
  iface->complete_async = journal_complete_async;
  iface->complete_finish = journal_complete_finish;
}

static void
gp_history_journal_finalize (GObject *object)
{
  GpHistoryJournal *self = GP_HISTORY_JOURNAL (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (gp_history_journal_parent_class)->finalize (object);
}

static void
gp_history_journal_class_init (GpHistoryJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_history_journal_finalize;
}

static void
gp_history_journal_init (GpHistoryJournal *self)
{
}
