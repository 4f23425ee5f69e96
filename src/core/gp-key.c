/* gp-key.c: RSA keys and X.509 certificates of merchant profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-key.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include "gp-error.h"
#include "gp-key-private.h"

struct _GpPrivateKey
{
  gatomicrefcount   ref;
  gnutls_privkey_t  key;
  GpPublicKey      *public_key;
  GBytes           *pem;          /* PKCS#8 PEM, wiped on free */
  guint             bits;
};

struct _GpPublicKey
{
  gatomicrefcount  ref;
  gnutls_pubkey_t  key;
  GBytes          *spki;
  char            *fingerprint;
  char            *pem;
  guint            bits;
};

struct _GpCertificate
{
  gatomicrefcount    ref;
  gnutls_x509_crt_t  crt;
  GpPublicKey       *public_key;
  char              *serial;
  char              *subject;
  char              *pem;
  gint64             not_after;
};

G_DEFINE_BOXED_TYPE (GpPrivateKey, gp_private_key, gp_private_key_ref, gp_private_key_unref)
G_DEFINE_BOXED_TYPE (GpPublicKey, gp_public_key, gp_public_key_ref, gp_public_key_unref)
G_DEFINE_BOXED_TYPE (GpCertificate, gp_certificate, gp_certificate_ref, gp_certificate_unref)

/* Secret buffers ------------------------------------------------------------------------ */

typedef struct
{
  gpointer data;
  gsize    len;
} SecretBuffer;

/**
 * gp_secret_free:
 * @data: (nullable): memory from g_malloc()
 *
 * Wipes @len bytes of @data, then frees it.
 */
void
gp_secret_free (gpointer data,
                gsize    len)
{
  if (data == NULL)
    return;
  explicit_bzero (data, len);
  g_free (data);
}

static void
secret_buffer_free (gpointer user_data)
{
  SecretBuffer *buffer = user_data;

  gp_secret_free (buffer->data, buffer->len);
  g_free (buffer);
}

/**
 * gp_secret_bytes_new_take:
 * @data: (transfer full): memory from g_malloc()
 *
 * Returns: (transfer full): a #GBytes owning @data whose last unref wipes it
 */
GBytes *
gp_secret_bytes_new_take (gpointer data,
                          gsize    len)
{
  SecretBuffer *buffer = g_new0 (SecretBuffer, 1);

  buffer->data = data;
  buffer->len = len;

  return g_bytes_new_with_free_func (data, len, secret_buffer_free, buffer);
}

/**
 * gp_secret_bytes_new:
 *
 * Returns: (transfer full): a wiped-on-free copy of @data, with a NUL after
 *   the last byte (not counted in the size) so text can be read as a string
 */
GBytes *
gp_secret_bytes_new (gconstpointer data,
                     gsize         len)
{
  char *copy = g_malloc (len + 1);

  if (len > 0)
    memcpy (copy, data, len);
  copy[len] = '\0';

  return gp_secret_bytes_new_take (copy, len);
}

static GBytes *
secret_bytes_from_datum (gnutls_datum_t *datum)
{
  GBytes *bytes = gp_secret_bytes_new (datum->data, datum->size);

  explicit_bzero (datum->data, datum->size);
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;

  return bytes;
}

/* Decoding PEM or bare base64 ----------------------------------------------------------- */

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=';
}

/* Decodes strict base64 from @text, ignoring whitespace (spaces, tabs, CR, LF). */
static GBytes *
decode_base64 (const char *text,
               gsize       len)
{
  g_autofree char *clean = NULL;
  guchar *out;
  gsize n = 0;
  gsize pad = 0;
  gsize out_len;
  gint state = 0;
  guint save = 0;

  clean = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;
      if (!is_base64_char (c) || (pad > 0 && c != '='))
        {
          explicit_bzero (clean, len + 1);
          return NULL;
        }
      if (c == '=')
        pad++;
      clean[n++] = c;
    }
  if (n == 0 || n % 4 != 0 || pad > 2)
    {
      explicit_bzero (clean, len + 1);
      return NULL;
    }

  out = g_malloc ((n / 4) * 3 + 3);
  out_len = g_base64_decode_step (clean, n, out, &state, &save);
  explicit_bzero (clean, len + 1);

  return gp_secret_bytes_new_take (out, out_len);
}

