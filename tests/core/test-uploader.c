/* test-uploader.c: GpUploader against an in-process HTTPS server on loopback
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "gatepost-core.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* The server --------------------------------------------------------------
 *
 * Real TLS on 127.0.0.1 with certificates from tests/data/tls. The request
 * body is never accumulated: got-chunk counts the bytes, so the server can
 * check Content-Length against what really arrived. Behaviour is chosen by
 * path (see server_handler). */

typedef struct
{
  char     *path;
  char     *nonce;
  char     *file;
  char     *transfer_encoding;
  char     *expect;
  char     *client_subject;
  gint64    content_length;   /* -1: no Content-Length header */
  guint     connection;       /* 1, 2, ...: which TCP connection it came on */
  guint64   received;
  gboolean  handled;          /* the whole body arrived and the handler ran */
} ServerRequest;

typedef struct
{
  SoupServer *server;
  char       *base_url;
  GPtrArray  *requests;       /* ServerRequest, in arrival order */
  guint       in_flight;
  guint       max_in_flight;
  guint       fail_first;     /* /flaky answers 500, /misdirected 421, this many times first */
  guint       n_connections;
  guint       delay_ms;       /* /slow answers after this long */
  guint       first_delay_ms; /* ... and file-0.jpg after this long */
  GPtrArray  *paused;         /* SoupServerMessage held forever by /silent */
} Server;

static void
server_request_free (gpointer data)
{
  ServerRequest *r = data;

  g_free (r->path);
  g_free (r->nonce);
  g_free (r->file);
  g_free (r->transfer_encoding);
  g_free (r->expect);
  g_free (r->client_subject);
  g_free (r);
}

static char *
test_file_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "tls", name, NULL);
}

static char *
read_test_file (const char *name)
{
  g_autofree char *path = test_file_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static GTlsCertificate *
load_certificate (const char *name)
{
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem_path = test_file_path (pem);
  g_autofree char *key_path = test_file_path (key);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert;

  cert = g_tls_certificate_new_from_files (pem_path, key_path, &error);
  g_assert_no_error (error);

  return cert;
}

static ServerRequest *
server_request_for (Server            *server,
                    SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "test-request");
}

static void
server_got_headers_cb (SoupServerMessage *msg,
                       Server            *server)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  ServerRequest *r = g_new0 (ServerRequest, 1);
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket;

  r->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  r->nonce = g_strdup (soup_message_headers_get_one (headers, "X-Test-Nonce"));
  r->file = g_strdup (soup_message_headers_get_one (headers, "X-Test-File"));
  r->transfer_encoding = g_strdup (soup_message_headers_get_one (headers, "Transfer-Encoding"));
  r->expect = g_strdup (soup_message_headers_get_one (headers, "Expect"));
  r->content_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                      ? soup_message_headers_get_content_length (headers) : -1;
  if (peer != NULL)
    g_object_get (peer, "subject-name", &r->client_subject, NULL);

  /* Connections are told apart by their socket, numbered on first use. */
  socket = soup_server_message_get_socket (msg);
  r->connection = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), "test-connection"));
  if (r->connection == 0)
    {
      r->connection = ++server->n_connections;
      g_object_set_data (G_OBJECT (socket), "test-connection", GUINT_TO_POINTER (r->connection));
    }

  g_ptr_array_add (server->requests, r);
  g_object_set_data (G_OBJECT (msg), "test-request", r);

  server->in_flight++;
  server->max_in_flight = MAX (server->max_in_flight, server->in_flight);
}

static void
server_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     Server            *server)
{
  ServerRequest *r = server_request_for (server, msg);

  r->received += g_bytes_get_size (chunk);

  /* /drop: cut the connection under the client once 64 KiB arrived. */
  if (g_str_equal (r->path, "/drop") && r->received >= 64 * KiB)
    g_socket_shutdown (soup_server_message_get_socket (msg), TRUE, TRUE, NULL);
}

static void
server_finished_cb (SoupServerMessage *msg,
                    Server            *server)
{
  if (server_request_for (server, msg) != NULL)
    server->in_flight--;
}

static gboolean
server_accept_certificate_cb (SoupServerMessage    *msg,
                              GTlsCertificate      *cert,
                              GTlsCertificateFlags  errors,
                              Server               *server)
{
  /* GIO asks about every client certificate; trust only the test CA's. */
  return errors == 0;
}

static void
server_request_started_cb (SoupServer        *soup,
                           SoupServerMessage *msg,
                           Server            *server)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-headers", G_CALLBACK (server_got_headers_cb), server);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (server_got_chunk_cb), server);
  g_signal_connect (msg, "finished", G_CALLBACK (server_finished_cb), server);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (server_accept_certificate_cb), server);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body, strlen (body));
  soup_server_message_set_status (msg, status, NULL);
}

static gboolean
delayed_response_cb (gpointer data)
{
  SoupServerMessage *msg = data;
  ServerRequest *r = g_object_get_data (G_OBJECT (msg), "test-request");

  respond (msg, 200, r->file);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
respond_big (SoupServerMessage *msg,
             gboolean           chunked)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *block = g_malloc0 (64 * KiB);

  soup_server_message_set_status (msg, 200, NULL);
  if (chunked)
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                       SOUP_ENCODING_CHUNKED);
  for (guint i = 0; i < 32; i++)
    soup_message_body_append (body, SOUP_MEMORY_COPY, block, 64 * KiB);
  soup_message_body_complete (body);
}

static void
server_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Server *server = user_data;
  ServerRequest *r = server_request_for (server, msg);

  g_assert_nonnull (r);
  r->handled = TRUE;

  if (g_str_equal (path, "/ok"))
    respond (msg, 200, r->file);
  else if (g_str_equal (path, "/slow"))
    {
      guint delay = g_strcmp0 (r->file, "file-0.jpg") == 0 ? server->first_delay_ms
                                                            : server->delay_ms;

      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, delayed_response_cb,
                          g_object_ref (msg), g_object_unref);
    }
  else if (g_str_equal (path, "/flaky"))
    {
      if (server->fail_first > 0)
        {
          server->fail_first--;
          respond (msg, 500, "busy");
        }
      else
        respond (msg, 200, r->file);
    }
  else if (g_str_equal (path, "/misdirected"))
    {
      if (server->fail_first > 0)
        {
          server->fail_first--;
          respond (msg, SOUP_STATUS_MISDIRECTED_REQUEST, "not here");
        }
      else
        respond (msg, 200, r->file);
    }
  else if (g_str_equal (path, "/fail500"))
    respond (msg, 500, "busy");
  else if (g_str_equal (path, "/bad400"))
    respond (msg, 400, "bad");
  else if (g_str_equal (path, "/big"))
    respond_big (msg, FALSE);
  else if (g_str_equal (path, "/big-chunked"))
    respond_big (msg, TRUE);
  else if (g_str_equal (path, "/silent"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (server->paused, g_object_ref (msg));
    }
  else
    respond (msg, 404, "no such path");
}

