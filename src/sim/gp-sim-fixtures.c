/* gp-sim-fixtures.c: the simulator's CA, certificates, credentials and profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is made in-process with GnuTLS: the Sandbox profile of the app
 * runs this on users' machines, where no openssl CLI can be assumed.
 */

#include "config.h"

#include "gp-sim-fixtures.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs12.h>
#include <json-glib/json-glib.h>

#define KEY_BITS 2048
#define CERT_DAYS 3650

typedef enum
{
  CERT_CA,
  CERT_SERVER,
  CERT_CLIENT,
  CERT_SIGNING,
} CertKind;

static gboolean
gnutls_fail (int          ret,
             const char  *what,
             GError     **error)
{
  if (ret >= 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Cannot %s: %s", what, gnutls_strerror (ret));
  return TRUE;
}

static char *
random_token (const char *alphabet,
              gsize       len)
{
  g_autofree guint8 *raw = g_malloc (len);
  char *out = g_malloc (len + 1);
  gsize n = strlen (alphabet);

  gnutls_rnd (GNUTLS_RND_KEY, raw, len);
  for (gsize i = 0; i < len; i++)
    out[i] = alphabet[raw[i] % n];
  out[len] = '\0';
  return out;
}

static gboolean
write_file (const char    *dir,
            const char    *name,
            const void    *data,
            gsize          len,
            int            mode,
            GError       **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", parent, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

static gnutls_x509_privkey_t
generate_key (GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  int ret;

  gnutls_x509_privkey_init (&key);
  ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, KEY_BITS, 0);
  if (gnutls_fail (ret, "generate an RSA key", error))
    {
      gnutls_x509_privkey_deinit (key);
      return NULL;
    }
  return key;
}

static gboolean
write_private_key (const char            *dir,
                   const char            *name,
                   gnutls_x509_privkey_t  key,
                   GError               **error)
{
  gnutls_datum_t out = { NULL, 0 };
  gboolean ok;
  int ret;

  ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                           GNUTLS_PKCS_PLAIN, &out);
  if (gnutls_fail (ret, "export a private key", error))
    return FALSE;
  ok = write_file (dir, name, out.data, out.size, 0600, error);
  gnutls_memset (out.data, 0, out.size);
  gnutls_free (out.data);
  return ok;
}

static gboolean
write_public_key (const char            *dir,
                  const char            *name,
                  gnutls_x509_privkey_t  key,
                  GError               **error)
{
  gnutls_privkey_t priv = NULL;
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t out = { NULL, 0 };
  gboolean ok = FALSE;
  int ret;

  gnutls_privkey_init (&priv);
  gnutls_pubkey_init (&pub);
  ret = gnutls_privkey_import_x509 (priv, key, 0);
  if (ret >= 0)
    ret = gnutls_pubkey_import_privkey (pub, priv, 0, 0);
  if (ret >= 0)
    ret = gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_PEM, &out);
  if (!gnutls_fail (ret, "export a public key", error))
    ok = write_file (dir, name, out.data, out.size, 0644, error);
  gnutls_free (out.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  return ok;
}

