/* test-sim-server.c: the real gatepost-sim binary over loopback TLS
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are hand-built here with GnuTLS and libsoup (a minimal builder
 * local to this test), never with the client's drivers or signer.
 */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define ROOT "alipay_offline_material_image_upload_response"
#define V3_PATH "/v3/merchant-service/images/upload"
#define GLOBAL_PATH "/v3/global/merchant-storage/file/upload"
#define BOUNDARY "gatepost-test-0123456789abcdef"

typedef struct
{
  char             *dir;
  GSubprocess      *proc;
  char             *base_url;
  char             *v2_base_url;
  SoupSession      *session;
  char             *app_id;
  char             *v2_mch_id;
  char             *v3_mch_id;
  char             *serial_no;
  char             *pub_key_id;
  char             *platform_serial;
  char             *api_key;
  gnutls_privkey_t  app_key;
  gnutls_pubkey_t   alipay_pub;
  gnutls_privkey_t  merchant_key;
  gnutls_pubkey_t   wechat_pub;
  gnutls_pubkey_t   platform_pub;
  GTlsCertificate  *v2_cert;
} Sim;

static Sim sim;

static GSubprocess *spawn_sim (GError **error,
                               ...) G_GNUC_NULL_TERMINATED;

/* a small JPEG-magic payload, distinct per call site */
static const guint8 jpeg[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xd9, 't', 'e', 's', 't',
};
static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/* ---- small crypto helpers, GnuTLS only ----------------------------------- */

static char *
fixture (const char *name)
{
  return g_build_filename (sim.dir, name, NULL);
}

static gnutls_privkey_t
load_key (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_datum_t d;
  gnutls_privkey_t key;

  g_assert_true (g_file_get_contents (path, &pem, &len, NULL));
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_privkey_init (&key);
  g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &d, GNUTLS_X509_FMT_PEM, NULL, 0), >=, 0);
  return key;
}

static gnutls_x509_crt_t
load_crt (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_datum_t d;
  gnutls_x509_crt_t crt;

  g_assert_true (g_file_get_contents (path, &pem, &len, NULL));
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &d, GNUTLS_X509_FMT_PEM), >=, 0);
  return crt;
}

static gnutls_pubkey_t
load_pub (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_datum_t d;
  gnutls_pubkey_t key;

  g_assert_true (g_file_get_contents (path, &pem, &len, NULL));
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_pubkey_init (&key);
  if (strstr (pem, "CERTIFICATE") != NULL)
    {
      gnutls_x509_crt_t crt = load_crt (name);

      g_assert_cmpint (gnutls_pubkey_import_x509 (key, crt, 0), >=, 0);
      gnutls_x509_crt_deinit (crt);
    }
  else
    g_assert_cmpint (gnutls_pubkey_import (key, &d, GNUTLS_X509_FMT_PEM), >=, 0);
  return key;
}

static char *
rsa_sign (gnutls_privkey_t  key,
          const char       *data,
          gsize             len)
{
  gnutls_datum_t in = { (unsigned char *) data, len };
  gnutls_datum_t sig;
  char *out;

  g_assert_cmpint (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &in, &sig), >=, 0);
  out = g_base64_encode (sig.data, sig.size);
  gnutls_free (sig.data);
  return out;
}

static gboolean
rsa_verify (gnutls_pubkey_t  key,
            const char      *data,
            gsize            len,
            const char      *b64)
{
  gsize sig_len = 0;
  g_autofree guchar *sig = NULL;
  gnutls_datum_t in = { (unsigned char *) data, len };
  gnutls_datum_t s;

  if (b64 == NULL)
    return FALSE;
  sig = g_base64_decode (b64, &sig_len);
  s.data = sig;
  s.size = sig_len;
  return gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_RSA_SHA256, 0, &in, &s) >= 0;
}

static char *
hex_digest (gnutls_digest_algorithm_t algo,
            const void               *data,
            gsize                     len)
{
  guint8 buf[64];
  GString *out = g_string_new (NULL);

  gnutls_hash_fast (algo, data, len, buf);
  for (guint i = 0; i < gnutls_hash_get_len (algo); i++)
    g_string_append_printf (out, "%02x", buf[i]);
  return g_string_free (out, FALSE);
}

/* k=v sorted by name, empties skipped: a second, test-local implementation */
static char *
sorted_join (const char *const *pairs)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    if (pairs[i + 1] != NULL && pairs[i + 1][0] != '\0')
      g_ptr_array_add (kept, (gpointer) (pairs + i));
  for (guint i = 0; i < kept->len; i++)
    for (guint j = i + 1; j < kept->len; j++)
      if (strcmp (*(const char **) kept->pdata[i], *(const char **) kept->pdata[j]) > 0)
        {
          gpointer t = kept->pdata[i];

          kept->pdata[i] = kept->pdata[j];
          kept->pdata[j] = t;
        }
  for (guint i = 0; i < kept->len; i++)
    {
      const char **kv = kept->pdata[i];

      g_string_append_printf (out, "%s%s=%s", i ? "&" : "", kv[0], kv[1]);
    }
  return g_string_free (out, FALSE);
}

/* ---- HTTP helpers -------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *filename;
  const char *content_type;
  const void *data;
  gssize      len;
} Part;

static GBytes *
multipart (const Part *parts,
           guint       n)
{
  GByteArray *b = g_byte_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) h = g_string_new (NULL);
      gsize len = parts[i].len < 0 ? strlen (parts[i].data) : (gsize) parts[i].len;

      g_string_append_printf (h, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"",
                              parts[i].name);
      if (parts[i].filename != NULL)
        g_string_append_printf (h, "; filename=\"%s\"", parts[i].filename);
      g_string_append (h, "\r\n");
      if (parts[i].content_type != NULL)
        g_string_append_printf (h, "Content-Type: %s\r\n", parts[i].content_type);
      g_string_append (h, "\r\n");
      g_byte_array_append (b, (const guint8 *) h->str, h->len);
      g_byte_array_append (b, parts[i].data, len);
      g_byte_array_append (b, (const guint8 *) "\r\n", 2);
    }
  g_byte_array_append (b, (const guint8 *) "--" BOUNDARY "--\r\n", strlen ("--" BOUNDARY "--\r\n"));
  return g_byte_array_free_to_bytes (b);
}

typedef struct
{
  SoupMessage *msg;
  guint        status;
  GBytes      *body;
  char        *text;
  GError      *error;
  gint64       elapsed_ms;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_object (&r->msg);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->text);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Reply *
send (SoupMessage *msg)
{
  Reply *r = g_new0 (Reply, 1);
  gint64 start = g_get_monotonic_time ();

  r->msg = msg;
  r->body = soup_session_send_and_read (sim.session, msg, NULL, &r->error);
  r->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  r->status = soup_message_get_status (msg);
  if (r->body != NULL)
    r->text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  return r;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
header (Reply      *r,
        const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (r->msg), name);
}

static Reply *
control (const char *method,
         const char *path,
         const char *json)
{
  g_autofree char *url = g_strconcat (sim.base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (json != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  return send (msg);
}

static void
add_fault (const char *json)
{
  g_autoptr(Reply) r = control ("POST", "/_sim/faults", json);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
clear_faults (void)
{
  g_autoptr(Reply) r = control ("DELETE", "/_sim/faults", NULL);

  g_assert_cmpuint (r->status, ==, 200);
}

/* ---- Alipay -------------------------------------------------------------- */

