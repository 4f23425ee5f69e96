/* gp-profile-list.h: the profiles as a list model, backed by the keyring
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gatepost-core.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_LIST (gp_profile_list_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileList, gp_profile_list, GP, PROFILE_LIST, GObject)

GpProfileList  *gp_profile_list_new              (void);
GpProfileStore *gp_profile_list_get_store        (GpProfileList        *self);
gboolean        gp_profile_list_get_loaded       (GpProfileList        *self);

void            gp_profile_list_refresh_async    (GpProfileList        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        gp_profile_list_refresh_finish   (GpProfileList        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            gp_profile_list_save_async       (GpProfileList        *self,
                                                  GpProfile            *profile,
                                                  const char           *replaces,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GpProfile      *gp_profile_list_save_finish      (GpProfileList        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            gp_profile_list_remove_async     (GpProfileList        *self,
                                                  const char           *name,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        gp_profile_list_remove_finish    (GpProfileList        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            gp_profile_list_add_transient    (GpProfileList        *self,
                                                  GpProfile            *profile,
                                                  const char           *label);
gboolean        gp_profile_list_is_transient     (GpProfileList        *self,
                                                  GpProfile            *profile);
const char     *gp_profile_list_get_label        (GpProfileList        *self,
                                                  GpProfile            *profile);
GpProfile      *gp_profile_list_find             (GpProfileList        *self,
                                                  const char           *name);

char           *gp_profile_describe_key          (GpPublicKey          *key);
GpExpiry        gp_profile_describe_certificate  (GpCertificate        *certificate,
                                                  char                **text);
char           *gp_profile_describe_gateway      (GpGatewayKind         gateway);

void            gp_profile_wipe_json             (JsonObject           *object);

G_END_DECLS
