/* gp-file-check.c: local checks of a file against a gateway's rules
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-file-check.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <glib/gi18n-lib.h>

#include "gp-error.h"
#include "gp-gateway-info.h"
#include "gp-hash-worker.h"

/* One read size for sniffing and hashing: large enough that the JPEG SOF
 * marker behind a big EXIF block is found in the first chunk. */
#define CHUNK_SIZE (1024 * 1024)

struct _GpCheckReport
{
  gatomicrefcount ref;

  char           *path;
  GpGatewayKind   gateway;

  /* Facts about the file, independent of the gateway. */
  const char     *file_problem_code;
  char           *file_problem_message;
  GpFormat        format;
  guint64         size;
  gint64          mtime_ns;
  gint64          ctime_ns;
  dev_t           dev;
  ino_t           ino;
  char            sha256[65];
  char            md5[33];
  gboolean        digests_deferred;  /* sha256 is set by the upload */
  guint           width;
  guint           height;
  gboolean        has_dimensions;
  gboolean        header_damaged;
  guint8          head[8];
  gsize           head_len;

  /* The verdict for @gateway. */
  guint64         max_size;
  GArray         *problems;
  GPtrArray      *warnings;
};

G_DEFINE_BOXED_TYPE (GpCheckReport, gp_check_report, gp_check_report_ref, gp_check_report_unref)

static void
clear_problem (gpointer data)
{
  GpCheckProblem *problem = data;

  g_clear_pointer (&problem->message, g_free);
}

static GpCheckReport *
gp_check_report_new (const char    *path,
                     GpGatewayKind  gateway)
{
  GpCheckReport *self = g_new0 (GpCheckReport, 1);

  g_atomic_ref_count_init (&self->ref);
  self->path = g_canonicalize_filename (path, NULL);
  self->gateway = gateway;
  self->problems = g_array_new (FALSE, TRUE, sizeof (GpCheckProblem));
  g_array_set_clear_func (self->problems, clear_problem);
  self->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  return self;
}

GpCheckReport *
gp_check_report_ref (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_check_report_unref (GpCheckReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_free (self->path);
  g_free (self->file_problem_message);
  g_array_unref (self->problems);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

/* "5,242,881 bytes": exact sizes in messages, since "5.00 MiB" can hide
 * the one byte that breaks the limit. */
static char *
format_bytes (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  g_autofree char *grouped = NULL;
  GString *s = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  grouped = g_string_free (s, FALSE);

  /* TRANSLATORS: "5,242,881 bytes" */
  return g_strdup_printf (ngettext ("%s byte", "%s bytes", (unsigned long) MIN (n, G_MAXULONG)),
                          grouped);
}

static void
add_problem (GpCheckReport *self,
             const char    *code,
             char          *message)
{
  GpCheckProblem problem = { code, message };

  g_array_append_val (self->problems, problem);
}

static char *
describe_head (GpCheckReport *self)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < self->head_len; i++)
    g_string_append_printf (s, "%s%02x", i ? " " : "", self->head[i]);

  return g_string_free (s, FALSE);
}

static const char *
extension_of (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *dot = strrchr (base ? base : path, '.');

  return dot && dot[1] != '\0' ? dot + 1 : NULL;
}

/* Applies the gateway's rules to the facts. Every rule that fails is
 * listed, so a GIF of 3 MiB for WeChat reports both format and size. */
