/* gp-gateway-alipay.c: alipay.offline.material.image.upload (RSA2)
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "gp-file-check.h"
#include "gp-gateway-drivers-private.h"
#include "gp-gateway-info.h"
#include "gp-key-private.h"
#include "gp-profile.h"

#define IMAGE_NAME_MAX_CHARS 128

/**
 * gp_alipay_format_timestamp:
 *
 * PROTOCOLS.md 1.1: `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8),
 * whatever the machine's zone (the SDKs that use local time get
 * `isv.invalid-timestamp`).
 *
 * Returns: (transfer full): the timestamp parameter
 */
char *
gp_alipay_format_timestamp (gint64 now_unix)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now_unix);
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (utc != NULL, NULL);

  local = g_date_time_to_timezone (utc, beijing);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/**
 * gp_form_urlencode:
 *
 * application/x-www-form-urlencoded, as Java's URLEncoder: alphanumerics
 * and `*-._` stay, space becomes `+`, every other byte `%XX`.
 *
 * Returns: (transfer full): the encoded value
 */
char *
gp_form_urlencode (const char *value)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (strlen (value) * 3 / 2 + 1);
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (out, *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0x0f]);
        }
    }

  return g_string_free (out, FALSE);
}

/* The user's own file name, valid UTF-8 (the request charset), at most
 * 128 characters as the API allows. */
static char *
image_name_for (const char *path)
{
  g_autofree char *display = g_filename_display_basename (path);

  if (g_utf8_strlen (display, -1) > IMAGE_NAME_MAX_CHARS)
    return g_utf8_substring (display, 0, IMAGE_NAME_MAX_CHARS);

  return g_steal_pointer (&display);
}

/**
 * gp_alipay_build_request:
 *
 * PROTOCOLS.md 1.1 and 1.2: system parameters and `sign` in the query,
 * `image_type`, `image_name`, [`image_pid`] and the `image_content` file
 * in the multipart body; the signature covers query and text parts.
 *
 * Returns: (transfer full): the request, or %NULL with @error
 */
GpHttpRequest *
gp_alipay_build_request (const GpGatewayCredentials *creds,
                         GpCheckReport              *report,
                         const GpRequestOptions     *options,
                         GError                    **error)
{
  static const char *exclude[] = { "sign", NULL };
  g_autofree char *timestamp = NULL;
  g_autofree char *image_name = NULL;
  g_autofree char *content = NULL;
  g_autofree char *sign = NULL;
  g_autofree char *base = NULL;
  g_autofree char *filename = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GpMultipart) body = NULL;
  g_autoptr(GString) url = NULL;
  GpHttpRequest *request;
  const char *image_type;
  const char *image_pid;
  GpFormat format;

  g_return_val_if_fail (creds != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (!gp_gateway_check_report (report, GP_GATEWAY_ALIPAY, error))
    return NULL;
  if (creds->app_id == NULL || creds->app_id[0] == '\0' || creds->private_key == NULL)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                           "The Alipay profile needs app_id and private_key");
      return NULL;
    }

  format = gp_check_report_get_format (report);
  image_type = gp_format_extension (format);
  image_name = image_name_for (gp_check_report_get_path (report));
  image_pid = creds->image_pid ? creds->image_pid : "";
  timestamp = gp_alipay_format_timestamp (gp_gateway_options_now (options));

  {
    /* Query order as PROTOCOLS.md's worked example; the sign content is
     * sorted anyway. */
    const GpSignParam params[] = {
      { "app_id", creds->app_id },
      { "method", GP_ALIPAY_METHOD },
      { "format", "JSON" },
      { "charset", "UTF-8" },
      { "sign_type", "RSA2" },
      { "timestamp", timestamp },
      { "version", "1.0" },
      { "image_type", image_type },
      { "image_name", image_name },
      { "image_pid", image_pid },
    };
    const guint n_system = 7;

    content = gp_signer_sign_content (params, G_N_ELEMENTS (params), exclude);
    sign = gp_signer_rsa_sha256_sign (creds->private_key, content, strlen (content),
                                      &local_error);
    if (sign == NULL)
      {
        g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FAILED,
                     "Could not sign the Alipay request: %s", local_error->message);
        return NULL;
      }

    base = gp_gateway_build_url (GP_GATEWAY_ALIPAY, creds->base_url);
    url = g_string_new (base);
    g_string_append_c (url, '?');
    for (guint i = 0; i < n_system; i++)
      {
        g_autofree char *value = gp_form_urlencode (params[i].value);

        g_string_append_printf (url, "%s=%s&", params[i].name, value);
      }
    {
      g_autofree char *value = gp_form_urlencode (sign);

      g_string_append_printf (url, "sign=%s", value);
    }
  }

  body = gp_multipart_new (options ? options->boundary : NULL);
  gp_multipart_add_text (body, "image_type", image_type, NULL);
  gp_multipart_add_text (body, "image_name", image_name, NULL);
  if (image_pid[0] != '\0')
    gp_multipart_add_text (body, "image_pid", image_pid, NULL);
  filename = gp_multipart_safe_filename (gp_check_report_get_path (report), format,
                                         gp_check_report_get_sha256 (report));
  gp_multipart_set_file (body, "image_content", filename, gp_format_mime_type (format), report);

  request = gp_http_request_new ("POST", url->str);
  gp_gateway_set_multipart_body (request, body);

  return request;
}

