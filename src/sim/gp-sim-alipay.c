/* gp-sim-alipay.c: strict simulation of alipay.offline.material.image.upload
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules: PROTOCOLS.md section 1 and the checklist in section 8.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gp-file-check.h"
#include "gp-gateway-info.h"
#include "gp-sim-multipart.h"
#include "gp-sim-private.h"

#define METHOD "alipay.offline.material.image.upload"
#define ROOT "alipay_offline_material_image_upload_response"

/* Writes {"<root>":<node>[,"sign":"…"]} where node is compact JSON; the
 * signature covers exactly the node's bytes as sent (PROTOCOLS.md 1.3). */
static void
write_reply (GpSimExchange *ex,
             const char    *root,
             const char    *node,
             gboolean       signed_reply,
             gboolean       bad_signature)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "{\"%s\":%s", root, node);
  if (signed_reply)
    {
      g_autofree char *tampered = g_strconcat (node, " ", NULL);
      const char *what = bad_signature ? tampered : node;
      g_autofree char *sign = gp_sim_rsa_sign (ex->fx->alipay_private, what, strlen (what),
                                               NULL);

      g_string_append (out, ",\"sign\":\"");
      gp_sim_json_escape (out, sign ? sign : "", FALSE);
      g_string_append (out, "\"");
    }
  g_string_append (out, "}");
  gp_sim_exchange_set_reply (ex, SOUP_STATUS_OK, "application/json;charset=utf-8", out->str);
}

static char *
error_node (const char *code,
            const char *msg,
            const char *sub_code,
            const char *sub_msg)
{
  GString *n = g_string_new ("{\"code\":\"");

  g_string_append (n, code);
  g_string_append (n, "\",\"msg\":\"");
  gp_sim_json_escape (n, msg, TRUE);
  g_string_append (n, "\",\"sub_code\":\"");
  gp_sim_json_escape (n, sub_code, TRUE);
  g_string_append (n, "\",\"sub_msg\":\"");
  gp_sim_json_escape (n, sub_msg, TRUE);
  g_string_append (n, "\"}");
  return g_string_free (n, FALSE);
}

/* Gateway-level rejection (40001/40002), unsigned. */
static gboolean
reject (GpSimExchange *ex,
        gboolean       method_known,
        const char    *code,
        const char    *sub_code,
        const char    *sub_msg)
{
  const char *msg = g_str_equal (code, "40001") ? "Missing Required Arguments"
                                                : "Invalid Arguments";
  g_autofree char *node = error_node (code, msg, sub_code, sub_msg);

  write_reply (ex, method_known ? ROOT : "error_response", node, FALSE, FALSE);
  gp_sim_exchange_set_result (ex, sub_code, sub_msg);
  return FALSE;
}

/* Business failure (40004), signed like the seed's exception sample. */
static gboolean
reject_business (GpSimExchange *ex,
                 const char    *sub_code,
                 const char    *sub_msg)
{
  g_autofree char *node = error_node ("40004", "Business Failed", sub_code, sub_msg);

  write_reply (ex, ROOT, node, TRUE, FALSE);
  gp_sim_exchange_set_result (ex, sub_code, sub_msg);
  return FALSE;
}

static GPtrArray *
parse_query (const char *query)
{
  GPtrArray *params = gp_sim_params_new ();
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return params;
  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;
      if (eq != NULL)
        *eq = '\0';
      g_strdelimit (pairs[i], "+", ' ');
      name = g_uri_unescape_string (pairs[i], NULL);
      if (eq != NULL)
        {
          g_strdelimit (eq + 1, "+", ' ');
          value = g_uri_unescape_string (eq + 1, NULL);
        }
      if (name == NULL || (eq != NULL && value == NULL))
        {
          g_ptr_array_unref (params);
          return NULL;
        }
      gp_sim_params_add (params, name, value ? value : "");
    }
  return params;
}

