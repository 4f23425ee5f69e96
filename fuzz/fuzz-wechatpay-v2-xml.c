/* fuzz-wechatpay-v2-xml.c: the hardened v2 XML response parser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "gp-gateway-drivers-private.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        gsize         size)
{
  static const char key[] = "192006250b4c09247ec02edce69f6a2d";
  g_autoptr(GBytes) api_key = g_bytes_new_static (key, sizeof key - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GpUploadResult) result = NULL;

  fields = gp_wechatpay_v2_parse_xml ((const char *) data, size, &error);
  g_assert ((fields == NULL) == (error != NULL));

  /* A forged sign over the fuzzer's own fields would need MD5 preimages;
   * anything else must not be a success. */
  result = gp_wechatpay_v2_parse_response_bytes (200, (const char *) data, size, api_key);
  fuzz_check_result (result);

  return 0;
}
