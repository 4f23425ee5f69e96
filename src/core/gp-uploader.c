/* gp-uploader.c: sends checked files to a gateway through libsoup, a few at a time
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-uploader.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "gp-profile.h"
#include "gp-uploader-private.h"

#define DEFAULT_JOBS               3
#define MAX_JOBS                   16
#define DEFAULT_CONNECT_TIMEOUT_MS 15000
#define DEFAULT_IO_TIMEOUT_MS      60000
#define DEFAULT_BACKOFF_BASE_MS    500
#define DEFAULT_BACKOFF_CAP_MS     8000

struct _GpUploader
{
  GObject          parent_instance;

  guint            jobs;
  guint            connect_timeout_ms;
  guint            io_timeout_ms;
  guint            backoff_base_ms;
  guint            backoff_cap_ms;

  GPtrArray       *extra_cas;           /* GTlsCertificate, trusted for every profile */
  GTlsCertificate *client_certificate;  /* used when the profile has none */

  GHashTable      *sessions;            /* profile key → GpUploadSession (rc box) */
  GList           *batches;             /* running Batch, for gp_uploader_cancel_file() */
};

enum {
  PROP_0,
  PROP_JOBS,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_IO_TIMEOUT_MS,
  PROP_BACKOFF_BASE_MS,
  PROP_BACKOFF_CAP_MS,
  N_PROPS
};

enum {
  FILE_STARTED,
  FILE_PROGRESS,
  FILE_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GpUploader, gp_uploader, G_TYPE_OBJECT)

/* Sessions ------------------------------------------------------------- */

static void
upload_session_clear (gpointer data)
{
  GpUploadSession *session = data;

  g_clear_object (&session->soup);
  g_clear_pointer (&session->cas, g_ptr_array_unref);
  g_clear_object (&session->client_certificate);
  g_clear_pointer (&session->ca_pem, g_free);
  g_clear_pointer (&session->profile_name, g_free);
}

static void
gp_upload_session_unref (GpUploadSession *session)
{
  g_rc_box_release_full (session, upload_session_clear);
}

/**
 * gp_uploader_parse_ca_pem:
 * @pem: one or more PEM "CERTIFICATE" blocks
 *
 * Returns: (transfer full): the certificates, or %NULL with @error
 */
GPtrArray *
gp_uploader_parse_ca_pem (const char  *pem,
                          GError     **error)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end[] = "-----END CERTIFICATE-----";
  g_autoptr(GPtrArray) cas = g_ptr_array_new_with_free_func (g_object_unref);
  const char *p = pem;

  g_assert (pem != NULL);

  while ((p = strstr (p, begin)) != NULL)
    {
      const char *e = strstr (p, end);
      g_autoptr(GError) local_error = NULL;
      GTlsCertificate *ca;

      if (e == NULL)
        break;
      e += strlen (end);
      ca = g_tls_certificate_new_from_pem (p, e - p, &local_error);
      if (ca == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Certificate %u of the CA bundle does not parse: ",
                                      cas->len + 1);
          return NULL;
        }
      g_ptr_array_add (cas, ca);
      p = e;
    }

  if (cas->len == 0)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           "The CA bundle holds no PEM certificate "
                           "(expected \"-----BEGIN CERTIFICATE-----\" blocks)");
      return NULL;
    }

  return g_steal_pointer (&cas);
}

/* Sessions are keyed by the profile's stable id, so a profile replaced by
 * name keeps its slot; a changed CA or client certificate replaces the
 * session (see session_is_current). */
static char *
profile_key (GpProfile *profile)
{
  return g_strdup (profile ? gp_profile_get_id (profile) : "");
}

static const char *
profile_ca_pem (GpProfile *profile)
{
  return profile ? gp_profile_get_ca_pem (profile) : NULL;
}

static GTlsCertificate *
profile_client_certificate (GpProfile *profile)
{
  return profile ? gp_profile_get_client_certificate (profile) : NULL;
}

static const char *
profile_name (GpProfile *profile)
{
  return profile ? gp_profile_get_name (profile) : NULL;
}

