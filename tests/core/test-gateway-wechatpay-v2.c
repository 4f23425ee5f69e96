/* test-gateway-wechatpay-v2.c: the WeChat Pay v2 driver's request bytes and XML rules
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "gatepost-core.h"
#include "gp-gateway-drivers-private.h"

#include "test-signing-data.h"

#define DOC_BOUNDARY "gatepost-2c5e0b7a9d4f4e1b8a6c3d2e1f0a9b8c"
#define DOC_API_KEY "192006250b4c09247ec02edce69f6a2d"
#define DOC_MEDIA_ID "9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8"

typedef struct
{
  char   *dir;
  GBytes *api_key;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gatepost-v2-XXXXXX", &error);
  g_assert_no_error (error);
  f->api_key = g_bytes_new_static (DOC_API_KEY, strlen (DOC_API_KEY));
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
  g_bytes_unref (f->api_key);
}

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
  report = gp_file_check_sync (path, GP_GATEWAY_WECHATPAY_V2, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (report));

  return report;
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

static GpProfile *
v2_profile (const char *sign_type)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "signing", NULL);
  g_autofree char *json = g_strdup_printf ("{\"name\":\"Shop B\",\"gateway\":\"wechatpay-v2\","
                                           "\"mch_id\":\"1230000109\","
                                           "\"api_key\":\"" DOC_API_KEY "\","
                                           "\"sign_type\":\"%s\","
                                           "\"client_cert_file\":\"../keys/client.pem\","
                                           "\"client_key_file\":\"../keys/client.key.pem\"}",
                                           sign_type);
  g_autoptr(GError) error = NULL;
  GpProfile *profile = gp_profile_new_from_data (json, -1, dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);

  return profile;
}

static void
check_request (Fixture      *f,
               GpV2SignType  type,
               const char   *sign_file)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "filea.jpg");
  GpGatewayCredentials creds = { 0 };
  GpRequestOptions options = { 1700000000, NULL, DOC_BOUNDARY };
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autofree char *md5 = signing_data_read ("tiny.jpg.md5", NULL);
  g_autofree char *sign = signing_data_read (sign_file, NULL);
  g_autofree char *jpeg = NULL;
  g_autofree char *head = NULL;
  gsize jpeg_len = 0;
  static const char tail[] = "\r\n--" DOC_BOUNDARY "--\r\n";

  creds.mch_id = "1230000109";
  creds.api_key = f->api_key;
  creds.sign_type = type;
  request = gp_wechatpay_v2_build_request (&creds, report, &options, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (gp_http_request_get_url (request), ==,
                   "https://api.mch.weixin.qq.com/secapi/mch/uploadmedia");
  g_assert_cmpuint (gp_http_request_get_n_headers (request), ==, 0);
  g_assert_cmpstr (gp_http_request_get_content_type (request), ==,
                   "multipart/form-data; boundary=" DOC_BOUNDARY);

  head = g_strdup_printf ("--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; "
                          "name=\"mch_id\"\r\n\r\n1230000109\r\n"
                          "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; "
                          "name=\"media_hash\"\r\n\r\n%s\r\n"
                          "%s"
                          "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; "
                          "name=\"sign\"\r\n\r\n%s\r\n"
                          "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; "
                          "name=\"media\"; filename=\"filea.jpg\"\r\n"
                          "Content-Type: image/jpeg\r\n\r\n",
                          md5,
                          type == GP_V2_SIGN_HMAC_SHA256
                          ? "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; "
                            "name=\"sign_type\"\r\n\r\nHMAC-SHA256\r\n" : "",
                          sign);
  jpeg = signing_data_read ("tiny.jpg", &jpeg_len);
  g_byte_array_append (expected, (guint8 *) head, strlen (head));
  g_byte_array_append (expected, (guint8 *) jpeg, jpeg_len);
  g_byte_array_append (expected, (guint8 *) tail, strlen (tail));

  body = request_body (request);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   expected->data, expected->len);
  g_assert_cmpuint (gp_http_request_get_content_length (request), ==, expected->len);

  /* The same bytes through GpGateway and a profile. */
  {
    g_autoptr(GpProfile) profile = v2_profile (gp_v2_sign_type_to_string (type));
    g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (GP_GATEWAY_WECHATPAY_V2);
    g_autoptr(GpHttpRequest) via_profile = NULL;
    g_autoptr(GBytes) body2 = NULL;

    via_profile = gp_gateway_build_request (gateway, profile, report, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gp_http_request_get_url (via_profile), ==,
                     "https://api.mch.weixin.qq.com/secapi/mch/uploadmedia");
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
test_request_md5 (Fixture       *f,
                  gconstpointer  data)
{
  check_request (f, GP_V2_SIGN_MD5, "v2-request-md5.sign");
}

static void
test_request_hmac (Fixture       *f,
                   gconstpointer  data)
{
  check_request (f, GP_V2_SIGN_HMAC_SHA256, "v2-request-hmac.sign");
}

static void
test_request_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = tiny_jpeg_as (f, "a.jpg");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  GpGatewayCredentials creds = { 0 };
  g_autoptr(GError) error = NULL;

  creds.mch_id = "1230000109";
  g_assert_null (gp_wechatpay_v2_build_request (&creds, report, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
  g_clear_error (&error);
  creds.api_key = empty;
  g_assert_null (gp_wechatpay_v2_build_request (&creds, report, NULL, &error));
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE);
}

static GpUploadResult *
parse (Fixture    *f,
       guint       status,
       const char *body)
{
  return gp_wechatpay_v2_parse_response_bytes (status, body, strlen (body), f->api_key);
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

static char *
success_xml (const char *sign,
             gboolean    extra)
{
  return g_strdup_printf ("<xml><return_code><![CDATA[SUCCESS]]></return_code>\n"
                          "<return_msg><![CDATA[OK]]></return_msg>\n"
                          "%s"
                          "<result_code><![CDATA[SUCCESS]]></result_code>"
                          "<media_id><![CDATA[" DOC_MEDIA_ID "]]></media_id>"
                          "<sign><![CDATA[%s]]></sign></xml>",
                          extra ? "<appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
                                  "<mch_id>1230000109</mch_id><device_info></device_info>"
                                  "<nonce_str><![CDATA[5K8264ILTKCH16CQ]]></nonce_str>" : "",
                          sign);
}

static void
test_response_success (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *hmac = signing_data_read ("v2-response-hmac.sign", NULL);
  g_autofree char *extra = signing_data_read ("v2-response-extra.sign", NULL);
  g_autofree char *x1 = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B88", FALSE);
  g_autofree char *x2 = success_xml (hmac, FALSE);
  g_autofree char *x3 = success_xml (extra, TRUE);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, x1);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, x2);
  g_autoptr(GpUploadResult) r3 = parse (f, 200, x3);

  g_assert_true (gp_upload_result_is_ok (r1));
  g_assert_cmpstr (gp_upload_result_get_media_id (r1), ==, DOC_MEDIA_ID);
  g_assert_null (gp_upload_result_get_media_url (r1));
  g_assert_true (gp_upload_result_is_ok (r2));
  g_assert_cmpstr (gp_upload_result_get_media_id (r2), ==, DOC_MEDIA_ID);
  g_assert_true (gp_upload_result_is_ok (r3));
}

