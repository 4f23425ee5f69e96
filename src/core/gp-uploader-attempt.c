/* gp-uploader-attempt.c: one HTTP exchange of an upload, and what its failures mean
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "gp-error.h"
#include "gp-file-check.h"
#include "gp-gateway.h"
#include "gp-http-request.h"
#include "gp-uploader-private.h"

#define READ_CHUNK (64 * 1024)
#define PROGRESS_STEP (64 * 1024)

/* One HTTP exchange. Every way out goes through a libsoup or GIO callback,
 * so the attempt is freed only when libsoup is done with it. */
struct _GpUploadAttempt
{
  GpUploadJob          *job;
  GpHttpRequest        *request;
  SoupMessage          *msg;
  GInputStream         *response;
  GByteArray           *body;
  GCancellable         *cancellable;
  gulong                job_cancel_id;
  GSource              *watchdog;
  gboolean              connected;
  gboolean              timed_out;
  gboolean              restarted;
  guint64               sent;
  guint64               total;
  guint64               sent_reported;     /* in the last file-progress */
  gint64                last_activity_us;
  char                 *host;
  guint16               port;
  gboolean              tls_rejected;
  GTlsCertificateFlags  tls_flags;
  GTlsCertificate      *peer_certificate;
};

/* Results -------------------------------------------------------------- */

GpUploadResult *
gp_upload_network_failure (const char *code,
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

GpUploadResult *
gp_upload_cancelled_result (void)
{
  return gp_upload_network_failure (GP_UPLOAD_CANCELLED, FALSE, _("The upload was cancelled"));
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
tls_rejection (GpUploadAttempt *attempt)
{
  GTlsCertificateFlags flags = attempt->tls_flags;

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return gp_upload_network_failure (GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE, FALSE,
                                      _("The certificate of %s is not issued by a trusted "
                                        "authority. If this gateway uses a private CA, add that "
                                        "CA to the profile (ca_file)."), attempt->host);

  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return gp_upload_network_failure (GP_UPLOAD_TLS_HOSTNAME_MISMATCH, FALSE,
                                      _("The certificate presented by %s is issued for another "
                                        "host name; check the profile's base_url."),
                                      attempt->host);

  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autoptr(GDateTime) not_after = NULL;
      g_autofree char *when = NULL;

      if (attempt->peer_certificate != NULL)
        not_after = g_tls_certificate_get_not_valid_after (attempt->peer_certificate);
      if (not_after != NULL)
        when = g_date_time_format_iso8601 (not_after);

      if (when != NULL)
        return gp_upload_network_failure (GP_UPLOAD_TLS_CERTIFICATE_EXPIRED, FALSE,
                                          _("The certificate of %s expired on %s."),
                                          attempt->host, when);
      return gp_upload_network_failure (GP_UPLOAD_TLS_CERTIFICATE_EXPIRED, FALSE,
                                        _("The certificate of %s expired."), attempt->host);
    }

  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return gp_upload_network_failure (GP_UPLOAD_TLS_CERTIFICATE_NOT_YET_VALID, FALSE,
                                      _("The certificate of %s is not valid yet; check this "
                                        "computer's clock."), attempt->host);

  return gp_upload_network_failure (GP_UPLOAD_TLS_BAD_CERTIFICATE, FALSE,
                                    _("The certificate of %s was refused (flags 0x%x)."),
                                    attempt->host, (guint) flags);
}

static GpUploadResult *
client_certificate_required (GpUploadAttempt *attempt)
{
  GpUploadSession *session = attempt->job->batch->session;

  if (session->profile_name != NULL)
    return gp_upload_network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED, FALSE,
                                      _("%s requires a TLS client certificate and profile "
                                        "\"%s\" has none. Add the merchant API certificate "
                                        "(client_cert and client_key, or client_p12) to the "
                                        "profile."),
                                      attempt->host, session->profile_name);

  return gp_upload_network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED, FALSE,
                                    _("%s requires a TLS client certificate and none is "
                                      "configured. Add the merchant API certificate (client_cert "
                                      "and client_key, or client_p12) to the profile."),
                                    attempt->host);
}

