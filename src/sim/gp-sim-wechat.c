/* gp-sim-wechat.c: strict simulation of WeChat Pay v2, v3 and Global uploads
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules: PROTOCOLS.md sections 2, 3, 4 and the checklist in section 8.
 */

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "gp-file-check.h"
#include "gp-gateway-info.h"
#include "gp-sim-multipart.h"
#include "gp-sim-private.h"

/* ---- v2 ------------------------------------------------------------------ */

static const char *
v2_sign_type (GpSimExchange *ex)
{
  const char *t = g_object_get_data (G_OBJECT (ex->msg), "gp-sim-sign-type");

  return t != NULL ? t : "MD5";
}

/* <xml> with every value in CDATA; signed with the request's sign type
 * unless unsigned (return_code FAIL is never signed). */
static void
v2_write (GpSimExchange *ex,
          GPtrArray     *fields,
          gboolean       sign,
          const char    *media_id_markup)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *signature = NULL;

  if (sign)
    {
      g_autofree char *bad_key = g_strconcat (ex->fx->v2_api_key, "x", NULL);

      signature = gp_sim_v2_sign (fields, ex->fault == GP_SIM_FAULT_BAD_SIGNATURE
                                          ? bad_key : ex->fx->v2_api_key,
                                  v2_sign_type (ex));
      explicit_bzero (bad_key, strlen (bad_key));
    }
  if (ex->fault == GP_SIM_FAULT_XML_EXTERNAL_ENTITY)
    g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n");
  else if (ex->fault == GP_SIM_FAULT_XML_BILLION_LAUGHS)
    {
      g_string_append (out, "<?xml version=\"1.0\"?>\n<!DOCTYPE xml [\n"
                            " <!ENTITY lol \"lol\">\n"
                            " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
      for (int i = 2; i <= 9; i++)
        {
          g_string_append_printf (out, " <!ENTITY lol%d \"", i);
          for (int j = 0; j < 10; j++)
            g_string_append_printf (out, "&lol%d;", i - 1);
          g_string_append (out, "\">\n");
        }
      g_string_append (out, "]>\n");
    }
  g_string_append (out, "<xml>");
  for (guint i = 0; i < fields->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (fields, i);

      if (media_id_markup != NULL && g_str_equal (p->name, "media_id"))
        g_string_append_printf (out, "<media_id>%s</media_id>", media_id_markup);
      else
        g_string_append_printf (out, "<%s><![CDATA[%s]]></%s>", p->name, p->value, p->name);
    }
  if (signature != NULL && ex->fault != GP_SIM_FAULT_MISSING_SIGNATURE)
    g_string_append_printf (out, "<sign><![CDATA[%s]]></sign>", signature);
  g_string_append (out, "</xml>");
  gp_sim_exchange_set_reply (ex, SOUP_STATUS_OK, "text/xml; charset=utf-8", out->str);
}

/* return_code SUCCESS, result_code FAIL: a business error, signed. */
static gboolean
v2_fail (GpSimExchange *ex,
         const char    *err_code,
         const char    *err_code_des)
{
  g_autoptr(GPtrArray) f = gp_sim_params_new ();

  gp_sim_params_add (f, "return_code", "SUCCESS");
  gp_sim_params_add (f, "return_msg", "OK");
  gp_sim_params_add (f, "mch_id", ex->fx->v2_mch_id);
  gp_sim_params_add (f, "result_code", "FAIL");
  gp_sim_params_add (f, "err_code", err_code);
  gp_sim_params_add (f, "err_code_des", err_code_des);
  v2_write (ex, f, TRUE, NULL);
  gp_sim_exchange_set_result (ex, err_code, err_code_des);
  return FALSE;
}

