/* test-gateway-wechatpay-v3.c: the v3/Global driver's request bytes and response rules
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gatepost-core.h"
#include "gp-gateway-drivers-private.h"

#include "test-signing-data.h"

#define DOC_BOUNDARY "gatepost-2c5e0b7a9d4f4e1b8a6c3d2e1f0a9b8c"
#define DOC_NOW 1566987169
#define DOC_NONCE "12ced2db6f0193dda91ba86224ea1cd8"
#define MCH_ID "1900231671"
#define MERCHANT_SERIAL "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
#define PLATFORM_SERIAL "PUB_KEY_ID_0000000000000024101100397200000006"
#define RESPONSE_TS "1700000000"
#define RESPONSE_NONCE "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
#define PIC1_SHA256 "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4"

typedef struct
{
  char             *dir;
  gnutls_privkey_t  app_key;
  gnutls_privkey_t  gateway_key;
  gnutls_pubkey_t   gateway_pub;
  gnutls_pubkey_t   app_pub;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gatepost-v3-XXXXXX", &error);
  g_assert_no_error (error);
  f->app_key = signing_data_private_key ("app-key.pem");
  f->app_pub = signing_data_public_key ("app-pub.pem");
  f->gateway_key = signing_data_private_key ("gateway-key.pem");
  f->gateway_pub = signing_data_public_key ("gateway-pub.pem");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  gnutls_privkey_deinit (f->app_key);
  gnutls_privkey_deinit (f->gateway_key);
  gnutls_pubkey_deinit (f->gateway_pub);
  gnutls_pubkey_deinit (f->app_pub);
}

static GpCheckReport *
file_as (Fixture       *f,
         const char    *name,
         const void    *data,
         gsize          len,
         GpGatewayKind  kind)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GpCheckReport *report;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  report = gp_file_check_sync (path, kind, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (report));

  return report;
}

static GpCheckReport *
tiny_jpeg_as (Fixture       *f,
              const char    *name,
              GpGatewayKind  kind)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  data = signing_data_read ("tiny.jpg", &len);
  return file_as (f, name, data, len, kind);
}

static GBytes *
request_body (GpHttpRequest *request)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[1000];
  gssize n;

  stream = gp_http_request_open_body (request, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (stream, buf, sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (out, buf, n);
  g_assert_no_error (error);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
fill_creds (Fixture              *f,
            GpGatewayCredentials *creds)
{
  memset (creds, 0, sizeof *creds);
  creds->mch_id = MCH_ID;
  creds->serial_no = MERCHANT_SERIAL;
  creds->verify_serial = PLATFORM_SERIAL;
  creds->private_key = f->app_key;
}

static void
test_document_pieces (void)
{
  g_autofree char *meta = gp_wechatpay_v3_build_meta (GP_GATEWAY_WECHATPAY_V3, "filea.jpg",
                                                      PIC1_SHA256);
  g_autofree char *global = gp_wechatpay_v3_build_meta (GP_GATEWAY_WECHATPAY_GLOBAL,
                                                        "verify.pdf", PIC1_SHA256);
  g_autofree char *message = NULL;
  g_autofree char *auth = gp_wechatpay_v3_build_authorization (MCH_ID, DOC_NONCE, DOC_NOW,
                                                               MERCHANT_SERIAL, "c2ln");
  g_autofree char *doc = NULL;
  gsize len = 0;

  g_assert_cmpstr (meta, ==, "{\"filename\":\"filea.jpg\",\"sha256\":\"" PIC1_SHA256 "\"}");
  g_assert_cmpstr (global, ==, "{\"filename\":\"verify.pdf\",\"digest\":\"" PIC1_SHA256 "\"}");

  /* PROTOCOLS.md 3.2's 185-byte message. */
  message = gp_wechatpay_v3_build_message ("POST", "/v3/merchant-service/images/upload",
                                           DOC_NOW, DOC_NONCE, meta);
  doc = signing_data_read ("v3-message.txt", &len);
  g_assert_cmpuint (strlen (message), ==, 185);
  g_assert_cmpmem (message, strlen (message), doc, len);

  g_assert_cmpstr (auth, ==, "WECHATPAY2-SHA256-RSA2048 mchid=\"1900231671\","
                             "nonce_str=\"12ced2db6f0193dda91ba86224ea1cd8\","
                             "timestamp=\"1566987169\",serial_no=\"" MERCHANT_SERIAL "\","
                             "signature=\"c2ln\"");
}

