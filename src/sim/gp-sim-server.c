/* gp-sim-server.c: gatepost-sim's HTTPS servers, fault registry and control endpoint
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-sim-server.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "gp-gateway-info.h"
#include "gp-sim-private.h"

#define OVERSIZED_BYTES (1024 * 1024 + 65536)
/* GET /_sim/uploads keeps the most recent requests only, so that a
 * long-running Sandbox simulator does not grow without bound. */
#define MAX_RECORDS 1000

typedef struct
{
  GpSimFaultMode mode;
  gint64         remaining;  /* -1: every matching request */
  GpGatewayKind  gateway;    /* GP_GATEWAY_INVALID: any */
  guint          seconds;    /* delay */
} Fault;

struct _GpSimServer
{
  GpSimFixtures *fx;
  SoupServer    *main;
  SoupServer    *v2;
  char          *base_url;
  char          *v2_base_url;
  GPtrArray     *faults;     /* Fault */
  GPtrArray     *uploads;    /* JsonNode (object) */
  gint64         alipay_skew;
  guint          n_connections;
};

/* What the simulator knows of one TLS connection, kept on its GSocket. */
typedef struct
{
  guint            id;
  GTlsCertificate *peer_certificate;
} Connection;

typedef struct
{
  GByteArray *data;
  gboolean    overflow;
} Body;

static const char *const fault_names[GP_SIM_N_FAULTS] = {
  [GP_SIM_FAULT_NONE] = "none",
  [GP_SIM_FAULT_BAD_SIGNATURE] = "bad-signature",
  [GP_SIM_FAULT_MISSING_SIGNATURE] = "missing-signature",
  [GP_SIM_FAULT_WRONG_SERIAL] = "wrong-serial",
  [GP_SIM_FAULT_STALE_TIMESTAMP] = "stale-timestamp",
  [GP_SIM_FAULT_HTTP_500] = "http-500",
  [GP_SIM_FAULT_HTTP_429] = "http-429",
  [GP_SIM_FAULT_SYSTEM_ERROR] = "system-error",
  [GP_SIM_FAULT_FREQUENCY_LIMITED] = "frequency-limited",
  [GP_SIM_FAULT_DELAY] = "delay",
  [GP_SIM_FAULT_DROP] = "drop",
  [GP_SIM_FAULT_MALFORMED] = "malformed",
  [GP_SIM_FAULT_OVERSIZED] = "oversized",
  [GP_SIM_FAULT_XML_EXTERNAL_ENTITY] = "xml-external-entity",
  [GP_SIM_FAULT_XML_BILLION_LAUGHS] = "xml-billion-laughs",
  [GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE] = "alipay-error-response",
  [GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE] = "alipay-duplicate-node",
  [GP_SIM_FAULT_UNSIGNED_401] = "unsigned-401",
  [GP_SIM_FAULT_MISDIRECTED_421] = "misdirected-421",
};

const char *
gp_sim_fault_to_string (GpSimFaultMode mode)
{
  g_assert (mode < GP_SIM_N_FAULTS);
  return fault_names[mode];
}

GpSimFaultMode
gp_sim_fault_from_string (const char *name)
{
  for (guint i = 1; i < GP_SIM_N_FAULTS; i++)
    if (g_strcmp0 (name, fault_names[i]) == 0)
      return i;
  return GP_SIM_FAULT_NONE;
}