static void
apply_rules (GpCheckReport *self)
{
  const GpGatewayInfo *info = gp_gateway_info (self->gateway);
  const char *ext;

  g_array_set_size (self->problems, 0);
  g_ptr_array_set_size (self->warnings, 0);

  if (self->file_problem_code != NULL)
    {
      self->max_size = gp_gateway_largest_size (self->gateway);
      add_problem (self, self->file_problem_code, g_strdup (self->file_problem_message));
      return;
    }

  if (self->format == GP_FORMAT_UNKNOWN)
    {
      g_autofree char *head = describe_head (self);
      g_autofree char *accepted = gp_gateway_describe_formats (self->gateway);

      self->max_size = gp_gateway_largest_size (self->gateway);
      add_problem (self, GP_CHECK_UNKNOWN_FORMAT,
                   /* TRANSLATORS: "(it starts with ff 00 12 …); WeChat Pay v3 accepts
                    * JPEG (2 MiB), PNG (2 MiB), BMP (2 MiB)" */
                   g_strdup_printf (_("The content is not a JPEG, PNG, BMP, GIF, MP4 or PDF file "
                                      "(it starts with %s); %s accepts %s"),
                                    head, _(info->display_name), accepted));
    }
  else if (!gp_gateway_accepts (self->gateway, self->format))
    {
      g_autofree char *accepted = gp_gateway_describe_formats (self->gateway);

      self->max_size = gp_gateway_largest_size (self->gateway);
      add_problem (self, GP_CHECK_FORMAT_NOT_ALLOWED,
                   /* TRANSLATORS: "GIF files are not accepted by WeChat Pay v3, which
                    * takes JPEG (2 MiB), PNG (2 MiB), BMP (2 MiB)" */
                   g_strdup_printf (_("%s files are not accepted by %s, which takes %s"),
                                    gp_format_display_name (self->format),
                                    _(info->display_name), accepted));
    }
  else
    {
      self->max_size = gp_gateway_max_size (self->gateway, self->format);
    }

  if (self->size > self->max_size)
    {
      g_autofree char *size = format_bytes (self->size);
      g_autofree char *limit = format_bytes (self->max_size);
      g_autofree char *limit_mib = gp_format_size_mib (self->max_size);

      if (self->format != GP_FORMAT_UNKNOWN)
        /* TRANSLATORS: "3,145,728 bytes is over the 2 MiB limit (2,097,152
         * bytes) of WeChat Pay v3 for JPEG" */
        add_problem (self, GP_CHECK_EXCEED_MAX_SIZE,
                     g_strdup_printf (_("%s is over the %s limit (%s) of %s for %s"),
                                      size, limit_mib, limit, _(info->display_name),
                                      gp_format_display_name (self->format)));
      else
        add_problem (self, GP_CHECK_EXCEED_MAX_SIZE,
                     g_strdup_printf (_("%s is over the %s limit (%s) of %s"),
                                      size, limit_mib, limit, _(info->display_name)));
    }

  ext = extension_of (self->path);
  if (self->format != GP_FORMAT_UNKNOWN && !gp_format_extension_matches (self->format, self->path))
    {
      if (ext != NULL)
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_("The name ends in .%s but the content is %s; "
                                            "it is sent as %s"),
                                          ext, gp_format_display_name (self->format),
                                          gp_format_display_name (self->format)));
      else
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_("The name has no extension; the content is %s "
                                            "and is sent as %s"),
                                          gp_format_display_name (self->format),
                                          gp_format_display_name (self->format)));
    }

  if (self->header_damaged)
    g_ptr_array_add (self->warnings,
                     g_strdup_printf (_("The %s header is truncated or damaged; "
                                        "the gateway may refuse the file"),
                                      gp_format_display_name (self->format)));
}

/* Byte-wise readers: headers sit at any alignment in a read buffer. */
static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

/**
 * gp_sniff_format:
 * @data: the first bytes of a file
 * @len: how many
 *
 * Recognises a format by its magic bytes (PROTOCOLS.md section 5.2), with
 * enough of the header checked that a text file starting "BM" is not a
 * bitmap.
 *
 * Returns: the format, or %GP_FORMAT_UNKNOWN
 */
GpFormat
gp_sniff_format (const guint8 *data,
                 gsize         len)
{
  static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

  g_return_val_if_fail (data != NULL || len == 0, GP_FORMAT_UNKNOWN);

  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return GP_FORMAT_JPEG;
  if (len >= sizeof png_magic && memcmp (data, png_magic, sizeof png_magic) == 0)
    return GP_FORMAT_PNG;
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return GP_FORMAT_GIF;
  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return GP_FORMAT_PDF;
  /* ISO base media: a box size, then "ftyp" and a major brand. QuickTime
   * ("qt  ") shares the layout but is not MP4. */
  if (len >= 12 && memcmp (data + 4, "ftyp", 4) == 0 && memcmp (data + 8, "qt  ", 4) != 0)
    {
      if (be32 (data) >= 8)
        return GP_FORMAT_MP4;
    }
  if (len >= 18 && data[0] == 'B' && data[1] == 'M')
    {
      switch (le32 (data + 14))
        {
        case 12: case 16: case 40: case 52: case 56: case 64: case 108: case 124:
          return GP_FORMAT_BMP;
        default:
          break;
        }
    }

  return GP_FORMAT_UNKNOWN;
}

