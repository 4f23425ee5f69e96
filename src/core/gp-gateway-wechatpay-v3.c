/* gp-gateway-wechatpay-v3.c: WeChat Pay v3 images/upload and Global file/upload
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One driver for both APIs: they share the WECHATPAY2-SHA256-RSA2048
 * scheme and differ only by the entries of the table below.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "gp-file-check.h"
#include "gp-gateway-drivers-private.h"
#include "gp-gateway-info.h"
#include "gp-key-private.h"
#include "gp-profile.h"

#define SIGNATURE_WINDOW_SECONDS 300

typedef struct
{
  GpGatewayKind  kind;
  const char    *name;          /* for messages */
  const char    *digest_field;  /* meta member holding the SHA-256 (PROTOCOLS.md 4.2) */
  const char    *id_field;      /* response member holding the media ID */
} V3Api;

static const V3Api apis[] = {
  { GP_GATEWAY_WECHATPAY_V3, "WeChat Pay v3", "sha256", "media_id" },
  { GP_GATEWAY_WECHATPAY_GLOBAL, "WeChat Pay Global", "digest", "file_id" },
};

static const V3Api *
api_for (GpGatewayKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (apis); i++)
    if (apis[i].kind == kind)
      return &apis[i];
  g_return_val_if_reached (NULL);
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * gp_wechatpay_v3_build_meta:
 * @filename: the ASCII-safe name also sent on the file part
 *
 * The meta part, built once: its exact bytes are both sent and signed.
 * `{"filename":"…","sha256":"<hex>"}` for v3, `{"filename":"…",
 * "digest":"<hex>"}` for Global.
 *
 * Returns: (transfer full): the meta JSON
 */
char *
gp_wechatpay_v3_build_meta (GpGatewayKind  kind,
                            const char    *filename,
                            const char    *sha256_hex)
{
  const V3Api *api = api_for (kind);
  g_autofree char *hex = NULL;
  GString *out;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (sha256_hex != NULL && strlen (sha256_hex) == 64, NULL);

  hex = g_ascii_strdown (sha256_hex, -1);
  out = g_string_new ("{\"filename\":");
  append_json_string (out, filename);
  g_string_append_printf (out, ",\"%s\":\"%s\"}", api->digest_field, hex);

  return g_string_free (out, FALSE);
}

/**
 * gp_wechatpay_v3_build_message:
 * @canonical_url: path and query as sent, never the host
 *
 * PROTOCOLS.md 3.2: five lines, each ending in `\n`.
 *
 * Returns: (transfer full): the string to sign
 */
char *
gp_wechatpay_v3_build_message (const char *method,
                               const char *canonical_url,
                               gint64      timestamp,
                               const char *nonce,
                               const char *body)
{
  g_return_val_if_fail (method != NULL && canonical_url != NULL, NULL);
  g_return_val_if_fail (nonce != NULL && body != NULL, NULL);

  return g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%s\n%s\n",
                          method, canonical_url, timestamp, nonce, body);
}

/**
 * gp_wechatpay_v3_build_authorization:
 *
 * Returns: (transfer full): the Authorization header value
 */
char *
gp_wechatpay_v3_build_authorization (const char *mch_id,
                                     const char *nonce,
                                     gint64      timestamp,
                                     const char *serial_no,
                                     const char *signature)
{
  g_return_val_if_fail (mch_id != NULL && nonce != NULL, NULL);
  g_return_val_if_fail (serial_no != NULL && signature != NULL, NULL);

  return g_strdup_printf ("WECHATPAY2-SHA256-RSA2048 mchid=\"%s\",nonce_str=\"%s\","
                          "timestamp=\"%" G_GINT64_FORMAT "\",serial_no=\"%s\","
                          "signature=\"%s\"",
                          mch_id, nonce, timestamp, serial_no, signature);
}

/* Profile values that end up inside a quoted header parameter. */
static gboolean
header_token_is_safe (const char *value)
{
  if (value == NULL || value[0] == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isgraph (*p) || *p == '"' || *p == '\\' || *p == ',')
      return FALSE;
  return TRUE;
}

/**
 * gp_wechatpay_v3_build_request:
 * @kind: %GP_GATEWAY_WECHATPAY_V3 or %GP_GATEWAY_WECHATPAY_GLOBAL
 *
 * PROTOCOLS.md 3.1, 3.2 and 4.1.
 *
 * Returns: (transfer full): the request, or %NULL with @error
 */
