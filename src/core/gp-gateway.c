/* gp-gateway.c: the driver interface, one subclass per gateway
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-gateway.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include <gnutls/crypto.h>

#include "gp-file-check.h"
#include "gp-gateway-drivers-private.h"
#include "gp-gateway-info.h"
#include "gp-key-private.h"
#include "gp-profile.h"

typedef struct
{
  GpGatewayKind kind;
} GpGatewayPrivate;

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (gp-gateway-error-quark, gp_gateway_error)

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GpGateway, gp_gateway, G_TYPE_OBJECT)

static void
gp_gateway_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GpGatewayPrivate *priv = gp_gateway_get_instance_private (GP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, priv->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_gateway_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GpGatewayPrivate *priv = gp_gateway_get_instance_private (GP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_KIND:
      priv->kind = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_gateway_class_init (GpGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gp_gateway_get_property;
  object_class->set_property = gp_gateway_set_property;

  /* A GpGatewayKind; an int so the core needs no enum type registration. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      GP_GATEWAY_INVALID, GP_N_GATEWAYS - 1, GP_GATEWAY_INVALID,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_gateway_init (GpGateway *self)
{
}

/**
 * gp_gateway_new_for_kind:
 * @kind: a valid gateway
 *
 * Returns: (transfer full): the driver of @kind
 */
GpGateway *
gp_gateway_new_for_kind (GpGatewayKind kind)
{
  GType type;

  switch (kind)
    {
    case GP_GATEWAY_ALIPAY:
      type = GP_TYPE_ALIPAY_GATEWAY;
      break;
    case GP_GATEWAY_WECHATPAY_V2:
      type = GP_TYPE_WECHATPAY_V2_GATEWAY;
      break;
    case GP_GATEWAY_WECHATPAY_V3:
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      type = GP_TYPE_WECHATPAY_V3_GATEWAY;
      break;
    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_return_val_if_reached (NULL);
    }

  return g_object_new (type, "kind", kind, NULL);
}

GpGatewayKind
gp_gateway_get_kind (GpGateway *self)
{
  GpGatewayPrivate *priv;

  g_return_val_if_fail (GP_IS_GATEWAY (self), GP_GATEWAY_INVALID);

  priv = gp_gateway_get_instance_private (self);

  return priv->kind;
}

/**
 * gp_gateway_build_request:
 * @profile: (nullable): the profile's credentials (a test driver may not need them)
 * @options: (nullable): fixed clock, nonce and boundary for tests
 *
 * Returns: (transfer full): one attempt's request, or %NULL with @error
 */
GpHttpRequest *
gp_gateway_build_request (GpGateway              *self,
                          GpProfile              *profile,
                          GpCheckReport          *report,
                          const GpRequestOptions *options,
                          GError                **error)
{
  static const GpRequestOptions defaults = { 0, NULL, NULL };

  g_return_val_if_fail (GP_IS_GATEWAY (self), NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return GP_GATEWAY_GET_CLASS (self)->build_request (self, profile, report,
                                                     options ? options : &defaults, error);
}

/**
 * gp_gateway_parse_response:
 * @body: the response body, at most the transport's cap
 * @now_unix: the current time, for the response timestamp window
 *
 * Returns: (transfer full): the outcome of the attempt
 */
GpUploadResult *
gp_gateway_parse_response (GpGateway          *self,
                           GpProfile          *profile,
                           guint               status,
                           SoupMessageHeaders *headers,
                           GBytes             *body,
                           gint64              now_unix)
{
  g_return_val_if_fail (GP_IS_GATEWAY (self), NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  return GP_GATEWAY_GET_CLASS (self)->parse_response (self, profile, status, headers, body,
                                                      now_unix);
}

/* ---- helpers shared by the drivers (gp-gateway-drivers-private.h) ---- */

/* The attempt's clock: fixed by tests, else the real one, in seconds. */
gint64
gp_gateway_options_now (const GpRequestOptions *options)
{
  if (options != NULL && options->now_unix != 0)
    return options->now_unix;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * gp_gateway_new_nonce:
 *
 * Returns: (transfer full): 32 random characters of [0-9A-Za-z], as the
 *   v3 SDKs make them (PROTOCOLS.md 3.2)
 */
char *
gp_gateway_new_nonce (void)
{
  static const char alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  char *nonce = g_malloc (33);
  guint n = 0;

  while (n < 32)
    {
      guint8 rnd[48];

      if (gnutls_rnd (GNUTLS_RND_NONCE, rnd, sizeof rnd) < 0)
        for (guint i = 0; i < sizeof rnd; i++)
          rnd[i] = (guint8) g_random_int_range (0, 256);

      /* 248 = 4 * 62: rejecting the rest keeps every character equally likely. */
      for (guint i = 0; i < sizeof rnd && n < 32; i++)
        if (rnd[i] < 248)
          nonce[n++] = alphabet[rnd[i] % 62];
    }
  nonce[32] = '\0';

  return nonce;
}

/**
 * gp_gateway_build_url:
 * @base_url: (nullable): a profile's `https://host[:port]`, or %NULL
 *
 * INTERFACES.md: `base_url` replaces scheme, host and port only; the
 * documented path is always kept (v3 signs it).
 *
 * Returns: (transfer full): the request URL without a query
 */
char *
gp_gateway_build_url (GpGatewayKind  kind,
                      const char    *base_url)
{
  const GpGatewayInfo *info = gp_gateway_info (kind);
  const char *base;
  gsize len;

  g_return_val_if_fail (info != NULL, NULL);

  base = (base_url != NULL && base_url[0] != '\0') ? base_url : info->default_base_url;
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    len--;

  return g_strdup_printf ("%.*s%s", (int) len, base, info->path);
}

/**
 * gp_gateway_result_for_http_status:
 *
 * An answer that is not the API's own format (an access layer's HTML
 * page, a proxy error): stage gateway, retried on 5xx and 429
 * (PROTOCOLS.md 5.4).
 *
 * Returns: (transfer full): the failure
 */
GpUploadResult *
gp_gateway_result_for_http_status (guint status)
{
  g_autofree char *code = g_strdup_printf ("HTTP_%u", status);
  g_autofree char *message = NULL;
  GpUploadResult *result;

  message = g_strdup_printf (_("The gateway answered HTTP %u without a usable response body"),
                             status);
  result = gp_upload_result_new_failure (GP_STAGE_GATEWAY, code, message);
  gp_upload_result_set_http_status (result, status);
  gp_upload_result_set_retryable (result, status >= 500 || status == 429);

  return result;
}

/* A request is only ever built for a file that passed its check. */
gboolean
gp_gateway_check_report (GpCheckReport  *report,
                         GpGatewayKind   kind,
                         GError        **error)
{
  if (gp_check_report_get_gateway (report) != kind)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FILE,
                   "%s was checked against the rules of %s, not %s; check it again",
                   gp_check_report_get_path (report),
                   gp_gateway_kind_to_string (gp_check_report_get_gateway (report)),
                   gp_gateway_kind_to_string (kind));
      return FALSE;
    }
  if (!gp_check_report_is_ok (report) ||
      gp_check_report_get_format (report) == GP_FORMAT_UNKNOWN)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FILE,
                   "%s did not pass its check; it cannot be uploaded",
                   gp_check_report_get_path (report));
      return FALSE;
    }
  /* Alipay's request carries no digest: its SHA-256 may be computed while
   * the file is sent (GP_FILE_CHECK_DEFER_DIGESTS). WeChat signs one. */
  if ((gp_check_report_get_sha256 (report) == NULL &&
       !(kind == GP_GATEWAY_ALIPAY && gp_check_report_get_digests_deferred (report))) ||
      (kind == GP_GATEWAY_WECHATPAY_V2 && gp_check_report_get_md5 (report) == NULL) ||
      (gp_check_report_get_sha256 (report) == NULL &&
       gp_multipart_safe_filename_needs_sha256 (gp_check_report_get_path (report))))
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FILE,
                   "%s was checked without the digest %s needs; check it again",
                   gp_check_report_get_path (report), gp_gateway_kind_to_string (kind));
      return FALSE;
    }

  return TRUE;
}

