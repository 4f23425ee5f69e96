/* gp-history-model.h: the upload history as a lazily paged GListModel
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include <gatepost-core.h>

G_BEGIN_DECLS

/* Rows fetched per page. */
#define GP_HISTORY_MODEL_PAGE_SIZE 200

#define GP_TYPE_HISTORY_ITEM (gp_history_item_get_type ())

G_DECLARE_FINAL_TYPE (GpHistoryItem, gp_history_item, GP, HISTORY_ITEM, GObject)

GpHistoryEntry *gp_history_item_get_entry (GpHistoryItem *self);

#define GP_TYPE_HISTORY_MODEL (gp_history_model_get_type ())

G_DECLARE_FINAL_TYPE (GpHistoryModel, gp_history_model, GP, HISTORY_MODEL, GObject)

GpHistoryModel       *gp_history_model_new              (void);
GpHistory            *gp_history_model_get_history      (GpHistoryModel       *self);
void                  gp_history_model_set_history      (GpHistoryModel       *self,
                                                         GpHistory            *history);
const GpHistoryQuery *gp_history_model_get_query        (GpHistoryModel       *self);
void                  gp_history_model_set_query        (GpHistoryModel       *self,
                                                         const GpHistoryQuery *query);
void                  gp_history_model_reload           (GpHistoryModel       *self);
gboolean              gp_history_model_get_loading      (GpHistoryModel       *self);
const GError         *gp_history_model_get_error        (GpHistoryModel       *self);
guint                 gp_history_model_get_n_page_loads (GpHistoryModel       *self);

G_END_DECLS