/* return_code FAIL: communication-level failure, never signed. */
static gboolean
v2_return_fail (GpSimExchange *ex,
                const char    *return_msg,
                const char    *err_code)
{
  g_autoptr(GPtrArray) f = gp_sim_params_new ();

  gp_sim_params_add (f, "return_code", "FAIL");
  gp_sim_params_add (f, "return_msg", return_msg);
  if (err_code != NULL)
    gp_sim_params_add (f, "err_code", err_code);
  v2_write (ex, f, FALSE, NULL);
  gp_sim_exchange_set_result (ex, err_code ? err_code : "RETURN_FAIL", return_msg);
  return FALSE;
}

static gboolean
is_lower_hex (const char *s,
              gsize       len)
{
  if (strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  return TRUE;
}

gboolean
gp_sim_v2_check (GpSimExchange *ex)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (ex->msg);
  GTlsCertificate *peer = ex->peer_certificate;
  g_autoptr(GPtrArray) fields = gp_sim_params_new ();
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *md5 = NULL;
  const char *sign_type;
  const char *mch_id;
  const char *media_hash;
  const char *sign;
  GpSimPart *media = NULL;
  GpFormat format;

  if (!g_str_equal (soup_server_message_get_method (ex->msg), "POST"))
    return v2_fail (ex, "INVALID_REQUEST", "HTTP GET method not supported");
  if (peer == NULL)
    return v2_fail (ex, "INVALID_REQUEST", "Certificate is required");
  if (!g_tls_certificate_is_same (peer, ex->fx->v2_client_certificate))
    return v2_fail (ex, "INVALID_REQUEST",
                    "Certificate verification is failed: not the merchant's API certificate");

  boundary = gp_sim_multipart_boundary (soup_message_headers_get_one (h, "Content-Type"));
  if (boundary == NULL)
    return v2_fail (ex, "INVALID_REQUEST",
                    "Content-Type must be multipart/form-data with a boundary");
  parts = gp_sim_multipart_parse (ex->body, ex->body_len, boundary, &error);
  if (parts == NULL)
    {
      g_autofree char *m = g_strdup_printf ("Invalid multipart body: %s", error->message);

      return v2_fail (ex, "INVALID_REQUEST", m);
    }
  for (guint i = 0; i < parts->len; i++)
    {
      GpSimPart *part = g_ptr_array_index (parts, i);

      /* media is not signed; everything else is a text field */
      if (g_str_equal (part->name, "media"))
        {
          media = part;
          continue;
        }
      {
        g_autofree char *value = g_strndup ((const char *) part->data, part->len);

        gp_sim_params_add (fields, part->name, value);
      }
    }

  sign_type = gp_sim_params_lookup (fields, "sign_type");
  if (sign_type != NULL && *sign_type != '\0'
      && !g_str_equal (sign_type, "MD5") && !g_str_equal (sign_type, "HMAC-SHA256"))
    return v2_fail (ex, "PARAM_ERROR", "sign_type has invalid format (MD5 or HMAC-SHA256)");
  if (sign_type != NULL && *sign_type != '\0')
    g_object_set_data_full (G_OBJECT (ex->msg), "gp-sim-sign-type", g_strdup (sign_type),
                            g_free);
  mch_id = gp_sim_params_lookup (fields, "mch_id");
  media_hash = gp_sim_params_lookup (fields, "media_hash");
  sign = gp_sim_params_lookup (fields, "sign");
  if (mch_id == NULL || *mch_id == '\0')
    return v2_fail (ex, "PARAM_ERROR", "mch_id has invalid format");
  if (!g_str_equal (mch_id, ex->fx->v2_mch_id))
    return v2_fail (ex, "PARAM_ERROR", "Merchant ID error, please check the merchant ID");
  if (sign == NULL || *sign == '\0')
    return v2_return_fail (ex, "签名错误：缺少sign", "SIGNERROR");
  expected = gp_sim_v2_sign (fields, ex->fx->v2_api_key, sign_type);
  if (expected == NULL || !g_str_equal (expected, sign))
    return v2_return_fail (ex, "签名错误", "SIGNERROR");

  if (media == NULL || media->filename == NULL)
    return v2_fail (ex, "PARAM_ERROR", "media has invalid format: the file part is missing");
  ex->filename = g_strdup (media->filename);
  ex->file_size = media->len;
  ex->sha256 = gp_sim_digest_hex (GNUTLS_DIG_SHA256, media->data, media->len, FALSE);
  md5 = gp_sim_digest_hex (GNUTLS_DIG_MD5, media->data, media->len, FALSE);
  if (media_hash == NULL || !is_lower_hex (media_hash, 32) || !g_str_equal (md5, media_hash))
    return v2_fail (ex, "PARAM_ERROR", "Image Hash value error, please check and retry.");
  if (media->len > gp_gateway_largest_size (GP_GATEWAY_WECHATPAY_V2))
    return v2_fail (ex, "PARAM_ERROR", "The image size should be less than 2M.");
  format = media->len > 0 ? gp_sniff_format (media->data, media->len) : GP_FORMAT_UNKNOWN;
  if (!gp_gateway_accepts (GP_GATEWAY_WECHATPAY_V2, format))
    return v2_fail (ex, "PARAM_ERROR", "The image format is wrong, please check and retry.");
  return TRUE;
}

