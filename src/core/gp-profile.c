/* gp-profile.c: a merchant profile, the value object behind one keyring item
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-profile.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/x509.h>

#include "gp-error.h"
#include "gp-gateway-info.h"
#include "gp-profile-private.h"

struct _GpProfile
{
  GObject          parent_instance;

  char            *id;
  char            *name;
  GpGatewayKind    gateway;
  char            *base_url;           /* normalised, NULL for the default */
  char            *ca_pem;
  GHashTable      *strings;            /* non-secret text fields */

  GpPrivateKey    *private_key;        /* Alipay app key, v3/Global merchant key */
  GpPublicKey     *verify_key;         /* Alipay key, or the v3/Global platform key */
  GpCertificate   *platform_certificate;
  char            *verify_serial;

  GBytes          *api_key;            /* v2, wiped on free */
  GpCertificate   *client_cert;
  GpPrivateKey    *client_key;
  GBytes          *client_p12;         /* DER, when the pair came as PKCS#12 */
  GBytes          *client_p12_password;
  GTlsCertificate *tls_certificate;
};

G_DEFINE_FINAL_TYPE (GpProfile, gp_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_GATEWAY,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which gateways a field belongs to. */
#define ALIPAY (1u << GP_GATEWAY_ALIPAY)
#define V2     (1u << GP_GATEWAY_WECHATPAY_V2)
#define V3     ((1u << GP_GATEWAY_WECHATPAY_V3) | (1u << GP_GATEWAY_WECHATPAY_GLOBAL))
#define ALL    (ALIPAY | V2 | V3)

typedef struct
{
  const char *name;
  guint       gateways;
  gboolean    has_file;      /* may be given as NAME_file */
  gboolean    stored_only;   /* inline form only in the keyring's canonical JSON */
} FieldSpec;

static const FieldSpec field_specs[] = {
  { "name", ALL, FALSE, FALSE },
  { "gateway", ALL, FALSE, FALSE },
  { "base_url", ALL, FALSE, FALSE },
  { "ca", ALL, TRUE, TRUE },
  { "app_id", ALIPAY, FALSE, FALSE },
  { "private_key", ALIPAY | V3, TRUE, FALSE },
  { "alipay_public_key", ALIPAY, TRUE, FALSE },
  { "image_pid", ALIPAY, FALSE, FALSE },
  { "mch_id", V2 | V3, FALSE, FALSE },
  { "api_key", V2, TRUE, FALSE },
  { "sign_type", V2, FALSE, FALSE },
  { "client_cert", V2, TRUE, FALSE },
  { "client_key", V2, TRUE, FALSE },
  { "client_p12", V2, TRUE, FALSE },
  { "client_p12_password", V2, FALSE, FALSE },
  { "serial_no", V3, FALSE, FALSE },
  { "platform_public_key", V3, TRUE, FALSE },
  { "platform_serial", V3, FALSE, FALSE },
  { "platform_certificate", V3, TRUE, FALSE },
};

/* The non-secret fields gp_profile_get_string() answers for. */
static const char * const string_fields[] = {
  "app_id", "mch_id", "serial_no", "platform_serial", "sign_type", "image_pid", NULL
};

typedef struct
{
  JsonObject *object;
  const char *base_dir;
  gboolean    canonical;
  const char *gateway_id;
} Source;

static void
gp_profile_finalize (GObject *object)
{
  GpProfile *self = (GpProfile *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->ca_pem, g_free);
  g_clear_pointer (&self->strings, g_hash_table_unref);
  g_clear_pointer (&self->private_key, gp_private_key_unref);
  g_clear_pointer (&self->verify_key, gp_public_key_unref);
  g_clear_pointer (&self->platform_certificate, gp_certificate_unref);
  g_clear_pointer (&self->verify_serial, g_free);
  g_clear_pointer (&self->api_key, g_bytes_unref);
  g_clear_pointer (&self->client_cert, gp_certificate_unref);
  g_clear_pointer (&self->client_key, gp_private_key_unref);
  g_clear_pointer (&self->client_p12, g_bytes_unref);
  g_clear_pointer (&self->client_p12_password, g_bytes_unref);

  G_OBJECT_CLASS (gp_profile_parent_class)->finalize (object);
}

static void
gp_profile_dispose (GObject *object)
{
  GpProfile *self = (GpProfile *) object;

  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (gp_profile_parent_class)->dispose (object);
}

static void
gp_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GpProfile *self = GP_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_GATEWAY:
      g_value_set_int (value, self->gateway);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, gp_profile_get_base_url (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_class_init (GpProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_profile_dispose;
  object_class->finalize = gp_profile_finalize;
  object_class->get_property = gp_profile_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* A GpGatewayKind. */
  properties[PROP_GATEWAY] =
    g_param_spec_int ("gateway", NULL, NULL,
                      GP_GATEWAY_INVALID, GP_N_GATEWAYS - 1, GP_GATEWAY_INVALID,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_profile_init (GpProfile *self)
{
  self->gateway = GP_GATEWAY_INVALID;
  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Reading fields ------------------------------------------------------------------------ */

static const FieldSpec *
find_spec (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_specs); i++)
    if (strcmp (field_specs[i].name, name) == 0)
      return &field_specs[i];

  return NULL;
}

/* Whether @member may appear in a profile of @gateway. */
static gboolean
member_allowed (const char    *member,
                GpGatewayKind  gateway,
                gboolean       canonical)
{
  const FieldSpec *spec = find_spec (member);

  if (canonical && strcmp (member, "id") == 0)
    return TRUE;
  if (spec != NULL)
    return (spec->gateways & (1u << gateway)) != 0 && (!spec->stored_only || canonical);
  if (!canonical && g_str_has_suffix (member, "_file"))
    {
      g_autofree char *base = g_strndup (member, strlen (member) - strlen ("_file"));

      spec = find_spec (base);
      return spec != NULL && spec->has_file && (spec->gateways & (1u << gateway)) != 0;
    }

  return FALSE;
}

static gboolean
check_members (Source         *src,
               GpGatewayKind   gateway,
               GError        **error)
{
  g_autoptr(GList) members = json_object_get_members (src->object);
  g_autoptr(GString) unknown = g_string_new (NULL);
  guint n_unknown = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (member_allowed (l->data, gateway, src->canonical))
        continue;
      g_string_append_printf (unknown, "%s“%s”", n_unknown > 0 ? ", " : "",
                              (const char *) l->data);
      n_unknown++;
    }
  if (n_unknown == 0)
    return TRUE;

  g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
               n_unknown == 1 ? "unknown field %s for gateway %s"
                              : "unknown fields %s for gateway %s",
               unknown->str, src->gateway_id);
  return FALSE;
}

/* A text member: %TRUE with *value NULL when absent. */
static gboolean
get_text (JsonObject  *object,
          const char  *field,
          char       **value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *value = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  /* IDs are digits; people write them as numbers. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      (strcmp (field, "mch_id") == 0 || strcmp (field, "app_id") == 0) &&
      json_node_get_int (node) >= 0)
    {
      *value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }

  g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
               "field “%s” must be a string", field);
  return FALSE;
}

static gboolean
get_required_text (Source      *src,
                   const char  *field,
                   char       **value,
                   GError     **error)
{
  if (!get_text (src->object, field, value, error))
    return FALSE;
  if (*value != NULL)
    g_strstrip (*value);
  if (*value == NULL || **value == '\0')
    {
      g_clear_pointer (value, g_free);
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "missing field “%s”, required for gateway %s", field, src->gateway_id);
      return FALSE;
    }

  return TRUE;
}

static char *
resolve_path (Source     *src,
              const char *path)
{
  g_autofree char *cwd = NULL;

  if (g_path_is_absolute (path))
    return g_strdup (path);
  if (src->base_dir != NULL)
    return g_build_filename (src->base_dir, path, NULL);
  cwd = g_get_current_dir ();

  return g_build_filename (cwd, path, NULL);
}

/* The value of @field, inline or read from @field_file, as a wiped-on-free
 * buffer (NUL-terminated). %TRUE with *out NULL when neither is given;
 * *used says which member it came from. */
static gboolean
get_material (Source      *src,
              const char  *field,
              GBytes     **out,
              char       **used,
              GError     **error)
{
  g_autofree char *file_field = g_strconcat (field, "_file", NULL);
  g_autofree char *inline_text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *resolved = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len = 0;

  *out = NULL;
  *used = NULL;
  if (!get_text (src->object, field, &inline_text, error))
    return FALSE;
  if (!src->canonical && !get_text (src->object, file_field, &path, error))
    {
      if (inline_text != NULL)
        explicit_bzero (inline_text, strlen (inline_text));
      return FALSE;
    }

  if (inline_text != NULL)
    {
      gsize n = strlen (inline_text);

      if (path != NULL)
        {
          explicit_bzero (inline_text, n);
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "give either “%s” or “%s”, not both", field, file_field);
          return FALSE;
        }
      *out = gp_secret_bytes_new_take (g_steal_pointer (&inline_text), n);
      *used = g_strdup (field);
      return TRUE;
    }
  if (path == NULL)
    return TRUE;

  resolved = resolve_path (src, path);
  if (!g_file_get_contents (resolved, &contents, &len, &local_error))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: %s", file_field, local_error->message);
      return FALSE;
    }
  *out = gp_secret_bytes_new_take (contents, len);
  *used = g_steal_pointer (&file_field);

  return TRUE;
}