gboolean
gp_sim_fault_applies (GpSimFaultMode mode,
                      GpGatewayKind  kind)
{
  gboolean wechat = kind == GP_GATEWAY_WECHATPAY_V3 || kind == GP_GATEWAY_WECHATPAY_GLOBAL;

  switch (mode)
    {
    case GP_SIM_FAULT_WRONG_SERIAL:
    case GP_SIM_FAULT_STALE_TIMESTAMP:
    case GP_SIM_FAULT_UNSIGNED_401:
      return wechat;
    case GP_SIM_FAULT_XML_EXTERNAL_ENTITY:
    case GP_SIM_FAULT_XML_BILLION_LAUGHS:
      return kind == GP_GATEWAY_WECHATPAY_V2;
    case GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE:
    case GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE:
      return kind == GP_GATEWAY_ALIPAY;
    case GP_SIM_FAULT_FREQUENCY_LIMITED:
      return kind != GP_GATEWAY_ALIPAY;
    case GP_SIM_FAULT_NONE:
      return FALSE;
    case GP_SIM_FAULT_BAD_SIGNATURE:
    case GP_SIM_FAULT_MISSING_SIGNATURE:
    case GP_SIM_FAULT_HTTP_500:
    case GP_SIM_FAULT_HTTP_429:
    case GP_SIM_FAULT_SYSTEM_ERROR:
    case GP_SIM_FAULT_DELAY:
    case GP_SIM_FAULT_DROP:
    case GP_SIM_FAULT_MALFORMED:
    case GP_SIM_FAULT_OVERSIZED:
    case GP_SIM_FAULT_MISDIRECTED_421:
    case GP_SIM_N_FAULTS:
    default:
      return TRUE;
    }
}

static gboolean
add_fault (GpSimServer    *self,
           const char     *mode_name,
           gint64          count,
           const char     *gateway,
           guint           seconds,
           GError        **error)
{
  Fault *f;
  GpSimFaultMode mode = gp_sim_fault_from_string (mode_name);
  GpGatewayKind kind = GP_GATEWAY_INVALID;

  if (mode == GP_SIM_FAULT_NONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown fault mode “%s”; see gatepost-sim --help", mode_name);
      return FALSE;
    }
  if (gateway != NULL && *gateway != '\0')
    {
      kind = gp_gateway_kind_from_string (gateway);
      if (kind == GP_GATEWAY_INVALID)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown gateway “%s” (use alipay, wechatpay-v2, wechatpay-v3 "
                       "or wechatpay-global)", gateway);
          return FALSE;
        }
      if (!gp_sim_fault_applies (mode, kind))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault “%s” does not apply to %s", mode_name, gateway);
          return FALSE;
        }
    }
  if (count == 0 || count < -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The fault count must be a positive number");
      return FALSE;
    }
  f = g_new0 (Fault, 1);
  f->mode = mode;
  f->remaining = count;
  f->gateway = kind;
  f->seconds = mode == GP_SIM_FAULT_DELAY && seconds == 0 ? 5 : seconds;
  g_ptr_array_add (self->faults, f);
  return TRUE;
}

/* MODE[=SECONDS][:COUNT][@GATEWAY], e.g. "http-429:2", "delay=3",
 * "bad-signature:1@alipay". */
gboolean
gp_sim_server_add_fault_spec (GpSimServer  *self,
                              const char   *spec,
                              GError      **error)
{
  g_autofree char *copy = g_strdup (spec);
  char *gateway = strchr (copy, '@');
  char *count_s;
  char *seconds_s;
  gint64 count = -1;
  guint64 seconds = 0;

  if (gateway != NULL)
    *gateway++ = '\0';
  count_s = strchr (copy, ':');
  if (count_s != NULL)
    {
      *count_s++ = '\0';
      if (!g_ascii_string_to_signed (count_s, 10, 1, G_MAXINT32, &count, error))
        return FALSE;
    }
  seconds_s = strchr (copy, '=');
  if (seconds_s != NULL)
    {
      *seconds_s++ = '\0';
      if (!g_ascii_string_to_unsigned (seconds_s, 10, 0, 3600, &seconds, error))
        return FALSE;
    }
  return add_fault (self, copy, count, gateway, (guint) seconds, error);
}

static GpSimFaultMode
take_fault (GpSimServer   *self,
            GpGatewayKind  kind,
            guint         *seconds)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);
      GpSimFaultMode mode = f->mode;

      if (f->gateway != GP_GATEWAY_INVALID && f->gateway != kind)
        continue;
      if (!gp_sim_fault_applies (f->mode, kind))
        continue;
      *seconds = f->seconds;
      if (f->remaining > 0 && --f->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      return mode;
    }
  return GP_SIM_FAULT_NONE;
}