typedef struct
{
  const char *timestamp;      /* NULL: now, Beijing time */
  const char *sign_type;      /* NULL: RSA2 */
  gboolean    charset_in_body;
  const char *image_type;     /* NULL: jpg */
  const char *image_name;     /* NULL: 门店照片 */
  const char *image_pid;      /* sent as a text part when not NULL */
  const void *file;           /* NULL: jpeg[] */
  gsize       file_len;
  gboolean    tamper;         /* sign something else */
  gboolean    type_in_query;  /* image_type in the query instead of the body */
  const char *app_id;         /* NULL: the simulator's */
  const char *method;         /* NULL: the upload method */
  const char *version;        /* NULL: 1.0 */
} AlipayReq;

static char *
beijing_now (gint64 offset)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, offset);

  return g_date_time_format (t, "%Y-%m-%d %H:%M:%S");
}

static Reply *
alipay_send (const AlipayReq *req)
{
  g_autofree char *ts = req->timestamp ? g_strdup (req->timestamp) : beijing_now (0);
  const char *sign_type = req->sign_type ? req->sign_type : "RSA2";
  const char *image_type = req->image_type ? req->image_type : "jpg";
  const char *image_name = req->image_name ? req->image_name : "门店照片";
  const char *app_id = req->app_id ? req->app_id : sim.app_id;
  const char *method = req->method ? req->method : "alipay.offline.material.image.upload";
  const char *version = req->version ? req->version : "1.0";
  const char *query_pairs[] = {
    "app_id", app_id, "method", method,
    "format", "JSON", "charset", req->charset_in_body ? NULL : "UTF-8",
    "sign_type", (char *) sign_type, "timestamp", ts, "version", version,
    "image_type", req->type_in_query ? image_type : NULL, NULL
  };
  const char *all_pairs[] = {
    "app_id", app_id, "method", method,
    "format", "JSON", "charset", "UTF-8", "sign_type", (char *) sign_type,
    "timestamp", ts, "version", version, "image_type", (char *) image_type,
    "image_name", (char *) image_name, "image_pid", (char *) req->image_pid, NULL
  };
  g_autofree char *content = sorted_join (all_pairs);
  g_autofree char *signed_text = req->tamper ? g_strconcat (content, "x", NULL)
                                             : g_strdup (content);
  g_autofree char *sign = rsa_sign (sim.app_key, signed_text, strlen (signed_text));
  g_autoptr(GString) url = g_string_new (sim.base_url);
  g_autoptr(GBytes) body = NULL;
  Part parts[5];
  guint n = 0;
  SoupMessage *msg;

  g_string_append (url, "/gateway.do?");
  for (guint i = 0; query_pairs[i] != NULL; i += 2)
    {
      g_autofree char *v = NULL;

      if (query_pairs[i + 1] == NULL)
        continue;
      v = g_uri_escape_string (query_pairs[i + 1], NULL, FALSE);
      g_string_append_printf (url, "%s=%s&", query_pairs[i], v);
    }
  {
    g_autofree char *v = g_uri_escape_string (sign, NULL, FALSE);

    g_string_append_printf (url, "sign=%s", v);
  }
  if (!req->type_in_query)
    parts[n++] = (Part) { "image_type", NULL, NULL, image_type, -1 };
  parts[n++] = (Part) { "image_name", NULL, NULL, image_name, -1 };
  if (req->image_pid != NULL)
    parts[n++] = (Part) { "image_pid", NULL, NULL, req->image_pid, -1 };
  if (req->charset_in_body)
    parts[n++] = (Part) { "charset", NULL, NULL, "UTF-8", -1 };
  parts[n++] = (Part) { "image_content", "a.jpg", "image/jpeg",
                        req->file ? req->file : jpeg,
                        req->file ? (gssize) req->file_len : (gssize) sizeof jpeg };
  body = multipart (parts, n);
  msg = soup_message_new ("POST", url->str);
  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=" BOUNDARY, body);
  return send (msg);
}

/* The node substring exactly as received, and the sign after it. */
static gboolean
alipay_verify (const char *text)
{
  const char *start = strstr (text, "\"" ROOT "\":");
  const char *end = strstr (text, ",\"sign\":\"");
  g_autoptr(JsonObject) obj = parse_object (text);

  if (start == NULL || end == NULL)
    return FALSE;
  start += strlen (ROOT) + 3;
  return rsa_verify (sim.alipay_pub, start, end - start,
                     json_object_get_string_member_with_default (obj, "sign", NULL));
}

static JsonObject *
alipay_node (const char *text)
{
  g_autoptr(JsonObject) obj = parse_object (text);

  return json_object_ref (json_object_get_object_member (obj, ROOT));
}

