/* gp-key-private.h: the GnuTLS handles behind GpPrivateKey and GpPublicKey
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gnutls/abstract.h>

#include "gp-key.h"

G_BEGIN_DECLS

/* Borrowed handles, valid as long as the key: for the signer only. */
gnutls_privkey_t gp_private_key_get_gnutls (GpPrivateKey *self);
gnutls_pubkey_t  gp_public_key_get_gnutls  (GpPublicKey  *self);

G_END_DECLS