typedef struct
{
  char     *label;       /* NULL for bare base64 */
  GBytes   *der;
  gboolean  encrypted;
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_clear_pointer (&d->label, g_free);
  g_clear_pointer (&d->der, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decoded, decoded_clear)

/* Finds the first PEM block of @data (or takes all of it as bare base64)
 * and decodes it. Error messages describe the input, never quote it. */
static gboolean
decode_input (const char  *data,
              gsize        len,
              Decoded     *out,
              GError     **error)
{
  const char *begin = g_strstr_len (data, len, "-----BEGIN ");
  const char *end = data + len;
  const char *label_end;
  const char *body;
  const char *body_end;
  g_autofree char *end_marker = NULL;

  if (begin == NULL)
    {
      if (g_strstr_len (data, len, "-----") != NULL)
        {
          g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                       "a PEM block without a “-----BEGIN” line");
          return FALSE;
        }
      out->der = decode_base64 (data, len);
      if (out->der == NULL)
        {
          g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                       "neither PEM nor base64");
          return FALSE;
        }
      return TRUE;
    }

  begin += strlen ("-----BEGIN ");
  label_end = g_strstr_len (begin, end - begin, "-----");
  if (label_end == NULL || memchr (begin, '\n', label_end - begin) != NULL)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "a broken PEM header line");
      return FALSE;
    }
  out->label = g_strndup (begin, label_end - begin);
  body = label_end + strlen ("-----");
  end_marker = g_strdup_printf ("-----END %s-----", out->label);
  body_end = g_strstr_len (body, end - body, end_marker);
  if (body_end == NULL)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "a PEM block “%s” without its “-----END” line", out->label);
      return FALSE;
    }

  /* RFC 1421 headers (Proc-Type, DEK-Info) mark OpenSSL's legacy
   * encrypted keys; skip them, remembering that they were there. */
  while (body < body_end)
    {
      const char *eol = memchr (body, '\n', body_end - body);
      const char *line_end = eol ? eol : body_end;
      const char *colon = memchr (body, ':', line_end - body);

      if (colon == NULL)
        {
          gboolean blank = TRUE;

          for (const char *p = body; p < line_end; p++)
            if (!g_ascii_isspace (*p))
              blank = FALSE;
          if (!blank || eol == NULL)
            break;
        }
      else if (g_strstr_len (body, line_end - body, "ENCRYPTED") != NULL)
        out->encrypted = TRUE;
      body = eol ? eol + 1 : body_end;
    }

  if (g_str_has_prefix (out->label, "ENCRYPTED "))
    out->encrypted = TRUE;
  /* Only a private key can be encrypted; callers of other kinds expect
   * DER, so an encryption header anywhere else is simply malformed. */
  if (out->encrypted && !g_str_has_suffix (out->label, "PRIVATE KEY"))
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "the PEM block “%s” carries encryption headers", out->label);
      return FALSE;
    }
  if (out->encrypted)
    return TRUE;

  out->der = decode_base64 (body, body_end - body);
  if (out->der == NULL)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "the PEM block “%s” is not valid base64", out->label);
      return FALSE;
    }

  return TRUE;
}

static gnutls_datum_t
datum_from_bytes (GBytes *bytes)
{
  gsize size;
  gnutls_datum_t datum;

  datum.data = (unsigned char *) g_bytes_get_data (bytes, &size);
  datum.size = (unsigned int) size;

  return datum;
}