static Server *
server_new_full (const char *cert_name,
                 gboolean    require_client_certificate)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GTlsCertificate) cert = load_certificate (cert_name);
  g_autoptr(GTlsDatabase) ca_db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  if (require_client_certificate)
    {
      g_autofree char *ca_path = test_file_path ("ca.pem");

      ca_db = g_tls_file_database_new (ca_path, &error);
      g_assert_no_error (error);
    }

  server->server = soup_server_new ("tls-certificate", cert,
                                    "tls-database", ca_db,
                                    "tls-auth-mode", require_client_certificate
                                                     ? G_TLS_AUTHENTICATION_REQUIRED
                                                     : G_TLS_AUTHENTICATION_NONE,
                                    NULL);
  server->requests = g_ptr_array_new_with_free_func (server_request_free);
  server->paused = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (server->server, "request-started",
                    G_CALLBACK (server_request_started_cb), server);
  soup_server_add_handler (server->server, NULL, server_handler, server, NULL);

  soup_server_listen (server->server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->base_url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static Server *
server_new (void)
{
  return server_new_full ("server", FALSE);
}

static void
server_free (Server *server)
{
  soup_server_disconnect (server->server);
  g_clear_pointer (&server->paused, g_ptr_array_unref);
  g_clear_object (&server->server);
  g_clear_pointer (&server->requests, g_ptr_array_unref);
  g_free (server->base_url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static guint
server_count_path (Server     *server,
                   const char *path)
{
  guint n = 0;

  for (guint i = 0; i < server->requests->len; i++)
    if (g_str_equal (((ServerRequest *) g_ptr_array_index (server->requests, i))->path, path))
      n++;

  return n;
}

/* A body stream that fails like the real multipart stream does when the
 * file changed since its check: after @limit bytes, FILE_CHANGED. */

#define TEST_TYPE_CHANGING_STREAM (test_changing_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestChangingStream, test_changing_stream, TEST, CHANGING_STREAM,
                      GFilterInputStream)

struct _TestChangingStream
{
  GFilterInputStream parent_instance;
  guint64            limit;
  guint64            pos;
};

G_DEFINE_FINAL_TYPE (TestChangingStream, test_changing_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
test_changing_stream_read (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  TestChangingStream *self = TEST_CHANGING_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
  gssize n;

  if (self->pos >= self->limit)
    {
      g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                           "The file changed since it was checked");
      return -1;
    }

  n = g_input_stream_read (base, buffer, MIN (count, self->limit - self->pos), cancellable,
                           error);
  if (n > 0)
    self->pos += n;

  return n;
}

static void
test_changing_stream_class_init (TestChangingStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_changing_stream_read;
}

static void
test_changing_stream_init (TestChangingStream *self)
{
}

/* The gateway -------------------------------------------------------------
 *
 * Builds simple requests that stream the real file, with a fresh nonce per
 * attempt, and reads the server's plain-text replies: 200 → success with
 * the body as media id; 500 → SYSTEM_ERROR, retryable; else not. */

#define TEST_TYPE_GATEWAY (test_gateway_get_type ())
G_DECLARE_FINAL_TYPE (TestGateway, test_gateway, TEST, GATEWAY, GpGateway)

struct _TestGateway
{
  GpGateway  parent_instance;
  char      *base_url;
  char      *path;
  guint      n_built;
  guint64    change_after;   /* 0: the file never changes */
};

G_DEFINE_FINAL_TYPE (TestGateway, test_gateway, GP_TYPE_GATEWAY)

typedef struct
{
  char    *path;
  guint64  change_after;
} BodySource;

static void
body_source_free (gpointer data)
{
  BodySource *source = data;

  g_free (source->path);
  g_free (source);
}

static GInputStream *
open_body (gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  BodySource *source = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (source->path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  TestChangingStream *changing;

  if (stream == NULL)
    return NULL;
  if (source->change_after == 0)
    return G_INPUT_STREAM (g_steal_pointer (&stream));

  changing = g_object_new (TEST_TYPE_CHANGING_STREAM, "base-stream", stream, NULL);
  changing->limit = source->change_after;

  return G_INPUT_STREAM (changing);
}

static GpHttpRequest *
test_gateway_build_request (GpGateway              *gateway,
                            GpProfile              *profile,
                            GpCheckReport          *report,
                            const GpRequestOptions *options,
                            GError                **error)
{
  TestGateway *self = TEST_GATEWAY (gateway);
  g_autofree char *url = g_strconcat (self->base_url, self->path, NULL);
  g_autofree char *nonce = g_uuid_string_random ();
  g_autofree char *name = g_path_get_basename (gp_check_report_get_path (report));
  GpHttpRequest *request = gp_http_request_new ("POST", url);
  BodySource *source = g_new0 (BodySource, 1);

  self->n_built++;
  gp_http_request_add_header (request, "User-Agent", "gatepost-test");
  gp_http_request_add_header (request, "X-Test-Nonce", nonce);
  gp_http_request_add_header (request, "X-Test-File", name);
  source->path = g_strdup (gp_check_report_get_path (report));
  source->change_after = self->change_after;
  gp_http_request_set_body (request, "application/octet-stream",
                            gp_check_report_get_size (report),
                            open_body, source, body_source_free);

  return request;
}

static GpUploadResult *
test_gateway_parse_response (GpGateway          *gateway,
                             GpProfile          *profile,
                             guint               status,
                             SoupMessageHeaders *headers,
                             GBytes             *body,
                             gint64              now_unix)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autofree char *code = NULL;
  GpUploadResult *result;

  g_assert_cmpint (now_unix, >, 1700000000);

  if (status == 200)
    return gp_upload_result_new_success (text, NULL);

  if (status == 500)
    {
      result = gp_upload_result_new_failure (GP_STAGE_GATEWAY, "SYSTEM_ERROR", text);
      gp_upload_result_set_retryable (result, TRUE);
      return result;
    }

  code = g_strdup_printf ("HTTP_%u", status);
  return gp_upload_result_new_failure (GP_STAGE_GATEWAY, code, text);
}

static void
test_gateway_finalize (GObject *object)
{
  TestGateway *self = TEST_GATEWAY (object);

  g_free (self->base_url);
  g_free (self->path);

  G_OBJECT_CLASS (test_gateway_parent_class)->finalize (object);
}

static void
test_gateway_class_init (TestGatewayClass *klass)
{
  GpGatewayClass *gateway_class = GP_GATEWAY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_gateway_finalize;
  gateway_class->build_request = test_gateway_build_request;
  gateway_class->parse_response = test_gateway_parse_response;
}

static void
test_gateway_init (TestGateway *self)
{
}

static TestGateway *
test_gateway_new (const char *base_url,
                  const char *path)
{
  TestGateway *self = g_object_new (TEST_TYPE_GATEWAY, "kind", GP_GATEWAY_ALIPAY, NULL);

  self->base_url = g_strdup (base_url);
  self->path = g_strdup (path);

  return self;
}

/* The journal ------------------------------------------------------------
 *
 * In memory. begin remembers how many requests the server had seen, so a
 * test can prove that the row existed before any byte of the file went out.
 * A report whose path contains "no-history" cannot be recorded. */

typedef struct
{
  gint64          id;
  char           *path;
  guint           server_requests_at_begin;
  guint           server_requests_at_complete;
  GpUploadResult *result;          /* set by complete */
  gint64          history_id_at_complete;
} JournalRow;

#define TEST_TYPE_JOURNAL (test_journal_get_type ())
G_DECLARE_FINAL_TYPE (TestJournal, test_journal, TEST, JOURNAL, GObject)

struct _TestJournal
{
  GObject    parent_instance;
  Server    *server;
  GPtrArray *rows;
  guint      n_failed_begins;
};

static void test_journal_iface_init (GpUploadJournalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestJournal, test_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GP_TYPE_UPLOAD_JOURNAL,
                                                      test_journal_iface_init))

static void
journal_row_free (gpointer data)
{
  JournalRow *row = data;

  g_free (row->path);
  g_clear_pointer (&row->result, gp_upload_result_unref);
  g_free (row);
}

static void
test_journal_begin_async (GpUploadJournal     *journal,
                          GpProfile           *profile,
                          GpCheckReport       *report,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  TestJournal *self = TEST_JOURNAL (journal);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  JournalRow *row;

  if (strstr (gp_check_report_get_path (report), "no-history") != NULL)
    {
      self->n_failed_begins++;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full (test)");
      return;
    }

  row = g_new0 (JournalRow, 1);
  row->id = 100 + self->rows->len;
  row->path = g_strdup (gp_check_report_get_path (report));
  row->server_requests_at_begin = self->server->requests->len;
  g_ptr_array_add (self->rows, row);

  /* Returned from an idle, like a real store on its worker thread. */
  g_task_return_int (task, row->id);
}

static gint64
test_journal_begin_finish (GpUploadJournal  *journal,
                           GAsyncResult     *result,
                           GError          **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
test_journal_complete_async (GpUploadJournal     *journal,
                             gint64               id,
                             GpUploadResult      *result,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TestJournal *self = TEST_JOURNAL (journal);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  JournalRow *row = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    if (((JournalRow *) g_ptr_array_index (self->rows, i))->id == id)
      row = g_ptr_array_index (self->rows, i);

  g_assert_nonnull (row);
  g_assert_null (row->result);
  row->result = gp_upload_result_ref (result);
  row->history_id_at_complete = gp_upload_result_get_history_id (result);
  row->server_requests_at_complete = self->server->requests->len;

  g_task_return_boolean (task, TRUE);
}

static gboolean
test_journal_complete_finish (GpUploadJournal  *journal,
                              GAsyncResult     *result,
                              GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_journal_iface_init (GpUploadJournalInterface *iface)
{
  iface->begin_async = test_journal_begin_async;
  iface->begin_finish = test_journal_begin_finish;
  iface->complete_async = test_journal_complete_async;
  iface->complete_finish = test_journal_complete_finish;
}

static void
test_journal_finalize (GObject *object)
{
  TestJournal *self = TEST_JOURNAL (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (test_journal_parent_class)->finalize (object);
}

static void
test_journal_class_init (TestJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_journal_finalize;
}

static void
test_journal_init (TestJournal *self)
{
  self->rows = g_ptr_array_new_with_free_func (journal_row_free);
}

/* Files and running ------------------------------------------------------ */

static GPtrArray *
new_report_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);
}

/* A JPEG by its magic bytes, then @size - 3 pseudo-random bytes. */
static GpCheckReport *
make_file (const char *name,
           gsize       size)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "uploads", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  GpCheckReport *report;

  g_assert_cmpuint (size, >=, 3);
  g_mkdir_with_parents (dir, 0700);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  memcpy (data, "\xff\xd8\xff", 3);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);

  report = gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (report));

  return report;
}

