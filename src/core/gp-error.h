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

#define GP_KEY_ERROR (gp_key_error_quark ())

/* A key or certificate that cannot be used; messages never quote key material. */
typedef enum
{
  GP_KEY_ERROR_INVALID,
  GP_KEY_ERROR_ENCRYPTED,
  GP_KEY_ERROR_UNSUPPORTED,
  GP_KEY_ERROR_TOO_SHORT,
  GP_KEY_ERROR_MISMATCH,
  GP_KEY_ERROR_PASSWORD,
} GpKeyError;

GQuark gp_key_error_quark (void);

#define GP_PROFILE_ERROR (gp_profile_error_quark ())

typedef enum
{
  GP_PROFILE_ERROR_INVALID,
  GP_PROFILE_ERROR_NOT_FOUND,
  GP_PROFILE_ERROR_DUPLICATE,
} GpProfileError;

GQuark gp_profile_error_quark (void);

#define GP_KEYRING_ERROR (gp_keyring_error_quark ())

typedef enum
{
  GP_KEYRING_ERROR_UNAVAILABLE,
  GP_KEYRING_ERROR_LOCKED,
  GP_KEYRING_ERROR_FAILED,
} GpKeyringError;

GQuark gp_keyring_error_quark (void);
#define GP_HISTORY_ERROR (gp_history_error_quark ())

/* GP_HISTORY_ERROR: the upload history could not do what was asked. The
 * message keeps SQLite's own text (sqlite3_errmsg) and names the file. */
typedef enum
{
  GP_HISTORY_ERROR_FAILED,
  GP_HISTORY_ERROR_CANT_OPEN,
  GP_HISTORY_ERROR_CORRUPT,
  GP_HISTORY_ERROR_READ_ONLY,
  GP_HISTORY_ERROR_BUSY,
  GP_HISTORY_ERROR_FULL,
  GP_HISTORY_ERROR_VERSION,
  GP_HISTORY_ERROR_NOT_FOUND,
  GP_HISTORY_ERROR_INVALID,
} GpHistoryError;

GQuark gp_history_error_quark (void);

G_END_DECLS
