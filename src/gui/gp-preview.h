/* gp-preview.h: the preview pane of the upload page
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gp-upload-item.h"

G_BEGIN_DECLS

#define GP_TYPE_PREVIEW (gp_preview_get_type ())

G_DECLARE_FINAL_TYPE (GpPreview, gp_preview, GP, PREVIEW, AdwBin)

GpUploadItem *gp_preview_get_item         (GpPreview    *self);
void          gp_preview_set_item         (GpPreview    *self,
                                           GpUploadItem *item);
GtkPicture   *gp_preview_get_picture      (GpPreview    *self);
GtkVideo     *gp_preview_get_video        (GpPreview    *self);
const char   *gp_preview_get_media_state  (GpPreview    *self);
const char   *gp_preview_get_message      (GpPreview    *self);

G_END_DECLS
