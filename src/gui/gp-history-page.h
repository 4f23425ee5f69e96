/* gp-history-page.h: the "History" page: every upload, searchable
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* How the other parts plug in:
 *
 * - The window adds it with gp_window_add_page (win, page, "history", …).
 *   "Upload again" finds the AdwViewStack it sits in, activates
 *   "upload.add-files" on the stack's "upload" child and shows that page.
 * - The page opens the default history file itself; a window that already
 *   has one open passes it with gp_history_page_set_history().
 * - After uploads, call gp_history_page_reload().
 * - Ctrl+F: gp_history_page_focus_search() (the page also binds Ctrl+F
 *   while focus is inside it). Ctrl+C copies the selected media ID.
 * - Profile names for the profile filter: gp_history_page_set_profiles().
 */

#include <adwaita.h>

#include <gatepost-core.h>

#include "gp-history-model.h"

G_BEGIN_DECLS

#define GP_TYPE_HISTORY_PAGE (gp_history_page_get_type ())

G_DECLARE_FINAL_TYPE (GpHistoryPage, gp_history_page, GP, HISTORY_PAGE, AdwBin)

GpHistoryPage  *gp_history_page_new            (void);
GpHistory      *gp_history_page_get_history    (GpHistoryPage          *self);
void            gp_history_page_set_history    (GpHistoryPage          *self,
                                                GpHistory              *history);
void            gp_history_page_set_profiles   (GpHistoryPage          *self,
                                                const char * const     *names);
void            gp_history_page_reload         (GpHistoryPage          *self);
void            gp_history_page_focus_search   (GpHistoryPage          *self);
GpHistoryModel *gp_history_page_get_model      (GpHistoryPage          *self);
GtkColumnView  *gp_history_page_get_column_view (GpHistoryPage         *self);
GtkSearchEntry *gp_history_page_get_search_entry (GpHistoryPage        *self);
GpHistoryEntry *gp_history_page_get_selected   (GpHistoryPage          *self);
void            gp_history_page_select         (GpHistoryPage          *self,
                                                guint                   position);
const char     *gp_history_page_get_state      (GpHistoryPage          *self);
void            gp_history_page_export_async   (GpHistoryPage          *self,
                                                GFile                  *file,
                                                GpHistoryExportFormat   format,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
gboolean        gp_history_page_export_finish  (GpHistoryPage          *self,
                                                GAsyncResult           *result,
                                                GError                **error);

G_END_DECLS