void
gp_sim_server_set_alipay_skew (GpSimServer *self,
                               gint64       seconds)
{
  self->alipay_skew = seconds;
}

gint64
gp_sim_server_get_alipay_skew (GpSimServer *self)
{
  return self->alipay_skew;
}

/* ---- exchange helpers ---------------------------------------------------- */

void
gp_sim_exchange_set_reply (GpSimExchange *ex,
                           guint          status,
                           const char    *content_type,
                           const char    *body)
{
  ex->status = status;
  g_free (ex->content_type);
  ex->content_type = g_strdup (content_type);
  g_string_assign (ex->reply, body);
}

void
gp_sim_exchange_add_header (GpSimExchange *ex,
                            const char    *name,
                            const char    *value)
{
  gp_sim_params_add (ex->headers, name, value);
}

void
gp_sim_exchange_set_result (GpSimExchange *ex,
                            const char    *code,
                            const char    *message)
{
  g_free (ex->code);
  g_free (ex->message);
  ex->code = g_strdup (code);
  ex->message = g_strdup (message);
}

void
gp_sim_json_escape (GString    *out,
                    const char *text,
                    gboolean    escape_slash)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '/':
          g_string_append (out, escape_slash ? "\\/" : "/");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
}

/* Deterministic IDs: the same file always gets the same ID from the same
 * gateway. Returns base64url (no padding) of n_bytes of
 * SHA-256("<gateway>:<sha256 hex>"). */
char *
gp_sim_media_token (const char *gateway,
                    const char *sha256,
                    gsize       n_bytes)
{
  g_autofree char *seed = g_strconcat (gateway, ":", sha256, NULL);
  guint8 digest[32];
  char *b64;

  g_assert (n_bytes <= sizeof digest);
  gnutls_hash_fast (GNUTLS_DIG_SHA256, seed, strlen (seed), digest);
  b64 = g_base64_encode (digest, n_bytes);
  for (char *p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return b64;
}

static void
exchange_free (GpSimExchange *ex)
{
  g_free (ex->content_type);
  g_string_free (ex->reply, TRUE);
  g_ptr_array_unref (ex->headers);
  g_free (ex->wechat_serial);
  g_free (ex->code);
  g_free (ex->message);
  g_free (ex->filename);
  g_free (ex->sha256);
  g_free (ex->media_id);
  g_clear_object (&ex->peer_certificate);
  g_clear_object (&ex->msg);
  g_free (ex);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSimExchange, exchange_free)

/* v3/Global: Wechatpay-* headers over "<ts>\n<nonce>\n<body>\n"
 * (PROTOCOLS.md 3.3), computed on the final body. */
static void
sign_wechat_reply (GpSimExchange *ex)
{
  g_autofree char *nonce = NULL;
  g_autofree char *ts = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  guint8 raw[16];
  SoupMessageHeaders *h = soup_server_message_get_response_headers (ex->msg);

  if (ex->wechat_key == NULL)
    return;
  gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw);
  nonce = gp_sim_hex (raw, sizeof raw, TRUE);
  ts = g_strdup_printf ("%" G_GINT64_FORMAT, ex->now + ex->wechat_ts_offset);
  g_string_append_printf (message, "%s\n%s\n", ts, nonce);
  g_string_append_len (message, ex->reply->str, ex->reply->len);
  g_string_append_c (message, '\n');
  if (ex->wechat_bad_signature)
    g_string_append (message, "tampered");
  signature = gp_sim_rsa_sign (ex->wechat_key, message->str, message->len, NULL);
  soup_message_headers_replace (h, "Wechatpay-Timestamp", ts);
  soup_message_headers_replace (h, "Wechatpay-Nonce", nonce);
  if (signature != NULL && !ex->wechat_no_signature)
    soup_message_headers_replace (h, "Wechatpay-Signature", signature);
  soup_message_headers_replace (h, "Wechatpay-Serial", ex->wechat_serial);
  soup_message_headers_replace (h, "Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
}

static void
record_upload (GpSimServer   *self,
               GpSimExchange *ex,
               const char    *request_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "gateway");
  json_builder_add_string_value (b, gp_gateway_kind_to_string (ex->kind));
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, ex->status);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, ex->code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, ex->message);
  json_builder_set_member_name (b, "fault");
  json_builder_add_string_value (b, ex->fault != GP_SIM_FAULT_NONE
                                      ? gp_sim_fault_to_string (ex->fault) : NULL);
  json_builder_set_member_name (b, "filename");
  json_builder_add_string_value (b, ex->filename);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, ex->file_size);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, ex->sha256);
  json_builder_set_member_name (b, "media_id");
  json_builder_add_string_value (b, ex->media_id);
  json_builder_set_member_name (b, "body_size");
  json_builder_add_int_value (b, ex->body_len);
  json_builder_set_member_name (b, "connection");
  json_builder_add_int_value (b, ex->connection);
  json_builder_set_member_name (b, "client_certificate");
  json_builder_add_boolean_value (b, ex->peer_certificate != NULL);
  json_builder_end_object (b);
  if (self->uploads->len >= MAX_RECORDS)
    g_ptr_array_remove_index (self->uploads, 0);
  g_ptr_array_add (self->uploads, json_builder_get_root (b));
}