static GpUploadResult *
tls_failure (GpUploadAttempt *attempt,
             const GError    *error)
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
      /* Once the handshake is over, a TLS-level failure means the
       * connection broke under us: a drop, worth another attempt. */
      if (attempt->connected)
        return NULL;
      /* The server refuses the certificate we sent with an alert. */
      if (session->client_certificate != NULL && session->profile_name != NULL)
        return gp_upload_network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REJECTED, FALSE,
                                          _("%s refused the TLS client certificate of profile "
                                            "\"%s\": %s"),
                                          attempt->host, session->profile_name, error->message);
      if (session->client_certificate != NULL)
        return gp_upload_network_failure (GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REJECTED, FALSE,
                                          _("%s refused the TLS client certificate of this "
                                            "upload: %s"),
                                          attempt->host, error->message);
      return gp_upload_network_failure (GP_UPLOAD_TLS_HANDSHAKE_FAILED, FALSE,
                                        _("The TLS handshake with %s failed: %s"), attempt->host,
                                        error->message);

    case G_TLS_ERROR_UNAVAILABLE:
    case G_TLS_ERROR_NOT_TLS:
    case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
    case G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD:
    default:
      return gp_upload_network_failure (GP_UPLOAD_TLS_HANDSHAKE_FAILED, FALSE,
                                        _("The TLS handshake with %s failed: %s"), attempt->host,
                                        error->message);
    }
}

/* Connection failures, drops and timeouts are worth another attempt
 * (PROTOCOLS.md section 5.4); trust failures are not. */
static GpUploadResult *
attempt_failure (GpUploadAttempt *attempt,
                 const GError    *error)
{
  GpUploadJob *job = attempt->job;
  GpUploadSession *session = job->batch->session;
  GpUploadResult *result = NULL;

  if (g_cancellable_is_cancelled (job->cancellable))
    return gp_upload_cancelled_result ();

  /* libsoup wanted to send the request again by itself; it was stopped
   * before a byte went out (see attempt_restarted_cb). Every cause it has
   * for a POST (HTTP 421, an HTTP/2 stream refused or answered "HTTP/1.1
   * required") means the server did not process the request, so the
   * retry policy may send a fresh one. */
  if (attempt->restarted)
    return gp_upload_network_failure (GP_UPLOAD_NOT_PROCESSED, TRUE,
                                      _("%s did not process the request and asked for it to "
                                        "be sent again"), attempt->host);

  if (attempt->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      GpUploader *self = job->batch->self;

      if (attempt->connected)
        return gp_upload_network_failure (GP_UPLOAD_TIMEOUT, TRUE,
                                          _("%s stopped responding (nothing for %u ms)"),
                                          attempt->host, gp_uploader_get_io_timeout_ms (self));
      return gp_upload_network_failure (GP_UPLOAD_TIMEOUT, TRUE,
                                        _("Could not connect to %s within %u ms"), attempt->host,
                                        gp_uploader_get_connect_timeout_ms (self));
    }

  if (error->domain == GP_CHECK_ERROR)
    return body_failure (error);

  if (error->domain == G_TLS_ERROR)
    result = tls_failure (attempt, error);
  if (result != NULL)
    return result;

  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return gp_upload_network_failure (GP_UPLOAD_BAD_RESPONSE, TRUE,
                                      _("%s sent a malformed response: %s"), attempt->host,
                                      error->message);

  /* Under TLS 1.3 a server that refuses our client certificate does so
   * after the client's side of the handshake is done: we only see the
   * connection go away, so say that it may be the certificate. */
  if (attempt->connected)
    {
      g_autofree char *sent = g_strdup_printf ("%" G_GUINT64_FORMAT, attempt->sent);
      g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, attempt->total);

      if (session->client_certificate != NULL)
        /* TRANSLATORS: "…dropped after 1024 of 4096 bytes: <reason> (…)" */
        return gp_upload_network_failure (GP_UPLOAD_CONNECTION_DROPPED, TRUE,
                                          _("The connection to %s was dropped after %s of %s "
                                            "bytes: %s (if this persists, the server may be "
                                            "refusing the TLS client certificate)"),
                                          attempt->host, sent, total, error->message);
      return gp_upload_network_failure (GP_UPLOAD_CONNECTION_DROPPED, TRUE,
                                        _("The connection to %s was dropped after %s of %s "
                                          "bytes: %s"),
                                        attempt->host, sent, total, error->message);
    }

  return gp_upload_network_failure (GP_UPLOAD_CONNECTION_FAILED, TRUE,
                                    _("Could not connect to %s: %s"), attempt->host,
                                    error->message);
}

/* Attempts ------------------------------------------------------------- */

static void
attempt_free (GpUploadAttempt *attempt)
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

