/* gp-sim-crypto.c: the simulator's own signature and digest code
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-sim-crypto.h"

#include <string.h>

#include <gnutls/crypto.h>

static void
sim_param_free (gpointer data)
{
  GpSimParam *p = data;

  g_free (p->name);
  g_free (p->value);
  g_free (p);
}

GPtrArray *
gp_sim_params_new (void)
{
  return g_ptr_array_new_with_free_func (sim_param_free);
}

void
gp_sim_params_add (GPtrArray  *params,
                   const char *name,
                   const char *value)
{
  GpSimParam *p = g_new0 (GpSimParam, 1);

  p->name = g_strdup (name);
  p->value = g_strdup (value ? value : "");
  g_ptr_array_add (params, p);
}

const char *
gp_sim_params_lookup (GPtrArray  *params,
                      const char *name)
{
  for (guint i = 0; i < params->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (params, i);

      if (g_strcmp0 (p->name, name) == 0)
        return p->value;
    }
  return NULL;
}

char *
gp_sim_hex (const guint8 *data,
            gsize         len,
            gboolean      upper)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

char *
gp_sim_digest_hex (gnutls_digest_algorithm_t algo,
                   const void               *data,
                   gsize                     len,
                   gboolean                  upper)
{
  guint8 buf[64];

  g_assert (gnutls_hash_get_len (algo) <= sizeof buf);
  if (gnutls_hash_fast (algo, data, len, buf) < 0)
    return NULL;
  return gp_sim_hex (buf, gnutls_hash_get_len (algo), upper);
}

char *
gp_sim_hmac_sha256_hex (const char *key,
                        const void *data,
                        gsize       len,
                        gboolean    upper)
{
  guint8 buf[32];

  if (gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, strlen (key), data, len, buf) < 0)
    return NULL;
  return gp_sim_hex (buf, sizeof buf, upper);
}

static int
param_compare (gconstpointer a,
               gconstpointer b)
{
  const GpSimParam *pa = *(const GpSimParam * const *) a;
  const GpSimParam *pb = *(const GpSimParam * const *) b;

  return strcmp (pa->name, pb->name);
}

/* Both vendors' rule: every parameter except the excluded names, empty
 * values skipped, sorted by name in byte order, joined as k=v with '&',
 * values raw. */
char *
gp_sim_sorted_content (GPtrArray         *params,
                       const char *const *exclude)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < params->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (params, i);

      if (p->value[0] == '\0')
        continue;
      if (exclude != NULL && g_strv_contains (exclude, p->name))
        continue;
      g_ptr_array_add (sorted, p);
    }
  g_ptr_array_sort (sorted, param_compare);
  for (guint i = 0; i < sorted->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (sorted, i);

      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", p->name, p->value);
    }
  return g_string_free (out, FALSE);
}

/* WeChat Pay v2: sorted k=v of everything but sign (the caller leaves out
 * the file part), "&key=API_KEY", then MD5 or HMAC-SHA256, upper-case hex. */
char *
gp_sim_v2_sign (GPtrArray  *params,
                const char *api_key,
                const char *sign_type)
{
  static const char *const exclude[] = { "sign", NULL };
  g_autofree char *content = gp_sim_sorted_content (params, exclude);
  g_autofree char *full = g_strdup_printf ("%s&key=%s", content, api_key);

  if (sign_type == NULL || g_str_equal (sign_type, "MD5"))
    return gp_sim_digest_hex (GNUTLS_DIG_MD5, full, strlen (full), TRUE);
  if (g_str_equal (sign_type, "HMAC-SHA256"))
    return gp_sim_hmac_sha256_hex (api_key, full, strlen (full), TRUE);
  return NULL;
}

/* g_base64_decode() skips garbage silently; a signature header that is not
 * clean Base64 must fail instead. */
gboolean
gp_sim_strict_base64_decode (const char *text,
                             guint8    **out,
                             gsize      *out_len)
{
  gsize len;
  gsize pad = 0;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len == 0 || len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < len - 2)
            return FALSE;
          pad++;
          continue;
        }
      if (pad > 0)
        return FALSE;
      if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }
  *out = g_base64_decode (text, out_len);
  return *out != NULL;
}