static gboolean
jpeg_dimensions (const guint8 *data,
                 gsize         len,
                 guint        *width,
                 guint        *height)
{
  gsize pos = 2;

  while (pos + 4 <= len)
    {
      guint8 marker;
      guint seg_len;

      if (data[pos] != 0xff)
        return FALSE;
      while (pos < len && data[pos] == 0xff)
        pos++;
      if (pos >= len)
        return FALSE;
      marker = data[pos++];

      /* Markers without a length field. */
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
        continue;
      if (marker == 0xd9 || marker == 0xda || pos + 2 > len)
        return FALSE;

      seg_len = be16 (data + pos);
      if (seg_len < 2)
        return FALSE;

      /* SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (pos + 7 > len)
            return FALSE;
          *height = be16 (data + pos + 3);
          *width = be16 (data + pos + 5);
          return *width > 0 && *height > 0;
        }
      pos += seg_len;
    }

  return FALSE;
}

/**
 * gp_sniff_dimensions:
 *
 * Reads width and height from the first bytes of an image where that is
 * cheap (JPEG, PNG, GIF, BMP). Video and PDF sizes are left to the GUI.
 *
 * Returns: %TRUE when both were found and are non-zero
 */
gboolean
gp_sniff_dimensions (GpFormat      format,
                     const guint8 *data,
                     gsize         len,
                     guint        *width,
                     guint        *height)
{
  gint32 w, h;

  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  switch (format)
    {
    case GP_FORMAT_PNG:
      if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
        return FALSE;
      *width = be32 (data + 16);
      *height = be32 (data + 20);
      return *width > 0 && *height > 0;

    case GP_FORMAT_GIF:
      if (len < 10)
        return FALSE;
      *width = data[6] | data[7] << 8;
      *height = data[8] | data[9] << 8;
      return *width > 0 && *height > 0;

    case GP_FORMAT_BMP:
      if (len < 26)
        return FALSE;
      if (data[14] == 12)
        {
          *width = data[18] | data[19] << 8;
          *height = data[20] | data[21] << 8;
          return *width > 0 && *height > 0;
        }
      w = (gint32) le32 (data + 18);
      h = (gint32) le32 (data + 22);
      /* A negative height marks a top-down bitmap. */
      if (w <= 0 || h == 0 || h == G_MININT32)
        return FALSE;
      *width = (guint) w;
      *height = (guint) ABS (h);
      return TRUE;

    case GP_FORMAT_JPEG:
      return jpeg_dimensions (data, len, width, height);

    case GP_FORMAT_UNKNOWN:
    case GP_FORMAT_MP4:
    case GP_FORMAT_PDF:
    case GP_N_FORMATS:
    default:
      return FALSE;
    }
}

static void
set_file_problem (GpCheckReport *self,
                  const char    *code,
                  char          *message)
{
  self->file_problem_code = code;
  g_free (self->file_problem_message);
  self->file_problem_message = message;
}

static const char *
describe_file_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");

  return _("a special file");
}

static gint64
stat_mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* Unlike the modification time, no program can set the change time back. */
static gint64
stat_ctime_ns (const struct stat *st)
{
  return (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_ctim.tv_nsec;
}

static void
hex_digest (const guint8 *digest,
            gsize         len,
            char         *out)
{
  static const char hex[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[2 * len] = '\0';
}

typedef struct
{
  gnutls_hash_hd_t sha256;
} Hashes;

static void
hashes_clear (Hashes *h)
{
  if (h->sha256 != NULL)
    gnutls_hash_deinit (h->sha256, NULL);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Hashes, hashes_clear)

/* Fills @buf as far as the file allows; short reads of a regular file only
 * happen at its end. Also the multipart stream's. */
gssize
gp_read_full (int     fd,
              guint8 *buf,
              gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (fd, buf + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }

  return done;
}


/* Type and dimensions from the first chunk of the file. */
static void
sniff_head (GpCheckReport *self,
            const guint8  *buf,
            gsize          n)
{
  self->head_len = MIN (n, sizeof self->head);
  memcpy (self->head, buf, self->head_len);
  self->format = gp_sniff_format (buf, n);
  self->has_dimensions = gp_sniff_dimensions (self->format, buf, n,
                                              &self->width, &self->height);
  /* Images carry their size in a fixed header; a JPEG's SOF may sit past
   * the first chunk of a very large file. */
  self->header_damaged = !self->has_dimensions &&
                         (self->format == GP_FORMAT_PNG ||
                          self->format == GP_FORMAT_GIF ||
                          self->format == GP_FORMAT_BMP ||
                          (self->format == GP_FORMAT_JPEG && n < CHUNK_SIZE));
}

static void
set_read_problem (GpCheckReport *self,
                  int            saved_errno)
{
  set_file_problem (self, GP_CHECK_UNREADABLE,
                    g_strdup_printf (_("Could not read the file: %s"), g_strerror (saved_errno)));
}

/* GP_FILE_CHECK_DEFER_DIGESTS: the first chunk only. */
static void
read_head (GpCheckReport *self,
           int            fd)
{
  g_autofree guint8 *buf = g_malloc (CHUNK_SIZE);
  gssize n = gp_read_full (fd, buf, CHUNK_SIZE);

  if (n < 0)
    {
      set_read_problem (self, errno);
      return;
    }
  if (n == 0)
    {
      set_file_problem (self, GP_CHECK_FILE_CHANGED,
                        g_strdup (_("The file became empty while it was being checked; "
                                    "check it again")));
      return;
    }
  sniff_head (self, buf, n);
  self->digests_deferred = TRUE;
}

/* Reads the whole file once: sniff and dimensions from the first chunk,
 * SHA-256 over every chunk and, with @want_md5, MD5 on a thread of its own
 * (gp-hash-worker.c). MD5 is the slower digest (it has no CPU instructions;
 * SHA-256 has SHA-NI: on the benchmark machine openssl's MD5 runs at
 * 0.77 GB/s and its SHA-256 at 1.8 GB/s), so on two cores a check with MD5
 * takes about as long as MD5 alone instead of the sum of both
 * (bench/check). Never holds more than a few chunks. Returns FALSE only
 * when cancelled; read failures become problems. */
static gboolean
read_and_hash (GpCheckReport  *self,
               int             fd,
               gboolean        want_md5,
               GCancellable   *cancellable,
               GError        **error)
{
  g_auto(Hashes) h = { NULL };
  g_autoptr(GpHashWorker) md5 = NULL;
  g_autofree guint8 *own = NULL;     /* the one buffer, without MD5 */
  guint8 digest[32];
  guint64 total = 0;
  gboolean first = TRUE;

  if (gnutls_hash_init (&h.sha256, GNUTLS_DIG_SHA256) < 0)
    {
      set_file_problem (self, GP_CHECK_UNREADABLE,
                        g_strdup (_("The system's crypto library refused SHA-256 or MD5")));
      return TRUE;
    }
  if (want_md5)
    md5 = gp_hash_worker_new (GNUTLS_DIG_MD5, CHUNK_SIZE);
  else
    own = g_malloc (CHUNK_SIZE);

  for (;;)
    {
      guint8 *buf;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      buf = md5 != NULL ? gp_hash_worker_take_chunk (md5) : own;
      n = gp_read_full (fd, buf, CHUNK_SIZE);
      if (n <= 0 && md5 != NULL)
        gp_hash_worker_give_chunk (md5, buf, 0);
      if (n < 0)
        {
          set_read_problem (self, errno);
          return TRUE;
        }
      if (n == 0)
        break;

      if (first)
        {
          sniff_head (self, buf, n);
          first = FALSE;
        }

      gnutls_hash (h.sha256, buf, n);
      if (md5 != NULL)
        gp_hash_worker_give_chunk (md5, buf, n);
      total += n;
    }

  if (total != self->size)
    {
      g_autofree char *expected = format_bytes (self->size);
      g_autofree char *got = format_bytes (total);

      set_file_problem (self, GP_CHECK_FILE_CHANGED,
                        g_strdup_printf (_("The file changed while it was being checked "
                                           "(%s expected, %s read); check it again"),
                                         expected, got));
      return TRUE;
    }

  gnutls_hash_output (h.sha256, digest);
  hex_digest (digest, 32, self->sha256);
  if (md5 != NULL)
    {
      if (!gp_hash_worker_finish (md5, digest))
        {
          set_file_problem (self, GP_CHECK_UNREADABLE,
                            g_strdup (_("The system's crypto library refused SHA-256 or MD5")));
          return TRUE;
        }
      hex_digest (digest, 16, self->md5);
    }

  return TRUE;
}

static gboolean
inspect (GpCheckReport    *self,
         GpFileCheckFlags  flags,
         GCancellable     *cancellable,
         GError          **error)
{
  struct stat st;
  int fd;
  gboolean ret;

  /* stat() before open(): opening a device or FIFO can block or have side
   * effects, so only regular files are ever opened. */
  if (stat (self->path, &st) != 0)
    {
      int saved_errno = errno;

      set_file_problem (self, GP_CHECK_UNREADABLE,
                        g_strdup_printf (_("Could not open the file: %s"), g_strerror (saved_errno)));
      return TRUE;
    }
  if (!S_ISREG (st.st_mode))
    {
      set_file_problem (self, GP_CHECK_NOT_REGULAR_FILE,
                        /* TRANSLATORS: "This is a directory, not a regular file" */
                        g_strdup_printf (_("This is %s, not a regular file"),
                                         describe_file_type (st.st_mode)));
      return TRUE;
    }

  fd = open (self->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      set_file_problem (self, GP_CHECK_UNREADABLE,
                        g_strdup_printf (_("Could not open the file: %s"), g_strerror (saved_errno)));
      return TRUE;
    }

  /* The path may have been swapped between stat() and open(). */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      set_file_problem (self, GP_CHECK_NOT_REGULAR_FILE,
                        /* TRANSLATORS: "This is a directory, not a regular file" */
                        g_strdup_printf (_("This is %s, not a regular file"),
                                         describe_file_type (st.st_mode)));
      close (fd);
      return TRUE;
    }

  self->size = st.st_size;
  self->mtime_ns = stat_mtime_ns (&st);
  self->ctime_ns = stat_ctime_ns (&st);
  self->dev = st.st_dev;
  self->ino = st.st_ino;

  if (self->size == 0)
    {
      set_file_problem (self, GP_CHECK_EMPTY_FILE, g_strdup (_("The file is empty (0 bytes)")));
      close (fd);
      return TRUE;
    }

  if (flags & GP_FILE_CHECK_DEFER_DIGESTS)
    {
      ret = TRUE;
      read_head (self, fd);
    }
  else
    ret = read_and_hash (self, fd,
                         (flags & GP_FILE_CHECK_ALL_DIGESTS) ||
                         self->gateway == GP_GATEWAY_WECHATPAY_V2,
                         cancellable, error);
  close (fd);

  return ret;
}

/**
 * gp_file_check_sync:
 * @path: the file, absolute or relative to the working directory
 * @gateway: whose rules apply
 * @flags: which digests, if any, to compute now
 *
 * Checks @path: type from magic bytes, size against the gateway's limit,
 * image dimensions, and in the same streaming pass SHA-256, plus MD5 where
 * WeChat Pay v2 needs it or @flags ask for it. A file that fails a rule
 * gives a report with problems, not an error.
 *
 * Returns: (transfer full): the report, or %NULL when cancelled
 */
GpCheckReport *
gp_file_check_sync (const char        *path,
                    GpGatewayKind      gateway,
                    GpFileCheckFlags   flags,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(GpCheckReport) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (gateway >= 0 && gateway < GP_N_GATEWAYS, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = gp_check_report_new (path, gateway);
  if (!inspect (self, flags, cancellable, error))
    return NULL;
  apply_rules (self);

  return g_steal_pointer (&self);
}

typedef struct
{
  char             *path;
  GpGatewayKind     gateway;
  GpFileCheckFlags  flags;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  GError *error = NULL;
  GpCheckReport *report;

  report = gp_file_check_sync (data->path, data->gateway, data->flags, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) gp_check_report_unref);
}

/**
 * gp_file_check_async:
 *
 * Runs gp_file_check_sync() in a worker thread.
 */
void
gp_file_check_async (const char          *path,
                     GpGatewayKind        gateway,
                     GpFileCheckFlags     flags,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (gateway >= 0 && gateway < GP_N_GATEWAYS);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CheckData, 1);
  data->path = g_strdup (path);
  data->gateway = gateway;
  data->flags = flags;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_file_check_async);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * gp_file_check_finish:
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
GpCheckReport *
gp_file_check_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_file_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gp_check_report_evaluate:
 *
 * Applies another gateway's rules to the same facts without reading the
 * file again (the GUI switches profiles).
 *
 * Returns: (transfer full): a new report
 */
GpCheckReport *
gp_check_report_evaluate (GpCheckReport *self,
                          GpGatewayKind  gateway)
{
  GpCheckReport *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (gateway >= 0 && gateway < GP_N_GATEWAYS, NULL);

  copy = gp_check_report_new (self->path, gateway);
  copy->file_problem_code = self->file_problem_code;
  copy->file_problem_message = g_strdup (self->file_problem_message);
  copy->format = self->format;
  copy->size = self->size;
  copy->mtime_ns = self->mtime_ns;
  copy->ctime_ns = self->ctime_ns;
  copy->digests_deferred = self->digests_deferred;
  copy->dev = self->dev;
  copy->ino = self->ino;
  memcpy (copy->sha256, self->sha256, sizeof copy->sha256);
  memcpy (copy->md5, self->md5, sizeof copy->md5);
  copy->width = self->width;
  copy->height = self->height;
  copy->has_dimensions = self->has_dimensions;
  copy->header_damaged = self->header_damaged;
  memcpy (copy->head, self->head, sizeof copy->head);
  copy->head_len = self->head_len;
  apply_rules (copy);

  return copy;
}

/**
 * gp_check_report_still_matches:
 * @fd: the file, opened again for upload
 *
 * Compares what was checked with what is open now: same file (device and
 * inode), same size, same modification time, and for a report whose
 * digests were deferred the same change time (which no program can set
 * back). The upload stage also hashes while sending: against the checked
 * SHA-256, or, deferred, to record what was sent.
 *
 * Returns: %TRUE when nothing changed, else %FALSE with a
 *   %GP_CHECK_ERROR error whose message says what changed
 */
gboolean
gp_check_report_still_matches (GpCheckReport  *self,
                               int             fd,
                               GError        **error)
{
  struct stat st;

  g_return_val_if_fail (self != NULL, FALSE);

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                   _("The file can no longer be read: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || st.st_dev != self->dev || st.st_ino != self->ino)
    {
      g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                           _("The file was replaced by another since it was checked"));
      return FALSE;
    }
  if ((guint64) st.st_size != self->size)
    {
      g_autofree char *then = format_bytes (self->size);
      g_autofree char *now = format_bytes ((guint64) st.st_size);

      g_set_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                   _("The file changed size since it was checked (%s then, %s now)"),
                   then, now);
      return FALSE;
    }
  if (stat_mtime_ns (&st) != self->mtime_ns ||
      (self->digests_deferred && stat_ctime_ns (&st) != self->ctime_ns))
    {
      g_set_error_literal (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED,
                           _("The file was modified since it was checked"));
      return FALSE;
    }

  return TRUE;
}

