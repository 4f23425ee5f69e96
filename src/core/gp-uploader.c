/* gp-uploader.c: sends checked files to a gateway through libsoup, a few at a time
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-uploader.h"

#include <string.h>

#include <libsoup/soup.h>

#include "gp-error.h"
#include "gp-file-check.h"
#include "gp-http-request.h"
#include "gp-profile.h"
#include "gp-uploader-private.h"

#define DEFAULT_JOBS               3
#define MAX_JOBS                   16
#define DEFAULT_CONNECT_TIMEOUT_MS 15000
#define DEFAULT_IO_TIMEOUT_MS      60000
#define DEFAULT_BACKOFF_BASE_MS    500
#define DEFAULT_BACKOFF_CAP_MS     8000
#define READ_CHUNK                 (64 * 1024)

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
} GpUploadSession;

typedef struct _Batch Batch;
typedef struct _FileJob FileJob;
typedef struct _Attempt Attempt;

struct _Batch
{
  GpUploader       *self;        /* borrowed: the task holds the reference */
  GTask            *task;        /* owned until the batch returns */
  GpGateway        *gateway;
  GpProfile        *profile;
  GpUploadJournal  *journal;
  GpUploadSession  *session;
  GPtrArray        *results;     /* GpUploadResult, one slot per input */
  FileJob         **jobs;
  guint             n_jobs;
  guint             next;
  guint             running;
  guint             finished;
  guint             pump_id;
  GCancellable     *cancellable; /* the caller's */
  gulong            cancel_id;
};

struct _FileJob
{
  Batch          *batch;
  guint           index;
  GpCheckReport  *report;
  GCancellable   *cancellable;   /* this file only; cancelled with the batch too */
  gboolean        started;
  gint64          history_id;
  gint64          started_us;
  guint           attempts;
  Attempt        *attempt;
  GSource        *backoff;
  GpUploadResult *final_result;  /* while the journal completes the row */
};

/* One HTTP exchange. Every way out goes through a libsoup or GIO callback,
 * so the attempt is freed only when libsoup is done with it. */
struct _Attempt
{
  FileJob              *job;
  GpHttpRequest        *request;
  SoupMessage          *msg;
  GInputStream         *response;
  GByteArray           *body;
  GCancellable         *cancellable;
  gulong                job_cancel_id;
  GSource              *watchdog;
  gboolean              connected;
  gboolean              timed_out;
  guint64               sent;
  guint64               total;
  char                 *host;
  guint16               port;
  gboolean              tls_rejected;
  GTlsCertificateFlags  tls_flags;
  GTlsCertificate      *peer_certificate;
};

static void attempt_start (FileJob *job);

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
          g_prefix_error (error, "The profile's ca_file: ");
          gp_upload_session_unref (session);
          return NULL;
        }
      g_ptr_array_extend_and_steal (session->cas, g_steal_pointer (&cas));
    }
  for (guint i = 0; i < self->extra_cas->len; i++)
    g_ptr_array_add (session->cas, g_object_ref (g_ptr_array_index (self->extra_cas, i)));
  g_set_object (&session->client_certificate, client_certificate);
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

/* Results -------------------------------------------------------------- */

static GpUploadResult *
network_failure (const char *code,
                 gboolean    retryable,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);

static GpUploadResult *
network_failure (const char *code,
                 gboolean    retryable,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  GpUploadResult *result;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  result = gp_upload_result_new_failure (GP_STAGE_NETWORK, code, message);
  gp_upload_result_set_retryable (result, retryable);

  return result;
}

static GpUploadResult *
cancelled_result (void)
{
  return network_failure (GP_UPLOAD_CANCELLED, FALSE, "The upload was cancelled");
}

/* The body stream failed: the file changed, vanished or cannot be read.
 * Never retried: the check that allowed the upload no longer holds. */
