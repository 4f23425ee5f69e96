/* test-key.c: parsing and checking RSA keys, certificates and PKCS#12
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected serials, fingerprints and dates come from tests/data/keys/expected.ini,
 * written by generate.sh from the openssl CLI's own output.
 */

#include "config.h"

#include <string.h>

#include "gatepost-core.h"

static GKeyFile *expected;

static char *
slurp (const char *name,
       gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "keys", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);

  return data;
}

static char *
expect (const char *group,
        const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (expected, group, key, &error);

  g_assert_no_error (error);

  return value;
}

static GpPrivateKey *
load_private (const char  *name,
              GError     **error)
{
  gsize len;
  g_autofree char *data = slurp (name, &len);

  return gp_private_key_new_from_data (data, len, error);
}

static GpPublicKey *
load_public (const char  *name,
             GError     **error)
{
  gsize len;
  g_autofree char *data = slurp (name, &len);

  return gp_public_key_new_from_data (data, len, error);
}

static GpCertificate *
load_cert (const char *name)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree char *data = slurp (name, &len);
  GpCertificate *cert = gp_certificate_new_from_data (data, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cert);

  return cert;
}

static void
test_private_formats (void)
{
  static const char *names[] = {
    "app.pkcs1.pem", "app.pkcs8.pem", "app.pkcs1.b64", "app.pkcs8.b64", "app.pkcs8.crlf.pem",
  };
  g_autofree char *fingerprint = expect ("fingerprint", "app");
  g_autoptr(GBytes) first_pem = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpPrivateKey) key = load_private (names[i], &error);
      g_autoptr(GBytes) pem = NULL;

      g_test_message ("%s", names[i]);
      g_assert_no_error (error);
      g_assert_cmpuint (gp_private_key_get_bits (key), ==, 2048);
      g_assert_cmpstr (gp_public_key_get_fingerprint (gp_private_key_get_public_key (key)), ==,
                       fingerprint);
      pem = gp_private_key_dup_pem (key);
      g_assert_true (g_str_has_prefix (g_bytes_get_data (pem, NULL),
                                       "-----BEGIN PRIVATE KEY-----\n"));
      if (first_pem == NULL)
        first_pem = g_bytes_ref (pem);
      else
        g_assert_true (g_bytes_equal (first_pem, pem));
    }
}

static void
test_private_whitespace (void)
{
  gsize len;
  g_autofree char *b64 = slurp ("app.pkcs8.b64", &len);
  g_autoptr(GString) wrapped = g_string_new ("\r\n  ");
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPrivateKey) key = NULL;
  g_autofree char *fingerprint = expect ("fingerprint", "app");

  /* 64-column base64 with CRLF, tabs and a trailing blank line. */
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && i % 64 == 0)
        g_string_append (wrapped, "\r\n\t");
      g_string_append_c (wrapped, b64[i]);
    }
  g_string_append (wrapped, "\r\n\r\n");
  key = gp_private_key_new_from_data (wrapped->str, wrapped->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_private_key_get_public_key (key)), ==,
                   fingerprint);
}

