/* gp-history-private.h: what gp-history.c and gp-history-entry.c share
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gp-history.h"

G_BEGIN_DECLS

#define GP_HISTORY_N_STATUSES (GP_HISTORY_STATUS_INTERRUPTED + 1)

struct _GpHistoryQuery
{
  char          *text;
  char          *profile;
  char          *profile_id;
  GpGatewayKind  gateway;
  int            status;
  gint64         since_us;
  gint64         until_us;
  gint64         before_id;
  guint          limit;
  guint          offset;
};

GpHistoryEntry *gp_history_entry_alloc (void);

G_END_DECLS