static GpProfile *
v3_profile (GpGatewayKind  kind,
            const char    *extra_json)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "signing", NULL);
  g_autofree char *json = g_strdup_printf ("{\"name\":\"Shop C\",\"gateway\":\"%s\","
                                           "\"mch_id\":\"" MCH_ID "\","
                                           "\"serial_no\":\"" MERCHANT_SERIAL "\","
                                           "\"private_key_file\":\"app-key.pem\","
                                           "\"platform_public_key_file\":\"gateway-pub.pem\","
                                           "\"platform_serial\":\"" PLATFORM_SERIAL "\"%s}",
                                           gp_gateway_kind_to_string (kind), extra_json);
  g_autoptr(GError) error = NULL;
  GpProfile *profile = gp_profile_new_from_data (json, -1, dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpstr (gp_profile_get_verify_serial (profile), ==, PLATFORM_SERIAL);

  return profile;
}

static void
assert_same_request (GpHttpRequest *a,
                     GpHttpRequest *b)
{
  g_autoptr(GBytes) body_a = request_body (a);
  g_autoptr(GBytes) body_b = request_body (b);

  g_assert_cmpstr (gp_http_request_get_method (a), ==, gp_http_request_get_method (b));
  g_assert_cmpstr (gp_http_request_get_url (a), ==, gp_http_request_get_url (b));
  g_assert_cmpuint (gp_http_request_get_n_headers (a), ==, gp_http_request_get_n_headers (b));
  for (guint i = 0; i < gp_http_request_get_n_headers (a); i++)
    {
      const char *na, *va, *nb, *vb;

      gp_http_request_get_header (a, i, &na, &va);
      gp_http_request_get_header (b, i, &nb, &vb);
      g_assert_cmpstr (na, ==, nb);
      g_assert_cmpstr (va, ==, vb);
    }
  g_assert_cmpstr (gp_http_request_get_content_type (a), ==, gp_http_request_get_content_type (b));
  g_assert_cmpuint (gp_http_request_get_content_length (a), ==,
                    gp_http_request_get_content_length (b));
  g_assert_true (g_bytes_equal (body_a, body_b));
}

