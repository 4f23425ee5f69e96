/* gp-sim-crypto.h: the simulator's own signature and digest code
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deliberately independent of the client's gp-signer: the simulator must
 * not agree with a client bug by sharing its code.
 */

#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

/* One name=value pair as it arrived (query parameter or text part). */
typedef struct
{
  char *name;
  char *value;
} GpSimParam;

GPtrArray        *gp_sim_params_new             (void);
void              gp_sim_params_add             (GPtrArray      *params,
                                                 const char     *name,
                                                 const char     *value);
const char       *gp_sim_params_lookup          (GPtrArray      *params,
                                                 const char     *name);

char             *gp_sim_hex                    (const guint8   *data,
                                                 gsize           len,
                                                 gboolean        upper);
char             *gp_sim_digest_hex             (gnutls_digest_algorithm_t algo,
                                                 const void     *data,
                                                 gsize           len,
                                                 gboolean        upper);
char             *gp_sim_hmac_sha256_hex        (const char     *key,
                                                 const void     *data,
                                                 gsize           len,
                                                 gboolean        upper);

char             *gp_sim_sorted_content         (GPtrArray      *params,
                                                 const char     *const *exclude);
char             *gp_sim_v2_sign                (GPtrArray      *params,
                                                 const char     *api_key,
                                                 const char     *sign_type);

gboolean          gp_sim_strict_base64_decode   (const char     *text,
                                                 guint8        **out,
                                                 gsize          *out_len);
char             *gp_sim_rsa_sign               (gnutls_privkey_t key,
                                                 const void     *data,
                                                 gsize           len,
                                                 GError        **error);
gboolean          gp_sim_rsa_verify             (gnutls_pubkey_t key,
                                                 const void     *data,
                                                 gsize           len,
                                                 const char     *signature_b64);

gnutls_privkey_t  gp_sim_load_private_key       (const char     *path,
                                                 GError        **error);
gnutls_pubkey_t   gp_sim_load_public_key        (const char     *path,
                                                 GError        **error);
gnutls_x509_crt_t gp_sim_load_certificate       (const char     *path,
                                                 GError        **error);
char             *gp_sim_certificate_serial     (gnutls_x509_crt_t crt);
gboolean          gp_sim_serial_equal           (const char     *a,
                                                 const char     *b);

G_END_DECLS