static SoupSession *
gp_uploader_new_soup_session (GpUploader *self)
{
  SoupSession *soup;
  guint longest_ms = MAX (self->connect_timeout_ms, self->io_timeout_ms);

  /* The uploader runs its own connect and idle watchdogs with millisecond
   * precision; libsoup's own I/O timeout (in seconds) is only a backstop
   * and must never fire first. max-conns-per-host defaults to 2, which
   * would silently cap --jobs. */
  soup = soup_session_new_with_options ("max-conns", 2 * MAX_JOBS,
                                        "max-conns-per-host", MAX_JOBS,
                                        "timeout", (longest_ms + 999) / 1000 + 5,
                                        "idle-timeout", 30,
                                        NULL);

  /* No HTTP authentication is involved, and the auth manager could
   * re-send a request, which a streamed body cannot be. */
  soup_session_remove_feature_by_type (soup, SOUP_TYPE_AUTH_MANAGER);

  return soup;
}

static gboolean
session_is_current (GpUploadSession *session,
                    const char      *ca_pem,
                    GTlsCertificate *client_certificate)
{
  return g_strcmp0 (session->ca_pem, ca_pem) == 0 &&
         session->client_certificate == client_certificate;
}

static GpUploadSession *
gp_uploader_ref_session (GpUploader  *self,
                         GpProfile   *profile,
                         GError     **error)
{
  g_autofree char *key = profile_key (profile);
  const char *ca_pem = profile_ca_pem (profile);
  GTlsCertificate *client_certificate = profile_client_certificate (profile);
  GpUploadSession *session;

  if (client_certificate == NULL)
    client_certificate = self->client_certificate;

  session = g_hash_table_lookup (self->sessions, key);
  if (session != NULL && session_is_current (session, ca_pem, client_certificate))
    return g_rc_box_acquire (session);

  session = g_rc_box_new0 (GpUploadSession);
  session->cas = g_ptr_array_new_with_free_func (g_object_unref);
  if (ca_pem != NULL)
    {
      g_autoptr(GPtrArray) cas = gp_uploader_parse_ca_pem (ca_pem, error);

      if (cas == NULL)
        {
          g_prefix_error (error, _("The profile's ca_file: "));
          gp_upload_session_unref (session);
          return NULL;
        }
      g_ptr_array_extend_and_steal (session->cas, g_steal_pointer (&cas));
    }
  for (guint i = 0; i < self->extra_cas->len; i++)
    g_ptr_array_add (session->cas, g_object_ref (g_ptr_array_index (self->extra_cas, i)));
  g_set_object (&session->client_certificate, client_certificate);
  /* Connections are reused only where no client certificate is involved:
   * each mutual-TLS request gets a connection (and a handshake presenting
   * the certificate) of its own, whatever the server does with keep-alive. */
  session->reuse_connections = client_certificate == NULL;
  session->ca_pem = g_strdup (ca_pem);
  session->profile_name = g_strdup (profile_name (profile));
  session->soup = gp_uploader_new_soup_session (self);

  g_hash_table_replace (self->sessions, g_steal_pointer (&key), g_rc_box_acquire (session));

  return session;
}

static void
gp_uploader_drop_sessions (GpUploader *self)
{
  /* Running attempts keep their own reference. */
  g_hash_table_remove_all (self->sessions);
}

/* Batches -------------------------------------------------------------- */