/* Ends the attempt; the job decides between a retry and the outcome. */
static void
attempt_end (GpUploadAttempt *attempt,
             GpUploadResult  *result)
{
  GpUploadJob *job = attempt->job;

  g_assert (job->attempt == attempt);

  job->attempt = NULL;
  attempt_free (attempt);
  gp_upload_job_attempt_done (job, result);
}

static void
attempt_fail (GpUploadAttempt *attempt,
              const GError    *error)
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

/* When the watchdog must fire if nothing happens before. */
static gint64
attempt_deadline (GpUploadAttempt *attempt)
{
  GpUploader *self = attempt->job->batch->self;
  guint timeout_ms = attempt->connected ? gp_uploader_get_io_timeout_ms (self)
                                        : gp_uploader_get_connect_timeout_ms (self);

  return attempt->last_activity_us + (gint64) timeout_ms * 1000;
}

/* Moving a source's ready time wakes its main context up (a write to an
 * eventfd), and the body reports progress every 8 KiB: so this only ever
 * brings the deadline forward (the connect timeout giving way to a
 * shorter I/O timeout), and the watchdog, firing early, pushes itself
 * back to the last activity's deadline. */
static void
attempt_touch (GpUploadAttempt *attempt)
{
  gint64 deadline;
  gint64 ready;

  attempt->last_activity_us = g_get_monotonic_time ();
  if (attempt->watchdog == NULL || attempt->timed_out)
    return;
  deadline = attempt_deadline (attempt);
  ready = g_source_get_ready_time (attempt->watchdog);
  if (ready < 0 || deadline < ready)
    g_source_set_ready_time (attempt->watchdog, deadline);
}

static gboolean
watchdog_fired_cb (gpointer data)
{
  GpUploadAttempt *attempt = data;
  gint64 deadline = attempt_deadline (attempt);

  if (g_get_monotonic_time () < deadline)
    {
      g_source_set_ready_time (attempt->watchdog, deadline);
      return G_SOURCE_CONTINUE;
    }

  attempt->timed_out = TRUE;
  g_source_set_ready_time (attempt->watchdog, -1);
  g_cancellable_cancel (attempt->cancellable);

  return G_SOURCE_CONTINUE;
}

static void
attempt_network_event_cb (SoupMessage        *msg,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          GpUploadAttempt    *attempt)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    attempt->connected = TRUE;
  attempt_touch (attempt);
}

static void
attempt_wrote_headers_cb (SoupMessage     *msg,
                          GpUploadAttempt *attempt)
{
  attempt->connected = TRUE;
  attempt_touch (attempt);
}

