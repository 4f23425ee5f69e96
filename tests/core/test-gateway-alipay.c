/* test-gateway-alipay.c: the Alipay driver's request bytes and response rules
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gatepost-core.h"
#include "gp-gateway-drivers-private.h"

#include "test-signing-data.h"

#define DOC_BOUNDARY "gatepost-2c5e0b7a9d4f4e1b8a6c3d2e1f0a9b8c"
#define DOC_NOW 1406142470   /* 2014-07-24 03:07:50 in Beijing */
#define NODE_NAME GP_ALIPAY_RESPONSE_NODE

typedef struct
{
  char             *dir;
  gnutls_privkey_t  app_key;
  gnutls_pubkey_t   app_pub;
  gnutls_pubkey_t   gateway_pub;
  gnutls_privkey_t  gateway_key;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gatepost-alipay-XXXXXX", &error);
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
  gnutls_pubkey_deinit (f->app_pub);
  gnutls_privkey_deinit (f->gateway_key);
  gnutls_pubkey_deinit (f->gateway_pub);
}

/* tiny.jpg copied under @name and checked for Alipay. */
static GpCheckReport *
tiny_jpeg_as (Fixture    *f,
              const char *name)
{
  g_autofree char *data = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GpCheckReport *report;
  gsize len = 0;

  data = signing_data_read ("tiny.jpg", &len);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  report = gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (report));

  return report;
}

