/* gp-multipart.c: multipart/form-data bodies that stream one file from disk
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-multipart.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "gp-error.h"
#include "gp-file-check.h"
#include "gp-gateway-info.h"
#include "gp-hash-worker.h"

/* PROTOCOLS.md 5.1: conventional layout, no preamble, CRLF everywhere,
 *   --B\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue\r\n
 *   …
 *   --B\r\nContent-Disposition: form-data; name="f"; filename="n"\r\n
 *   Content-Type: t\r\n\r\n<file bytes>\r\n--B--\r\n
 */

struct _GpMultipart
{
  gatomicrefcount  ref;
  char            *boundary;
  GString         *text_parts;
  char            *file_name;
  char            *file_filename;
  char            *file_content_type;
  GpCheckReport   *report;
};

G_DEFINE_BOXED_TYPE (GpMultipart, gp_multipart, gp_multipart_ref, gp_multipart_unref)

static gboolean
boundary_is_valid (const char *boundary)
{
  gsize len = strlen (boundary);

  /* RFC 2046 bchars without space: safe unquoted in Content-Type too. */
  if (len == 0 || len > 70)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (boundary[i]) && strchr ("'()+_,-./:=?", boundary[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* What may sit between the quotes of a header parameter. */
static gboolean
header_value_is_safe (const char *value)
{
  if (value == NULL || value[0] == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (*p == '"' || *p == '\\' || *p == '\r' || *p == '\n' || (guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/**
 * gp_multipart_new_boundary:
 *
 * Returns: (transfer full): "gatepost-" and 32 random hex digits
 */
char *
gp_multipart_new_boundary (void)
{
  guint8 rnd[16];
  GString *s = g_string_new ("gatepost-");

  if (gnutls_rnd (GNUTLS_RND_NONCE, rnd, sizeof rnd) < 0)
    {
      /* Not a secret, only needs to be unlikely in the payload. */
      for (guint i = 0; i < sizeof rnd; i++)
        rnd[i] = (guint8) g_random_int_range (0, 256);
    }
  for (guint i = 0; i < sizeof rnd; i++)
    g_string_append_printf (s, "%02x", rnd[i]);

  return g_string_free (s, FALSE);
}

/**
 * gp_multipart_new:
 * @boundary: (nullable): a fixed boundary (tests), or %NULL for a random one
 *
 * Returns: (transfer full): an empty body
 */
GpMultipart *
gp_multipart_new (const char *boundary)
{
  GpMultipart *self;

  g_return_val_if_fail (boundary == NULL || boundary_is_valid (boundary), NULL);

  self = g_new0 (GpMultipart, 1);
  g_atomic_ref_count_init (&self->ref);
  self->boundary = boundary ? g_strdup (boundary) : gp_multipart_new_boundary ();
  self->text_parts = g_string_new (NULL);

  return self;
}

GpMultipart *
gp_multipart_ref (GpMultipart *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_multipart_unref (GpMultipart *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_free (self->boundary);
  g_string_free (self->text_parts, TRUE);
  g_free (self->file_name);
  g_free (self->file_filename);
  g_free (self->file_content_type);
  g_clear_pointer (&self->report, gp_check_report_unref);
  g_free (self);
}

/**
 * gp_multipart_add_text:
 * @name: the field name (no quote, backslash or line break)
 * @value: the value, sent as is
 * @content_type: (nullable): a part Content-Type (v3's meta), or %NULL
 */
void
gp_multipart_add_text (GpMultipart *self,
                       const char  *name,
                       const char  *value,
                       const char  *content_type)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (header_value_is_safe (name));
  g_return_if_fail (value != NULL);
  g_return_if_fail (content_type == NULL || header_value_is_safe (content_type));

  g_string_append_printf (self->text_parts,
                          "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n",
                          self->boundary, name);
  if (content_type != NULL)
    g_string_append_printf (self->text_parts, "Content-Type: %s\r\n", content_type);
  g_string_append (self->text_parts, "\r\n");
  g_string_append (self->text_parts, value);
  g_string_append (self->text_parts, "\r\n");
}

/**
 * gp_multipart_set_file:
 * @name: the field name
 * @filename: an ASCII-safe name (see gp_multipart_safe_filename())
 * @content_type: the part's Content-Type
 * @report: the file's passing check: path, size and SHA-256 the body
 *   streams and re-verifies; or, when the check deferred its digests, the
 *   report that receives the SHA-256 of the bytes sent
 */
void
gp_multipart_set_file (GpMultipart   *self,
                       const char    *name,
                       const char    *filename,
                       const char    *content_type,
                       GpCheckReport *report)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (header_value_is_safe (name));
  g_return_if_fail (header_value_is_safe (filename));
  g_return_if_fail (header_value_is_safe (content_type));
  g_return_if_fail (report != NULL);
  g_return_if_fail (gp_check_report_get_sha256 (report) != NULL ||
                    gp_check_report_get_digests_deferred (report));

  g_free (self->file_name);
  g_free (self->file_filename);
  g_free (self->file_content_type);
  g_clear_pointer (&self->report, gp_check_report_unref);
  self->file_name = g_strdup (name);
  self->file_filename = g_strdup (filename);
  self->file_content_type = g_strdup (content_type);
  self->report = gp_check_report_ref (report);
}

const char *
gp_multipart_get_boundary (GpMultipart *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->boundary;
}

/**
 * gp_multipart_dup_content_type:
 *
 * Returns: (transfer full): `multipart/form-data; boundary=…`
 */
char *
gp_multipart_dup_content_type (GpMultipart *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_strdup_printf ("multipart/form-data; boundary=%s", self->boundary);
}

static GBytes *
build_head (GpMultipart *self)
{
  GString *head = g_string_new_len (self->text_parts->str, self->text_parts->len);

  if (self->report != NULL)
    g_string_append_printf (head,
                            "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                            "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
                            self->boundary, self->file_name, self->file_filename,
                            self->file_content_type);

  return g_string_free_to_bytes (head);
}

static GBytes *
build_tail (GpMultipart *self)
{
  /* The file part's closing CRLF belongs to the tail: it is only written
   * once the file's bytes have been verified. */
  if (self->report != NULL)
    return g_bytes_new_take (g_strdup_printf ("\r\n--%s--\r\n", self->boundary),
                             strlen (self->boundary) + 8);
  return g_bytes_new_take (g_strdup_printf ("--%s--\r\n", self->boundary),
                           strlen (self->boundary) + 6);
}

/**
 * gp_multipart_get_length:
 *
 * Returns: the exact number of bytes gp_multipart_open() yields
 */
guint64
gp_multipart_get_length (GpMultipart *self)
{
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) tail = NULL;

  g_return_val_if_fail (self != NULL, 0);

  head = build_head (self);
  tail = build_tail (self);

  return g_bytes_get_size (head) + g_bytes_get_size (tail) +
         (self->report ? gp_check_report_get_size (self->report) : 0);
}

/* ---- the body stream ------------------------------------------------- */

typedef enum
{
  PHASE_HEAD,
  PHASE_FILE,
  PHASE_TAIL,
  PHASE_DONE,
  PHASE_FAILED,
} Phase;

/* Files above this are digested on a thread while they are sent. */
#define HASH_THREAD_MIN (256 * 1024)
#define HASH_CHUNK_SIZE (256 * 1024)

#define GP_TYPE_MULTIPART_STREAM (gp_multipart_stream_get_type ())
G_DECLARE_FINAL_TYPE (GpMultipartStream, gp_multipart_stream, GP, MULTIPART_STREAM, GInputStream)

struct _GpMultipartStream
{
  GInputStream      parent_instance;

  GBytes           *head;
  GBytes           *tail;
  gsize             offset;      /* in head or tail */
  Phase             phase;

  int               fd;
  guint64           expected_size;
  char              expected_sha256[65];
  GpCheckReport    *deferred;    /* digests deferred: gets the SHA-256 sent */
  guint64           file_read;   /* bytes of the file the stream emitted */
  gnutls_hash_hd_t  hash;        /* small files: digested in line */
  GpHashWorker     *hasher;      /* larger ones: on a thread of its own, */
  guint8           *ahead;       /* ... read a chunk ahead into one of its */
  gsize             ahead_len;   /* chunks, which goes to the digest once */
  gsize             ahead_pos;   /* it has all been emitted */
  GError           *failure;     /* sticky: every later read repeats it */
};

static void gp_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

/* The stream is pollable and always ready: libsoup then reads the body in
 * the sending thread. Without it, GIO's default read_async runs every
 * 8 KiB read of the request body on a worker thread and hops back, about
 * 6,400 round trips for 50 MiB, which made an upload take twice as long
 * as curl's (bench/upload). A read of a local file blocks about as long
 * as copying the bytes does. */
G_DEFINE_FINAL_TYPE_WITH_CODE (GpMultipartStream, gp_multipart_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      gp_multipart_stream_pollable_iface_init))

static void
release_file (GpMultipartStream *self)
{
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->hash != NULL)
    {
      gnutls_hash_deinit (self->hash, NULL);
      self->hash = NULL;
    }
  if (self->ahead != NULL)
    gp_hash_worker_give_chunk (self->hasher, self->ahead, 0);
  self->ahead = NULL;
  g_clear_pointer (&self->hasher, gp_hash_worker_free);
}

static gssize
fail (GpMultipartStream  *self,
      GError            **error,
      GError             *failure)
{
  self->phase = PHASE_FAILED;
  g_clear_error (&self->failure);
  self->failure = failure;
  release_file (self);
  g_propagate_error (error, g_error_copy (failure));
  return -1;
}

static gssize
copy_bytes (GpMultipartStream *self,
            GBytes            *bytes,
            void              *buffer,
            gsize              count)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize n = MIN (count, len - self->offset);

  memcpy (buffer, data + self->offset, n);
  self->offset += n;

  return n;
}

/* The file's last byte has passed: it must end here and hash the same as
 * when it was checked. Only then may the tail (and so a complete body)
 * be written. When the check deferred its digests there is nothing to
 * compare with: the file must then be untouched since the check (size,
 * modification and change time, which any write moves), and the SHA-256 of
 * exactly what was sent goes into the report, which a later attempt must
 * match. */
static gboolean
finish_file (GpMultipartStream  *self,
             GError            **error)
{
  guint8 digest[32];
  char hex[65];
  char extra;
  gssize n;

  do
    n = read (self->fd, &extra, 1);
  while (n < 0 && errno == EINTR);

  if (n != 0)
    {
      if (n < 0)
        g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                     _("The file could not be read to its end: %s"), g_strerror (errno));
      else
        g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                             _("The file grew since it was checked; check it again"));
      return FALSE;
    }

  if (self->hasher != NULL)
    {
      if (self->ahead != NULL)
        gp_hash_worker_give_chunk (self->hasher, self->ahead, self->ahead_len);
      self->ahead = NULL;
      if (!gp_hash_worker_finish (self->hasher, digest))
        {
          g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FAILED,
                               _("SHA-256 is not available"));
          return FALSE;
        }
    }
  else
    gnutls_hash_output (self->hash, digest);
  for (guint i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);

  if (self->deferred != NULL)
    {
      if (!gp_check_report_still_matches (self->deferred, self->fd, error))
        return FALSE;
      if (!gp_check_report_set_sent_sha256 (self->deferred, hex))
        {
          g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                               _("The file's content changed since the previous attempt "
                                 "sent it (its SHA-256 differs); check it again"));
          return FALSE;
        }
      return TRUE;
    }

  if (g_ascii_strcasecmp (hex, self->expected_sha256) != 0)
    {
      g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                           _("The file's content changed since it was checked (its SHA-256 "
                             "differs); check it again"));
      return FALSE;
    }

  return TRUE;
}

