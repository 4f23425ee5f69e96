/* gp-upload-result.c: the outcome of one file's upload
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-upload-result.h"

#include <string.h>

struct _GpUploadResult
{
  gatomicrefcount ref;

  gboolean  ok;
  GpStage   stage;
  char     *code;
  char     *message;
  char     *media_id;
  char     *media_url;

  char     *detail;
  gboolean  retryable;
  guint     http_status;
  char     *request_id;
  char     *sha256;
  guint     attempts;
  gint64    duration_ms;
  gint64    history_id;
};

G_DEFINE_BOXED_TYPE (GpUploadResult, gp_upload_result, gp_upload_result_ref, gp_upload_result_unref)

static GpUploadResult *
gp_upload_result_alloc (void)
{
  GpUploadResult *self = g_new0 (GpUploadResult, 1);

  g_atomic_ref_count_init (&self->ref);
  self->attempts = 1;
  self->history_id = -1;

  return self;
}

/**
 * gp_upload_result_new_success:
 * @media_id: the ID the gateway returned (image_id, media_id or file_id)
 * @media_url: (nullable): Alipay's image_url
 *
 * Returns: (transfer full): a successful result
 */
GpUploadResult *
gp_upload_result_new_success (const char *media_id,
                              const char *media_url)
{
  GpUploadResult *self;

  g_return_val_if_fail (media_id != NULL && *media_id != '\0', NULL);

  self = gp_upload_result_alloc ();
  self->ok = TRUE;
  self->stage = GP_STAGE_NONE;
  self->media_id = g_strdup (media_id);
  self->media_url = g_strdup (media_url);

  return self;
}

/**
 * gp_upload_result_new_failure:
 * @stage: where it stopped; never %GP_STAGE_NONE
 * @code: the gateway's own code where it gave one, else Gatepost's, in capitals
 * @message: plain English (or the gateway's own text), never a secret
 *
 * Returns: (transfer full): a failed result
 */
GpUploadResult *
gp_upload_result_new_failure (GpStage     stage,
                              const char *code,
                              const char *message)
{
  GpUploadResult *self;

  g_return_val_if_fail (stage != GP_STAGE_NONE, NULL);
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = gp_upload_result_alloc ();
  self->ok = FALSE;
  self->stage = stage;
  self->code = g_strdup (code);
  self->message = g_strdup (message);

  return self;
}

GpUploadResult *
gp_upload_result_ref (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_upload_result_unref (GpUploadResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_free (self->code);
  g_free (self->message);
  g_free (self->media_id);
  g_free (self->media_url);
  g_free (self->detail);
  g_free (self->request_id);
  g_free (self->sha256);
  g_free (self);
}

gboolean
gp_upload_result_is_ok (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->ok;
}

GpStage
gp_upload_result_get_stage (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, GP_STAGE_NONE);
  return self->stage;
}

/**
 * gp_upload_result_get_code:
 *
 * Returns: (nullable): the error code, %NULL on success
 */
const char *
gp_upload_result_get_code (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->code;
}

/**
 * gp_upload_result_get_message:
 *
 * Returns: (nullable): the error message, %NULL on success
 */
const char *
gp_upload_result_get_message (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->message;
}

/**
 * gp_upload_result_get_media_id:
 *
 * Returns: (nullable): the trusted media ID, %NULL unless successful
 */
const char *
gp_upload_result_get_media_id (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->media_id;
}

const char *
gp_upload_result_get_media_url (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->media_url;
}

/* What the gateway said beyond its code that helps the user fix things:
 * Alipay's sub_msg with the gateway's own signing string, v3's
 * truncated_sign_message. Never a secret. */
const char *
gp_upload_result_get_detail (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->detail;
}

static void
set_string (char       **field,
            const char  *value)
{
  if (*field != value)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
gp_upload_result_set_detail (GpUploadResult *self,
                             const char     *detail)
{
  g_return_if_fail (self != NULL);
  set_string (&self->detail, detail);
}

/* Whether PROTOCOLS.md section 5.4 allows another attempt. */
gboolean
gp_upload_result_get_retryable (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->retryable;
}

void
gp_upload_result_set_retryable (GpUploadResult *self,
                                gboolean        retryable)
{
  g_return_if_fail (self != NULL);
  self->retryable = !!retryable;
}

guint
gp_upload_result_get_http_status (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->http_status;
}

void
gp_upload_result_set_http_status (GpUploadResult *self,
                                  guint           status)
{
  g_return_if_fail (self != NULL);
  self->http_status = status;
}

const char *
gp_upload_result_get_request_id (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->request_id;
}

void
gp_upload_result_set_request_id (GpUploadResult *self,
                                 const char     *request_id)
{
  g_return_if_fail (self != NULL);
  set_string (&self->request_id, request_id);
}

/**
 * gp_upload_result_get_sha256:
 *
 * Returns: (nullable): the SHA-256 of the file the result is about, when
 *   known: for a file whose check deferred its digests, the SHA-256 of the
 *   bytes the upload sent
 */
const char *
gp_upload_result_get_sha256 (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sha256;
}

void
gp_upload_result_set_sha256 (GpUploadResult *self,
                             const char     *sha256_hex)
{
  g_return_if_fail (self != NULL);
  set_string (&self->sha256, sha256_hex);
}

guint
gp_upload_result_get_attempts (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->attempts;
}

void
gp_upload_result_set_attempts (GpUploadResult *self,
                               guint           attempts)
{
  g_return_if_fail (self != NULL);
  self->attempts = attempts;
}

gint64
gp_upload_result_get_duration_ms (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->duration_ms;
}

void
gp_upload_result_set_duration_ms (GpUploadResult *self,
                                  gint64          duration_ms)
{
  g_return_if_fail (self != NULL);
  self->duration_ms = duration_ms;
}

/* The history row of the upload, -1 when nothing was sent. */
gint64
gp_upload_result_get_history_id (GpUploadResult *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->history_id;
}

void
gp_upload_result_set_history_id (GpUploadResult *self,
                                 gint64          history_id)
{
  g_return_if_fail (self != NULL);
  self->history_id = history_id;
}

/**
 * gp_stage_to_string:
 *
 * Returns: (nullable): "check", "network", "gateway" or "verify" (the JSON
 *   contract's words), %NULL for %GP_STAGE_NONE
 */
const char *
gp_stage_to_string (GpStage stage)
{
  switch (stage)
    {
    case GP_STAGE_CHECK: return "check";
    case GP_STAGE_NETWORK: return "network";
    case GP_STAGE_GATEWAY: return "gateway";
    case GP_STAGE_VERIFY: return "verify";
    case GP_STAGE_NONE:
    default:
      return NULL;
    }
}

GpStage
gp_stage_from_string (const char *stage)
{
  static const GpStage stages[] = { GP_STAGE_CHECK, GP_STAGE_NETWORK, GP_STAGE_GATEWAY,
                                    GP_STAGE_VERIFY };

  for (guint i = 0; stage != NULL && i < G_N_ELEMENTS (stages); i++)
    if (strcmp (stage, gp_stage_to_string (stages[i])) == 0)
      return stages[i];

  return GP_STAGE_NONE;
}
