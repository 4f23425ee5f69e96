/* test-sim-crypto.c: known-answer tests of gatepost-sim's own verification code
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vectors come from tests/data/sim/generate.sh (the openssl CLI) and the
 * worked examples of PROTOCOLS.md, never from the code under test.
 */

#include "config.h"

#include <string.h>

#include "gp-sim-crypto.h"
#include "gp-sim-multipart.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "sim", name, NULL);
}

static char *
read_data (const char *name,
           gsize      *len)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static char *
vector (const char *name)
{
  g_autofree char *text = read_data ("v2-vectors.txt", NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_assert_not_reached ();
}

static void
check_rsa_kat (const char *message_file,
               const char *sig_file,
               gsize       expected_len)
{
  g_autofree char *kat_pub = data_path ("kat-pub.pem");
  g_autofree char *kat_key = data_path ("kat-key.pem");
  g_autofree char *other_pub = data_path ("other-pub.pem");
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *message = read_data (message_file, &len);
  g_autofree char *sig = g_strstrip (read_data (sig_file, NULL));
  g_autofree char *mine = NULL;
  gnutls_pubkey_t pub = gp_sim_load_public_key (kat_pub, &error);
  gnutls_pubkey_t other = NULL;
  gnutls_privkey_t key = NULL;

  g_assert_no_error (error);
  other = gp_sim_load_public_key (other_pub, &error);
  g_assert_no_error (error);
  key = gp_sim_load_private_key (kat_key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected_len);

  g_assert_true (gp_sim_rsa_verify (pub, message, len, sig));
  g_assert_false (gp_sim_rsa_verify (other, message, len, sig));
  g_assert_false (gp_sim_rsa_verify (pub, message, len - 1, sig));
  message[0] ^= 1;
  g_assert_false (gp_sim_rsa_verify (pub, message, len, sig));
  message[0] ^= 1;

  /* PKCS#1 v1.5 is deterministic: the simulator's signer must produce
   * openssl's bytes exactly (it signs responses the client verifies). */
  mine = gp_sim_rsa_sign (key, message, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mine, ==, sig);

  gnutls_pubkey_deinit (pub);
  gnutls_pubkey_deinit (other);
  gnutls_privkey_deinit (key);
}

static void
test_alipay_kat (void)
{
  check_rsa_kat ("alipay-content.txt", "alipay-content.sig", 189);
}

static void
test_v3_kat (void)
{
  check_rsa_kat ("v3-message.txt", "v3-message.sig", 185);
}

static void
test_alipay_content (void)
{
  static const char *const exclude[] = { "sign", NULL };
  g_autoptr(GPtrArray) params = gp_sim_params_new ();
  g_autofree char *expected = read_data ("alipay-content.txt", NULL);
  g_autofree char *content = NULL;

  /* as sent: query order, then body parts; sign and empties are left out */
  gp_sim_params_add (params, "app_id", "2014072300007148");
  gp_sim_params_add (params, "method", "alipay.offline.material.image.upload");
  gp_sim_params_add (params, "format", "JSON");
  gp_sim_params_add (params, "charset", "UTF-8");
  gp_sim_params_add (params, "sign_type", "RSA2");
  gp_sim_params_add (params, "timestamp", "2014-07-24 03:07:50");
  gp_sim_params_add (params, "version", "1.0");
  gp_sim_params_add (params, "sign", "ignored");
  gp_sim_params_add (params, "image_type", "jpg");
  gp_sim_params_add (params, "image_name", "门店照片");
  gp_sim_params_add (params, "image_pid", "");
  content = gp_sim_sorted_content (params, exclude);
  g_assert_cmpstr (content, ==, expected);
}

static void
test_v2_vectors (void)
{
  const char *key = "192006250b4c09247ec02edce69f6a2d";
  g_autoptr(GPtrArray) doc = gp_sim_params_new ();
  g_autoptr(GPtrArray) upload = gp_sim_params_new ();
  g_autoptr(GPtrArray) response = gp_sim_params_new ();
  g_autofree char *s = NULL;
  g_autofree char *v = NULL;

  gp_sim_params_add (doc, "nonce_str", "ibuaiVcKdpRxkhJA");
  gp_sim_params_add (doc, "mch_id", "10000100");
  gp_sim_params_add (doc, "device_info", "1000");
  gp_sim_params_add (doc, "body", "test");
  gp_sim_params_add (doc, "appid", "wxd930ea5d5a258f4f");
  s = gp_sim_v2_sign (doc, key, "MD5");
  v = vector ("doc_md5");
  g_assert_cmpstr (s, ==, v);
  g_assert_cmpstr (s, ==, "9A0A8659F005D6984697E2CA0A9CF3B7");
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&v, g_free);
  s = gp_sim_v2_sign (doc, key, "HMAC-SHA256");
  v = vector ("doc_hmac");
  g_assert_cmpstr (s, ==, v);
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&v, g_free);

  gp_sim_params_add (upload, "media_hash", "3b9050f1dc255c49f6fc73da8cdbd61f");
  gp_sim_params_add (upload, "mch_id", "1230000109");
  gp_sim_params_add (upload, "sign", "whatever");
  s = gp_sim_v2_sign (upload, key, NULL);
  v = vector ("upload_md5");
  g_assert_cmpstr (s, ==, v);
  g_assert_cmpstr (s, ==, "7F88C6466A5D0E794D9C87AD682462D8");
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&v, g_free);
  gp_sim_params_add (upload, "sign_type", "HMAC-SHA256");
  s = gp_sim_v2_sign (upload, key, "HMAC-SHA256");
  v = vector ("upload_hmac");
  g_assert_cmpstr (s, ==, v);
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&v, g_free);

  gp_sim_params_add (response, "return_code", "SUCCESS");
  gp_sim_params_add (response, "return_msg", "OK");
  gp_sim_params_add (response, "result_code", "SUCCESS");
  gp_sim_params_add (response, "media_id", "9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8");
  gp_sim_params_add (response, "err_code", "");
  s = gp_sim_v2_sign (response, key, "MD5");
  v = vector ("response_md5");
  g_assert_cmpstr (s, ==, v);

  g_assert_null (gp_sim_v2_sign (response, key, "SHA1"));
}