static gnutls_x509_crt_t
make_certificate (gnutls_x509_privkey_t  key,
                  const char            *dn,
                  CertKind               kind,
                  gnutls_x509_crt_t      issuer,
                  gnutls_x509_privkey_t  issuer_key,
                  GError               **error)
{
  gnutls_x509_crt_t crt = NULL;
  guint8 serial[20];
  guint8 id[64];
  size_t id_len = sizeof id;
  time_t now = time (NULL);
  const char *err_pos = NULL;
  int ret;

  /* 20 bytes, positive, no leading zero byte: 40 upper-case hex digits,
   * the shape of a WeChat Pay certificate serial. */
  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] = 0x10 | (serial[0] & 0x6f);

  gnutls_x509_crt_init (&crt);
  ret = gnutls_x509_crt_set_version (crt, 3);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_expiration_time (crt, now + (time_t) CERT_DAYS * 24 * 3600);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_dn (crt, dn, &err_pos);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key (crt, key);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_basic_constraints (crt, kind == CERT_CA, -1);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key_usage (crt, kind == CERT_CA
                                              ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                              : GNUTLS_KEY_DIGITAL_SIGNATURE
                                                | GNUTLS_KEY_KEY_ENCIPHERMENT);
  if (ret >= 0 && kind == CERT_SERVER)
    {
      static const guint8 loopback[4] = { 127, 0, 0, 1 };

      ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                    strlen ("localhost"), GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                    sizeof loopback, GNUTLS_FSAN_APPEND);
    }
  if (ret >= 0 && kind == CERT_CLIENT)
    ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0);
  if (ret >= 0)
    ret = gnutls_x509_crt_get_key_id (crt, 0, id, &id_len);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_subject_key_id (crt, id, id_len);
  if (ret >= 0 && issuer != NULL)
    {
      id_len = sizeof id;
      ret = gnutls_x509_crt_get_subject_key_id (issuer, id, &id_len, NULL);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_authority_key_id (crt, id, id_len);
    }
  if (ret >= 0)
    ret = gnutls_x509_crt_sign2 (crt, issuer ? issuer : crt, issuer_key ? issuer_key : key,
                                 GNUTLS_DIG_SHA256, 0);
  if (gnutls_fail (ret, "make a certificate", error))
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

static gboolean
write_certificate (const char         *dir,
                   const char         *name,
                   gnutls_x509_crt_t   crt,
                   GError            **error)
{
  gnutls_datum_t out = { NULL, 0 };
  gboolean ok;
  int ret;

  ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out);
  if (gnutls_fail (ret, "export a certificate", error))
    return FALSE;
  ok = write_file (dir, name, out.data, out.size, 0644, error);
  gnutls_free (out.data);
  return ok;
}

/* PKCS#12 with the certificate and key in separate bags, both encrypted
 * with the password, and a SHA-256 MAC: what `openssl pkcs12 -export`
 * writes today. The v2 convention is password = mch_id. */
static gboolean
write_pkcs12 (const char             *dir,
              const char             *name,
              gnutls_x509_crt_t       crt,
              gnutls_x509_privkey_t   key,
              const char             *password,
              GError                **error)
{
  gnutls_pkcs12_t p12 = NULL;
  gnutls_pkcs12_bag_t cbag = NULL;
  gnutls_pkcs12_bag_t kbag = NULL;
  gnutls_datum_t out = { NULL, 0 };
  guint8 id[64];
  size_t id_len = sizeof id;
  gnutls_datum_t key_id;
  gboolean ok = FALSE;
  int ret;
  int idx;

  gnutls_pkcs12_init (&p12);
  gnutls_pkcs12_bag_init (&cbag);
  gnutls_pkcs12_bag_init (&kbag);
  ret = gnutls_x509_crt_get_key_id (crt, 0, id, &id_len);
  key_id.data = id;
  key_id.size = id_len;
  if (ret >= 0)
    ret = idx = gnutls_pkcs12_bag_set_crt (cbag, crt);
  if (ret >= 0)
    ret = gnutls_pkcs12_bag_set_key_id (cbag, idx, &key_id);
  if (ret >= 0)
    ret = gnutls_pkcs12_bag_encrypt (cbag, password, GNUTLS_PKCS_PBES2_AES_256);
  if (ret >= 0)
    ret = idx = gnutls_pkcs12_bag_set_privkey (kbag, key, password, GNUTLS_PKCS_PBES2_AES_256);
  if (ret >= 0)
    ret = gnutls_pkcs12_bag_set_key_id (kbag, idx, &key_id);
  if (ret >= 0)
    ret = gnutls_pkcs12_set_bag (p12, cbag);
  if (ret >= 0)
    ret = gnutls_pkcs12_set_bag (p12, kbag);
  if (ret >= 0)
    ret = gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, password);
  if (ret >= 0)
    ret = gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out);
  if (!gnutls_fail (ret, "make the PKCS#12 file", error))
    ok = write_file (dir, name, out.data, out.size, 0600, error);
  gnutls_free (out.data);
  gnutls_pkcs12_bag_deinit (cbag);
  gnutls_pkcs12_bag_deinit (kbag);
  gnutls_pkcs12_deinit (p12);
  return ok;
}