static void
missing_material (Source      *src,
                  const char  *field,
                  GError     **error)
{
  g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
               "missing field “%s” (or “%s_file”), required for gateway %s",
               field, field, src->gateway_id);
}

static gboolean
prefix_key_error (GError     **error,
                  GError      *local_error,
                  const char  *used)
{
  g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
               "field “%s”: %s", used, local_error->message);
  g_error_free (local_error);

  return FALSE;
}

static gboolean
load_private_key (Source        *src,
                  const char    *field,
                  gboolean       required,
                  GpPrivateKey **key,
                  GError       **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *used = NULL;
  GError *local_error = NULL;
  gsize len;
  const char *text;

  if (!get_material (src, field, &data, &used, error))
    return FALSE;
  if (data == NULL)
    {
      if (required)
        missing_material (src, field, error);
      return !required;
    }
  text = g_bytes_get_data (data, &len);
  *key = gp_private_key_new_from_data (text, len, &local_error);
  if (*key == NULL)
    return prefix_key_error (error, local_error, used);

  return TRUE;
}

static gboolean
load_public_key (Source       *src,
                 const char   *field,
                 GpPublicKey **key,
                 char        **used,
                 GError      **error)
{
  g_autoptr(GBytes) data = NULL;
  GError *local_error = NULL;
  gsize len;
  const char *text;

  if (!get_material (src, field, &data, used, error))
    return FALSE;
  if (data == NULL)
    return TRUE;
  text = g_bytes_get_data (data, &len);
  *key = gp_public_key_new_from_data (text, len, &local_error);
  if (*key == NULL)
    return prefix_key_error (error, local_error, *used);

  return TRUE;
}

