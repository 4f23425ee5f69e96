/* gp-profile.h: a merchant profile, the value object behind one keyring item
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gp-key.h"
#include "gp-types.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE (gp_profile_get_type ())

G_DECLARE_FINAL_TYPE (GpProfile, gp_profile, GP, PROFILE, GObject)

GpProfile       *gp_profile_new_from_json           (JsonObject     *object,
                                                     const char     *base_dir,
                                                     GError        **error);
GpProfile       *gp_profile_new_from_data           (const char     *data,
                                                     gssize          len,
                                                     const char     *base_dir,
                                                     GError        **error);

const char      *gp_profile_get_id                  (GpProfile      *self);
const char      *gp_profile_get_name                (GpProfile      *self);
GpGatewayKind    gp_profile_get_gateway             (GpProfile      *self);
const char      *gp_profile_get_base_url            (GpProfile      *self);
gboolean         gp_profile_has_custom_base_url     (GpProfile      *self);
const char      *gp_profile_get_string              (GpProfile      *self,
                                                     const char     *field);
GpPrivateKey    *gp_profile_get_private_key         (GpProfile      *self);
GpPublicKey     *gp_profile_get_verify_key          (GpProfile      *self);
const char      *gp_profile_get_verify_serial       (GpProfile      *self);
GBytes          *gp_profile_dup_api_key             (GpProfile      *self);
GTlsCertificate *gp_profile_get_client_certificate  (GpProfile      *self);
GpCertificate   *gp_profile_get_certificate         (GpProfile      *self,
                                                     const char     *field);
const char      *gp_profile_get_ca_pem              (GpProfile      *self);

G_END_DECLS