static GInputStream *
open_multipart (gpointer       user_data,
                GCancellable  *cancellable,
                GError       **error)
{
  return gp_multipart_open (user_data, cancellable, error);
}

/* The body opens afresh per attempt and re-verifies the file. */
void
gp_gateway_set_multipart_body (GpHttpRequest *request,
                               GpMultipart   *body)
{
  g_autofree char *content_type = gp_multipart_dup_content_type (body);

  gp_http_request_set_body (request, content_type, gp_multipart_get_length (body),
                            open_multipart, gp_multipart_ref (body),
                            (GDestroyNotify) gp_multipart_unref);
}

/**
 * gp_gateway_credentials_from_profile:
 * @creds: (out caller-allocates): borrowed pointers into @profile
 * @api_key: (out) (transfer full): holds the v2 API key while @creds is used
 *
 * The one place drivers read a GpProfile.
 *
 * Returns: %FALSE if @profile is missing or belongs to another gateway
 */
gboolean
gp_gateway_credentials_from_profile (GpGateway             *self,
                                     GpProfile             *profile,
                                     GpGatewayCredentials  *creds,
                                     GBytes               **api_key,
                                     GError               **error)
{
  GpGatewayKind kind = gp_gateway_get_kind (self);
  GpPrivateKey *private_key;

  memset (creds, 0, sizeof *creds);
  *api_key = NULL;

  if (profile == NULL || gp_profile_get_gateway (profile) != kind)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                   _("The profile is not a %s profile"), gp_gateway_kind_to_string (kind));
      return FALSE;
    }

  creds->base_url = gp_profile_get_base_url (profile);
  creds->app_id = gp_profile_get_string (profile, "app_id");
  creds->image_pid = gp_profile_get_string (profile, "image_pid");
  creds->mch_id = gp_profile_get_string (profile, "mch_id");
  creds->serial_no = gp_profile_get_string (profile, "serial_no");
  creds->verify_serial = gp_profile_get_verify_serial (profile);
  if (!gp_v2_sign_type_from_string (gp_profile_get_string (profile, "sign_type"),
                                    &creds->sign_type))
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                           _("The profile's sign_type must be MD5 or HMAC-SHA256"));
      return FALSE;
    }
  private_key = gp_profile_get_private_key (profile);
  creds->private_key = private_key ? gp_private_key_get_gnutls (private_key) : NULL;
  if (kind == GP_GATEWAY_WECHATPAY_V2)
    {
      *api_key = gp_profile_dup_api_key (profile);
      creds->api_key = *api_key;
    }

  return TRUE;
}