static gboolean
load_certificate (Source         *src,
                  const char     *field,
                  GpCertificate **cert,
                  char          **used,
                  GError        **error)
{
  g_autoptr(GBytes) data = NULL;
  GError *local_error = NULL;
  gsize len;
  const char *text;

  if (!get_material (src, field, &data, used, error))
    return FALSE;
  if (data == NULL)
    return TRUE;
  text = g_bytes_get_data (data, &len);
  *cert = gp_certificate_new_from_data (text, len, &local_error);
  if (*cert == NULL)
    return prefix_key_error (error, local_error, *used);

  return TRUE;
}

/* Inline `client_p12` is base64; `client_p12_file` may be the .p12 itself
 * or its base64. */
static GBytes *
decode_p12 (GBytes   *data,
            gboolean  from_file)
{
  gsize len;
  const char *text = g_bytes_get_data (data, &len);
  gboolean textual = TRUE;
  guchar *der;
  gsize der_len;

  for (gsize i = 0; i < len && textual; i++)
    textual = g_ascii_isalnum (text[i]) || strchr ("+/= \t\r\n", text[i]) != NULL;
  if (from_file && !textual)
    return g_bytes_ref (data);
  if (!textual)
    return NULL;

  {
    g_autofree char *copy = g_strndup (text, len);

    der = g_base64_decode (copy, &der_len);
    explicit_bzero (copy, len);
  }
  if (der_len == 0)
    {
      g_free (der);
      return NULL;
    }

  return gp_secret_bytes_new_take (der, der_len);
}

/* Gateways ------------------------------------------------------------------------------ */

static gboolean
set_string (GpProfile  *self,
            const char *field,
            char       *value)
{
  if (value != NULL)
    g_hash_table_replace (self->strings, g_strdup (field), value);

  return TRUE;
}

static gboolean
parse_alipay (GpProfile  *self,
              Source     *src,
              GError    **error)
{
  g_autofree char *app_id = NULL;
  g_autofree char *image_pid = NULL;
  g_autofree char *used = NULL;

  if (!get_required_text (src, "app_id", &app_id, error) ||
      !get_text (src->object, "image_pid", &image_pid, error) ||
      !load_private_key (src, "private_key", TRUE, &self->private_key, error) ||
      !load_public_key (src, "alipay_public_key", &self->verify_key, &used, error))
    return FALSE;
  if (self->verify_key == NULL)
    {
      missing_material (src, "alipay_public_key", error);
      return FALSE;
    }

  /* The classic mix-up: the app's own public key pasted where Alipay's
   * belongs. Every response would then fail to verify. */
  if (gp_public_key_verifies (self->verify_key, self->private_key))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: this is the app's own public key (it verifies a signature "
                   "made with “private_key”); use the Alipay public key shown for the app "
                   "on the Alipay open platform", used);
      return FALSE;
    }

  set_string (self, "app_id", g_steal_pointer (&app_id));
  if (image_pid != NULL && *image_pid != '\0')
    set_string (self, "image_pid", g_steal_pointer (&image_pid));

  return TRUE;
}

