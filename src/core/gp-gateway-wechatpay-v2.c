/* gp-gateway-wechatpay-v2.c: WeChat Pay v2 secapi/mch/uploadmedia (MD5/HMAC-SHA256, XML)
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "gp-file-check.h"
#include "gp-gateway-drivers-private.h"
#include "gp-gateway-info.h"
#include "gp-key-private.h"
#include "gp-profile.h"

/* A real answer is a few hundred bytes; anything near this is hostile. */
#define V2_XML_MAX_BYTES 65536
#define V2_XML_MAX_FIELDS 64

/**
 * gp_wechatpay_v2_build_request:
 *
 * PROTOCOLS.md 2.1 and 2.2: text parts `mch_id`, `media_hash` (lower-case
 * MD5), `sign_type` (only for HMAC-SHA256), `sign`, then the `media` file;
 * no query. The client certificate is the transport's business.
 *
 * Returns: (transfer full): the request, or %NULL with @error
 */
GpHttpRequest *
gp_wechatpay_v2_build_request (const GpGatewayCredentials *creds,
                               GpCheckReport              *report,
                               const GpRequestOptions     *options,
                               GError                    **error)
{
  static const char *exclude[] = { "sign", "media", NULL };
  g_autofree char *content = NULL;
  g_autofree char *sign = NULL;
  g_autofree char *url = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *media_hash = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GpMultipart) body = NULL;
  const char *sign_type;
  GpHttpRequest *request;
  GpFormat format;

  g_return_val_if_fail (creds != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (!gp_gateway_check_report (report, GP_GATEWAY_WECHATPAY_V2, error))
    return NULL;
  if (creds->mch_id == NULL || creds->mch_id[0] == '\0' || creds->api_key == NULL ||
      g_bytes_get_size (creds->api_key) == 0)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_PROFILE,
                           "The WeChat Pay v2 profile needs mch_id and api_key");
      return NULL;
    }

  /* "注意小写": the hash is lower-case hex. */
  media_hash = g_ascii_strdown (gp_check_report_get_md5 (report), -1);
  sign_type = creds->sign_type == GP_V2_SIGN_HMAC_SHA256
              ? gp_v2_sign_type_to_string (GP_V2_SIGN_HMAC_SHA256) : NULL;

  {
    const GpSignParam params[] = {
      { "mch_id", creds->mch_id },
      { "media_hash", media_hash },
      { "sign_type", sign_type },
    };

    content = gp_signer_sign_content (params, G_N_ELEMENTS (params), exclude);
  }
  sign = gp_signer_v2_sign (creds->sign_type, content, creds->api_key, &local_error);
  if (sign == NULL)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_FAILED,
                   "Could not sign the WeChat Pay v2 request: %s", local_error->message);
      return NULL;
    }

  format = gp_check_report_get_format (report);
  body = gp_multipart_new (options ? options->boundary : NULL);
  gp_multipart_add_text (body, "mch_id", creds->mch_id, NULL);
  gp_multipart_add_text (body, "media_hash", media_hash, NULL);
  if (sign_type != NULL)
    gp_multipart_add_text (body, "sign_type", sign_type, NULL);
  gp_multipart_add_text (body, "sign", sign, NULL);
  filename = gp_multipart_safe_filename (gp_check_report_get_path (report), format,
                                         gp_check_report_get_sha256 (report));
  gp_multipart_set_file (body, "media", filename, gp_format_mime_type (format), report);

  url = gp_gateway_build_url (GP_GATEWAY_WECHATPAY_V2, creds->base_url);
  request = gp_http_request_new ("POST", url);
  gp_gateway_set_multipart_body (request, body);

  return request;
}

static gboolean
contains_ascii_ci (const char *data,
                   gsize       len,
                   const char *needle)
{
  gsize nlen = strlen (needle);

  for (gsize i = 0; i + nlen <= len; i++)
    if (g_ascii_strncasecmp (data + i, needle, nlen) == 0)
      return TRUE;
  return FALSE;
}

static gpointer
init_libxml (gpointer data)
{
  xmlInitParser ();
  return NULL;
}

