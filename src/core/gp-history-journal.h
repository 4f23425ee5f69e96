/* gp-history-journal.h: the upload history as the uploader's journal
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gp-history.h"
#include "gp-upload-journal.h"

G_BEGIN_DECLS

#define GP_TYPE_HISTORY_JOURNAL (gp_history_journal_get_type ())

G_DECLARE_FINAL_TYPE (GpHistoryJournal, gp_history_journal, GP, HISTORY_JOURNAL, GObject)

GpHistoryJournal *gp_history_journal_new         (GpHistory *history);
GpHistory        *gp_history_journal_get_history (GpHistoryJournal *self);

G_END_DECLS