static gboolean
build_tls_certificate (GpProfile  *self,
                       const char *used,
                       GError    **error)
{
  g_autoptr(GBytes) key_pem = gp_private_key_dup_pem (self->client_key);
  g_autoptr(GError) local_error = NULL;
  const char *cert_pem = gp_certificate_get_pem (self->client_cert);
  gsize cert_len = strlen (cert_pem);
  gsize key_len;
  const char *key_text = g_bytes_get_data (key_pem, &key_len);
  char *both = g_malloc (cert_len + key_len + 2);

  memcpy (both, cert_pem, cert_len);
  both[cert_len] = '\n';
  memcpy (both + cert_len + 1, key_text, key_len);
  both[cert_len + key_len + 1] = '\0';
  self->tls_certificate = g_tls_certificate_new_from_pem (both, cert_len + key_len + 1,
                                                          &local_error);
  gp_secret_free (both, cert_len + key_len + 2);
  if (self->tls_certificate == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: the TLS backend refuses the certificate: %s",
                   used, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_v2_certificate (GpProfile  *self,
                      Source     *src,
                      GError    **error)
{
  g_autofree char *cert_used = NULL;
  g_autofree char *p12_used = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GBytes) p12_data = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!load_certificate (src, "client_cert", &self->client_cert, &cert_used, error) ||
      !load_private_key (src, "client_key", FALSE, &self->client_key, error) ||
      !get_material (src, "client_p12", &p12_data, &p12_used, error) ||
      !get_text (src->object, "client_p12_password", &password, error))
    return FALSE;

  if (p12_data != NULL && (self->client_cert != NULL || self->client_key != NULL))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "give either “client_cert” and “client_key”, or “client_p12”, not both");
      return FALSE;
    }
  if (p12_data == NULL && self->client_cert == NULL && self->client_key == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "missing the client certificate: give “client_cert” and “client_key”, "
                   "or “client_p12”, required for gateway %s", src->gateway_id);
      return FALSE;
    }
  if (password != NULL && p12_data == NULL)
    {
      explicit_bzero (password, strlen (password));
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “client_p12_password” needs “client_p12”");
      return FALSE;
    }

  if (p12_data == NULL)
    {
      if (self->client_key == NULL || self->client_cert == NULL)
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “%s” needs “%s”",
                       self->client_cert ? "client_cert" : "client_key",
                       self->client_cert ? "client_key" : "client_cert");
          return FALSE;
        }
      if (!gp_certificate_matches_key (self->client_cert, self->client_key))
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “%s”: the certificate does not belong to “client_key”", cert_used);
          return FALSE;
        }
      return build_tls_certificate (self, cert_used, error);
    }

  self->client_p12 = decode_p12 (p12_data, g_str_has_suffix (p12_used, "_file"));
  if (self->client_p12 == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: not base64 of a PKCS#12 file", p12_used);
      return FALSE;
    }
  if (!gp_pkcs12_open (self->client_p12,
                       password ? password : g_hash_table_lookup (self->strings, "mch_id"),
                       &self->client_cert, &self->client_key, &local_error))
    {
      if (g_error_matches (local_error, GP_KEY_ERROR, GP_KEY_ERROR_PASSWORD))
        g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                     password != NULL
                       ? "field “%s”: the PKCS#12 file does not open with “client_p12_password”"
                       : "field “%s”: the PKCS#12 file does not open with the default password "
                         "(the mch_id); set “client_p12_password”",
                     p12_used);
      else
        g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                     "field “%s”: %s", p12_used, local_error->message);
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      return FALSE;
    }
  if (password != NULL)
    {
      gsize n = strlen (password);

      self->client_p12_password = gp_secret_bytes_new_take (g_steal_pointer (&password), n);
    }

  return build_tls_certificate (self, p12_used, error);
}

