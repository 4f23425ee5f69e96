/* test-profile.c: GpProfile from profile files: every gateway, key format and refusal
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gatepost-core.h"
#include "gp-profile-private.h"

static GKeyFile *expected;
static char *keys_dir;

static char *
slurp (const char *name)
{
  g_autofree char *path = g_build_filename (keys_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, NULL, &error);
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

/* A JSON object from NULL-terminated key/value string pairs. */
static JsonObject *
make_v (const char * const *kv)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; kv[i] != NULL; i += 2)
    json_object_set_string_member (object, kv[i], kv[i + 1]);

  return object;
}

static GpProfile *
profile_from (const char * const  *kv,
              GError             **error)
{
  g_autoptr(JsonObject) object = make_v (kv);

  return gp_profile_new_from_json (object, keys_dir, error);
}

static GpProfile *
profile_ok (const char * const *kv)
{
  g_autoptr(GError) error = NULL;
  GpProfile *profile = profile_from (kv, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);

  return profile;
}

static void
assert_alipay (GpProfile *profile)
{
  g_autofree char *app = expect ("fingerprint", "app");
  g_autofree char *alipay = expect ("fingerprint", "alipay");

  g_assert_cmpint (gp_profile_get_gateway (profile), ==, GP_GATEWAY_ALIPAY);
  g_assert_cmpstr (gp_profile_get_name (profile), ==, "Shop A");
  g_assert_cmpstr (gp_profile_get_string (profile, "app_id"), ==, "2021000000000001");
  g_assert_null (gp_profile_get_string (profile, "image_pid"));
  g_assert_cmpstr (gp_profile_get_base_url (profile), ==, "https://openapi.alipay.com");
  g_assert_false (gp_profile_has_custom_base_url (profile));
  g_assert_cmpstr (gp_public_key_get_fingerprint (
                     gp_private_key_get_public_key (gp_profile_get_private_key (profile))), ==,
                   app);
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_profile_get_verify_key (profile)), ==,
                   alipay);
  g_assert_null (gp_profile_get_verify_serial (profile));
  g_assert_null (gp_profile_get_client_certificate (profile));
  g_assert_null (gp_profile_dup_api_key (profile));
  g_assert_null (gp_profile_get_ca_pem (profile));
  g_assert_true (g_uuid_string_is_valid (gp_profile_get_id (profile)));
}

static void
test_alipay_formats (void)
{
  static const char *privates[] = {
    "app.pkcs1.pem", "app.pkcs8.pem", "app.pkcs1.b64", "app.pkcs8.b64", "app.pkcs8.crlf.pem",
  };
  static const char *publics[] = { "alipay.pub.pem", "alipay.pub.b64", "alipay.rsapub.pem" };

  for (guint i = 0; i < G_N_ELEMENTS (privates); i++)
    for (guint j = 0; j < G_N_ELEMENTS (publics); j++)
      {
        g_autofree char *priv = slurp (privates[i]);
        g_autofree char *pub = slurp (publics[j]);
        const char *from_files[] = {
          "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001",
          "private_key_file", privates[i], "alipay_public_key_file", publics[j], NULL
        };
        const char *inlined[] = {
          "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001",
          "private_key", priv, "alipay_public_key", pub, "image_pid", "", NULL
        };
        g_autoptr(GpProfile) a = NULL;
        g_autoptr(GpProfile) b = NULL;

        g_test_message ("%s + %s", privates[i], publics[j]);
        a = profile_ok (from_files);
        assert_alipay (a);
        b = profile_ok (inlined);
        assert_alipay (b);
        g_assert_cmpstr (gp_profile_get_id (a), !=, gp_profile_get_id (b));
      }
}