void
gp_sim_v2_reply (GpSimExchange *ex)
{
  g_autoptr(GPtrArray) f = gp_sim_params_new ();
  g_autofree char *media_id = gp_sim_media_token ("wechatpay-v2", ex->sha256, 32);

  switch (ex->fault)
    {
    case GP_SIM_FAULT_HTTP_500:
      gp_sim_exchange_set_reply (ex, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html",
                                 "<html><body><h1>500 Internal Server Error</h1></body></html>");
      gp_sim_exchange_set_result (ex, "HTTP_500", NULL);
      return;
    case GP_SIM_FAULT_HTTP_429:
      gp_sim_exchange_set_reply (ex, 429, "text/html",
                                 "<html><body><h1>429 Too Many Requests</h1></body></html>");
      gp_sim_exchange_set_result (ex, "HTTP_429", NULL);
      return;
    case GP_SIM_FAULT_SYSTEM_ERROR:
      v2_fail (ex, "SYSTEMERROR", "系统错误，请稍后重试");
      return;
    case GP_SIM_FAULT_FREQUENCY_LIMITED:
      v2_fail (ex, "FREQUENCY_LIMITED", "频率限制，请降低请求频率");
      return;
    case GP_SIM_FAULT_NONE:
    case GP_SIM_FAULT_BAD_SIGNATURE:
    case GP_SIM_FAULT_MISSING_SIGNATURE:
    case GP_SIM_FAULT_WRONG_SERIAL:
    case GP_SIM_FAULT_STALE_TIMESTAMP:
    case GP_SIM_FAULT_DELAY:
    case GP_SIM_FAULT_DROP:
    case GP_SIM_FAULT_MALFORMED:
    case GP_SIM_FAULT_OVERSIZED:
    case GP_SIM_FAULT_XML_EXTERNAL_ENTITY:
    case GP_SIM_FAULT_XML_BILLION_LAUGHS:
    case GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE:
    case GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE:
    case GP_SIM_FAULT_UNSIGNED_401:
    case GP_SIM_FAULT_MISDIRECTED_421:
    case GP_SIM_N_FAULTS:
    default:
      break;
    }
  ex->media_id = g_strdup (media_id);
  gp_sim_exchange_set_result (ex, "SUCCESS", NULL);
  gp_sim_params_add (f, "return_code", "SUCCESS");
  gp_sim_params_add (f, "return_msg", "OK");
  gp_sim_params_add (f, "result_code", "SUCCESS");
  gp_sim_params_add (f, "media_id", media_id);
  v2_write (ex, f, TRUE,
            ex->fault == GP_SIM_FAULT_XML_EXTERNAL_ENTITY ? "&xxe;"
            : ex->fault == GP_SIM_FAULT_XML_BILLION_LAUGHS ? "&lol9;" : NULL);
}

/* ---- v3 and Global ------------------------------------------------------- */