static void
attempt_wrote_body_data_cb (SoupMessage     *msg,
                            guint            chunk_size,
                            GpUploadAttempt *attempt)
{
  GpUploadJob *job = attempt->job;

  attempt->sent += chunk_size;
  attempt_touch (attempt);
  /* Every 64 KiB is plenty for a progress bar, and the end always. */
  if (attempt->sent - attempt->sent_reported >= PROGRESS_STEP || attempt->sent >= attempt->total)
    {
      attempt->sent_reported = attempt->sent;
      gp_uploader_emit_file_progress (job->batch->self, job->index, attempt->sent,
                                      attempt->total);
    }
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
                               GpUploadAttempt      *attempt)
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
attempt_parse (GpUploadAttempt *attempt)
{
  GpUploadJob *job = attempt->job;
  GpUploadBatch *batch = job->batch;
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
attempt_too_large (GpUploadAttempt *attempt)
{
  g_autoptr(GpUploadResult) result = NULL;

  result = gp_upload_network_failure (GP_UPLOAD_RESPONSE_TOO_LARGE, FALSE,
                                      _("The response from %s is larger than %u bytes; it was "
                                        "not read"),
                                      attempt->host, (guint) GP_UPLOADER_RESPONSE_CAP);
  gp_upload_result_set_http_status (result, soup_message_get_status (attempt->msg));
  attempt_end (attempt, result);
}

static void attempt_read_next (GpUploadAttempt *attempt);

static void
attempt_read_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GpUploadAttempt *attempt = user_data;
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
attempt_read_next (GpUploadAttempt *attempt)
{
  g_input_stream_read_bytes_async (attempt->response, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   attempt->cancellable, attempt_read_cb, attempt);
}

static void
attempt_sent_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GpUploadAttempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  attempt->response = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (attempt->response == NULL)
    {
      attempt_fail (attempt, error);
      return;
    }

  attempt->connected = TRUE;
  attempt->job->batch->session->answered++;
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

/* libsoup re-queues a message by itself in a few cases: for a POST, a 421
 * reply or a refused HTTP/2 stream (a reused connection that drops is
 * re-sent only for idempotent methods, not for a POST). A re-queued upload
 * would go out again outside the retry policy, with the signature of the
 * first attempt and a body stream that is already consumed. "restarted" is
 * emitted before the message looks for a connection again, and libsoup
 * checks the cancellable before it connects or writes, so cancelling here
 * stops the message with nothing more sent; the attempt ends and the
 * policy decides. */
static void
attempt_restarted_cb (SoupMessage     *msg,
                      GpUploadAttempt *attempt)
{
  g_debug ("libsoup restarted the request to %s; ending the attempt instead", attempt->host);
  attempt->restarted = TRUE;
  g_cancellable_cancel (attempt->cancellable);
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
                     gboolean        reuse,
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

  /* libsoup gives a POST a new connection (one TCP and TLS handshake per
   * file, and glib-networking loads the system trust store for each) unless
   * the message is flagged idempotent. The flag only changes which
   * connection libsoup picks (libsoup 3.2: soup-connection-manager.c);
   * resending is decided by the method, and any re-queue is stopped by
   * attempt_restarted_cb. Without reuse, ask for a new connection
   * explicitly. */
  soup_message_add_flags (msg, reuse ? SOUP_MESSAGE_IDEMPOTENT : SOUP_MESSAGE_NEW_CONNECTION);

  return g_steal_pointer (&msg);
}

static gboolean
attempt_prepare (GpUploadAttempt  *attempt,
                 GError          **error)
{
  GpUploadJob *job = attempt->job;
  GpUploadBatch *batch = job->batch;
  g_autoptr(GInputStream) body = NULL;
  GUri *uri;

  attempt->request = gp_gateway_build_request (batch->gateway, batch->profile, job->report,
                                               NULL, error);
  if (attempt->request == NULL)
    return FALSE;

  body = gp_http_request_open_body (attempt->request, job->cancellable, error);
  if (body == NULL)
    return FALSE;

  /* The first uploads of a session open their connections in parallel:
   * an idempotent message would wait for a connection still being set up
   * (in case it turns out to be HTTP/2). Once an answer came back, idle
   * kept-alive connections exist and later uploads take them. */
  attempt->msg = message_for_request (attempt->request, body,
                                      batch->session->reuse_connections &&
                                      batch->session->answered > 0,
                                      error);
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

  return gp_upload_network_failure (GP_UPLOAD_REQUEST_NOT_BUILT, FALSE,
                                    _("The request could not be built: %s"), error->message);
}

/* Builds and sends one attempt of @job; ends in gp_upload_job_attempt_done(). */
void
gp_upload_attempt_start (GpUploadJob *job)
{
  GpUploadBatch *batch = job->batch;
  GpUploadAttempt *attempt;
  g_autoptr(GError) error = NULL;

  g_assert (job->attempt == NULL);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GpUploadResult) result = gp_upload_cancelled_result ();

      gp_upload_job_attempt_done (job, result);
      return;
    }

  /* Every attempt is built afresh: new timestamp, nonce and signature. */
  job->attempts++;
  attempt = g_new0 (GpUploadAttempt, 1);
  attempt->job = job;
  attempt->cancellable = g_cancellable_new ();
  job->attempt = attempt;

  if (!attempt_prepare (attempt, &error))
    {
      g_autoptr(GpUploadResult) result = preparation_failure (error);

      job->attempt = NULL;
      attempt_free (attempt);
      gp_upload_job_attempt_done (job, result);
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
  g_signal_connect (attempt->msg, "restarted",
                    G_CALLBACK (attempt_restarted_cb), attempt);

  attempt->watchdog = g_source_new (&watchdog_funcs, sizeof (GSource));
  g_source_set_callback (attempt->watchdog, watchdog_fired_cb, attempt, NULL);
  g_source_attach (attempt->watchdog, g_main_context_get_thread_default ());
  attempt_touch (attempt);

  attempt->job_cancel_id = g_cancellable_connect (job->cancellable,
                                                  G_CALLBACK (attempt_job_cancelled_cb),
                                                  g_object_ref (attempt->cancellable),
                                                  g_object_unref);

  gp_uploader_emit_file_progress (batch->self, job->index, 0, attempt->total);

  soup_session_send_async (batch->session->soup, attempt->msg, G_PRIORITY_DEFAULT,
                           attempt->cancellable, attempt_sent_cb, attempt);
}