static void
check_request (Fixture       *f,
               GpGatewayKind  kind,
               const char    *url,
               const char    *meta_file,
               const char    *sig_file)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "filea.jpg", kind);
  GpGatewayCredentials creds;
  GpRequestOptions options = { DOC_NOW, DOC_NONCE, DOC_BOUNDARY };
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autofree char *meta = signing_data_read (meta_file, NULL);
  g_autofree char *sig = signing_data_read (sig_file, NULL);
  g_autofree char *auth = NULL;
  g_autofree char *head = NULL;
  g_autofree char *jpeg = NULL;
  const char *name, *value;
  gsize jpeg_len = 0;
  static const char tail[] = "\r\n--" DOC_BOUNDARY "--\r\n";

  fill_creds (f, &creds);
  request = gp_wechatpay_v3_build_request (kind, &creds, report, &options, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (gp_http_request_get_method (request), ==, "POST");
  g_assert_cmpstr (gp_http_request_get_url (request), ==, url);

  /* The signature is openssl's over the five-line message. */
  auth = g_strdup_printf ("WECHATPAY2-SHA256-RSA2048 mchid=\"" MCH_ID "\",nonce_str=\""
                          DOC_NONCE "\",timestamp=\"1566987169\",serial_no=\""
                          MERCHANT_SERIAL "\",signature=\"%s\"", sig);
  g_assert_cmpuint (gp_http_request_get_n_headers (request), ==, 4);
  gp_http_request_get_header (request, 0, &name, &value);
  g_assert_cmpstr (name, ==, "Authorization");
  g_assert_cmpstr (value, ==, auth);
  gp_http_request_get_header (request, 1, &name, &value);
  g_assert_cmpstr (name, ==, "Accept");
  g_assert_cmpstr (value, ==, "application/json");
  gp_http_request_get_header (request, 2, &name, &value);
  g_assert_cmpstr (name, ==, "User-Agent");
  g_assert_cmpstr (value, ==, "Gatepost/" PACKAGE_VERSION);
  g_assert_cmpuint (strlen (value), >, strlen ("Gatepost/"));
  gp_http_request_get_header (request, 3, &name, &value);
  g_assert_cmpstr (name, ==, "Wechatpay-Serial");
  g_assert_cmpstr (value, ==, PLATFORM_SERIAL);
  g_assert_cmpstr (gp_http_request_get_content_type (request), ==,
                   "multipart/form-data; boundary=" DOC_BOUNDARY);

  head = g_strdup_printf ("--" DOC_BOUNDARY "\r\n"
                          "Content-Disposition: form-data; name=\"meta\"\r\n"
                          "Content-Type: application/json\r\n\r\n%s\r\n"
                          "--" DOC_BOUNDARY "\r\n"
                          "Content-Disposition: form-data; name=\"file\"; filename=\"filea.jpg\"\r\n"
                          "Content-Type: image/jpeg\r\n\r\n", meta);
  jpeg = signing_data_read ("tiny.jpg", &jpeg_len);
  g_byte_array_append (expected, (guint8 *) head, strlen (head));
  g_byte_array_append (expected, (guint8 *) jpeg, jpeg_len);
  g_byte_array_append (expected, (guint8 *) tail, strlen (tail));

  body = request_body (request);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   expected->data, expected->len);
  g_assert_cmpuint (gp_http_request_get_content_length (request), ==, expected->len);

  /* Byte for byte the same through GpGateway and a profile. */
  {
    g_autoptr(GpProfile) profile = v3_profile (kind, "");
    g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (kind);
    g_autoptr(GpHttpRequest) via_profile = NULL;

    g_assert_cmpint (gp_gateway_get_kind (gateway), ==, kind);
    via_profile = gp_gateway_build_request (gateway, profile, report, &options, &error);
    g_assert_no_error (error);
    assert_same_request (request, via_profile);
  }
}

static void
test_request_v3 (Fixture       *f,
                 gconstpointer  data)
{
  check_request (f, GP_GATEWAY_WECHATPAY_V3,
                 "https://api.mch.weixin.qq.com/v3/merchant-service/images/upload",
                 "v3-request-meta.json", "v3-request.sig");
}

static void
test_request_global (Fixture       *f,
                     gconstpointer  data)
{
  check_request (f, GP_GATEWAY_WECHATPAY_GLOBAL,
                 "https://apihk.mch.weixin.qq.com/v3/global/merchant-storage/file/upload",
                 "global-request-meta.json", "global-request.sig");
}

static const char *
header_param (const char *auth,
              const char *key,
              char       *buf,
              gsize       size)
{
  g_autofree char *needle = g_strdup_printf ("%s=\"", key);
  const char *p = strstr (auth, needle);
  const char *q;

  g_assert_nonnull (p);
  p += strlen (needle);
  q = strchr (p, '"');
  g_assert_nonnull (q);
  g_assert_cmpuint (q - p, <, size);
  memcpy (buf, p, q - p);
  buf[q - p] = '\0';

  return buf;
}

