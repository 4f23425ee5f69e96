/* gp-profile-manager.h: the window that lists, adds, edits and removes profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gp-profile-editor.h"
#include "gp-profile-list.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_MANAGER (gp_profile_manager_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileManager, gp_profile_manager, GP, PROFILE_MANAGER,
                      AdwPreferencesWindow)

GpProfileManager *gp_profile_manager_new         (GpProfileList     *list);
GpProfileList    *gp_profile_manager_get_list    (GpProfileManager  *self);
const char       *gp_profile_manager_get_state   (GpProfileManager  *self);
GtkWidget        *gp_profile_manager_get_row     (GpProfileManager  *self,
                                                  const char        *name);
GpProfileEditor  *gp_profile_manager_get_editor  (GpProfileManager  *self);
AdwMessageDialog *gp_profile_manager_get_dialog  (GpProfileManager  *self);

G_END_DECLS