static void
send_reply (GpSimExchange *ex)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (ex->msg);

  for (guint i = 0; i < ex->headers->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (ex->headers, i);

      soup_message_headers_replace (h, p->name, p->value);
    }
  soup_server_message_set_status (ex->msg, ex->status, NULL);
  soup_server_message_set_response (ex->msg, ex->content_type, SOUP_MEMORY_COPY,
                                    ex->reply->str, ex->reply->len);
}

static gboolean
delayed_reply_cb (gpointer data)
{
  GpSimExchange *ex = data;

  send_reply (ex);
  soup_server_message_unpause (ex->msg);
  exchange_free (ex);
  return G_SOURCE_REMOVE;
}

/* Announces the whole reply, sends half of it, then closes the connection. */
static void
drop_connection (GpSimExchange *ex)
{
  g_autoptr(GIOStream) conn = soup_server_message_steal_connection (ex->msg);
  g_autoptr(GString) raw = g_string_new (NULL);
  GOutputStream *out;

  if (conn == NULL)
    return;
  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\nContent-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          ex->status, soup_status_get_phrase (ex->status), ex->content_type,
                          ex->reply->len);
  g_string_append_len (raw, ex->reply->str, ex->reply->len / 2);
  out = g_io_stream_get_output_stream (conn);
  g_output_stream_write_all (out, raw->str, raw->len, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (conn, NULL, NULL);
}