/* yyyy-MM-dd HH:mm:ss in Beijing time (GMT+8), within the configured skew. */
static gboolean
timestamp_ok (const char *ts,
              gint64      now,
              gint64      skew)
{
  static const char pattern[] = "dddd-dd-dd dd:dd:dd";
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) dt = NULL;
  int y, mo, d, h, mi, s;

  if (strlen (ts) != strlen (pattern))
    return FALSE;
  for (guint i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (ts[i]) : ts[i] != pattern[i])
      return FALSE;
  if (sscanf (ts, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6)
    return FALSE;
  dt = g_date_time_new (tz, y, mo, d, h, mi, s);
  if (dt == NULL)
    return FALSE;
  return ABS (g_date_time_to_unix (dt) - now) <= skew;
}

static gboolean
image_type_matches (const char *type,
                    GpFormat    format)
{
  switch (format)
    {
    case GP_FORMAT_JPEG:
      return g_str_equal (type, "jpg") || g_str_equal (type, "jpeg");
    case GP_FORMAT_PNG:
      return g_str_equal (type, "png");
    case GP_FORMAT_BMP:
      return g_str_equal (type, "bmp");
    case GP_FORMAT_GIF:
      return g_str_equal (type, "gif");
    case GP_FORMAT_MP4:
      return g_str_equal (type, "mp4");
    case GP_FORMAT_PDF:
    case GP_FORMAT_UNKNOWN:
    case GP_N_FORMATS:
    default:
      return FALSE;
    }
}