/* base64 → x-www-form-urlencoded, written out independently. */
static char *
urlencode_base64 (const char *b64)
{
  g_autoptr(GString) s = g_string_new (b64);

  g_string_replace (s, "+", "%2B", 0);
  g_string_replace (s, "/", "%2F", 0);
  g_string_replace (s, "=", "%3D", 0);

  return g_strdup (s->str);
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
test_timestamp (void)
{
  g_autofree char *doc = gp_alipay_format_timestamp (DOC_NOW);
  g_autofree char *epoch = gp_alipay_format_timestamp (0);
  g_autofree char *late = gp_alipay_format_timestamp (1700000000);

  /* TZ is set to Los Angeles in main(): the result must not care. */
  g_assert_cmpstr (doc, ==, "2014-07-24 03:07:50");
  g_assert_cmpstr (epoch, ==, "1970-01-01 08:00:00");
  g_assert_cmpstr (late, ==, "2023-11-15 06:13:20");
}

static void
test_urlencode (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "2014-07-24 03:07:50", "2014-07-24+03%3A07%3A50" },
    { "a+b/c=d&e", "a%2Bb%2Fc%3Dd%26e" },
    { "门", "%E9%97%A8" },
    { "AZaz09*-._~", "AZaz09*-._%7E" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = gp_form_urlencode (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
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

static GpProfile *
alipay_profile (const char *extra_json)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "signing", NULL);
  g_autofree char *json = g_strdup_printf ("{\"name\":\"Shop A\",\"gateway\":\"alipay\","
                                           "\"app_id\":\"2014072300007148\","
                                           "\"private_key_file\":\"app-key.pem\","
                                           "\"alipay_public_key_file\":\"gateway-pub.pem\"%s}",
                                           extra_json);
  g_autoptr(GError) error = NULL;
  GpProfile *profile = gp_profile_new_from_data (json, -1, dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);

  return profile;
}

static void
test_request_document_example (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "门店照片");
  GpGatewayCredentials creds = { 0 };
  GpRequestOptions options = { DOC_NOW, NULL, DOC_BOUNDARY };
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autofree char *sig = signing_data_read ("alipay-sign-content.sig", NULL);
  g_autofree char *sha = signing_data_read ("tiny.jpg.sha256", NULL);
  g_autofree char *sig_q = urlencode_base64 (sig);
  g_autofree char *url = NULL;
  g_autofree char *head = NULL;
  g_autofree char *jpeg = NULL;
  gsize jpeg_len = 0;
  static const char tail[] = "\r\n--" DOC_BOUNDARY "--\r\n";

  creds.app_id = "2014072300007148";
  creds.private_key = f->app_key;
  creds.image_pid = "";

  request = gp_alipay_build_request (&creds, report, &options, &error);
  g_assert_no_error (error);

  /* The signature is openssl's over PROTOCOLS.md's 189-byte string. */
  url = g_strconcat ("https://openapi.alipay.com/gateway.do?app_id=2014072300007148"
                     "&method=alipay.offline.material.image.upload&format=JSON&charset=UTF-8"
                     "&sign_type=RSA2&timestamp=2014-07-24+03%3A07%3A50&version=1.0&sign=",
                     sig_q, NULL);
  g_assert_cmpstr (gp_http_request_get_method (request), ==, "POST");
  g_assert_cmpstr (gp_http_request_get_url (request), ==, url);
  g_assert_cmpuint (gp_http_request_get_n_headers (request), ==, 0);
  g_assert_cmpstr (gp_http_request_get_content_type (request), ==,
                   "multipart/form-data; boundary=" DOC_BOUNDARY);

  head = g_strdup_printf ("--" DOC_BOUNDARY "\r\n"
                          "Content-Disposition: form-data; name=\"image_type\"\r\n\r\njpg\r\n"
                          "--" DOC_BOUNDARY "\r\n"
                          "Content-Disposition: form-data; name=\"image_name\"\r\n\r\n门店照片\r\n"
                          "--" DOC_BOUNDARY "\r\n"
                          "Content-Disposition: form-data; name=\"image_content\"; "
                          "filename=\"%.16s.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n", sha);
  jpeg = signing_data_read ("tiny.jpg", &jpeg_len);
  g_byte_array_append (expected, (guint8 *) head, strlen (head));
  g_byte_array_append (expected, (guint8 *) jpeg, jpeg_len);
  g_byte_array_append (expected, (guint8 *) tail, strlen (tail));

  body = request_body (request);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   expected->data, expected->len);
  g_assert_cmpuint (gp_http_request_get_content_length (request), ==, expected->len);

  /* The same bytes through GpGateway and a profile made from the files. */
  {
    g_autoptr(GpProfile) profile = alipay_profile ("");
    g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (GP_GATEWAY_ALIPAY);
    g_autoptr(GpHttpRequest) via_profile = NULL;
    g_autoptr(GBytes) body2 = NULL;

    g_assert_cmpint (gp_gateway_get_kind (gateway), ==, GP_GATEWAY_ALIPAY);
    via_profile = gp_gateway_build_request (gateway, profile, report, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gp_http_request_get_url (via_profile), ==, url);
    g_assert_cmpuint (gp_http_request_get_n_headers (via_profile), ==, 0);
    g_assert_cmpstr (gp_http_request_get_content_type (via_profile), ==,
                     "multipart/form-data; boundary=" DOC_BOUNDARY);
    g_assert_cmpuint (gp_http_request_get_content_length (via_profile), ==, expected->len);
    body2 = request_body (via_profile);
    g_assert_cmpmem (g_bytes_get_data (body2, NULL), g_bytes_get_size (body2),
                     expected->data, expected->len);
  }
}