static gboolean
element_is_flat (xmlNode *element)
{
  for (xmlNode *n = element->children; n != NULL; n = n->next)
    if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
      return FALSE;
  return TRUE;
}

static gboolean
collect_fields (xmlNode    *root,
                GPtrArray  *fields,
                GError    **error)
{
  for (xmlNode *n = root->children; n != NULL; n = n->next)
    {
      xmlChar *content;

      switch (n->type)
        {
        case XML_ELEMENT_NODE:
          break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
        case XML_COMMENT_NODE:
          continue;
        case XML_ATTRIBUTE_NODE:
        case XML_ENTITY_REF_NODE:
        case XML_ENTITY_NODE:
        case XML_PI_NODE:
        case XML_DOCUMENT_NODE:
        case XML_DOCUMENT_TYPE_NODE:
        case XML_DOCUMENT_FRAG_NODE:
        case XML_NOTATION_NODE:
        case XML_HTML_DOCUMENT_NODE:
        case XML_DTD_NODE:
        case XML_ELEMENT_DECL:
        case XML_ATTRIBUTE_DECL:
        case XML_ENTITY_DECL:
        case XML_NAMESPACE_DECL:
        case XML_XINCLUDE_START:
        case XML_XINCLUDE_END:
#ifdef LIBXML_DOCB_ENABLED
        case XML_DOCB_DOCUMENT_NODE:
#endif
        default:
          g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                       "The XML response contains an unexpected node (type %d)", (int) n->type);
          return FALSE;
        }

      if (!element_is_flat (n))
        {
          g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                       "The XML response's <%s> is not a plain value", (const char *) n->name);
          return FALSE;
        }
      for (guint i = 0; i < fields->len; i += 2)
        if (strcmp (g_ptr_array_index (fields, i), (const char *) n->name) == 0)
          {
            g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_SPLICED,
                         "The XML response contains <%s> twice", (const char *) n->name);
            return FALSE;
          }
      if (fields->len / 2 >= V2_XML_MAX_FIELDS)
        {
          g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                               "The XML response has too many fields");
          return FALSE;
        }

      content = xmlNodeGetContent (n);
      g_ptr_array_add (fields, g_strdup ((const char *) n->name));
      g_ptr_array_add (fields, g_strdup (content ? (const char *) content : ""));
      xmlFree (content);
    }

  return TRUE;
}

/**
 * gp_wechatpay_v2_parse_xml:
 *
 * Parses `<xml><name>value</name>…</xml>` with libxml2, hardened: at most
 * 64 KiB of UTF-8 (whatever the declaration says); any DOCTYPE or ENTITY declaration is refused before parsing
 * (billion laughs, external entities); no network, no DTD loading, no
 * entity substitution; a document that still carries a DTD, nested
 * elements, entity references or a repeated field is refused.
 *
 * Returns: (transfer full) (element-type utf8): name, value, name, value,
 *   …; or %NULL with a %GP_GATEWAY_ERROR
 */
GPtrArray *
gp_wechatpay_v2_parse_xml (const char  *body,
                           gsize        len,
                           GError     **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(GPtrArray) fields = NULL;
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  xmlNode *root;
  gboolean ok;

  g_return_val_if_fail (body != NULL || len == 0, NULL);

  if (len == 0 || len > V2_XML_MAX_BYTES)
    {
      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                   "The XML response is empty or larger than %d bytes", V2_XML_MAX_BYTES);
      return NULL;
    }
  /* The document is parsed as UTF-8 whatever it declares, so a DOCTYPE
   * cannot hide in UTF-16, UTF-7 or EBCDIC; then these ASCII checks see
   * every declaration there is. */
  if (memchr (body, '\0', len) != NULL)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                           "The XML response contains NUL bytes (not UTF-8)");
      return NULL;
    }
  if (contains_ascii_ci (body, len, "<!DOCTYPE") || contains_ascii_ci (body, len, "<!ENTITY"))
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                           "The XML response contains a DOCTYPE or ENTITY declaration; "
                           "refused without parsing");
      return NULL;
    }

  g_once (&once, init_libxml, NULL);

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                           "Out of memory parsing the XML response");
      return NULL;
    }
  /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE. */
  doc = xmlCtxtReadMemory (ctxt, body, (int) len, NULL, "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      const xmlError *xe = xmlCtxtGetLastError (ctxt);
      g_autofree char *why = g_strstrip (g_strdup (xe && xe->message ? xe->message
                                                                    : "unknown error"));

      g_set_error (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                   "The response is not well-formed XML: %s", why);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }

  fields = g_ptr_array_new_with_free_func (g_free);
  root = xmlDocGetRootElement (doc);
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                           "The XML response carries a DTD; refused");
      ok = FALSE;
    }
  else if (root == NULL || strcmp ((const char *) root->name, "xml") != 0)
    {
      g_set_error_literal (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_RESPONSE,
                           "The XML response's root element is not <xml>");
      ok = FALSE;
    }
  else
    ok = collect_fields (root, fields, error);

  xmlFreeDoc (doc);
  xmlFreeParserCtxt (ctxt);

  return ok ? g_steal_pointer (&fields) : NULL;
}