static void
assert_alipay_error (Reply      *r,
                     const char *code,
                     const char *sub_code)
{
  g_autoptr(JsonObject) node = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  node = alipay_node (r->text);
  g_assert_cmpstr (json_object_get_string_member (node, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (node, "sub_code"), ==, sub_code);
}

static void
test_alipay_valid (void)
{
  AlipayReq req = { 0 };
  g_autoptr(Reply) r = alipay_send (&req);
  g_autoptr(Reply) again = NULL;
  g_autoptr(JsonObject) node = NULL;
  g_autoptr(JsonObject) node2 = NULL;
  const char *image_id;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  node = alipay_node (r->text);
  g_assert_cmpstr (json_object_get_string_member (node, "code"), ==, "10000");
  image_id = json_object_get_string_member (node, "image_id");
  g_assert_cmpuint (strlen (image_id), ==, 32);
  g_assert_nonnull (strstr (r->text, "http:\\/\\/"));
  g_assert_true (alipay_verify (r->text));

  /* the same file always gets the same ID */
  again = alipay_send (&req);
  node2 = alipay_node (again->text);
  g_assert_cmpstr (json_object_get_string_member (node2, "image_id"), ==, image_id);

  /* an empty image_pid is sent but neither signed nor rejected */
  req.image_pid = "";
  g_clear_pointer (&again, reply_free);
  again = alipay_send (&req);
  g_assert_true (alipay_verify (again->text));
}

static void
test_alipay_signature (void)
{
  AlipayReq req = { .tamper = TRUE, .image_name = "shop" };
  g_autoptr(Reply) r = alipay_send (&req);
  g_autoptr(JsonObject) node = NULL;
  const char *sub_msg;

  assert_alipay_error (r, "40002", "isv.invalid-signature");
  node = alipay_node (r->text);
  sub_msg = json_object_get_string_member (node, "sub_msg");
  g_assert_nonnull (strstr (sub_msg, "网关生成的验签字符串为：app_id="));
  g_assert_nonnull (strstr (sub_msg, "&image_name=shop&image_type=jpg&method="));
  /* gateway-level errors carry no sign */
  g_assert_null (strstr (r->text, "\"sign\""));
}

static void
test_alipay_system_params (void)
{
  g_autofree char *utc = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  AlipayReq req = { 0 };
  Reply *r;

  utc = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  req.timestamp = utc;
  r = alipay_send (&req);
  assert_alipay_error (r, "40002", "isv.invalid-timestamp");
  reply_free (r);

  req.timestamp = "2026/11/22 10:00:00";
  r = alipay_send (&req);
  assert_alipay_error (r, "40002", "isv.invalid-timestamp");
  reply_free (r);

  req = (AlipayReq) { .sign_type = "RSA" };
  r = alipay_send (&req);
  assert_alipay_error (r, "40002", "isv.invalid-signature-type");
  reply_free (r);

  req = (AlipayReq) { .charset_in_body = TRUE };
  r = alipay_send (&req);
  assert_alipay_error (r, "40001", "isv.missing-charset");
  reply_free (r);

  req = (AlipayReq) { .app_id = "2021000000000002" };
  r = alipay_send (&req);
  assert_alipay_error (r, "40002", "isv.invalid-app-id");
  reply_free (r);

  req = (AlipayReq) { .version = "2.0" };
  r = alipay_send (&req);
  assert_alipay_error (r, "40002", "isv.invalid-parameter");
  reply_free (r);

  /* an unknown method is answered under error_response */
  req = (AlipayReq) { .method = "alipay.offline.material.image.download" };
  r = alipay_send (&req);
  g_assert_true (g_str_has_prefix (r->text, "{\"error_response\":{\"code\":\"40002\""));
  g_assert_nonnull (strstr (r->text, "isv.invalid-method"));
  reply_free (r);

  req = (AlipayReq) { .type_in_query = TRUE };
  r = alipay_send (&req);
  assert_alipay_error (r, "40004", "INVALID_PARAM");
  reply_free (r);
}

static void
test_alipay_files (void)
{
  AlipayReq req = { .file = "not an image at all", .file_len = 19 };
  g_autofree guint8 *big = g_malloc0 (5 * 1024 * 1024 + 1);
  Reply *r;

  r = alipay_send (&req);
  assert_alipay_error (r, "40004", "INVALID_FILE_BYTES");
  /* business errors are signed */
  g_assert_true (alipay_verify (r->text));
  reply_free (r);

  req = (AlipayReq) { .image_type = "tiff" };
  r = alipay_send (&req);
  assert_alipay_error (r, "40004", "UNKNOWN_FORMAT");
  reply_free (r);

  req = (AlipayReq) { .image_type = "png" };
  r = alipay_send (&req);
  assert_alipay_error (r, "40004", "INVALID_FILE_BYTES");
  reply_free (r);

  memcpy (big, jpeg, sizeof jpeg);
  req = (AlipayReq) { .file = big, .file_len = 5 * 1024 * 1024 + 1 };
  r = alipay_send (&req);
  assert_alipay_error (r, "40004", "EXCEED_MAX_SIZE");
  reply_free (r);

  /* exactly at the limit passes */
  req.file_len = 5 * 1024 * 1024;
  r = alipay_send (&req);
  g_assert_true (alipay_verify (r->text));
  reply_free (r);

  /* MP4 (ftyp box) with image_type mp4 */
  {
    static const guint8 mp4[] = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                  0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1' };

    req = (AlipayReq) { .image_type = "mp4", .file = mp4, .file_len = sizeof mp4 };
    r = alipay_send (&req);
    g_assert_nonnull (strstr (r->text, "\"code\":\"10000\""));
    reply_free (r);
  }
}

static void
test_body_cap (void)
{
  /* over the simulator's request cap: the access layer's 413 page */
  gsize len = 64 * 1024 * 1024 + 1;
  g_autofree char *url = g_strconcat (sim.base_url, "/gateway.do", NULL);
  g_autoptr(GBytes) body = g_bytes_new_take (g_malloc0 (len), len);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(Reply) r = NULL;

  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=" BOUNDARY, body);
  r = send (msg);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 413);
}

/* ---- v3 and Global ------------------------------------------------------- */

typedef struct
{
  gboolean    global;
  const char *meta;            /* NULL: built from filename and file */
  const char *meta_filename;   /* NULL: filename */
  const char *filename;        /* NULL: a.jpg / a.pdf */
  const void *file;            /* NULL: jpeg / pdf */
  gsize       file_len;
  const char *file_type;       /* NULL: image/jpeg / application/pdf */
  const char *authorization;   /* override */
  gint64      ts_offset;
  gboolean    sign_whole_body;
  gboolean    no_accept;
  gboolean    file_first;
  gboolean    reorder_auth;
  const char *wechatpay_serial; /* NULL: the public-key ID; "": none */
  const char *serial_no;        /* NULL: the merchant's */
  gboolean    sha256_only;     /* Global with a v3-style meta */
  gboolean    no_file;         /* only the meta part */
} V3Req;

static Reply *
v3_send (const V3Req *req)
{
  const char *path = req->global ? GLOBAL_PATH : V3_PATH;
  const char *filename = req->filename ? req->filename : req->global ? "a.pdf" : "a.jpg";
  const void *file = req->file ? req->file : req->global ? (const void *) pdf : jpeg;
  gsize file_len = req->file ? req->file_len : req->global ? strlen (pdf) : sizeof jpeg;
  const char *file_type = req->file_type ? req->file_type
                          : req->global ? "application/pdf" : "image/jpeg";
  g_autofree char *sha = hex_digest (GNUTLS_DIG_SHA256, file, file_len);
  g_autofree char *meta = req->meta ? g_strdup (req->meta)
                          : g_strdup_printf ("{\"filename\":\"%s\",\"%s\":\"%s\"}",
                                             req->meta_filename ? req->meta_filename : filename,
                                             req->global && !req->sha256_only ? "digest" : "sha256",
                                             sha);
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         g_get_real_time () / G_USEC_PER_SEC + req->ts_offset);
  const char *nonce = "12ced2db6f0193dda91ba86224ea1cd8";
  g_autoptr(GBytes) body = NULL;
  g_autofree char *message = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *url = g_strconcat (sim.base_url, path, NULL);
  Part parts[2];
  SoupMessage *msg;
  SoupMessageHeaders *h;

  parts[req->file_first ? 1 : 0] = (Part) { "meta", NULL, "application/json", meta, -1 };
  parts[req->file_first ? 0 : 1] = (Part) { "file", filename, file_type, file, file_len };
  body = multipart (req->no_file ? parts + (req->file_first ? 1 : 0) : parts,
                    req->no_file ? 1 : 2);
  if (req->sign_whole_body)
    {
      g_autofree char *raw = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      message = g_strdup_printf ("POST\n%s\n%s\n%s\n%s\n", path, ts, nonce, raw);
    }
  else
    message = g_strdup_printf ("POST\n%s\n%s\n%s\n%s\n", path, ts, nonce, meta);
  signature = rsa_sign (sim.merchant_key, message, strlen (message));
  if (req->reorder_auth)
    auth = g_strdup_printf ("WECHATPAY2-SHA256-RSA2048 signature=\"%s\",serial_no=\"%s\","
                            "timestamp=\"%s\",nonce_str=\"%s\",mchid=\"%s\"",
                            signature, req->serial_no ? req->serial_no : sim.serial_no, ts,
                            nonce, sim.v3_mch_id);
  else
    auth = g_strdup_printf ("WECHATPAY2-SHA256-RSA2048 mchid=\"%s\",nonce_str=\"%s\","
                            "timestamp=\"%s\",serial_no=\"%s\",signature=\"%s\"",
                            sim.v3_mch_id, nonce, ts,
                            req->serial_no ? req->serial_no : sim.serial_no, signature);

  msg = soup_message_new ("POST", url);
  h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, "Authorization", req->authorization ? req->authorization : auth);
  if (!req->no_accept)
    soup_message_headers_replace (h, "Accept", "application/json");
  soup_message_headers_replace (h, "User-Agent", "gatepost-test/1.0");
  if (req->wechatpay_serial == NULL)
    soup_message_headers_replace (h, "Wechatpay-Serial", sim.pub_key_id);
  else if (*req->wechatpay_serial != '\0')
    soup_message_headers_replace (h, "Wechatpay-Serial", req->wechatpay_serial);
  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=" BOUNDARY, body);
  return send (msg);
}