static void
test_private_refused (void)
{
  static const struct {
    const char *name;
    int         code;
    const char *message;
  } cases[] = {
    { "weak1024.pem", GP_KEY_ERROR_TOO_SHORT,
      "an RSA key of 1024 bits is too short: at least 2048 bits are required" },
    { "weak1024.b64", GP_KEY_ERROR_TOO_SHORT,
      "an RSA key of 1024 bits is too short: at least 2048 bits are required" },
    { "encrypted.pem", GP_KEY_ERROR_ENCRYPTED,
      "the key is encrypted with a passphrase, which Gatepost does not store; decrypt it "
      "first (openssl pkey -in KEY -out PLAIN-KEY)" },
    { "encrypted.b64", GP_KEY_ERROR_ENCRYPTED,
      "the key is encrypted with a passphrase, which Gatepost does not store; decrypt it "
      "first (openssl pkey -in KEY -out PLAIN-KEY)" },
    { "encrypted-legacy.pem", GP_KEY_ERROR_ENCRYPTED,
      "the key is encrypted with a passphrase, which Gatepost does not store; decrypt it "
      "first (openssl pkey -in KEY -out PLAIN-KEY)" },
    { "ec.pem", GP_KEY_ERROR_UNSUPPORTED, "not an RSA key (EC/ECDSA)" },
    { "app.pub.pem", GP_KEY_ERROR_INVALID,
      "a PEM block “PUBLIC KEY” where a private key was expected" },
    { "app.pub.b64", GP_KEY_ERROR_INVALID,
      "not a private key (expected PEM or base64 of PKCS#1 or PKCS#8)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpPrivateKey) key = load_private (cases[i].name, &error);

      g_test_message ("%s", cases[i].name);
      g_assert_null (key);
      g_assert_error (error, GP_KEY_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_private_garbage (void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "", "neither PEM nor base64" },
    { "hello", "neither PEM nor base64" },
    { "MIIE*AAA", "neither PEM nor base64" },
    { "AAAA", "not a private key (expected PEM or base64 of PKCS#1 or PKCS#8)" },
    { "-----BEGIN PRIVATE KEY-----\nAAAA\n", "a PEM block “PRIVATE KEY” without its “-----END” line" },
    { "MIIB\n-----END PRIVATE KEY-----\n", "a PEM block without a “-----BEGIN” line" },
    { "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
      "the PEM block “PRIVATE KEY” is not valid base64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpPrivateKey) key = gp_private_key_new_from_data (cases[i].text,
                                                                  strlen (cases[i].text),
                                                                  &error);

      g_assert_null (key);
      g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_public_formats (void)
{
  static const struct {
    const char *name;
    const char *who;
  } cases[] = {
    { "app.pub.pem", "app" },
    { "app.pub.b64", "app" },
    { "alipay.pub.pem", "alipay" },
    { "alipay.pub.b64", "alipay" },
    { "alipay.rsapub.pem", "alipay" },
    { "platform.pem", "platform" },
    { "platform.pub.pem", "platform" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpPublicKey) key = load_public (cases[i].name, &error);
      g_autofree char *fingerprint = expect ("fingerprint", cases[i].who);

      g_test_message ("%s", cases[i].name);
      g_assert_no_error (error);
      g_assert_cmpuint (gp_public_key_get_bits (key), ==, 2048);
      g_assert_cmpstr (gp_public_key_get_fingerprint (key), ==, fingerprint);
      g_assert_true (g_str_has_prefix (gp_public_key_get_pem (key),
                                       "-----BEGIN PUBLIC KEY-----\n"));
    }
}

static void
test_public_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPublicKey) key = load_public ("app.pkcs8.pem", &error);

  g_assert_null (key);
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "this is a private key, not a public key");
  g_clear_error (&error);

  key = load_public ("app.pkcs1.pem", &error);
  g_assert_null (key);
  g_assert_cmpstr (error->message, ==, "this is a private key, not a public key");
  g_clear_error (&error);

  key = gp_public_key_new_from_data ("AAAA", 4, &error);
  g_assert_null (key);
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "not a public key (expected PEM or base64 of SPKI or PKCS#1)");
}

static void
test_probe (void)
{
  g_autoptr(GpPrivateKey) app = load_private ("app.pkcs1.pem", NULL);
  g_autoptr(GpPublicKey) app_pub = load_public ("app.pub.b64", NULL);
  g_autoptr(GpPublicKey) alipay_pub = load_public ("alipay.pub.pem", NULL);
  g_autoptr(GpPublicKey) alipay_pub1 = load_public ("alipay.rsapub.pem", NULL);

  g_assert_true (gp_public_key_verifies (app_pub, app));
  g_assert_false (gp_public_key_verifies (alipay_pub, app));
  g_assert_true (gp_public_key_equal (alipay_pub, alipay_pub1));
  g_assert_false (gp_public_key_equal (alipay_pub, app_pub));
}

static char *
strip_armor (const char *pem)
{
  g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "-----"))
      g_string_append (s, lines[i]);

  return g_string_free (s, FALSE);
}

