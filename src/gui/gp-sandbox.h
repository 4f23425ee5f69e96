/* gp-sandbox.h: the local simulator behind the Sandbox profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gatepost-core.h"

G_BEGIN_DECLS

/* How long the simulator may take to print READY (it makes its keys and
 * certificates on the first start). */
#define GP_SANDBOX_START_TIMEOUT_S 30

#define GP_TYPE_SANDBOX (gp_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (GpSandbox, gp_sandbox, GP, SANDBOX, GObject)

GpSandbox   *gp_sandbox_new            (const char           *dir);
char        *gp_sandbox_dup_default_dir (void);
char        *gp_sandbox_find_program   (void);
const char  *gp_sandbox_get_dir        (GpSandbox            *self);
const char  *gp_sandbox_get_base_url   (GpSandbox            *self);
gboolean     gp_sandbox_get_running    (GpSandbox            *self);
GPid         gp_sandbox_get_pid        (GpSandbox            *self);

void         gp_sandbox_start_async    (GpSandbox            *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GPtrArray   *gp_sandbox_start_finish   (GpSandbox            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
void         gp_sandbox_stop           (GpSandbox            *self);

G_END_DECLS