static void
reply_simple (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static GpGatewayKind
kind_for_path (const char *path)
{
  for (int k = 0; k < GP_N_GATEWAYS; k++)
    if (g_str_equal (path, gp_gateway_info (k)->path))
      return k;
  return GP_GATEWAY_INVALID;
}

static gboolean
check_request (GpSimExchange *ex)
{
  switch (ex->kind)
    {
    case GP_GATEWAY_ALIPAY:
      return gp_sim_alipay_check (ex);
    case GP_GATEWAY_WECHATPAY_V2:
      return gp_sim_v2_check (ex);
    case GP_GATEWAY_WECHATPAY_V3:
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      return gp_sim_v3_check (ex);
    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_assert_not_reached ();
    }
}

/* The success reply of a valid request, shaped by its fault (if any). */
static void
build_reply (GpSimExchange *ex)
{
  switch (ex->kind)
    {
    case GP_GATEWAY_ALIPAY:
      gp_sim_alipay_reply (ex);
      break;
    case GP_GATEWAY_WECHATPAY_V2:
      gp_sim_v2_reply (ex);
      break;
    case GP_GATEWAY_WECHATPAY_V3:
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      gp_sim_v3_reply (ex);
      break;
    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_assert_not_reached ();
    }
  if (ex->fault == GP_SIM_FAULT_MALFORMED)
    g_string_truncate (ex->reply, ex->reply->len / 2);
  else if (ex->fault == GP_SIM_FAULT_OVERSIZED)
    {
      /* Trailing whitespace keeps the document well-formed: only the size
       * is wrong. */
      while (ex->reply->len <= OVERSIZED_BYTES)
        g_string_append (ex->reply, "                                                 \n");
    }
}

static void
connection_free (gpointer data)
{
  Connection *c = data;

  g_clear_object (&c->peer_certificate);
  g_free (c);
}

/* The connection a request came on, numbered in order of first request.
 * A client certificate authenticates the TLS connection, so every request
 * on it carries it; libsoup's server only hands it to the first message of
 * a kept-alive connection, so it is remembered here for the later ones. */
static void
exchange_set_connection (GpSimExchange *ex)
{
  GSocket *socket = soup_server_message_get_socket (ex->msg);
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (ex->msg);
  Connection *c = NULL;

  if (socket != NULL)
    c = g_object_get_data (G_OBJECT (socket), "gp-sim-connection");
  if (socket != NULL && c == NULL)
    {
      c = g_new0 (Connection, 1);
      c->id = ++ex->server->n_connections;
      g_object_set_data_full (G_OBJECT (socket), "gp-sim-connection", c, connection_free);
    }
  if (c != NULL && peer != NULL)
    g_set_object (&c->peer_certificate, peer);
  if (c != NULL && peer == NULL)
    peer = c->peer_certificate;

  ex->connection = c != NULL ? c->id : 0;
  g_set_object (&ex->peer_certificate, peer);
}

static GpSimExchange *
exchange_new (GpSimServer       *self,
              SoupServerMessage *msg,
              const char        *path,
              Body              *body)
{
  GpSimExchange *ex = g_new0 (GpSimExchange, 1);

  ex->server = self;
  ex->fx = self->fx;
  ex->msg = g_object_ref (msg);
  ex->kind = kind_for_path (path);
  ex->now = g_get_real_time () / G_USEC_PER_SEC;
  ex->reply = g_string_new (NULL);
  ex->headers = gp_sim_params_new ();
  ex->body = body != NULL ? body->data->data : NULL;
  ex->body_len = body != NULL ? body->data->len : 0;
  ex->status = SOUP_STATUS_OK;
  exchange_set_connection (ex);
  return ex;
}

static void
gateway_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GpSimServer *self = user_data;
  Body *body = g_object_get_data (G_OBJECT (msg), "gp-sim-body");
  g_autoptr(GpSimExchange) ex = exchange_new (self, msg, path, body);
  g_autofree char *request_id = NULL;
  guint8 raw[12];
  guint seconds = 0;

  gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw);
  request_id = gp_sim_hex (raw, sizeof raw, TRUE);
  gp_sim_exchange_add_header (ex, "Request-ID", request_id);

  if ((ex->kind == GP_GATEWAY_WECHATPAY_V2) != (server == self->v2))
    {
      reply_simple (msg, SOUP_STATUS_NOT_FOUND, "text/plain",
                    "Not found on this port: WeChat Pay v2 is served on the v2 port "
                    "(client certificate required), the other gateways on the main port.\n");
      return;
    }
  if (body != NULL && body->overflow)
    {
      gp_sim_exchange_set_reply (ex, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "text/html",
                                 "<html><head><title>413 Request Entity Too Large</title></head>"
                                 "<body><h1>413 Request Entity Too Large</h1></body></html>");
      gp_sim_exchange_set_result (ex, "REQUEST_ENTITY_TOO_LARGE", "request body over the cap");
      record_upload (self, ex, request_id);
      send_reply (ex);
      return;
    }

  /* Faults only hit requests that pass every check. */
  if (check_request (ex))
    {
      ex->fault = take_fault (self, ex->kind, &seconds);
      build_reply (ex);
    }
  /* HTTP 421: "not processed here, try another connection"; nothing is
   * stored, so no media ID. */
  if (ex->fault == GP_SIM_FAULT_MISDIRECTED_421)
    {
      gp_sim_exchange_set_reply (ex, SOUP_STATUS_MISDIRECTED_REQUEST, "text/plain",
                                 "Misdirected Request\n");
      gp_sim_exchange_set_result (ex, "HTTP_421", NULL);
      g_clear_pointer (&ex->media_id, g_free);
    }
  sign_wechat_reply (ex);
  record_upload (self, ex, request_id);

  if (ex->fault == GP_SIM_FAULT_DROP)
    drop_connection (ex);
  else if (ex->fault == GP_SIM_FAULT_DELAY)
    {
      soup_server_message_pause (msg);
      g_timeout_add (seconds * 1000, delayed_reply_cb, g_steal_pointer (&ex));
    }
  else
    send_reply (ex);
}