static const char *
field (GPtrArray  *fields,
       const char *name)
{
  for (guint i = 0; i + 1 < fields->len; i += 2)
    if (strcmp (g_ptr_array_index (fields, i), name) == 0)
      return g_ptr_array_index (fields, i + 1);
  return NULL;
}

static GpUploadResult *
failure (GpStage     stage,
         const char *code,
         const char *message,
         gboolean    retryable)
{
  GpUploadResult *result = gp_upload_result_new_failure (stage, code, message);

  gp_upload_result_set_retryable (result, retryable);
  gp_upload_result_set_http_status (result, 200);

  return result;
}

/* PROTOCOLS.md 2.3: every returned field except sign, empty ones skipped,
 * unknown extra fields included. */
static char *
response_sign_content (GPtrArray *fields)
{
  static const char *exclude[] = { "sign", NULL };
  g_autofree GpSignParam *params = g_new0 (GpSignParam, fields->len / 2 + 1);

  for (guint i = 0; i + 1 < fields->len; i += 2)
    {
      params[i / 2].name = g_ptr_array_index (fields, i);
      params[i / 2].value = g_ptr_array_index (fields, i + 1);
    }

  return gp_signer_sign_content (params, fields->len / 2, exclude);
}

/**
 * gp_wechatpay_v2_parse_response_bytes:
 * @api_key: the profile's API v2 key
 *
 * `return_code` FAIL is an unsigned communication failure (stage gateway,
 * code RETURN_FAIL); SUCCESS must carry a valid sign (stage verify
 * otherwise); then `result_code` SUCCESS with a `media_id` is the only
 * success, FAIL gives `err_code`.
 *
 * Returns: (transfer full): the outcome
 */