static GpUploadResult *
body_failure (const GError *error)
{
  if (g_error_matches (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED))
    return gp_upload_result_new_failure (GP_STAGE_CHECK, GP_CHECK_FILE_CHANGED, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return gp_upload_result_new_failure (GP_STAGE_CHECK, GP_CHECK_FILE_CHANGED, error->message);

  return gp_upload_result_new_failure (GP_STAGE_CHECK, GP_CHECK_UNREADABLE, error->message);
}

static GpUploadResult *
tls_rejection (Attempt *attempt)
{
  GTlsCertificateFlags flags = attempt->tls_flags;

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return network_failure (GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE, FALSE,
                            "The certificate of %s is not issued by a trusted authority. "
                            "If this gateway uses a private CA, add that CA to the profile "
                            "(ca_file).", attempt->host);

  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return network_failure (GP_UPLOAD_TLS_HOSTNAME_MISMATCH, FALSE,
                            "The certificate presented by %s is issued for another host "
                            "name; check the profile's base_url.", attempt->host);

  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autoptr(GDateTime) not_after = NULL;
      g_autofree char *when = NULL;

      if (attempt->peer_certificate != NULL)
        not_after = g_tls_certificate_get_not_valid_after (attempt->peer_certificate);
      if (not_after != NULL)
        when = g_date_time_format_iso8601 (not_after);

      return network_failure (GP_UPLOAD_TLS_CERTIFICATE_EXPIRED, FALSE,
                              "The certificate of %s expired%s%s.", attempt->host,
                              when ? " on " : "", when ? when : "");
    }

  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return network_failure (GP_UPLOAD_TLS_CERTIFICATE_NOT_YET_VALID, FALSE,
                            "The certificate of %s is not valid yet; check this computer's "
                            "clock.", attempt->host);

  return network_failure (GP_UPLOAD_TLS_BAD_CERTIFICATE, FALSE,
                          "The certificate of %s was refused (flags 0x%x).", attempt->host,
                          (guint) flags);
}

static GpUploadResult *
client_certificate_required (Attempt *attempt)
{
  GpUploadSession *session = attempt->job->batch->session;

  if (session->profile_name != NULL)
    return network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED, FALSE,
                            "%s requires a TLS client certificate and profile \"%s\" has none. "
                            "Add the merchant API certificate (client_cert and client_key, "
                            "or client_p12) to the profile.",
                            attempt->host, session->profile_name);

  return network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED, FALSE,
                          "%s requires a TLS client certificate and none is configured. "
                          "Add the merchant API certificate (client_cert and client_key, "
                          "or client_p12) to the profile.", attempt->host);
}

static GpUploadResult *
tls_failure (Attempt      *attempt,
             const GError *error)
{
  GpUploadSession *session = attempt->job->batch->session;

  if (attempt->tls_rejected)
    return tls_rejection (attempt);

  switch ((GTlsError) error->code)
    {
    case G_TLS_ERROR_CERTIFICATE_REQUIRED:
      return client_certificate_required (attempt);

    case G_TLS_ERROR_EOF:
      /* The peer closed without close_notify: a dropped connection. */
      return NULL;

    case G_TLS_ERROR_BAD_CERTIFICATE:
    case G_TLS_ERROR_HANDSHAKE:
    case G_TLS_ERROR_MISC:
      /* The server refuses the certificate we sent with an alert. */
      if (session->client_certificate != NULL && !attempt->connected)
        return network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REJECTED, FALSE,
                                "%s refused the TLS client certificate of %s%s%s: %s",
                                attempt->host,
                                session->profile_name ? "profile \"" : "this upload",
                                session->profile_name ? session->profile_name : "",
                                session->profile_name ? "\"" : "", error->message);
      return network_failure (GP_UPLOAD_TLS_HANDSHAKE_FAILED, FALSE,
                              "The TLS handshake with %s failed: %s", attempt->host,
                              error->message);

    case G_TLS_ERROR_UNAVAILABLE:
    case G_TLS_ERROR_NOT_TLS:
    case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
    case G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD:
    default:
      return network_failure (GP_UPLOAD_TLS_HANDSHAKE_FAILED, FALSE,
                              "The TLS handshake with %s failed: %s", attempt->host,
                              error->message);
    }
}

/* Connection failures, drops and timeouts are worth another attempt
 * (PROTOCOLS.md section 5.4); trust failures are not. */