/* One key pair plus (when issuer is set) a certificate issued by the CA. */
static gboolean
make_pair (const char             *dir,
           const char             *key_name,
           const char             *pub_name,
           const char             *cert_name,
           const char             *dn,
           CertKind                kind,
           gnutls_x509_crt_t       ca,
           gnutls_x509_privkey_t   ca_key,
           gnutls_x509_privkey_t  *key_out,
           gnutls_x509_crt_t      *crt_out,
           GError                **error)
{
  gnutls_x509_privkey_t key = generate_key (error);
  gnutls_x509_crt_t crt = NULL;
  gboolean ok;

  if (key == NULL)
    return FALSE;
  ok = write_private_key (dir, key_name, key, error);
  if (ok && pub_name != NULL)
    ok = write_public_key (dir, pub_name, key, error);
  if (ok && cert_name != NULL)
    {
      crt = make_certificate (key, dn, kind, ca, ca_key, error);
      ok = crt != NULL && write_certificate (dir, cert_name, crt, error);
    }
  if (ok && key_out != NULL)
    *key_out = g_steal_pointer (&key);
  if (ok && crt_out != NULL)
    *crt_out = g_steal_pointer (&crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  return ok;
}

gboolean
gp_sim_fixtures_exist (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, GP_SIM_FILE_CONFIG, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
write_config (const char  *dir,
              const char  *merchant_serial,
              const char  *platform_serial,
              GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *pub_id = random_token ("0123456789", 32);
  g_autofree char *pub_key_id = g_strconcat ("PUB_KEY_ID_", pub_id, NULL);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "app_id");
  json_builder_add_string_value (b, "2021000000000001");
  json_builder_set_member_name (b, "v2_mch_id");
  json_builder_add_string_value (b, "1230000109");
  json_builder_set_member_name (b, "v3_mch_id");
  json_builder_add_string_value (b, "1900000109");
  json_builder_set_member_name (b, "merchant_serial");
  json_builder_add_string_value (b, merchant_serial);
  json_builder_set_member_name (b, "pub_key_id");
  json_builder_add_string_value (b, pub_key_id);
  json_builder_set_member_name (b, "platform_serial");
  json_builder_add_string_value (b, platform_serial);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return write_file (dir, GP_SIM_FILE_CONFIG, text, strlen (text), 0600, error);
}

/**
 * gp_sim_fixtures_generate:
 *
 * Creates every credential of the four simulated gateways in @dir
 * (mode 0700; private keys and secrets 0600). Existing files are replaced.
 */
gboolean
gp_sim_fixtures_generate (const char  *dir,
                          GError     **error)
{
  gnutls_x509_privkey_t ca_key = NULL;
  gnutls_x509_crt_t ca = NULL;
  gnutls_x509_privkey_t v2_key = NULL;
  gnutls_x509_crt_t v2_crt = NULL;
  gnutls_x509_crt_t merchant = NULL;
  gnutls_x509_crt_t platform = NULL;
  g_autofree char *merchant_serial = NULL;
  g_autofree char *platform_serial = NULL;
  g_autofree char *api_key = NULL;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  ok = make_pair (dir, GP_SIM_FILE_CA_KEY, NULL, GP_SIM_FILE_CA,
                  "CN=Gatepost Simulator CA,O=Gatepost Simulator", CERT_CA, NULL, NULL,
                  &ca_key, &ca, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_SERVER_KEY, NULL, GP_SIM_FILE_SERVER,
                        "CN=localhost,O=Gatepost Simulator", CERT_SERVER, ca, ca_key,
                        NULL, NULL, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_ALIPAY_APP_KEY, GP_SIM_FILE_ALIPAY_APP_PUB, NULL,
                        NULL, CERT_SIGNING, NULL, NULL, NULL, NULL, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_ALIPAY_KEY, GP_SIM_FILE_ALIPAY_PUB, NULL,
                        NULL, CERT_SIGNING, NULL, NULL, NULL, NULL, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_V2_KEY, NULL, GP_SIM_FILE_V2_CERT,
                        "CN=1230000109,OU=Gatepost Simulator v2,O=Gatepost Simulator",
                        CERT_CLIENT, ca, ca_key, &v2_key, &v2_crt, error);
  ok = ok && write_pkcs12 (dir, GP_SIM_FILE_V2_P12, v2_crt, v2_key, "1230000109", error);
  ok = ok && make_pair (dir, GP_SIM_FILE_V3_KEY, NULL, GP_SIM_FILE_V3_CERT,
                        "CN=1900000109,OU=Gatepost Simulator merchant,O=Gatepost Simulator",
                        CERT_CLIENT, ca, ca_key, NULL, &merchant, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_PUB_KEY_PRIVATE, GP_SIM_FILE_PUB_KEY, NULL,
                        NULL, CERT_SIGNING, NULL, NULL, NULL, NULL, error);
  ok = ok && make_pair (dir, GP_SIM_FILE_PLATFORM_KEY, NULL, GP_SIM_FILE_PLATFORM_CERT,
                        "CN=Gatepost Simulator WeChat Pay platform,O=Gatepost Simulator",
                        CERT_SIGNING, ca, ca_key, NULL, &platform, error);
  if (ok)
    {
      merchant_serial = gp_sim_certificate_serial (merchant);
      platform_serial = gp_sim_certificate_serial (platform);
      api_key = random_token ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 32);
      ok = write_file (dir, GP_SIM_FILE_V2_API_KEY, api_key, strlen (api_key), 0600, error);
      explicit_bzero (api_key, strlen (api_key));
    }
  ok = ok && write_config (dir, merchant_serial, platform_serial, error);

  g_clear_pointer (&ca_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&v2_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&ca, gnutls_x509_crt_deinit);
  g_clear_pointer (&v2_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&merchant, gnutls_x509_crt_deinit);
  g_clear_pointer (&platform, gnutls_x509_crt_deinit);
  return ok;
}

