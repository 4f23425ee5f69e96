/* gp-profile-selector.h: the header bar's profile chooser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gp-profile-list.h"
#include "gp-profile-manager.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_SELECTOR (gp_profile_selector_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileSelector, gp_profile_selector, GP, PROFILE_SELECTOR, GtkWidget)

GpProfileSelector *gp_profile_selector_new                (GpProfileList      *list);
GpProfileList     *gp_profile_selector_get_list           (GpProfileSelector  *self);
GpProfile         *gp_profile_selector_get_active_profile (GpProfileSelector  *self);
gboolean           gp_profile_selector_set_active_name    (GpProfileSelector  *self,
                                                           const char         *name);
GpProfileManager  *gp_profile_selector_open_manager       (GpProfileSelector  *self);

G_END_DECLS
