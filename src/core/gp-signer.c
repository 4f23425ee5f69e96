/* gp-signer.c: request and response signatures of the four gateways
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-signer.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

G_DEFINE_QUARK (gp-signer-error-quark, gp_signer_error)

/**
 * gp_signer_rsa_sha256_sign:
 * @key: an RSA private key
 * @data: the exact bytes to sign
 *
 * SHA256withRSA, RSASSA-PKCS1-v1_5 (Alipay RSA2, WeChat Pay
 * WECHATPAY2-SHA256-RSA2048). The scheme is deterministic, so the result
 * is byte-identical to `openssl dgst -sha256 -sign key.pem | base64 -w0`.
 *
 * Returns: (transfer full): standard base64 with padding, one line
 */
char *
gp_signer_rsa_sha256_sign (gnutls_privkey_t   key,
                           const void        *data,
                           gsize              len,
                           GError           **error)
{
  gnutls_datum_t in = { (unsigned char *) data, (unsigned int) len };
  gnutls_datum_t sig = { NULL, 0 };
  char *b64;
  int ret;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXUINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (gnutls_privkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_RSA)
    {
      g_set_error_literal (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_FAILED,
                           "The private key is not an RSA key");
      return NULL;
    }

  ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &in, &sig);
  if (ret < 0)
    {
      g_set_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_FAILED,
                   "Signing with the private key failed: %s", gnutls_strerror (ret));
      return NULL;
    }

  b64 = g_base64_encode (sig.data, sig.size);
  gnutls_free (sig.data);

  return b64;
}

static int
b64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/**
 * gp_signer_base64_is_valid:
 * @str: (nullable): text from a gateway
 *
 * GLib's decoder skips what it does not understand; a signature must be
 * refused instead. Standard alphabet, padded to a multiple of 4, "="
 * only at the end, no whitespace.
 *
 * Returns: %TRUE if @str is non-empty strict standard base64
 */
gboolean
gp_signer_base64_is_valid (const char *str)
{
  gsize len;
  gsize pad = 0;

  if (str == NULL)
    return FALSE;

  len = strlen (str);
  if (len == 0 || len % 4 != 0)
    return FALSE;

  if (str[len - 1] == '=')
    pad++;
  if (len >= 2 && str[len - 2] == '=')
    pad++;

  for (gsize i = 0; i < len - pad; i++)
    if (b64_value (str[i]) < 0)
      return FALSE;

  return TRUE;
}

/**
 * gp_signer_rsa_sha256_verify:
 * @key: the gateway's RSA public key
 * @data: the exact bytes that were signed
 * @signature: (nullable): base64 as the gateway sent it (already
 *   JSON-unescaped)
 *
 * Returns: %TRUE if @signature is a valid SHA256withRSA signature of
 *   @data; otherwise %FALSE with a %GP_SIGNER_ERROR
 */
gboolean
gp_signer_rsa_sha256_verify (gnutls_pubkey_t   key,
                             const void       *data,
                             gsize             len,
                             const char       *signature,
                             GError          **error)
{
  g_autofree guchar *raw = NULL;
  gnutls_datum_t in = { (unsigned char *) data, (unsigned int) len };
  gnutls_datum_t sig;
  gsize raw_len = 0;
  int ret;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (len <= G_MAXUINT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gp_signer_base64_is_valid (signature))
    {
      g_set_error_literal (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED,
                           "The signature is missing or is not valid base64");
      return FALSE;
    }

  raw = g_base64_decode (signature, &raw_len);
  sig.data = raw;
  sig.size = (unsigned int) raw_len;

  ret = gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_RSA_SHA256, 0, &in, &sig);
  if (ret == GNUTLS_E_PK_SIG_VERIFY_FAILED)
    {
      g_set_error_literal (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH,
                           "The signature does not match the signed content");
      return FALSE;
    }
  if (ret < 0)
    {
      g_set_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_FAILED,
                   "The signature could not be checked: %s", gnutls_strerror (ret));
      return FALSE;
    }

  return TRUE;
}

static int
compare_params (gconstpointer a,
                gconstpointer b)
{
  const GpSignParam *pa = *(const GpSignParam * const *) a;
  const GpSignParam *pb = *(const GpSignParam * const *) b;

  /* strcmp compares as unsigned char: byte order, as the SDKs' TreeMap/ksort. */
  return strcmp (pa->name, pb->name);
}