static char *
hex_upper (const guchar *data,
           gsize         len)
{
  GString *s = g_string_sized_new (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02X", data[i]);

  return g_string_free (s, FALSE);
}

/* Public keys --------------------------------------------------------------------------- */

/* Takes @key. Refuses anything but RSA of GP_KEY_MIN_BITS or more. */
static GpPublicKey *
public_key_new_take (gnutls_pubkey_t   key,
                     GError          **error)
{
  g_autoptr(GpPublicKey) self = g_new0 (GpPublicKey, 1);
  gnutls_datum_t der = { NULL, 0 };
  gnutls_datum_t pem = { NULL, 0 };
  unsigned int bits = 0;
  int algo;

  g_atomic_ref_count_init (&self->ref);
  self->key = key;

  algo = gnutls_pubkey_get_pk_algorithm (key, &bits);
  self->bits = bits;
  if (algo != GNUTLS_PK_RSA)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_UNSUPPORTED,
                   "not an RSA key (%s)", gnutls_pk_algorithm_get_name (algo));
      return NULL;
    }
  if (bits < GP_KEY_MIN_BITS)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_TOO_SHORT,
                   "an RSA key of %u bits is too short: at least %u bits are required",
                   bits, GP_KEY_MIN_BITS);
      return NULL;
    }

  if (gnutls_pubkey_export2 (key, GNUTLS_X509_FMT_DER, &der) < 0 ||
      gnutls_pubkey_export2 (key, GNUTLS_X509_FMT_PEM, &pem) < 0)
    {
      gnutls_free (der.data);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "the public key cannot be exported");
      return NULL;
    }
  self->spki = g_bytes_new (der.data, der.size);
  self->fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der.data, der.size);
  self->pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (der.data);
  gnutls_free (pem.data);

  return g_steal_pointer (&self);
}

/* Reads one DER length; returns FALSE when it runs past @end. */
static gboolean
der_read_header (const guchar **p,
                 const guchar  *end,
                 guchar         tag,
                 gsize         *len)
{
  const guchar *q = *p;
  gsize n = 0;

  if (end - q < 2 || *q++ != tag)
    return FALSE;
  if (*q < 0x80)
    n = *q++;
  else
    {
      guint count = *q++ & 0x7f;

      if (count == 0 || count > 3 || (gsize) (end - q) < count)
        return FALSE;
      while (count-- > 0)
        n = (n << 8) | *q++;
    }
  if ((gsize) (end - q) < n)
    return FALSE;
  *p = q;
  *len = n;

  return TRUE;
}

/* PKCS#1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static gboolean
import_pkcs1_public (gnutls_pubkey_t  key,
                     GBytes          *der)
{
  gsize size;
  const guchar *p = g_bytes_get_data (der, &size);
  const guchar *end = p + size;
  gnutls_datum_t m, e;
  gsize len;

  if (!der_read_header (&p, end, 0x30, &len) || p + len != end)
    return FALSE;
  if (!der_read_header (&p, end, 0x02, &len))
    return FALSE;
  m.data = (unsigned char *) p;
  m.size = len;
  p += len;
  if (!der_read_header (&p, end, 0x02, &len) || p + len != end)
    return FALSE;
  e.data = (unsigned char *) p;
  e.size = len;

  return gnutls_pubkey_import_rsa_raw (key, &m, &e) >= 0;
}

static GpPublicKey *
public_key_from_certificate_der (GBytes  *der,
                                 GError **error)
{
  g_autoptr(GpCertificate) cert = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (der, &size);
  g_autofree char *b64 = NULL;

  /* g_base64_encode() of nothing is NULL, not "". */
  if (size == 0)
    {
      g_set_error_literal (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                           "The certificate is empty");
      return NULL;
    }
  b64 = g_base64_encode (data, size);
  cert = gp_certificate_new_from_data (b64, strlen (b64), error);
  if (cert == NULL)
    return NULL;

  return gp_public_key_ref (cert->public_key);
}

/**
 * gp_public_key_new_from_data:
 *
 * Parses an RSA public key: SPKI (`PUBLIC KEY`) as PEM or bare base64,
 * PKCS#1 `RSA PUBLIC KEY`, or the key of an X.509 certificate.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with @error set
 */