static char *
dup_member (JsonObject  *obj,
            const char  *name,
            GError     **error)
{
  const char *v = json_object_get_string_member_with_default (obj, name, NULL);

  if (v == NULL || *v == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: \"%s\" is missing; delete the directory to regenerate it",
                   GP_SIM_FILE_CONFIG, name);
      return NULL;
    }
  return g_strdup (v);
}

/**
 * gp_sim_fixtures_load:
 *
 * Loads what gp_sim_fixtures_generate() wrote.
 */
GpSimFixtures *
gp_sim_fixtures_load (const char  *dir,
                      GError     **error)
{
  g_autoptr(GpSimFixtures) self = g_new0 (GpSimFixtures, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config = g_build_filename (dir, GP_SIM_FILE_CONFIG, NULL);
  g_autofree char *p = NULL;
  g_autofree char *q = NULL;
  g_autofree char *api_key = NULL;
  gsize api_len = 0;
  JsonObject *obj;

  self->dir = g_canonicalize_filename (dir, NULL);
  if (!json_parser_load_from_file (parser, config, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a JSON object", config);
      return NULL;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  if (!(self->app_id = dup_member (obj, "app_id", error))
      || !(self->v2_mch_id = dup_member (obj, "v2_mch_id", error))
      || !(self->v3_mch_id = dup_member (obj, "v3_mch_id", error))
      || !(self->merchant_serial = dup_member (obj, "merchant_serial", error))
      || !(self->pub_key_id = dup_member (obj, "pub_key_id", error))
      || !(self->platform_serial = dup_member (obj, "platform_serial", error)))
    return NULL;

#define PATH(name) (g_free (p), p = g_build_filename (self->dir, name, NULL))
  if (!g_file_get_contents (PATH (GP_SIM_FILE_V2_API_KEY), &api_key, &api_len, error))
    return NULL;
  self->v2_api_key = g_strstrip (g_steal_pointer (&api_key));
  if (!(self->alipay_app_public = gp_sim_load_public_key (PATH (GP_SIM_FILE_ALIPAY_APP_PUB), error))
      || !(self->alipay_private = gp_sim_load_private_key (PATH (GP_SIM_FILE_ALIPAY_KEY), error))
      || !(self->merchant_public = gp_sim_load_public_key (PATH (GP_SIM_FILE_V3_CERT), error))
      || !(self->pub_key_private = gp_sim_load_private_key (PATH (GP_SIM_FILE_PUB_KEY_PRIVATE),
                                                            error))
      || !(self->platform_private = gp_sim_load_private_key (PATH (GP_SIM_FILE_PLATFORM_KEY),
                                                             error)))
    return NULL;
  q = g_build_filename (self->dir, GP_SIM_FILE_SERVER_KEY, NULL);
  if (!(self->server_certificate = g_tls_certificate_new_from_files (PATH (GP_SIM_FILE_SERVER),
                                                                     q, error))
      || !(self->ca_database = g_tls_file_database_new (PATH (GP_SIM_FILE_CA), error))
      || !(self->v2_client_certificate = g_tls_certificate_new_from_file (PATH (GP_SIM_FILE_V2_CERT),
                                                                          error)))
    return NULL;
#undef PATH
  return g_steal_pointer (&self);
}

static gboolean
write_profile (GpSimFixtures  *self,
               const char     *name,
               JsonBuilder    *b,
               GError        **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *file = g_strconcat (GP_SIM_DIR_PROFILES, G_DIR_SEPARATOR_S, name, ".json",
                                       NULL);
  g_autofree char *text = NULL;
  gboolean ok;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  /* 0600: the v2 profiles carry the API key and the PKCS#12 inline. */
  ok = write_file (self->dir, file, text, strlen (text), 0600, error);
  explicit_bzero (text, strlen (text));
  return ok;
}

static JsonBuilder *
profile_begin (GpSimFixtures *self,
               const char    *name,
               const char    *gateway,
               const char    *base_url)
{
  JsonBuilder *b = json_builder_new ();
  g_autofree char *ca = g_build_filename (self->dir, GP_SIM_FILE_CA, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "gateway");
  json_builder_add_string_value (b, gateway);
  json_builder_set_member_name (b, "base_url");
  json_builder_add_string_value (b, base_url);
  json_builder_set_member_name (b, "ca_file");
  json_builder_add_string_value (b, ca);
  return b;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_path (JsonBuilder   *b,
          GpSimFixtures *self,
          const char    *name,
          const char    *file)
{
  g_autofree char *path = g_build_filename (self->dir, file, NULL);

  add_string (b, name, path);
}

static gboolean
write_wechat_profiles (GpSimFixtures  *self,
                       const char     *gateway,
                       const char     *base_url,
                       GError        **error)
{
  g_autofree char *name = g_strconcat ("sim-", gateway, NULL);
  g_autofree char *cert_name = g_strconcat ("sim-", gateway, "-cert", NULL);
  g_autoptr(JsonBuilder) b = NULL;

  b = profile_begin (self, name, gateway, base_url);
  add_string (b, "mch_id", self->v3_mch_id);
  add_string (b, "serial_no", self->merchant_serial);
  add_path (b, self, "private_key_file", GP_SIM_FILE_V3_KEY);
  add_path (b, self, "platform_public_key_file", GP_SIM_FILE_PUB_KEY);
  add_string (b, "platform_serial", self->pub_key_id);
  if (!write_profile (self, name, b, error))
    return FALSE;
  g_clear_object (&b);

  b = profile_begin (self, cert_name, gateway, base_url);
  add_string (b, "mch_id", self->v3_mch_id);
  add_string (b, "serial_no", self->merchant_serial);
  add_path (b, self, "private_key_file", GP_SIM_FILE_V3_KEY);
  add_path (b, self, "platform_certificate_file", GP_SIM_FILE_PLATFORM_CERT);
  return write_profile (self, cert_name, b, error);
}

/**
 * gp_sim_fixtures_write_profiles:
 *
 * Writes DIR/profiles/sim-*.json, ready for `gatepost-cli profile import`,
 * with base_url set to the running simulator.
 */
gboolean
gp_sim_fixtures_write_profiles (GpSimFixtures  *self,
                                const char     *base_url,
                                const char     *v2_base_url,
                                GError        **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *p12_path = g_build_filename (self->dir, GP_SIM_FILE_V2_P12, NULL);
  g_autofree char *p12 = NULL;
  g_autofree char *p12_b64 = NULL;
  gsize p12_len = 0;

  b = profile_begin (self, "sim-alipay", "alipay", base_url);
  add_string (b, "app_id", self->app_id);
  add_path (b, self, "private_key_file", GP_SIM_FILE_ALIPAY_APP_KEY);
  add_path (b, self, "alipay_public_key_file", GP_SIM_FILE_ALIPAY_PUB);
  if (!write_profile (self, "sim-alipay", b, error))
    return FALSE;
  g_clear_object (&b);

  b = profile_begin (self, "sim-wechatpay-v2", "wechatpay-v2", v2_base_url);
  add_string (b, "mch_id", self->v2_mch_id);
  add_string (b, "api_key", self->v2_api_key);
  add_string (b, "sign_type", "MD5");
  add_path (b, self, "client_cert_file", GP_SIM_FILE_V2_CERT);
  add_path (b, self, "client_key_file", GP_SIM_FILE_V2_KEY);
  if (!write_profile (self, "sim-wechatpay-v2", b, error))
    return FALSE;
  g_clear_object (&b);

  if (!g_file_get_contents (p12_path, &p12, &p12_len, error))
    return FALSE;
  p12_b64 = g_base64_encode ((const guchar *) p12, p12_len);
  b = profile_begin (self, "sim-wechatpay-v2-hmac", "wechatpay-v2", v2_base_url);
  add_string (b, "mch_id", self->v2_mch_id);
  add_string (b, "api_key", self->v2_api_key);
  add_string (b, "sign_type", "HMAC-SHA256");
  add_string (b, "client_p12", p12_b64);
  if (!write_profile (self, "sim-wechatpay-v2-hmac", b, error))
    return FALSE;

  return write_wechat_profiles (self, "wechatpay-v3", base_url, error)
         && write_wechat_profiles (self, "wechatpay-global", base_url, error);
}

void
gp_sim_fixtures_free (GpSimFixtures *self)
{
  if (self == NULL)
    return;
  g_free (self->dir);
  g_free (self->app_id);
  g_free (self->v2_mch_id);
  g_free (self->v3_mch_id);
  g_free (self->merchant_serial);
  g_free (self->pub_key_id);
  g_free (self->platform_serial);
  if (self->v2_api_key != NULL)
    explicit_bzero (self->v2_api_key, strlen (self->v2_api_key));
  g_free (self->v2_api_key);
  g_clear_pointer (&self->alipay_app_public, gnutls_pubkey_deinit);
  g_clear_pointer (&self->alipay_private, gnutls_privkey_deinit);
  g_clear_pointer (&self->merchant_public, gnutls_pubkey_deinit);
  g_clear_pointer (&self->pub_key_private, gnutls_privkey_deinit);
  g_clear_pointer (&self->platform_private, gnutls_privkey_deinit);
  g_clear_object (&self->server_certificate);
  g_clear_object (&self->ca_database);
  g_clear_object (&self->v2_client_certificate);
  g_free (self);
}
