/* gp-check-text.h: what the window says about a checked file, translated
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gatepost-core.h>

G_BEGIN_DECLS

const char *gp_check_text_gateway_name   (GpGatewayKind         gateway);
const char *gp_check_text_format_name    (GpFormat              format);
char       *gp_check_text_size           (GpCheckReport        *report);
char       *gp_check_text_accepted       (GpGatewayKind         gateway);
char       *gp_check_text_problem        (GpCheckReport        *report,
                                          const GpCheckProblem *problem);
GStrv       gp_check_text_warnings       (GpCheckReport        *report);

G_END_DECLS
