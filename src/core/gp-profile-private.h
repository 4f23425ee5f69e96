/* gp-profile-private.h: what the profile store needs of GpProfile
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gp-profile.h"

G_BEGIN_DECLS

GpProfile *gp_profile_new_from_canonical   (GBytes     *json,
                                            GError    **error);
GBytes    *gp_profile_dup_canonical_json   (GpProfile  *self);
void       gp_profile_set_id               (GpProfile  *self,
                                            const char *id);

G_END_DECLS