static void
test_request_global_pdf_and_names (Fixture       *f,
                                   gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
  g_autoptr(GpCheckReport) report = file_as (f, "营业执照 2024.pdf", pdf, strlen (pdf),
                                             GP_GATEWAY_WECHATPAY_GLOBAL);
  GpGatewayCredentials creds;
  GpRequestOptions options = { 0, NULL, NULL };
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GpHttpRequest) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *part = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  char nonce[64], ts[64], sig[400], nonce2[64];
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  fill_creds (f, &creds);
  creds.base_url = "https://127.0.0.1:8443";
  request = gp_wechatpay_v3_build_request (GP_GATEWAY_WECHATPAY_GLOBAL, &creds, report,
                                           &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_http_request_get_url (request), ==,
                   "https://127.0.0.1:8443/v3/global/merchant-storage/file/upload");

  /* ASCII-safe name, identical in meta and the file part; PDF type. */
  name = g_strdup_printf ("%.16s.pdf", gp_check_report_get_sha256 (report));
  meta = gp_wechatpay_v3_build_meta (GP_GATEWAY_WECHATPAY_GLOBAL, name,
                                     gp_check_report_get_sha256 (report));
  part = g_strdup_printf ("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n%s\r\n", meta);
  body = request_body (request);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), part));
  g_free (part);
  part = g_strdup_printf ("name=\"file\"; filename=\"%s\"\r\nContent-Type: application/pdf\r\n",
                          name);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), part));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), "--gatepost-"));

  /* Fresh nonce and clock; the signature covers the meta bytes. */
  header_param (gp_http_request_lookup_header (request, "Authorization"), "nonce_str", nonce,
                sizeof nonce);
  header_param (gp_http_request_lookup_header (request, "Authorization"), "timestamp", ts,
                sizeof ts);
  header_param (gp_http_request_lookup_header (request, "Authorization"), "signature", sig,
                sizeof sig);
  g_assert_cmpuint (strlen (nonce), ==, 32);
  for (const char *p = nonce; *p; p++)
    g_assert_true (g_ascii_isalnum (*p));
  g_assert_cmpint (g_ascii_strtoll (ts, NULL, 10), >=, before);
  g_assert_cmpint (g_ascii_strtoll (ts, NULL, 10), <=, before + 5);
  message = gp_wechatpay_v3_build_message ("POST", "/v3/global/merchant-storage/file/upload",
                                           g_ascii_strtoll (ts, NULL, 10), nonce, meta);
  g_assert_true (gp_signer_rsa_sha256_verify (f->app_pub, message, strlen (message), sig,
                                              &error));
  g_assert_no_error (error);

  again = gp_wechatpay_v3_build_request (GP_GATEWAY_WECHATPAY_GLOBAL, &creds, report,
                                         NULL, &error);
  g_assert_no_error (error);
  header_param (gp_http_request_lookup_header (again, "Authorization"), "nonce_str", nonce2,
                sizeof nonce2);
  g_assert_cmpstr (nonce, !=, nonce2);
  g_assert_cmpstr (gp_http_request_get_content_type (request), !=,
                   gp_http_request_get_content_type (again));
}