static void
test_gateway_with_profile (Fixture       *f,
                           gconstpointer  data)
{
  static const char unsigned_error[] =
    "{\"error_response\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\","
    "\"sub_code\":\"isv.invalid-app-id\"}}";
  g_autoptr(GpProfile) profile = alipay_profile (",\"base_url\":\"https://127.0.0.1:8443\"");
  g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (GP_GATEWAY_ALIPAY);
  g_autoptr(GpGateway) v2 = gp_gateway_new_for_kind (GP_GATEWAY_WECHATPAY_V2);
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "a.jpg");
  g_autoptr(GpCheckReport) other = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *node = signing_data_read ("alipay-response-node.json", NULL);
  g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autofree char *err_sig = signing_data_read ("alipay-error-node.sig", NULL);
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GpUploadResult) ok = NULL;
  g_autoptr(GpUploadResult) bad = NULL;
  g_autoptr(GpUploadResult) gw = NULL;
  g_autoptr(GBytes) ok_body = NULL;
  g_autoptr(GBytes) bad_body = NULL;
  g_autoptr(GBytes) gw_body = NULL;
  g_autoptr(GError) error = NULL;

  request = gp_gateway_build_request (gateway, profile, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (gp_http_request_get_url (request),
                                   "https://127.0.0.1:8443/gateway.do?app_id=2014072300007148&"));

  /* A profile of another gateway, a file checked for another gateway. */
  g_assert_null (gp_gateway_build_request (v2, profile, report, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
  g_clear_error (&error);
  other = gp_check_report_evaluate (report, GP_GATEWAY_WECHATPAY_V3);
  g_assert_null (gp_gateway_build_request (gateway, profile, other, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FILE);
  g_clear_error (&error);

  ok_body = g_bytes_new_take (g_strdup_printf ("{\"%s\":%s,\"sign\":\"%s\"}", NODE_NAME, node, sig),
                              strlen (NODE_NAME) + strlen (node) + strlen (sig) + 15);
  ok = gp_gateway_parse_response (gateway, profile, 200, headers, ok_body, 0);
  g_assert_true (gp_upload_result_is_ok (ok));
  g_assert_cmpstr (gp_upload_result_get_media_id (ok), ==, "hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED");

  bad_body = g_bytes_new_take (g_strdup_printf ("{\"%s\":%s,\"sign\":\"%s\"}", NODE_NAME, node,
                                                err_sig),
                               strlen (NODE_NAME) + strlen (node) + strlen (err_sig) + 15);
  bad = gp_gateway_parse_response (gateway, profile, 200, headers, bad_body, 0);
  assert_failure (bad, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);

  gw_body = g_bytes_new_static (unsigned_error, strlen (unsigned_error));
  gw = gp_gateway_parse_response (gateway, profile, 200, headers, gw_body, 0);
  assert_failure (gw, GP_STAGE_GATEWAY, "isv.invalid-app-id", FALSE);
}

static void
test_request_image_pid_and_base_url (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "shop front.JPEG");
  GpGatewayCredentials creds = { 0 };
  GpRequestOptions options = { 1700000000, NULL, DOC_BOUNDARY };
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) query = NULL;
  static const char content[] =
    "app_id=2021000000000001&charset=UTF-8&format=JSON&image_name=shop front.JPEG"
    "&image_pid=2088000000000001&image_type=jpg&method=alipay.offline.material.image.upload"
    "&sign_type=RSA2&timestamp=2023-11-15 06:13:20&version=1.0";

  creds.app_id = "2021000000000001";
  creds.private_key = f->app_key;
  creds.image_pid = "2088000000000001";
  creds.base_url = "https://127.0.0.1:8443/";

  request = gp_alipay_build_request (&creds, report, &options, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (gp_http_request_get_url (request),
                                   "https://127.0.0.1:8443/gateway.do?app_id=2021000000000001&"));

  /* The decoded query's sign verifies over the sorted content, image_pid
   * included. */
  uri = g_uri_parse (gp_http_request_get_url (request), G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                              G_URI_PARAMS_WWW_FORM, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (query, "timestamp"), ==, "2023-11-15 06:13:20");
  g_assert_null (g_hash_table_lookup (query, "image_pid"));
  g_assert_true (gp_signer_rsa_sha256_verify (f->app_pub, content, strlen (content),
                                              g_hash_table_lookup (query, "sign"), &error));
  g_assert_no_error (error);

  body = request_body (request);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "name=\"image_pid\"\r\n\r\n2088000000000001\r\n"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "name=\"image_content\"; filename=\"" /* space → hash */));
  g_assert_null (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                               "filename=\"shop front"));
}

