/* gp-sim-multipart.h: the simulator's own multipart/form-data parser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char         *name;
  char         *filename;      /* NULL when the part has none */
  char         *content_type;  /* NULL when the part has none */
  const guint8 *data;          /* borrowed from the body */
  gsize         len;
} GpSimPart;

char       *gp_sim_multipart_boundary  (const char    *content_type);
GPtrArray  *gp_sim_multipart_parse     (const guint8  *body,
                                        gsize          len,
                                        const char    *boundary,
                                        GError       **error);
GpSimPart  *gp_sim_multipart_find      (GPtrArray     *parts,
                                        const char    *name);
char       *gp_sim_header_param        (const char    *value,
                                        const char    *param);

G_END_DECLS