static GPtrArray *
make_files (guint  n,
            gsize  size)
{
  GPtrArray *reports = new_report_array ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u.jpg", i);

      g_ptr_array_add (reports, make_file (name, size));
    }

  return reports;
}

static GpUploader *
test_uploader_new (void)
{
  GpUploader *uploader = gp_uploader_new ();
  g_autofree char *ca = read_test_file ("ca.pem");
  g_autoptr(GError) error = NULL;

  gp_uploader_set_extra_ca_pem (uploader, ca, &error);
  g_assert_no_error (error);
  gp_uploader_set_backoff (uploader, 5, 20);

  return uploader;
}

/* What the signals said, per file. */
typedef struct
{
  GpUploader   *uploader;
  GArray       *started;          /* guint index, in order */
  GArray       *finished;         /* guint index, in order */
  guint64       progress_sum[16];
  guint64       progress_last[16];
  guint64       progress_total[16];
  GCancellable *cancel_batch_at;  /* cancelled when a file passed cancel_after */
  gint          cancel_file;      /* -1, or the index cancelled past cancel_after */
  guint64       cancel_after;
  GPtrArray    *results;
  GpProfile    *profile;          /* nullable: the profile uploads go out with */
} Run;

static void
file_started_cb (GpUploader *uploader,
                 guint       index,
                 Run        *run)
{
  g_array_append_val (run->started, index);
}

static void
file_progress_cb (GpUploader *uploader,
                  guint       index,
                  guint64     sent,
                  guint64     total,
                  Run        *run)
{
  g_assert_cmpuint (index, <, G_N_ELEMENTS (run->progress_sum));
  /* Every attempt starts with a 0; a retry counts again from there. */
  if (sent == 0)
    {
      run->progress_sum[index] = 0;
      run->progress_last[index] = 0;
      run->progress_total[index] = total;
      return;
    }
  g_assert_cmpuint (sent, >, run->progress_last[index]);
  g_assert_cmpuint (sent, <=, total);
  run->progress_sum[index] += sent - run->progress_last[index];
  run->progress_last[index] = sent;
  run->progress_total[index] = total;

  if (run->cancel_after > 0 && sent >= run->cancel_after)
    {
      if (run->cancel_batch_at != NULL)
        g_cancellable_cancel (run->cancel_batch_at);
      if (run->cancel_file >= 0 && (guint) run->cancel_file == index)
        gp_uploader_cancel_file (uploader, index);
    }
}