static gboolean
v3_verify (Reply           *r,
           gnutls_pubkey_t  key)
{
  const char *ts = header (r, "Wechatpay-Timestamp");
  const char *nonce = header (r, "Wechatpay-Nonce");
  g_autofree char *message = NULL;

  if (ts == NULL || nonce == NULL)
    return FALSE;
  message = g_strdup_printf ("%s\n%s\n%s\n", ts, nonce, r->text);
  return rsa_verify (key, message, strlen (message), header (r, "Wechatpay-Signature"));
}

static void
assert_v3_error (Reply      *r,
                 guint       status,
                 const char *code,
                 const char *message_part)
{
  g_autoptr(JsonObject) obj = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, status);
  obj = parse_object (r->text);
  g_assert_cmpstr (json_object_get_string_member (obj, "code"), ==, code);
  if (message_part != NULL)
    g_assert_nonnull (strstr (json_object_get_string_member (obj, "message"), message_part));
}

static void
test_v3_valid (void)
{
  V3Req req = { 0 };
  g_autoptr(Reply) r = v3_send (&req);
  g_autoptr(Reply) cert = NULL;
  g_autoptr(JsonObject) obj = NULL;
  gint64 ts;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  obj = parse_object (r->text);
  g_assert_true (json_object_has_member (obj, "media_id"));
  g_assert_cmpstr (header (r, "Wechatpay-Serial"), ==, sim.pub_key_id);
  g_assert_true (v3_verify (r, sim.wechat_pub));
  g_assert_false (v3_verify (r, sim.platform_pub));
  ts = g_ascii_strtoll (header (r, "Wechatpay-Timestamp"), NULL, 10);
  g_assert_cmpint (ABS (ts - g_get_real_time () / G_USEC_PER_SEC), <, 60);
  g_assert_nonnull (header (r, "Request-ID"));

  /* certificate mode, file part first, pairs in another order */
  req.wechatpay_serial = sim.platform_serial;
  req.file_first = TRUE;
  req.reorder_auth = TRUE;
  cert = v3_send (&req);
  g_assert_cmpuint (cert->status, ==, 200);
  g_assert_cmpstr (header (cert, "Wechatpay-Serial"), ==, sim.platform_serial);
  g_assert_true (v3_verify (cert, sim.platform_pub));
  g_assert_cmpstr (cert->text, ==, r->text);
}

static void
test_v3_unknown_accept_serial (void)
{
  /* no Wechatpay-Serial, or an unknown one: signed with the default key */
  V3Req req = { .wechatpay_serial = "" };
  g_autoptr(Reply) r = v3_send (&req);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (header (r, "Wechatpay-Serial"), ==, sim.pub_key_id);
  g_assert_true (v3_verify (r, sim.wechat_pub));
}

static void
test_v3_headers (void)
{
  V3Req req = { .no_accept = TRUE };
  Reply *r = v3_send (&req);
  g_autofree char *spaced = NULL;

  assert_v3_error (r, 400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent");
  g_assert_null (header (r, "Wechatpay-Signature"));
  reply_free (r);

  spaced = g_strdup_printf ("WECHATPAY2-SHA256-RSA2048 mchid=\"%s\", nonce_str=\"x\", "
                            "timestamp=\"1\", serial_no=\"%s\", signature=\"x\"",
                            sim.v3_mch_id, sim.serial_no);
  req = (V3Req) { .authorization = spaced };
  r = v3_send (&req);
  assert_v3_error (r, 401, "SIGN_ERROR", "Authorization值格式错误");
  reply_free (r);

  req = (V3Req) { .authorization = "WECHATPAY2-SHA256-RSA2048  mchid=\"1\"" };
  r = v3_send (&req);
  assert_v3_error (r, 401, "SIGN_ERROR", "Authorization值格式错误");
  reply_free (r);

  req = (V3Req) { .ts_offset = -400 };
  r = v3_send (&req);
  assert_v3_error (r, 401, "SIGN_ERROR", "5分钟");
  reply_free (r);

  req = (V3Req) { .serial_no = "0123456789ABCDEF" };
  r = v3_send (&req);
  assert_v3_error (r, 401, "SIGN_ERROR", "序列号");
  reply_free (r);
}

static void
test_v3_signature (void)
{
  V3Req req = { .sign_whole_body = TRUE };
  g_autoptr(Reply) r = v3_send (&req);
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *info;

  assert_v3_error (r, 401, "SIGN_ERROR", "验签失败");
  g_assert_null (header (r, "Wechatpay-Signature"));
  obj = parse_object (r->text);
  info = json_object_get_object_member (json_object_get_object_member (obj, "detail"),
                                        "sign_information");
  g_assert_nonnull (info);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (info, "truncated_sign_message"),
                                   "POST\n" V3_PATH "\n"));
  g_assert_nonnull (strstr (json_object_get_string_member (info, "truncated_sign_message"),
                            "{\"filename\":\"a.jpg\",\"sha256\":"));
}

static void
test_v3_files (void)
{
  g_autofree guint8 *big = g_malloc0 (2 * 1024 * 1024 + 1);
  V3Req req = { .meta_filename = "b.jpg" };
  Reply *r = v3_send (&req);

  assert_v3_error (r, 400, "PARAM_ERROR", "文件名和meta的文件名不一致");
  /* the merchant is authenticated by now: the error is signed */
  g_assert_true (v3_verify (r, sim.wechat_pub));
  reply_free (r);

  req = (V3Req) { .meta = "{\"filename\":\"a.jpg\",\"sha256\":\""
                          "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4\"}" };
  r = v3_send (&req);
  assert_v3_error (r, 400, "PARAM_ERROR", "sha256");
  reply_free (r);

  req = (V3Req) { .filename = "a.gif" };
  r = v3_send (&req);
  assert_v3_error (r, 400, "PARAM_ERROR", "文件名称不正确");
  reply_free (r);

  req = (V3Req) { .file = pdf, .file_len = strlen (pdf) };
  r = v3_send (&req);
  assert_v3_error (r, 400, "PARAM_ERROR", "不是图片");
  reply_free (r);

  req = (V3Req) { .no_file = TRUE };
  r = v3_send (&req);
  assert_v3_error (r, 400, "PARAM_ERROR", "/file");
  reply_free (r);

  memcpy (big, jpeg, sizeof jpeg);
  req = (V3Req) { .file = big, .file_len = 2 * 1024 * 1024 + 1 };
  r = v3_send (&req);
  assert_v3_error (r, 400, "PARAM_ERROR", "2M");
  reply_free (r);
}