/* libsoup asks for 8 KiB at a time; a large file is read a chunk ahead,
 * one system call per chunk, and the chunk itself is what gets digested
 * once it has all been emitted. Returns what the new chunk holds. */
static gssize
read_ahead (GpMultipartStream *self)
{
  gssize n;

  if (self->ahead != NULL)
    gp_hash_worker_give_chunk (self->hasher, self->ahead, self->ahead_len);
  self->ahead = gp_hash_worker_take_chunk (self->hasher);
  self->ahead_pos = self->ahead_len = 0;
  n = gp_read_full (self->fd, self->ahead,
                    (gsize) MIN ((guint64) HASH_CHUNK_SIZE, self->expected_size - self->file_read));
  if (n > 0)
    self->ahead_len = n;

  return n;
}

static gssize
read_file (GpMultipartStream  *self,
           void               *buffer,
           gsize               count,
           GError            **error)
{
  gsize want = (gsize) MIN ((guint64) count, self->expected_size - self->file_read);
  gssize n;

  if (self->hasher != NULL)
    n = self->ahead_pos < self->ahead_len ? (gssize) (self->ahead_len - self->ahead_pos)
                                          : read_ahead (self);
  else
    do
      n = read (self->fd, buffer, want);
    while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                   _("The file could not be read: %s"), g_strerror (saved_errno));
      return -1;
    }
  if (n == 0)
    {
      g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                           _("The file became shorter since it was checked; check it again"));
      return -1;
    }

  if (self->hasher != NULL)
    {
      n = MIN (want, (gsize) n);
      memcpy (buffer, self->ahead + self->ahead_pos, n);
      self->ahead_pos += n;
    }
  else
    gnutls_hash (self->hash, buffer, n);
  self->file_read += n;

  return n;
}

