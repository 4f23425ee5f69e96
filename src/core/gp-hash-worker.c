/* gp-hash-worker.c: a digest computed on a thread of its own
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The thread that reads a file (to check it, or to send it) hands chunks
 * to a worker thread that digests them, so that on two cores the digest
 * costs no wall time beside the reading (or the TLS and the sending).
 * Chunks go back and forth through two queues; there are only ever
 * N_CHUNKS of them, so a reader that outruns the digest waits for it
 * instead of buffering the file.
 */

#include "config.h"

#include "gp-hash-worker.h"

#define N_CHUNKS 3

typedef struct
{
  guint8 *data;
  gsize   len;       /* 0 tells the thread to stop */
} Chunk;

struct _GpHashWorker
{
  gnutls_hash_hd_t  hash;
  gboolean          failed;
  gsize             chunk_size;
  GAsyncQueue      *full;
  GAsyncQueue      *empty;
  GThread          *thread;
  Chunk             chunks[N_CHUNKS];
  gboolean          finished;
};

static gpointer
hash_worker_run (gpointer data)
{
  GpHashWorker *self = data;

  for (;;)
    {
      Chunk *c = g_async_queue_pop (self->full);
      gsize len = c->len;

      if (len > 0 && self->hash != NULL)
        gnutls_hash (self->hash, c->data, len);
      g_async_queue_push (self->empty, c);
      if (len == 0)
        return NULL;
    }
}

/**
 * gp_hash_worker_new:
 * @algorithm: the digest
 * @chunk_size: the size of the chunks handed to the thread
 *
 * Returns: (transfer full): a running worker; gp_hash_worker_finish()
 *   reports whether the crypto library accepted @algorithm
 */
GpHashWorker *
gp_hash_worker_new (gnutls_digest_algorithm_t algorithm,
                    gsize                     chunk_size)
{
  GpHashWorker *self;

  g_return_val_if_fail (chunk_size > 0, NULL);

  self = g_new0 (GpHashWorker, 1);
  if (gnutls_hash_init (&self->hash, algorithm) < 0)
    {
      self->hash = NULL;
      self->failed = TRUE;
    }
  self->chunk_size = chunk_size;
  self->full = g_async_queue_new ();
  self->empty = g_async_queue_new ();
  for (guint i = 0; i < N_CHUNKS; i++)
    {
      self->chunks[i].data = g_malloc (chunk_size);
      g_async_queue_push (self->empty, &self->chunks[i]);
    }
  self->thread = g_thread_new ("gp-hash", hash_worker_run, self);

  return self;
}

static Chunk *
chunk_for_data (GpHashWorker *self,
                guint8       *data)
{
  for (guint i = 0; i < N_CHUNKS; i++)
    if (self->chunks[i].data == data)
      return &self->chunks[i];
  g_return_val_if_reached (NULL);
}

/**
 * gp_hash_worker_take_chunk:
 *
 * Waits for a free chunk of the worker's chunk size, to read into and
 * then hand back with gp_hash_worker_give_chunk().
 *
 * Returns: (transfer none): the chunk
 */
guint8 *
gp_hash_worker_take_chunk (GpHashWorker *self)
{
  Chunk *c;

  g_return_val_if_fail (self != NULL && !self->finished, NULL);

  c = g_async_queue_pop (self->empty);

  return c->data;
}

/**
 * gp_hash_worker_give_chunk:
 * @chunk: from gp_hash_worker_take_chunk()
 * @len: how many of its bytes to digest; 0 returns it unused
 */
void
gp_hash_worker_give_chunk (GpHashWorker *self,
                           guint8       *chunk,
                           gsize         len)
{
  Chunk *c;

  g_return_if_fail (self != NULL && len <= self->chunk_size);
  c = chunk_for_data (self, chunk);
  g_return_if_fail (c != NULL);

  if (len == 0)
    {
      g_async_queue_push (self->empty, c);
      return;
    }
  c->len = len;
  g_async_queue_push (self->full, c);
}

static void
stop (GpHashWorker *self)
{
  Chunk *c;

  if (self->thread == NULL)
    return;
  c = g_async_queue_pop (self->empty);
  c->len = 0;
  g_async_queue_push (self->full, c);
  g_thread_join (self->thread);
  self->thread = NULL;
}

/**
 * gp_hash_worker_finish:
 * @digest: (out caller-allocates): room for the algorithm's digest
 *
 * Waits until every chunk handed over is digested and writes the digest.
 *
 * Returns: %FALSE if the crypto library refused the algorithm
 */
gboolean
gp_hash_worker_finish (GpHashWorker *self,
                       void         *digest)
{
  g_return_val_if_fail (self != NULL && !self->finished, FALSE);

  stop (self);
  self->finished = TRUE;
  if (self->failed)
    return FALSE;
  gnutls_hash_output (self->hash, digest);

  return TRUE;
}

/**
 * gp_hash_worker_free:
 *
 * Stops the thread (after the chunks already handed over) and frees all.
 */
void
gp_hash_worker_free (GpHashWorker *self)
{
  if (self == NULL)
    return;

  stop (self);
  if (self->hash != NULL)
    gnutls_hash_deinit (self->hash, NULL);
  for (guint i = 0; i < N_CHUNKS; i++)
    g_free (self->chunks[i].data);
  g_async_queue_unref (self->full);
  g_async_queue_unref (self->empty);
  g_free (self);
}