GpPublicKey *
gp_public_key_new_from_data (const char  *data,
                             gsize        len,
                             GError     **error)
{
  g_auto(Decoded) d = { NULL, NULL, FALSE };
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t datum;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!decode_input (data, len, &d, error))
    return NULL;
  if (d.label != NULL && g_str_has_suffix (d.label, "PRIVATE KEY"))
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "this is a private key, not a public key");
      return NULL;
    }
  if (d.label != NULL && (strcmp (d.label, "CERTIFICATE") == 0))
    return public_key_from_certificate_der (d.der, error);
  if (d.label != NULL && strcmp (d.label, "PUBLIC KEY") != 0 &&
      strcmp (d.label, "RSA PUBLIC KEY") != 0)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "a PEM block “%s” where a public key was expected", d.label);
      return NULL;
    }

  gnutls_pubkey_init (&key);
  datum = datum_from_bytes (d.der);
  if ((d.label == NULL || strcmp (d.label, "PUBLIC KEY") == 0) &&
      gnutls_pubkey_import (key, &datum, GNUTLS_X509_FMT_DER) >= 0)
    return public_key_new_take (key, error);
  if ((d.label == NULL || strcmp (d.label, "RSA PUBLIC KEY") == 0) &&
      import_pkcs1_public (key, d.der))
    return public_key_new_take (key, error);
  gnutls_pubkey_deinit (key);

  if (d.label == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      GpPublicKey *from_cert = public_key_from_certificate_der (d.der, &local_error);

      if (from_cert != NULL)
        return from_cert;
      if (!g_error_matches (local_error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
               "not a public key (expected PEM or base64 of SPKI or PKCS#1)");
  return NULL;
}

GpPublicKey *
gp_public_key_ref (GpPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_public_key_unref (GpPublicKey *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_clear_pointer (&self->key, gnutls_pubkey_deinit);
  g_clear_pointer (&self->spki, g_bytes_unref);
  g_free (self->fingerprint);
  g_free (self->pem);
  g_free (self);
}

guint
gp_public_key_get_bits (GpPublicKey *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->bits;
}

/**
 * gp_public_key_get_fingerprint:
 *
 * Returns: the SHA-256 of the key's SPKI DER, 64 lower-case hex digits
 *   (what `openssl pkey -pubin -outform DER | openssl dgst -sha256` prints)
 */
const char *
gp_public_key_get_fingerprint (GpPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->fingerprint;
}

/**
 * gp_public_key_get_pem:
 *
 * Returns: the key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`)
 */
const char *
gp_public_key_get_pem (GpPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pem;
}

gboolean
gp_public_key_equal (GpPublicKey *a,
                     GpPublicKey *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return g_bytes_equal (a->spki, b->spki);
}

/**
 * gp_public_key_verifies:
 *
 * Signs a fixed probe with @key (RSA-SHA256) and checks it with @self: TRUE
 * when @self is @key's own public key.
 */
gboolean
gp_public_key_verifies (GpPublicKey  *self,
                        GpPrivateKey *key)
{
  static const char probe[] = "Gatepost key probe";
  gnutls_datum_t data = { (unsigned char *) probe, sizeof probe - 1 };
  gnutls_datum_t signature = { NULL, 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (gnutls_privkey_sign_data (key->key, GNUTLS_DIG_SHA256, 0, &data, &signature) < 0)
    return FALSE;
  ok = gnutls_pubkey_verify_data2 (self->key, GNUTLS_SIGN_RSA_SHA256, 0, &data, &signature) >= 0;
  gnutls_free (signature.data);

  return ok;
}

gnutls_pubkey_t
gp_public_key_get_gnutls (GpPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->key;
}

/* Private keys -------------------------------------------------------------------------- */

/* Takes @x509. */
static GpPrivateKey *
private_key_new_take_x509 (gnutls_x509_privkey_t   x509,
                           GError                **error)
{
  g_autoptr(GpPrivateKey) self = g_new0 (GpPrivateKey, 1);
  gnutls_datum_t pem = { NULL, 0 };
  gnutls_pubkey_t pub = NULL;
  unsigned int bits = 0;
  int algo;

  g_atomic_ref_count_init (&self->ref);

  algo = gnutls_x509_privkey_get_pk_algorithm2 (x509, &bits);
  if (algo != GNUTLS_PK_RSA)
    {
      gnutls_x509_privkey_deinit (x509);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_UNSUPPORTED,
                   "not an RSA key (%s)", gnutls_pk_algorithm_get_name (algo));
      return NULL;
    }
  if (bits < GP_KEY_MIN_BITS)
    {
      gnutls_x509_privkey_deinit (x509);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_TOO_SHORT,
                   "an RSA key of %u bits is too short: at least %u bits are required",
                   bits, GP_KEY_MIN_BITS);
      return NULL;
    }
  if (gnutls_x509_privkey_verify_params (x509) < 0 ||
      gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                         &pem) < 0)
    {
      gnutls_x509_privkey_deinit (x509);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "the RSA key is inconsistent");
      return NULL;
    }
  self->bits = bits;
  self->pem = secret_bytes_from_datum (&pem);

  gnutls_privkey_init (&self->key);
  if (gnutls_privkey_import_x509 (self->key, x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0)
    {
      gnutls_x509_privkey_deinit (x509);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "the RSA key cannot be loaded");
      return NULL;
    }

  gnutls_pubkey_init (&pub);
  if (gnutls_pubkey_import_privkey (pub, self->key, 0, 0) < 0)
    {
      gnutls_pubkey_deinit (pub);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "the public half of the key cannot be derived");
      return NULL;
    }
  self->public_key = public_key_new_take (pub, error);
  if (self->public_key == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gp_private_key_new_from_data:
 *
 * Parses an unencrypted RSA private key: PEM `PRIVATE KEY` (PKCS#8) or
 * `RSA PRIVATE KEY` (PKCS#1), or bare base64 of either DER; whitespace and
 * CRLF are tolerated. Refuses encrypted keys and keys under 2048 bits.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with @error set
 */
GpPrivateKey *
gp_private_key_new_from_data (const char  *data,
                              gsize        len,
                              GError     **error)
{
  g_auto(Decoded) d = { NULL, NULL, FALSE };
  gnutls_x509_privkey_t x509 = NULL;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!decode_input (data, len, &d, error))
    return NULL;
  if (d.encrypted)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_ENCRYPTED,
                   "the key is encrypted with a passphrase, which Gatepost does not store; "
                   "decrypt it first (openssl pkey -in KEY -out PLAIN-KEY)");
      return NULL;
    }
  if (d.label != NULL && strcmp (d.label, "PRIVATE KEY") != 0 &&
      strcmp (d.label, "RSA PRIVATE KEY") != 0)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "a PEM block “%s” where a private key was expected", d.label);
      return NULL;
    }

  gnutls_x509_privkey_init (&x509);
  datum = datum_from_bytes (d.der);
  ret = gnutls_x509_privkey_import2 (x509, &datum, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (x509);
      if (ret == GNUTLS_E_DECRYPTION_FAILED)
        g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_ENCRYPTED,
                     "the key is encrypted with a passphrase, which Gatepost does not store; "
                     "decrypt it first (openssl pkey -in KEY -out PLAIN-KEY)");
      else
        g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                     "not a private key (expected PEM or base64 of PKCS#1 or PKCS#8)");
      return NULL;
    }

  return private_key_new_take_x509 (x509, error);
}