static GpUploadResult *
attempt_failure (Attempt      *attempt,
                 const GError *error)
{
  FileJob *job = attempt->job;
  GpUploadResult *result = NULL;

  if (g_cancellable_is_cancelled (job->cancellable))
    return cancelled_result ();

  if (attempt->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      GpUploader *self = job->batch->self;

      if (attempt->connected)
        return network_failure (GP_UPLOAD_TIMEOUT, TRUE,
                                "%s stopped responding (nothing for %u ms)", attempt->host,
                                self->io_timeout_ms);
      return network_failure (GP_UPLOAD_TIMEOUT, TRUE,
                              "Could not connect to %s within %u ms", attempt->host,
                              self->connect_timeout_ms);
    }

  if (error->domain == GP_CHECK_ERROR)
    return body_failure (error);

  if (error->domain == G_TLS_ERROR)
    result = tls_failure (attempt, error);
  if (result != NULL)
    return result;

  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return network_failure (GP_UPLOAD_BAD_RESPONSE, TRUE, "%s sent a malformed response: %s",
                            attempt->host, error->message);

  /* Under TLS 1.3 a server that refuses our client certificate does so
   * after the client's side of the handshake is done: we only see the
   * connection go away, so say that it may be the certificate. */
  if (attempt->connected)
    return network_failure (GP_UPLOAD_CONNECTION_DROPPED, TRUE,
                            "The connection to %s was dropped after %" G_GUINT64_FORMAT
                            " of %" G_GUINT64_FORMAT " bytes: %s%s",
                            attempt->host, attempt->sent, attempt->total, error->message,
                            attempt->job->batch->session->client_certificate != NULL
                            ? " (if this persists, the server may be refusing the TLS "
                              "client certificate)"
                            : "");

  return network_failure (GP_UPLOAD_CONNECTION_FAILED, TRUE, "Could not connect to %s: %s",
                          attempt->host, error->message);
}

/* Batches -------------------------------------------------------------- */

