/* gp-gateway.h: the driver interface, one subclass per gateway
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gp-types.h"
#include "gp-http-request.h"
#include "gp-upload-result.h"

G_BEGIN_DECLS

#define GP_GATEWAY_ERROR (gp_gateway_error_quark ())

/* A request that could not be built: the upload cannot start. A gateway's
 * answer is never a GError but a GpUploadResult. */
typedef enum
{
  GP_GATEWAY_ERROR_FAILED,        /* signing failed (key refused by the crypto library) */
  GP_GATEWAY_ERROR_PROFILE,       /* the profile lacks a field or key this gateway needs */
  GP_GATEWAY_ERROR_FILE,          /* the file did not pass its check for this gateway */
  GP_GATEWAY_ERROR_RESPONSE,      /* (parsers) a response that is malformed or refused */
  GP_GATEWAY_ERROR_SPLICED,       /* (parsers) a response with a duplicated signed node */
} GpGatewayError;

GQuark          gp_gateway_error_quark     (void);

/* What varies between attempts. Every field is optional: tests fix the
 * clock, nonce and boundary to reproduce the documents' worked examples;
 * a real upload leaves them unset and gets fresh ones per attempt. */
typedef struct
{
  gint64      now_unix;   /* 0: the real clock */
  const char *nonce;      /* NULL: 32 random [0-9A-Za-z] */
  const char *boundary;   /* NULL: "gatepost-" + 32 random hex */
} GpRequestOptions;

#define GP_TYPE_GATEWAY (gp_gateway_get_type ())

G_DECLARE_DERIVABLE_TYPE (GpGateway, gp_gateway, GP, GATEWAY, GObject)

struct _GpGatewayClass
{
  GObjectClass parent_class;

  /* Builds one attempt. @report is the file's passing check; the body
   * must stream that file and refuse it if it changed since. */
  GpHttpRequest  *(*build_request)  (GpGateway              *self,
                                     GpProfile              *profile,
                                     GpCheckReport          *report,
                                     const GpRequestOptions *options,
                                     GError                **error);

  /* Classifies a complete response (body already capped by the
   * transport): success only when the gateway's signature, serial and
   * timestamp verify; otherwise stage gateway or verify, with
   * retryable set per PROTOCOLS.md section 5.4. */
  GpUploadResult *(*parse_response) (GpGateway              *self,
                                     GpProfile              *profile,
                                     guint                   status,
                                     SoupMessageHeaders     *headers,
                                     GBytes                 *body,
                                     gint64                  now_unix);

  gpointer padding[8];
};

GpGateway      *gp_gateway_new_for_kind    (GpGatewayKind           kind);
GpGatewayKind   gp_gateway_get_kind        (GpGateway              *self);
GpHttpRequest  *gp_gateway_build_request   (GpGateway              *self,
                                            GpProfile              *profile,
                                            GpCheckReport          *report,
                                            const GpRequestOptions *options,
                                            GError                **error);
GpUploadResult *gp_gateway_parse_response  (GpGateway              *self,
                                            GpProfile              *profile,
                                            guint                   status,
                                            SoupMessageHeaders     *headers,
                                            GBytes                 *body,
                                            gint64                  now_unix);

G_END_DECLS