static void
test_request_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "a.jpg");
  g_autoptr(GpCheckReport) bad = NULL;
  g_autofree char *txt = g_build_filename (f->dir, "notes.txt", NULL);
  GpGatewayCredentials creds = { 0 };
  g_autoptr(GError) error = NULL;

  creds.private_key = f->app_key;
  g_assert_null (gp_alipay_build_request (&creds, report, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
  g_clear_error (&error);

  creds.app_id = "2021000000000001";
  g_file_set_contents (txt, "hello", 5, &error);
  g_assert_no_error (error);
  bad = gp_file_check_sync (txt, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gp_alipay_build_request (&creds, bad, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FILE);
}

static void
assert_node (const char *body,
             const char *expected_root,
             const char *expected_node)
{
  g_autoptr(GError) error = NULL;
  const char *root = NULL;
  gsize begin = 0, end = 0;

  g_assert_true (gp_alipay_extract_node (body, strlen (body), &root, &begin, &end, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (root, ==, expected_root);
  g_assert_cmpmem (body + begin, end - begin, expected_node, strlen (expected_node));
}

static void
assert_no_node (const char *body,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  const char *root = NULL;
  gsize begin = 0, end = 0;

  g_assert_false (gp_alipay_extract_node (body, strlen (body), &root, &begin, &end, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, code);
}

static void
test_extract_node (void)
{
  assert_node ("{\"" NODE_NAME "\":{\"code\":\"10000\"},\"sign\":\"x\"}",
               NODE_NAME, "{\"code\":\"10000\"}");
  /* Whitespace around the colon, braces and escaped quotes in strings. */
  assert_node ("{ \"" NODE_NAME "\" : {\"a\":\"}{\\\"}\",\"b\":{\"c\":\"\\\\\"},\"d\":\"\\\\\\\"}\"} ,"
               "\"sign\":\"x\"}",
               NODE_NAME, "{\"a\":\"}{\\\"}\",\"b\":{\"c\":\"\\\\\"},\"d\":\"\\\\\\\"}\"}");
  assert_node ("{\"error_response\":{\"code\":\"40002\",\"sub_msg\":\"{\"}}",
               "error_response", "{\"code\":\"40002\",\"sub_msg\":\"{\"}");
  /* The method node wins over error_response. */
  assert_node ("{\"error_response\":{\"code\":\"1\"},\"" NODE_NAME "\":{\"code\":\"2\"}}",
               NODE_NAME, "{\"code\":\"2\"}");

  assert_no_node ("{\"" NODE_NAME "\":{\"code\":\"10000\"},\"" NODE_NAME "\":{\"code\":\"10000\"}}",
                  GP_GATEWAY_ERROR_SPLICED);
  assert_no_node ("{\"" NODE_NAME "\":{\"code\":\"10000\"},\"sign\":\"" NODE_NAME "\"}",
                  GP_GATEWAY_ERROR_SPLICED);
  assert_no_node ("{\"" NODE_NAME "\":{\"code\":\"10000\",\"x\":\"}\"", GP_GATEWAY_ERROR_RESPONSE);
  assert_no_node ("{\"" NODE_NAME "\":\"string\"}", GP_GATEWAY_ERROR_RESPONSE);
  assert_no_node ("{\"other_response\":{}}", GP_GATEWAY_ERROR_RESPONSE);
  assert_no_node ("", GP_GATEWAY_ERROR_RESPONSE);
}

static char *
body_with (const char *root,
           const char *node,
           const char *sign)
{
  if (sign == NULL)
    return g_strdup_printf ("{\"%s\":%s}", root, node);
  return g_strdup_printf ("{\"%s\":%s,\"sign\":\"%s\"}", root, node, sign);
}

static GpUploadResult *
parse (Fixture    *f,
       guint       status,
       const char *body)
{
  return gp_alipay_parse_response_bytes (status, body, strlen (body), f->gateway_pub);
}


static void
test_response_success (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *node = signing_data_read ("alipay-response-node.json", NULL);
  g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autofree char *unescaped_sig = signing_data_read ("alipay-response-node-unescaped.sig", NULL);
  g_autoptr(GString) escaped_sig = g_string_new (sig);
  g_autofree char *body = body_with (NODE_NAME, node, sig);
  g_autofree char *body_escaped_sign = NULL;
  g_autofree char *body_fallback = NULL;
  g_autofree char *body_spaced = NULL;
  g_autoptr(GpUploadResult) r1 = NULL;
  g_autoptr(GpUploadResult) r2 = NULL;
  g_autoptr(GpUploadResult) r3 = NULL;
  g_autoptr(GpUploadResult) r4 = NULL;

  r1 = parse (f, 200, body);
  g_assert_true (gp_upload_result_is_ok (r1));
  g_assert_cmpstr (gp_upload_result_get_media_id (r1), ==, "hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED");
  g_assert_cmpstr (gp_upload_result_get_media_url (r1), ==,
                   "http://dl.django.t.taobao.com/rest/1.0/image?fileIds="
                   "hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED&zoom=original");
  g_assert_cmpuint (gp_upload_result_get_http_status (r1), ==, 200);

  /* Alipay may write the sign with \/ escapes: JSON-unescaped first. */
  g_string_replace (escaped_sig, "/", "\\/", 0);
  g_assert_cmpstr (escaped_sig->str, !=, sig);
  body_escaped_sign = body_with (NODE_NAME, node, escaped_sig->str);
  r2 = parse (f, 200, body_escaped_sign);
  g_assert_true (gp_upload_result_is_ok (r2));

  /* Signed over the node with / instead of \/: the one retry accepts it. */
  body_fallback = body_with (NODE_NAME, node, unescaped_sig);
  r3 = parse (f, 200, body_fallback);
  g_assert_true (gp_upload_result_is_ok (r3));

  /* Pretty-printed around the node: still the node's raw bytes. */
  body_spaced = g_strdup_printf ("{\n  \"%s\" :  %s ,\n  \"sign\" : \"%s\"\n}\n",
                                 NODE_NAME, node, sig);
  r4 = parse (f, 200, body_spaced);
  g_assert_true (gp_upload_result_is_ok (r4));
}

static void
test_response_signature_failures (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *node = signing_data_read ("alipay-response-node.json", NULL);
  g_autofree char *other_sig = signing_data_read ("alipay-error-node.sig", NULL);
  g_autofree char *app_sig = signing_data_read ("alipay-sign-content.sig", NULL);
  g_autofree char *b1 = body_with (NODE_NAME, node, other_sig);
  g_autofree char *b2 = body_with (NODE_NAME, node, "WECHATPAY/SIGNTEST/not base64!");
  g_autofree char *b3 = body_with (NODE_NAME, node, NULL);
  g_autofree char *b4 = body_with (NODE_NAME, node, "");
  g_autofree char *b5 = body_with (NODE_NAME, node, app_sig);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, b1);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, b2);
  g_autoptr(GpUploadResult) r3 = parse (f, 200, b3);
  g_autoptr(GpUploadResult) r4 = parse (f, 200, b4);
  g_autoptr(GpUploadResult) r5 = parse (f, 200, b5);

  assert_failure (r1, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r2, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r3, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
  assert_failure (r4, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
  assert_failure (r5, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);

  /* A tampered image_id no longer verifies. */
  {
    g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
    g_autoptr(GString) forged = g_string_new (node);
    g_autofree char *b6 = NULL;
    g_autoptr(GpUploadResult) r6 = NULL;

    g_string_replace (forged, "hOTQ1lT1", "hOTQ1lT2", 1);
    b6 = body_with (NODE_NAME, forged->str, sig);
    r6 = parse (f, 200, b6);
    assert_failure (r6, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  }
}

static void
test_response_errors (Fixture       *f,
                      gconstpointer  data)
{
  static const char unsigned_error[] =
    "{\"error_response\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\","
    "\"sub_code\":\"isv.invalid-signature\",\"sub_msg\":\"验签出错，网关生成的验签字符串为："
    "app_id=2014072300007148&charset=UTF-8\"}}";
  static const char busy[] =
    "{\"" NODE_NAME "\":{\"code\":\"20000\",\"msg\":\"Service Currently Unavailable\","
    "\"sub_code\":\"isp.unknow-error\",\"sub_msg\":\"系统繁忙\"}}";
  static const char system_error[] =
    "{\"" NODE_NAME "\":{\"code\":\"40004\",\"msg\":\"Business Failed\","
    "\"sub_code\":\"SYSTEM_ERROR\",\"sub_msg\":\"系统错误\"}}";
  g_autofree char *err_node = signing_data_read ("alipay-error-node.json", NULL);
  g_autofree char *err_sig = signing_data_read ("alipay-error-node.sig", NULL);
  g_autofree char *ok_sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autofree char *signed_error = body_with (NODE_NAME, err_node, err_sig);
  g_autofree char *badly_signed_error = body_with (NODE_NAME, err_node, ok_sig);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, unsigned_error);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, signed_error);
  g_autoptr(GpUploadResult) r3 = parse (f, 200, badly_signed_error);
  g_autoptr(GpUploadResult) r4 = parse (f, 200, busy);
  g_autoptr(GpUploadResult) r5 = parse (f, 200, system_error);

  assert_failure (r1, GP_STAGE_GATEWAY, "isv.invalid-signature", FALSE);
  g_assert_cmpstr (gp_upload_result_get_detail (r1), ==,
                   "验签出错，网关生成的验签字符串为：app_id=2014072300007148&charset=UTF-8");
  g_assert_true (g_str_has_prefix (gp_upload_result_get_message (r1), "Invalid Arguments: "));

  assert_failure (r2, GP_STAGE_GATEWAY, "EXCEED_MAX_SIZE", FALSE);
  g_assert_cmpstr (gp_upload_result_get_message (r2), ==, "Business Failed: 文件大小超过限制");

  assert_failure (r3, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r4, GP_STAGE_GATEWAY, "isp.unknow-error", TRUE);
  assert_failure (r5, GP_STAGE_GATEWAY, "SYSTEM_ERROR", TRUE);
}

static void
test_response_malformed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *node = signing_data_read ("alipay-response-node.json", NULL);
  g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autofree char *dup = g_strdup_printf ("{\"%s\":%s,\"%s\":%s,\"sign\":\"%s\"}",
                                          NODE_NAME, node, NODE_NAME, node, sig);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, dup);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, "{\"" NODE_NAME "\":{\"code\":\"10000\"");
  g_autoptr(GpUploadResult) r3 = parse (f, 200, "<html>413 Request Entity Too Large</html>");
  g_autoptr(GpUploadResult) r4 = parse (f, 200, "{\"foo\":{}}");
  g_autoptr(GpUploadResult) r5 = parse (f, 413, "<html>413 Request Entity Too Large</html>");
  g_autoptr(GpUploadResult) r6 = parse (f, 502, "");
  g_autoptr(GpUploadResult) r7 = parse (f, 200, "");

  assert_failure (r1, GP_STAGE_VERIFY, GP_RESULT_DUPLICATE_NODE, FALSE);
  assert_failure (r2, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
  assert_failure (r3, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
  assert_failure (r4, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
  assert_failure (r5, GP_STAGE_GATEWAY, "HTTP_413", FALSE);
  g_assert_cmpuint (gp_upload_result_get_http_status (r5), ==, 413);
  assert_failure (r6, GP_STAGE_GATEWAY, "HTTP_502", TRUE);
  assert_failure (r7, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);

  /* A NUL that would hide a second node from the byte scan. */
  {
    g_autofree char *text = g_strdup_printf ("{\"%s\":%s,\"sign\":\"%s\"}", NODE_NAME, node, sig);
    g_autoptr(GByteArray) hidden = g_byte_array_new ();
    g_autoptr(GpUploadResult) r8 = NULL;

    g_byte_array_append (hidden, (guint8 *) text, strlen (text));
    g_byte_array_append (hidden, (guint8 *) "\0", 1);
    g_byte_array_append (hidden, (guint8 *) text, strlen (text));
    r8 = gp_alipay_parse_response_bytes (200, (char *) hidden->data, hidden->len, f->gateway_pub);
    assert_failure (r8, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
  }
}

static void
test_response_values_from_signed_node (Fixture       *f,
                                       gconstpointer  data)
{
  /* A second node spelled with a JSON escape is invisible to the raw
   * scan but wins in a JSON parser: the values must still come from the
   * node the signature covers. */
  g_autofree char *node = signing_data_read ("alipay-response-node.json", NULL);
  g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autofree char *body = g_strdup_printf ("{\"%s\":%s,\"alipay_offline\\u005fmaterial_image_"
                                           "upload_response\":{\"code\":\"10000\",\"image_id\":"
                                           "\"FORGED\"},\"sign\":\"%s\"}", NODE_NAME, node, sig);
  g_autoptr(GpUploadResult) r = parse (f, 200, body);

  g_assert_true (gp_upload_result_is_ok (r));
  g_assert_cmpstr (gp_upload_result_get_media_id (r), ==, "hOTQ1lT1TtOjcxGflvnUXgAAACMAAQED");
}

static void
test_response_signed_without_image_id (Fixture       *f,
                                       gconstpointer  data)
{
  static const char node[] = "{\"code\":\"10000\",\"msg\":\"Success\"}";
  g_autofree char *sig = gp_signer_rsa_sha256_sign (f->gateway_key, node, strlen (node), NULL);
  g_autofree char *body = body_with (NODE_NAME, node, sig);
  g_autoptr(GpUploadResult) r = parse (f, 200, body);

  assert_failure (r, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "America/Los_Angeles", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/alipay/timestamp", test_timestamp);
  g_test_add_func ("/gatepost/alipay/urlencode", test_urlencode);
  g_test_add ("/gatepost/alipay/request-document-example", Fixture, NULL,
              fixture_set_up, test_request_document_example, fixture_tear_down);
  g_test_add ("/gatepost/alipay/request-image-pid-base-url", Fixture, NULL,
              fixture_set_up, test_request_image_pid_and_base_url, fixture_tear_down);
  g_test_add ("/gatepost/alipay/gateway-with-profile", Fixture, NULL,
              fixture_set_up, test_gateway_with_profile, fixture_tear_down);
  g_test_add ("/gatepost/alipay/request-refusals", Fixture, NULL,
              fixture_set_up, test_request_refusals, fixture_tear_down);
  g_test_add_func ("/gatepost/alipay/extract-node", test_extract_node);
  g_test_add ("/gatepost/alipay/response-success", Fixture, NULL,
              fixture_set_up, test_response_success, fixture_tear_down);
  g_test_add ("/gatepost/alipay/response-signature-failures", Fixture, NULL,
              fixture_set_up, test_response_signature_failures, fixture_tear_down);
  g_test_add ("/gatepost/alipay/response-errors", Fixture, NULL,
              fixture_set_up, test_response_errors, fixture_tear_down);
  g_test_add ("/gatepost/alipay/response-malformed", Fixture, NULL,
              fixture_set_up, test_response_malformed, fixture_tear_down);
  g_test_add ("/gatepost/alipay/response-values-from-signed-node", Fixture, NULL,
              fixture_set_up, test_response_values_from_signed_node, fixture_tear_down);
  g_test_add ("/gatepost/alipay/response-signed-without-image-id", Fixture, NULL,
              fixture_set_up, test_response_signed_without_image_id, fixture_tear_down);

  return g_test_run ();
}
