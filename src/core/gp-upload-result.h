/* gp-upload-result.h: the outcome of one file's upload
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gp-types.h"

G_BEGIN_DECLS

/* A per-file outcome is data, not a GError (STYLE.md section 7): a refused
 * or failed upload is a normal result with a stage, a stable code and a
 * message. Immutable once built; ref-counted so it crosses threads. */
typedef struct _GpUploadResult GpUploadResult;

#define GP_TYPE_UPLOAD_RESULT (gp_upload_result_get_type ())

GType           gp_upload_result_get_type       (void) G_GNUC_CONST;

GpUploadResult *gp_upload_result_new_success    (const char     *media_id,
                                                 const char     *media_url);
GpUploadResult *gp_upload_result_new_failure    (GpStage         stage,
                                                 const char     *code,
                                                 const char     *message);
GpUploadResult *gp_upload_result_ref            (GpUploadResult *self);
void            gp_upload_result_unref          (GpUploadResult *self);

gboolean        gp_upload_result_is_ok          (GpUploadResult *self);
GpStage         gp_upload_result_get_stage      (GpUploadResult *self);
const char     *gp_upload_result_get_code       (GpUploadResult *self);
const char     *gp_upload_result_get_message    (GpUploadResult *self);
const char     *gp_upload_result_get_media_id   (GpUploadResult *self);
const char     *gp_upload_result_get_media_url  (GpUploadResult *self);

/* Details set by whoever knows them; all optional. */
const char     *gp_upload_result_get_detail     (GpUploadResult *self);
void            gp_upload_result_set_detail     (GpUploadResult *self,
                                                 const char     *detail);
gboolean        gp_upload_result_get_retryable  (GpUploadResult *self);
void            gp_upload_result_set_retryable  (GpUploadResult *self,
                                                 gboolean        retryable);
guint           gp_upload_result_get_http_status (GpUploadResult *self);
void            gp_upload_result_set_http_status (GpUploadResult *self,
                                                 guint           status);
const char     *gp_upload_result_get_request_id (GpUploadResult *self);
void            gp_upload_result_set_request_id (GpUploadResult *self,
                                                 const char     *request_id);
const char     *gp_upload_result_get_sha256     (GpUploadResult *self);
void            gp_upload_result_set_sha256     (GpUploadResult *self,
                                                 const char     *sha256_hex);
guint           gp_upload_result_get_attempts   (GpUploadResult *self);
void            gp_upload_result_set_attempts   (GpUploadResult *self,
                                                 guint           attempts);
gint64          gp_upload_result_get_duration_ms (GpUploadResult *self);
void            gp_upload_result_set_duration_ms (GpUploadResult *self,
                                                 gint64          duration_ms);
gint64          gp_upload_result_get_history_id (GpUploadResult *self);
void            gp_upload_result_set_history_id (GpUploadResult *self,
                                                 gint64          history_id);

const char     *gp_stage_to_string              (GpStage         stage);
GpStage         gp_stage_from_string            (const char     *stage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpUploadResult, gp_upload_result_unref)

G_END_DECLS
