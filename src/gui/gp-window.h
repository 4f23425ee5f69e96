/* gp-window.h: the main window
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Another page is one call: gp_window_add_page (window, page, "history",
 * _("History"), "document-open-recent-symbolic"). The profile selector
 * replaces the stand-in gateway drop-down with
 * gp_window_set_profile_selector(); toasts go through
 * gp_window_add_toast() (or any AdwToastOverlay ancestor). */

#include <adwaita.h>

#include "gp-application.h"
#include "gp-profile-selector.h"
#include "gp-sandbox.h"
#include "gp-upload-controller.h"
#include "gp-upload-page.h"

G_BEGIN_DECLS

#define GP_TYPE_WINDOW (gp_window_get_type ())

G_DECLARE_FINAL_TYPE (GpWindow, gp_window, GP, WINDOW, AdwApplicationWindow)

GpWindow         *gp_window_new                  (GpApplication  *application);
AdwViewStackPage *gp_window_add_page             (GpWindow       *self,
                                                  GtkWidget      *page,
                                                  const char     *name,
                                                  const char     *title,
                                                  const char     *icon_name);
AdwViewStack     *gp_window_get_view_stack       (GpWindow       *self);
GpUploadPage     *gp_window_get_upload_page      (GpWindow       *self);
GtkDropDown      *gp_window_get_gateway_dropdown (GpWindow       *self);
void              gp_window_set_profile_selector (GpWindow       *self,
                                                  GtkWidget      *selector);
GCancellable     *gp_window_get_cancellable      (GpWindow       *self);
void              gp_window_open_files           (GpWindow       *self,
                                                  GFile         **files,
                                                  int             n_files);
void              gp_window_add_toast            (GpWindow       *self,
                                                  AdwToast       *toast);
void              gp_window_start                (GpWindow       *self);
GpProfileList    *gp_window_get_profile_list     (GpWindow       *self);
GpProfileSelector *gp_window_get_profile_selector (GpWindow      *self);
GpSandbox        *gp_window_get_sandbox          (GpWindow       *self);
GpHistory        *gp_window_get_history          (GpWindow       *self);
GpUploadController *gp_window_get_upload_controller (GpWindow    *self);
gboolean          gp_window_get_sandbox_shown    (GpWindow       *self);

G_END_DECLS