static gboolean
check_query (GpSimExchange *ex,
             GPtrArray     *q)
{
  const char *charset = gp_sim_params_lookup (q, "charset");
  const char *method = gp_sim_params_lookup (q, "method");
  const char *app_id = gp_sim_params_lookup (q, "app_id");
  const char *format = gp_sim_params_lookup (q, "format");
  const char *sign_type = gp_sim_params_lookup (q, "sign_type");
  const char *timestamp = gp_sim_params_lookup (q, "timestamp");
  const char *version = gp_sim_params_lookup (q, "version");
  const char *sign = gp_sim_params_lookup (q, "sign");
  gint64 skew = gp_sim_server_get_alipay_skew (ex->server);

  if (method == NULL || *method == '\0')
    return reject (ex, FALSE, "40001", "isv.missing-method", "缺少方法名参数");
  if (!g_str_equal (method, METHOD))
    return reject (ex, FALSE, "40002", "isv.invalid-method", "不存在的方法名");
  if (charset == NULL || *charset == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-charset",
                   "缺少charset参数，请确认charset参数放在了URL查询字符串中");
  if (g_ascii_strcasecmp (charset, "utf-8") != 0)
    return reject (ex, TRUE, "40002", "isv.invalid-charset",
                   "字符集错误：模拟网关只支持UTF-8");
  if (app_id == NULL || *app_id == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-app-id", "缺少AppID参数");
  if (!g_str_equal (app_id, ex->fx->app_id))
    return reject (ex, TRUE, "40002", "isv.invalid-app-id", "无效的AppID参数");
  if (format != NULL && *format != '\0' && g_ascii_strcasecmp (format, "json") != 0)
    return reject (ex, TRUE, "40002", "isv.invalid-format", "无效的数据格式，只支持JSON");
  if (sign_type == NULL || *sign_type == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-signature-type", "缺少签名类型参数");
  if (!g_str_equal (sign_type, "RSA2"))
    return reject (ex, TRUE, "40002", "isv.invalid-signature-type", "无效的签名类型，需要RSA2");
  if (sign == NULL || *sign == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-signature", "缺少签名参数");
  if (timestamp == NULL || *timestamp == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-timestamp", "缺少时间戳参数");
  if (!timestamp_ok (timestamp, ex->now, skew))
    return reject (ex, TRUE, "40002", "isv.invalid-timestamp",
                   "非法的时间戳参数：格式需要为yyyy-MM-dd HH:mm:ss，北京时间(GMT+8)，"
                   "且与网关时间相差不能过大");
  if (version == NULL || *version == '\0')
    return reject (ex, TRUE, "40001", "isv.missing-version", "缺少版本参数");
  if (!g_str_equal (version, "1.0"))
    return reject (ex, TRUE, "40002", "isv.invalid-parameter", "参数无效：version必须为1.0");
  return TRUE;
}

/* The business parameters and the file, once the signature verified. */
static gboolean
check_business (GpSimExchange *ex,
                GPtrArray     *signed_params,
                GpSimPart     *file)
{
  const char *image_type = gp_sim_params_lookup (signed_params, "image_type");
  const char *image_name = gp_sim_params_lookup (signed_params, "image_name");
  GpFormat format;

  if (image_type == NULL || *image_type == '\0')
    return reject_business (ex, "INVALID_PARAM", "缺少必选参数image_type");
  if (image_name == NULL || *image_name == '\0')
    return reject_business (ex, "INVALID_PARAM", "缺少必选参数image_name");
  if (g_utf8_strlen (image_name, -1) > 128)
    return reject_business (ex, "INVALID_PARAM", "image_name不能超过128个字符");
  if (file == NULL)
    return reject_business (ex, "INVALID_PARAM", "缺少文件参数image_content");
  ex->filename = g_strdup (file->filename);
  ex->file_size = file->len;
  ex->sha256 = gp_sim_digest_hex (GNUTLS_DIG_SHA256, file->data, file->len, FALSE);

  if (!g_strv_contains ((const char *const[]) { "jpg", "jpeg", "png", "bmp", "gif", "mp4", NULL },
                        image_type))
    return reject_business (ex, "UNKNOWN_FORMAT",
                            "文件格式不支持，图片只支持BMP、PNG、JPEG、JPG、GIF，视频只支持MP4");
  format = file->len > 0 ? gp_sniff_format (file->data, file->len) : GP_FORMAT_UNKNOWN;
  if (format == GP_FORMAT_UNKNOWN || !image_type_matches (image_type, format))
    return reject_business (ex, "INVALID_FILE_BYTES",
                            "文件二进制内容不是image_type所声明的图片或视频");
  if (file->len > gp_gateway_max_size (GP_GATEWAY_ALIPAY, format))
    return reject_business (ex, "EXCEED_MAX_SIZE", format == GP_FORMAT_MP4
                                                   ? "视频大小超过50M" : "图片大小超过5M");
  return TRUE;
}

gboolean
gp_sim_alipay_check (GpSimExchange *ex)
{
  static const char *const exclude[] = { "sign", NULL };
  static const char *const business[] = { "image_type", "image_name", "image_pid",
                                          "image_content" };
  GUri *uri = soup_server_message_get_uri (ex->msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (ex->msg);
  g_autoptr(GPtrArray) q = parse_query (g_uri_get_query (uri));
  g_autoptr(GPtrArray) signed_params = gp_sim_params_new ();
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *content = NULL;
  GpSimPart *file = NULL;

  if (q == NULL)
    return reject (ex, FALSE, "40002", "isv.invalid-parameter", "查询字符串的编码无效");
  if (!check_query (ex, q))
    return FALSE;

  /* Business parameters belong in the multipart body (PROTOCOLS.md 1.1). */
  for (guint i = 0; i < G_N_ELEMENTS (business); i++)
    if (gp_sim_params_lookup (q, business[i]) != NULL)
      {
        g_autofree char *m = g_strdup_printf ("业务参数%s必须放在multipart请求体中，"
                                              "不能放在URL查询字符串中", business[i]);

        return reject_business (ex, "INVALID_PARAM", m);
      }

  boundary = gp_sim_multipart_boundary (soup_message_headers_get_one (h, "Content-Type"));
  if (boundary == NULL)
    return reject_business (ex, "INVALID_PARAM",
                            "请求体必须是带boundary的multipart/form-data");
  parts = gp_sim_multipart_parse (ex->body, ex->body_len, boundary, &error);
  if (parts == NULL)
    {
      g_autofree char *m = g_strdup_printf ("multipart请求体无法解析：%s", error->message);

      return reject_business (ex, "INVALID_PARAM", m);
    }

  /* The signing string: every sent parameter, query and text parts, but
   * not sign and not the file; empties skipped (PROTOCOLS.md 1.2). */
  for (guint i = 0; i < q->len; i++)
    {
      GpSimParam *p = g_ptr_array_index (q, i);

      gp_sim_params_add (signed_params, p->name, p->value);
    }
  for (guint i = 0; i < parts->len; i++)
    {
      GpSimPart *part = g_ptr_array_index (parts, i);
      g_autofree char *value = NULL;

      if (part->filename != NULL)
        {
          if (g_str_equal (part->name, "image_content"))
            file = part;
          continue;
        }
      value = g_strndup ((const char *) part->data, part->len);
      if (strlen (value) != part->len || !g_utf8_validate (value, -1, NULL))
        return reject (ex, TRUE, "40002", "isv.invalid-charset",
                       "参数值不是UTF-8编码，请确认参数值使用charset参数指示的字符集编码");
      gp_sim_params_add (signed_params, part->name, value);
    }
  content = gp_sim_sorted_content (signed_params, exclude);
  if (!gp_sim_rsa_verify (ex->fx->alipay_app_public, content, strlen (content),
                          gp_sim_params_lookup (q, "sign")))
    {
      g_autofree char *m = g_strconcat ("验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，"
                                        "网关生成的验签字符串为：", content, NULL);

      return reject (ex, TRUE, "40002", "isv.invalid-signature", m);
    }

  return check_business (ex, signed_params, file);
}

void
gp_sim_alipay_reply (GpSimExchange *ex)
{
  g_autofree char *image_id = gp_sim_media_token ("alipay", ex->sha256, 24);
  g_autoptr(GString) node = g_string_new (NULL);

  ex->media_id = g_strdup (image_id);
  gp_sim_exchange_set_result (ex, "10000", "Success");
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
      {
        g_autofree char *n = error_node ("20000", "Service Currently Unavailable",
                                         "isp.unknow-error", "系统繁忙");

        write_reply (ex, ROOT, n, TRUE, FALSE);
        gp_sim_exchange_set_result (ex, "isp.unknow-error", "系统繁忙");
        g_clear_pointer (&ex->media_id, g_free);
        return;
      }
    case GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE:
      {
        g_autofree char *n = error_node ("20000", "Service Currently Unavailable",
                                         "isp.unknow-error", "系统繁忙");

        write_reply (ex, "error_response", n, FALSE, FALSE);
        gp_sim_exchange_set_result (ex, "isp.unknow-error", "系统繁忙");
        g_clear_pointer (&ex->media_id, g_free);
        return;
      }
    case GP_SIM_FAULT_NONE:
    case GP_SIM_FAULT_BAD_SIGNATURE:
    case GP_SIM_FAULT_MISSING_SIGNATURE:
    case GP_SIM_FAULT_WRONG_SERIAL:
    case GP_SIM_FAULT_STALE_TIMESTAMP:
    case GP_SIM_FAULT_FREQUENCY_LIMITED:
    case GP_SIM_FAULT_DELAY:
    case GP_SIM_FAULT_DROP:
    case GP_SIM_FAULT_MALFORMED:
    case GP_SIM_FAULT_OVERSIZED:
    case GP_SIM_FAULT_XML_EXTERNAL_ENTITY:
    case GP_SIM_FAULT_XML_BILLION_LAUGHS:
    case GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE:
    case GP_SIM_FAULT_UNSIGNED_401:
    case GP_SIM_FAULT_MISDIRECTED_421:
    case GP_SIM_N_FAULTS:
    default:
      break;
    }

  /* image_url carries "\/" escapes, as Alipay's own responses do: a client
   * that re-serializes before verifying fails here. */
  g_string_append_printf (node, "{\"code\":\"10000\",\"msg\":\"Success\",\"image_id\":\"%s\","
                          "\"image_url\":\"", image_id);
  gp_sim_json_escape (node, "http://dl.django.t.taobao.com/rest/1.0/image?fileIds=", TRUE);
  g_string_append_printf (node, "%s&zoom=original\"}", image_id);
  write_reply (ex, ROOT, node->str, ex->fault != GP_SIM_FAULT_MISSING_SIGNATURE,
               ex->fault == GP_SIM_FAULT_BAD_SIGNATURE);
  if (ex->fault == GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE)
    {
      /* A second response node after the signed one (anti-splicing test). */
      g_autofree char *forged = gp_sim_media_token ("alipay-forged", ex->sha256, 24);

      g_string_truncate (ex->reply, ex->reply->len - 1);
      g_string_append_printf (ex->reply, ",\"%s\":{\"code\":\"10000\",\"msg\":\"Success\","
                              "\"image_id\":\"%s\",\"image_url\":\"\"}}", ROOT, forged);
    }
}