static gboolean
name_excluded (const char         *name,
               const char * const *exclude)
{
  if (exclude == NULL)
    return FALSE;
  for (guint i = 0; exclude[i] != NULL; i++)
    if (strcmp (name, exclude[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * gp_signer_sign_content:
 * @params: (array length=n_params): the parameters actually sent
 * @exclude: (nullable) (array zero-terminated=1): names never signed
 *   (`sign`; for v2 also `media`)
 *
 * The shared "sorted k=v" rule of Alipay (PROTOCOLS.md 1.2) and WeChat
 * Pay v2 (2.2): skip excluded names and empty values, sort by name in
 * byte order (stable, so a repeated name keeps its order), join raw
 * `name=value` pairs with `&`. Nothing is URL-encoded.
 *
 * Returns: (transfer full): the string to sign (v2 appends `&key=` later)
 */
char *
gp_signer_sign_content (const GpSignParam  *params,
                        gsize               n_params,
                        const char * const *exclude)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (params != NULL || n_params == 0, NULL);

  for (gsize i = 0; i < n_params; i++)
    {
      g_return_val_if_fail (params[i].name != NULL, NULL);
      if (params[i].value == NULL || params[i].value[0] == '\0')
        continue;
      if (name_excluded (params[i].name, exclude))
        continue;
      g_ptr_array_add (kept, (gpointer) &params[i]);
    }

  /* g_ptr_array_sort is a stable merge sort. */
  g_ptr_array_sort (kept, compare_params);

  for (guint i = 0; i < kept->len; i++)
    {
      const GpSignParam *p = g_ptr_array_index (kept, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, p->name);
      g_string_append_c (out, '=');
      g_string_append (out, p->value);
    }

  return g_string_free (out, FALSE);
}

const char *
gp_v2_sign_type_to_string (GpV2SignType type)
{
  switch (type)
    {
    case GP_V2_SIGN_MD5:
      return "MD5";
    case GP_V2_SIGN_HMAC_SHA256:
      return "HMAC-SHA256";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * gp_v2_sign_type_from_string:
 * @str: (nullable): a profile's `sign_type`; %NULL or "" means MD5
 *
 * Returns: %FALSE if @str names no known type
 */
gboolean
gp_v2_sign_type_from_string (const char   *str,
                             GpV2SignType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  if (str == NULL || str[0] == '\0' || strcmp (str, "MD5") == 0)
    *type = GP_V2_SIGN_MD5;
  else if (strcmp (str, "HMAC-SHA256") == 0)
    *type = GP_V2_SIGN_HMAC_SHA256;
  else
    return FALSE;

  return TRUE;
}

static void
hex_upper (const guint8 *digest,
           gsize         len,
           char         *out)
{
  static const char digits[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[digest[i] >> 4];
      out[2 * i + 1] = digits[digest[i] & 0x0f];
    }
  out[2 * len] = '\0';
}

/**
 * gp_signer_v2_sign:
 * @content: the sorted `k=v&…` string (without the key)
 * @api_key: the merchant's API v2 key
 *
 * `MD5(content + "&key=" + API_KEY)` or
 * `HMAC-SHA256(key=API_KEY, content + "&key=" + API_KEY)`, upper-case hex
 * (PROTOCOLS.md 2.2). The buffer that holds the key is wiped.
 *
 * Returns: (transfer full): 32 or 64 upper-case hex digits, or %NULL
 *   with @error (MD5 is unavailable in FIPS mode)
 */
char *
gp_signer_v2_sign (GpV2SignType   type,
                   const char    *content,
                   GBytes        *api_key,
                   GError       **error)
{
  guint8 digest[32];
  const guint8 *key;
  gsize key_len = 0;
  gsize content_len;
  gsize msg_len;
  guint8 *msg;
  gsize digest_len;
  char *out;
  int ret;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = g_bytes_get_data (api_key, &key_len);
  content_len = strlen (content);
  msg_len = content_len + strlen ("&key=") + key_len;
  msg = g_malloc (msg_len + 1);
  memcpy (msg, content, content_len);
  memcpy (msg + content_len, "&key=", 5);
  if (key_len > 0)
    memcpy (msg + content_len + 5, key, key_len);

  if (type == GP_V2_SIGN_HMAC_SHA256)
    {
      ret = gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, key_len, msg, msg_len, digest);
      digest_len = 32;
    }
  else
    {
      ret = gnutls_hash_fast (GNUTLS_DIG_MD5, msg, msg_len, digest);
      digest_len = 16;
    }

  explicit_bzero (msg, msg_len);
  g_free (msg);

  if (ret < 0)
    {
      g_set_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_FAILED,
                   "Computing the %s signature failed: %s",
                   gp_v2_sign_type_to_string (type), gnutls_strerror (ret));
      return NULL;
    }

  out = g_malloc (2 * digest_len + 1);
  hex_upper (digest, digest_len, out);
  explicit_bzero (digest, sizeof digest);

  return out;
}

/**
 * gp_signer_equal:
 *
 * Compares two strings in time that depends only on their lengths.
 *
 * Returns: %TRUE if @a and @b are identical
 */
gboolean
gp_signer_equal (const char *a,
                 const char *b)
{
  gsize len;
  guint8 diff = 0;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  len = strlen (a);
  if (len != strlen (b))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];

  return diff == 0;
}

/**
 * gp_signer_v2_verify:
 * @content: the sorted `k=v&…` string of the response (without the key)
 * @sign: (nullable): the response's `sign`
 *
 * Picks the algorithm by the length of @sign, 64 hex digits for
 * HMAC-SHA256, else MD5, as the v2 SDKs do, and compares in constant
 * time (hex case ignored).
 *
 * Returns: %TRUE if @sign is right; else %FALSE with a %GP_SIGNER_ERROR
 */
gboolean
gp_signer_v2_verify (const char  *content,
                     GBytes      *api_key,
                     const char  *sign,
                     GError     **error)
{
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  GpV2SignType type;
  gsize len;

  g_return_val_if_fail (content != NULL, FALSE);
  g_return_val_if_fail (api_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = sign ? strlen (sign) : 0;
  if (len != 32 && len != 64)
    {
      g_set_error_literal (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED,
                           "The sign is missing or is not a 32 or 64 digit hex value");
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (sign[i]))
      {
        g_set_error_literal (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MALFORMED,
                             "The sign is not a hex value");
        return FALSE;
      }

  type = len == 64 ? GP_V2_SIGN_HMAC_SHA256 : GP_V2_SIGN_MD5;
  expected = gp_signer_v2_sign (type, content, api_key, error);
  if (expected == NULL)
    return FALSE;

  given = g_ascii_strup (sign, -1);
  if (!gp_signer_equal (expected, given))
    {
      g_set_error (error, GP_SIGNER_ERROR, GP_SIGNER_ERROR_MISMATCH,
                   "The %s sign does not match the response",
                   gp_v2_sign_type_to_string (type));
      return FALSE;
    }

  return TRUE;
}
