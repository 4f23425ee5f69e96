/* gp-sim-fixtures.h: the simulator's CA, certificates, credentials and profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-sim-crypto.h"

G_BEGIN_DECLS

/* Files inside the fixture directory (see gatepost-sim --help). */
#define GP_SIM_FILE_CONFIG            "sim.json"
#define GP_SIM_FILE_CA                "ca.pem"
#define GP_SIM_FILE_CA_KEY            "ca-key.pem"
#define GP_SIM_FILE_SERVER            "server.pem"
#define GP_SIM_FILE_SERVER_KEY        "server-key.pem"
#define GP_SIM_FILE_ALIPAY_APP_KEY    "alipay/app-private-key.pem"
#define GP_SIM_FILE_ALIPAY_APP_PUB    "alipay/app-public-key.pem"
#define GP_SIM_FILE_ALIPAY_KEY        "alipay/alipay-private-key.pem"
#define GP_SIM_FILE_ALIPAY_PUB        "alipay/alipay-public-key.pem"
#define GP_SIM_FILE_V2_CERT           "wechatpay-v2/apiclient_cert.pem"
#define GP_SIM_FILE_V2_KEY            "wechatpay-v2/apiclient_key.pem"
#define GP_SIM_FILE_V2_P12            "wechatpay-v2/apiclient_cert.p12"
#define GP_SIM_FILE_V2_API_KEY        "wechatpay-v2/api-key.txt"
#define GP_SIM_FILE_V3_CERT           "wechatpay/apiclient_cert.pem"
#define GP_SIM_FILE_V3_KEY            "wechatpay/apiclient_key.pem"
#define GP_SIM_FILE_PUB_KEY           "wechatpay/pub_key.pem"
#define GP_SIM_FILE_PUB_KEY_PRIVATE   "wechatpay/pub-key-private.pem"
#define GP_SIM_FILE_PLATFORM_CERT     "wechatpay/platform-cert.pem"
#define GP_SIM_FILE_PLATFORM_KEY      "wechatpay/platform-key.pem"
#define GP_SIM_DIR_PROFILES           "profiles"

typedef struct
{
  char             *dir;
  /* identifiers (not secret) */
  char             *app_id;
  char             *v2_mch_id;
  char             *v3_mch_id;
  char             *merchant_serial;
  char             *pub_key_id;
  char             *platform_serial;
  /* secret: never logged */
  char             *v2_api_key;
  /* keys */
  gnutls_pubkey_t   alipay_app_public;   /* verifies requests */
  gnutls_privkey_t  alipay_private;      /* signs responses */
  gnutls_pubkey_t   merchant_public;     /* v3/Global request signatures */
  gnutls_privkey_t  pub_key_private;     /* public-key mode response signer */
  gnutls_privkey_t  platform_private;    /* certificate mode response signer */
  GTlsCertificate  *server_certificate;
  GTlsDatabase     *ca_database;
  GTlsCertificate  *v2_client_certificate;
} GpSimFixtures;

gboolean       gp_sim_fixtures_exist           (const char     *dir);
gboolean       gp_sim_fixtures_generate        (const char     *dir,
                                                GError        **error);
GpSimFixtures *gp_sim_fixtures_load            (const char     *dir,
                                                GError        **error);
gboolean       gp_sim_fixtures_write_profiles  (GpSimFixtures  *self,
                                                const char     *base_url,
                                                const char     *v2_base_url,
                                                GError        **error);
void           gp_sim_fixtures_free            (GpSimFixtures  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSimFixtures, gp_sim_fixtures_free)

G_END_DECLS