static void
file_finished_cb (GpUploader     *uploader,
                  guint           index,
                  GpUploadResult *result,
                  Run            *run)
{
  g_assert_nonnull (result);
  g_array_append_val (run->finished, index);
}

static void
upload_done_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->results = gp_uploader_upload_finish (GP_UPLOADER (object), res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->results);
}

static void
run_init (Run        *run,
          GpUploader *uploader)
{
  memset (run, 0, sizeof *run);
  run->uploader = uploader;
  run->started = g_array_new (FALSE, FALSE, sizeof (guint));
  run->finished = g_array_new (FALSE, FALSE, sizeof (guint));
  run->cancel_file = -1;
  g_signal_connect (uploader, "file-started", G_CALLBACK (file_started_cb), run);
  g_signal_connect (uploader, "file-progress", G_CALLBACK (file_progress_cb), run);
  g_signal_connect (uploader, "file-finished", G_CALLBACK (file_finished_cb), run);
}

static void
run_clear (Run *run)
{
  g_signal_handlers_disconnect_by_data (run->uploader, run);
  g_array_unref (run->started);
  g_array_unref (run->finished);
  g_clear_pointer (&run->results, g_ptr_array_unref);
}

static void
run_upload (Run             *run,
            GpGateway       *gateway,
            GPtrArray       *reports,
            GpUploadJournal *journal,
            GCancellable    *cancellable)
{
  gp_uploader_upload_async (run->uploader, gateway, run->profile, reports, journal,
                            cancellable,
                            upload_done_cb, run);
  while (run->results == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (run->results->len, ==, reports->len);
  g_assert_cmpuint (run->finished->len, ==, reports->len);
}

static GpUploadResult *
result_at (Run   *run,
           guint  index)
{
  return g_ptr_array_index (run->results, index);
}

static void
assert_failure (GpUploadResult *result,
                GpStage         stage,
                const char     *code)
{
  g_assert_false (gp_upload_result_is_ok (result));
  g_assert_cmpstr (gp_stage_to_string (gp_upload_result_get_stage (result)), ==,
                   gp_stage_to_string (stage));
  g_assert_cmpstr (gp_upload_result_get_code (result), ==, code);
  g_assert_nonnull (gp_upload_result_get_message (result));
}

/* Tests ------------------------------------------------------------------ */

static void
test_success (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = new_report_array ();
  Run run;

  g_ptr_array_add (reports, make_file ("small.jpg", 1000));
  g_ptr_array_add (reports, make_file ("large.jpg", 3 * MiB + 17));

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  for (guint i = 0; i < reports->len; i++)
    {
      GpCheckReport *report = g_ptr_array_index (reports, i);
      GpUploadResult *result = result_at (&run, i);
      ServerRequest *r = g_ptr_array_index (server->requests, i);
      g_autofree char *name = g_path_get_basename (gp_check_report_get_path (report));
      guint64 size = gp_check_report_get_size (report);

      g_assert_true (gp_upload_result_is_ok (result));
      g_assert_cmpstr (gp_upload_result_get_media_id (result), ==, name);
      g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 1);
      g_assert_cmpuint (gp_upload_result_get_http_status (result), ==, 200);
      g_assert_cmpint (gp_upload_result_get_history_id (result), ==, -1);
      g_assert_cmpint (gp_upload_result_get_duration_ms (result), >=, 0);

      /* Exact length, never chunked, no 100-continue: seen by the server. */
      g_assert_true (r->handled);
      g_assert_null (r->transfer_encoding);
      g_assert_null (r->expect);
      g_assert_cmpint (r->content_length, ==, (gint64) size);
      g_assert_cmpuint (r->received, ==, size);

      g_assert_cmpuint (run.progress_sum[i], ==, size);
      g_assert_cmpuint (run.progress_last[i], ==, size);
      g_assert_cmpuint (run.progress_total[i], ==, size);
    }
  g_assert_cmpuint (run.started->len, ==, 2);
  g_assert_cmpuint (gateway->n_built, ==, 2);

  run_clear (&run);
}

static void
check_jobs (guint jobs,
            guint n_files)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/slow");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (n_files, 20 * KiB);
  gboolean reordered = FALSE;
  Run run;

  if (jobs != 3)
    gp_uploader_set_jobs (uploader, jobs);
  g_assert_cmpuint (gp_uploader_get_jobs (uploader), ==, jobs);

  /* The first file is answered last, so completion order differs from
   * input order, and every slot is busy long enough to be counted. */
  server->first_delay_ms = 800;
  server->delay_ms = 200;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  g_assert_cmpuint (server->max_in_flight, ==, jobs);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u.jpg", i);

      g_assert_true (gp_upload_result_is_ok (result_at (&run, i)));
      g_assert_cmpstr (gp_upload_result_get_media_id (result_at (&run, i)), ==, name);
      if (g_array_index (run.finished, guint, i) != i)
        reordered = TRUE;
    }
  g_assert_true (reordered);
  g_assert_cmpuint (g_array_index (run.finished, guint, 0), !=, 0);

  run_clear (&run);
}

static void
test_jobs_default (void)
{
  check_jobs (3, 7);
}

static void
test_jobs_two (void)
{
  check_jobs (2, 5);
}

static void
test_retry_then_success (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/flaky");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 50 * KiB);
  ServerRequest *first, *second;
  Run run;

  server->fail_first = 1;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  g_assert_true (gp_upload_result_is_ok (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 2);
  g_assert_cmpuint (gateway->n_built, ==, 2);
  g_assert_cmpuint (server->requests->len, ==, 2);

  /* Each attempt was built again: a different nonce, the whole body again. */
  first = g_ptr_array_index (server->requests, 0);
  second = g_ptr_array_index (server->requests, 1);
  g_assert_nonnull (first->nonce);
  g_assert_nonnull (second->nonce);
  g_assert_cmpstr (first->nonce, !=, second->nonce);
  g_assert_cmpuint (first->received, ==, 50 * KiB);
  g_assert_cmpuint (second->received, ==, 50 * KiB);
  g_assert_cmpuint (run.progress_sum[0], ==, 50 * KiB);

  run_clear (&run);
}

static guint
count_connections (Server *server)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < server->requests->len; i++)
    {
      ServerRequest *r = g_ptr_array_index (server->requests, i);

      g_hash_table_add (seen, GUINT_TO_POINTER (r->connection));
    }

  return g_hash_table_size (seen);
}

/* Without a client certificate, a batch reuses its kept-alive connections:
 * no more connections than files in flight, although every request is a
 * POST (which libsoup would otherwise send on a new connection each). */
static void
test_connection_reuse (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (10, 20 * KiB);
  Run run;

  gp_uploader_set_jobs (uploader, 2);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  for (guint i = 0; i < 10; i++)
    {
      g_assert_true (gp_upload_result_is_ok (result_at (&run, i)));
      g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, i)), ==, 1);
    }
  g_assert_cmpuint (server->requests->len, ==, 10);
  g_test_message ("10 uploads, --jobs 2: %u connections", count_connections (server));
  g_assert_cmpuint (count_connections (server), <=, 2);

  run_clear (&run);
}