static void
file_job_free (GpUploadJob *job)
{
  g_assert (job->attempt == NULL);
  g_assert (job->backoff == NULL);

  g_clear_pointer (&job->report, gp_check_report_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
batch_free (GpUploadBatch *batch)
{
  g_assert (batch->task == NULL);

  g_cancellable_disconnect (batch->cancellable, batch->cancel_id);
  if (batch->pump != NULL)
    g_source_destroy (batch->pump);
  g_clear_pointer (&batch->pump, g_source_unref);
  g_clear_pointer (&batch->context, g_main_context_unref);
  for (guint i = 0; i < batch->n_jobs; i++)
    file_job_free (batch->jobs[i]);
  g_free (batch->jobs);
  g_clear_pointer (&batch->results, g_ptr_array_unref);
  g_clear_pointer (&batch->session, gp_upload_session_unref);
  g_clear_object (&batch->gateway);
  g_clear_object (&batch->profile);
  g_clear_object (&batch->journal);
  g_clear_object (&batch->cancellable);
  g_free (batch);
}

/* Touches only the per-file cancellables, created up front and alive as
 * long as the batch. Cancel from the thread that runs the batch's main
 * context: libsoup reacts to the cancellation in the cancelling thread. */
static void
batch_cancelled_cb (GCancellable  *cancellable,
                    GpUploadBatch *batch)
{
  for (guint i = 0; i < batch->n_jobs; i++)
    g_cancellable_cancel (batch->jobs[i]->cancellable);
}

static gboolean batch_pump_cb (gpointer data);

/* The pump starts files and completes the batch, always from an idle of
 * the batch's own main context, never nested in a file's completion. */
static void
batch_queue_pump (GpUploadBatch *batch)
{
  if (batch->pump != NULL)
    return;

  batch->pump = g_idle_source_new ();
  g_source_set_callback (batch->pump, batch_pump_cb, batch, NULL);
  g_source_attach (batch->pump, batch->context);
}

static void
file_job_record (GpUploadJob    *job,
                 GpUploadResult *result)
{
  GpUploadBatch *batch = job->batch;

  g_assert (g_ptr_array_index (batch->results, job->index) == NULL);

  g_ptr_array_index (batch->results, job->index) = gp_upload_result_ref (result);
  if (job->started)
    batch->running--;
  batch->finished++;

  g_signal_emit (batch->self, signals[FILE_FINISHED], 0, job->index, result);
  batch_queue_pump (batch);
}

static void
journal_completed_cb (GObject      *object,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  GpUploadJob *job = user_data;
  g_autoptr(GpUploadResult) result = g_steal_pointer (&job->final_result);
  g_autoptr(GError) error = NULL;

  /* The outcome stands whatever the history says; a history that cannot
   * be written is worth a loud message, not a different result. */
  if (!gp_upload_journal_complete_finish (GP_UPLOAD_JOURNAL (object), res, &error))
    g_warning ("Could not complete history row %" G_GINT64_FORMAT ": %s",
               job->history_id, error->message);

  file_job_record (job, result);
}

static void
file_job_finish (GpUploadJob    *job,
                 GpUploadResult *result)
{
  GpUploadBatch *batch = job->batch;

  g_assert (job->attempt == NULL);
  g_assert (job->final_result == NULL);

  gp_upload_result_set_attempts (result, job->attempts);
  gp_upload_result_set_duration_ms (result,
                                    (g_get_monotonic_time () - job->started_us) / 1000);
  /* Deferred digests: known once a send read the whole file. An upload
   * that never sent it whole still reports the file's SHA-256 (read now),
   * so that every result of a file that passed its check carries one. */
  if (gp_check_report_get_digests_deferred (job->report) &&
      gp_check_report_get_sha256 (job->report) == NULL)
    {
      g_autoptr(GpCheckReport) full = NULL;

      full = gp_file_check_sync (gp_check_report_get_path (job->report),
                                 gp_check_report_get_gateway (job->report),
                                 GP_FILE_CHECK_NONE, NULL, NULL);
      if (full != NULL && gp_check_report_get_sha256 (full) != NULL)
        gp_check_report_set_sent_sha256 (job->report, gp_check_report_get_sha256 (full));
    }
  gp_upload_result_set_sha256 (result, gp_check_report_get_sha256 (job->report));

  if (batch->journal == NULL || job->history_id <= 0)
    {
      file_job_record (job, result);
      return;
    }

  /* Not cancellable: a begun row is always completed, cancellation included. */
  gp_upload_result_set_history_id (result, job->history_id);
  job->final_result = gp_upload_result_ref (result);
  gp_upload_journal_complete_async (batch->journal, job->history_id, result, NULL,
                                    journal_completed_cb, job);
}

static void
batch_return (GpUploadBatch *batch)
{
  g_autoptr(GTask) task = g_steal_pointer (&batch->task);
  GpUploader *self = g_task_get_source_object (task);

  self->batches = g_list_remove (self->batches, batch);
  g_task_return_pointer (task, g_ptr_array_ref (batch->results),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void file_job_start (GpUploadJob *job);

static gboolean
batch_pump_cb (gpointer data)
{
  GpUploadBatch *batch = data;

  g_clear_pointer (&batch->pump, g_source_unref);

  while (batch->next < batch->n_jobs && batch->running < batch->self->jobs)
    {
      GpUploadJob *job = batch->jobs[batch->next++];

      /* A file cancelled before its turn is never started nor recorded. */
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          g_autoptr(GpUploadResult) result = gp_upload_cancelled_result ();

          gp_upload_result_set_attempts (result, 0);
          file_job_record (job, result);
          continue;
        }

      batch->running++;
      file_job_start (job);
    }

  if (batch->finished == batch->n_jobs)
    batch_return (batch);

  return G_SOURCE_REMOVE;
}

/* Files ---------------------------------------------------------------- */

static void
journal_begun_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GpUploadJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpUploadResult) result = NULL;
  gint64 id;

  id = gp_upload_journal_begin_finish (GP_UPLOAD_JOURNAL (object), res, &error);
  if (id > 0)
    {
      job->history_id = id;
      gp_upload_attempt_start (job);
      return;
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    result = gp_upload_cancelled_result ();
  else
    result = gp_upload_network_failure (GP_UPLOAD_HISTORY_UNAVAILABLE, FALSE,
                                        _("The upload was not sent because it could not be "
                                          "recorded in the history first: %s"),
                                        error ? error->message : "no row id");
  file_job_finish (job, result);
}

static void
file_job_start (GpUploadJob *job)
{
  GpUploadBatch *batch = job->batch;

  job->started = TRUE;
  job->started_us = g_get_monotonic_time ();
  g_signal_emit (batch->self, signals[FILE_STARTED], 0, job->index);

  if (batch->journal != NULL)
    gp_upload_journal_begin_async (batch->journal, batch->profile, job->report,
                                   job->cancellable, journal_begun_cb, job);
  else
    gp_upload_attempt_start (job);
}

static gboolean
backoff_done_cb (gpointer data)
{
  GpUploadJob *job = data;

  g_clear_pointer (&job->backoff, g_source_unref);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GpUploadResult) result = gp_upload_cancelled_result ();

      file_job_finish (job, result);
    }
  else
    {
      gp_upload_attempt_start (job);
    }

  return G_SOURCE_REMOVE;
}