static void
test_v2_pair (void)
{
  const char *kv[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key", "192006250b4c09247ec02edce69f6a2d", "sign_type", "hmac-sha256",
    "client_cert_file", "client.pem", "client_key_file", "client.key.pem",
    "base_url", "https://127.0.0.1:8443/", "ca_file", "ca.pem", NULL
  };
  g_autoptr(GpProfile) profile = profile_ok (kv);
  g_autoptr(GBytes) api_key = gp_profile_dup_api_key (profile);
  g_autofree char *serial = expect ("serial", "client");
  g_autofree char *ca = slurp ("ca.pem");
  GTlsCertificate *tls = gp_profile_get_client_certificate (profile);
  g_autoptr(GByteArray) der = NULL;

  g_assert_cmpint (gp_profile_get_gateway (profile), ==, GP_GATEWAY_WECHATPAY_V2);
  g_assert_cmpstr (gp_profile_get_string (profile, "mch_id"), ==, "1900000109");
  g_assert_cmpstr (gp_profile_get_string (profile, "sign_type"), ==, "HMAC-SHA256");
  g_assert_cmpstr (gp_profile_get_base_url (profile), ==, "https://127.0.0.1:8443");
  g_assert_true (gp_profile_has_custom_base_url (profile));
  g_assert_cmpstr (g_bytes_get_data (api_key, NULL), ==, "192006250b4c09247ec02edce69f6a2d");
  g_assert_cmpuint (g_bytes_get_size (api_key), ==, 32);
  g_assert_null (gp_profile_get_private_key (profile));
  g_assert_null (gp_profile_get_verify_key (profile));
  g_assert_cmpstr (gp_profile_get_ca_pem (profile), ==, ca);
  g_assert_cmpstr (gp_certificate_get_serial (gp_profile_get_certificate (profile,
                                                                          "client_cert")),
                   ==, serial);
  g_assert_true (G_IS_TLS_CERTIFICATE (tls));
  g_object_get (tls, "certificate", &der, NULL);
  g_assert_nonnull (der);
}

static void
test_v2_p12 (void)
{
  g_autofree char *p12_b64 = slurp ("client.p12.b64");
  g_autofree char *serial = expect ("serial", "client");
  const char *inlined[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", "k",
    "client_p12", p12_b64, "client_p12_password", "p12-secret", NULL
  };
  const char *raw_default[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109",
    "api_key_file", "../keys/client.p12.b64",
    "client_p12_file", "client-mchid.p12", NULL
  };
  const char *b64_file[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", " k\n",
    "client_p12_file", "client.p12.b64", "client_p12_password", "p12-secret", NULL
  };
  const char * const *cases[] = { inlined, raw_default, b64_file };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProfile) profile = profile_ok (cases[i]);
      g_autoptr(GBytes) api_key = gp_profile_dup_api_key (profile);

      g_assert_true (G_IS_TLS_CERTIFICATE (gp_profile_get_client_certificate (profile)));
      g_assert_cmpstr (gp_certificate_get_serial (gp_profile_get_certificate (profile,
                                                                              "client_cert")),
                       ==, serial);
      g_assert_null (gp_profile_get_string (profile, "sign_type"));
      if (i == 1)
        g_assert_cmpstr (g_bytes_get_data (api_key, NULL), ==, g_strstrip (p12_b64));
      else
        g_assert_cmpstr (g_bytes_get_data (api_key, NULL), ==, "k");
    }
}