GpPrivateKey *
gp_private_key_ref (GpPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_private_key_unref (GpPrivateKey *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  g_clear_pointer (&self->public_key, gp_public_key_unref);
  g_clear_pointer (&self->pem, g_bytes_unref);
  g_free (self);
}

guint
gp_private_key_get_bits (GpPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->bits;
}

/**
 * gp_private_key_get_public_key:
 *
 * Returns: (transfer none): the public half
 */
GpPublicKey *
gp_private_key_get_public_key (GpPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->public_key;
}

/**
 * gp_private_key_dup_pem:
 *
 * Returns: (transfer full): the key as unencrypted PKCS#8 PEM in a #GBytes
 *   that wipes itself when freed (followed by a NUL not counted in its size)
 */
GBytes *
gp_private_key_dup_pem (GpPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_bytes_ref (self->pem);
}

gnutls_privkey_t
gp_private_key_get_gnutls (GpPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->key;
}

/* Certificates -------------------------------------------------------------------------- */

/* Takes @crt. */
static GpCertificate *
certificate_new_take (gnutls_x509_crt_t   crt,
                      GError            **error)
{
  g_autoptr(GpCertificate) self = g_new0 (GpCertificate, 1);
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t dn = { NULL, 0 };
  gnutls_datum_t pem = { NULL, 0 };
  guchar serial[64];
  size_t serial_len = sizeof serial;
  gsize skip = 0;

  g_atomic_ref_count_init (&self->ref);
  self->crt = crt;

  /* The serial as Go's %X of SerialNumber.Bytes(): the DER sign byte of a
   * serial whose top bit is set is not part of it. */
  if (gnutls_x509_crt_get_serial (crt, serial, &serial_len) < 0 || serial_len == 0)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "the certificate has no serial");
      return NULL;
    }
  while (skip + 1 < serial_len && serial[skip] == 0)
    skip++;
  self->serial = hex_upper (serial + skip, serial_len - skip);

  if (gnutls_x509_crt_get_dn3 (crt, &dn, 0) >= 0)
    {
      self->subject = g_strndup ((const char *) dn.data, dn.size);
      gnutls_free (dn.data);
    }
  else
    self->subject = g_strdup ("");
  self->not_after = gnutls_x509_crt_get_expiration_time (crt);

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem) < 0)
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "the certificate cannot be exported");
      return NULL;
    }
  self->pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);

  gnutls_pubkey_init (&pub);
  if (gnutls_pubkey_import_x509 (pub, crt, 0) < 0)
    {
      gnutls_pubkey_deinit (pub);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "the certificate's public key cannot be read");
      return NULL;
    }
  self->public_key = public_key_new_take (pub, error);
  if (self->public_key == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gp_certificate_new_from_data:
 *
 * Parses an X.509 certificate, PEM or bare base64 of its DER. When there are
 * several PEM blocks, the first is taken.
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with @error set
 */
GpCertificate *
gp_certificate_new_from_data (const char  *data,
                              gsize        len,
                              GError     **error)
{
  g_auto(Decoded) d = { NULL, NULL, FALSE };
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!decode_input (data, len, &d, error))
    return NULL;
  if (d.encrypted || (d.label != NULL && strcmp (d.label, "CERTIFICATE") != 0))
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "a PEM block “%s” where a certificate was expected",
                   d.label ? d.label : "");
      return NULL;
    }

  gnutls_x509_crt_init (&crt);
  datum = datum_from_bytes (d.der);
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "not an X.509 certificate (expected PEM or base64 DER)");
      return NULL;
    }

  return certificate_new_take (crt, error);
}

