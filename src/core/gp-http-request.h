/* gp-http-request.h: one attempt's request, as a driver built it
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-types.h"

G_BEGIN_DECLS

/* Opens a fresh body stream of exactly the announced length. Called once
 * per attempt, so a retry re-reads the file from the start. The stream
 * must fail (not end early) when the file no longer matches its check. */
typedef GInputStream *(*GpHttpBodyOpenFunc) (gpointer       user_data,
                                             GCancellable  *cancellable,
                                             GError       **error);

#define GP_TYPE_HTTP_REQUEST (gp_http_request_get_type ())

GType          gp_http_request_get_type        (void) G_GNUC_CONST;
GpHttpRequest *gp_http_request_new             (const char          *method,
                                                const char          *url);
GpHttpRequest *gp_http_request_ref             (GpHttpRequest       *self);
void           gp_http_request_unref           (GpHttpRequest       *self);

const char    *gp_http_request_get_method      (GpHttpRequest       *self);
const char    *gp_http_request_get_url         (GpHttpRequest       *self);
void           gp_http_request_add_header      (GpHttpRequest       *self,
                                                const char          *name,
                                                const char          *value);
guint          gp_http_request_get_n_headers   (GpHttpRequest       *self);
void           gp_http_request_get_header      (GpHttpRequest       *self,
                                                guint                index,
                                                const char         **name,
                                                const char         **value);
const char    *gp_http_request_lookup_header   (GpHttpRequest       *self,
                                                const char          *name);
void           gp_http_request_set_body        (GpHttpRequest       *self,
                                                const char          *content_type,
                                                guint64              length,
                                                GpHttpBodyOpenFunc   open_func,
                                                gpointer             user_data,
                                                GDestroyNotify       destroy);
const char    *gp_http_request_get_content_type (GpHttpRequest      *self);
guint64        gp_http_request_get_content_length (GpHttpRequest    *self);
GInputStream  *gp_http_request_open_body       (GpHttpRequest       *self,
                                                GCancellable        *cancellable,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpHttpRequest, gp_http_request_unref)

G_END_DECLS
