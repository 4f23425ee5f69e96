/* gp-profile-editor.h: the form of one profile, built from its gateway's fields
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gp-profile-list.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_EDITOR (gp_profile_editor_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileEditor, gp_profile_editor, GP, PROFILE_EDITOR, GtkBox)

GpProfileEditor *gp_profile_editor_new            (GpProfileList        *list,
                                                   GpGatewayKind         gateway,
                                                   GpProfile            *profile);
GpGatewayKind    gp_profile_editor_get_gateway    (GpProfileEditor      *self);
GpProfile       *gp_profile_editor_get_profile    (GpProfileEditor      *self);
GtkWidget       *gp_profile_editor_get_row        (GpProfileEditor      *self,
                                                   const char           *field);
const char      *gp_profile_editor_get_error      (GpProfileEditor      *self,
                                                   const char           *field);
const char      *gp_profile_editor_get_status     (GpProfileEditor      *self,
                                                   const char           *field);
void             gp_profile_editor_set_material   (GpProfileEditor      *self,
                                                   const char           *field,
                                                   const char           *text,
                                                   gssize                len);
void             gp_profile_editor_load_file_async  (GpProfileEditor    *self,
                                                     const char         *field,
                                                     GFile              *file,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         gp_profile_editor_load_file_finish (GpProfileEditor    *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
gboolean         gp_profile_editor_get_busy       (GpProfileEditor      *self);
void             gp_profile_editor_clear_secrets  (GpProfileEditor      *self);

G_END_DECLS