static gssize
gp_multipart_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GpMultipartStream *self = GP_MULTIPART_STREAM (stream);
  GError *local_error = NULL;
  gssize n;

  if (count == 0)
    return 0;
  if (self->phase == PHASE_FAILED)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return -1;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  for (;;)
    switch (self->phase)
      {
      case PHASE_HEAD:
        if (self->offset < g_bytes_get_size (self->head))
          return copy_bytes (self, self->head, buffer, count);
        self->offset = 0;
        self->phase = self->fd >= 0 ? PHASE_FILE : PHASE_TAIL;
        break;

      case PHASE_FILE:
        if (self->file_read < self->expected_size)
          {
            n = read_file (self, buffer, count, &local_error);
            if (n < 0)
              return fail (self, error, local_error);
            return n;
          }
        if (!finish_file (self, &local_error))
          return fail (self, error, local_error);
        release_file (self);
        self->phase = PHASE_TAIL;
        break;

      case PHASE_TAIL:
        if (self->offset < g_bytes_get_size (self->tail))
          return copy_bytes (self, self->tail, buffer, count);
        self->phase = PHASE_DONE;
        break;

      case PHASE_DONE:
        return 0;

      case PHASE_FAILED:
      default:
        g_assert_not_reached ();
      }
}

static gboolean
gp_multipart_stream_close (GInputStream  *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  release_file (GP_MULTIPART_STREAM (stream));
  return TRUE;
}

