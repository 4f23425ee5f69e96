/* gp-uploader-private.h: the uploader's batches, files and attempts, shared by its two files
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gp-file-check.h"
#include "gp-uploader.h"

G_BEGIN_DECLS

/* One per profile: trust and client certificates differ per profile, and
 * separate connection pools keep one profile's client-authenticated
 * connections away from another's requests. */
typedef struct
{
  SoupSession     *soup;
  GPtrArray       *cas;                 /* GTlsCertificate: profile CA + extra CAs */
  GTlsCertificate *client_certificate;
  char            *ca_pem;              /* the profile's, to notice a change */
  char            *profile_name;
  gboolean         reuse_connections;   /* keep-alive reuse; never with a client certificate */
  guint            answered;            /* responses whose headers arrived */
} GpUploadSession;

typedef struct _GpUploadBatch GpUploadBatch;
typedef struct _GpUploadJob GpUploadJob;
typedef struct _GpUploadAttempt GpUploadAttempt;  /* gp-uploader-attempt.c */

struct _GpUploadBatch
{
  GpUploader       *self;        /* borrowed: the task holds the reference */
  GTask            *task;        /* owned until the batch returns */
  GpGateway        *gateway;
  GpProfile        *profile;
  GpUploadJournal  *journal;
  GpUploadSession  *session;
  GPtrArray        *results;     /* GpUploadResult, one slot per input */
  GpUploadJob     **jobs;
  guint             n_jobs;
  guint             next;
  guint             running;
  guint             finished;
  GSource          *pump;
  GMainContext     *context;     /* where the batch runs */
  GCancellable     *cancellable; /* the caller's */
  gulong            cancel_id;
};

struct _GpUploadJob
{
  GpUploadBatch   *batch;
  guint            index;
  GpCheckReport   *report;
  GCancellable    *cancellable;   /* this file only; cancelled with the batch too */
  gboolean         started;
  gint64           history_id;
  gint64           started_us;
  guint            attempts;
  GpUploadAttempt *attempt;
  GSource         *backoff;
  GpUploadResult  *final_result;  /* while the journal completes the row */
};

/* gp-uploader.c */
GPtrArray      *gp_uploader_parse_ca_pem       (const char      *pem,
                                                GError         **error);
void            gp_uploader_emit_file_progress (GpUploader      *self,
                                                guint            index,
                                                guint64          sent,
                                                guint64          total);
void            gp_upload_job_attempt_done     (GpUploadJob     *job,
                                                GpUploadResult  *result);

/* gp-uploader-attempt.c */
void            gp_upload_attempt_start        (GpUploadJob     *job);
GpUploadResult *gp_upload_network_failure      (const char      *code,
                                                gboolean         retryable,
                                                const char      *format,
                                                ...) G_GNUC_PRINTF (3, 4);
GpUploadResult *gp_upload_cancelled_result     (void);

G_END_DECLS