static gboolean
parse_v2 (GpProfile  *self,
          Source     *src,
          GError    **error)
{
  g_autofree char *mch_id = NULL;
  g_autofree char *sign_type = NULL;
  g_autoptr(GBytes) api_key = NULL;
  g_autofree char *used = NULL;
  gsize len;
  const char *text;
  gsize start = 0;

  if (!get_required_text (src, "mch_id", &mch_id, error) ||
      !get_text (src->object, "sign_type", &sign_type, error) ||
      !get_material (src, "api_key", &api_key, &used, error))
    return FALSE;
  if (sign_type != NULL)
    {
      if (g_ascii_strcasecmp (sign_type, "MD5") != 0 &&
          g_ascii_strcasecmp (sign_type, "HMAC-SHA256") != 0)
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “sign_type”: expected MD5 or HMAC-SHA256");
          return FALSE;
        }
      set_string (self, "sign_type", g_ascii_strup (sign_type, -1));
    }
  set_string (self, "mch_id", g_steal_pointer (&mch_id));

  if (api_key != NULL)
    {
      /* Trim surrounding whitespace (a file's final newline). */
      text = g_bytes_get_data (api_key, &len);
      while (start < len && g_ascii_isspace (text[start]))
        start++;
      while (len > start && g_ascii_isspace (text[len - 1]))
        len--;
    }
  if (api_key == NULL || len == start)
    {
      missing_material (src, "api_key", error);
      return FALSE;
    }
  self->api_key = gp_secret_bytes_new (text + start, len - start);

  return parse_v2_certificate (self, src, error);
}

static gboolean
normalize_hex_serial (const char  *field,
                      char       **serial,
                      GError     **error)
{
  g_autofree char *normal = gp_normalize_serial (*serial);
  gboolean hex = normal != NULL;

  for (const char *p = normal; hex && *p != '\0'; p++)
    hex = g_ascii_isxdigit (*p);
  if (!hex)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: expected a certificate serial number in hexadecimal", field);
      return FALSE;
    }
  g_free (*serial);
  *serial = g_steal_pointer (&normal);

  return TRUE;
}

/* Serials compared as hex, also after dropping leading zeros (Java's
 * BigInteger.toString(16) drops them). */
static gboolean
serials_equal (const char *a,
               const char *b)
{
  while (*a == '0' && a[1] != '\0')
    a++;
  while (*b == '0' && b[1] != '\0')
    b++;

  return g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
parse_v3 (GpProfile  *self,
          Source     *src,
          GError    **error)
{
  g_autofree char *mch_id = NULL;
  g_autofree char *serial_no = NULL;
  g_autofree char *platform_serial = NULL;
  g_autofree char *key_used = NULL;
  g_autofree char *cert_used = NULL;
  GpPublicKey *platform_key = NULL;

  if (!get_required_text (src, "mch_id", &mch_id, error) ||
      !get_required_text (src, "serial_no", &serial_no, error) ||
      !normalize_hex_serial ("serial_no", &serial_no, error) ||
      !load_private_key (src, "private_key", TRUE, &self->private_key, error) ||
      !get_text (src->object, "platform_serial", &platform_serial, error) ||
      !load_public_key (src, "platform_public_key", &platform_key, &key_used, error))
    return FALSE;
  self->verify_key = platform_key;
  if (!load_certificate (src, "platform_certificate", &self->platform_certificate, &cert_used,
                         error))
    return FALSE;

  set_string (self, "mch_id", g_steal_pointer (&mch_id));
  set_string (self, "serial_no", g_steal_pointer (&serial_no));

  if (platform_serial != NULL)
    {
      g_autofree char *normal = gp_normalize_serial (platform_serial);

      if (normal == NULL)
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “platform_serial”: expected a certificate serial number or a "
                       "WeChat Pay public key ID (PUB_KEY_ID_…)");
          return FALSE;
        }
      g_free (platform_serial);
      platform_serial = g_steal_pointer (&normal);
    }

  if (self->verify_key != NULL && self->platform_certificate != NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "give either “platform_public_key” and “platform_serial”, or "
                   "“platform_certificate”, not both");
      return FALSE;
    }
  if (self->verify_key == NULL && self->platform_certificate == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "missing the platform key: give “platform_public_key” and "
                   "“platform_serial”, or “platform_certificate”, required for gateway %s",
                   src->gateway_id);
      return FALSE;
    }

  if (self->verify_key != NULL)
    {
      if (platform_serial == NULL)
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “%s” needs “platform_serial” (the WeChat Pay public key ID)",
                       key_used);
          return FALSE;
        }
      self->verify_serial = g_strdup (platform_serial);
    }
  else
    {
      const char *cert_serial = gp_certificate_get_serial (self->platform_certificate);

      if (platform_serial != NULL && !serials_equal (platform_serial, cert_serial))
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                       "field “platform_serial”: %s is not the serial of “%s” (%s)",
                       platform_serial, cert_used, cert_serial);
          return FALSE;
        }
      self->verify_key = gp_public_key_ref (gp_certificate_get_public_key (self->platform_certificate));
      self->verify_serial = g_strdup (cert_serial);
    }
  set_string (self, "platform_serial", g_steal_pointer (&platform_serial));

  return TRUE;
}