static void
v3_error (GpSimExchange *ex,
          guint          status,
          const char    *code,
          const char    *message,
          JsonNode      *detail)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  if (detail != NULL)
    {
      json_builder_set_member_name (b, "detail");
      json_builder_add_value (b, detail);
    }
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  gp_sim_exchange_set_reply (ex, status, "application/json", text);
  gp_sim_exchange_set_result (ex, code, message);
}

static gboolean
v3_reject (GpSimExchange *ex,
           guint          status,
           const char    *code,
           const char    *message)
{
  v3_error (ex, status, code, message, NULL);
  return FALSE;
}

#define AUTH_FORMAT_ERROR "Http头Authorization值格式错误,请参考《微信支付商户REST API签名规则》"

/* `WECHATPAY2-SHA256-RSA2048 k="v",k="v",…`: one space after the scheme,
 * no spaces around ',' or '=', values quoted, the five keys exactly once,
 * any order (PROTOCOLS.md 3.2). */
static GHashTable *
parse_authorization (const char *value)
{
  static const char scheme[] = "WECHATPAY2-SHA256-RSA2048 ";
  static const char *const keys[] = { "mchid", "nonce_str", "timestamp", "serial_no",
                                      "signature", NULL };
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p;

  if (value == NULL || !g_str_has_prefix (value, scheme))
    return NULL;
  p = value + strlen (scheme);
  while (*p != '\0')
    {
      const char *eq = strchr (p, '=');
      const char *close;
      g_autofree char *key = NULL;

      if (eq == NULL || eq == p || eq[1] != '"')
        return NULL;
      key = g_strndup (p, eq - p);
      if (!g_strv_contains (keys, key) || g_hash_table_contains (pairs, key))
        return NULL;
      close = strchr (eq + 2, '"');
      if (close == NULL)
        return NULL;
      g_hash_table_insert (pairs, g_steal_pointer (&key), g_strndup (eq + 2, close - eq - 2));
      p = close + 1;
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            return NULL;
        }
      else if (*p != '\0')
        return NULL;
    }
  if (g_hash_table_size (pairs) != g_strv_length ((char **) keys))
    return NULL;
  return g_steal_pointer (&pairs);
}

static JsonNode *
sign_error_detail (const char *message,
                   const char *url)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *truncated = g_utf8_make_valid (message, MIN (strlen (message), 1024));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "detail");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "issue");
  json_builder_add_string_value (b, "sign not match");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, "signature");
  json_builder_set_member_name (b, "location");
  json_builder_add_string_value (b, "authorization");
  json_builder_set_member_name (b, "sign_information");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "POST");
  json_builder_set_member_name (b, "sign_message_length");
  json_builder_add_int_value (b, strlen (message));
  json_builder_set_member_name (b, "truncated_sign_message");
  json_builder_add_string_value (b, truncated);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
has_4_byte_utf8 (const char *s)
{
  for (; *s != '\0'; s++)
    if (((guchar) *s & 0xf8) == 0xf0)
      return TRUE;
  return FALSE;
}

/* Chooses the key that signs the reply from the request's Wechatpay-Serial:
 * the public-key ID or the platform certificate's serial; anything else
 * (or nothing) gets the default public key, and the client must notice. */
static void
choose_reply_key (GpSimExchange *ex)
{
  const char *want = soup_message_headers_get_one (
    soup_server_message_get_request_headers (ex->msg), "Wechatpay-Serial");

  g_free (ex->wechat_serial);
  if (want != NULL && gp_sim_serial_equal (want, ex->fx->platform_serial))
    {
      ex->wechat_key = ex->fx->platform_private;
      ex->wechat_serial = g_strdup (ex->fx->platform_serial);
    }
  else
    {
      ex->wechat_key = ex->fx->pub_key_private;
      ex->wechat_serial = g_strdup (ex->fx->pub_key_id);
    }
}

static gboolean
extension_ok (const char *filename,
              gboolean    global)
{
  const char *dot = strrchr (filename, '.');

  if (dot == NULL)
    return FALSE;
  dot++;
  return g_str_equal (dot, "jpg") || g_str_equal (dot, "png") || g_str_equal (dot, "bmp")
         || (global && g_str_equal (dot, "pdf"));
}

