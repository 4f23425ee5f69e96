/* fuzz-alipay-response.c: Alipay response node extraction and verification
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
  const char *body = (const char *) data;
  const char *root = NULL;
  gsize begin = 0, end = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpUploadResult) result = NULL;

  if (gp_alipay_extract_node (body, size, &root, &begin, &end, &error))
    {
      g_assert (root != NULL);
      g_assert (begin < end && end <= size);
      g_assert (body[begin] == '{' || body[begin] == '"');
    }
  else
    g_assert (error != NULL);

  /* Random bytes cannot carry a valid RSA signature: never a success. */
  result = gp_alipay_parse_response_bytes (200, body, size, fuzz_verify_key ());
  fuzz_check_result (result);
  g_assert (!gp_upload_result_is_ok (result));

  return 0;
}