static void
test_v3 (void)
{
  g_autofree char *serial = expect ("serial", "platform");
  g_autofree char *platform = expect ("fingerprint", "platform");
  g_autofree char *app = expect ("fingerprint", "app");
  g_autofree char *cert_pem = slurp ("platform.pem");
  const char *with_cert[] = {
    "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109",
    "serial_no", "5157f09eFDF5:26ae", "private_key_file", "app.pkcs8.b64",
    "platform_certificate", cert_pem, NULL
  };
  const char *with_cert_serial[] = {
    "name", "Shop C", "gateway", "wechatpay-global", "mch_id", "1900000109",
    "serial_no", "5157F09EFDF526AE", "private_key_file", "app.pkcs1.pem",
    "platform_certificate_file", "platform.pem", "platform_serial", serial, NULL
  };
  const char *with_key[] = {
    "name", "Shop D", "gateway", "wechatpay-global", "mch_id", "1900000109",
    "serial_no", "5157F09EFDF526AE", "private_key_file", "app.pkcs1.pem",
    "platform_public_key_file", "platform.pub.pem",
    "platform_serial", "pub_key_id_0000000000000024101100397200000006", NULL
  };
  g_autoptr(GpProfile) a = profile_ok (with_cert);
  g_autoptr(GpProfile) b = profile_ok (with_cert_serial);
  g_autoptr(GpProfile) c = profile_ok (with_key);

  g_assert_cmpint (gp_profile_get_gateway (a), ==, GP_GATEWAY_WECHATPAY_V3);
  g_assert_cmpstr (gp_profile_get_string (a, "serial_no"), ==, "5157F09EFDF526AE");
  g_assert_cmpstr (gp_profile_get_verify_serial (a), ==, serial);
  g_assert_null (gp_profile_get_string (a, "platform_serial"));
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_profile_get_verify_key (a)), ==, platform);
  g_assert_cmpstr (gp_public_key_get_fingerprint (
                     gp_private_key_get_public_key (gp_profile_get_private_key (a))), ==, app);
  g_assert_cmpstr (gp_profile_get_base_url (a), ==, "https://api.mch.weixin.qq.com");
  g_assert_cmpstr (gp_certificate_get_serial (gp_profile_get_certificate (a,
                                                                          "platform_certificate")),
                   ==, serial);

  g_assert_cmpint (gp_profile_get_gateway (b), ==, GP_GATEWAY_WECHATPAY_GLOBAL);
  g_assert_cmpstr (gp_profile_get_verify_serial (b), ==, serial);
  g_assert_cmpstr (gp_profile_get_base_url (b), ==, "https://apihk.mch.weixin.qq.com");

  g_assert_cmpstr (gp_profile_get_verify_serial (c), ==,
                   "PUB_KEY_ID_0000000000000024101100397200000006");
  g_assert_cmpstr (gp_profile_get_string (c, "platform_serial"), ==,
                   "PUB_KEY_ID_0000000000000024101100397200000006");
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_profile_get_verify_key (c)), ==, platform);
  g_assert_null (gp_profile_get_certificate (c, "platform_certificate"));
}

static void
test_relative_to_cwd (void)
{
  const char *kv[] = {
    "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001",
    "private_key_file", "app.pkcs8.pem", "alipay_public_key_file", "alipay.pub.pem", NULL
  };
  g_autoptr(JsonObject) object = make_v (kv);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chdir (keys_dir), ==, 0);
  profile = gp_profile_new_from_json (object, NULL, &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  assert_alipay (profile);

  /* From elsewhere, the same relative names are not found. */
  g_clear_object (&profile);
  profile = gp_profile_new_from_json (object, NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "field “private_key_file”: "));
}