GpHttpRequest *
gp_wechatpay_v3_build_request (GpGatewayKind               kind,
                               const GpGatewayCredentials *creds,
                               GpCheckReport              *report,
                               const GpRequestOptions     *options,
                               GError                    **error)
{
  const V3Api *api = api_for (kind);
  g_autofree char *nonce = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *message = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GpMultipart) body = NULL;
  GpHttpRequest *request;
  GpFormat format;
  gint64 now;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (creds != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (!gp_gateway_check_report (report, kind, error))
    return NULL;
  if (!header_token_is_safe (creds->mch_id) || !header_token_is_safe (creds->serial_no) ||
      creds->private_key == NULL)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                   "The %s profile needs mch_id, serial_no and private_key", api->name);
      return NULL;
    }
  if (!header_token_is_safe (creds->verify_serial))
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                   "The %s profile needs platform_public_key with platform_serial, or "
                   "platform_certificate, to verify responses", api->name);
      return NULL;
    }

  now = gp_gateway_options_now (options);
  nonce = (options && options->nonce) ? g_strdup (options->nonce) : gp_gateway_new_nonce ();
  format = gp_check_report_get_format (report);
  filename = gp_multipart_safe_filename (gp_check_report_get_path (report), format,
                                         gp_check_report_get_sha256 (report));
  meta = gp_wechatpay_v3_build_meta (kind, filename, gp_check_report_get_sha256 (report));
  message = gp_wechatpay_v3_build_message ("POST", gp_gateway_info (kind)->path, now, nonce,
                                           meta);
  signature = gp_signer_rsa_sha256_sign (creds->private_key, message, strlen (message),
                                         &local_error);
  if (signature == NULL)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FAILED,
                   "Could not sign the %s request: %s", api->name, local_error->message);
      return NULL;
    }
  authorization = gp_wechatpay_v3_build_authorization (creds->mch_id, nonce, now,
                                                       creds->serial_no, signature);

  body = gp_multipart_new (options ? options->boundary : NULL);
  gp_multipart_add_text (body, "meta", meta, "application/json");
  gp_multipart_set_file (body, "file", filename, gp_format_mime_type (format), report);

  url = gp_gateway_build_url (kind, creds->base_url);
  request = gp_http_request_new ("POST", url);
  gp_http_request_add_header (request, "Authorization", authorization);
  gp_http_request_add_header (request, "Accept", "application/json");
  gp_http_request_add_header (request, "User-Agent", "Gatepost/" PACKAGE_VERSION);
  gp_http_request_add_header (request, "Wechatpay-Serial", creds->verify_serial);
  gp_gateway_set_multipart_body (request, body);

  return request;
}

void
gp_wechatpay_headers_from_soup (GpWechatpayHeaders *out,
                                SoupMessageHeaders *headers)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (headers != NULL);

  out->timestamp = soup_message_headers_get_one (headers, "Wechatpay-Timestamp");
  out->nonce = soup_message_headers_get_one (headers, "Wechatpay-Nonce");
  out->signature = soup_message_headers_get_one (headers, "Wechatpay-Signature");
  out->serial = soup_message_headers_get_one (headers, "Wechatpay-Serial");
  out->request_id = soup_message_headers_get_one (headers, "Request-ID");
}

/**
 * gp_wechatpay_serial_equal:
 *
 * PROTOCOLS.md 5.3: serials compare as hex without case, and also after
 * dropping leading zeros (Java's BigInteger.toString(16) loses them).
 * Key IDs such as `PUB_KEY_ID_…` compare the same way, harmlessly.
 *
 * Returns: %TRUE if @a and @b name the same key
 */
gboolean
gp_wechatpay_serial_equal (const char *a,
                           const char *b)
{
  if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
    return FALSE;
  while (*a == '0' && a[1] != '\0')
    a++;
  while (*b == '0' && b[1] != '\0')
    b++;
  return g_ascii_strcasecmp (a, b) == 0;
}