char *
gp_sim_rsa_sign (gnutls_privkey_t key,
                 const void      *data,
                 gsize            len,
                 GError         **error)
{
  gnutls_datum_t in = { (unsigned char *) data, (unsigned int) len };
  gnutls_datum_t sig = { NULL, 0 };
  char *out;
  int ret;

  ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &in, &sig);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "RSA signing failed: %s", gnutls_strerror (ret));
      return NULL;
    }
  out = g_base64_encode (sig.data, sig.size);
  gnutls_free (sig.data);
  return out;
}

gboolean
gp_sim_rsa_verify (gnutls_pubkey_t key,
                   const void     *data,
                   gsize           len,
                   const char     *signature_b64)
{
  g_autofree guint8 *sig = NULL;
  gsize sig_len = 0;
  gnutls_datum_t in = { (unsigned char *) data, (unsigned int) len };
  gnutls_datum_t s;

  if (!gp_sim_strict_base64_decode (signature_b64, &sig, &sig_len))
    return FALSE;
  s.data = sig;
  s.size = sig_len;
  return gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_RSA_SHA256, 0, &in, &s) >= 0;
}

static gboolean
read_datum (const char  *path,
            char       **contents,
            gsize       *len,
            GError     **error)
{
  return g_file_get_contents (path, contents, len, error);
}

gnutls_privkey_t
gp_sim_load_private_key (const char *path,
                         GError    **error)
{
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_x509_privkey_t x = NULL;
  gnutls_privkey_t key = NULL;
  gnutls_datum_t d;
  int ret;

  if (!read_datum (path, &pem, &len, error))
    return NULL;
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_x509_privkey_init (&x);
  ret = gnutls_x509_privkey_import2 (x, &d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
  explicit_bzero (pem, len);
  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (x);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a private key: %s", path, gnutls_strerror (ret));
      return NULL;
    }
  gnutls_privkey_init (&key);
  gnutls_privkey_import_x509 (key, x, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
  return key;
}

gnutls_x509_crt_t
gp_sim_load_certificate (const char *path,
                         GError    **error)
{
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t d;
  int ret;

  if (!read_datum (path, &pem, &len, error))
    return NULL;
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_x509_crt_init (&crt);
  ret = gnutls_x509_crt_import (crt, &d, GNUTLS_X509_FMT_PEM);
  if (ret < 0)
    {
      gnutls_x509_crt_deinit (crt);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a certificate: %s", path, gnutls_strerror (ret));
      return NULL;
    }
  return crt;
}

/* SPKI PEM, or the public key of a PEM certificate. */
gnutls_pubkey_t
gp_sim_load_public_key (const char *path,
                        GError    **error)
{
  g_autofree char *pem = NULL;
  gsize len = 0;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t d;
  int ret;

  if (!read_datum (path, &pem, &len, error))
    return NULL;
  d.data = (unsigned char *) pem;
  d.size = len;
  gnutls_pubkey_init (&key);
  if (strstr (pem, "BEGIN CERTIFICATE") != NULL)
    {
      gnutls_x509_crt_t crt = NULL;

      gnutls_x509_crt_init (&crt);
      ret = gnutls_x509_crt_import (crt, &d, GNUTLS_X509_FMT_PEM);
      if (ret >= 0)
        ret = gnutls_pubkey_import_x509 (key, crt, 0);
      gnutls_x509_crt_deinit (crt);
    }
  else
    {
      ret = gnutls_pubkey_import (key, &d, GNUTLS_X509_FMT_PEM);
    }
  if (ret < 0)
    {
      gnutls_pubkey_deinit (key);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a public key: %s", path, gnutls_strerror (ret));
      return NULL;
    }
  return key;
}

/* Upper-case hex, two digits per byte: what `openssl x509 -serial` and the
 * WeChat SDKs print. */
char *
gp_sim_certificate_serial (gnutls_x509_crt_t crt)
{
  guint8 buf[64];
  size_t len = sizeof buf;

  if (gnutls_x509_crt_get_serial (crt, buf, &len) < 0)
    return NULL;
  return gp_sim_hex (buf, len, TRUE);
}

/* Case-insensitive and tolerant of dropped leading zeros (Java's
 * BigInteger.toString(16)). */
gboolean
gp_sim_serial_equal (const char *a,
                     const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  while (*a == '0')
    a++;
  while (*b == '0')
    b++;
  return g_ascii_strcasecmp (a, b) == 0;
}