static gboolean
gp_multipart_stream_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
gp_multipart_stream_create_source (GPollableInputStream *stream,
                                   GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static gssize
gp_multipart_stream_read_nonblocking (GPollableInputStream  *stream,
                                      void                  *buffer,
                                      gsize                  count,
                                      GError               **error)
{
  return gp_multipart_stream_read (G_INPUT_STREAM (stream), buffer, count, NULL, error);
}

static void
gp_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = gp_multipart_stream_is_readable;
  iface->create_source = gp_multipart_stream_create_source;
  iface->read_nonblocking = gp_multipart_stream_read_nonblocking;
}

static void
gp_multipart_stream_finalize (GObject *object)
{
  GpMultipartStream *self = GP_MULTIPART_STREAM (object);

  release_file (self);
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->tail, g_bytes_unref);
  g_clear_pointer (&self->deferred, gp_check_report_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (gp_multipart_stream_parent_class)->finalize (object);
}

static void
gp_multipart_stream_class_init (GpMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = gp_multipart_stream_finalize;
  stream_class->read_fn = gp_multipart_stream_read;
  stream_class->close_fn = gp_multipart_stream_close;
}

static void
gp_multipart_stream_init (GpMultipartStream *self)
{
  self->fd = -1;
}

/**
 * gp_multipart_open:
 *
 * Opens the file afresh, refuses it if it is no longer the file that was
 * checked, and returns head + file + tail as one stream of exactly
 * gp_multipart_get_length() bytes. The file is hashed again as it is
 * read; if its size or SHA-256 differ from the check, the read fails with
 * %GP_CHECK_ERROR_FILE_CHANGED before the closing boundary, so no
 * complete body ever reaches a server. Never holds the file in memory.
 *
 * Returns: (transfer full): a new stream, or %NULL with @error
 */