static GpUploadResult *
failure (GpStage     stage,
         const char *code,
         const char *message,
         guint       status,
         gboolean    retryable)
{
  GpUploadResult *result = gp_upload_result_new_failure (stage, code, message);

  gp_upload_result_set_retryable (result, retryable);
  gp_upload_result_set_http_status (result, status);

  return result;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonNode *
parse_object (const char *body,
              gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (len == 0 || len > G_MAXSSIZE || !json_parser_load_from_data (parser, body, (gssize) len,
                                                                   NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_ref (root);
}

/* Strict decimal seconds; FALSE for anything else (milliseconds included
 * would simply fail the window check). */
static gboolean
parse_timestamp (const char *text,
                 gint64     *out)
{
  gsize len = text ? strlen (text) : 0;

  if (len == 0 || len > 12)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *out = g_ascii_strtoll (text, NULL, 10);

  return TRUE;
}

/* PROTOCOLS.md 3.3 and 5.4: an unsigned error answer. */
static GpUploadResult *
error_answer (const V3Api *api,
              guint        status,
              const char  *body,
              gsize        len)
{
  g_autoptr(JsonNode) root = parse_object (body, len);
  JsonObject *object = root ? json_node_get_object (root) : NULL;
  JsonObject *sign_information;
  const char *code = member_string (object, "code");
  const char *message = member_string (object, "message");
  g_autofree char *fallback = NULL;
  GpUploadResult *result;
  gboolean retryable;

  if (code == NULL || code[0] == '\0')
    {
      GpUploadResult *plain = gp_gateway_result_for_http_status (status);

      return plain;
    }
  if (message == NULL || message[0] == '\0')
    message = fallback = g_strdup_printf ("The %s gateway answered HTTP %u", api->name, status);

  retryable = status == 429 || status >= 500 ||
              strcmp (code, "FREQUENCY_LIMITED") == 0 ||
              strcmp (code, "RATELIMIT_EXCEEDED") == 0 ||
              strcmp (code, "SYSTEM_ERROR") == 0 ||
              strcmp (code, "SERVICE_UNAVAILABLE") == 0;
  if (strcmp (code, "SIGN_ERROR") == 0 || strcmp (code, "PARAM_ERROR") == 0 ||
      strcmp (code, "INVALID_REQUEST") == 0)
    retryable = FALSE;

  result = failure (GP_STAGE_GATEWAY, code, message, status, retryable);

  /* What the server signed instead: the best clue for a SIGN_ERROR. */
  sign_information = member_object (member_object (object, "detail"), "sign_information");
  if (member_string (sign_information, "truncated_sign_message") != NULL)
    gp_upload_result_set_detail (result,
                                 member_string (sign_information, "truncated_sign_message"));

  return result;
}

/**
 * gp_wechatpay_v3_parse_response_bytes:
 * @verify_key: the platform public key of the profile
 * @verify_serial: its serial or key ID, as sent in Wechatpay-Serial
 * @now_unix: the current time
 *
 * PROTOCOLS.md 3.3: only 2xx answers are signed and verified: all four
 * Wechatpay-* headers present, serial equal to the profile's, timestamp
 * within 300 s, SHA256withRSA over `ts\nnonce\nbody\n`. 4xx/5xx answers
 * are unsigned gateway errors.
 *
 * Returns: (transfer full): the outcome
 */
GpUploadResult *
gp_wechatpay_v3_parse_response_bytes (GpGatewayKind             kind,
                                      guint                     status,
                                      const GpWechatpayHeaders *headers,
                                      const char               *body,
                                      gsize                     len,
                                      gnutls_pubkey_t           verify_key,
                                      const char               *verify_serial,
                                      gint64                    now_unix)
{
  const V3Api *api = api_for (kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) signed_message = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  GpUploadResult *result;
  const char *media_id;
  gint64 timestamp = 0;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL || len == 0, NULL);
  g_return_val_if_fail (verify_key != NULL, NULL);

  if (status < 200 || status > 299)
    {
      result = error_answer (api, status, body, len);
      if (headers->request_id != NULL)
        gp_upload_result_set_request_id (result, headers->request_id);
      return result;
    }

  if (headers->timestamp == NULL || headers->nonce == NULL || headers->signature == NULL ||
      headers->serial == NULL || headers->signature[0] == '\0')
    {
      message = g_strdup_printf ("The %s response lacks a Wechatpay-Timestamp, -Nonce, "
                                 "-Signature or -Serial header (a proxy may strip them); "
                                 "its result is not trusted", api->name);
      result = failure (GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE, message, status, FALSE);
    }
  else if (!gp_wechatpay_serial_equal (headers->serial, verify_serial))
    {
      message = g_strdup_printf ("The %s response is signed by an unknown serial %s, but the "
                                 "profile verifies with %s; update the profile's platform key "
                                 "and serial", api->name, headers->serial,
                                 verify_serial ? verify_serial : "(none)");
      result = failure (GP_STAGE_VERIFY, GP_RESULT_UNKNOWN_SERIAL, message, status, FALSE);
    }
  else if (!parse_timestamp (headers->timestamp, &timestamp) ||
           ABS (now_unix - timestamp) >= SIGNATURE_WINDOW_SECONDS)
    {
      message = g_strdup_printf ("The %s response's Wechatpay-Timestamp %s is not within %d s "
                                 "of this computer's clock (%" G_GINT64_FORMAT "); check the "
                                 "clock", api->name, headers->timestamp,
                                 SIGNATURE_WINDOW_SECONDS, now_unix);
      result = failure (GP_STAGE_VERIFY, GP_RESULT_STALE_TIMESTAMP, message, status, FALSE);
    }
  else
    {
      signed_message = g_byte_array_new ();
      g_byte_array_append (signed_message, (const guint8 *) headers->timestamp,
                           strlen (headers->timestamp));
      g_byte_array_append (signed_message, (const guint8 *) "\n", 1);
      g_byte_array_append (signed_message, (const guint8 *) headers->nonce,
                           strlen (headers->nonce));
      g_byte_array_append (signed_message, (const guint8 *) "\n", 1);
      if (len > 0)
        g_byte_array_append (signed_message, (const guint8 *) body, len);
      g_byte_array_append (signed_message, (const guint8 *) "\n", 1);

      if (!gp_signer_rsa_sha256_verify (verify_key, signed_message->data, signed_message->len,
                                        headers->signature, &error))
        {
          message = g_strdup_printf ("The %s response's Wechatpay-Signature does not verify "
                                     "with the profile's platform key: %s", api->name,
                                     error->message);
          result = failure (GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, message, status, FALSE);
        }
      else
        {
          root = parse_object (body, len);
          media_id = member_string (root ? json_node_get_object (root) : NULL, api->id_field);
          if (root == NULL)
            {
              message = g_strdup_printf ("The %s response is signed but is not a valid JSON "
                                         "object (truncated or malformed), so it has no %s",
                                         api->name, api->id_field);
              result = failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, message, status,
                                FALSE);
            }
          else if (media_id == NULL || media_id[0] == '\0')
            {
              message = g_strdup_printf ("The %s response is signed but has no %s",
                                         api->name, api->id_field);
              result = failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, message, status,
                                FALSE);
            }
          else
            {
              result = gp_upload_result_new_success (media_id, NULL);
              gp_upload_result_set_http_status (result, status);
            }
        }
    }

  if (headers->request_id != NULL)
    gp_upload_result_set_request_id (result, headers->request_id);

  return result;
}