const char *
gp_check_report_get_path (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

GpGatewayKind
gp_check_report_get_gateway (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, GP_GATEWAY_INVALID);
  return self->gateway;
}

gboolean
gp_check_report_is_ok (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->problems->len == 0;
}

GpFormat
gp_check_report_get_format (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, GP_FORMAT_UNKNOWN);
  return self->format;
}

guint64
gp_check_report_get_size (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

/* The limit that applied: the format's, or the gateway's largest when the
 * format is unknown or refused. */
guint64
gp_check_report_get_max_size (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_size;
}

gint64
gp_check_report_get_mtime_ns (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->mtime_ns;
}

/**
 * gp_check_report_get_sha256:
 *
 * Returns: (nullable): 64 lower-case hex digits, or %NULL when the file
 *   could not be read whole, or when its digests were deferred and no
 *   upload has sent it whole yet
 */
const char *
gp_check_report_get_sha256 (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sha256[0] ? self->sha256 : NULL;
}

/**
 * gp_check_report_get_digests_deferred:
 *
 * Returns: %TRUE when the check computed no digest
 *   (%GP_FILE_CHECK_DEFER_DIGESTS): the SHA-256 is then unknown until an
 *   upload has sent the whole file
 */
gboolean
gp_check_report_get_digests_deferred (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->digests_deferred;
}

/**
 * gp_check_report_set_sent_sha256:
 * @sha256_hex: the SHA-256 of the bytes an upload just sent, lower-case hex
 *
 * For a report whose digests were deferred: records the SHA-256 of what
 * the first complete send read (a later attempt must send the same
 * bytes), or, after an upload that never sent the file whole, of the file
 * as it is then.
 *
 * Returns: %TRUE if @sha256_hex was recorded or equals the recorded one,
 *   %FALSE if it differs (the file changed between attempts)
 */
gboolean
gp_check_report_set_sent_sha256 (GpCheckReport *self,
                                 const char    *sha256_hex)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->digests_deferred, FALSE);
  g_return_val_if_fail (sha256_hex != NULL && strlen (sha256_hex) == 64, FALSE);

  if (self->sha256[0] != '\0')
    return g_ascii_strcasecmp (self->sha256, sha256_hex) == 0;
  g_strlcpy (self->sha256, sha256_hex, sizeof self->sha256);

  return TRUE;
}