/* ---- control endpoint ---------------------------------------------------- */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  reply_simple (msg, status, "application/json", text);
}

static void
reply_control_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  reply_json (msg, status, node);
}

static JsonNode *
faults_to_json (GpSimServer *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "faults");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, gp_sim_fault_to_string (f->mode));
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, f->remaining);
      json_builder_set_member_name (b, "gateway");
      json_builder_add_string_value (b, f->gateway == GP_GATEWAY_INVALID
                                          ? NULL : gp_gateway_kind_to_string (f->gateway));
      json_builder_set_member_name (b, "seconds");
      json_builder_add_int_value (b, f->seconds);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
control_faults (GpSimServer       *self,
                SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) out = NULL;

  if (g_str_equal (method, "DELETE"))
    g_ptr_array_set_size (self->faults, 0);
  else if (g_str_equal (method, "POST"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      Body *body = g_object_get_data (G_OBJECT (msg), "gp-sim-body");
      JsonObject *obj;

      if (body == NULL
          || !json_parser_load_from_data (parser, (const char *) body->data->data,
                                          body->data->len, &error)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          reply_control_error (msg, SOUP_STATUS_BAD_REQUEST,
                               "Expected a JSON object {\"mode\": …, \"count\": N, "
                               "\"gateway\": …, \"seconds\": N}");
          return;
        }
      obj = json_node_get_object (json_parser_get_root (parser));
      if (!add_fault (self, json_object_get_string_member_with_default (obj, "mode", ""),
                      json_object_get_int_member_with_default (obj, "count", -1),
                      json_object_get_string_member_with_default (obj, "gateway", NULL),
                      json_object_get_int_member_with_default (obj, "seconds", 0),
                      &error))
        {
          reply_control_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }
    }
  else if (!g_str_equal (method, "GET"))
    {
      reply_control_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET, POST or DELETE");
      return;
    }
  out = faults_to_json (self);
  reply_json (msg, SOUP_STATUS_OK, out);
}

static void
control_uploads (GpSimServer       *self,
                 SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonArray) arr = json_array_new ();

  if (g_str_equal (method, "DELETE"))
    g_ptr_array_set_size (self->uploads, 0);
  else if (!g_str_equal (method, "GET"))
    {
      reply_control_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET or DELETE");
      return;
    }
  for (guint i = 0; i < self->uploads->len; i++)
    json_array_add_element (arr, json_node_copy (g_ptr_array_index (self->uploads, i)));
  json_object_set_array_member (obj, "uploads", g_steal_pointer (&arr));
  json_node_set_object (root, obj);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
control_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GpSimServer *self = user_data;

  if (g_str_equal (path, "/_sim/faults"))
    control_faults (self, msg);
  else if (g_str_equal (path, "/_sim/uploads"))
    control_uploads (self, msg);
  else
    reply_control_error (msg, SOUP_STATUS_NOT_FOUND,
                         "Known control paths: /_sim/faults, /_sim/uploads");
}