static void
test_digests (void)
{
  g_autofree char *md5 = gp_sim_digest_hex (GNUTLS_DIG_MD5, "pic1", 4, FALSE);
  g_autofree char *sha = gp_sim_digest_hex (GNUTLS_DIG_SHA256, "pic1", 4, FALSE);

  g_assert_cmpstr (md5, ==, "3b9050f1dc255c49f6fc73da8cdbd61f");
  g_assert_cmpstr (sha, ==, "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4");
}

static void
test_base64_strict (void)
{
  guint8 *out = NULL;
  gsize len = 0;

  g_assert_true (gp_sim_strict_base64_decode ("cGljMQ==", &out, &len));
  g_assert_cmpmem (out, len, "pic1", 4);
  g_free (out);
  g_assert_false (gp_sim_strict_base64_decode ("", &out, &len));
  g_assert_false (gp_sim_strict_base64_decode ("cGljMQ=", &out, &len));
  g_assert_false (gp_sim_strict_base64_decode ("cGlj MQ==", &out, &len));
  g_assert_false (gp_sim_strict_base64_decode ("cG=jMQ==", &out, &len));
  g_assert_false (gp_sim_strict_base64_decode ("WECHATPAY/SIGNTEST/", &out, &len));
}

static void
test_serials (void)
{
  g_assert_true (gp_sim_serial_equal ("0A1B", "a1b"));
  g_assert_true (gp_sim_serial_equal ("PUB_KEY_ID_01", "PUB_KEY_ID_01"));
  g_assert_false (gp_sim_serial_equal ("0A1B", "A1C"));
  g_assert_false (gp_sim_serial_equal (NULL, "A1C"));
}

#define B "gatepost-2c5e0b7a9d4f4e1b8a6c3d2e1f0a9b8c"