/* Exponential backoff with full jitter: a uniform delay in
 * [0, min(cap, base * 2^(attempt-1))], so that parallel uploads that
 * failed together do not retry together. */
static guint
backoff_delay_ms (GpUploader *self,
                  guint       attempts)
{
  guint64 ceiling = self->backoff_base_ms;

  for (guint i = 1; i < attempts && ceiling < self->backoff_cap_ms; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, self->backoff_cap_ms);

  return (guint) g_random_int_range (0, (gint32) ceiling + 1);
}

static void
file_job_retry_later (GpUploadJob *job)
{
  GSource *cancelled;

  g_assert (job->backoff == NULL);

  /* The cancellable child wakes the timeout early on cancel. */
  job->backoff = g_timeout_source_new (backoff_delay_ms (job->batch->self, job->attempts));
  cancelled = g_cancellable_source_new (job->cancellable);
  g_source_set_dummy_callback (cancelled);
  g_source_add_child_source (job->backoff, cancelled);
  g_source_unref (cancelled);
  g_source_set_callback (job->backoff, backoff_done_cb, job, NULL);
  g_source_attach (job->backoff, g_main_context_get_thread_default ());
}

/* Another attempt, or the file's outcome (PROTOCOLS.md 5.4: only what the
 * result calls retryable, at most GP_UPLOADER_MAX_ATTEMPTS in all). */
void
gp_upload_job_attempt_done (GpUploadJob    *job,
                            GpUploadResult *result)
{
  g_assert (job->attempt == NULL);

  if (!gp_upload_result_is_ok (result) &&
      gp_upload_result_get_retryable (result) &&
      job->attempts < GP_UPLOADER_MAX_ATTEMPTS &&
      !g_cancellable_is_cancelled (job->cancellable))
    {
      g_debug ("Attempt %u of file %u failed (%s), retrying", job->attempts, job->index,
               gp_upload_result_get_code (result));
      file_job_retry_later (job);
      return;
    }

  file_job_finish (job, result);
}