/* With a client certificate, every request gets a connection (and a
 * handshake presenting the certificate) of its own. */
static void
test_client_certificate_every_request (void)
{
  g_autoptr(Server) server = server_new_full ("server", TRUE);
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GTlsCertificate) client = load_certificate ("client");
  g_autoptr(GPtrArray) reports = make_files (6, 20 * KiB);
  Run run;

  gp_uploader_set_client_certificate (uploader, client);
  gp_uploader_set_jobs (uploader, 2);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  for (guint i = 0; i < 6; i++)
    g_assert_true (gp_upload_result_is_ok (result_at (&run, i)));
  g_assert_cmpuint (server->requests->len, ==, 6);
  g_assert_cmpuint (count_connections (server), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      ServerRequest *r = g_ptr_array_index (server->requests, i);

      g_assert_nonnull (r->client_subject);
      g_assert_nonnull (strstr (r->client_subject, "1900000109"));
    }

  run_clear (&run);
}

/* libsoup re-queues a POST answered 421 by itself. The uploader stops that
 * re-send and lets its own policy retry with a fresh request: every request
 * the server saw is a counted attempt, each with its whole body. */
static void
test_misdirected_not_resent_by_libsoup (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/misdirected");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 50 * KiB);
  ServerRequest *first, *second;
  Run run;

  server->fail_first = 1;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  g_assert_true (gp_upload_result_is_ok (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 2);
  g_assert_cmpuint (gateway->n_built, ==, 2);
  g_assert_cmpuint (server->requests->len, ==, 2);
  first = g_ptr_array_index (server->requests, 0);
  second = g_ptr_array_index (server->requests, 1);
  g_assert_cmpstr (first->nonce, !=, second->nonce);
  g_assert_cmpuint (first->received, ==, 50 * KiB);
  g_assert_cmpuint (second->received, ==, 50 * KiB);
  run_clear (&run);

  /* Always 421: three attempts, three requests, a retryable failure. */
  g_ptr_array_set_size (server->requests, 0);
  gateway->n_built = 0;
  server->fail_first = 100;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_NETWORK, GP_UPLOAD_NOT_PROCESSED);
  g_assert_true (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 3);
  g_assert_cmpuint (gateway->n_built, ==, 3);
  g_assert_cmpuint (server->requests->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (((ServerRequest *) g_ptr_array_index (server->requests, i))->received, ==,
                      50 * KiB);
  run_clear (&run);
}

static void
test_no_retry_when_not_retryable (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/bad400");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  Run run;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_GATEWAY, "HTTP_400");
  g_assert_false (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_cmpuint (gp_upload_result_get_http_status (result_at (&run, 0)), ==, 400);
  g_assert_cmpuint (server->requests->len, ==, 1);
  g_assert_cmpuint (gateway->n_built, ==, 1);

  run_clear (&run);
}

static void
test_give_up_after_three (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/fail500");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  g_autoptr(GHashTable) nonces = g_hash_table_new (g_str_hash, g_str_equal);
  Run run;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_GATEWAY, "SYSTEM_ERROR");
  g_assert_true (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 3);
  g_assert_cmpuint (server->requests->len, ==, GP_UPLOADER_MAX_ATTEMPTS);
  g_assert_cmpuint (gateway->n_built, ==, GP_UPLOADER_MAX_ATTEMPTS);
  for (guint i = 0; i < server->requests->len; i++)
    g_hash_table_add (nonces, ((ServerRequest *) g_ptr_array_index (server->requests, i))->nonce);
  g_assert_cmpuint (g_hash_table_size (nonces), ==, 3);

  run_clear (&run);
}

static void
test_cancel_batch (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (3, 4 * MiB);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run;

  gp_uploader_set_jobs (uploader, 1);
  run_init (&run, uploader);
  run.cancel_batch_at = cancellable;
  run.cancel_after = 256 * KiB;
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, cancellable);

  for (guint i = 0; i < 3; i++)
    {
      assert_failure (result_at (&run, i), GP_STAGE_NETWORK, GP_UPLOAD_CANCELLED);
      g_assert_false (gp_upload_result_get_retryable (result_at (&run, i)));
    }
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 1)), ==, 0);
  /* Only the first file ever started; its body never arrived whole. */
  g_assert_cmpuint (run.started->len, ==, 1);
  g_assert_cmpuint (gateway->n_built, ==, 1);
  g_assert_cmpuint (server->requests->len, <=, 1);
  if (server->requests->len == 1)
    {
      ServerRequest *r = g_ptr_array_index (server->requests, 0);

      g_assert_false (r->handled);
      g_assert_cmpuint (r->received, <, 4 * MiB);
    }

  run_clear (&run);
}

static void
test_cancel_one_file (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = new_report_array ();
  Run run;

  g_ptr_array_add (reports, make_file ("big.jpg", 4 * MiB));
  g_ptr_array_add (reports, make_file ("small.jpg", 64 * KiB));
  g_ptr_array_add (reports, make_file ("later.jpg", 64 * KiB));
  gp_uploader_set_jobs (uploader, 2);

  run_init (&run, uploader);
  run.cancel_file = 0;
  run.cancel_after = 256 * KiB;
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_NETWORK, GP_UPLOAD_CANCELLED);
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_true (gp_upload_result_is_ok (result_at (&run, 1)));
  g_assert_cmpstr (gp_upload_result_get_media_id (result_at (&run, 1)), ==, "small.jpg");
  g_assert_true (gp_upload_result_is_ok (result_at (&run, 2)));
  g_assert_cmpuint (server_count_path (server, "/ok"), ==, 3);
  g_assert_cmpuint (run.progress_sum[2], ==, 64 * KiB);

  run_clear (&run);
}

static void
check_response_cap (const char *path)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, path);
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  Run run;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_NETWORK, GP_UPLOAD_RESPONSE_TOO_LARGE);
  g_assert_false (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_cmpuint (gp_upload_result_get_http_status (result_at (&run, 0)), ==, 200);
  g_assert_cmpuint (server->requests->len, ==, 1);

  run_clear (&run);
}

static void
test_response_cap_length (void)
{
  check_response_cap ("/big");
}

static void
test_response_cap_chunked (void)
{
  check_response_cap ("/big-chunked");
}

static void
test_timeout_no_answer (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/silent");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  GpUploadResult *result;
  Run run;

  gp_uploader_set_io_timeout_ms (uploader, 300);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  result = result_at (&run, 0);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TIMEOUT);
  g_assert_true (gp_upload_result_get_retryable (result));
  g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 3);
  g_assert_cmpint (gp_upload_result_get_duration_ms (result), >=, 3 * 300);
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "127.0.0.1"));
  g_assert_cmpuint (server->requests->len, ==, 3);

  run_clear (&run);
}