static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  reply_simple (msg, SOUP_STATUS_NOT_FOUND, "text/plain",
                "gatepost-sim: unknown path. Gateways: /gateway.do, "
                "/v3/merchant-service/images/upload, /v3/global/merchant-storage/file/upload "
                "(main port), /secapi/mch/uploadmedia (v2 port).\n");
}

/* ---- bodies and TLS ------------------------------------------------------ */

static void
body_free (gpointer data)
{
  Body *body = data;

  g_byte_array_unref (body->data);
  g_free (body);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Body *body = user_data;
  goffset length = soup_message_headers_get_content_length (
    soup_server_message_get_request_headers (msg));

  if (length > GP_SIM_MAX_BODY)
    body->overflow = TRUE;
}

/* Bodies are collected here instead of by libsoup so that the cap holds
 * whatever the client announces. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Body *body = user_data;
  gsize n = g_bytes_get_size (chunk);

  if (body->overflow || body->data->len + n > GP_SIM_MAX_BODY)
    {
      body->overflow = TRUE;
      return;
    }
  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), n);
}

/* GIO asks about every client certificate, even one without errors; only
 * certificates issued by the simulator's CA pass (ENVIRONMENT.md 7). */
static gboolean
accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return errors == 0;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GpSimServer *self = user_data;
  Body *body = g_new0 (Body, 1);

  body->data = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), "gp-sim-body", body, body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), body);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), body);
  if (server == self->v2)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
}

GpSimServer *
gp_sim_server_new (GpSimFixtures *fixtures)
{
  GpSimServer *self = g_new0 (GpSimServer, 1);

  self->fx = fixtures;
  self->faults = g_ptr_array_new_with_free_func (g_free);
  self->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->alipay_skew = 600;
  return self;
}

static SoupServer *
make_server (GpSimServer           *self,
             GTlsAuthenticationMode  mode)
{
  SoupServer *server = soup_server_new ("tls-certificate", self->fx->server_certificate,
                                        "tls-database", self->fx->ca_database,
                                        "tls-auth-mode", mode,
                                        "server-header", "gatepost-sim",
                                        NULL);

  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (server, NULL, default_cb, self, NULL);
  return server;
}

static char *
listen_one (SoupServer  *server,
            guint        port,
            GError     **error)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, port);
  GSList *uris;
  char *url = NULL;

  if (!soup_server_listen (server, addr, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;
  uris = soup_server_get_uris (server);
  if (uris != NULL)
    url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

gboolean
gp_sim_server_listen (GpSimServer  *self,
                      guint         port,
                      guint         v2_port,
                      GError      **error)
{
  /* v2: the client certificate is requested and must chain to the CA; a
   * request without one gets the documented INVALID_REQUEST reply. */
  self->main = make_server (self, G_TLS_AUTHENTICATION_NONE);
  self->v2 = make_server (self, G_TLS_AUTHENTICATION_REQUESTED);
  for (int k = 0; k < GP_N_GATEWAYS; k++)
    soup_server_add_handler (k == GP_GATEWAY_WECHATPAY_V2 ? self->v2 : self->main,
                             gp_gateway_info (k)->path, gateway_cb, self, NULL);
  soup_server_add_handler (self->main, "/_sim", control_cb, self, NULL);

  self->base_url = listen_one (self->main, port, error);
  if (self->base_url == NULL)
    return FALSE;
  self->v2_base_url = listen_one (self->v2, v2_port, error);
  return self->v2_base_url != NULL;
}

const char *
gp_sim_server_get_base_url (GpSimServer *self)
{
  return self->base_url;
}

const char *
gp_sim_server_get_v2_base_url (GpSimServer *self)
{
  return self->v2_base_url;
}

void
gp_sim_server_free (GpSimServer *self)
{
  if (self == NULL)
    return;
  if (self->main != NULL)
    soup_server_disconnect (self->main);
  if (self->v2 != NULL)
    soup_server_disconnect (self->v2);
  g_clear_object (&self->main);
  g_clear_object (&self->v2);
  g_free (self->base_url);
  g_free (self->v2_base_url);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->uploads);
  g_free (self);
}