/* Common fields ------------------------------------------------------------------------- */

static char *
normalize_base_url (const char  *text,
                    GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *path;

  if (uri == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “base_url”: not a URL; expected https://host[:port]");
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “base_url”: plain http is refused; use https://host[:port]");
      return NULL;
    }
  path = g_uri_get_path (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0' || g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      (*path != '\0' && strcmp (path, "/") != 0))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “base_url”: expected https://host[:port] with no path, query or "
                   "user name");
      return NULL;
    }

  return g_uri_join (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static gboolean
parse_ca (GpProfile  *self,
          Source     *src,
          GError    **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *used = NULL;
  gnutls_x509_crt_t *list = NULL;
  unsigned int n = 0;
  gnutls_datum_t datum;
  gsize len;

  if (!get_material (src, "ca", &data, &used, error))
    return FALSE;
  if (data == NULL)
    return TRUE;

  datum.data = (unsigned char *) g_bytes_get_data (data, &len);
  datum.size = len;
  if (gnutls_x509_crt_list_import2 (&list, &n, &datum, GNUTLS_X509_FMT_PEM, 0) < 0 || n == 0)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “%s”: no PEM certificate found", used);
      return FALSE;
    }
  for (unsigned int i = 0; i < n; i++)
    gnutls_x509_crt_deinit (list[i]);
  gnutls_free (list);
  self->ca_pem = g_strndup ((const char *) datum.data, len);

  return TRUE;
}

static GpProfile *
profile_parse (JsonObject  *object,
               const char  *base_dir,
               gboolean     canonical,
               GError     **error)
{
  g_autoptr(GpProfile) self = g_object_new (GP_TYPE_PROFILE, NULL);
  g_autofree char *gateway_id = NULL;
  g_autofree char *base_url = NULL;
  Source src = { object, base_dir, canonical, NULL };
  gboolean ok = FALSE;

  if (!get_text (object, "name", &self->name, error))
    return NULL;
  if (self->name != NULL)
    g_strstrip (self->name);
  if (self->name == NULL || *self->name == '\0')
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID, "missing field “name”");
      return NULL;
    }
  if (!get_text (object, "gateway", &gateway_id, error))
    return NULL;
  if (gateway_id == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "missing field “gateway”: expected alipay, wechatpay-v2, wechatpay-v3 or "
                   "wechatpay-global");
      return NULL;
    }
  self->gateway = gp_gateway_kind_from_string (gateway_id);
  if (self->gateway == GP_GATEWAY_INVALID)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "field “gateway”: unknown gateway “%s”; expected alipay, wechatpay-v2, "
                   "wechatpay-v3 or wechatpay-global", gateway_id);
      return NULL;
    }
  src.gateway_id = gateway_id;
  if (!check_members (&src, self->gateway, error))
    return NULL;

  if (canonical)
    {
      if (!get_text (object, "id", &self->id, error))
        return NULL;
    }
  if (self->id == NULL)
    self->id = g_uuid_string_random ();

  if (!get_text (object, "base_url", &base_url, error))
    return NULL;
  if (base_url != NULL)
    {
      self->base_url = normalize_base_url (base_url, error);
      if (self->base_url == NULL)
        return NULL;
    }
  if (!parse_ca (self, &src, error))
    return NULL;

  switch (self->gateway)
    {
    case GP_GATEWAY_ALIPAY:
      ok = parse_alipay (self, &src, error);
      break;

    case GP_GATEWAY_WECHATPAY_V2:
      ok = parse_v2 (self, &src, error);
      break;

    case GP_GATEWAY_WECHATPAY_V3:
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      ok = parse_v3 (self, &src, error);
      break;

    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gp_profile_new_from_json:
 * @object: a profile file's object (INTERFACES.md "Profile file")
 * @base_dir: (nullable): where relative `X_file` and `ca_file` paths
 *   resolve; %NULL for the working directory
 *
 * Validates every field and reads every file now. Errors name the field
 * and never quote secret material.
 *
 * Returns: (transfer full) (nullable): a profile with a fresh id
 */
GpProfile *
gp_profile_new_from_json (JsonObject  *object,
                          const char  *base_dir,
                          GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return profile_parse (object, base_dir, FALSE, error);
}

/* json-glib's messages quote the text at the fault ("unexpected identifier
 * `MIIE…'"), which can be key material: keep the position only. */
static void
set_json_error (GError     **error,
                const char  *what,
                GError      *parse_error)
{
  guint line = 0;
  guint column = 0;

  if (sscanf (parse_error->message, "%*[^:]:%u:%u:", &line, &column) == 2)
    g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                 "%s is not valid JSON (line %u, character %u)", what, line, column);
  else
    g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                 "%s is not valid JSON", what);
}