static void
test_timeout_connect (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestGateway) gateway = NULL;
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  g_autofree char *base_url = NULL;
  GpUploadResult *result;
  Run run;

  /* A socket that listens but never accepts: TCP connects (the kernel's
   * backlog), the TLS handshake never gets an answer. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base_url = g_strdup_printf ("https://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  gateway = test_gateway_new (base_url, "/ok");

  gp_uploader_set_connect_timeout_ms (uploader, 200);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  result = result_at (&run, 0);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TIMEOUT);
  g_assert_true (gp_upload_result_get_retryable (result));
  g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 3);
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "connect"));

  run_clear (&run);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestGateway) gateway = NULL;
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  g_autofree char *base_url = NULL;
  Run run;

  /* A port that was free a moment ago and has nobody listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base_url = g_strdup_printf ("https://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  gateway = test_gateway_new (base_url, "/ok");

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_NETWORK, GP_UPLOAD_CONNECTION_FAILED);
  g_assert_true (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 3);
  g_assert_cmpuint (gateway->n_built, ==, 3);

  run_clear (&run);
}

static void
test_connection_dropped (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/drop");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 2 * MiB);
  GpUploadResult *result;
  Run run;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  result = result_at (&run, 0);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_CONNECTION_DROPPED);
  g_assert_true (gp_upload_result_get_retryable (result));
  g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 3);
  g_assert_cmpuint (server->requests->len, ==, 3);
  for (guint i = 0; i < server->requests->len; i++)
    g_assert_false (((ServerRequest *) g_ptr_array_index (server->requests, i))->handled);

  run_clear (&run);
}

static void
test_file_changed (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 1 * MiB);
  Run run;

  gateway->change_after = 100 * KiB;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_CHECK, GP_CHECK_FILE_CHANGED);
  g_assert_false (gp_upload_result_get_retryable (result_at (&run, 0)));
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_cmpuint (gateway->n_built, ==, 1);
  g_assert_cmpuint (server->requests->len, <=, 1);
  if (server->requests->len == 1)
    g_assert_false (((ServerRequest *) g_ptr_array_index (server->requests, 0))->handled);

  run_clear (&run);
}

static void
test_file_gone (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  Run run;

  /* Checked, then deleted before its turn: nothing is sent. */
  g_assert_cmpint (g_unlink (gp_check_report_get_path (g_ptr_array_index (reports, 0))), ==, 0);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);

  assert_failure (result_at (&run, 0), GP_STAGE_CHECK, GP_CHECK_FILE_CHANGED);
  g_assert_cmpuint (gp_upload_result_get_attempts (result_at (&run, 0)), ==, 1);
  g_assert_cmpuint (server->requests->len, ==, 0);

  run_clear (&run);
}

/* TLS -------------------------------------------------------------------- */

static GpUploadResult *
upload_one_tls (Server     *server,
                GpUploader *uploader)
{
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  GpUploadResult *result;
  Run run;

  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);
  result = gp_upload_result_ref (result_at (&run, 0));
  run_clear (&run);

  return result;
}

static void
test_tls_trusted_ca (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GpUploader) bare = gp_uploader_new ();
  g_autoptr(GpUploadResult) result = NULL;

  /* With the test CA added: trusted. */
  result = upload_one_tls (server, uploader);
  g_assert_true (gp_upload_result_is_ok (result));
  g_clear_pointer (&result, gp_upload_result_unref);

  /* The system store alone does not know the test CA. */
  result = upload_one_tls (server, bare);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE);
  g_assert_cmpuint (server->requests->len, ==, 1);
}

static void
test_tls_untrusted (void)
{
  g_autoptr(Server) server = server_new_full ("untrusted", FALSE);
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GpUploadResult) result = upload_one_tls (server, uploader);
  const char *message = gp_upload_result_get_message (result);

  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE);
  g_assert_false (gp_upload_result_get_retryable (result));
  g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 1);
  g_assert_nonnull (strstr (message, "127.0.0.1"));
  g_assert_nonnull (strstr (message, "add that CA to the profile"));
  g_assert_cmpuint (server->requests->len, ==, 0);
}

static void
test_tls_hostname_mismatch (void)
{
  g_autoptr(Server) server = server_new_full ("wronghost", FALSE);
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GpUploadResult) result = upload_one_tls (server, uploader);

  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_HOSTNAME_MISMATCH);
  g_assert_false (gp_upload_result_get_retryable (result));
  g_assert_cmpuint (gp_upload_result_get_attempts (result), ==, 1);
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "127.0.0.1"));
  g_assert_cmpuint (server->requests->len, ==, 0);
}

static void
test_tls_expired (void)
{
  g_autoptr(Server) server = server_new_full ("expired", FALSE);
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GpUploadResult) result = upload_one_tls (server, uploader);

  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_CERTIFICATE_EXPIRED);
  g_assert_false (gp_upload_result_get_retryable (result));
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "2021-01-01"));
  g_assert_cmpuint (server->requests->len, ==, 0);
}

static void
test_tls_client_certificate (void)
{
  g_autoptr(Server) server = server_new_full ("server", TRUE);
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GTlsCertificate) client = load_certificate ("client");
  g_autoptr(GTlsCertificate) rogue = load_certificate ("rogue-client");
  g_autoptr(GpUploadResult) result = NULL;
  ServerRequest *r;

  /* Missing: a clear failure that says which certificate is needed. */
  result = upload_one_tls (server, uploader);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED);
  g_assert_false (gp_upload_result_get_retryable (result));
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "client_cert"));
  g_assert_cmpuint (server->requests->len, ==, 0);
  g_clear_pointer (&result, gp_upload_result_unref);

  /* Provided: accepted, and the server saw who we are. */
  gp_uploader_set_client_certificate (uploader, client);
  result = upload_one_tls (server, uploader);
  g_assert_true (gp_upload_result_is_ok (result));
  g_assert_cmpuint (server->requests->len, ==, 1);
  r = g_ptr_array_index (server->requests, 0);
  g_assert_nonnull (r->client_subject);
  g_assert_nonnull (strstr (r->client_subject, "1900000109"));
  g_clear_pointer (&result, gp_upload_result_unref);

  /* Not issued by the server's CA: refused before any request is read.
   * Under TLS 1.3 the client learns of it only as a dropped connection. */
  gp_uploader_set_client_certificate (uploader, rogue);
  result = upload_one_tls (server, uploader);
  g_assert_false (gp_upload_result_is_ok (result));
  g_assert_cmpint (gp_upload_result_get_stage (result), ==, GP_STAGE_NETWORK);
  if (g_str_equal (gp_upload_result_get_code (result), GP_UPLOAD_CONNECTION_DROPPED))
    g_assert_nonnull (strstr (gp_upload_result_get_message (result), "client certificate"));
  else
    g_assert_cmpstr (gp_upload_result_get_code (result), ==,
                     GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REJECTED);
  g_assert_cmpuint (server->requests->len, ==, 1);
}