static void
test_canonical (void)
{
  g_autofree char *p12_b64 = slurp ("client.p12.b64");
  const char *alipay[] = {
    "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001", "image_pid", "2088",
    "private_key_file", "app.pkcs1.b64", "alipay_public_key_file", "alipay.rsapub.pem",
    "ca_file", "ca.pem", NULL
  };
  const char *v2_p12[] = {
    "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", "k\"\\é",
    "client_p12", p12_b64, "client_p12_password", "p12-secret", NULL
  };
  const char *v2_pair[] = {
    "name", "Shop B2", "gateway", "wechatpay-v2", "mch_id", "1900000109", "api_key", "k",
    "client_cert_file", "client.pem", "client_key_file", "client.key.pem", NULL
  };
  const char *v3[] = {
    "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109",
    "serial_no", "5157F09EFDF526AE", "private_key_file", "app.pkcs8.pem",
    "platform_certificate_file", "platform.pem", "base_url", "https://localhost:1234", NULL
  };
  const char *global[] = {
    "name", "Shop D", "gateway", "wechatpay-global", "mch_id", "1900000109",
    "serial_no", "5157F09EFDF526AE", "private_key_file", "app.pkcs8.pem",
    "platform_public_key_file", "platform.pub.pem", "platform_serial", "PUB_KEY_ID_1", NULL
  };
  const char * const *cases[] = { alipay, v2_p12, v2_pair, v3, global };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProfile) a = profile_ok (cases[i]);
      g_autoptr(GBytes) json = gp_profile_dup_canonical_json (a);
      g_autoptr(GBytes) again = NULL;
      g_autoptr(GpProfile) b = NULL;
      g_autoptr(GError) error = NULL;
      static const char *fields[] = {
        "app_id", "mch_id", "serial_no", "platform_serial", "sign_type", "image_pid",
      };

      g_assert_null (strstr (g_bytes_get_data (json, NULL), "_file"));
      b = gp_profile_new_from_canonical (json, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (gp_profile_get_id (a), ==, gp_profile_get_id (b));
      g_assert_cmpstr (gp_profile_get_name (a), ==, gp_profile_get_name (b));
      g_assert_cmpint (gp_profile_get_gateway (a), ==, gp_profile_get_gateway (b));
      g_assert_cmpstr (gp_profile_get_base_url (a), ==, gp_profile_get_base_url (b));
      g_assert_cmpstr (gp_profile_get_ca_pem (a), ==, gp_profile_get_ca_pem (b));
      g_assert_cmpstr (gp_profile_get_verify_serial (a), ==, gp_profile_get_verify_serial (b));
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_cmpstr (gp_profile_get_string (a, fields[f]), ==,
                         gp_profile_get_string (b, fields[f]));
      if (gp_profile_get_private_key (a) != NULL)
        g_assert_true (gp_public_key_equal (
                         gp_private_key_get_public_key (gp_profile_get_private_key (a)),
                         gp_private_key_get_public_key (gp_profile_get_private_key (b))));
      if (gp_profile_get_verify_key (a) != NULL)
        g_assert_true (gp_public_key_equal (gp_profile_get_verify_key (a),
                                            gp_profile_get_verify_key (b)));
      if (gp_profile_get_client_certificate (a) != NULL)
        {
          g_autoptr(GBytes) ka = gp_profile_dup_api_key (a);
          g_autoptr(GBytes) kb = gp_profile_dup_api_key (b);

          g_assert_true (g_bytes_equal (ka, kb));
          g_assert_true (g_tls_certificate_is_same (gp_profile_get_client_certificate (a),
                                                    gp_profile_get_client_certificate (b)));
        }

      /* Stable: the same profile gives the same bytes. */
      again = gp_profile_dup_canonical_json (b);
      g_assert_true (g_bytes_equal (json, again));
    }
}

static void
test_canonical_only_fields (void)
{
  const char *with_id[] = {
    "name", "Shop A", "gateway", "alipay", "id", "x", "app_id", "1",
    "private_key_file", "app.pkcs8.pem", "alipay_public_key_file", "alipay.pub.pem", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = profile_from (with_id, &error);

  g_assert_null (profile);
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "unknown field “id” for gateway alipay");
}

typedef struct
{
  const char *kv[24];
  const char *message;
} ErrorCase;

#define ALIPAY_BASE "name", "Shop A", "gateway", "alipay", "app_id", "2021000000000001"
#define V2_BASE "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109", \
                "api_key", "k"
#define V3_BASE "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109", \
                "serial_no", "5157F09EFDF526AE", "private_key_file", "app.pkcs8.pem"