static void
test_certificate (void)
{
  g_autoptr(GpCertificate) platform = load_cert ("platform.pem");
  g_autoptr(GpCertificate) client = load_cert ("client.pem");
  g_autoptr(GpCertificate) other = load_cert ("other.pem");
  g_autoptr(GpPrivateKey) client_key = load_private ("client.key.pem", NULL);
  g_autofree char *platform_serial = expect ("serial", "platform");
  g_autofree char *client_serial = expect ("serial", "client");
  g_autofree char *platform_fp = expect ("fingerprint", "platform");
  g_autofree char *platform_end = expect ("not_after", "platform");
  gsize len;
  g_autofree char *pem = slurp ("platform.pem", &len);
  g_autofree char *b64 = NULL;
  g_autoptr(GpCertificate) from_b64 = NULL;
  g_autoptr(GError) error = NULL;

  /* The DER serial starts with a zero sign byte; openssl does not print it. */
  g_assert_cmpstr (gp_certificate_get_serial (platform), ==, platform_serial);
  g_assert_cmpuint (strlen (platform_serial), ==, 40);
  /* A serial whose first byte is below 0x10 keeps its leading zero digit. */
  g_assert_cmpstr (gp_certificate_get_serial (client), ==, client_serial);
  g_assert_true (client_serial[0] == '0');
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_certificate_get_public_key (platform)), ==,
                   platform_fp);
  g_assert_cmpint (gp_certificate_get_not_after (platform), ==,
                   g_ascii_strtoll (platform_end, NULL, 10));
  g_assert_nonnull (strstr (gp_certificate_get_subject (client), "CN=1900000109"));
  g_assert_true (gp_certificate_matches_key (client, client_key));
  g_assert_false (gp_certificate_matches_key (other, client_key));

  /* Bare base64 of the DER works too. */
  b64 = strip_armor (pem);
  from_b64 = gp_certificate_new_from_data (b64, strlen (b64), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_certificate_get_serial (from_b64), ==, platform_serial);

  g_clear_pointer (&from_b64, gp_certificate_unref);
  from_b64 = gp_certificate_new_from_data (pem, 0, &error);
  g_assert_null (from_b64);
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
}

static void
test_expiry (void)
{
  g_autoptr(GpCertificate) soon = load_cert ("soon.pem");
  g_autoptr(GpCertificate) expired = load_cert ("expired.pem");
  g_autoptr(GpCertificate) platform = load_cert ("platform.pem");
  g_autofree char *soon_end = expect ("not_after", "soon");
  g_autofree char *expired_end = expect ("not_after", "expired");
  gint64 soon_t = g_ascii_strtoll (soon_end, NULL, 10);
  gint64 expired_t = g_ascii_strtoll (expired_end, NULL, 10);
  int days = 0;

  g_assert_cmpint (gp_certificate_get_not_after (soon), ==, soon_t);
  g_assert_cmpint (gp_certificate_get_not_after (expired), ==, expired_t);

  g_assert_cmpint (gp_certificate_get_expiry (soon, soon_t - 10 * 86400 - 5, &days), ==,
                   GP_EXPIRY_SOON);
  g_assert_cmpint (days, ==, 10);
  g_assert_cmpint (gp_certificate_get_expiry (soon, soon_t - 30 * 86400, &days), ==,
                   GP_EXPIRY_OK);
  g_assert_cmpint (gp_certificate_get_expiry (soon, soon_t - 30 * 86400 + 1, NULL), ==,
                   GP_EXPIRY_SOON);
  g_assert_cmpint (gp_certificate_get_expiry (soon, soon_t, NULL), ==, GP_EXPIRY_EXPIRED);
  g_assert_cmpint (gp_certificate_get_expiry (expired, g_get_real_time () / G_USEC_PER_SEC,
                                              &days), ==, GP_EXPIRY_EXPIRED);
  g_assert_cmpint (days, <, -365);
  g_assert_cmpint (gp_certificate_get_expiry (platform, g_get_real_time () / G_USEC_PER_SEC,
                                              NULL), ==, GP_EXPIRY_OK);
}

static GBytes *
slurp_bytes (const char *name)
{
  gsize len;
  char *data = slurp (name, &len);

  return g_bytes_new_take (data, len);
}

