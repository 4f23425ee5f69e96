/* gp-upload-controller.h: sends the upload page's files with the active profile
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gatepost-core.h"
#include "gp-upload-page.h"

G_BEGIN_DECLS

#define GP_TYPE_UPLOAD_CONTROLLER (gp_upload_controller_get_type ())

G_DECLARE_FINAL_TYPE (GpUploadController, gp_upload_controller, GP, UPLOAD_CONTROLLER, GObject)

GpUploadController *gp_upload_controller_new          (GpUploadPage       *page,
                                                       GCancellable       *cancellable);
void                gp_upload_controller_set_profile  (GpUploadController *self,
                                                       GpProfile          *profile);
GpProfile          *gp_upload_controller_get_profile  (GpUploadController *self);
void                gp_upload_controller_set_history  (GpUploadController *self,
                                                       GpHistory          *history);
GpHistory          *gp_upload_controller_get_history  (GpUploadController *self);
void                gp_upload_controller_set_jobs     (GpUploadController *self,
                                                       guint               jobs);
guint               gp_upload_controller_get_n_running (GpUploadController *self);
void                gp_upload_controller_upload       (GpUploadController *self,
                                                       GPtrArray          *reports,
                                                       gboolean            force);
gboolean            gp_upload_controller_cancel_file  (GpUploadController *self,
                                                       const char         *path);
void                gp_upload_controller_cancel_all   (GpUploadController *self);

G_END_DECLS
