/* fuzz-key-import.c: private keys, public keys, certificates and profile
 * files from untrusted bytes
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        gsize         size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  GpPrivateKey *priv;
  GpPublicKey *pub;
  GpCertificate *cert;
  GpProfile *profile;

  priv = gp_private_key_new_from_data (text, size, &e1);
  g_assert ((priv == NULL) == (e1 != NULL));
  if (priv != NULL)
    {
      g_assert (gp_private_key_get_bits (priv) >= 2048);
      gp_private_key_unref (priv);
    }

  pub = gp_public_key_new_from_data (text, size, &e2);
  g_assert ((pub == NULL) == (e2 != NULL));
  if (pub != NULL)
    {
      g_assert (gp_public_key_get_bits (pub) >= 2048);
      g_assert (gp_public_key_get_fingerprint (pub) != NULL);
      gp_public_key_unref (pub);
    }

  cert = gp_certificate_new_from_data (text, size, &e3);
  g_assert ((cert == NULL) == (e3 != NULL));
  if (cert != NULL)
    {
      g_assert (gp_certificate_get_serial (cert) != NULL);
      gp_certificate_unref (cert);
    }

  profile = gp_profile_new_from_data (text, size, "/nonexistent", &e4);
  g_assert ((profile == NULL) == (e4 != NULL));
  g_clear_object (&profile);

  return 0;
}