static void
test_request_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "a.jpg", GP_GATEWAY_WECHATPAY_V3);
  GpGatewayCredentials creds;
  g_autoptr(GError) error = NULL;

  fill_creds (f, &creds);
  creds.verify_serial = NULL;
  g_assert_null (gp_wechatpay_v3_build_request (GP_GATEWAY_WECHATPAY_V3, &creds, report, NULL,
                                                &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "platform"));
  g_clear_error (&error);

  fill_creds (f, &creds);
  creds.mch_id = "1900\"231671";
  g_assert_null (gp_wechatpay_v3_build_request (GP_GATEWAY_WECHATPAY_V3, &creds, report, NULL,
                                                &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
  g_clear_error (&error);

  fill_creds (f, &creds);
  creds.private_key = NULL;
  g_assert_null (gp_wechatpay_v3_build_request (GP_GATEWAY_WECHATPAY_V3, &creds, report, NULL,
                                                &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
}

static void
assert_failure (GpUploadResult *result,
                GpStage         stage,
                const char     *code,
                gboolean        retryable)
{
  g_assert_false (gp_upload_result_is_ok (result));
  g_assert_cmpint (gp_upload_result_get_stage (result), ==, stage);
  g_assert_cmpstr (gp_upload_result_get_code (result), ==, code);
  g_assert_cmpint (gp_upload_result_get_retryable (result), ==, retryable);
  g_assert_nonnull (gp_upload_result_get_message (result));
  g_assert_null (gp_upload_result_get_media_id (result));
}

typedef struct
{
  GpGatewayKind       kind;
  guint               status;
  GpWechatpayHeaders  headers;
  char               *body;
  char               *sig;
  gint64              now;
} Response;

static void
response_clear (Response *r)
{
  g_free (r->body);
  g_free (r->sig);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
response_init (Response      *r,
               GpGatewayKind  kind,
               const char    *name)
{
  g_autofree char *body_file = g_strdup_printf ("%s-body.json", name);
  g_autofree char *sig_file = g_strdup_printf ("%s.sig", name);

  r->kind = kind;
  r->status = 200;
  r->body = signing_data_read (body_file, NULL);
  r->sig = signing_data_read (sig_file, NULL);
  r->headers.timestamp = RESPONSE_TS;
  r->headers.nonce = RESPONSE_NONCE;
  r->headers.signature = r->sig;
  r->headers.serial = PLATFORM_SERIAL;
  r->headers.request_id = "08F78BB5AF0610D0E30A18C0CFC0D001";
  r->now = 1700000000 + 10;
}

static GpUploadResult *
parse (Fixture  *f,
       Response *r)
{
  return gp_wechatpay_v3_parse_response_bytes (r->kind, r->status, &r->headers, r->body,
                                               strlen (r->body), f->gateway_pub,
                                               PLATFORM_SERIAL, r->now);
}

static void
test_response_success (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Response) v3 = { 0 };
  g_auto(Response) global = { 0 };
  g_autoptr(GpUploadResult) r1 = NULL;
  g_autoptr(GpUploadResult) r2 = NULL;
  g_autoptr(GpUploadResult) r3 = NULL;
  g_autoptr(GpUploadResult) r4 = NULL;

  response_init (&v3, GP_GATEWAY_WECHATPAY_V3, "v3-response");
  r1 = parse (f, &v3);
  g_assert_true (gp_upload_result_is_ok (r1));
  g_assert_cmpstr (gp_upload_result_get_media_id (r1), ==, "BB04A5DEEFEA18D4F2554C1EDD3B610B.bmp");
  g_assert_null (gp_upload_result_get_media_url (r1));
  g_assert_cmpstr (gp_upload_result_get_request_id (r1), ==, "08F78BB5AF0610D0E30A18C0CFC0D001");
  g_assert_cmpuint (gp_upload_result_get_http_status (r1), ==, 200);

  response_init (&global, GP_GATEWAY_WECHATPAY_GLOBAL, "global-response");
  r2 = parse (f, &global);
  g_assert_true (gp_upload_result_is_ok (r2));
  g_assert_cmpstr (gp_upload_result_get_media_id (r2), ==, "b6a17e2a-1dc4-4376-8630-e73d06490c0d");

  /* Global's answer names file_id, which v3 does not read. */
  global.kind = GP_GATEWAY_WECHATPAY_V3;
  r3 = parse (f, &global);
  assert_failure (r3, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);

  /* Serials compare without case and leading zeros; 299 s is in the window. */
  v3.headers.serial = "pub_key_id_0000000000000024101100397200000006";
  v3.now = 1700000000 - 299;
  r4 = parse (f, &v3);
  g_assert_true (gp_upload_result_is_ok (r4));
  g_assert_true (gp_wechatpay_serial_equal ("0ABC", "abc"));
  g_assert_false (gp_wechatpay_serial_equal ("ABC", "ABD"));
  g_assert_false (gp_wechatpay_serial_equal ("", ""));
  g_assert_false (gp_wechatpay_serial_equal (NULL, "ABC"));
}

static void
test_response_verify_failures (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(Response) r = { 0 };
  g_autofree char *other_sig = signing_data_read ("global-response.sig", NULL);
  g_autofree char *good_body = NULL;
  GpUploadResult *res;
  const char **fields[4];

  response_init (&r, GP_GATEWAY_WECHATPAY_V3, "v3-response");
  good_body = g_strdup (r.body);

  /* Unknown serial, with a message that says so. */
  r.headers.serial = "3775B6A45ACD588826D15E583A95F5DD********";
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_UNKNOWN_SERIAL, FALSE);
  g_assert_nonnull (strstr (gp_upload_result_get_message (res), "unknown serial"));
  gp_upload_result_unref (res);
  r.headers.serial = PLATFORM_SERIAL;

  /* Stale either way: |now - ts| >= 300. */
  r.now = 1700000000 + 300;
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, FALSE);
  gp_upload_result_unref (res);
  r.now = 1700000000 - 300;
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, FALSE);
  gp_upload_result_unref (res);
  r.now = 1700000010;
  r.headers.timestamp = "1700000000000";     /* milliseconds */
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, FALSE);
  gp_upload_result_unref (res);
  r.headers.timestamp = "17000000x0";
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, FALSE);
  gp_upload_result_unref (res);
  r.headers.timestamp = RESPONSE_TS;

  /* Another body's signature; a probe signature that is not base64. */
  r.headers.signature = other_sig;
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  gp_upload_result_unref (res);
  r.headers.signature = "WECHATPAY/SIGNTEST/9MFD3a7Rcc+BnB0dxqkL2w==";
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  gp_upload_result_unref (res);
  r.headers.signature = r.sig;

  /* A changed media_id, and a changed nonce. */
  g_free (r.body);
  r.body = g_strdup ("{\"media_id\":\"BB04A5DEEFEA18D4F2554C1EDD3B610C.bmp\"}");
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  gp_upload_result_unref (res);
  g_free (r.body);
  r.body = g_strdup (good_body);
  r.headers.nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VT";
  res = parse (f, &r);
  assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  gp_upload_result_unref (res);
  r.headers.nonce = RESPONSE_NONCE;

  /* Each of the four headers missing. */
  fields[0] = &r.headers.timestamp;
  fields[1] = &r.headers.nonce;
  fields[2] = &r.headers.signature;
  fields[3] = &r.headers.serial;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *saved = *fields[i];

      *fields[i] = NULL;
      res = parse (f, &r);
      assert_failure (res, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
      gp_upload_result_unref (res);
      *fields[i] = saved;
    }

  /* Still good after all that. */
  res = parse (f, &r);
  g_assert_true (gp_upload_result_is_ok (res));
  gp_upload_result_unref (res);
}

