/* gatepost-core.h: the one header the GUI, CLI and tests include
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define GATEPOST_CORE_INSIDE

#include "gp-types.h"
#include "gp-error.h"
#include "gp-gateway-info.h"
#include "gp-file-check.h"
#include "gp-gateway.h"
#include "gp-http-request.h"
#include "gp-multipart.h"
#include "gp-signer.h"
#include "gp-upload-result.h"
#include "gp-upload-journal.h"
#include "gp-uploader.h"
#include "gp-key.h"
#include "gp-profile.h"
#include "gp-profile-store.h"
#include "gp-history.h"
#include "gp-history-journal.h"

#undef GATEPOST_CORE_INSIDE
