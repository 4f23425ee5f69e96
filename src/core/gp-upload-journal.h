/* gp-upload-journal.h: where the uploader records each upload, before and after
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-types.h"
#include "gp-upload-result.h"

G_BEGIN_DECLS

#define GP_TYPE_UPLOAD_JOURNAL (gp_upload_journal_get_type ())

G_DECLARE_INTERFACE (GpUploadJournal, gp_upload_journal, GP, UPLOAD_JOURNAL, GObject)

/* The history store implements this. The uploader calls begin before the
 * first byte of a file is sent and waits for it: a file that cannot be
 * recorded is not sent. complete follows the file's final result (one call
 * per begun file, whatever the outcome, cancellation included). */
struct _GpUploadJournalInterface
{
  GTypeInterface parent_iface;

  void     (*begin_async)     (GpUploadJournal      *self,
                               GpProfile            *profile,
                               GpCheckReport        *report,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gint64   (*begin_finish)    (GpUploadJournal      *self,
                               GAsyncResult         *result,
                               GError              **error);
  void     (*complete_async)  (GpUploadJournal      *self,
                               gint64                id,
                               GpUploadResult       *result,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean (*complete_finish) (GpUploadJournal      *self,
                               GAsyncResult         *result,
                               GError              **error);
};

void     gp_upload_journal_begin_async     (GpUploadJournal      *self,
                                            GpProfile            *profile,
                                            GpCheckReport        *report,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gint64   gp_upload_journal_begin_finish    (GpUploadJournal      *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void     gp_upload_journal_complete_async  (GpUploadJournal      *self,
                                            gint64                id,
                                            GpUploadResult       *result,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean gp_upload_journal_complete_finish (GpUploadJournal      *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