static void
file_job_free (FileJob *job)
{
  g_assert (job->attempt == NULL);
  g_assert (job->backoff == NULL);

  g_clear_pointer (&job->report, gp_check_report_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
batch_free (Batch *batch)
{
  g_assert (batch->task == NULL);

  g_cancellable_disconnect (batch->cancellable, batch->cancel_id);
  g_clear_handle_id (&batch->pump_id, g_source_remove);
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

/* May run in whichever thread cancelled: touches only the per-file
 * cancellables, which are created up front and live as long as the batch. */
static void
batch_cancelled_cb (GCancellable *cancellable,
                    Batch        *batch)
{
  for (guint i = 0; i < batch->n_jobs; i++)
    g_cancellable_cancel (batch->jobs[i]->cancellable);
}

static gboolean batch_pump_cb (gpointer data);

static void
batch_queue_pump (Batch *batch)
{
  if (batch->pump_id == 0)
    batch->pump_id = g_idle_add (batch_pump_cb, batch);
}

static void
file_job_record (FileJob        *job,
                 GpUploadResult *result)
{
  Batch *batch = job->batch;

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
  FileJob *job = user_data;
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
file_job_finish (FileJob        *job,
                 GpUploadResult *result)
{
  Batch *batch = job->batch;

  g_assert (job->attempt == NULL);
  g_assert (job->final_result == NULL);

  gp_upload_result_set_attempts (result, job->attempts);
  gp_upload_result_set_duration_ms (result,
                                    (g_get_monotonic_time () - job->started_us) / 1000);

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
batch_return (Batch *batch)
{
  g_autoptr(GTask) task = g_steal_pointer (&batch->task);
  GpUploader *self = g_task_get_source_object (task);

  self->batches = g_list_remove (self->batches, batch);
  g_task_return_pointer (task, g_ptr_array_ref (batch->results),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void file_job_start (FileJob *job);

static gboolean
batch_pump_cb (gpointer data)
{
  Batch *batch = data;

  batch->pump_id = 0;

  while (batch->next < batch->n_jobs && batch->running < batch->self->jobs)
    {
      FileJob *job = batch->jobs[batch->next++];

      /* A file cancelled before its turn is never started nor recorded. */
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          g_autoptr(GpUploadResult) result = cancelled_result ();

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
  FileJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpUploadResult) result = NULL;
  gint64 id;

  id = gp_upload_journal_begin_finish (GP_UPLOAD_JOURNAL (object), res, &error);
  if (id > 0)
    {
      job->history_id = id;
      attempt_start (job);
      return;
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    result = cancelled_result ();
  else
    result = network_failure (GP_UPLOAD_HISTORY_UNAVAILABLE, FALSE,
                              "The upload was not sent because it could not be recorded in "
                              "the history first: %s",
                              error ? error->message : "no row id");
  file_job_finish (job, result);
}

static void
file_job_start (FileJob *job)
{
  Batch *batch = job->batch;

  job->started = TRUE;
  job->started_us = g_get_monotonic_time ();
  g_signal_emit (batch->self, signals[FILE_STARTED], 0, job->index);

  if (batch->journal != NULL)
    gp_upload_journal_begin_async (batch->journal, batch->profile, job->report,
                                   job->cancellable, journal_begun_cb, job);
  else
    attempt_start (job);
}

static gboolean
backoff_done_cb (gpointer data)
{
  FileJob *job = data;

  g_clear_pointer (&job->backoff, g_source_unref);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GpUploadResult) result = cancelled_result ();

      file_job_finish (job, result);
    }
  else
    {
      attempt_start (job);
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
file_job_retry_later (FileJob *job)
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

/* Attempts ------------------------------------------------------------- */

static void
attempt_free (Attempt *attempt)
{
  if (attempt->msg != NULL)
    g_signal_handlers_disconnect_by_data (attempt->msg, attempt);
  if (attempt->watchdog != NULL)
    {
      g_source_destroy (attempt->watchdog);
      g_source_unref (attempt->watchdog);
    }
  g_cancellable_disconnect (attempt->job->cancellable, attempt->job_cancel_id);
  g_clear_object (&attempt->cancellable);
  g_clear_object (&attempt->response);
  g_clear_object (&attempt->msg);
  g_clear_pointer (&attempt->request, gp_http_request_unref);
  g_clear_pointer (&attempt->body, g_byte_array_unref);
  g_clear_object (&attempt->peer_certificate);
  g_free (attempt->host);
  g_free (attempt);
}

/* Ends the attempt with @result: retry it, or make it the file's outcome. */
static void
attempt_end (Attempt        *attempt,
             GpUploadResult *result)
{
  FileJob *job = attempt->job;

  g_assert (job->attempt == attempt);

  job->attempt = NULL;
  attempt_free (attempt);

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

static void
attempt_fail (Attempt      *attempt,
              const GError *error)
{
  g_autoptr(GpUploadResult) result = attempt_failure (attempt, error);

  attempt_end (attempt, result);
}

/* The watchdog: a source whose ready time moves forward with every sign
 * of progress. Before the connection is up it allows connect-timeout-ms,
 * after that io-timeout-ms between two events. */
static gboolean
watchdog_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs watchdog_funcs = { NULL, NULL, watchdog_dispatch, NULL, NULL, NULL };

static void
attempt_touch (Attempt *attempt)
{
  GpUploader *self = attempt->job->batch->self;
  guint timeout_ms = attempt->connected ? self->io_timeout_ms : self->connect_timeout_ms;

  if (attempt->watchdog != NULL && !attempt->timed_out)
    g_source_set_ready_time (attempt->watchdog,
                             g_get_monotonic_time () + (gint64) timeout_ms * 1000);
}

static gboolean
watchdog_fired_cb (gpointer data)
{
  Attempt *attempt = data;

  attempt->timed_out = TRUE;
  g_source_set_ready_time (attempt->watchdog, -1);
  g_cancellable_cancel (attempt->cancellable);

  return G_SOURCE_CONTINUE;
}

static void
attempt_network_event_cb (SoupMessage        *msg,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          Attempt            *attempt)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    attempt->connected = TRUE;
  attempt_touch (attempt);
}

static void
attempt_wrote_headers_cb (SoupMessage *msg,
                          Attempt     *attempt)
{
  attempt->connected = TRUE;
  attempt_touch (attempt);
}

static void
attempt_wrote_body_data_cb (SoupMessage *msg,
                            guint        chunk_size,
                            Attempt     *attempt)
{
  FileJob *job = attempt->job;

  attempt->sent += chunk_size;
  attempt_touch (attempt);
  g_signal_emit (job->batch->self, signals[FILE_PROGRESS], 0, job->index,
                 attempt->sent, attempt->total);
}

/* Trust: the session keeps the system's trust store (and so libsoup's
 * own hostname and validity checks); this runs only when that store
 * rejects the server. We then verify the server's chain explicitly against
 * each CA of the profile, hostname included, and accept only a clean
 * result. This needs no file on disk (GTlsFileDatabase wants an absolute
 * path, and a combined system + profile database would mean writing the
 * system bundle out too), and it can never degrade to "accept all". */
static gboolean
attempt_accept_certificate_cb (SoupMessage          *msg,
                               GTlsCertificate      *peer,
                               GTlsCertificateFlags  errors,
                               Attempt              *attempt)
{
  GpUploadSession *session = attempt->job->batch->session;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (attempt->host, attempt->port);

  g_set_object (&attempt->peer_certificate, peer);
  attempt->tls_rejected = TRUE;
  attempt->tls_flags = errors;

  for (guint i = 0; i < session->cas->len; i++)
    {
      GTlsCertificateFlags flags;

      flags = g_tls_certificate_verify (peer, identity, g_ptr_array_index (session->cas, i));
      if (flags == 0)
        {
          attempt->tls_rejected = FALSE;
          return TRUE;
        }
      /* Chained to this CA but wrong otherwise: that is the real reason. */
      if ((flags & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
        attempt->tls_flags = flags;
    }

  g_debug ("Refusing the certificate of %s (flags 0x%x)", attempt->host,
           (guint) attempt->tls_flags);

  return FALSE;
}

static void
attempt_parse (Attempt *attempt)
{
  FileJob *job = attempt->job;
  Batch *batch = job->batch;
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&attempt->body));
  g_autoptr(GpUploadResult) result = NULL;
  guint status = soup_message_get_status (attempt->msg);

  result = gp_gateway_parse_response (batch->gateway, batch->profile, status,
                                      soup_message_get_response_headers (attempt->msg),
                                      body, g_get_real_time () / G_USEC_PER_SEC);
  if (gp_upload_result_get_http_status (result) == 0)
    gp_upload_result_set_http_status (result, status);

  attempt_end (attempt, result);
}

static void
attempt_too_large (Attempt *attempt)
{
  g_autoptr(GpUploadResult) result = NULL;

  result = network_failure (GP_UPLOAD_RESPONSE_TOO_LARGE, FALSE,
                            "The response from %s is larger than %u bytes; it was not read",
                            attempt->host, (guint) GP_UPLOADER_RESPONSE_CAP);
  gp_upload_result_set_http_status (result, soup_message_get_status (attempt->msg));
  attempt_end (attempt, result);
}

static void attempt_read_next (Attempt *attempt);

static void
attempt_read_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), res, &error);
  if (chunk == NULL)
    {
      attempt_fail (attempt, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      attempt_parse (attempt);
      return;
    }

  if (attempt->body->len + g_bytes_get_size (chunk) > GP_UPLOADER_RESPONSE_CAP)
    {
      attempt_too_large (attempt);
      return;
    }

  g_byte_array_append (attempt->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  attempt_touch (attempt);
  attempt_read_next (attempt);
}

static void
attempt_read_next (Attempt *attempt)
{
  g_input_stream_read_bytes_async (attempt->response, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   attempt->cancellable, attempt_read_cb, attempt);
}

static void
attempt_sent_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  attempt->response = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (attempt->response == NULL)
    {
      attempt_fail (attempt, error);
      return;
    }

  attempt->connected = TRUE;
  attempt_touch (attempt);

  headers = soup_message_get_response_headers (attempt->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > GP_UPLOADER_RESPONSE_CAP)
    {
      attempt_too_large (attempt);
      return;
    }

  attempt->body = g_byte_array_new ();
  attempt_read_next (attempt);
}

static void
attempt_job_cancelled_cb (GCancellable *job_cancellable,
                          GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

/* Headers that describe the framing are libsoup's to write: the body
 * length comes from the request itself, and Expect: 100-continue would
 * cost a round trip for nothing. */
static gboolean
header_is_framing (const char *name)
{
  static const char * const framing[] = {
    "Content-Length", "Transfer-Encoding", "Expect", "Host", "Connection",
  };

  for (guint i = 0; i < G_N_ELEMENTS (framing); i++)
    if (g_ascii_strcasecmp (name, framing[i]) == 0)
      return TRUE;

  return FALSE;
}

static SoupMessage *
message_for_request (GpHttpRequest  *request,
                     GInputStream   *body,
                     GError        **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;

  uri = g_uri_parse (gp_http_request_get_url (request), SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;

  msg = soup_message_new_from_uri (gp_http_request_get_method (request), uri);
  headers = soup_message_get_request_headers (msg);
  for (guint i = 0; i < gp_http_request_get_n_headers (request); i++)
    {
      const char *name, *value;

      gp_http_request_get_header (request, i, &name, &value);
      if (!header_is_framing (name))
        soup_message_headers_append (headers, name, value);
    }

  /* A known length makes libsoup send Content-Length, never chunks. */
  soup_message_set_request_body (msg, gp_http_request_get_content_type (request), body,
                                 (gssize) gp_http_request_get_content_length (request));
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  return g_steal_pointer (&msg);
}

static gboolean
attempt_prepare (Attempt  *attempt,
                 GError  **error)
{
  FileJob *job = attempt->job;
  Batch *batch = job->batch;
  g_autoptr(GInputStream) body = NULL;
  GUri *uri;

  attempt->request = gp_gateway_build_request (batch->gateway, batch->profile, job->report,
                                               NULL, error);
  if (attempt->request == NULL)
    return FALSE;

  body = gp_http_request_open_body (attempt->request, job->cancellable, error);
  if (body == NULL)
    return FALSE;

  attempt->msg = message_for_request (attempt->request, body, error);
  if (attempt->msg == NULL)
    return FALSE;

  uri = soup_message_get_uri (attempt->msg);
  attempt->host = g_strdup (g_uri_get_host (uri));
  attempt->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;
  attempt->total = gp_http_request_get_content_length (attempt->request);

  return TRUE;
}

static GpUploadResult *
preparation_failure (const GError *error)
{
  if (error->domain == GP_CHECK_ERROR || error->domain == G_IO_ERROR)
    return body_failure (error);

  return network_failure (GP_UPLOAD_REQUEST_NOT_BUILT, FALSE,
                          "The request could not be built: %s", error->message);
}

static void
attempt_start (FileJob *job)
{
  Batch *batch = job->batch;
  Attempt *attempt;
  g_autoptr(GError) error = NULL;

  g_assert (job->attempt == NULL);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GpUploadResult) result = cancelled_result ();

      file_job_finish (job, result);
      return;
    }

  /* Every attempt is built afresh: new timestamp, nonce and signature. */
  job->attempts++;
  attempt = g_new0 (Attempt, 1);
  attempt->job = job;
  attempt->cancellable = g_cancellable_new ();
  job->attempt = attempt;

  if (!attempt_prepare (attempt, &error))
    {
      g_autoptr(GpUploadResult) result = preparation_failure (error);

      job->attempt = NULL;
      attempt_free (attempt);
      file_job_finish (job, result);
      return;
    }

  if (batch->session->client_certificate != NULL)
    soup_message_set_tls_client_certificate (attempt->msg, batch->session->client_certificate);

  g_signal_connect (attempt->msg, "network-event",
                    G_CALLBACK (attempt_network_event_cb), attempt);
  g_signal_connect (attempt->msg, "wrote-headers",
                    G_CALLBACK (attempt_wrote_headers_cb), attempt);
  g_signal_connect (attempt->msg, "wrote-body-data",
                    G_CALLBACK (attempt_wrote_body_data_cb), attempt);
  g_signal_connect (attempt->msg, "accept-certificate",
                    G_CALLBACK (attempt_accept_certificate_cb), attempt);

  attempt->watchdog = g_source_new (&watchdog_funcs, sizeof (GSource));
  g_source_set_callback (attempt->watchdog, watchdog_fired_cb, attempt, NULL);
  g_source_attach (attempt->watchdog, g_main_context_get_thread_default ());
  attempt_touch (attempt);

  attempt->job_cancel_id = g_cancellable_connect (job->cancellable,
                                                  G_CALLBACK (attempt_job_cancelled_cb),
                                                  g_object_ref (attempt->cancellable),
                                                  g_object_unref);

  g_signal_emit (batch->self, signals[FILE_PROGRESS], 0, job->index, (guint64) 0, attempt->total);

  soup_session_send_async (batch->session->soup, attempt->msg, G_PRIORITY_DEFAULT,
                           attempt->cancellable, attempt_sent_cb, attempt);
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
 * batch completes with results even when @cancellable fires.
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
  Batch *batch;

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

  batch = g_new0 (Batch, 1);
  batch->self = self;
  batch->gateway = g_object_ref (gateway);
  batch->profile = profile ? g_object_ref (profile) : NULL;
  batch->journal = journal ? g_object_ref (journal) : NULL;
  batch->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  batch->n_jobs = reports->len;
  batch->jobs = g_new0 (FileJob *, reports->len);
  batch->results = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_upload_result_unref);
  g_ptr_array_set_size (batch->results, reports->len);
  for (guint i = 0; i < reports->len; i++)
    {
      FileJob *job = g_new0 (FileJob, 1);

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
      Batch *batch = l->data;

      if (index < batch->n_jobs)
        g_cancellable_cancel (batch->jobs[index]->cancellable);
    }
}