static void
test_global (void)
{
  V3Req req = { .global = TRUE };
  Reply *r = v3_send (&req);
  g_autoptr(JsonObject) obj = NULL;
  const char *file_id;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (v3_verify (r, sim.wechat_pub));
  obj = parse_object (r->text);
  file_id = json_object_get_string_member (obj, "file_id");
  g_assert_cmpuint (strlen (file_id), ==, 36);
  g_assert_cmpint (file_id[8], ==, '-');
  g_assert_cmpint (file_id[14], ==, '4');
  reply_free (r);

  req = (V3Req) { .global = TRUE, .sha256_only = TRUE };
  r = v3_send (&req);
  assert_v3_error (r, 400, "INVALID_REQUEST", "\"digest\"");
  reply_free (r);

  req = (V3Req) { .global = TRUE, .file_type = "application/octet-stream" };
  r = v3_send (&req);
  assert_v3_error (r, 400, "INVALID_REQUEST", "content_type");
  reply_free (r);

  req = (V3Req) { .global = TRUE, .filename = "a.jpg", .file = jpeg, .file_len = sizeof jpeg,
                  .file_type = "image/jpeg" };
  r = v3_send (&req);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);
}

/* ---- v2 ------------------------------------------------------------------ */

typedef struct
{
  const char *sign_type;   /* NULL: not sent (MD5) */
  GTlsCertificate *cert;   /* NULL: the merchant's v2 certificate */
  gboolean    no_cert;
  gboolean    bad_sign;
  const char *media_hash;  /* NULL: the right one */
  const char *base_url;    /* NULL: the v2 port */
  const char *mch_id;      /* NULL: the simulator's */
  const void *file;        /* NULL: jpeg */
  gsize       file_len;
} V2Req;

static char *
v2_sign (const char *const *pairs,
         const char        *sign_type)
{
  g_autofree char *joined = sorted_join (pairs);
  g_autofree char *full = g_strdup_printf ("%s&key=%s", joined, sim.api_key);

  if (sign_type != NULL && g_str_equal (sign_type, "HMAC-SHA256"))
    {
      guint8 mac[32];
      GString *out = g_string_new (NULL);

      gnutls_hmac_fast (GNUTLS_MAC_SHA256, sim.api_key, strlen (sim.api_key), full,
                        strlen (full), mac);
      for (guint i = 0; i < 32; i++)
        g_string_append_printf (out, "%02X", mac[i]);
      return g_string_free (out, FALSE);
    }
  {
    g_autofree char *hex = hex_digest (GNUTLS_DIG_MD5, full, strlen (full));

    return g_ascii_strup (hex, -1);
  }
}

static Reply *
v2_send (const V2Req *req)
{
  const void *file = req->file ? req->file : jpeg;
  gsize file_len = req->file ? req->file_len : sizeof jpeg;
  const char *mch_id = req->mch_id ? req->mch_id : sim.v2_mch_id;
  g_autofree char *md5 = hex_digest (GNUTLS_DIG_MD5, file, file_len);
  const char *hash = req->media_hash ? req->media_hash : md5;
  const char *pairs[] = { "mch_id", mch_id, "media_hash", (char *) hash,
                    "sign_type", (char *) req->sign_type, NULL };
  g_autofree char *sign = v2_sign (pairs, req->sign_type);
  g_autofree char *url = g_strconcat (req->base_url ? req->base_url : sim.v2_base_url,
                                      "/secapi/mch/uploadmedia", NULL);
  g_autoptr(GBytes) body = NULL;
  Part parts[5];
  guint n = 0;
  SoupMessage *msg;

  if (req->bad_sign)
    sign[0] = sign[0] == 'A' ? 'B' : 'A';
  parts[n++] = (Part) { "media", "a.jpg", "image/jpeg", file, file_len };
  parts[n++] = (Part) { "mch_id", NULL, NULL, mch_id, -1 };
  parts[n++] = (Part) { "media_hash", NULL, NULL, hash, -1 };
  if (req->sign_type != NULL)
    parts[n++] = (Part) { "sign_type", NULL, NULL, req->sign_type, -1 };
  parts[n++] = (Part) { "sign", NULL, NULL, sign, -1 };
  body = multipart (parts, n);
  msg = soup_message_new ("POST", url);
  if (!req->no_cert)
    soup_message_set_tls_client_certificate (msg, req->cert ? req->cert : sim.v2_cert);
  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=" BOUNDARY, body);
  return send (msg);
}

/* <xml><k><![CDATA[v]]></k>…</xml> into name/value pairs (no DTD handling:
 * a test only looks at simple replies). */
static GHashTable *
v2_fields (const char *xml)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = strstr (xml, "<xml>");

  g_assert_nonnull (p);
  p += 5;
  while (*p == '<' && p[1] != '/')
    {
      const char *gt = strchr (p, '>');
      g_autofree char *name = g_strndup (p + 1, gt - p - 1);
      g_autofree char *close = g_strdup_printf ("</%s>", name);
      const char *end = strstr (gt, close);
      g_autofree char *value = g_strndup (gt + 1, end - gt - 1);

      if (g_str_has_prefix (value, "<![CDATA[") && g_str_has_suffix (value, "]]>"))
        {
          char *inner = g_strndup (value + 9, strlen (value) - 12);

          g_free (value);
          value = inner;
        }
      g_hash_table_insert (t, g_steal_pointer (&name), g_steal_pointer (&value));
      p = end + strlen (close);
    }
  return t;
}

static gboolean
v2_verify (GHashTable *fields)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer k, v;
  const char *sign = g_hash_table_lookup (fields, "sign");
  g_autofree char *expected = NULL;

  if (sign == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (!g_str_equal (k, "sign"))
      {
        g_ptr_array_add (pairs, k);
        g_ptr_array_add (pairs, v);
      }
  g_ptr_array_add (pairs, NULL);
  expected = v2_sign ((const char *const *) pairs->pdata, strlen (sign) == 64 ? "HMAC-SHA256" : "MD5");
  return g_str_equal (expected, sign);
}

static void
test_v2_valid (void)
{
  V2Req req = { 0 };
  g_autoptr(Reply) r = v2_send (&req);
  g_autoptr(Reply) hmac = NULL;
  g_autoptr(GHashTable) f = NULL;
  g_autoptr(GHashTable) f2 = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (strstr (r->text, "<return_code><![CDATA[SUCCESS]]></return_code>"));
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "result_code"), ==, "SUCCESS");
  g_assert_cmpuint (strlen (g_hash_table_lookup (f, "media_id")), >, 20);
  g_assert_cmpuint (strlen (g_hash_table_lookup (f, "sign")), ==, 32);
  g_assert_true (v2_verify (f));

  req.sign_type = "HMAC-SHA256";
  hmac = v2_send (&req);
  f2 = v2_fields (hmac->text);
  g_assert_cmpstr (g_hash_table_lookup (f2, "result_code"), ==, "SUCCESS");
  g_assert_cmpuint (strlen (g_hash_table_lookup (f2, "sign")), ==, 64);
  g_assert_true (v2_verify (f2));
  g_assert_cmpstr (g_hash_table_lookup (f2, "media_id"), ==, g_hash_table_lookup (f, "media_id"));
}