/**
 * gp_profile_new_from_data:
 * @data: the text of a profile file
 * @len: its length, or -1 when NUL-terminated
 *
 * Like gp_profile_new_from_json(), from the file's text.
 *
 * Returns: (transfer full) (nullable): a profile with a fresh id
 */
GpProfile *
gp_profile_new_from_data (const char  *data,
                          gssize       len,
                          const char  *base_dir,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      set_json_error (error, "the profile", local_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "the profile must be a JSON object");
      return NULL;
    }

  return profile_parse (json_node_get_object (root), base_dir, FALSE, error);
}

/* Canonical JSON ------------------------------------------------------------------------ */

typedef struct
{
  const char *key;
  const char *value;
  gsize       len;
} Member;

static void
append_json_string (GString    *out,
                    const char *value,
                    gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = value[i];

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
add_member (GArray     *members,
            const char *key,
            const char *value,
            gssize      len)
{
  Member m = { key, value, len < 0 ? strlen (value) : (gsize) len };

  if (value != NULL)
    g_array_append_val (members, m);
}

/**
 * gp_profile_dup_canonical_json:
 *
 * The whole profile, key material inlined, as the keyring item's secret.
 *
 * Returns: (transfer full): UTF-8 JSON in a buffer that wipes itself when freed
 */
GBytes *
gp_profile_dup_canonical_json (GpProfile *self)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (Member));
  g_autoptr(GBytes) private_pem = NULL;
  g_autoptr(GBytes) client_key_pem = NULL;
  g_autofree char *p12_b64 = NULL;
  GString *out;
  gsize size = 16;
  gsize len;

  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  add_member (members, "id", self->id, -1);
  add_member (members, "name", self->name, -1);
  add_member (members, "gateway", gp_gateway_kind_to_string (self->gateway), -1);
  if (self->base_url != NULL)
    add_member (members, "base_url", self->base_url, -1);
  if (self->ca_pem != NULL)
    add_member (members, "ca", self->ca_pem, -1);
  for (guint i = 0; string_fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (self->strings, string_fields[i]);

      if (value != NULL)
        add_member (members, string_fields[i], value, -1);
    }

  if (self->private_key != NULL)
    {
      private_pem = gp_private_key_dup_pem (self->private_key);
      add_member (members, "private_key", g_bytes_get_data (private_pem, NULL),
                  g_bytes_get_size (private_pem));
    }
  if (self->gateway == GP_GATEWAY_ALIPAY)
    add_member (members, "alipay_public_key", gp_public_key_get_pem (self->verify_key), -1);
  else if (self->platform_certificate != NULL)
    add_member (members, "platform_certificate",
                gp_certificate_get_pem (self->platform_certificate), -1);
  else if (self->verify_key != NULL)
    add_member (members, "platform_public_key", gp_public_key_get_pem (self->verify_key), -1);

  if (self->api_key != NULL)
    add_member (members, "api_key", g_bytes_get_data (self->api_key, NULL),
                g_bytes_get_size (self->api_key));
  if (self->client_p12 != NULL)
    {
      p12_b64 = g_base64_encode (g_bytes_get_data (self->client_p12, NULL),
                                 g_bytes_get_size (self->client_p12));
      add_member (members, "client_p12", p12_b64, -1);
      if (self->client_p12_password != NULL)
        add_member (members, "client_p12_password",
                    g_bytes_get_data (self->client_p12_password, NULL),
                    g_bytes_get_size (self->client_p12_password));
    }
  else if (self->client_cert != NULL)
    {
      client_key_pem = gp_private_key_dup_pem (self->client_key);
      add_member (members, "client_cert", gp_certificate_get_pem (self->client_cert), -1);
      add_member (members, "client_key", g_bytes_get_data (client_key_pem, NULL),
                  g_bytes_get_size (client_key_pem));
    }

  /* Size the buffer once, so growing it never leaves a copy behind. */
  for (guint i = 0; i < members->len; i++)
    size += strlen (g_array_index (members, Member, i).key) + 8 +
            6 * g_array_index (members, Member, i).len;
  out = g_string_sized_new (size);
  g_string_append_c (out, '{');
  for (guint i = 0; i < members->len; i++)
    {
      const Member *m = &g_array_index (members, Member, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, m->key, strlen (m->key));
      g_string_append_c (out, ':');
      append_json_string (out, m->value, m->len);
    }
  g_string_append_c (out, '}');
  g_assert (out->len < size);

  if (p12_b64 != NULL)
    explicit_bzero (p12_b64, strlen (p12_b64));
  len = out->len;

  return gp_secret_bytes_new_take (g_string_free (out, FALSE), len);
}

