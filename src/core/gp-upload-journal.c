/* gp-upload-journal.c: where the uploader records each upload, before and after
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-upload-journal.h"

G_DEFINE_INTERFACE (GpUploadJournal, gp_upload_journal, G_TYPE_OBJECT)

static void
gp_upload_journal_default_init (GpUploadJournalInterface *iface)
{
}

/**
 * gp_upload_journal_begin_async:
 * @profile: (nullable): the profile the file goes out with
 * @report: the file's passing check (path, size, digests, format)
 *
 * Records a pending upload. Called before the first byte is sent.
 */
void
gp_upload_journal_begin_async (GpUploadJournal     *self,
                               GpProfile           *profile,
                               GpCheckReport       *report,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (GP_IS_UPLOAD_JOURNAL (self));
  g_return_if_fail (report != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  GP_UPLOAD_JOURNAL_GET_IFACE (self)->begin_async (self, profile, report, cancellable,
                                                   callback, user_data);
}

/**
 * gp_upload_journal_begin_finish:
 *
 * Returns: the row id (> 0) of the pending upload, or -1 with @error
 */
gint64
gp_upload_journal_begin_finish (GpUploadJournal  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (GP_IS_UPLOAD_JOURNAL (self), -1);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return GP_UPLOAD_JOURNAL_GET_IFACE (self)->begin_finish (self, result, error);
}

/**
 * gp_upload_journal_complete_async:
 * @id: the row id begin gave
 * @result: the file's final result; its history_id is already @id
 *
 * Completes a pending upload with its final outcome.
 */
void
gp_upload_journal_complete_async (GpUploadJournal     *self,
                                  gint64               id,
                                  GpUploadResult      *result,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GP_IS_UPLOAD_JOURNAL (self));
  g_return_if_fail (result != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  GP_UPLOAD_JOURNAL_GET_IFACE (self)->complete_async (self, id, result, cancellable,
                                                      callback, user_data);
}

gboolean
gp_upload_journal_complete_finish (GpUploadJournal  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (GP_IS_UPLOAD_JOURNAL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return GP_UPLOAD_JOURNAL_GET_IFACE (self)->complete_finish (self, result, error);
}