static void
test_v2_rejections (void)
{
  V2Req req = { .no_cert = TRUE };
  Reply *r = v2_send (&req);
  GHashTable *f;

  g_assert_no_error (r->error);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "INVALID_REQUEST");
  g_assert_nonnull (strstr (g_hash_table_lookup (f, "err_code_des"), "Certificate is required"));
  g_hash_table_unref (f);
  reply_free (r);

  req = (V2Req) { .bad_sign = TRUE };
  r = v2_send (&req);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "return_code"), ==, "FAIL");
  g_assert_nonnull (strstr (g_hash_table_lookup (f, "return_msg"), "签名错误"));
  g_assert_null (g_hash_table_lookup (f, "sign"));
  g_hash_table_unref (f);
  reply_free (r);

  req = (V2Req) { .media_hash = "0D2E0AA50A1C5B2FFD3BC0D1B1A5DD1B" };
  r = v2_send (&req);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "PARAM_ERROR");
  g_assert_true (v2_verify (f));
  g_hash_table_unref (f);
  reply_free (r);

  req = (V2Req) { .mch_id = "1230000110" };
  r = v2_send (&req);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "PARAM_ERROR");
  g_assert_nonnull (strstr (g_hash_table_lookup (f, "err_code_des"), "Merchant ID"));
  g_hash_table_unref (f);
  reply_free (r);

  req = (V2Req) { .file = pdf, .file_len = strlen (pdf) };
  r = v2_send (&req);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "PARAM_ERROR");
  g_assert_nonnull (strstr (g_hash_table_lookup (f, "err_code_des"), "image format"));
  g_hash_table_unref (f);
  reply_free (r);

  req = (V2Req) { .sign_type = "SHA1" };
  r = v2_send (&req);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "PARAM_ERROR");
  g_hash_table_unref (f);
  reply_free (r);

  /* a certificate from the CA, but not the merchant's v2 one */
  {
    g_autofree char *cert = fixture ("wechatpay/apiclient_cert.pem");
    g_autofree char *key = fixture ("wechatpay/apiclient_key.pem");
    g_autoptr(GTlsCertificate) other = g_tls_certificate_new_from_files (cert, key, NULL);

    req = (V2Req) { .cert = other };
    r = v2_send (&req);
    f = v2_fields (r->text);
    g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "INVALID_REQUEST");
    g_assert_nonnull (strstr (g_hash_table_lookup (f, "err_code_des"), "Certificate verification"));
    g_hash_table_unref (f);
    reply_free (r);
  }

  /* a certificate the CA never issued fails the TLS handshake */
  {
    g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "sim",
                                                   "self-signed-cert.pem", NULL);
    g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "sim",
                                                  "other-key.pem", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GTlsCertificate) stranger = g_tls_certificate_new_from_files (cert, key, &error);

    g_assert_no_error (error);
    req = (V2Req) { .cert = stranger };
    r = v2_send (&req);
    g_assert_nonnull (r->error);
    g_assert_null (r->body);
    reply_free (r);
  }

  /* v2 lives on its own port only */
  req = (V2Req) { .base_url = sim.base_url };
  r = v2_send (&req);
  g_assert_cmpuint (r->status, ==, 404);
  reply_free (r);
}

/* ---- faults -------------------------------------------------------------- */

static void
test_fault_signatures (void)
{
  V3Req v3 = { 0 };
  AlipayReq ali = { 0 };
  V2Req v2 = { 0 };
  Reply *r;
  GHashTable *f;

  add_fault ("{\"mode\":\"bad-signature\",\"count\":1,\"gateway\":\"wechatpay-v3\"}");
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (header (r, "Wechatpay-Signature"));
  g_assert_false (v3_verify (r, sim.wechat_pub));
  reply_free (r);
  r = v3_send (&v3);                       /* count 1: back to normal */
  g_assert_true (v3_verify (r, sim.wechat_pub));
  reply_free (r);

  add_fault ("{\"mode\":\"missing-signature\",\"count\":1}");
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_null (header (r, "Wechatpay-Signature"));
  reply_free (r);

  add_fault ("{\"mode\":\"wrong-serial\",\"count\":1}");
  r = v3_send (&v3);
  g_assert_cmpstr (header (r, "Wechatpay-Serial"), !=, sim.pub_key_id);
  g_assert_true (v3_verify (r, sim.wechat_pub));
  reply_free (r);

  add_fault ("{\"mode\":\"stale-timestamp\",\"count\":1}");
  r = v3_send (&v3);
  g_assert_true (v3_verify (r, sim.wechat_pub));
  g_assert_cmpint (g_get_real_time () / G_USEC_PER_SEC
                   - g_ascii_strtoll (header (r, "Wechatpay-Timestamp"), NULL, 10), >=, 300);
  reply_free (r);

  add_fault ("{\"mode\":\"unsigned-401\",\"count\":1}");
  r = v3_send (&v3);
  assert_v3_error (r, 401, "SIGN_ERROR", NULL);
  g_assert_null (header (r, "Wechatpay-Signature"));
  reply_free (r);

  add_fault ("{\"mode\":\"bad-signature\",\"count\":1,\"gateway\":\"alipay\"}");
  r = alipay_send (&ali);
  g_assert_nonnull (strstr (r->text, "\"sign\""));
  g_assert_false (alipay_verify (r->text));
  reply_free (r);

  add_fault ("{\"mode\":\"missing-signature\",\"count\":1,\"gateway\":\"alipay\"}");
  r = alipay_send (&ali);
  g_assert_nonnull (strstr (r->text, "\"code\":\"10000\""));
  g_assert_null (strstr (r->text, "\"sign\""));
  reply_free (r);

  add_fault ("{\"mode\":\"bad-signature\",\"count\":1,\"gateway\":\"wechatpay-v2\"}");
  r = v2_send (&v2);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "result_code"), ==, "SUCCESS");
  g_assert_false (v2_verify (f));
  g_hash_table_unref (f);
  reply_free (r);
  clear_faults ();
}