/* A profile from JSON, its files relative to tests/data/tls. */
static GpProfile *
make_profile (const char *json)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "tls", NULL);
  g_autoptr(GError) error = NULL;
  GpProfile *profile;

  profile = gp_profile_new_from_data (json, -1, dir, &error);
  g_assert_no_error (error);

  return profile;
}

static GpUploadResult *
upload_one_with_profile (Server     *server,
                         GpUploader *uploader,
                         GpProfile  *profile)
{
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  GpUploadResult *result;
  Run run;

  run_init (&run, uploader);
  run.profile = profile;
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);
  result = gp_upload_result_ref (result_at (&run, 0));
  run_clear (&run);

  return result;
}

static void
test_profile_tls (void)
{
  g_autoptr(Server) server = server_new_full ("server", TRUE);
  g_autoptr(GpUploader) uploader = gp_uploader_new ();
  g_autoptr(GpProfile) v2 = NULL;
  g_autoptr(GpProfile) alipay = NULL;
  g_autoptr(GpProfile) no_ca = NULL;
  g_autoptr(GpUploadResult) result = NULL;
  ServerRequest *r;

  /* Everything from the profile: its CA, its client certificate. */
  v2 = make_profile ("{\"name\": \"Shop V2\", \"gateway\": \"wechatpay-v2\", "
                     "\"mch_id\": \"1900000109\", \"api_key\": \"test-api-key\", "
                     "\"ca_file\": \"ca.pem\", \"client_cert_file\": \"client.pem\", "
                     "\"client_key_file\": \"client.key\"}");
  result = upload_one_with_profile (server, uploader, v2);
  g_assert_true (gp_upload_result_is_ok (result));
  g_assert_cmpuint (server->requests->len, ==, 1);
  r = g_ptr_array_index (server->requests, 0);
  g_assert_nonnull (strstr (r->client_subject, "1900000109"));
  g_clear_pointer (&result, gp_upload_result_unref);

  /* A profile that trusts the CA but has no client certificate: the
   * message names the profile and what to add to it. */
  alipay = make_profile ("{\"name\": \"Shop A\", \"gateway\": \"alipay\", "
                         "\"app_id\": \"2021000000000000\", "
                         "\"private_key_file\": \"../keys/app.pkcs8.pem\", "
                         "\"alipay_public_key_file\": \"../keys/alipay.pub.pem\", "
                         "\"ca_file\": \"ca.pem\"}");
  result = upload_one_with_profile (server, uploader, alipay);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_CLIENT_CERTIFICATE_REQUIRED);
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "\"Shop A\""));
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "client_cert"));
  g_clear_pointer (&result, gp_upload_result_unref);

  /* Trust comes from the profile: without its ca_file the same server is
   * untrusted, even with a client certificate. */
  no_ca = make_profile ("{\"name\": \"Shop V2b\", \"gateway\": \"wechatpay-v2\", "
                        "\"mch_id\": \"1900000109\", \"api_key\": \"test-api-key\", "
                        "\"client_cert_file\": \"client.pem\", "
                        "\"client_key_file\": \"client.key\"}");
  result = upload_one_with_profile (server, uploader, no_ca);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_TLS_UNTRUSTED_CERTIFICATE);
  g_assert_cmpuint (server->requests->len, ==, 1);
}

static void
test_ca_pem_invalid (void)
{
  g_autoptr(GpUploader) uploader = gp_uploader_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (gp_uploader_set_extra_ca_pem (uploader, "not a certificate", &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_clear_error (&error);
  g_assert_false (gp_uploader_set_extra_ca_pem (uploader,
                                                "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                                "-----END CERTIFICATE-----\n", &error));
  g_assert_nonnull (error);
}

/* Journal ---------------------------------------------------------------- */

static void
test_journal (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (3, 100 * KiB);
  g_autoptr(TestJournal) journal = g_object_new (TEST_TYPE_JOURNAL, NULL);
  Run run;

  journal->server = server;
  gp_uploader_set_jobs (uploader, 1);
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, GP_UPLOAD_JOURNAL (journal), NULL);

  g_assert_cmpuint (journal->rows->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JournalRow *row = g_ptr_array_index (journal->rows, i);
      GpUploadResult *result = result_at (&run, i);

      g_assert_cmpstr (row->path, ==,
                       gp_check_report_get_path (g_ptr_array_index (reports, i)));
      /* begin: before the server saw anything of this file. */
      g_assert_cmpuint (row->server_requests_at_begin, ==, i);
      /* complete: after, with the very final result and its row id. */
      g_assert_cmpuint (row->server_requests_at_complete, ==, i + 1);
      g_assert_true (row->result == result);
      g_assert_true (gp_upload_result_is_ok (result));
      g_assert_cmpint (row->history_id_at_complete, ==, row->id);
      g_assert_cmpint (gp_upload_result_get_history_id (result), ==, row->id);
    }

  run_clear (&run);
}

static void
test_journal_retry (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/fail500");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = make_files (1, 10 * KiB);
  g_autoptr(TestJournal) journal = g_object_new (TEST_TYPE_JOURNAL, NULL);
  JournalRow *row;
  Run run;

  /* One row for the file, completed once with the last attempt's result. */
  journal->server = server;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, GP_UPLOAD_JOURNAL (journal), NULL);

  g_assert_cmpuint (journal->rows->len, ==, 1);
  row = g_ptr_array_index (journal->rows, 0);
  g_assert_true (row->result == result_at (&run, 0));
  g_assert_cmpuint (gp_upload_result_get_attempts (row->result), ==, 3);
  g_assert_cmpuint (row->server_requests_at_complete, ==, 3);

  run_clear (&run);
}

static void
test_journal_begin_fails (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = new_report_array ();
  g_autoptr(TestJournal) journal = g_object_new (TEST_TYPE_JOURNAL, NULL);
  GpUploadResult *result;
  Run run;

  g_ptr_array_add (reports, make_file ("no-history.jpg", 10 * KiB));
  g_ptr_array_add (reports, make_file ("fine.jpg", 10 * KiB));
  journal->server = server;
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, GP_UPLOAD_JOURNAL (journal), NULL);

  result = result_at (&run, 0);
  assert_failure (result, GP_STAGE_NETWORK, GP_UPLOAD_HISTORY_UNAVAILABLE);
  g_assert_false (gp_upload_result_get_retryable (result));
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "disk full (test)"));
  g_assert_nonnull (strstr (gp_upload_result_get_message (result), "not sent"));
  g_assert_cmpint (gp_upload_result_get_history_id (result), ==, -1);
  g_assert_cmpuint (journal->n_failed_begins, ==, 1);

  /* Nothing of that file went out; the other file went on normally. */
  g_assert_cmpuint (gateway->n_built, ==, 1);
  g_assert_cmpuint (server->requests->len, ==, 1);
  g_assert_cmpstr (((ServerRequest *) g_ptr_array_index (server->requests, 0))->file, ==,
                   "fine.jpg");
  g_assert_true (gp_upload_result_is_ok (result_at (&run, 1)));
  g_assert_cmpuint (journal->rows->len, ==, 1);

  run_clear (&run);
}

