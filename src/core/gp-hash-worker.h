/* gp-hash-worker.h: a digest computed on a thread of its own
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gnutls/crypto.h>

G_BEGIN_DECLS

typedef struct _GpHashWorker GpHashWorker;

GpHashWorker *gp_hash_worker_new        (gnutls_digest_algorithm_t  algorithm,
                                         gsize                      chunk_size);
guint8       *gp_hash_worker_take_chunk (GpHashWorker              *self);
void          gp_hash_worker_give_chunk (GpHashWorker              *self,
                                         guint8                    *chunk,
                                         gsize                      len);
gboolean      gp_hash_worker_finish     (GpHashWorker              *self,
                                         void                      *digest);
void          gp_hash_worker_free       (GpHashWorker              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpHashWorker, gp_hash_worker_free)

G_END_DECLS