static void
test_fault_statuses (void)
{
  V3Req v3 = { 0 };
  AlipayReq ali = { 0 };
  V2Req v2 = { 0 };
  Reply *r;
  GHashTable *f;

  add_fault ("{\"mode\":\"http-429\",\"count\":2,\"gateway\":\"wechatpay-v3\"}");
  r = v3_send (&v3);
  assert_v3_error (r, 429, "FREQUENCY_LIMITED", NULL);
  reply_free (r);
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 429);
  reply_free (r);
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);

  add_fault ("{\"mode\":\"http-500\",\"count\":1}");
  r = alipay_send (&ali);
  g_assert_cmpuint (r->status, ==, 500);
  reply_free (r);

  add_fault ("{\"mode\":\"system-error\",\"count\":1,\"gateway\":\"wechatpay-v2\"}");
  r = v2_send (&v2);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "SYSTEMERROR");
  g_assert_true (v2_verify (f));
  g_hash_table_unref (f);
  reply_free (r);

  add_fault ("{\"mode\":\"frequency-limited\",\"count\":1,\"gateway\":\"wechatpay-v2\"}");
  r = v2_send (&v2);
  f = v2_fields (r->text);
  g_assert_cmpstr (g_hash_table_lookup (f, "err_code"), ==, "FREQUENCY_LIMITED");
  g_hash_table_unref (f);
  reply_free (r);

  add_fault ("{\"mode\":\"alipay-error-response\",\"count\":1}");
  r = alipay_send (&ali);
  g_assert_true (g_str_has_prefix (r->text, "{\"error_response\":{"));
  g_assert_null (strstr (r->text, ROOT));
  reply_free (r);

  add_fault ("{\"mode\":\"alipay-duplicate-node\",\"count\":1}");
  r = alipay_send (&ali);
  g_assert_true (alipay_verify (r->text));
  g_assert_nonnull (strstr (strstr (r->text, ROOT) + 1, ROOT));
  reply_free (r);

  /* the control endpoint refuses what makes no sense */
  r = control ("POST", "/_sim/faults", "{\"mode\":\"xml-billion-laughs\",\"gateway\":\"alipay\"}");
  g_assert_cmpuint (r->status, ==, 400);
  reply_free (r);
  r = control ("POST", "/_sim/faults", "{\"mode\":\"nonsense\"}");
  g_assert_cmpuint (r->status, ==, 400);
  reply_free (r);
  clear_faults ();
}

static void
test_fault_bodies (void)
{
  V3Req v3 = { 0 };
  V2Req v2 = { 0 };
  AlipayReq ali = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  Reply *r;

  add_fault ("{\"mode\":\"malformed\",\"count\":1,\"gateway\":\"wechatpay-v3\"}");
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_parser_load_from_data (parser, r->text, -1, NULL));
  /* still signed over what was sent: only the body is broken */
  g_assert_true (v3_verify (r, sim.wechat_pub));
  reply_free (r);

  add_fault ("{\"mode\":\"oversized\",\"count\":1,\"gateway\":\"alipay\"}");
  r = alipay_send (&ali);
  g_assert_cmpuint (g_bytes_get_size (r->body), >, 1024 * 1024);
  reply_free (r);

  add_fault ("{\"mode\":\"xml-external-entity\",\"count\":1}");
  r = v2_send (&v2);
  g_assert_nonnull (strstr (r->text, "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"));
  g_assert_nonnull (strstr (r->text, "<media_id>&xxe;</media_id>"));
  reply_free (r);

  add_fault ("{\"mode\":\"xml-billion-laughs\",\"count\":1}");
  r = v2_send (&v2);
  g_assert_nonnull (strstr (r->text, "<!ENTITY lol9 \"&lol8;"));
  g_assert_nonnull (strstr (r->text, "<media_id>&lol9;</media_id>"));
  reply_free (r);

  add_fault ("{\"mode\":\"drop\",\"count\":1,\"gateway\":\"wechatpay-v3\"}");
  r = v3_send (&v3);
  g_assert_nonnull (r->error);
  reply_free (r);

  add_fault ("{\"mode\":\"delay\",\"seconds\":1,\"count\":1,\"gateway\":\"wechatpay-global\"}");
  v3.global = TRUE;
  r = v3_send (&v3);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (r->elapsed_ms, >=, 1000);
  reply_free (r);
  clear_faults ();
}

static void
test_uploads_registry (void)
{
  AlipayReq ali = { 0 };
  g_autoptr(Reply) cleared = NULL;
  g_autoptr(Reply) sent = NULL;
  g_autoptr(Reply) list = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) node = NULL;
  JsonArray *uploads;
  JsonObject *last;

  cleared = control ("DELETE", "/_sim/uploads", NULL);
  g_assert_cmpuint (cleared->status, ==, 200);
  sent = alipay_send (&ali);
  node = alipay_node (sent->text);
  list = control ("GET", "/_sim/uploads", NULL);
  obj = parse_object (list->text);
  uploads = json_object_get_array_member (obj, "uploads");
  g_assert_cmpuint (json_array_get_length (uploads), ==, 1);
  last = json_array_get_object_element (uploads, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "gateway"), ==, "alipay");
  g_assert_cmpstr (json_object_get_string_member (last, "media_id"), ==,
                   json_object_get_string_member (node, "image_id"));
  g_assert_cmpint (json_object_get_int_member (last, "size"), ==, sizeof jpeg);
}

/* ---- fixtures ------------------------------------------------------------ */

