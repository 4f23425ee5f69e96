/* gp-cli-private.h: what the gatepost-cli commands share
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gatepost-core.h"

G_BEGIN_DECLS

/* Exit statuses of INTERFACES.md, decided in one place. */
typedef enum
{
  GP_CLI_EXIT_OK = 0,
  GP_CLI_EXIT_REFUSED = 1,
  GP_CLI_EXIT_USAGE = 2,
} GpCliExit;

int   gp_cli_check           (int            argc,
                              char         **argv);
int   gp_cli_profile         (int            argc,
                              char         **argv);
GpProfile *gp_cli_load_profile (const char   *name,
                                GError      **error);
int   gp_cli_history         (int            argc,
                              char         **argv);

int   gp_cli_usage_error     (GOptionContext *context,
                              const char     *format,
                              ...) G_GNUC_PRINTF (2, 3);
void  gp_cli_print_json_line (JsonNode       *node);
void  gp_cli_add_check_result (JsonBuilder   *builder,
                               GpCheckReport *report,
                               const char    *profile_name);

G_END_DECLS
