/* test-signer.c: known answers for every signature Gatepost makes or checks
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected values come from the seed documents (PROTOCOLS.md) or from the
 * openssl CLI (tests/data/signing/generate.sh), never from gp-signer.c.
 */

#include "config.h"

#include <string.h>

#include "gatepost-core.h"
#include "gp-signer.h"

#include "test-signing-data.h"

#define DOC_API_KEY "192006250b4c09247ec02edce69f6a2d"

/* PROTOCOLS.md 1.2, verbatim. */
static const char alipay_doc_content[] =
  "app_id=2014072300007148&charset=UTF-8&format=JSON&image_name=门店照片&image_type=jpg"
  "&method=alipay.offline.material.image.upload&sign_type=RSA2"
  "&timestamp=2014-07-24 03:07:50&version=1.0";

/* PROTOCOLS.md 3.2, verbatim. */
static const char v3_doc_message[] =
  "POST\n/v3/merchant-service/images/upload\n1566987169\n12ced2db6f0193dda91ba86224ea1cd8\n"
  "{\"filename\":\"filea.jpg\",\"sha256\":"
  "\"46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4\"}\n";

static GBytes *
doc_api_key (void)
{
  return g_bytes_new_static (DOC_API_KEY, strlen (DOC_API_KEY));
}

static void
test_alipay_sign_content (void)
{
  /* In the order the request sends them: query, then text parts; sign and
   * an empty image_pid are present and must both be left out. */
  const GpSignParam params[] = {
    { "app_id", "2014072300007148" },
    { "method", "alipay.offline.material.image.upload" },
    { "format", "JSON" },
    { "charset", "UTF-8" },
    { "sign_type", "RSA2" },
    { "timestamp", "2014-07-24 03:07:50" },
    { "version", "1.0" },
    { "sign", "c2lnbg==" },
    { "image_type", "jpg" },
    { "image_name", "门店照片" },
    { "image_pid", "" },
  };
  const char *exclude[] = { "sign", NULL };
  g_autofree char *content = NULL;
  g_autofree char *from_openssl_side = NULL;
  gsize len = 0;

  content = gp_signer_sign_content (params, G_N_ELEMENTS (params), exclude);
  g_assert_cmpstr (content, ==, alipay_doc_content);
  g_assert_cmpuint (strlen (content), ==, 189);

  from_openssl_side = signing_data_read ("alipay-sign-content.txt", &len);
  g_assert_cmpuint (len, ==, 189);
  g_assert_cmpmem (content, strlen (content), from_openssl_side, len);
}