/* Finds `"<root>"` followed by `:` and `{` (JSON whitespace allowed). */
static gboolean
find_root (const char *body,
           gsize       len,
           const char *root,
           gsize      *value_begin)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", root);
  gsize qlen = strlen (quoted);
  const char *hit;
  gsize i;

  hit = g_strstr_len (body, len, quoted);
  if (hit == NULL)
    return FALSE;

  i = (hit - body) + qlen;
  while (i < len && g_ascii_isspace (body[i]))
    i++;
  if (i >= len || body[i] != ':')
    return FALSE;
  i++;
  while (i < len && g_ascii_isspace (body[i]))
    i++;
  if (i >= len || body[i] != '{')
    return FALSE;

  *value_begin = i;
  return TRUE;
}

/**
 * gp_alipay_extract_node:
 * @root: (out) (transfer none): the node found, the method's response or
 *   `error_response`
 * @begin: (out): offset of the node's `{`
 * @end: (out): offset just past its matching `}`
 *
 * PROTOCOLS.md 1.3: the signed content is the node's raw bytes. Braces
 * are counted outside strings; inside a string a backslash escapes the
 * next byte (so a quote ends the string only after an even number of
 * backslashes). A second occurrence of the node's name after it means a
 * spliced response and is refused, as the Java SDK does.
 *
 * Returns: %TRUE with the node's bounds, else %FALSE with a message
 */
gboolean
gp_alipay_extract_node (const char  *body,
                        gsize        len,
                        const char **root,
                        gsize       *begin,
                        gsize       *end,
                        GError     **error)
{
  const char *name = GP_ALIPAY_RESPONSE_NODE;
  gboolean in_string = FALSE;
  gsize depth = 0;
  gsize start = 0;

  g_return_val_if_fail (body != NULL || len == 0, FALSE);

  if (!find_root (body, len, name, &start))
    {
      name = GP_ALIPAY_ERROR_NODE;
      if (!find_root (body, len, name, &start))
        {
          g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                               "The response has neither " GP_ALIPAY_RESPONSE_NODE
                               " nor " GP_ALIPAY_ERROR_NODE);
          return FALSE;
        }
    }

  for (gsize i = start; i < len; i++)
    {
      char c = body[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{')
        depth++;
      else if (c == '}' && --depth == 0)
        {
          if (g_strstr_len (body + i + 1, len - i - 1, name) != NULL)
            {
              g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_SPLICED,
                           "The response contains %s more than once (a spliced response)",
                           name);
              return FALSE;
            }
          *root = name;
          *begin = start;
          *end = i + 1;
          return TRUE;
        }
    }

  g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
               "The response's %s object is not terminated", name);
  return FALSE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