/**
 * gp_check_report_get_md5:
 *
 * Returns: (nullable): 32 lower-case hex digits (v2's media_hash)
 */
const char *
gp_check_report_get_md5 (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->md5[0] ? self->md5 : NULL;
}

gboolean
gp_check_report_get_dimensions (GpCheckReport *self,
                                guint         *width,
                                guint         *height)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (width)
    *width = self->has_dimensions ? self->width : 0;
  if (height)
    *height = self->has_dimensions ? self->height : 0;

  return self->has_dimensions;
}

guint
gp_check_report_get_n_problems (GpCheckReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->problems->len;
}

/**
 * gp_check_report_get_problem:
 *
 * Returns: (transfer none): the @index-th problem, most fundamental first
 */
const GpCheckProblem *
gp_check_report_get_problem (GpCheckReport *self,
                             guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->problems->len, NULL);

  return &g_array_index (self->problems, GpCheckProblem, index);
}

/**
 * gp_check_report_dup_message:
 *
 * Returns: (transfer full) (nullable): every problem's message joined
 *   with "; ", or %NULL when the file passed
 */
char *
gp_check_report_dup_message (GpCheckReport *self)
{
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->problems->len == 0)
    return NULL;

  s = g_string_new (NULL);
  for (guint i = 0; i < self->problems->len; i++)
    {
      if (i > 0)
        g_string_append (s, "; ");
      g_string_append (s, g_array_index (self->problems, GpCheckProblem, i).message);
    }

  return g_string_free (s, FALSE);
}

/**
 * gp_check_report_get_warnings:
 *
 * Returns: (transfer none) (array zero-terminated=1): warnings that do not
 *   stop the upload (a name whose extension disagrees with the content)
 */
const char * const *
gp_check_report_get_warnings (GpCheckReport *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (self != NULL, NULL);

  /* An empty null-terminated GPtrArray may have no storage yet. */
  if (self->warnings->pdata == NULL)
    return none;

  return (const char * const *) self->warnings->pdata;
}
