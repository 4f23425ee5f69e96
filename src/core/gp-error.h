/* gp-error.h: error domains of the Gatepost core
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GP_CHECK_ERROR (gp_check_error_quark ())

/* GP_CHECK_ERROR means the check could not run at all; a file that fails a
 * rule is not an error but a problem listed in its GpCheckReport. */
typedef enum
{
  GP_CHECK_ERROR_FAILED,
  GP_CHECK_ERROR_FILE_CHANGED,
} GpCheckError;

GQuark gp_check_error_quark (void);

G_END_DECLS
