/* gp-error.c: error domains of the Gatepost core
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-error.h"

G_DEFINE_QUARK (gp-check-error-quark, gp_check_error)
G_DEFINE_QUARK (gp-key-error-quark, gp_key_error)
G_DEFINE_QUARK (gp-profile-error-quark, gp_profile_error)
G_DEFINE_QUARK (gp-keyring-error-quark, gp_keyring_error)
G_DEFINE_QUARK (gp-history-error-quark, gp_history_error)