is_empty (const char *s)
{
  return s == NULL || s[0] == '\0';
}

static JsonNode *
parse_json (const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "not a JSON object");
      return NULL;
    }

  return json_node_ref (root);
}

static GpUploadResult *
failure (GpStage     stage,
         const char *code,
         const char *message,
         const char *detail,
         gboolean    retryable)
{
  GpUploadResult *result = gp_upload_result_new_failure (stage, code, message);

  if (detail != NULL)
    gp_upload_result_set_detail (result, detail);
  gp_upload_result_set_retryable (result, retryable);
  gp_upload_result_set_http_status (result, 200);

  return result;
}

/* The gateway's own error: code = sub_code or code, the message joins msg
 * and sub_msg, and sub_msg (for isv.invalid-signature it carries the
 * gateway's signing string) goes to detail. */
static GpUploadResult *
gateway_error (JsonObject *node)
{
  const char *code = member_string (node, "code");
  const char *msg = member_string (node, "msg");
  const char *sub_code = member_string (node, "sub_code");
  const char *sub_msg = member_string (node, "sub_msg");
  g_autofree char *message = NULL;
  gboolean retryable;

  if (!is_empty (msg) && !is_empty (sub_msg))
    message = g_strdup_printf ("%s: %s", msg, sub_msg);
  else
    message = g_strdup (!is_empty (sub_msg) ? sub_msg
                        : !is_empty (msg) ? msg : "The Alipay gateway refused the upload");

  /* PROTOCOLS.md 5.4: only 20000 and SYSTEM_ERROR are worth a retry. */
  retryable = g_strcmp0 (code, "20000") == 0 || g_strcmp0 (sub_code, "SYSTEM_ERROR") == 0;

  return failure (GP_STAGE_GATEWAY,
                  !is_empty (sub_code) ? sub_code : !is_empty (code) ? code : "UNKNOWN_ERROR",
                  message, sub_msg, retryable);
}

static gboolean
verify_node (gnutls_pubkey_t   key,
             const char       *node,
             gsize             len,
             const char       *sign,
             GError          **error)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GString) unescaped = NULL;

  if (gp_signer_rsa_sha256_verify (key, node, len, sign, &first_error))
    return TRUE;

  /* The Java and PHP SDKs retry once with \/ unescaped. */
  if (first_error->code != GP_SIGNER_ERROR_MALFORMED && g_strstr_len (node, len, "\\/") != NULL)
    {
      unescaped = g_string_new_len (node, len);
      g_string_replace (unescaped, "\\/", "/", 0);
      if (gp_signer_rsa_sha256_verify (key, unescaped->str, unescaped->len, sign, NULL))
        return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (&first_error));
  return FALSE;
}

/**
 * gp_alipay_parse_response_bytes:
 * @verify_key: the profile's Alipay public key
 *
 * PROTOCOLS.md 1.3. Every value used (code, ids) comes from the raw node
 * that the signature covers, never from a re-parse of the whole body.
 *
 * Returns: (transfer full): the outcome
 */