/* Streaming -------------------------------------------------------------- */

static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmHWM:")) != NULL)
    return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);

  {
    struct rusage usage;

    getrusage (RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
  }
}

static void
streaming_child (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(TestGateway) gateway = test_gateway_new (server->base_url, "/ok");
  g_autoptr(GpUploader) uploader = test_uploader_new ();
  g_autoptr(GPtrArray) reports = new_report_array ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "uploads", NULL);
  g_autofree char *path = g_build_filename (dir, "video.mp4", NULL);
  g_autoptr(GError) error = NULL;
  const guint64 size = 50 * MiB;
  guint64 before, after;
  ServerRequest *r;
  FILE *f;
  Run run;

  /* A sparse 50 MiB MP4 (by its magic bytes): nothing in memory to begin with. */
  g_mkdir_with_parents (dir, 0700);
  f = fopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpint (fwrite ("\0\0\0\x20" "ftypisom", 1, 12, f), ==, 12);
  g_assert_cmpint (ftruncate (fileno (f), size), ==, 0);
  fclose (f);
  g_ptr_array_add (reports, gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (g_ptr_array_index (reports, 0)));

  before = peak_rss_kib ();
  run_init (&run, uploader);
  run_upload (&run, GP_GATEWAY (gateway), reports, NULL, NULL);
  after = peak_rss_kib ();

  g_assert_true (gp_upload_result_is_ok (result_at (&run, 0)));
  r = g_ptr_array_index (server->requests, 0);
  g_assert_cmpint (r->content_length, ==, (gint64) size);
  g_assert_cmpuint (r->received, ==, size);
  g_assert_null (r->transfer_encoding);
  g_assert_cmpuint (run.progress_sum[0], ==, size);
  run_clear (&run);

  g_print ("peak-rss-kib before=%" G_GUINT64_FORMAT " after=%" G_GUINT64_FORMAT "\n",
           before, after);
  g_printerr ("# streaming 50 MiB: peak RSS %" G_GUINT64_FORMAT " KiB (before upload %"
              G_GUINT64_FORMAT " KiB)\n", after, before);
  /* Client and server both in this process, and still far below the file.
   * AddressSanitizer's shadow memory and redzones inflate both numbers, so
   * there only the growth during the upload is held to a bound. */
#ifdef __SANITIZE_ADDRESS__
  g_assert_cmpuint (after - before, <, 30 * 1024);
#else
  g_assert_cmpuint (after, <, 40 * 1024);
#endif
}

/* The upload runs in a child so that its peak RSS is its own. */
static void
test_streaming (void)
{
  if (g_test_subprocess ())
    {
      streaming_child ();
      return;
    }

#ifdef __SANITIZE_ADDRESS__
  {
    /* AddressSanitizer keeps up to 256 MiB of freed blocks in quarantine,
     * which measures ASan, not the uploader: the child runs without it. */
    const char *options = g_getenv ("ASAN_OPTIONS");
    g_autofree char *child_options = g_strconcat (options ? options : "",
                                                  options ? ":" : "",
                                                  "quarantine_size_mb=0", NULL);

    g_setenv ("ASAN_OPTIONS", child_options, TRUE);
  }
#endif

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*peak-rss-kib before=* after=*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/uploader/success", test_success);
  g_test_add_func ("/gatepost/uploader/jobs-default", test_jobs_default);
  g_test_add_func ("/gatepost/uploader/jobs-two", test_jobs_two);
  g_test_add_func ("/gatepost/uploader/retry-then-success", test_retry_then_success);
  g_test_add_func ("/gatepost/uploader/connection-reuse", test_connection_reuse);
  g_test_add_func ("/gatepost/uploader/tls/client-certificate-every-request",
                   test_client_certificate_every_request);
  g_test_add_func ("/gatepost/uploader/misdirected-not-resent",
                   test_misdirected_not_resent_by_libsoup);
  g_test_add_func ("/gatepost/uploader/no-retry", test_no_retry_when_not_retryable);
  g_test_add_func ("/gatepost/uploader/give-up-after-three", test_give_up_after_three);
  g_test_add_func ("/gatepost/uploader/cancel-batch", test_cancel_batch);
  g_test_add_func ("/gatepost/uploader/cancel-one-file", test_cancel_one_file);
  g_test_add_func ("/gatepost/uploader/response-cap-length", test_response_cap_length);
  g_test_add_func ("/gatepost/uploader/response-cap-chunked", test_response_cap_chunked);
  g_test_add_func ("/gatepost/uploader/timeout-no-answer", test_timeout_no_answer);
  g_test_add_func ("/gatepost/uploader/timeout-connect", test_timeout_connect);
  g_test_add_func ("/gatepost/uploader/connection-refused", test_connection_refused);
  g_test_add_func ("/gatepost/uploader/connection-dropped", test_connection_dropped);
  g_test_add_func ("/gatepost/uploader/file-changed", test_file_changed);
  g_test_add_func ("/gatepost/uploader/file-gone", test_file_gone);
  g_test_add_func ("/gatepost/uploader/tls/trusted-ca", test_tls_trusted_ca);
  g_test_add_func ("/gatepost/uploader/tls/untrusted", test_tls_untrusted);
  g_test_add_func ("/gatepost/uploader/tls/hostname-mismatch", test_tls_hostname_mismatch);
  g_test_add_func ("/gatepost/uploader/tls/expired", test_tls_expired);
  g_test_add_func ("/gatepost/uploader/tls/client-certificate", test_tls_client_certificate);
  g_test_add_func ("/gatepost/uploader/tls/ca-pem-invalid", test_ca_pem_invalid);
  g_test_add_func ("/gatepost/uploader/tls/profile", test_profile_tls);
  g_test_add_func ("/gatepost/uploader/journal", test_journal);
  g_test_add_func ("/gatepost/uploader/journal-retry", test_journal_retry);
  g_test_add_func ("/gatepost/uploader/journal-begin-fails", test_journal_begin_fails);
  g_test_add_func ("/gatepost/uploader/streaming", test_streaming);

  return g_test_run ();
}