GInputStream *
gp_multipart_open (GpMultipart   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GpMultipartStream) stream = NULL;
  const char *path;
  int ret;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stream = g_object_new (GP_TYPE_MULTIPART_STREAM, NULL);
  stream->head = build_head (self);
  stream->tail = build_tail (self);

  if (self->report == NULL)
    return G_INPUT_STREAM (g_steal_pointer (&stream));

  path = gp_check_report_get_path (self->report);
  stream->fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (stream->fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                   _("The file can no longer be opened: %s"), g_strerror (saved_errno));
      return NULL;
    }
  if (!gp_check_report_still_matches (self->report, stream->fd, error))
    return NULL;

  /* libsoup sends the body 8 KiB at a time, two main-loop turns each;
   * hashing in line as well made the sending thread the bottleneck of a
   * large upload (bench/upload). */
  if (gp_check_report_get_size (self->report) > HASH_THREAD_MIN)
    {
      stream->hasher = gp_hash_worker_new (GNUTLS_DIG_SHA256, HASH_CHUNK_SIZE);
      ret = 0;
    }
  else
    ret = gnutls_hash_init (&stream->hash, GNUTLS_DIG_SHA256);
  if (ret < 0)
    {
      stream->hash = NULL;
      g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FAILED,
                   _("SHA-256 is not available: %s"), gnutls_strerror (ret));
      return NULL;
    }

  stream->expected_size = gp_check_report_get_size (self->report);
  if (gp_check_report_get_digests_deferred (self->report))
    stream->deferred = gp_check_report_ref (self->report);
  else
    g_strlcpy (stream->expected_sha256, gp_check_report_get_sha256 (self->report),
               sizeof stream->expected_sha256);

  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

/**
 * gp_multipart_to_bytes:
 *
 * The whole body in memory: for tests and small diagnostics only.
 *
 * Returns: (transfer full): the body, or %NULL with @error
 */
GBytes *
gp_multipart_to_bytes (GpMultipart   *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[4096];
  gssize n;

  g_return_val_if_fail (self != NULL, NULL);

  stream = gp_multipart_open (self, cancellable, error);
  if (stream == NULL)
    return NULL;

  while ((n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error)) > 0)
    g_byte_array_append (out, buf, n);
  if (n < 0)
    return NULL;
  if (!g_input_stream_close (stream, cancellable, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
stem_is_safe (const char *stem,
              gsize       len)
{
  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (stem[i]) && stem[i] != '.' && stem[i] != '_' && stem[i] != '-')
      return FALSE;
  return TRUE;
}

/**
 * gp_multipart_safe_filename_needs_sha256:
 * @original: the user's file name or path
 *
 * Returns: %TRUE when gp_multipart_safe_filename() would name @original by
 *   its SHA-256 (its stem is not ASCII-safe)
 */
gboolean
gp_multipart_safe_filename_needs_sha256 (const char *original)
{
  g_autofree char *base = NULL;
  const char *dot;

  g_return_val_if_fail (original != NULL, TRUE);

  base = g_path_get_basename (original);
  dot = strrchr (base, '.');

  return !stem_is_safe (base, dot != NULL ? (gsize) (dot - base) : strlen (base));
}

/**
 * gp_multipart_safe_filename:
 * @original: the user's file name or path
 * @format: the sniffed format, which gives the extension
 * @sha256_hex: (nullable): the file's SHA-256, for names that are not
 *   ASCII-safe (see gp_multipart_safe_filename_needs_sha256())
 *
 * PROTOCOLS.md 5.1: WeChat's parsers do not understand RFC 2231 and v3
 * refuses 4-byte UTF-8, so the name sent is `[A-Za-z0-9._-]` only: the
 * original stem when it already qualifies (and is at most 64 bytes),
 * otherwise the first 16 hex digits of the SHA-256; then the lower-case
 * extension of the sniffed format (`.jpg` for JPEG), whatever the
 * original extension said. The user's own name goes only into Alipay's
 * `image_name` and the history.
 *
 * Returns: (transfer full): the name to send
 */
char *
gp_multipart_safe_filename (const char *original,
                            GpFormat    format,
                            const char *sha256_hex)
{
  g_autofree char *base = NULL;
  const char *ext;
  const char *dot;
  gsize stem_len;

  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (sha256_hex == NULL || strlen (sha256_hex) >= 16, NULL);

  base = g_path_get_basename (original);
  dot = strrchr (base, '.');
  /* ".hidden" has no stem; "noext" is all stem. */
  stem_len = dot != NULL ? (gsize) (dot - base) : strlen (base);
  ext = gp_format_extension (format);

  if (!stem_is_safe (base, stem_len))
    {
      g_autofree char *hash = NULL;

      g_return_val_if_fail (sha256_hex != NULL, NULL);
      hash = g_ascii_strdown (sha256_hex, 16);

      return ext ? g_strconcat (hash, ".", ext, NULL) : g_steal_pointer (&hash);
    }

  return ext ? g_strdup_printf ("%.*s.%s", (int) stem_len, base, ext)
             : g_strndup (base, stem_len);
}