static void
test_response_signature_failures (Fixture       *f,
                                  gconstpointer  data)
{
  /* The document's sign does not cover the extra fields: they are signed too. */
  g_autofree char *x1 = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B88", TRUE);
  g_autofree char *x2 = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B87", FALSE);
  g_autofree char *x3 = success_xml ("", FALSE);
  g_autofree char *x4 = success_xml ("not-a-sign", FALSE);
  g_autoptr(GString) forged = g_string_new (NULL);
  g_autoptr(GBytes) other_key = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, x1);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, x2);
  g_autoptr(GpUploadResult) r3 = parse (f, 200, x3);
  g_autoptr(GpUploadResult) r4 = parse (f, 200, x4);
  g_autoptr(GpUploadResult) r5 = NULL;
  g_autoptr(GpUploadResult) r6 = NULL;
  g_autoptr(GpUploadResult) r7 = NULL;
  g_autofree char *x1_copy = g_strdup (x1);

  assert_failure (r1, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r2, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r3, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
  assert_failure (r4, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);

  /* A changed media_id. */
  {
    g_autofree char *good = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B88", FALSE);

    g_string_assign (forged, good);
    g_string_replace (forged, "9UYfXi", "9UYfXj", 1);
    r5 = parse (f, 200, forged->str);
    assert_failure (r5, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  }

  /* The wrong API key. */
  {
    g_autofree char *good = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B88", FALSE);

    r6 = gp_wechatpay_v2_parse_response_bytes (200, good, strlen (good), other_key);
    assert_failure (r6, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  }

  /* No sign element at all. */
  r7 = parse (f, 200, "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code>"
                      "<media_id>x</media_id></xml>");
  assert_failure (r7, GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, FALSE);
}

static void
test_response_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *fail_sign = signing_data_read ("v2-response-fail.sign", NULL);
  g_autofree char *x1 = g_strdup_printf ("<xml><return_code><![CDATA[SUCCESS]]></return_code>"
                                         "<return_msg><![CDATA[OK]]></return_msg>"
                                         "<result_code><![CDATA[FAIL]]></result_code>"
                                         "<err_code><![CDATA[PARAM_ERROR]]></err_code>"
                                         "<err_code_des><![CDATA[size should be less than 2M]]>"
                                         "</err_code_des><sign>%s</sign></xml>", fail_sign);
  g_autoptr(GpUploadResult) r1 = parse (f, 200, x1);
  g_autoptr(GpUploadResult) r2 = parse (f, 200, "<xml><return_code><![CDATA[FAIL]]></return_code>"
                                                "<return_msg><![CDATA[签名错误]]></return_msg>"
                                                "</xml>");
  g_autoptr(GpUploadResult) r3 = NULL;
  g_autoptr(GpUploadResult) r4 = parse (f, 500, "<html>busy</html>");
  g_autoptr(GpUploadResult) r5 = parse (f, 200, "<xml><return_code>FAIL</return_code></xml>");

  assert_failure (r1, GP_STAGE_GATEWAY, "PARAM_ERROR", FALSE);
  g_assert_cmpstr (gp_upload_result_get_message (r1), ==, "size should be less than 2M");
  assert_failure (r2, GP_STAGE_GATEWAY, GP_RESULT_RETURN_FAIL, FALSE);
  g_assert_cmpstr (gp_upload_result_get_message (r2), ==, "签名错误");
  assert_failure (r4, GP_STAGE_GATEWAY, "HTTP_500", TRUE);
  assert_failure (r5, GP_STAGE_GATEWAY, GP_RESULT_RETURN_FAIL, FALSE);

  /* SYSTEMERROR is retried (signed here with gp-signer, whose MD5 the
   * other vectors pin down). */
  {
    static const char content[] =
      "err_code=SYSTEMERROR&err_code_des=系统繁忙&result_code=FAIL&return_code=SUCCESS";
    g_autofree char *sign = gp_signer_v2_sign (GP_V2_SIGN_MD5, content, f->api_key, NULL);
    g_autofree char *x3 = g_strdup_printf ("<xml><return_code>SUCCESS</return_code>"
                                           "<result_code>FAIL</result_code>"
                                           "<err_code>SYSTEMERROR</err_code>"
                                           "<err_code_des>系统繁忙</err_code_des>"
                                           "<sign>%s</sign></xml>", sign);

    r3 = parse (f, 200, x3);
    assert_failure (r3, GP_STAGE_GATEWAY, "SYSTEMERROR", TRUE);
  }
}

static void
assert_refused (Fixture    *f,
                const char *xml,
                gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = gp_wechatpay_v2_parse_xml (xml, len, &error);
  g_autoptr(GpUploadResult) r = NULL;

  g_assert_null (fields);
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE);
  r = gp_wechatpay_v2_parse_response_bytes (200, xml, len, f->api_key);
  assert_failure (r, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
}

static void
test_xml_hostile (Fixture       *f,
                  gconstpointer  data)
{
  static const char laughs[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE xml [\n<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n<xml><return_code>&lol9;</return_code></xml>";
  static const char utf16[] = "\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0x\0>\0<\0x\0m\0l\0/\0>\0";
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xxe = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;
  g_autoptr(GString) nest = g_string_new ("<xml><return_code>");
  gint64 start;

  /* A listener that an external entity would try to reach. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  xxe = g_strdup_printf ("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "
                         "\"http://127.0.0.1:%u/evil\"><!ENTITY file SYSTEM "
                         "\"file:///etc/passwd\">]><xml><return_code>&xxe;&file;</return_code>"
                         "</xml>",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  start = g_get_monotonic_time ();
  assert_refused (f, laughs, strlen (laughs));
  assert_refused (f, xxe, strlen (xxe));
  assert_refused (f, "<!doctype xml><xml/>", 20);
  assert_refused (f, "<xml><!ENTITY x \"y\"></xml>", 26);
  assert_refused (f, utf16, sizeof utf16 - 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Nobody connected to the listener. */
  g_socket_set_blocking (listener, FALSE);
  accepted = g_socket_accept (listener, NULL, &error);
  g_assert_null (accepted);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  /* Over-deep and over-large documents. */
  for (guint i = 0; i < 300; i++)
    g_string_append (nest, "<a>");
  for (guint i = 0; i < 300; i++)
    g_string_append (nest, "</a>");
  g_string_append (nest, "</return_code></xml>");
  deep = g_string_free (g_steal_pointer (&nest), FALSE);
  assert_refused (f, deep, strlen (deep));
  assert_refused (f, "<xml><return_code><a>SUCCESS</a></return_code></xml>", 52);
  huge = g_strdup_printf ("<xml><return_msg>%0*d</return_msg></xml>", 70000, 0);
  assert_refused (f, huge, strlen (huge));

  /* Plain malformations. */
  assert_refused (f, "", 0);
  assert_refused (f, "<xml><return_code>SUCCESS</xml>", 31);
  assert_refused (f, "<root><return_code>SUCCESS</return_code></root>", 47);
  assert_refused (f, "{\"return_code\":\"SUCCESS\"}", 25);
  assert_refused (f, "<xml><return_code>&undefined;</return_code></xml>", 49);
}

static void
test_xml_fields (Fixture       *f,
                 gconstpointer  data)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <!-- c -->"
    "<return_code><![CDATA[SUCCESS]]></return_code>\n  <return_msg>a &amp; b</return_msg>"
    "<media_id>x<![CDATA[<y>]]>z</media_id><empty/></xml>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = gp_wechatpay_v2_parse_xml (xml, strlen (xml), &error);
  g_autoptr(GPtrArray) dup = NULL;
  g_autoptr(GpUploadResult) r = NULL;
  static const char dup_xml[] =
    "<xml><return_code>SUCCESS</return_code><return_code>FAIL</return_code></xml>";

  g_assert_no_error (error);
  g_assert_cmpuint (fields->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, "return_code");
  g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, "SUCCESS");
  g_assert_cmpstr (g_ptr_array_index (fields, 3), ==, "a & b");
  g_assert_cmpstr (g_ptr_array_index (fields, 5), ==, "x<y>z");
  g_assert_cmpstr (g_ptr_array_index (fields, 6), ==, "empty");
  g_assert_cmpstr (g_ptr_array_index (fields, 7), ==, "");

  /* A repeated field is a splice. */
  dup = gp_wechatpay_v2_parse_xml (dup_xml, strlen (dup_xml), &error);
  g_assert_null (dup);
  g_assert_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_SPLICED);
  r = parse (f, 200, dup_xml);
  assert_failure (r, GP_STAGE_VERIFY, GP_RESULT_DUPLICATE_NODE, FALSE);
}