static void
assert_mode (const char *name,
             guint       mode)
{
  g_autofree char *path = fixture (name);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_fixtures (void)
{
  static const char *const certs[] = {
    "server.pem", "wechatpay-v2/apiclient_cert.pem", "wechatpay/apiclient_cert.pem",
    "wechatpay/platform-cert.pem", NULL
  };
  static const char *const profiles[] = {
    "sim-alipay", "sim-wechatpay-v2", "sim-wechatpay-v2-hmac", "sim-wechatpay-v3",
    "sim-wechatpay-v3-cert", "sim-wechatpay-global", "sim-wechatpay-global-cert", NULL
  };
  gnutls_x509_crt_t ca = load_crt ("ca.pem");
  g_autofree char *p12_path = fixture ("wechatpay-v2/apiclient_cert.p12");
  g_autofree char *p12 = NULL;
  g_autoptr(GTlsCertificate) opened = NULL;
  g_autoptr(GError) error = NULL;
  gsize p12_len = 0;
  static const guint8 loopback[4] = { 127, 0, 0, 1 };

  assert_mode ("", 0700);
  assert_mode ("ca-key.pem", 0600);
  assert_mode ("server-key.pem", 0600);
  assert_mode ("alipay/app-private-key.pem", 0600);
  assert_mode ("wechatpay/apiclient_key.pem", 0600);
  assert_mode ("wechatpay-v2/api-key.txt", 0600);
  assert_mode ("wechatpay-v2/apiclient_cert.p12", 0600);

  for (guint i = 0; certs[i] != NULL; i++)
    {
      gnutls_x509_crt_t crt = load_crt (certs[i]);
      unsigned int status = 1;

      g_assert_cmpint (gnutls_x509_crt_verify (crt, &ca, 1, 0, &status), >=, 0);
      g_assert_cmpuint (status, ==, 0);
      if (i == 0)
        {
          g_assert_true (gnutls_x509_crt_check_hostname (crt, "localhost"));
          g_assert_true (gnutls_x509_crt_check_ip (crt, loopback, 4, 0));
          g_assert_false (gnutls_x509_crt_check_hostname (crt, "example.com"));
        }
      if (i == 2)
        {
          guint8 serial[64];
          size_t len = sizeof serial;
          GString *hex = g_string_new (NULL);

          gnutls_x509_crt_get_serial (crt, serial, &len);
          for (size_t j = 0; j < len; j++)
            g_string_append_printf (hex, "%02X", serial[j]);
          g_assert_cmpstr (hex->str, ==, sim.serial_no);
          g_assert_cmpuint (hex->len, ==, 40);
          g_string_free (hex, TRUE);
        }
      gnutls_x509_crt_deinit (crt);
    }
  gnutls_x509_crt_deinit (ca);

  g_assert_true (g_file_get_contents (p12_path, &p12, &p12_len, NULL));
  opened = g_tls_certificate_new_from_pkcs12 ((const guint8 *) p12, p12_len, sim.v2_mch_id,
                                              &error);
  g_assert_no_error (error);
  g_assert_true (g_tls_certificate_is_same (opened, sim.v2_cert));
  g_assert_null (g_tls_certificate_new_from_pkcs12 ((const guint8 *) p12, p12_len, "wrong",
                                                    &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  for (guint i = 0; profiles[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("profiles/%s.json", profiles[i]);
      g_autofree char *path = fixture (name);
      g_autofree char *text = NULL;
      g_autoptr(JsonObject) obj = NULL;
      const char *url;

      assert_mode (name, 0600);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      obj = parse_object (text);
      g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, profiles[i]);
      url = json_object_get_string_member (obj, "base_url");
      g_assert_cmpstr (url, ==, strstr (profiles[i], "v2") ? sim.v2_base_url : sim.base_url);
      g_assert_true (g_file_test (json_object_get_string_member (obj, "ca_file"),
                                  G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_cli_fault_and_generate (void)
{
  const char *bin = g_getenv ("GATEPOST_SIM");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (sim.dir, "..", "second", NULL);
  g_autoptr(GSubprocess) gen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, bin,
                                                 "--generate", dir, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(GSubprocess) help = NULL;
  g_autofree char *help_out = NULL;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (gen, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  help = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin, "--help", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (help, NULL, NULL, &help_out, NULL, &error));
  g_assert_nonnull (strstr (help_out, "xml-billion-laughs"));
  g_assert_nonnull (strstr (help_out, "/_sim/faults"));
  g_assert_nonnull (strstr (help_out, "READY <base_url> <v2_base_url>"));

  proc = spawn_sim (&error, "--dir", sim.dir, "--fault", "http-500:1@alipay", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpstr (words[0], ==, "READY");
  url = g_strdup (sim.base_url);
  g_free (sim.base_url);
  sim.base_url = g_strdup (words[1]);
  {
    AlipayReq ali = { 0 };

    r1 = alipay_send (&ali);
    r2 = alipay_send (&ali);
  }
  g_free (sim.base_url);
  sim.base_url = g_steal_pointer (&url);
  g_assert_cmpuint (r1->status, ==, 500);
  g_assert_cmpuint (r2->status, ==, 200);
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

/* ---- setup --------------------------------------------------------------- */

/* The simulator dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn_sim (GError **error,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_ptr_array_add (argv, (gpointer) g_getenv ("GATEPOST_SIM"));
  va_start (ap, error);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
}

static char *
config_string (JsonObject *obj,
               const char *name)
{
  return g_strdup (json_object_get_string_member (obj, name));
}

static void
sim_start (void)
{
  const char *bin = g_getenv ("GATEPOST_SIM");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  g_autofree char *config = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *tmp = NULL;

  g_assert_nonnull (bin);
  tmp = g_dir_make_tmp ("gatepost-sim-XXXXXX", &error);
  g_assert_no_error (error);
  sim.dir = g_build_filename (tmp, "fixtures", NULL);
  sim.proc = spawn_sim (&error, "--dir", sim.dir, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim.proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "READY");
  g_assert_true (g_str_has_prefix (words[1], "https://127.0.0.1:"));
  sim.base_url = g_strdup (words[1]);
  sim.v2_base_url = g_strdup (words[2]);

  config = fixture ("sim.json");
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (config, &text, NULL, NULL));
    obj = parse_object (text);
  }
  sim.app_id = config_string (obj, "app_id");
  sim.v2_mch_id = config_string (obj, "v2_mch_id");
  sim.v3_mch_id = config_string (obj, "v3_mch_id");
  sim.serial_no = config_string (obj, "merchant_serial");
  sim.pub_key_id = config_string (obj, "pub_key_id");
  sim.platform_serial = config_string (obj, "platform_serial");
  api_key = fixture ("wechatpay-v2/api-key.txt");
  g_assert_true (g_file_get_contents (api_key, &sim.api_key, NULL, NULL));
  g_strstrip (sim.api_key);
  sim.app_key = load_key ("alipay/app-private-key.pem");
  sim.alipay_pub = load_pub ("alipay/alipay-public-key.pem");
  sim.merchant_key = load_key ("wechatpay/apiclient_key.pem");
  sim.wechat_pub = load_pub ("wechatpay/pub_key.pem");
  sim.platform_pub = load_pub ("wechatpay/platform-cert.pem");
  cert = fixture ("wechatpay-v2/apiclient_cert.pem");
  key = fixture ("wechatpay-v2/apiclient_key.pem");
  sim.v2_cert = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  /* trust exactly the simulator's CA */
  ca = fixture ("ca.pem");
  db = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  /* no proxy resolver: loopback only, and GNOME's resolver needs a schema
   * the test environment does not have */
  sim.session = soup_session_new_with_options ("tls-database", db, "timeout", 30,
                                               "proxy-resolver", NULL, NULL);
}

static void
sim_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_path_get_dirname (sim.dir);

  g_subprocess_send_signal (sim.proc, SIGTERM);
  /* a clean stop exits 0 */
  g_assert_true (g_subprocess_wait_check (sim.proc, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&sim.proc);
  g_clear_object (&sim.session);
  g_clear_object (&sim.v2_cert);
  gnutls_privkey_deinit (sim.app_key);
  gnutls_privkey_deinit (sim.merchant_key);
  gnutls_pubkey_deinit (sim.alipay_pub);
  gnutls_pubkey_deinit (sim.wechat_pub);
  gnutls_pubkey_deinit (sim.platform_pub);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/sim/server/fixtures", test_fixtures);
  g_test_add_func ("/gatepost/sim/server/alipay/valid", test_alipay_valid);
  g_test_add_func ("/gatepost/sim/server/alipay/signature", test_alipay_signature);
  g_test_add_func ("/gatepost/sim/server/alipay/system-params", test_alipay_system_params);
  g_test_add_func ("/gatepost/sim/server/alipay/files", test_alipay_files);
  g_test_add_func ("/gatepost/sim/server/body-cap", test_body_cap);
  g_test_add_func ("/gatepost/sim/server/v3/valid", test_v3_valid);
  g_test_add_func ("/gatepost/sim/server/v3/default-serial", test_v3_unknown_accept_serial);
  g_test_add_func ("/gatepost/sim/server/v3/headers", test_v3_headers);
  g_test_add_func ("/gatepost/sim/server/v3/signature", test_v3_signature);
  g_test_add_func ("/gatepost/sim/server/v3/files", test_v3_files);
  g_test_add_func ("/gatepost/sim/server/global", test_global);
  g_test_add_func ("/gatepost/sim/server/v2/valid", test_v2_valid);
  g_test_add_func ("/gatepost/sim/server/v2/rejections", test_v2_rejections);
  g_test_add_func ("/gatepost/sim/server/faults/signatures", test_fault_signatures);
  g_test_add_func ("/gatepost/sim/server/faults/statuses", test_fault_statuses);
  g_test_add_func ("/gatepost/sim/server/faults/bodies", test_fault_bodies);
  g_test_add_func ("/gatepost/sim/server/uploads", test_uploads_registry);
  g_test_add_func ("/gatepost/sim/server/cli-fault-and-generate", test_cli_fault_and_generate);

  sim_start ();
  ret = g_test_run ();
  sim_stop ();
  return ret;
}