/* ---- the GpGateway subclass (v3 and Global by its "kind") ------------ */

struct _GpWechatpayV3Gateway
{
  GpGateway parent_instance;
};

G_DEFINE_FINAL_TYPE (GpWechatpayV3Gateway, gp_wechatpay_v3_gateway, GP_TYPE_GATEWAY)

static GpHttpRequest *
gp_wechatpay_v3_gateway_build_request (GpGateway              *gateway,
                                             GpProfile              *profile,
                                             GpCheckReport          *report,
                                             const GpRequestOptions *options,
                                             GError                **error)
{
  GpGatewayCredentials creds;
  g_autoptr(GBytes) api_key = NULL;

  if (!gp_gateway_credentials_from_profile (gateway, profile, &creds, &api_key, error))
    return NULL;

  return gp_wechatpay_v3_build_request (gp_gateway_get_kind (gateway), &creds, report, options,
                                        error);
}

static GpUploadResult *
gp_wechatpay_v3_gateway_parse_response (GpGateway          *gateway,
                                        GpProfile          *profile,
                                        guint               status,
                                        SoupMessageHeaders *headers,
                                        GBytes             *body,
                                        gint64              now_unix)
{
  GpPublicKey *key = profile ? gp_profile_get_verify_key (profile) : NULL;
  GpWechatpayHeaders wh;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  gp_wechatpay_headers_from_soup (&wh, headers);
  if (key == NULL)
    {
      GpUploadResult *result = failure (GP_STAGE_VERIFY, GP_RESULT_NO_VERIFY_KEY,
                                        "The profile has no platform key to verify the "
                                        "response with", status, FALSE);

      if (wh.request_id != NULL)
        gp_upload_result_set_request_id (result, wh.request_id);
      return result;
    }

  return gp_wechatpay_v3_parse_response_bytes (gp_gateway_get_kind (gateway), status, &wh,
                                               data ? data : "", len,
                                               gp_public_key_get_gnutls (key),
                                               gp_profile_get_verify_serial (profile), now_unix);
}

static void
gp_wechatpay_v3_gateway_class_init (GpWechatpayV3GatewayClass *klass)
{
  GpGatewayClass *gateway_class = GP_GATEWAY_CLASS (klass);

  gateway_class->build_request = gp_wechatpay_v3_gateway_build_request;
  gateway_class->parse_response = gp_wechatpay_v3_gateway_parse_response;
}

static void
gp_wechatpay_v3_gateway_init (GpWechatpayV3Gateway *self)
{
}
