/* fuzz-wechatpay-v3-response.c: v3/Global response headers and body
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gp-gateway-drivers-private.h"

/* Input layout: one status byte, then Wechatpay-Timestamp, -Nonce,
 * -Signature and -Serial as NUL-separated strings, then the body. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        gsize         size)
{
  static const guint statuses[] = { 200, 204, 400, 401, 429, 500, 503, 302 };
  const char *values[4] = { NULL, NULL, NULL, NULL };
  g_autofree char *copy = NULL;
  GpWechatpayHeaders headers = { 0 };
  g_autoptr(GpUploadResult) v3 = NULL;
  g_autoptr(GpUploadResult) global = NULL;
  gsize pos = 1;
  guint status;

  if (size < 1)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  copy = g_malloc (size + 1);
  memcpy (copy, data, size);
  copy[size] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (values) && pos < size; i++)
    {
      gsize len = strlen (copy + pos);

      values[i] = copy + pos;
      pos += len + 1;
    }
  headers.timestamp = values[0];
  headers.nonce = values[1];
  headers.signature = values[2];
  headers.serial = values[3];
  if (pos > size)
    pos = size;

  v3 = gp_wechatpay_v3_parse_response_bytes (GP_GATEWAY_WECHATPAY_V3, status, &headers,
                                             copy + pos, size - pos, fuzz_verify_key (),
                                             "PUB_KEY_ID_0000000000000024101100397200000006",
                                             1700000000);
  fuzz_check_result (v3);
  g_assert (!gp_upload_result_is_ok (v3));
  global = gp_wechatpay_v3_parse_response_bytes (GP_GATEWAY_WECHATPAY_GLOBAL, status, &headers,
                                                 copy + pos, size - pos, fuzz_verify_key (),
                                                 values[3] ? values[3] : "X", 1700000000);
  fuzz_check_result (global);
  g_assert (!gp_upload_result_is_ok (global));

  /* Serial comparison is an equivalence whatever the bytes. */
  if (values[3] != NULL && values[2] != NULL)
    g_assert (gp_wechatpay_serial_equal (values[3], values[2]) ==
              gp_wechatpay_serial_equal (values[2], values[3]));

  return 0;
}
