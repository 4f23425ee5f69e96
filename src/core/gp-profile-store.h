/* gp-profile-store.h: merchant profiles in the keyring (libsecret)
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_STORE (gp_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileStore, gp_profile_store, GP, PROFILE_STORE, GObject)

GpProfileStore *gp_profile_store_new          (void);

void            gp_profile_store_save_async   (GpProfileStore       *self,
                                               GpProfile            *profile,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GpProfile      *gp_profile_store_save_finish  (GpProfileStore       *self,
                                               GAsyncResult         *result,
                                               gboolean             *replaced,
                                               GError              **error);
GpProfile      *gp_profile_store_save_sync    (GpProfileStore       *self,
                                               GpProfile            *profile,
                                               gboolean             *replaced,
                                               GCancellable         *cancellable,
                                               GError              **error);

void            gp_profile_store_list_async   (GpProfileStore       *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray      *gp_profile_store_list_finish  (GpProfileStore       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray      *gp_profile_store_list_sync    (GpProfileStore       *self,
                                               GCancellable         *cancellable,
                                               GError              **error);

void            gp_profile_store_load_async   (GpProfileStore       *self,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GpProfile      *gp_profile_store_load_finish  (GpProfileStore       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GpProfile      *gp_profile_store_load_sync    (GpProfileStore       *self,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GError              **error);

void            gp_profile_store_remove_async (GpProfileStore       *self,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        gp_profile_store_remove_finish (GpProfileStore      *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean        gp_profile_store_remove_sync  (GpProfileStore       *self,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GError              **error);

G_END_DECLS
