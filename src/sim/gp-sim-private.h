/* gp-sim-private.h: what the simulator's server and gateway handlers share
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gp-types.h"
#include "gp-sim-fixtures.h"
#include "gp-sim-server.h"

G_BEGIN_DECLS

/* The fault modes of --fault and POST /_sim/faults; see gatepost-sim --help. */
typedef enum
{
  GP_SIM_FAULT_NONE = 0,
  GP_SIM_FAULT_BAD_SIGNATURE,
  GP_SIM_FAULT_MISSING_SIGNATURE,
  GP_SIM_FAULT_WRONG_SERIAL,
  GP_SIM_FAULT_STALE_TIMESTAMP,
  GP_SIM_FAULT_HTTP_500,
  GP_SIM_FAULT_HTTP_429,
  GP_SIM_FAULT_SYSTEM_ERROR,
  GP_SIM_FAULT_FREQUENCY_LIMITED,
  GP_SIM_FAULT_DELAY,
  GP_SIM_FAULT_DROP,
  GP_SIM_FAULT_MALFORMED,
  GP_SIM_FAULT_OVERSIZED,
  GP_SIM_FAULT_XML_EXTERNAL_ENTITY,
  GP_SIM_FAULT_XML_BILLION_LAUGHS,
  GP_SIM_FAULT_ALIPAY_ERROR_RESPONSE,
  GP_SIM_FAULT_ALIPAY_DUPLICATE_NODE,
  GP_SIM_FAULT_UNSIGNED_401,
  GP_SIM_FAULT_MISDIRECTED_421,
  GP_SIM_N_FAULTS
} GpSimFaultMode;

/* One request to a gateway endpoint and the reply being built for it. */
typedef struct
{
  GpSimServer       *server;
  GpSimFixtures     *fx;
  SoupServerMessage *msg;
  GpGatewayKind      kind;
  const guint8      *body;
  gsize              body_len;
  gint64             now;            /* Unix seconds */
  GpSimFaultMode     fault;

  /* reply */
  guint              status;
  char              *content_type;
  GString           *reply;
  GPtrArray         *headers;        /* GpSimParam */
  gnutls_privkey_t   wechat_key;     /* v3/Global: sign the reply with it */
  char              *wechat_serial;
  gint64             wechat_ts_offset;
  gboolean           wechat_bad_signature;
  gboolean           wechat_no_signature;

  /* the TLS connection the request came on */
  guint              connection;     /* 1, 2, ... per server, in order of first request */
  GTlsCertificate   *peer_certificate; /* the client certificate of that connection */

  /* record for GET /_sim/uploads */
  char              *code;
  char              *message;
  char              *filename;
  char              *sha256;
  gsize              file_size;
  char              *media_id;
} GpSimExchange;

/* Valid requests return TRUE and leave the reply to *_reply(); rejected
 * ones return FALSE with the error reply already set. */
gboolean     gp_sim_alipay_check          (GpSimExchange  *ex);
void         gp_sim_alipay_reply          (GpSimExchange  *ex);
gboolean     gp_sim_v2_check              (GpSimExchange  *ex);
void         gp_sim_v2_reply              (GpSimExchange  *ex);
gboolean     gp_sim_v3_check              (GpSimExchange  *ex);
void         gp_sim_v3_reply              (GpSimExchange  *ex);

gboolean     gp_sim_fault_applies         (GpSimFaultMode  mode,
                                           GpGatewayKind   kind);
const char  *gp_sim_fault_to_string       (GpSimFaultMode  mode);
GpSimFaultMode gp_sim_fault_from_string   (const char     *name);

/* helpers */
void         gp_sim_exchange_set_reply    (GpSimExchange  *ex,
                                           guint           status,
                                           const char     *content_type,
                                           const char     *body);
void         gp_sim_exchange_add_header   (GpSimExchange  *ex,
                                           const char     *name,
                                           const char     *value);
void         gp_sim_exchange_set_result   (GpSimExchange  *ex,
                                           const char     *code,
                                           const char     *message);
void         gp_sim_json_escape           (GString        *out,
                                           const char     *text,
                                           gboolean        escape_slash);
char        *gp_sim_media_token           (const char     *gateway,
                                           const char     *sha256,
                                           gsize           n_bytes);
gint64       gp_sim_server_get_alipay_skew (GpSimServer   *self);

G_END_DECLS