static const ErrorCase error_cases[] = {
  { { "gateway", "alipay", NULL }, "missing field “name”" },
  { { "name", "  ", "gateway", "alipay", NULL }, "missing field “name”" },
  { { "name", "x", NULL },
    "missing field “gateway”: expected alipay, wechatpay-v2, wechatpay-v3 or wechatpay-global" },
  { { "name", "x", "gateway", "paypal", NULL },
    "field “gateway”: unknown gateway “paypal”; expected alipay, wechatpay-v2, wechatpay-v3 "
    "or wechatpay-global" },
  { { "name", "x", "gateway", "alipay", "private_key_file", "app.pkcs8.pem",
      "alipay_public_key_file", "alipay.pub.pem", NULL },
    "missing field “app_id”, required for gateway alipay" },
  { { ALIPAY_BASE, "alipay_public_key_file", "alipay.pub.pem", NULL },
    "missing field “private_key” (or “private_key_file”), required for gateway alipay" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", NULL },
    "missing field “alipay_public_key” (or “alipay_public_key_file”), required for gateway "
    "alipay" },
  { { ALIPAY_BASE, "colour", "red", "private_key_file", "app.pkcs8.pem", "api_key", "k",
      "alipay_public_key_file", "alipay.pub.pem", NULL },
    "unknown fields “colour”, “api_key” for gateway alipay" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "ca", "x",
      "alipay_public_key_file", "alipay.pub.pem", NULL },
    "unknown field “ca” for gateway alipay" },
  { { ALIPAY_BASE, "private_key", "hello", "alipay_public_key_file", "alipay.pub.pem", NULL },
    "field “private_key”: neither PEM nor base64" },
  { { ALIPAY_BASE, "private_key_file", "weak1024.pem", "alipay_public_key_file",
      "alipay.pub.pem", NULL },
    "field “private_key_file”: an RSA key of 1024 bits is too short: at least 2048 bits are "
    "required" },
  { { ALIPAY_BASE, "private_key_file", "weak1024.b64", "alipay_public_key_file",
      "alipay.pub.pem", NULL },
    "field “private_key_file”: an RSA key of 1024 bits is too short: at least 2048 bits are "
    "required" },
  { { ALIPAY_BASE, "private_key_file", "encrypted.pem", "alipay_public_key_file",
      "alipay.pub.pem", NULL },
    "field “private_key_file”: the key is encrypted with a passphrase, which Gatepost does not "
    "store; decrypt it first (openssl pkey -in KEY -out PLAIN-KEY)" },
  { { ALIPAY_BASE, "private_key_file", "encrypted-legacy.pem", "alipay_public_key_file",
      "alipay.pub.pem", NULL },
    "field “private_key_file”: the key is encrypted with a passphrase, which Gatepost does not "
    "store; decrypt it first (openssl pkey -in KEY -out PLAIN-KEY)" },
  { { ALIPAY_BASE, "private_key_file", "ec.pem", "alipay_public_key_file",
      "alipay.pub.pem", NULL },
    "field “private_key_file”: not an RSA key (EC/ECDSA)" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.key.pem", NULL },
    "field “alipay_public_key_file”: this is a private key, not a public key" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs1.pem", "alipay_public_key_file",
      "app.pub.b64", NULL },
    "field “alipay_public_key_file”: this is the app's own public key (it verifies a "
    "signature made with “private_key”); use the Alipay public key shown for the app on the "
    "Alipay open platform" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs1.pem", "private_key", "x",
      "alipay_public_key_file", "alipay.pub.pem", NULL },
    "give either “private_key” or “private_key_file”, not both" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "http://127.0.0.1:8443", NULL },
    "field “base_url”: plain http is refused; use https://host[:port]" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "https://127.0.0.1:8443/gateway.do", NULL },
    "field “base_url”: expected https://host[:port] with no path, query or user name" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "127.0.0.1:8443", NULL },
    "field “base_url”: not a URL; expected https://host[:port]" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "ftp://127.0.0.1", NULL },
    "field “base_url”: expected https://host[:port] with no path, query or user name" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "https://127.0.0.1?x=1", NULL },
    "field “base_url”: expected https://host[:port] with no path, query or user name" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "base_url", "not a url", NULL },
    "field “base_url”: not a URL; expected https://host[:port]" },
  { { ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
      "alipay.pub.pem", "ca_file", "app.pub.pem", NULL },
    "field “ca_file”: no PEM certificate found" },
  { { V2_BASE, NULL },
    "missing the client certificate: give “client_cert” and “client_key”, or “client_p12”, "
    "required for gateway wechatpay-v2" },
  { { "name", "Shop B", "gateway", "wechatpay-v2", "mch_id", "1900000109", "client_p12_file",
      "client-mchid.p12", NULL },
    "missing field “api_key” (or “api_key_file”), required for gateway wechatpay-v2" },
  { { V2_BASE, "sign_type", "SHA1", "client_p12_file", "client-mchid.p12", NULL },
    "field “sign_type”: expected MD5 or HMAC-SHA256" },
  { { V2_BASE, "client_cert_file", "other.pem", "client_key_file", "client.key.pem", NULL },
    "field “client_cert_file”: the certificate does not belong to “client_key”" },
  { { V2_BASE, "client_cert_file", "client.pem", NULL },
    "field “client_cert” needs “client_key”" },
  { { V2_BASE, "client_key_file", "client.key.pem", NULL },
    "field “client_key” needs “client_cert”" },
  { { V2_BASE, "client_cert_file", "client.pem", "client_key_file", "client.key.pem",
      "client_p12_file", "client.p12", NULL },
    "give either “client_cert” and “client_key”, or “client_p12”, not both" },
  { { V2_BASE, "client_p12_file", "client.p12", "client_p12_password", "wrong", NULL },
    "field “client_p12_file”: the PKCS#12 file does not open with “client_p12_password”" },
  { { V2_BASE, "client_p12_file", "client.p12", NULL },
    "field “client_p12_file”: the PKCS#12 file does not open with the default password (the "
    "mch_id); set “client_p12_password”" },
  { { V2_BASE, "client_p12", "not base64!", NULL },
    "field “client_p12”: not base64 of a PKCS#12 file" },
  { { V2_BASE, "client_p12_file", "client.pem", NULL },
    "field “client_p12_file”: not a PKCS#12 file" },
  { { V2_BASE, "client_cert_file", "client.pem", "client_key_file", "client.key.pem",
      "client_p12_password", "x", NULL },
    "field “client_p12_password” needs “client_p12”" },
  { { V3_BASE, NULL },
    "missing the platform key: give “platform_public_key” and “platform_serial”, or "
    "“platform_certificate”, required for gateway wechatpay-v3" },
  { { V3_BASE, "platform_public_key_file", "platform.pub.pem", NULL },
    "field “platform_public_key_file” needs “platform_serial” (the WeChat Pay public key ID)" },
  { { V3_BASE, "platform_serial", "PUB_KEY_ID_1", NULL },
    "missing the platform key: give “platform_public_key” and “platform_serial”, or "
    "“platform_certificate”, required for gateway wechatpay-v3" },
  { { V3_BASE, "platform_public_key_file", "platform.pub.pem", "platform_serial", "P1",
      "platform_certificate_file", "platform.pem", NULL },
    "give either “platform_public_key” and “platform_serial”, or “platform_certificate”, not "
    "both" },
  { { V3_BASE, "platform_certificate_file", "platform.pem", "platform_serial", "ABCD", NULL },
    "field “platform_serial”: ABCD is not the serial of “platform_certificate_file” "
    "(9A0B1C2D3E4F5061728394A5B6C7D8E9F0011223)" },
  { { V3_BASE, "platform_public_key_file", "platform.pub.pem", "platform_serial", "P-1",
      NULL },
    "field “platform_serial”: expected a certificate serial number or a WeChat Pay public key "
    "ID (PUB_KEY_ID_…)" },
  { { V3_BASE, "platform_certificate_file", "app.pub.pem", NULL },
    "field “platform_certificate_file”: a PEM block “PUBLIC KEY” where a certificate was "
    "expected" },
  { { "name", "Shop C", "gateway", "wechatpay-v3", "mch_id", "1900000109", "serial_no",
      "PUB_KEY_ID_1", "private_key_file", "app.pkcs8.pem", NULL },
    "field “serial_no”: expected a certificate serial number in hexadecimal" },
  { { "name", "Shop C", "gateway", "wechatpay-global", "mch_id", "1900000109",
      "private_key_file", "app.pkcs8.pem", NULL },
    "missing field “serial_no”, required for gateway wechatpay-global" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProfile) profile = profile_from (error_cases[i].kv, &error);

      g_test_message ("case %u: %s", i, error_cases[i].message);
      g_assert_null (profile);
      g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, error_cases[i].message);
    }
}