static gboolean
v3_check_file (GpSimExchange *ex,
               JsonObject    *meta,
               GpSimPart     *file,
               gboolean       global)
{
  const char *bad = global ? "INVALID_REQUEST" : "PARAM_ERROR";
  const char *filename = json_object_get_string_member_with_default (meta, "filename", NULL);
  const char *digest_name = global ? "digest" : "sha256";
  const char *digest = json_object_get_string_member_with_default (meta, digest_name, NULL);
  GpFormat format;

  if (filename == NULL || *filename == '\0')
    return v3_reject (ex, 400, "PARAM_ERROR",
                      "输入源“/meta/filename”映射到字段“文件名称”必填性规则校验失败，此字段为必填项");
  if (digest == NULL || *digest == '\0')
    {
      if (global)
        return v3_reject (ex, 400, "INVALID_REQUEST",
                          "meta is missing \"digest\" (the SHA-256 of the file); "
                          "Global's meta is {filename, digest}, not {filename, sha256}");
      return v3_reject (ex, 400, "PARAM_ERROR",
                        "输入源“/meta/sha256”映射到字段“图片文件的文件摘要”必填性规则校验失败，此字段为必填项");
    }
  if (file == NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "location");
      json_builder_add_string_value (b, "file");
      json_builder_end_object (b);
      v3_error (ex, 400, "PARAM_ERROR", "输入源“/file”映射到字段“图片文件”必填性规则校验失败，此字段为必填项",
                json_builder_get_root (b));
      return FALSE;
    }
  ex->filename = g_strdup (file->filename);
  ex->file_size = file->len;
  ex->sha256 = gp_sim_digest_hex (GNUTLS_DIG_SHA256, file->data, file->len, FALSE);
  if (g_strcmp0 (file->filename, filename) != 0)
    return v3_reject (ex, 400, bad, "参数错误,file文件名和meta的文件名不一致");
  if (!g_utf8_validate (filename, -1, NULL) || has_4_byte_utf8 (filename)
      || g_utf8_strlen (filename, -1) > (global ? 256 : 128))
    return v3_reject (ex, 400, bad, "文件名称不正确：最长128个字符，只允许1到3字节的UTF-8字符");
  if (!extension_ok (filename, global))
    return v3_reject (ex, 400, bad, global
                      ? "The file name must end in pdf, jpg, bmp or png"
                      : "图片文件名称不正确，文件名必须以jpg、png、bmp为后缀");
  format = file->len > 0 ? gp_sniff_format (file->data, file->len) : GP_FORMAT_UNKNOWN;
  if (!gp_gateway_accepts (ex->kind, format) || !gp_format_extension_matches (format, filename))
    return v3_reject (ex, 400, bad, global
                      ? "The file type is currently not supported; the content must be pdf, "
                        "jpg, bmp or png and match the file name"
                      : "文件二进制内容不是图片，或与文件名后缀不符");
  if (file->len > gp_gateway_max_size (ex->kind, format))
    return v3_reject (ex, 400, bad, global ? "The file size exceeds 5M" : "图片大小不能超过2M");
  if (!is_lower_hex (digest, 64) || !g_str_equal (digest, ex->sha256))
    return v3_reject (ex, 400, bad, global
                      ? "The SHA-256 of the file is inconsistent with the digest in meta"
                      : "图片sha256值有误，请检查后重试");
  if (global)
    {
      const char *ct = file->content_type;
      gboolean ok = ct != NULL && (g_ascii_strcasecmp (ct, gp_format_mime_type (format)) == 0
                                   || (format == GP_FORMAT_JPEG
                                       && g_ascii_strcasecmp (ct, "image/jpg") == 0));

      if (!ok)
        return v3_reject (ex, 400, "INVALID_REQUEST",
                          "The file type is currently not supported; check whether the "
                          "transmitted field (content_type) is in pdf, jpg, bmp, or png");
    }
  return TRUE;
}