static void
test_multipart_v2_example (void)
{
  /* PROTOCOLS.md 2.2: the 700-byte HMAC body. */
  static const char body[] =
    "--" B "\r\nContent-Disposition: form-data; name=\"mch_id\"\r\n\r\n1230000109\r\n"
    "--" B "\r\nContent-Disposition: form-data; name=\"media_hash\"\r\n\r\n"
    "3b9050f1dc255c49f6fc73da8cdbd61f\r\n"
    "--" B "\r\nContent-Disposition: form-data; name=\"sign_type\"\r\n\r\nHMAC-SHA256\r\n"
    "--" B "\r\nContent-Disposition: form-data; name=\"sign\"\r\n\r\n"
    "ECAA7AA506ED7B2F81BB8CA68661CBF4B8A9EDA6082E107634AFF10027D9FBE4\r\n"
    "--" B "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"filea.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n\r\npic1\r\n"
    "--" B "--\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *boundary = NULL;
  GpSimPart *media;

  g_assert_cmpuint (strlen (body), ==, 700);
  boundary = gp_sim_multipart_boundary ("multipart/form-data; boundary=" B);
  g_assert_cmpstr (boundary, ==, B);
  parts = gp_sim_multipart_parse ((const guint8 *) body, strlen (body), boundary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 5);
  media = gp_sim_multipart_find (parts, "media");
  g_assert_nonnull (media);
  g_assert_cmpstr (media->filename, ==, "filea.jpg");
  g_assert_cmpstr (media->content_type, ==, "image/jpeg");
  g_assert_cmpmem (media->data, media->len, "pic1", 4);
  g_assert_null (((GpSimPart *) g_ptr_array_index (parts, 0))->filename);
}

static void
test_multipart_java_style (void)
{
  /* The Alipay Java SDK's form: leading CRLF, no space after ':',
   * Content-Type on text parts, boundary then charset in the header. */
  static const char body[] =
    "\r\n--1700000000000\r\n"
    "Content-Disposition:form-data;name=\"image_type\"\r\nContent-Type:text/plain\r\n\r\njpg"
    "\r\n--1700000000000\r\n"
    "Content-Disposition:form-data;name=\"image_content\";filename=\"a.jpg\"\r\n"
    "Content-Type:image/jpeg\r\n\r\n\xff\xd8\xff\r\n--"
    "\r\n--1700000000000--\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *boundary =
    gp_sim_multipart_boundary ("multipart/form-data;boundary=1700000000000;charset=UTF-8");
  GpSimPart *file;

  g_assert_cmpstr (boundary, ==, "1700000000000");
  parts = gp_sim_multipart_parse ((const guint8 *) body, sizeof body - 1, boundary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 2);
  g_assert_cmpmem (((GpSimPart *) g_ptr_array_index (parts, 0))->data,
                   ((GpSimPart *) g_ptr_array_index (parts, 0))->len, "jpg", 3);
  file = gp_sim_multipart_find (parts, "image_content");
  /* the payload may contain CRLF and "--" without ending the part */
  g_assert_cmpmem (file->data, file->len, "\xff\xd8\xff\r\n--", 7);
}

static void
test_multipart_errors (void)
{
  static const char unterminated[] =
    "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  static const char no_name[] =
    "--b\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--b--\r\n";
  g_autoptr(GError) error = NULL;
  GPtrArray *parts;

  parts = gp_sim_multipart_parse ((const guint8 *) unterminated, strlen (unterminated), "b",
                                  &error);
  g_assert_null (parts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  parts = gp_sim_multipart_parse ((const guint8 *) no_name, strlen (no_name), "b", &error);
  g_assert_null (parts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  parts = gp_sim_multipart_parse ((const guint8 *) "nothing", 7, "b", &error);
  g_assert_null (parts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  g_assert_null (gp_sim_multipart_boundary ("multipart/form-data"));
  g_assert_null (gp_sim_multipart_boundary ("application/json; boundary=x"));
  g_assert_null (gp_sim_multipart_boundary (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/sim/crypto/alipay-kat", test_alipay_kat);
  g_test_add_func ("/gatepost/sim/crypto/v3-kat", test_v3_kat);
  g_test_add_func ("/gatepost/sim/crypto/alipay-content", test_alipay_content);
  g_test_add_func ("/gatepost/sim/crypto/v2-vectors", test_v2_vectors);
  g_test_add_func ("/gatepost/sim/crypto/digests", test_digests);
  g_test_add_func ("/gatepost/sim/crypto/base64-strict", test_base64_strict);
  g_test_add_func ("/gatepost/sim/crypto/serials", test_serials);
  g_test_add_func ("/gatepost/sim/multipart/v2-example", test_multipart_v2_example);
  g_test_add_func ("/gatepost/sim/multipart/java-style", test_multipart_java_style);
  g_test_add_func ("/gatepost/sim/multipart/errors", test_multipart_errors);

  return g_test_run ();
}