void
gp_uploader_emit_file_progress (GpUploader *self,
                                guint       index,
                                guint64     sent,
                                guint64     total)
{
  g_signal_emit (self, signals[FILE_PROGRESS], 0, index, sent, total);
}

/* GObject -------------------------------------------------------------- */

static void
gp_uploader_finalize (GObject *object)
{
  GpUploader *self = (GpUploader *) object;

  g_assert (self->batches == NULL);

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->extra_cas, g_ptr_array_unref);
  g_clear_object (&self->client_certificate);

  G_OBJECT_CLASS (gp_uploader_parent_class)->finalize (object);
}

static void
gp_uploader_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GpUploader *self = GP_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      g_value_set_uint (value, self->jobs);
      break;

    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;

    case PROP_IO_TIMEOUT_MS:
      g_value_set_uint (value, self->io_timeout_ms);
      break;

    case PROP_BACKOFF_BASE_MS:
      g_value_set_uint (value, self->backoff_base_ms);
      break;

    case PROP_BACKOFF_CAP_MS:
      g_value_set_uint (value, self->backoff_cap_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_uploader_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GpUploader *self = GP_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      gp_uploader_set_jobs (self, g_value_get_uint (value));
      break;

    case PROP_CONNECT_TIMEOUT_MS:
      gp_uploader_set_connect_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_IO_TIMEOUT_MS:
      gp_uploader_set_io_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_BACKOFF_BASE_MS:
      gp_uploader_set_backoff (self, g_value_get_uint (value), self->backoff_cap_ms);
      break;

    case PROP_BACKOFF_CAP_MS:
      gp_uploader_set_backoff (self, self->backoff_base_ms, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_uploader_class_init (GpUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_uploader_finalize;
  object_class->get_property = gp_uploader_get_property;
  object_class->set_property = gp_uploader_set_property;

  /* At most this many files in flight (PROTOCOLS.md 5.4: keep it small). */
  properties[PROP_JOBS] =
    g_param_spec_uint ("jobs", NULL, NULL, 1, MAX_JOBS, DEFAULT_JOBS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Until the TCP and TLS connection is up. */
  properties[PROP_CONNECT_TIMEOUT_MS] =
    g_param_spec_uint ("connect-timeout-ms", NULL, NULL, 1, G_MAXINT,
                       DEFAULT_CONNECT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Longest silence once connected: no byte written, no byte received. */
  properties[PROP_IO_TIMEOUT_MS] =
    g_param_spec_uint ("io-timeout-ms", NULL, NULL, 1, G_MAXINT, DEFAULT_IO_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BACKOFF_BASE_MS] =
    g_param_spec_uint ("backoff-base-ms", NULL, NULL, 0, G_MAXINT32 / 2,
                       DEFAULT_BACKOFF_BASE_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BACKOFF_CAP_MS] =
    g_param_spec_uint ("backoff-cap-ms", NULL, NULL, 0, G_MAXINT32 / 2,
                       DEFAULT_BACKOFF_CAP_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* file-started (guint index): the file's turn came; nothing sent yet. */
  signals[FILE_STARTED] =
    g_signal_new ("file-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /* file-progress (guint index, guint64 sent, guint64 total): body bytes
   * written in the current attempt; each attempt opens with sent == 0. */
  signals[FILE_PROGRESS] =
    g_signal_new ("file-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT64, G_TYPE_UINT64);

  /* file-finished (guint index, GpUploadResult *result): the final result,
   * emitted for every file, cancelled ones included. */
  signals[FILE_FINISHED] =
    g_signal_new ("file-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, GP_TYPE_UPLOAD_RESULT);
}

static void
gp_uploader_init (GpUploader *self)
{
  self->jobs = DEFAULT_JOBS;
  self->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  self->io_timeout_ms = DEFAULT_IO_TIMEOUT_MS;
  self->backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
  self->backoff_cap_ms = DEFAULT_BACKOFF_CAP_MS;
  self->extra_cas = g_ptr_array_new_with_free_func (g_object_unref);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) gp_upload_session_unref);
}

/**
 * gp_uploader_new:
 *
 * Returns: (transfer full): an uploader with 3 jobs and default timeouts
 */
GpUploader *
gp_uploader_new (void)
{
  return g_object_new (GP_TYPE_UPLOADER, NULL);
}

guint
gp_uploader_get_jobs (GpUploader *self)
{
  g_return_val_if_fail (GP_IS_UPLOADER (self), 0);

  return self->jobs;
}

/**
 * gp_uploader_set_jobs:
 * @jobs: 1 to 16 files in flight; takes effect at the next free slot
 */
void
gp_uploader_set_jobs (GpUploader *self,
                      guint       jobs)
{
  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (jobs >= 1 && jobs <= MAX_JOBS);

  if (self->jobs == jobs)
    return;

  self->jobs = jobs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

guint
gp_uploader_get_connect_timeout_ms (GpUploader *self)
{
  g_return_val_if_fail (GP_IS_UPLOADER (self), 0);

  return self->connect_timeout_ms;
}

/**
 * gp_uploader_set_connect_timeout_ms:
 * @timeout_ms: how long the TCP connection and TLS handshake may take
 *
 * A timed-out attempt ends with code TIMEOUT and is retried.
 */
void
gp_uploader_set_connect_timeout_ms (GpUploader *self,
                                    guint       timeout_ms)
{
  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (timeout_ms >= 1 && timeout_ms <= G_MAXINT);

  if (self->connect_timeout_ms == timeout_ms)
    return;

  self->connect_timeout_ms = timeout_ms;
  gp_uploader_drop_sessions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT_MS]);
}

guint
gp_uploader_get_io_timeout_ms (GpUploader *self)
{
  g_return_val_if_fail (GP_IS_UPLOADER (self), 0);

  return self->io_timeout_ms;
}

/**
 * gp_uploader_set_io_timeout_ms:
 * @timeout_ms: the longest silence once connected: no body byte written,
 *   no response byte read (waiting for the response included)
 *
 * A timed-out attempt ends with code TIMEOUT and is retried.
 */
void
gp_uploader_set_io_timeout_ms (GpUploader *self,
                               guint       timeout_ms)
{
  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (timeout_ms >= 1 && timeout_ms <= G_MAXINT);

  if (self->io_timeout_ms == timeout_ms)
    return;

  self->io_timeout_ms = timeout_ms;
  gp_uploader_drop_sessions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IO_TIMEOUT_MS]);
}

/**
 * gp_uploader_set_backoff:
 * @base_ms: the ceiling of the first retry's random delay
 * @cap_ms: the largest ceiling; each retry doubles it up to this
 */
void
gp_uploader_set_backoff (GpUploader *self,
                         guint       base_ms,
                         guint       cap_ms)
{
  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (base_ms <= G_MAXINT32 / 2 && cap_ms <= G_MAXINT32 / 2);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->backoff_base_ms != base_ms)
    {
      self->backoff_base_ms = base_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF_BASE_MS]);
    }
  if (self->backoff_cap_ms != cap_ms)
    {
      self->backoff_cap_ms = cap_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF_CAP_MS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * gp_uploader_set_extra_ca_pem:
 * @pem: (nullable): PEM certificates trusted for every profile, in addition
 *   to the system store and the profile's own ca_file; %NULL for none
 *
 * Returns: %FALSE with @error when @pem holds no parsable certificate
 */
gboolean
gp_uploader_set_extra_ca_pem (GpUploader  *self,
                              const char  *pem,
                              GError     **error)
{
  g_autoptr(GPtrArray) cas = NULL;

  g_return_val_if_fail (GP_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pem != NULL)
    {
      cas = gp_uploader_parse_ca_pem (pem, error);
      if (cas == NULL)
        return FALSE;
    }
  else
    {
      cas = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_ptr_array_unref (self->extra_cas);
  self->extra_cas = g_steal_pointer (&cas);
  gp_uploader_drop_sessions (self);

  return TRUE;
}

/**
 * gp_uploader_set_client_certificate:
 * @certificate: (nullable): a certificate with its private key, offered
 *   when a server asks and the profile has none of its own
 */
void
gp_uploader_set_client_certificate (GpUploader      *self,
                                    GTlsCertificate *certificate)
{
  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->client_certificate, certificate))
    gp_uploader_drop_sessions (self);
}

/**
 * gp_uploader_upload_async:
 * @gateway: the driver that builds and parses each attempt
 * @profile: (nullable): the profile (credentials, trust); %NULL in tests
 * @reports: (element-type GpCheckReport): passing checks, one per file
 * @journal: (nullable): records each upload before and after it is sent
 * @cancellable: (nullable): cancels the whole batch
 *
 * Uploads every file, at most #GpUploader:jobs at a time. Each file gets a
 * result, cancelled ones included (stage network, code CANCELLED), so the
 * batch completes with results even when @cancellable fires. Cancel it
 * from the thread of the current thread-default main context.
 */
void
gp_uploader_upload_async (GpUploader          *self,
                          GpGateway           *gateway,
                          GpProfile           *profile,
                          GPtrArray           *reports,
                          GpUploadJournal     *journal,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GpUploadBatch *batch;

  g_return_if_fail (GP_IS_UPLOADER (self));
  g_return_if_fail (GP_IS_GATEWAY (gateway));
  g_return_if_fail (profile == NULL || GP_IS_PROFILE (profile));
  g_return_if_fail (reports != NULL);
  g_return_if_fail (journal == NULL || GP_IS_UPLOAD_JOURNAL (journal));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  for (guint i = 0; i < reports->len; i++)
    g_return_if_fail (g_ptr_array_index (reports, i) != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_uploader_upload_async);
  /* Cancelled files are results, not an error of the whole call. */
  g_task_set_check_cancellable (task, FALSE);

  batch = g_new0 (GpUploadBatch, 1);
  batch->self = self;
  batch->gateway = g_object_ref (gateway);
  batch->profile = profile ? g_object_ref (profile) : NULL;
  batch->journal = journal ? g_object_ref (journal) : NULL;
  batch->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  batch->context = g_main_context_ref_thread_default ();
  batch->n_jobs = reports->len;
  batch->jobs = g_new0 (GpUploadJob *, reports->len);
  batch->results = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_upload_result_unref);
  g_ptr_array_set_size (batch->results, reports->len);
  for (guint i = 0; i < reports->len; i++)
    {
      GpUploadJob *job = g_new0 (GpUploadJob, 1);

      job->batch = batch;
      job->index = i;
      job->report = gp_check_report_ref (g_ptr_array_index (reports, i));
      job->cancellable = g_cancellable_new ();
      job->history_id = -1;
      batch->jobs[i] = job;
    }
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);

  batch->session = gp_uploader_ref_session (self, profile, &error);
  if (batch->session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  batch->cancel_id = g_cancellable_connect (batch->cancellable,
                                            G_CALLBACK (batch_cancelled_cb), batch, NULL);
  batch->task = g_steal_pointer (&task);
  self->batches = g_list_prepend (self->batches, batch);
  batch_queue_pump (batch);
}

/**
 * gp_uploader_upload_finish:
 *
 * Returns: (transfer container) (element-type GpUploadResult): one result
 *   per report, in input order; %NULL with @error only when the batch could
 *   not run at all (for instance a profile CA that does not parse)
 */
GPtrArray *
gp_uploader_upload_finish (GpUploader    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GP_IS_UPLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_uploader_upload_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gp_uploader_cancel_file:
 * @index: the file's position in the reports of a running batch
 *
 * Cancels that one file in every running batch; the others go on. The file
 * ends with a result of stage network, code CANCELLED.
 */
void
gp_uploader_cancel_file (GpUploader *self,
                         guint       index)
{
  g_return_if_fail (GP_IS_UPLOADER (self));

  for (GList *l = self->batches; l != NULL; l = l->next)
    {
      GpUploadBatch *batch = l->data;

      if (index < batch->n_jobs)
        g_cancellable_cancel (batch->jobs[index]->cancellable);
    }
}