gboolean
gp_sim_v3_check (GpSimExchange *ex)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (ex->msg);
  GUri *uri = soup_server_message_get_uri (ex->msg);
  gboolean global = ex->kind == GP_GATEWAY_WECHATPAY_GLOBAL;
  g_autoptr(GHashTable) auth = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *boundary = NULL;
  g_autofree char *url = NULL;
  const char *accept = soup_message_headers_get_one (h, "Accept");
  const char *agent = soup_message_headers_get_one (h, "User-Agent");
  const char *ts;
  gint64 ts_value;
  GpSimPart *meta;

  if (!g_str_equal (soup_server_message_get_method (ex->msg), "POST"))
    return v3_reject (ex, 405, "INVALID_REQUEST", "请使用POST方法");
  if (accept == NULL || *accept == '\0' || agent == NULL || *agent == '\0')
    return v3_reject (ex, 400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent");
  auth = parse_authorization (soup_message_headers_get_one (h, "Authorization"));
  if (auth == NULL)
    return v3_reject (ex, 401, "SIGN_ERROR", AUTH_FORMAT_ERROR);
  if (!g_str_equal (g_hash_table_lookup (auth, "mchid"), ex->fx->v3_mch_id))
    return v3_reject (ex, 401, "SIGN_ERROR", "Http头Authorization中的mchid与商户证书不匹配");
  ts = g_hash_table_lookup (auth, "timestamp");
  if (strlen (ts) != 10 || !g_ascii_string_to_signed (ts, 10, 0, G_MAXINT64, &ts_value, NULL)
      || ABS (ts_value - ex->now) > 300)
    return v3_reject (ex, 401, "SIGN_ERROR",
                      "Http头Authorization中的timestamp与发起请求的时间不得超过5分钟");
  if (*(const char *) g_hash_table_lookup (auth, "nonce_str") == '\0')
    return v3_reject (ex, 401, "SIGN_ERROR", AUTH_FORMAT_ERROR);
  if (!gp_sim_serial_equal (g_hash_table_lookup (auth, "serial_no"), ex->fx->merchant_serial))
    return v3_reject (ex, 401, "SIGN_ERROR",
                      "商户证书序列号有误。请使用签名私钥匹配的证书序列号");

  boundary = gp_sim_multipart_boundary (soup_message_headers_get_one (h, "Content-Type"));
  if (boundary == NULL)
    return v3_reject (ex, 400, "INVALID_REQUEST",
                      "文件上传流中 分隔符 必须存在：Content-Type需要是带boundary的multipart/form-data");
  parts = gp_sim_multipart_parse (ex->body, ex->body_len, boundary, &error);
  if (parts == NULL)
    {
      g_autofree char *m = g_strdup_printf ("文件上传流解析失败：%s", error->message);

      return v3_reject (ex, 400, "INVALID_REQUEST", m);
    }
  meta = gp_sim_multipart_find (parts, "meta");
  if (meta == NULL)
    return v3_reject (ex, 400, "PARAM_ERROR",
                      "输入源“/meta”映射到字段“meta”必填性规则校验失败，此字段为必填项");

  /* The signed body is the meta part's bytes (PROTOCOLS.md 3.2). */
  url = g_uri_get_query (uri) != NULL
        ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL)
        : g_strdup (g_uri_get_path (uri));
  g_string_append_printf (message, "POST\n%s\n%s\n%s\n", url, ts,
                          (const char *) g_hash_table_lookup (auth, "nonce_str"));
  g_string_append_len (message, (const char *) meta->data, meta->len);
  g_string_append_c (message, '\n');
  if (!gp_sim_rsa_verify (ex->fx->merchant_public, message->str, message->len,
                          g_hash_table_lookup (auth, "signature")))
    {
      v3_error (ex, 401, "SIGN_ERROR", "错误的签名,验签失败",
                sign_error_detail (message->str, url));
      return FALSE;
    }

  /* From here on the merchant is authenticated: errors are signed. */
  choose_reply_key (ex);
  if (!json_parser_load_from_data (parser, (const char *) meta->data, meta->len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return v3_reject (ex, 400, "PARAM_ERROR", "meta不是合法的JSON对象");
  return v3_check_file (ex, json_node_get_object (json_parser_get_root (parser)),
                        gp_sim_multipart_find (parts, "file"), global);
}

void
gp_sim_v3_reply (GpSimExchange *ex)
{
  g_autoptr(GString) body = g_string_new (NULL);
  gboolean global = ex->kind == GP_GATEWAY_WECHATPAY_GLOBAL;

  switch (ex->fault)
    {
    case GP_SIM_FAULT_HTTP_500:
    case GP_SIM_FAULT_SYSTEM_ERROR:
      ex->wechat_key = NULL;
      v3_reject (ex, 500, "SYSTEM_ERROR", "系统错误，请稍后重试");
      return;
    case GP_SIM_FAULT_HTTP_429:
    case GP_SIM_FAULT_FREQUENCY_LIMITED:
      ex->wechat_key = NULL;
      v3_reject (ex, 429, "FREQUENCY_LIMITED", "频率超限，请降低请求频率");
      return;
    case GP_SIM_FAULT_UNSIGNED_401:
      ex->wechat_key = NULL;
      v3_error (ex, 401, "SIGN_ERROR", "错误的签名,验签失败",
                sign_error_detail ("", gp_gateway_info (ex->kind)->path));
      return;
    case GP_SIM_FAULT_BAD_SIGNATURE:
      ex->wechat_bad_signature = TRUE;
      break;
    case GP_SIM_FAULT_MISSING_SIGNATURE:
      ex->wechat_no_signature = TRUE;
      break;
    case GP_SIM_FAULT_WRONG_SERIAL:
      g_free (ex->wechat_serial);
      ex->wechat_serial = g_strdup ("PUB_KEY_ID_00000000000000000000000000000000");
      break;
    case GP_SIM_FAULT_STALE_TIMESTAMP:
      ex->wechat_ts_offset = -600;
      break;
    case GP_SIM_FAULT_NONE:
    case GP_SIM_FAULT_DELAY:
    case GP_SIM_FAULT_DROP:
    case GP_SIM_FAULT_MALFORMED:
    case GP_SIM_FAULT_OVERSIZED:
    case GP_SIM_FAULT_XML_EXTERNAL_ENTITY:
    case GP_SIM_FAULT_XML_BILLION_LAUGHS:
    case GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE:
    case GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE:
    case GP_SIM_FAULT_MISDIRECTED_421:
    case GP_SIM_N_FAULTS:
    default:
      break;
    }
  if (global)
    {
      /* A UUID-shaped file_id (version 4 and variant bits set). */
      guint8 d[32];
      g_autofree char *seed = g_strconcat ("wechatpay-global:", ex->sha256, NULL);
      g_autofree char *hex = NULL;

      gnutls_hash_fast (GNUTLS_DIG_SHA256, seed, strlen (seed), d);
      d[6] = (d[6] & 0x0f) | 0x40;
      d[8] = (d[8] & 0x3f) | 0x80;
      hex = gp_sim_hex (d, 16, FALSE);
      ex->media_id = g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
                                      hex + 16, hex + 20);
      g_string_append_printf (body, "{\"file_id\":\"%s\"}", ex->media_id);
    }
  else
    {
      g_autofree char *seed = g_strconcat ("wechatpay-v3:", ex->sha256, NULL);
      g_autofree char *hex = gp_sim_digest_hex (GNUTLS_DIG_MD5, seed, strlen (seed), TRUE);
      const char *dot = strrchr (ex->filename, '.');

      ex->media_id = g_strdup_printf ("%s%s", hex, dot != NULL ? dot : "");
      g_string_append_printf (body, "{\"media_id\":\"%s\"}", ex->media_id);
    }
  gp_sim_exchange_set_reply (ex, SOUP_STATUS_OK, "application/json", body->str);
  gp_sim_exchange_set_result (ex, "SUCCESS", NULL);
}