static GpUploadResult *
parse_error (Fixture    *f,
             guint       status,
             const char *body)
{
  GpWechatpayHeaders headers = { NULL, NULL, NULL, NULL, "REQ-1" };

  return gp_wechatpay_v3_parse_response_bytes (GP_GATEWAY_WECHATPAY_V3, status, &headers, body,
                                               strlen (body), f->gateway_pub, PLATFORM_SERIAL,
                                               1700000000);
}

static void
test_response_errors (Fixture       *f,
                      gconstpointer  data)
{
  static const char sign_error[] =
    "{\"code\":\"SIGN_ERROR\",\"detail\":{\"detail\":{\"issue\":\"sign not match\"},"
    "\"field\":\"signature\",\"location\":\"authorization\",\"sign_information\":"
    "{\"method\":\"POST\",\"sign_message_length\":89,\"truncated_sign_message\":"
    "\"POST\\n/v3/…\\n1586354275\\n7f6a…\\n\\n\",\"url\":\"/v3/…\"}},"
    "\"message\":\"错误的签名,验签失败\"}";
  g_autofree char *param_error = signing_data_read ("v3-error-body.json", NULL);
  g_autoptr(GpUploadResult) r1 = parse_error (f, 401, sign_error);
  g_autoptr(GpUploadResult) r2 = parse_error (f, 429, "{\"code\":\"FREQUENCY_LIMITED\","
                                                      "\"message\":\"slow down\"}");
  g_autoptr(GpUploadResult) r3 = parse_error (f, 500, "{\"code\":\"SYSTEM_ERROR\","
                                                      "\"message\":\"系统错误\"}");
  g_autoptr(GpUploadResult) r4 = parse_error (f, 400, param_error);
  g_autoptr(GpUploadResult) r5 = parse_error (f, 400, "{\"code\":\"INVALID_REQUEST\","
                                                      "\"message\":\"Http头缺少Accept或User-Agent\"}");
  g_autoptr(GpUploadResult) r6 = parse_error (f, 502, "<html>Bad Gateway</html>");
  g_autoptr(GpUploadResult) r7 = parse_error (f, 403, "{\"code\":\"NO_AUTH\"}");
  g_autoptr(GpUploadResult) r8 = parse_error (f, 503, "{\"code\":\"SERVICE_UNAVAILABLE\","
                                                      "\"message\":\"x\"}");
  g_autoptr(GpUploadResult) r9 = parse_error (f, 500, "{\"code\":\"PARAM_ERROR\","
                                                      "\"message\":\"x\"}");
  g_autoptr(GpUploadResult) r10 = parse_error (f, 400, "");

  assert_failure (r1, GP_STAGE_GATEWAY, "SIGN_ERROR", FALSE);
  g_assert_cmpstr (gp_upload_result_get_message (r1), ==, "错误的签名,验签失败");
  g_assert_cmpstr (gp_upload_result_get_detail (r1), ==, "POST\n/v3/…\n1586354275\n7f6a…\n\n");
  g_assert_cmpuint (gp_upload_result_get_http_status (r1), ==, 401);
  g_assert_cmpstr (gp_upload_result_get_request_id (r1), ==, "REQ-1");
  assert_failure (r2, GP_STAGE_GATEWAY, "FREQUENCY_LIMITED", TRUE);
  assert_failure (r3, GP_STAGE_GATEWAY, "SYSTEM_ERROR", TRUE);
  assert_failure (r4, GP_STAGE_GATEWAY, "PARAM_ERROR", FALSE);
  g_assert_cmpstr (gp_upload_result_get_message (r4), ==, "图片sha256值有误");
  g_assert_null (gp_upload_result_get_detail (r4));
  assert_failure (r5, GP_STAGE_GATEWAY, "INVALID_REQUEST", FALSE);
  assert_failure (r6, GP_STAGE_GATEWAY, "HTTP_502", TRUE);
  assert_failure (r7, GP_STAGE_GATEWAY, "NO_AUTH", FALSE);
  assert_failure (r8, GP_STAGE_GATEWAY, "SERVICE_UNAVAILABLE", TRUE);
  assert_failure (r9, GP_STAGE_GATEWAY, "PARAM_ERROR", FALSE);
  assert_failure (r10, GP_STAGE_GATEWAY, "HTTP_400", FALSE);
}

