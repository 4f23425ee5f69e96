/* gp-gateway-drivers-private.h: the drivers' pure pieces, shared with tests and fuzzers
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here takes explicit bytes, strings and GnuTLS handles (never a
 * GpProfile), so it can be tested byte for byte and fuzzed. The GpGateway
 * subclasses only fetch credentials from the profile and call these.
 */

#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "gp-gateway.h"
#include "gp-http-request.h"
#include "gp-multipart.h"
#include "gp-signer.h"
#include "gp-upload-result.h"

G_BEGIN_DECLS

#define GP_ALIPAY_METHOD         "alipay.offline.material.image.upload"
#define GP_ALIPAY_RESPONSE_NODE  "alipay_offline_material_image_upload_response"
#define GP_ALIPAY_ERROR_NODE     "error_response"

/* Gatepost's own result codes (the gateway's own code is used whenever it
 * gave one). */
#define GP_RESULT_INVALID_RESPONSE   "INVALID_RESPONSE"    /* unparseable or unexpected */
#define GP_RESULT_MISSING_SIGNATURE  "MISSING_SIGNATURE"   /* a success without a signature */
#define GP_RESULT_INVALID_SIGNATURE  "INVALID_SIGNATURE"   /* a signature that does not verify */
#define GP_RESULT_DUPLICATE_NODE     "DUPLICATE_NODE"      /* Alipay anti-splicing */
#define GP_RESULT_UNKNOWN_SERIAL     "UNKNOWN_SERIAL"      /* v3: signed by another key */
#define GP_RESULT_STALE_TIMESTAMP    "STALE_TIMESTAMP"     /* v3: outside +-300 s */
#define GP_RESULT_RETURN_FAIL        "RETURN_FAIL"         /* v2 return_code FAIL */
#define GP_RESULT_NO_VERIFY_KEY      "NO_VERIFY_KEY"       /* the profile cannot verify */

/* What a request needs from a profile. Borrowed pointers. */
typedef struct
{
  const char       *base_url;       /* NULL: the gateway's documented host */
  const char       *app_id;         /* Alipay */
  const char       *image_pid;      /* Alipay, optional */
  const char       *mch_id;         /* WeChat Pay */
  const char       *serial_no;      /* v3/Global: merchant certificate serial */
  const char       *verify_serial;  /* v3/Global: Wechatpay-Serial to ask for */
  GpV2SignType      sign_type;      /* v2 */
  GBytes           *api_key;        /* v2 */
  gnutls_privkey_t  private_key;    /* Alipay app key, v3/Global merchant key */
} GpGatewayCredentials;

/* Response headers of v3/Global that matter. Borrowed, nullable. */
typedef struct
{
  const char *timestamp;
  const char *nonce;
  const char *signature;
  const char *serial;
  const char *request_id;
} GpWechatpayHeaders;

/* The GpGateway subclasses; gp_gateway_new_for_kind() picks one. */
#define GP_TYPE_ALIPAY_GATEWAY (gp_alipay_gateway_get_type ())
G_DECLARE_FINAL_TYPE (GpAlipayGateway, gp_alipay_gateway, GP, ALIPAY_GATEWAY, GpGateway)
#define GP_TYPE_WECHATPAY_V2_GATEWAY (gp_wechatpay_v2_gateway_get_type ())
G_DECLARE_FINAL_TYPE (GpWechatpayV2Gateway, gp_wechatpay_v2_gateway, GP, WECHATPAY_V2_GATEWAY,
                      GpGateway)
#define GP_TYPE_WECHATPAY_V3_GATEWAY (gp_wechatpay_v3_gateway_get_type ())
G_DECLARE_FINAL_TYPE (GpWechatpayV3Gateway, gp_wechatpay_v3_gateway, GP, WECHATPAY_V3_GATEWAY,
                      GpGateway)

/* Shared helpers (gp-gateway.c) */
gboolean        gp_gateway_credentials_from_profile  (GpGateway              *self,
                                                      GpProfile              *profile,
                                                      GpGatewayCredentials   *creds,
                                                      GBytes                **api_key,
                                                      GError                **error);
gint64          gp_gateway_options_now               (const GpRequestOptions *options);
char           *gp_gateway_new_nonce                 (void);
char           *gp_gateway_build_url                 (GpGatewayKind           kind,
                                                      const char             *base_url);
GpUploadResult *gp_gateway_result_for_http_status    (guint                   status);
gboolean        gp_gateway_check_report              (GpCheckReport          *report,
                                                      GpGatewayKind           kind,
                                                      GError                **error);
void            gp_gateway_set_multipart_body        (GpHttpRequest          *request,
                                                      GpMultipart            *body);

/* Alipay (gp-gateway-alipay.c) */
char           *gp_alipay_format_timestamp           (gint64                  now_unix);
char           *gp_form_urlencode                    (const char             *value);
GpHttpRequest  *gp_alipay_build_request              (const GpGatewayCredentials *creds,
                                                      GpCheckReport          *report,
                                                      const GpRequestOptions *options,
                                                      GError                **error);
gboolean        gp_alipay_extract_node               (const char             *body,
                                                      gsize                   len,
                                                      const char            **root,
                                                      gsize                  *begin,
                                                      gsize                  *end,
                                                      GError                **error);
GpUploadResult *gp_alipay_parse_response_bytes       (guint                   status,
                                                      const char             *body,
                                                      gsize                   len,
                                                      gnutls_pubkey_t         verify_key);

/* WeChat Pay v2 (gp-gateway-wechatpay-v2.c) */
GpHttpRequest  *gp_wechatpay_v2_build_request        (const GpGatewayCredentials *creds,
                                                      GpCheckReport          *report,
                                                      const GpRequestOptions *options,
                                                      GError                **error);
GPtrArray      *gp_wechatpay_v2_parse_xml            (const char             *body,
                                                      gsize                   len,
                                                      GError                **error);
GpUploadResult *gp_wechatpay_v2_parse_response_bytes (guint                   status,
                                                      const char             *body,
                                                      gsize                   len,
                                                      GBytes                 *api_key);

/* WeChat Pay v3 and Global (gp-gateway-wechatpay-v3.c) */
char           *gp_wechatpay_v3_build_meta           (GpGatewayKind           kind,
                                                      const char             *filename,
                                                      const char             *sha256_hex);
char           *gp_wechatpay_v3_build_message        (const char             *method,
                                                      const char             *canonical_url,
                                                      gint64                  timestamp,
                                                      const char             *nonce,
                                                      const char             *body);
char           *gp_wechatpay_v3_build_authorization  (const char             *mch_id,
                                                      const char             *nonce,
                                                      gint64                  timestamp,
                                                      const char             *serial_no,
                                                      const char             *signature);
GpHttpRequest  *gp_wechatpay_v3_build_request        (GpGatewayKind           kind,
                                                      const GpGatewayCredentials *creds,
                                                      GpCheckReport          *report,
                                                      const GpRequestOptions *options,
                                                      GError                **error);
void            gp_wechatpay_headers_from_soup       (GpWechatpayHeaders     *out,
                                                      SoupMessageHeaders     *headers);
gboolean        gp_wechatpay_serial_equal            (const char             *a,
                                                      const char             *b);
GpUploadResult *gp_wechatpay_v3_parse_response_bytes (GpGatewayKind           kind,
                                                      guint                   status,
                                                      const GpWechatpayHeaders *headers,
                                                      const char             *body,
                                                      gsize                   len,
                                                      gnutls_pubkey_t         verify_key,
                                                      const char             *verify_serial,
                                                      gint64                  now_unix);

G_END_DECLS
