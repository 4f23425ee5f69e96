/* gp-uploader.h: sends checked files to a gateway through libsoup, a few at a time
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-types.h"
#include "gp-gateway.h"
#include "gp-upload-journal.h"
#include "gp-upload-result.h"

G_BEGIN_DECLS

/* At most this many attempts per file (PROTOCOLS.md section 5.4). */
#define GP_UPLOADER_MAX_ATTEMPTS 3

/* Responses longer than this are refused, never buffered whole. */
#define GP_UPLOADER_RESPONSE_CAP (1024 * 1024)

/* Stable codes of stage "network" the uploader produces. */
#define GP_UPLOAD_CONNECTION_FAILED              "CONNECTION_FAILED"
#define GP_UPLOAD_CONNECTION_DROPPED             "CONNECTION_DROPPED"
#define GP_UPLOAD_TIMEOUT                        "TIMEOUT"
#define GP_UPLOAD_CANCELLED                      "CANCELLED"
#define GP_UPLOAD_RESPONSE_TOO_LARGE             "RESPONSE_TOO_LARGE"
#define GP_UPLOAD_BAD_RESPONSE                   "BAD_RESPONSE"
#define GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE      "TLS_UNTRUSTED_CERTIFICATE"
#define GP_UPLOAD_TLS_HOSTNAME_MISMATCH          "TLS_HOSTNAME_MISMATCH"
#define GP_UPLOAD_TLS_CERTIFICATE_EXPIRED        "TLS_CERTIFICATE_EXPIRED"
#define GP_UPLOAD_TLS_CERTIFICATE_NOT_YET_VALID  "TLS_CERTIFICATE_NOT_YET_VALID"
#define GP_UPLOAD_TLS_BAD_CERTIFICATE            "TLS_BAD_CERTIFICATE"
#define GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED "TLS_CLIENT_CERTIFICATE_REQUIRED"
#define GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REJECTED "TLS_CLIENT_CERTIFICATE_REJECTED"
#define GP_UPLOAD_TLS_HANDSHAKE_FAILED           "TLS_HANDSHAKE_FAILED"
#define GP_UPLOAD_REQUEST_NOT_BUILT              "REQUEST_NOT_BUILT"
#define GP_UPLOAD_HISTORY_UNAVAILABLE            "HISTORY_UNAVAILABLE"
#define GP_UPLOAD_NOT_PROCESSED                  "NOT_PROCESSED"

#define GP_TYPE_UPLOADER (gp_uploader_get_type ())

G_DECLARE_FINAL_TYPE (GpUploader, gp_uploader, GP, UPLOADER, GObject)

GpUploader *gp_uploader_new                     (void);

guint       gp_uploader_get_jobs                (GpUploader           *self);
void        gp_uploader_set_jobs                (GpUploader           *self,
                                                 guint                 jobs);
guint       gp_uploader_get_connect_timeout_ms  (GpUploader           *self);
void        gp_uploader_set_connect_timeout_ms  (GpUploader           *self,
                                                 guint                 timeout_ms);
guint       gp_uploader_get_io_timeout_ms       (GpUploader           *self);
void        gp_uploader_set_io_timeout_ms       (GpUploader           *self,
                                                 guint                 timeout_ms);
void        gp_uploader_set_backoff             (GpUploader           *self,
                                                 guint                 base_ms,
                                                 guint                 cap_ms);

gboolean    gp_uploader_set_extra_ca_pem        (GpUploader           *self,
                                                 const char           *pem,
                                                 GError              **error);
void        gp_uploader_set_client_certificate  (GpUploader           *self,
                                                 GTlsCertificate      *certificate);

void        gp_uploader_upload_async            (GpUploader           *self,
                                                 GpGateway            *gateway,
                                                 GpProfile            *profile,
                                                 GPtrArray            *reports,
                                                 GpUploadJournal      *journal,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray  *gp_uploader_upload_finish           (GpUploader           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void        gp_uploader_cancel_file             (GpUploader           *self,
                                                 guint                 index);

G_END_DECLS