static void
test_rsa_alipay_known_answer (void)
{
  gnutls_privkey_t key = signing_data_private_key ("app-key.pem");
  gnutls_pubkey_t pub = signing_data_public_key ("app-pub.pem");
  g_autofree char *expected = signing_data_read ("alipay-sign-content.sig", NULL);
  g_autofree char *sig = NULL;
  g_autofree char *tampered = g_strdup (alipay_doc_content);
  g_autoptr(GError) error = NULL;

  sig = gp_signer_rsa_sha256_sign (key, alipay_doc_content, strlen (alipay_doc_content), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (sig), ==, 344);
  g_assert_null (strchr (sig, '\n'));
  g_assert_cmpstr (sig, ==, expected);

  g_assert_true (gp_signer_rsa_sha256_verify (pub, alipay_doc_content,
                                              strlen (alipay_doc_content), expected, &error));
  g_assert_no_error (error);

  tampered[strlen (tampered) - 1] = '1';   /* version=1.1 */
  g_assert_false (gp_signer_rsa_sha256_verify (pub, tampered, strlen (tampered), expected,
                                               &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH);

  gnutls_privkey_deinit (key);
  gnutls_pubkey_deinit (pub);
}

static void
test_rsa_v3_known_answer (void)
{
  gnutls_privkey_t key = signing_data_private_key ("app-key.pem");
  g_autofree char *expected = signing_data_read ("v3-message.sig", NULL);
  g_autofree char *message = NULL;
  g_autofree char *sig = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_cmpuint (strlen (v3_doc_message), ==, 185);
  message = signing_data_read ("v3-message.txt", &len);
  g_assert_cmpmem (message, len, v3_doc_message, 185);

  sig = gp_signer_rsa_sha256_sign (key, v3_doc_message, 185, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sig, ==, expected);

  gnutls_privkey_deinit (key);
}

static void
test_rsa_verify_openssl_responses (void)
{
  gnutls_pubkey_t gateway = signing_data_public_key ("gateway-pub.pem");
  gnutls_pubkey_t app = signing_data_public_key ("app-pub.pem");
  g_autofree char *node = NULL;
  g_autofree char *sig = signing_data_read ("alipay-response-node.sig", NULL);
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  node = signing_data_read ("alipay-response-node.json", &len);
  g_assert_true (gp_signer_rsa_sha256_verify (gateway, node, len, sig, &error));
  g_assert_no_error (error);

  /* The app's own key must not verify the gateway's signature. */
  g_assert_false (gp_signer_rsa_sha256_verify (app, node, len, sig, &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH);

  gnutls_pubkey_deinit (gateway);
  gnutls_pubkey_deinit (app);
}

static void
test_rsa_verify_malformed (void)
{
  static const char *bad[] = {
    "",
    "WECHATPAY/SIGNTEST/abc",       /* WeChat's probe signature */
    "YWJj ZA==",                    /* whitespace */
    "YWJjZA=",                      /* not a multiple of 4 */
    "YW=jZA==",                     /* padding in the middle */
    "YWJjZA\n==",
    "YWJj-_==",                     /* URL-safe alphabet */
    "===="
  };
  gnutls_pubkey_t pub = signing_data_public_key ("gateway-pub.pem");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (gp_signer_base64_is_valid (bad[i]));
      g_assert_false (gp_signer_rsa_sha256_verify (pub, "x", 1, bad[i], &error));
      g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  g_assert_false (gp_signer_rsa_sha256_verify (pub, "x", 1, NULL, &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Valid base64 of the wrong size is a clean failure, not a crash. */
  g_assert_true (gp_signer_base64_is_valid ("YWJjZA=="));
  g_assert_false (gp_signer_rsa_sha256_verify (pub, "x", 1, "YWJjZA==", &error));
  g_assert_nonnull (error);

  gnutls_pubkey_deinit (pub);
}

static void
test_v2_vendor_vector (void)
{
  /* Unsorted, with a sign and an empty value that must be skipped. */
  const GpSignParam params[] = {
    { "nonce_str", "ibuaiVcKdpRxkhJA" },
    { "sign", "XXX" },
    { "body", "test" },
    { "mch_id", "10000100" },
    { "device_info", "1000" },
    { "attach", "" },
    { "appid", "wxd930ea5d5a258f4f" },
  };
  const char *exclude[] = { "sign", "media", NULL };
  g_autoptr(GBytes) key = doc_api_key ();
  g_autofree char *content = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *hmac = NULL;
  g_autoptr(GError) error = NULL;

  content = gp_signer_sign_content (params, G_N_ELEMENTS (params), exclude);
  g_assert_cmpstr (content, ==,
                   "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100"
                   "&nonce_str=ibuaiVcKdpRxkhJA");

  md5 = gp_signer_v2_sign (GP_V2_SIGN_MD5, content, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md5, ==, "9A0A8659F005D6984697E2CA0A9CF3B7");

  hmac = gp_signer_v2_sign (GP_V2_SIGN_HMAC_SHA256, content, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hmac, ==, "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
}

static void
test_v2_uploadmedia_vector (void)
{
  const GpSignParam md5_params[] = {
    { "mch_id", "1230000109" },
    { "media_hash", "3b9050f1dc255c49f6fc73da8cdbd61f" },
    { "media", "filea.jpg" },
  };
  const GpSignParam hmac_params[] = {
    { "mch_id", "1230000109" },
    { "media_hash", "3b9050f1dc255c49f6fc73da8cdbd61f" },
    { "sign_type", "HMAC-SHA256" },
  };
  const char *exclude[] = { "sign", "media", NULL };
  g_autoptr(GBytes) key = doc_api_key ();
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  c1 = gp_signer_sign_content (md5_params, G_N_ELEMENTS (md5_params), exclude);
  g_assert_cmpstr (c1, ==, "mch_id=1230000109&media_hash=3b9050f1dc255c49f6fc73da8cdbd61f");
  s1 = gp_signer_v2_sign (GP_V2_SIGN_MD5, c1, key, NULL);
  g_assert_cmpstr (s1, ==, "7F88C6466A5D0E794D9C87AD682462D8");

  c2 = gp_signer_sign_content (hmac_params, G_N_ELEMENTS (hmac_params), exclude);
  g_assert_cmpstr (c2, ==, "mch_id=1230000109&media_hash=3b9050f1dc255c49f6fc73da8cdbd61f"
                           "&sign_type=HMAC-SHA256");
  s2 = gp_signer_v2_sign (GP_V2_SIGN_HMAC_SHA256, c2, key, NULL);
  g_assert_cmpstr (s2, ==, "ECAA7AA506ED7B2F81BB8CA68661CBF4B8A9EDA6082E107634AFF10027D9FBE4");
}

static void
test_v2_verify (void)
{
  static const char content[] =
    "media_id=9UYfXi-WMUhgWXvJtEw4_gBle_EfrD_pIL0bS8GAsK8&result_code=SUCCESS"
    "&return_code=SUCCESS&return_msg=OK";
  g_autoptr(GBytes) key = doc_api_key ();
  g_autoptr(GBytes) other = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autofree char *openssl_md5 = signing_data_read ("v2-response-md5.sign", NULL);
  g_autofree char *openssl_hmac = signing_data_read ("v2-response-hmac.sign", NULL);
  g_autoptr(GError) error = NULL;

  /* The document's response example, and openssl's agreement with it. */
  g_assert_cmpstr (openssl_md5, ==, "890BCD0A07DBD5C4ECBC323D542B5B88");
  g_assert_true (gp_signer_v2_verify (content, key, "890BCD0A07DBD5C4ECBC323D542B5B88", &error));
  g_assert_no_error (error);
  g_assert_true (gp_signer_v2_verify (content, key, "890bcd0a07dbd5c4ecbc323d542b5b88", &error));
  g_assert_no_error (error);

  /* A 64-digit sign selects HMAC-SHA256. */
  g_assert_cmpuint (strlen (openssl_hmac), ==, 64);
  g_assert_true (gp_signer_v2_verify (content, key, openssl_hmac, &error));
  g_assert_no_error (error);

  g_assert_false (gp_signer_v2_verify (content, key, "890BCD0A07DBD5C4ECBC323D542B5B89", &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH);
  g_clear_error (&error);
  g_assert_false (gp_signer_v2_verify (content, other, openssl_md5, &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH);
  g_clear_error (&error);
  g_assert_false (gp_signer_v2_verify (content, key, "890BCD0A07DBD5C4ECBC323D542B5B", &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (gp_signer_v2_verify (content, key, "890BCD0A07DBD5C4ECBC323D542B5BZZ", &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (gp_signer_v2_verify (content, key, NULL, &error));
  g_assert_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED);
}

static void
test_sign_content_order (void)
{
  /* Byte order: upper case before lower case, UTF-8 after ASCII; a
   * repeated name keeps its order; NULL and "" are not sent. */
  const GpSignParam params[] = {
    { "b", "2" },
    { "é", "5" },
    { "a", "1" },
    { "B", "0" },
    { "a", "1b" },
    { "z", NULL },
    { "a_b", "x y" },
  };
  g_autofree char *content = gp_signer_sign_content (params, G_N_ELEMENTS (params), NULL);
  g_autofree char *empty = gp_signer_sign_content (NULL, 0, NULL);

  g_assert_cmpstr (content, ==, "B=0&a=1&a=1b&a_b=x y&b=2&é=5");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_sign_type_names (void)
{
  GpV2SignType type = GP_V2_SIGN_HMAC_SHA256;

  g_assert_true (gp_v2_sign_type_from_string (NULL, &type));
  g_assert_cmpint (type, ==, GP_V2_SIGN_MD5);
  g_assert_true (gp_v2_sign_type_from_string ("HMAC-SHA256", &type));
  g_assert_cmpint (type, ==, GP_V2_SIGN_HMAC_SHA256);
  g_assert_true (gp_v2_sign_type_from_string ("MD5", &type));
  g_assert_cmpint (type, ==, GP_V2_SIGN_MD5);
  g_assert_false (gp_v2_sign_type_from_string ("hmac-sha256", &type));
  g_assert_false (gp_v2_sign_type_from_string ("SHA1", &type));
  g_assert_cmpstr (gp_v2_sign_type_to_string (GP_V2_SIGN_HMAC_SHA256), ==, "HMAC-SHA256");
}

static void
test_equal (void)
{
  g_assert_true (gp_signer_equal ("", ""));
  g_assert_true (gp_signer_equal ("ABC", "ABC"));
  g_assert_false (gp_signer_equal ("ABC", "ABD"));
  g_assert_false (gp_signer_equal ("ABC", "ABCD"));
  g_assert_false (gp_signer_equal ("ABCD", "ABC"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/signer/alipay-sign-content", test_alipay_sign_content);
  g_test_add_func ("/gatepost/signer/rsa-alipay-known-answer", test_rsa_alipay_known_answer);
  g_test_add_func ("/gatepost/signer/rsa-v3-known-answer", test_rsa_v3_known_answer);
  g_test_add_func ("/gatepost/signer/rsa-verify-openssl", test_rsa_verify_openssl_responses);
  g_test_add_func ("/gatepost/signer/rsa-verify-malformed", test_rsa_verify_malformed);
  g_test_add_func ("/gatepost/signer/v2-vendor-vector", test_v2_vendor_vector);
  g_test_add_func ("/gatepost/signer/v2-uploadmedia-vector", test_v2_uploadmedia_vector);
  g_test_add_func ("/gatepost/signer/v2-verify", test_v2_verify);
  g_test_add_func ("/gatepost/signer/sign-content-order", test_sign_content_order);
  g_test_add_func ("/gatepost/signer/sign-type-names", test_sign_type_names);
  g_test_add_func ("/gatepost/signer/equal", test_equal);

  return g_test_run ();
}
