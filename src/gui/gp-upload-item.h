/* gp-upload-item.h: one file in the upload list
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include <gatepost-core.h>

G_BEGIN_DECLS

#define GP_TYPE_UPLOAD_ITEM (gp_upload_item_get_type ())

G_DECLARE_FINAL_TYPE (GpUploadItem, gp_upload_item, GP, UPLOAD_ITEM, GObject)

GpUploadItem   *gp_upload_item_new            (GFile          *file);
GFile          *gp_upload_item_get_file       (GpUploadItem   *self);
const char     *gp_upload_item_get_path       (GpUploadItem   *self);
char           *gp_upload_item_dup_name       (GpUploadItem   *self);
gboolean        gp_upload_item_get_checking   (GpUploadItem   *self);
void            gp_upload_item_set_checking   (GpUploadItem   *self,
                                               gboolean        checking);
GpCheckReport  *gp_upload_item_get_report     (GpUploadItem   *self);
void            gp_upload_item_set_report     (GpUploadItem   *self,
                                               GpCheckReport  *report);
const char     *gp_upload_item_get_error      (GpUploadItem   *self);
void            gp_upload_item_set_error      (GpUploadItem   *self,
                                               const char     *error);
GdkPaintable   *gp_upload_item_get_thumbnail  (GpUploadItem   *self);
void            gp_upload_item_set_thumbnail  (GpUploadItem   *self,
                                               GdkPaintable   *thumbnail);
double          gp_upload_item_get_progress   (GpUploadItem   *self);
void            gp_upload_item_set_progress   (GpUploadItem   *self,
                                               double          progress);
GpUploadResult *gp_upload_item_get_result     (GpUploadItem   *self);
void            gp_upload_item_set_result     (GpUploadItem   *self,
                                               GpUploadResult *result);
const char     *gp_upload_item_get_notice     (GpUploadItem   *self);
void            gp_upload_item_set_notice     (GpUploadItem   *self,
                                               const char     *notice);
gboolean        gp_upload_item_is_ready       (GpUploadItem   *self);
gboolean        gp_upload_item_is_refused     (GpUploadItem   *self);

G_END_DECLS