static void
test_errors_json (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "[]", "the profile must be a JSON object" },
    { "{\"name\": 5, \"gateway\": \"alipay\"}", "field “name” must be a string" },
    { "{\"name\": \"a\", \"gateway\": \"alipay\", \"app_id\": [1]}",
      "field “app_id” must be a string" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      profile = gp_profile_new_from_data (cases[i].json, -1, keys_dir, &error);
      g_assert_null (profile);
      g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* The position only: the text near a fault may be key material. */
  profile = gp_profile_new_from_data ("{\"name\": \"a\",\n \"private_key\": MIIEsecret}", -1,
                                      keys_dir, &error);
  g_assert_null (profile);
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "the profile is not valid JSON (line 2, "));
  g_assert_null (strstr (error->message, "MIIE"));
  g_clear_error (&error);

  /* Numeric IDs are taken as their digits. */
  profile = gp_profile_new_from_data ("{\"name\": \"a\", \"gateway\": \"alipay\", "
                                      "\"app_id\": 2021000000000001, "
                                      "\"private_key_file\": \"app.pkcs8.pem\", "
                                      "\"alipay_public_key_file\": \"alipay.pub.pem\"}",
                                      -1, keys_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_profile_get_string (profile, "app_id"), ==, "2021000000000001");
}

