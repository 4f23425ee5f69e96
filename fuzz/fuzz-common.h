/* fuzz-common.h: what the libFuzzer targets share
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gnutls/abstract.h>

#include "gatepost-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            gsize         size);

/* A verification key made once per process: random inputs never carry a
 * valid signature, so any RSA key exercises the same paths. */
static inline gnutls_pubkey_t
fuzz_verify_key (void)
{
  static gnutls_pubkey_t pub;

  if (pub == NULL)
    {
      gnutls_privkey_t priv;

      g_assert (gnutls_privkey_init (&priv) == 0);
      g_assert (gnutls_privkey_generate (priv, GNUTLS_PK_RSA, 2048, 0) == 0);
      g_assert (gnutls_pubkey_init (&pub) == 0);
      g_assert (gnutls_pubkey_import_privkey (pub, priv, 0, 0) == 0);
      gnutls_privkey_deinit (priv);
    }

  return pub;
}

/* Every result must be coherent whatever the bytes: a success has an ID,
 * a failure has a stage and a code. */
static inline void
fuzz_check_result (GpUploadResult *result)
{
  g_assert (result != NULL);
  if (gp_upload_result_is_ok (result))
    {
      g_assert (gp_upload_result_get_media_id (result) != NULL);
      g_assert (*gp_upload_result_get_media_id (result) != '\0');
    }
  else
    {
      g_assert (gp_upload_result_get_stage (result) != GP_STAGE_NONE);
      g_assert (gp_upload_result_get_code (result) != NULL);
      g_assert (gp_upload_result_get_message (result) != NULL);
    }
}
