/* gp-signer.h: request and response signatures of the four gateways
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

G_BEGIN_DECLS

#define GP_SIGNER_ERROR (gp_signer_error_quark ())

typedef enum
{
  GP_SIGNER_ERROR_FAILED,         /* the crypto library refused (key, algorithm) */
  GP_SIGNER_ERROR_MALFORMED,      /* the signature is not valid base64/hex */
  GP_SIGNER_ERROR_MISMATCH,       /* well-formed, but it does not verify */
} GpSignerError;

/* WeChat Pay v2 request/response digests (PROTOCOLS.md 2.2). */
typedef enum
{
  GP_V2_SIGN_MD5,
  GP_V2_SIGN_HMAC_SHA256,
} GpV2SignType;

/* One sent parameter, for building a sign string. */
typedef struct
{
  const char *name;
  const char *value;   /* NULL or "" means "not sent" and is skipped */
} GpSignParam;

GQuark        gp_signer_error_quark           (void);

char         *gp_signer_rsa_sha256_sign       (gnutls_privkey_t     key,
                                               const void          *data,
                                               gsize                len,
                                               GError             **error);
gboolean      gp_signer_rsa_sha256_verify     (gnutls_pubkey_t      key,
                                               const void          *data,
                                               gsize                len,
                                               const char          *signature,
                                               GError             **error);

char         *gp_signer_sign_content          (const GpSignParam   *params,
                                               gsize                n_params,
                                               const char * const  *exclude);

char         *gp_signer_v2_sign               (GpV2SignType         type,
                                               const char          *content,
                                               GBytes              *api_key,
                                               GError             **error);
gboolean      gp_signer_v2_verify             (const char          *content,
                                               GBytes              *api_key,
                                               const char          *sign,
                                               GError             **error);
const char   *gp_v2_sign_type_to_string       (GpV2SignType         type);
gboolean      gp_v2_sign_type_from_string     (const char          *str,
                                               GpV2SignType        *type);

gboolean      gp_signer_equal                 (const char          *a,
                                               const char          *b);
gboolean      gp_signer_base64_is_valid       (const char          *str);

G_END_DECLS