GpUploadResult *
gp_alipay_parse_response_bytes (guint            status,
                                const char      *body,
                                gsize            len,
                                gnutls_pubkey_t  verify_key)
{
  g_autoptr(JsonNode) whole = NULL;
  g_autoptr(JsonNode) node_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *node;
  const char *root = NULL;
  const char *sign;
  const char *code;
  const char *sub_code;
  gboolean success;
  gsize begin = 0;
  gsize end = 0;

  g_return_val_if_fail (body != NULL || len == 0, NULL);
  g_return_val_if_fail (verify_key != NULL, NULL);

  if (status != 200)
    return gp_gateway_result_for_http_status (status);

  /* NUL is never valid JSON, and it would hide a duplicate node from the
   * byte scan. */
  if (len > 0 && memchr (body, '\0', len) != NULL)
    return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE,
                    "The Alipay response contains NUL bytes", NULL, FALSE);

  whole = parse_json (body, len, &error);
  if (whole == NULL)
    {
      message = g_strdup_printf ("The Alipay response is not valid JSON: %s", error->message);
      return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, message, NULL, FALSE);
    }

  if (!gp_alipay_extract_node (body, len, &root, &begin, &end, &error))
    {
      gboolean spliced = g_error_matches (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_SPLICED);

      message = g_strdup_printf ("The Alipay response cannot be trusted: %s", error->message);
      return failure (spliced ? GP_STAGE_VERIFY : GP_STAGE_GATEWAY,
                      spliced ? GP_RESULT_DUPLICATE_NODE : GP_RESULT_INVALID_RESPONSE,
                      message, NULL, FALSE);
    }

  node_root = parse_json (body + begin, end - begin, &error);
  if (node_root == NULL)
    {
      message = g_strdup_printf ("The Alipay response's %s is not a JSON object: %s",
                                 root, error->message);
      return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE, message, NULL, FALSE);
    }
  node = json_node_get_object (node_root);

  sign = member_string (json_node_get_object (whole), "sign");
  code = member_string (node, "code");
  sub_code = member_string (node, "sub_code");
  success = g_strcmp0 (code, "10000") == 0 && is_empty (sub_code);

  if (is_empty (sign))
    {
      if (success)
        return failure (GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE,
                        "The Alipay response reports success but carries no sign; "
                        "its image_id is not trusted", NULL, FALSE);
      /* An unsigned error is a plain gateway error (Java SDK rule). */
      return gateway_error (node);
    }

  if (!verify_node (verify_key, body + begin, end - begin, sign, &error))
    {
      message = g_strdup_printf ("The Alipay response's sign does not verify with the "
                                 "profile's alipay_public_key (%s); check that it is Alipay's "
                                 "public key, not the app's", error->message);
      return failure (GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, message,
                      member_string (node, "sub_msg"), FALSE);
    }

  if (!success)
    return gateway_error (node);

  if (is_empty (member_string (node, "image_id")))
    return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE,
                    "The Alipay response reports success but has no image_id", NULL, FALSE);

  {
    GpUploadResult *result = gp_upload_result_new_success (member_string (node, "image_id"),
                                                           member_string (node, "image_url"));

    gp_upload_result_set_http_status (result, 200);
    return result;
  }
}

/* ---- the GpGateway subclass ------------------------------------------ */

struct _GpAlipayGateway
{
  GpGateway parent_instance;
};

G_DEFINE_FINAL_TYPE (GpAlipayGateway, gp_alipay_gateway, GP_TYPE_GATEWAY)

static GpHttpRequest *
gp_alipay_gateway_build_request (GpGateway              *gateway,
                                 GpProfile              *profile,
                                 GpCheckReport          *report,
                                 const GpRequestOptions *options,
                                 GError                **error)
{
  GpGatewayCredentials creds;
  g_autoptr(GBytes) api_key = NULL;

  if (!gp_gateway_credentials_from_profile (gateway, profile, &creds, &api_key, error))
    return NULL;

  return gp_alipay_build_request (&creds, report, options, error);
}

static GpUploadResult *
gp_alipay_gateway_parse_response (GpGateway          *gateway,
                                  GpProfile          *profile,
                                  guint               status,
                                  SoupMessageHeaders *headers,
                                  GBytes             *body,
                                  gint64              now_unix)
{
  GpPublicKey *key = profile ? gp_profile_get_verify_key (profile) : NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (key == NULL)
    return failure (GP_STAGE_VERIFY, GP_RESULT_NO_VERIFY_KEY,
                    "The profile has no alipay_public_key to verify the response with",
                    NULL, FALSE);

  return gp_alipay_parse_response_bytes (status, data ? data : "", len,
                                         gp_public_key_get_gnutls (key));
}

static void
gp_alipay_gateway_class_init (GpAlipayGatewayClass *klass)
{
  GpGatewayClass *gateway_class = GP_GATEWAY_CLASS (klass);

  gateway_class->build_request = gp_alipay_gateway_build_request;
  gateway_class->parse_response = gp_alipay_gateway_parse_response;
}

static void
gp_alipay_gateway_init (GpAlipayGateway *self)
{
}