static void
test_missing_file (void)
{
  const char *kv[] = {
    ALIPAY_BASE, "private_key_file", "nope.pem", "alipay_public_key_file", "alipay.pub.pem",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = profile_from (kv, &error);

  g_assert_null (profile);
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "field “private_key_file”: "));
  g_assert_nonnull (strstr (error->message, "nope.pem"));
}

static void
test_properties (void)
{
  const char *kv[] = {
    ALIPAY_BASE, "private_key_file", "app.pkcs8.pem", "alipay_public_key_file",
    "alipay.pub.pem", "base_url", "https://127.0.0.1:9", NULL
  };
  g_autoptr(GpProfile) profile = profile_ok (kv);
  g_autofree GParamSpec **pspecs = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base_url = NULL;
  guint n = 0;
  int gateway = -1;

  /* Secrets are never properties: only these three exist. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (profile), &n);
  g_assert_cmpuint (n, ==, 3);
  g_object_get (profile, "name", &name, "gateway", &gateway, "base-url", &base_url, NULL);
  g_assert_cmpstr (name, ==, "Shop A");
  g_assert_cmpint (gateway, ==, GP_GATEWAY_ALIPAY);
  g_assert_cmpstr (base_url, ==, "https://127.0.0.1:9");
  g_assert_finalize_object (g_steal_pointer (&profile));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *ini = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  keys_dir = g_test_build_filename (G_TEST_DIST, "data", "keys", NULL);
  expected = g_key_file_new ();
  ini = g_build_filename (keys_dir, "expected.ini", NULL);
  g_key_file_load_from_file (expected, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gatepost/profile/alipay-formats", test_alipay_formats);
  g_test_add_func ("/gatepost/profile/v2-pair", test_v2_pair);
  g_test_add_func ("/gatepost/profile/v2-p12", test_v2_p12);
  g_test_add_func ("/gatepost/profile/v3", test_v3);
  g_test_add_func ("/gatepost/profile/relative-to-cwd", test_relative_to_cwd);
  g_test_add_func ("/gatepost/profile/canonical", test_canonical);
  g_test_add_func ("/gatepost/profile/canonical-only-fields", test_canonical_only_fields);
  g_test_add_func ("/gatepost/profile/errors", test_errors);
  g_test_add_func ("/gatepost/profile/errors-json", test_errors_json);
  g_test_add_func ("/gatepost/profile/missing-file", test_missing_file);
  g_test_add_func ("/gatepost/profile/properties", test_properties);

  ret = g_test_run ();
  g_key_file_unref (expected);
  g_free (keys_dir);

  return ret;
}
