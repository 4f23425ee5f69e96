/* gp-upload-page.h: the "Upload" page: files, their checks, a preview
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* How the other parts plug in:
 *
 * - Profiles: set the gateway whose rules apply with
 *   gp_upload_page_set_gateway() or bind to the "gateway" property
 *   (GP_TYPE_GATEWAY_KIND, from gp-gui-enums.h). Every row is judged again
 *   at once from its report; no file is read again.
 * - Upload: connect to ::upload-requested (a GPtrArray of GpCheckReport,
 *   list order, all passing). Find each file's item with
 *   gp_upload_page_find_item (page, gp_check_report_get_path (report)) and
 *   report back with gp_upload_item_set_progress() (0..1, -1 when done)
 *   and gp_upload_item_set_result(); the row, the summary and the Upload
 *   button follow. Use the window's cancellable (gp_window_get_cancellable).
 * - Anything that lists files: activate "upload.add-files" with URIs or
 *   paths ("as"), as the drop target and the file chooser do.
 */

#include <adwaita.h>

#include <gatepost-core.h>

#include "gp-preview.h"
#include "gp-upload-item.h"

G_BEGIN_DECLS

/* A folder dropped or opened is walked this deep, up to this many files. */
#define GP_UPLOAD_PAGE_MAX_DEPTH 8
#define GP_UPLOAD_PAGE_MAX_FILES 1000

#define GP_TYPE_UPLOAD_PAGE (gp_upload_page_get_type ())

G_DECLARE_FINAL_TYPE (GpUploadPage, gp_upload_page, GP, UPLOAD_PAGE, AdwBin)

GpUploadPage  *gp_upload_page_new               (void);
GpGatewayKind  gp_upload_page_get_gateway       (GpUploadPage  *self);
void           gp_upload_page_set_gateway       (GpUploadPage  *self,
                                                 GpGatewayKind  gateway);
void           gp_upload_page_set_cancellable   (GpUploadPage  *self,
                                                 GCancellable  *cancellable);
GListModel    *gp_upload_page_get_items         (GpUploadPage  *self);
GpUploadItem  *gp_upload_page_find_item         (GpUploadPage  *self,
                                                 const char    *path);
void           gp_upload_page_select_item       (GpUploadPage  *self,
                                                 GpUploadItem  *item);
GpUploadItem  *gp_upload_page_get_selected_item (GpUploadPage  *self);
gboolean       gp_upload_page_get_can_upload    (GpUploadPage  *self);
guint          gp_upload_page_get_n_pending     (GpUploadPage  *self);
const char    *gp_upload_page_get_summary       (GpUploadPage  *self);
GtkWidget     *gp_upload_page_get_row           (GpUploadPage  *self,
                                                 GpUploadItem  *item);
GpPreview     *gp_upload_page_get_preview       (GpUploadPage  *self);
void           gp_upload_page_set_limits        (GpUploadPage  *self,
                                                 guint          max_depth,
                                                 guint          max_files);

G_END_DECLS