/**
 * gp_profile_new_from_canonical:
 * @json: what gp_profile_dup_canonical_json() made
 *
 * Returns: (transfer full) (nullable): the stored profile with its id
 */
GpProfile *
gp_profile_new_from_canonical (GBytes  *json,
                               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len;
  const char *data = g_bytes_get_data (json, &len);

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      set_json_error (error, "the stored profile", local_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   "the stored profile is not a JSON object");
      return NULL;
    }

  return profile_parse (json_node_get_object (root), NULL, TRUE, error);
}

void
gp_profile_set_id (GpProfile  *self,
                   const char *id)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  g_return_if_fail (id != NULL);

  g_free (self->id);
  self->id = g_strdup (id);
}

/* Accessors ----------------------------------------------------------------------------- */

/**
 * gp_profile_get_id:
 *
 * Returns: the stable id, kept when an import replaces the profile by name
 */
const char *
gp_profile_get_id (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->id;
}

const char *
gp_profile_get_name (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->name;
}

GpGatewayKind
gp_profile_get_gateway (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), GP_GATEWAY_INVALID);

  return self->gateway;
}

/**
 * gp_profile_get_base_url:
 *
 * Returns: `https://host[:port]` with no path: the profile's `base_url`, or
 *   the gateway's documented host when unset
 */
const char *
gp_profile_get_base_url (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  if (self->base_url != NULL)
    return self->base_url;

  return gp_gateway_info (self->gateway)->default_base_url;
}

gboolean
gp_profile_has_custom_base_url (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);

  return self->base_url != NULL;
}

/**
 * gp_profile_get_string:
 * @field: "app_id", "mch_id", "serial_no", "platform_serial", "sign_type"
 *   or "image_pid"
 *
 * Returns: (nullable): the non-secret field, %NULL when unset. Serials are
 *   upper-case without colons.
 */
const char *
gp_profile_get_string (GpProfile  *self,
                       const char *field)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (g_strv_contains (string_fields, field), NULL);

  return g_hash_table_lookup (self->strings, field);
}

/**
 * gp_profile_get_private_key:
 *
 * Returns: (transfer none) (nullable): the Alipay app key or the v3/Global
 *   merchant key; %NULL for v2
 */
GpPrivateKey *
gp_profile_get_private_key (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->private_key;
}

/**
 * gp_profile_get_verify_key:
 *
 * Returns: (transfer none) (nullable): the key responses are verified with:
 *   the Alipay public key, or the v3/Global platform key (from
 *   `platform_public_key` or `platform_certificate`); %NULL for v2
 */
GpPublicKey *
gp_profile_get_verify_key (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->verify_key;
}

/**
 * gp_profile_get_verify_serial:
 *
 * Returns: (nullable): v3/Global: `platform_serial` or the platform
 *   certificate's serial, upper-case; %NULL for other gateways
 */
const char *
gp_profile_get_verify_serial (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->verify_serial;
}

/**
 * gp_profile_dup_api_key:
 *
 * Returns: (transfer full) (nullable): the v2 API key, in a #GBytes that
 *   wipes itself when freed (a NUL follows, not counted in its size)
 */
GBytes *
gp_profile_dup_api_key (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->api_key ? g_bytes_ref (self->api_key) : NULL;
}

/**
 * gp_profile_get_client_certificate:
 *
 * Returns: (transfer none) (nullable): the v2 client certificate with its
 *   key, for mutual TLS
 */
GTlsCertificate *
gp_profile_get_client_certificate (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->tls_certificate;
}

/**
 * gp_profile_get_certificate:
 * @field: "client_cert" or "platform_certificate"
 *
 * Returns: (transfer none) (nullable): the certificate, to show its serial
 *   and expiry; a client certificate from PKCS#12 counts as "client_cert"
 */
GpCertificate *
gp_profile_get_certificate (GpProfile  *self,
                            const char *field)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (strcmp (field, "client_cert") == 0)
    return self->client_cert;
  if (strcmp (field, "platform_certificate") == 0)
    return self->platform_certificate;

  g_return_val_if_reached (NULL);
}

/**
 * gp_profile_get_ca_pem:
 *
 * Returns: (nullable): PEM certificates to trust besides the system store
 */
const char *
gp_profile_get_ca_pem (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return self->ca_pem;
}
