/* gp-sim-server.h: gatepost-sim's HTTPS servers, fault registry and control endpoint
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-sim-fixtures.h"

G_BEGIN_DECLS

/* Largest request body read at all (Alipay's 50 MiB MP4 plus overhead). */
#define GP_SIM_MAX_BODY (64 * 1024 * 1024)

typedef struct _GpSimServer GpSimServer;

GpSimServer *gp_sim_server_new            (GpSimFixtures  *fixtures);
void         gp_sim_server_set_alipay_skew (GpSimServer   *self,
                                            gint64          seconds);
gboolean     gp_sim_server_add_fault_spec (GpSimServer    *self,
                                           const char     *spec,
                                           GError        **error);
gboolean     gp_sim_server_listen         (GpSimServer    *self,
                                           guint           port,
                                           guint           v2_port,
                                           GError        **error);
const char  *gp_sim_server_get_base_url   (GpSimServer    *self);
const char  *gp_sim_server_get_v2_base_url (GpSimServer   *self);
void         gp_sim_server_free           (GpSimServer    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSimServer, gp_sim_server_free)

G_END_DECLS