static void
test_gateway_with_profile (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GpProfile) profile = v2_profile ("MD5");
  g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (GP_GATEWAY_WECHATPAY_V2);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *good = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B88", FALSE);
  g_autofree char *bad = success_xml ("890BCD0A07DBD5C4ECBC323D542B5B89", FALSE);
  static const char fail[] = "<xml><return_code><![CDATA[FAIL]]></return_code>"
                             "<return_msg><![CDATA[签名错误]]></return_msg></xml>";
  static const char laughs[] = "<!DOCTYPE xml [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                               "<xml><return_code>&b;</return_code></xml>";
  g_autoptr(GBytes) b1 = g_bytes_new (good, strlen (good));
  g_autoptr(GBytes) b2 = g_bytes_new (bad, strlen (bad));
  g_autoptr(GBytes) b3 = g_bytes_new_static (fail, strlen (fail));
  g_autoptr(GBytes) b4 = g_bytes_new_static (laughs, strlen (laughs));
  g_autoptr(GpUploadResult) r1 = gp_gateway_parse_response (gateway, profile, 200, headers, b1, 0);
  g_autoptr(GpUploadResult) r2 = gp_gateway_parse_response (gateway, profile, 200, headers, b2, 0);
  g_autoptr(GpUploadResult) r3 = gp_gateway_parse_response (gateway, profile, 200, headers, b3, 0);
  g_autoptr(GpUploadResult) r4 = gp_gateway_parse_response (gateway, profile, 200, headers, b4, 0);
  g_autoptr(GpUploadResult) r5 = gp_gateway_parse_response (gateway, profile, 503, headers, b3, 0);

  g_assert_true (gp_upload_result_is_ok (r1));
  g_assert_cmpstr (gp_upload_result_get_media_id (r1), ==, DOC_MEDIA_ID);
  assert_failure (r2, GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, FALSE);
  assert_failure (r3, GP_STAGE_GATEWAY, GP_RESULT_RETURN_FAIL, FALSE);
  assert_failure (r4, GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, FALSE);
  assert_failure (r5, GP_STAGE_GATEWAY, "HTTP_503", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/gatepost/wechatpay-v2/request-md5", Fixture, NULL,
              fixture_set_up, test_request_md5, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/request-hmac", Fixture, NULL,
              fixture_set_up, test_request_hmac, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/gateway-with-profile", Fixture, NULL,
              fixture_set_up, test_gateway_with_profile, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/request-refusals", Fixture, NULL,
              fixture_set_up, test_request_refusals, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/response-success", Fixture, NULL,
              fixture_set_up, test_response_success, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/response-signature-failures", Fixture, NULL,
              fixture_set_up, test_response_signature_failures, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/response-errors", Fixture, NULL,
              fixture_set_up, test_response_errors, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/xml-hostile", Fixture, NULL,
              fixture_set_up, test_xml_hostile, fixture_tear_down);
  g_test_add ("/gatepost/wechatpay-v2/xml-fields", Fixture, NULL,
              fixture_set_up, test_xml_fields, fixture_tear_down);

  return g_test_run ();
}
