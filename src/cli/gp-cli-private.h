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

int   gp_cli_upload          (int            argc,
                              char         **argv);
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
/* One file's outcome as INTERFACES.md prints it. */
typedef struct
{
  GpCheckReport      *report;          /* always: the file's check */
  const char         *profile_name;    /* nullable (check --gateway) */
  GpUploadResult     *result;          /* NULL when nothing was sent */
  gint64              duplicate_of;    /* history row of an earlier success, or -1 */
  const char * const *extra_warnings;  /* nullable */
} GpCliFileOutcome;

void  gp_cli_add_file_result   (JsonBuilder            *builder,
                                const GpCliFileOutcome *outcome);
void  gp_cli_print_file_result (const GpCliFileOutcome *outcome);

G_END_DECLS