static void
test_pkcs12 (void)
{
  g_autoptr(GBytes) p12 = slurp_bytes ("client.p12");
  g_autoptr(GBytes) p12_mchid = slurp_bytes ("client-mchid.p12");
  g_autoptr(GBytes) not_p12 = slurp_bytes ("client.pem");
  g_autoptr(GpCertificate) cert = NULL;
  g_autoptr(GpPrivateKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *serial = expect ("serial", "client");
  g_autofree char *fingerprint = expect ("fingerprint", "client");

  g_assert_true (gp_pkcs12_open (p12, "p12-secret", &cert, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gp_certificate_get_serial (cert), ==, serial);
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_private_key_get_public_key (key)), ==,
                   fingerprint);
  g_clear_pointer (&cert, gp_certificate_unref);
  g_clear_pointer (&key, gp_private_key_unref);

  g_assert_true (gp_pkcs12_open (p12_mchid, "1900000109", &cert, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gp_certificate_get_serial (cert), ==, serial);

  g_assert_false (gp_pkcs12_open (p12, "wrong", &cert, &key, &error));
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_PASSWORD);
  g_assert_cmpstr (error->message, ==, "the PKCS#12 file does not open with this password");
  g_clear_error (&error);

  g_assert_false (gp_pkcs12_open (not_p12, "x", &cert, &key, &error));
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "not a PKCS#12 file");
}

static void
test_serial (void)
{
  g_autofree char *a = gp_normalize_serial ("9a:0b:1c:2D");
  g_autofree char *b = gp_normalize_serial (" pub_key_id_0000000000000024101100397200000006 ");
  g_autofree char *c = gp_normalize_serial ("12-34");
  g_autofree char *d = gp_normalize_serial (" : ");

  g_assert_cmpstr (a, ==, "9A0B1C2D");
  g_assert_cmpstr (b, ==, "PUB_KEY_ID_0000000000000024101100397200000006");
  g_assert_null (c);
  g_assert_null (d);
}

static void
test_secret_bytes (void)
{
  g_autoptr(GBytes) bytes = gp_secret_bytes_new ("k3y", 3);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 3);
  /* A NUL follows, so text secrets read as strings. */
  g_assert_cmpstr (g_bytes_get_data (bytes, NULL), ==, "k3y");
}

/* Found by fuzz/fuzz-key-import: encryption headers in a block that is not
 * a private key used to reach the certificate parser with no DER at all. */
static void
test_fuzz_regressions (void)
{
  static const char encrypted_cert[] =
    "-----BEGIN CERTIFICATE-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "\n"
    "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n"
    "-----END CERTIFICATE-----\n";
  static const char empty_cert[] = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
  g_autoptr(GError) error = NULL;
  GpPublicKey *pub;
  GpCertificate *cert;

  pub = gp_public_key_new_from_data (encrypted_cert, strlen (encrypted_cert), &error);
  g_assert_null (pub);
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "the PEM block “CERTIFICATE” carries encryption headers");
  g_clear_error (&error);

  cert = gp_certificate_new_from_data (encrypted_cert, strlen (encrypted_cert), &error);
  g_assert_null (cert);
  g_assert_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID);
  g_clear_error (&error);

  pub = gp_public_key_new_from_data (empty_cert, strlen (empty_cert), &error);
  g_assert_null (pub);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *ini = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  expected = g_key_file_new ();
  ini = g_test_build_filename (G_TEST_DIST, "data", "keys", "expected.ini", NULL);
  g_key_file_load_from_file (expected, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gatepost/key/private-formats", test_private_formats);
  g_test_add_func ("/gatepost/key/private-whitespace", test_private_whitespace);
  g_test_add_func ("/gatepost/key/private-refused", test_private_refused);
  g_test_add_func ("/gatepost/key/private-garbage", test_private_garbage);
  g_test_add_func ("/gatepost/key/public-formats", test_public_formats);
  g_test_add_func ("/gatepost/key/public-refused", test_public_refused);
  g_test_add_func ("/gatepost/key/probe", test_probe);
  g_test_add_func ("/gatepost/key/certificate", test_certificate);
  g_test_add_func ("/gatepost/key/expiry", test_expiry);
  g_test_add_func ("/gatepost/key/pkcs12", test_pkcs12);
  g_test_add_func ("/gatepost/key/serial", test_serial);
  g_test_add_func ("/gatepost/key/secret-bytes", test_secret_bytes);
  g_test_add_func ("/gatepost/key/fuzz-regressions", test_fuzz_regressions);

  ret = g_test_run ();
  g_key_file_unref (expected);

  return ret;
}