static void
test_response_signed_malformed (Fixture       *f,
                                gconstpointer  data)
{
  static const char *bodies[] = { "{\"media_id\":", "[\"media_id\"]", "{\"media_id\":42}", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *message = g_strdup_printf (RESPONSE_TS "\n" RESPONSE_NONCE "\n%s\n",
                                                  bodies[i]);
      g_autofree char *sig = gp_signer_rsa_sha256_sign (f->gateway_key, message,
                                                        strlen (message), NULL);
      g_auto(Response) r = { 0 };
      g_autoptr(GpUploadResult) res = NULL;

      response_init (&r, GP_GATEWAY_WECHATPAY_V3, "v3-response");
      g_free (r.body);
      r.body = g_strdup (bodies[i]);
      r.headers.signature = sig;
      res = parse (f, &r);
      assert_failure (res, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
      /* a body that is not a JSON object is called that, not a missing ID */
      if (i != 2)
        g_assert_nonnull (strstr (gp_upload_result_get_message (res), "not a valid JSON"));
    }
}

static void
test_gateway_with_profile (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GpProfile) profile = v3_profile (GP_GATEWAY_WECHATPAY_V3, "");
  g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (GP_GATEWAY_WECHATPAY_V3);
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(SoupMessageHeaders) none = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *body_text = signing_data_read ("v3-response-body.json", NULL);
  g_autofree char *sig = signing_data_read ("v3-response.sig", NULL);
  g_autoptr(GBytes) body = g_bytes_new (body_text, strlen (body_text));
  g_autoptr(GBytes) unauthorized = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  GpUploadResult *r;
  static const char sign_error[] = "{\"code\":\"SIGN_ERROR\",\"message\":\"错误的签名,验签失败\"}";

  soup_message_headers_append (h, "Wechatpay-Timestamp", RESPONSE_TS);
  soup_message_headers_append (h, "Wechatpay-Nonce", RESPONSE_NONCE);
  soup_message_headers_append (h, "Wechatpay-Signature", sig);
  soup_message_headers_append (h, "Wechatpay-Serial", PLATFORM_SERIAL);
  soup_message_headers_append (h, "Request-ID", "RID");

  r = gp_gateway_parse_response (gateway, profile, 200, h, body, 1700000100);
  g_assert_true (gp_upload_result_is_ok (r));
  g_assert_cmpstr (gp_upload_result_get_media_id (r), ==, "BB04A5DEEFEA18D4F2554C1EDD3B610B.bmp");
  g_assert_cmpstr (gp_upload_result_get_request_id (r), ==, "RID");
  gp_upload_result_unref (r);

  r = gp_gateway_parse_response (gateway, profile, 200, h, body, 1700000000 + 400);
  assert_failure (r, GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, FALSE);
  gp_upload_result_unref (r);

  r = gp_gateway_parse_response (gateway, profile, 200, none, body, 1700000100);
  assert_failure (r, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
  gp_upload_result_unref (r);

  soup_message_headers_replace (h, "Wechatpay-Serial", "PUB_KEY_ID_0000000000000099999999999999999999");
  r = gp_gateway_parse_response (gateway, profile, 200, h, body, 1700000100);
  assert_failure (r, GP_STAGE_VERIFY, GP_RESULT_UNKNOWN_SERIAL, FALSE);
  gp_upload_result_unref (r);

  unauthorized = g_bytes_new_static (sign_error, strlen (sign_error));
  r = gp_gateway_parse_response (gateway, profile, 401, none, unauthorized, 1700000100);
  assert_failure (r, GP_STAGE_GATEWAY, "SIGN_ERROR", FALSE);
  gp_upload_result_unref (r);

  r = gp_gateway_parse_response (gateway, profile, 429, none, empty, 1700000100);
  assert_failure (r, GP_STAGE_GATEWAY, "HTTP_429", TRUE);
  gp_upload_result_unref (r);
}

static void
test_headers_from_soup (void)
{
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  GpWechatpayHeaders out = { 0 };

  soup_message_headers_append (h, "wechatpay-timestamp", RESPONSE_TS);
  soup_message_headers_append (h, "Wechatpay-Nonce", RESPONSE_NONCE);
  soup_message_headers_append (h, "Wechatpay-Signature", "c2ln");
  soup_message_headers_append (h, "Wechatpay-Serial", PLATFORM_SERIAL);
  soup_message_headers_append (h, "Request-ID", "R");
  gp_wechatpay_headers_from_soup (&out, h);
  g_assert_cmpstr (out.timestamp, ==, RESPONSE_TS);
  g_assert_cmpstr (out.nonce, ==, RESPONSE_NONCE);
  g_assert_cmpstr (out.signature, ==, "c2ln");
  g_assert_cmpstr (out.serial, ==, PLATFORM_SERIAL);
  g_assert_cmpstr (out.request_id, ==, "R");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/wechatpay-v3/document-pieces", test_document_pieces);
  g_test_add ("/gatepost/wechatpay-v3/request-v3", Fixture, NULL,
              fixture_set_up, test_request_v3, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/request-global", Fixture, NULL,
              fixture_set_up, test_request_global, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/request-global-pdf-and-names", Fixture, NULL,
              fixture_set_up, test_request_global_pdf_and_names, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/request-refusals", Fixture, NULL,
              fixture_set_up, test_request_refusals, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/response-success", Fixture, NULL,
              fixture_set_up, test_response_success, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/response-verify-failures", Fixture, NULL,
              fixture_set_up, test_response_verify_failures, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/response-errors", Fixture, NULL,
              fixture_set_up, test_response_errors, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/response-signed-malformed", Fixture, NULL,
              fixture_set_up, test_response_signed_malformed, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v3/gateway-with-profile", Fixture, NULL,
              fixture_set_up, test_gateway_with_profile, fixture_tear_down);
  g_test_add_func ("/gatepost/wechatpay-v3/headers-from-soup", test_headers_from_soup);

  return g_test_run ();
}