GpCertificate *
gp_certificate_ref (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_certificate_unref (GpCertificate *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_clear_pointer (&self->crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->public_key, gp_public_key_unref);
  g_free (self->serial);
  g_free (self->subject);
  g_free (self->pem);
  g_free (self);
}

/**
 * gp_certificate_get_serial:
 *
 * Returns: the serial as upper-case hex, two digits per byte, without the
 *   DER sign byte (`openssl x509 -serial` prints the same)
 */
const char *
gp_certificate_get_serial (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->serial;
}

const char *
gp_certificate_get_subject (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->subject;
}

/**
 * gp_certificate_get_not_after:
 *
 * Returns: the end of the validity period, in seconds since the epoch
 */
gint64
gp_certificate_get_not_after (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->not_after;
}

/**
 * gp_certificate_get_expiry:
 * @now_unix: the current time, seconds since the epoch
 * @days_left: (out) (optional): whole days until the end (negative: days since)
 *
 * Returns: whether the certificate is fine, ends within
 *   %GP_EXPIRY_WARN_DAYS days, or has ended at @now_unix
 */
GpExpiry
gp_certificate_get_expiry (GpCertificate *self,
                           gint64         now_unix,
                           int           *days_left)
{
  gint64 left;

  g_return_val_if_fail (self != NULL, GP_EXPIRY_EXPIRED);

  left = self->not_after - now_unix;
  if (days_left != NULL)
    *days_left = (int) (left / 86400);
  if (left <= 0)
    return GP_EXPIRY_EXPIRED;
  if (left < (gint64) GP_EXPIRY_WARN_DAYS * 86400)
    return GP_EXPIRY_SOON;

  return GP_EXPIRY_OK;
}

/**
 * gp_certificate_get_public_key:
 *
 * Returns: (transfer none): the certified public key
 */
GpPublicKey *
gp_certificate_get_public_key (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->public_key;
}

const char *
gp_certificate_get_pem (GpCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pem;
}

gboolean
gp_certificate_matches_key (GpCertificate *self,
                            GpPrivateKey  *key)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return gp_public_key_equal (self->public_key, key->public_key);
}