GpUploadResult *
gp_wechatpay_v2_parse_response_bytes (guint        status,
                                      const char  *body,
                                      gsize        len,
                                      GBytes      *api_key)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *content = NULL;
  const char *return_code;
  const char *result_code;
  const char *err_code;
  const char *media_id;

  g_return_val_if_fail (body != NULL || len == 0, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  if (status != 200)
    return gp_gateway_result_for_http_status (status);

  fields = gp_wechatpay_v2_parse_xml (body, len, &error);
  if (fields == NULL)
    {
      gboolean spliced = g_error_matches (error, GP_GATEWAY_ERROR, GP_GATEWAY_ERROR_SPLICED);

      message = g_strdup_printf ("The WeChat Pay v2 response was refused: %s", error->message);
      return failure (spliced ? GP_STAGE_VERIFY : GP_STAGE_GATEWAY,
                      spliced ? GP_RESULT_DUPLICATE_NODE : GP_RESULT_INVALID_RESPONSE,
                      message, FALSE);
    }

  return_code = field (fields, "return_code");
  if (g_strcmp0 (return_code, "FAIL") == 0)
    {
      const char *return_msg = field (fields, "return_msg");

      return failure (GP_STAGE_GATEWAY, GP_RESULT_RETURN_FAIL,
                      return_msg && return_msg[0] ? return_msg
                      : "The WeChat Pay v2 gateway answered return_code FAIL", FALSE);
    }
  if (g_strcmp0 (return_code, "SUCCESS") != 0)
    return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE,
                    "The WeChat Pay v2 response has no valid return_code", FALSE);

  if (field (fields, "sign") == NULL || field (fields, "sign")[0] == '\0')
    return failure (GP_STAGE_VERIFY, GP_RESULT_MISSING_SIGNATURE,
                    "The WeChat Pay v2 response has return_code SUCCESS but no sign; "
                    "it is not trusted", FALSE);

  content = response_sign_content (fields);
  if (!gp_signer_v2_verify (content, api_key, field (fields, "sign"), &error))
    {
      message = g_strdup_printf ("The WeChat Pay v2 response's sign does not verify with the "
                                 "profile's api_key: %s", error->message);
      return failure (GP_STAGE_VERIFY, GP_RESULT_INVALID_SIGNATURE, message, FALSE);
    }

  result_code = field (fields, "result_code");
  media_id = field (fields, "media_id");
  if (g_strcmp0 (result_code, "SUCCESS") == 0)
    {
      GpUploadResult *result;

      if (media_id == NULL || media_id[0] == '\0')
        return failure (GP_STAGE_GATEWAY, GP_RESULT_INVALID_RESPONSE,
                        "The WeChat Pay v2 response reports success but has no media_id",
                        FALSE);
      result = gp_upload_result_new_success (media_id, NULL);
      gp_upload_result_set_http_status (result, 200);
      return result;
    }

  err_code = field (fields, "err_code");
  if (err_code == NULL || err_code[0] == '\0')
    err_code = "RESULT_FAIL";
  message = g_strdup (field (fields, "err_code_des") && field (fields, "err_code_des")[0]
                      ? field (fields, "err_code_des")
                      : "The WeChat Pay v2 gateway refused the upload");

  /* PROTOCOLS.md 5.4 */
  return failure (GP_STAGE_GATEWAY, err_code, message,
                  strcmp (err_code, "SYSTEMERROR") == 0 ||
                  strcmp (err_code, "SYSTEM_ERROR") == 0 ||
                  strcmp (err_code, "FREQUENCY_LIMITED") == 0);
}

/* ---- the GpGateway subclass ------------------------------------------ */

struct _GpWechatpayV2Gateway
{
  GpGateway parent_instance;
};

G_DEFINE_FINAL_TYPE (GpWechatpayV2Gateway, gp_wechatpay_v2_gateway, GP_TYPE_GATEWAY)

static GpHttpRequest *
gp_wechatpay_v2_gateway_build_request (GpGateway              *gateway,
                                       GpProfile              *profile,
                                       GpCheckReport          *report,
                                       const GpRequestOptions *options,
                                       GError                **error)
{
  GpGatewayCredentials creds;
  g_autoptr(GBytes) api_key = NULL;

  if (!gp_gateway_credentials_from_profile (gateway, profile, &creds, &api_key, error))
    return NULL;

  return gp_wechatpay_v2_build_request (&creds, report, options, error);
}

static GpUploadResult *
gp_wechatpay_v2_gateway_parse_response (GpGateway          *gateway,
                                        GpProfile          *profile,
                                        guint               status,
                                        SoupMessageHeaders *headers,
                                        GBytes             *body,
                                        gint64              now_unix)
{
  g_autoptr(GBytes) api_key = profile ? gp_profile_dup_api_key (profile) : NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (api_key == NULL || g_bytes_get_size (api_key) == 0)
    return failure (GP_STAGE_VERIFY, GP_RESULT_NO_VERIFY_KEY,
                    "The profile has no api_key to verify the response with", FALSE);

  return gp_wechatpay_v2_parse_response_bytes (status, data ? data : "", len, api_key);
}

static void
gp_wechatpay_v2_gateway_class_init (GpWechatpayV2GatewayClass *klass)
{
  GpGatewayClass *gateway_class = GP_GATEWAY_CLASS (klass);

  gateway_class->build_request = gp_wechatpay_v2_gateway_build_request;
  gateway_class->parse_response = gp_wechatpay_v2_gateway_parse_response;
}

static void
gp_wechatpay_v2_gateway_init (GpWechatpayV2Gateway *self)
{
}
