/* gp-multipart.h: multipart/form-data bodies that stream one file from disk
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-types.h"

G_BEGIN_DECLS

/* Text parts are kept in memory in the order they are added; the one file
 * part always comes last and is read from disk on every open. Build it
 * completely, then open it as many times as there are attempts (opening
 * is thread-safe, building is not). */
typedef struct _GpMultipart GpMultipart;

#define GP_TYPE_MULTIPART (gp_multipart_get_type ())

GType          gp_multipart_get_type          (void) G_GNUC_CONST;
GpMultipart   *gp_multipart_new               (const char     *boundary);
GpMultipart   *gp_multipart_ref               (GpMultipart    *self);
void           gp_multipart_unref             (GpMultipart    *self);

void           gp_multipart_add_text          (GpMultipart    *self,
                                               const char     *name,
                                               const char     *value,
                                               const char     *content_type);
void           gp_multipart_set_file          (GpMultipart    *self,
                                               const char     *name,
                                               const char     *filename,
                                               const char     *content_type,
                                               GpCheckReport  *report);

const char    *gp_multipart_get_boundary      (GpMultipart    *self);
char          *gp_multipart_dup_content_type  (GpMultipart    *self);
guint64        gp_multipart_get_length        (GpMultipart    *self);
GInputStream  *gp_multipart_open              (GpMultipart    *self,
                                               GCancellable   *cancellable,
                                               GError        **error);
GBytes        *gp_multipart_to_bytes          (GpMultipart    *self,
                                               GCancellable   *cancellable,
                                               GError        **error);

char          *gp_multipart_new_boundary      (void);
char          *gp_multipart_safe_filename     (const char     *original,
                                               GpFormat        format,
                                               const char     *sha256_hex);
gboolean       gp_multipart_safe_filename_needs_sha256 (const char *original);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpMultipart, gp_multipart_unref)

G_END_DECLS