/* PKCS#12 ------------------------------------------------------------------------------- */

/**
 * gp_pkcs12_open:
 * @der: the PKCS#12 file (DER)
 * @certificate: (out) (transfer full): the first certificate
 * @key: (out) (transfer full): the private key
 *
 * Opens a PKCS#12 bundle with @password, checking its MAC.
 */
gboolean
gp_pkcs12_open (GBytes         *der,
                const char     *password,
                GpCertificate **certificate,
                GpPrivateKey  **key,
                GError        **error)
{
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t x509 = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_len = 0;
  gnutls_datum_t datum;
  g_autoptr(GpPrivateKey) k = NULL;
  g_autoptr(GpCertificate) c = NULL;

  g_return_val_if_fail (der != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  datum = datum_from_bytes (der);
  gnutls_pkcs12_init (&p12);
  if (gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0) < 0)
    {
      gnutls_pkcs12_deinit (p12);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID, "not a PKCS#12 file");
      return FALSE;
    }
  if (gnutls_pkcs12_verify_mac (p12, password) < 0 ||
      gnutls_pkcs12_simple_parse (p12, password, &x509, &chain, &chain_len,
                                  NULL, NULL, NULL, 0) < 0)
    {
      gnutls_pkcs12_deinit (p12);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_PASSWORD,
                   "the PKCS#12 file does not open with this password");
      return FALSE;
    }
  gnutls_pkcs12_deinit (p12);

  for (unsigned int i = 1; i < chain_len; i++)
    gnutls_x509_crt_deinit (chain[i]);
  if (chain_len == 0 || x509 == NULL)
    {
      if (chain_len > 0)
        gnutls_x509_crt_deinit (chain[0]);
      if (x509 != NULL)
        gnutls_x509_privkey_deinit (x509);
      gnutls_free (chain);
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_INVALID,
                   "the PKCS#12 file lacks a certificate or a key");
      return FALSE;
    }
  c = certificate_new_take (chain[0], error);
  gnutls_free (chain);
  if (c == NULL)
    {
      gnutls_x509_privkey_deinit (x509);
      return FALSE;
    }
  k = private_key_new_take_x509 (x509, error);
  if (k == NULL)
    return FALSE;
  if (!gp_certificate_matches_key (c, k))
    {
      g_set_error (error, GP_KEY_ERROR, GP_KEY_ERROR_MISMATCH,
                   "the PKCS#12 certificate does not belong to its key");
      return FALSE;
    }

  *certificate = g_steal_pointer (&c);
  *key = g_steal_pointer (&k);

  return TRUE;
}

/**
 * gp_normalize_serial:
 *
 * Returns: (transfer full) (nullable): @serial in upper case without colons
 *   or whitespace, or %NULL when what is left is empty or holds anything
 *   but letters, digits and underscores (a WeChat Pay public key ID such as
 *   `PUB_KEY_ID_…` is a valid serial)
 */
char *
gp_normalize_serial (const char *serial)
{
  GString *s;

  g_return_val_if_fail (serial != NULL, NULL);

  s = g_string_new (NULL);
  for (const char *p = serial; *p != '\0'; p++)
    {
      if (*p == ':' || g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isalnum (*p) && *p != '_')
        {
          g_string_free (s, TRUE);
          return NULL;
        }
      g_string_append_c (s, g_ascii_toupper (*p));
    }
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }

  return g_string_free (s, FALSE);
}
