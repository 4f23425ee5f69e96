/* gp-file-row.h: a row of the upload list
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gp-upload-item.h"

G_BEGIN_DECLS

#define GP_TYPE_FILE_ROW (gp_file_row_get_type ())

G_DECLARE_FINAL_TYPE (GpFileRow, gp_file_row, GP, FILE_ROW, GtkListBoxRow)

GtkWidget    *gp_file_row_new      (GpUploadItem *item);
GpUploadItem *gp_file_row_get_item (GpFileRow    *self);
const char   *gp_file_row_failure_hint (GpStage     stage,
                                        const char *code);

G_END_DECLS
