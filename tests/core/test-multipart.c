/* test-multipart.c: byte-exact bodies and the file-changed guard of GpMultipart
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gatepost-core.h"

#define DOC_BOUNDARY "gatepost-2c5e0b7a9d4f4e1b8a6c3d2e1f0a9b8c"
#define PIC1_SHA256 "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4"

/* PROTOCOLS.md 2.2, the HMAC case (700 bytes). */
static const char v2_doc_body[] =
  "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; name=\"mch_id\"\r\n\r\n1230000109\r\n"
  "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; name=\"media_hash\"\r\n\r\n"
  "3b9050f1dc255c49f6fc73da8cdbd61f\r\n"
  "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; name=\"sign_type\"\r\n\r\n"
  "HMAC-SHA256\r\n"
  "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; name=\"sign\"\r\n\r\n"
  "ECAA7AA506ED7B2F81BB8CA68661CBF4B8A9EDA6082E107634AFF10027D9FBE4\r\n"
  "--" DOC_BOUNDARY "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"filea.jpg\"\r\n"
  "Content-Type: image/jpeg\r\n\r\npic1\r\n"
  "--" DOC_BOUNDARY "--\r\n";

/* PROTOCOLS.md 3.1 (419 bytes). */
static const char v3_doc_body[] =
  "--" DOC_BOUNDARY "\r\n"
  "Content-Disposition: form-data; name=\"meta\"\r\n"
  "Content-Type: application/json\r\n"
  "\r\n"
  "{\"filename\":\"filea.jpg\",\"sha256\":\"" PIC1_SHA256 "\"}\r\n"
  "--" DOC_BOUNDARY "\r\n"
  "Content-Disposition: form-data; name=\"file\"; filename=\"filea.jpg\"\r\n"
  "Content-Type: image/jpeg\r\n"
  "\r\n"
  "pic1\r\n"
  "--" DOC_BOUNDARY "--\r\n";

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gatepost-multipart-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GpCheckReport *
write_and_check_flags (Fixture          *f,
                       const char       *name,
                       const void       *data,
                       gsize             len,
                       GpFileCheckFlags  flags,
                       char            **path_out)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GpCheckReport *report;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  report = gp_file_check_sync (path, (flags & GP_FILE_CHECK_DEFER_DIGESTS) ? GP_GATEWAY_ALIPAY
                                                                           : GP_GATEWAY_WECHATPAY_V3,
                               flags, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  if (path_out)
    *path_out = g_steal_pointer (&path);

  return report;
}

/* MD5 too: the v2 document body needs it. */
static GpCheckReport *
write_and_check (Fixture     *f,
                 const char  *name,
                 const void  *data,
                 gsize        len,
                 char       **path_out)
{
  return write_and_check_flags (f, name, data, len, GP_FILE_CHECK_ALL_DIGESTS, path_out);
}

static void
test_v2_document_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = write_and_check (f, "filea.jpg", "pic1", 4, NULL);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;

  g_assert_cmpstr (gp_check_report_get_md5 (report), ==, "3b9050f1dc255c49f6fc73da8cdbd61f");

  gp_multipart_add_text (mp, "mch_id", "1230000109", NULL);
  gp_multipart_add_text (mp, "media_hash", gp_check_report_get_md5 (report), NULL);
  gp_multipart_add_text (mp, "sign_type", "HMAC-SHA256", NULL);
  gp_multipart_add_text (mp, "sign",
                         "ECAA7AA506ED7B2F81BB8CA68661CBF4B8A9EDA6082E107634AFF10027D9FBE4", NULL);
  gp_multipart_set_file (mp, "media", "filea.jpg", "image/jpeg", report);

  g_assert_cmpuint (strlen (v2_doc_body), ==, 700);
  g_assert_cmpuint (gp_multipart_get_length (mp), ==, 700);
  body = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), v2_doc_body, 700);

  content_type = gp_multipart_dup_content_type (mp);
  g_assert_cmpstr (content_type, ==, "multipart/form-data; boundary=" DOC_BOUNDARY);
}

static void
test_v3_document_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = write_and_check (f, "filea.jpg", "pic1", 4, NULL);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==, PIC1_SHA256);
  gp_multipart_add_text (mp, "meta", "{\"filename\":\"filea.jpg\",\"sha256\":\"" PIC1_SHA256 "\"}",
                         "application/json");
  gp_multipart_set_file (mp, "file", "filea.jpg", "image/jpeg", report);

  g_assert_cmpuint (strlen (v3_doc_body), ==, 419);
  g_assert_cmpuint (gp_multipart_get_length (mp), ==, 419);
  body = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), v3_doc_body, 419);

  /* Every attempt opens the file afresh and gets the same bytes. */
  again = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, again));
}

static void
test_text_only (void)
{
  g_autoptr(GpMultipart) mp = gp_multipart_new ("B");
  g_autoptr(GBytes) body = NULL;
  static const char expected[] =
    "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\ny\r\n--B--\r\n";

  gp_multipart_add_text (mp, "a", "x\r\ny", NULL);
  body = gp_multipart_to_bytes (mp, NULL, NULL);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   expected, strlen (expected));
  g_assert_cmpuint (gp_multipart_get_length (mp), ==, strlen (expected));
}

/* Reads the stream to its end or first error, returning what was emitted. */
static GBytes *
drain (GInputStream  *stream,
       gsize          chunk,
       GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 *buf = g_malloc (chunk);
  gssize n;

  while ((n = g_input_stream_read (stream, buf, chunk, NULL, error)) > 0)
    {
      g_assert_cmpint (n, <=, chunk);
      g_byte_array_append (out, buf, n);
    }
  g_free (buf);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
contains (GBytes     *bytes,
          const char *needle)
{
  return g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), needle) != NULL;
}

static void
restore_mtime (const char    *path,
               GpCheckReport *report)
{
  gint64 ns = gp_check_report_get_mtime_ns (report);
  struct timespec times[2];

  times[0].tv_sec = ns / 1000000000;
  times[0].tv_nsec = ns % 1000000000;
  times[1] = times[0];
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static void
test_changed_before_open (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GpCheckReport) report = write_and_check (f, "a.jpg", "pic1", 4, &path);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  gp_multipart_set_file (mp, "file", "a.jpg", "image/jpeg", report);

  /* Size changed: refused at open. */
  g_file_set_contents (path, "pic12", 5, &error);
  g_assert_no_error (error);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_clear_error (&error);

  /* Removed: refused at open. */
  g_unlink (path);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
}

static void
test_changed_same_size_and_mtime (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GpCheckReport) report = write_and_check (f, "a.jpg", "pic1", 4, &path);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) emitted = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  gp_multipart_add_text (mp, "meta", "{}", "application/json");
  gp_multipart_set_file (mp, "file", "a.jpg", "image/jpeg", report);

  /* Same inode, same size, same mtime: only the hash can tell. */
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "pic2", 4), ==, 4);
  close (fd);
  restore_mtime (path, report);

  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  emitted = drain (stream, 7, &error);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_assert_true (contains (emitted, "pic2"));
  g_assert_false (contains (emitted, DOC_BOUNDARY "--"));
  g_assert_cmpuint (g_bytes_get_size (emitted), <, gp_multipart_get_length (mp));
  g_clear_error (&error);

  /* The failure is sticky. */
  g_assert_cmpint (g_input_stream_read (stream, (char[4]) { 0 }, 4, NULL, &error), ==, -1);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
}

/* Digests deferred (Alipay): the body is the same, and the SHA-256 of the
 * bytes sent lands in the report; a second send must match it. */
static void
test_deferred_digest (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpCheckReport) full = NULL;
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GpMultipart) mp_full = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) body_full = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;

  report = write_and_check_flags (f, "a.jpg", "pic1", 4, GP_FILE_CHECK_DEFER_DIGESTS, &path);
  g_assert_true (gp_check_report_get_digests_deferred (report));
  g_assert_null (gp_check_report_get_sha256 (report));
  g_assert_null (gp_check_report_get_md5 (report));
  g_assert_cmpuint (gp_check_report_get_size (report), ==, 4);

  gp_multipart_add_text (mp, "image_type", "jpg", NULL);
  gp_multipart_set_file (mp, "image_content", "a.jpg", "image/jpeg", report);
  body = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);
  /* PROTOCOLS.md's "pic1" */
  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==,
                   "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4");

  full = gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  gp_multipart_add_text (mp_full, "image_type", "jpg", NULL);
  gp_multipart_set_file (mp_full, "image_content", "a.jpg", "image/jpeg", full);
  body_full = gp_multipart_to_bytes (mp_full, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, body_full));

  /* A retry reads the file again and compares. */
  again = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, body));
}

/* Deferred digests leave nothing to compare the content with: the change
 * time, which any write moves and no program can set back, must then
 * catch what a restored mtime hides. */
static void
test_deferred_changed_same_size_and_mtime (Fixture       *f,
                                           gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) emitted = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  report = write_and_check_flags (f, "a.jpg", "pic1", 4, GP_FILE_CHECK_DEFER_DIGESTS, &path);
  gp_multipart_set_file (mp, "image_content", "a.jpg", "image/jpeg", report);

  g_usleep (20000);  /* past the file system's timestamp granularity */
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "pic2", 4), ==, 4);
  close (fd);
  restore_mtime (path, report);

  stream = gp_multipart_open (mp, NULL, &error);
  if (stream != NULL)
    emitted = drain (stream, 7, &error);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_true (emitted == NULL || !contains (emitted, DOC_BOUNDARY "--"));
  g_assert_null (gp_check_report_get_sha256 (report));
}

/* Rewritten in place while streaming, same size: caught at the file's end,
 * before the closing boundary, and no digest is recorded. */
static void
test_deferred_changed_while_streaming (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *content = g_strnfill (100000, 'x');
  g_autofree char *other = g_strnfill (100000, 'y');
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) emitted = NULL;
  g_autoptr(GError) error = NULL;
  char head[16];
  int fd;

  memcpy (content, "%PDF-1.4\n", 9);
  memcpy (other, "%PDF-1.4\n", 9);
  report = write_and_check_flags (f, "big.pdf", content, 100000, GP_FILE_CHECK_DEFER_DIGESTS,
                                  &path);
  gp_multipart_set_file (mp, "image_content", "big.pdf", "application/pdf", report);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (stream, head, sizeof head, NULL, &error), ==, 16);

  g_usleep (20000);
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, other, 100000), ==, 100000);
  close (fd);

  emitted = drain (stream, 8192, &error);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_false (contains (emitted, DOC_BOUNDARY "--"));
  g_assert_null (gp_check_report_get_sha256 (report));
}

/* Above 256 KiB the SHA-256 is computed on a thread while the body is
 * read: the same verdicts. A same-size rewrite with the mtime restored is
 * caught by the digest; a deferred digest is the file's. */
static void
test_large_file_threaded_digest (Fixture       *f,
                                 gconstpointer  data)
{
  gsize size = 2 * 1048576 + 4097;
  g_autofree guint8 *content = g_malloc (size);
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  g_autofree char *deferred_path = NULL;
  g_autofree char *closing = NULL;
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpCheckReport) deferred = NULL;
  g_autoptr(GpMultipart) mp = gp_multipart_new (NULL);
  g_autoptr(GpMultipart) mp_deferred = gp_multipart_new (NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) emitted = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  char head[4096];
  int fd;

  for (gsize i = 0; i < size; i++)
    content[i] = (guint8) (i * 13 + (i >> 11));
  memcpy (content, "%PDF-1.4\n", 9);
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, content, size);

  deferred = write_and_check_flags (f, "deferred.pdf", content, size,
                                    GP_FILE_CHECK_DEFER_DIGESTS, &deferred_path);
  gp_multipart_set_file (mp_deferred, "file", "deferred.pdf", "application/pdf", deferred);
  body = gp_multipart_to_bytes (mp_deferred, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_check_report_get_sha256 (deferred), ==, expected);

  report = write_and_check (f, "large.pdf", content, size, &path);
  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==, expected);
  gp_multipart_set_file (mp, "file", "large.pdf", "application/pdf", report);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (stream, head, sizeof head, NULL, &error), >, 0);

  /* the last byte changes, in place, and the mtime is put back */
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "!", 1, size - 1), ==, 1);
  close (fd);
  restore_mtime (path, report);

  emitted = drain (stream, 8192, &error);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  closing = g_strdup_printf ("--%s--", gp_multipart_get_boundary (mp));
  g_assert_false (contains (emitted, closing));
}

static void
rewrite_during_stream (Fixture    *f,
                       const char *replacement,
                       gsize       len)
{
  g_autofree char *path = NULL;
  g_autofree char *data = g_strnfill (100000, 'x');
  g_autoptr(GpCheckReport) report = write_and_check (f, "big.pdf", data, 100000, &path);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) emitted = NULL;
  g_autoptr(GError) error = NULL;
  char head[16];
  int fd;

  gp_multipart_set_file (mp, "file", "big.pdf", "application/pdf", report);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (stream, head, sizeof head, NULL, &error), ==, 16);

  /* The file changes in place after the stream was opened and checked. */
  fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, replacement, len), ==, (gssize) len);
  close (fd);

  emitted = drain (stream, 8192, &error);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_false (contains (emitted, DOC_BOUNDARY "--"));
}

static void
test_changed_while_streaming (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *shorter = g_strnfill (50000, 'x');
  g_autofree char *longer = g_strnfill (150000, 'x');
  g_autofree char *same = g_strnfill (100000, 'y');

  rewrite_during_stream (f, shorter, 50000);
  rewrite_during_stream (f, longer, 150000);
  rewrite_during_stream (f, same, 100000);
}

static void
test_large_file_streams (Fixture       *f,
                         gconstpointer  data)
{
  gsize size = 3 * 1048576 + 17;
  g_autofree guint8 *content = g_malloc (size);
  g_autofree char *path = NULL;
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpMultipart) mp = gp_multipart_new (NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  const guint8 *b;

  for (gsize i = 0; i < size; i++)
    content[i] = (guint8) (i * 7 + (i >> 9));
  memcpy (content, "%PDF-1.4\n", 9);
  report = write_and_check (f, "large.pdf", content, size, &path);

  gp_multipart_add_text (mp, "meta", "{}", "application/json");
  gp_multipart_set_file (mp, "file", "large.pdf", "application/pdf", report);
  head = g_strdup_printf ("--%s\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
                          "Content-Type: application/json\r\n\r\n{}\r\n"
                          "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                          "filename=\"large.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
                          gp_multipart_get_boundary (mp), gp_multipart_get_boundary (mp));
  tail = g_strdup_printf ("\r\n--%s--\r\n", gp_multipart_get_boundary (mp));
  g_assert_cmpuint (gp_multipart_get_length (mp), ==, strlen (head) + size + strlen (tail));

  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  body = drain (stream, 65536, &error);
  g_assert_no_error (error);
  b = g_bytes_get_data (body, NULL);
  g_assert_cmpuint (g_bytes_get_size (body), ==, gp_multipart_get_length (mp));
  g_assert_cmpmem (b, strlen (head), head, strlen (head));
  g_assert_cmpmem (b + strlen (head), size, content, size);
  g_assert_cmpmem (b + strlen (head) + size, strlen (tail), tail, strlen (tail));
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async_read (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GpCheckReport) report = write_and_check (f, "filea.jpg", "pic1", 4, NULL);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  gp_multipart_add_text (mp, "meta", "{\"filename\":\"filea.jpg\",\"sha256\":\"" PIC1_SHA256 "\"}",
                         "application/json");
  gp_multipart_set_file (mp, "file", "filea.jpg", "image/jpeg", report);
  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);

  /* libsoup reads request bodies asynchronously. */
  for (;;)
    {
      GBytes *chunk = NULL;

      g_input_stream_read_bytes_async (stream, 100, G_PRIORITY_DEFAULT, NULL, read_done_cb, &chunk);
      while (chunk == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (g_bytes_get_size (chunk) == 0)
        {
          g_bytes_unref (chunk);
          break;
        }
      g_byte_array_append (all, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_bytes_unref (chunk);
    }
  g_assert_cmpmem (all->data, all->len, v3_doc_body, 419);
}

/* libsoup reads a pollable body in its own thread instead of handing every
 * 8 KiB read to a worker thread (bench/upload): the stream is always
 * readable, and non-blocking reads give the same bytes and the same
 * file-changed guard. */
static void
test_pollable (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *content = g_strnfill (100000, 'x');
  g_autoptr(GpCheckReport) report = write_and_check (f, "big.pdf", content, 100000, &path);
  g_autoptr(GpMultipart) mp = gp_multipart_new (DOC_BOUNDARY);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GInputStream) again = NULL;
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GError) error = NULL;
  GPollableInputStream *pollable;
  char buf[8192];
  gssize n;
  int fd;

  memcpy (content, "%PDF-", 5);
  g_file_set_contents (path, content, 100000, &error);
  g_assert_no_error (error);
  g_clear_pointer (&report, gp_check_report_unref);
  report = gp_file_check_sync (path, GP_GATEWAY_WECHATPAY_GLOBAL, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  gp_multipart_add_text (mp, "meta", "{}", "application/json");
  gp_multipart_set_file (mp, "file", "big.pdf", "application/pdf", report);
  expected = gp_multipart_to_bytes (mp, NULL, &error);
  g_assert_no_error (error);

  stream = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (stream));
  pollable = G_POLLABLE_INPUT_STREAM (stream);
  g_assert_true (g_pollable_input_stream_can_poll (pollable));
  g_assert_true (g_pollable_input_stream_is_readable (pollable));
  source = g_pollable_input_stream_create_source (pollable, NULL);
  g_assert_nonnull (source);

  while ((n = g_pollable_input_stream_read_nonblocking (pollable, buf, sizeof buf, NULL,
                                                         &error)) > 0)
    g_byte_array_append (all, (guint8 *) buf, n);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpmem (all->data, all->len, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));

  /* A file rewritten after the open still fails before the tail. */
  again = gp_multipart_open (mp, NULL, &error);
  g_assert_no_error (error);
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "y", 1, 50000), ==, 1);
  close (fd);
  g_byte_array_set_size (all, 0);
  while ((n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (again), buf,
                                                         sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (all, (guint8 *) buf, n);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_assert_cmpuint (all->len, <, g_bytes_get_size (expected));
}

static void
test_boundary (void)
{
  g_autofree char *a = gp_multipart_new_boundary ();
  g_autofree char *b = gp_multipart_new_boundary ();
  g_autoptr(GpMultipart) mp = gp_multipart_new (NULL);

  g_assert_cmpuint (strlen (a), ==, 41);
  g_assert_true (g_str_has_prefix (a, "gatepost-"));
  for (const char *p = a + 9; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_str_has_prefix (gp_multipart_get_boundary (mp), "gatepost-"));
}

static void
test_safe_filename (void)
{
  static const char sha[] = "0123456789abcdefDEADBEEF";
  static const struct
  {
    const char *original;
    GpFormat    format;
    const char *expected;
  } cases[] = {
    { "filea.jpg", GP_FORMAT_JPEG, "filea.jpg" },
    { "/home/u/Scans/scan.JPEG", GP_FORMAT_JPEG, "scan.jpg" },
    { "photo.png", GP_FORMAT_JPEG, "photo.jpg" },           /* the content decides */
    { "licence_2024-v1.2.bmp", GP_FORMAT_BMP, "licence_2024-v1.2.bmp" },
    { "noext", GP_FORMAT_PDF, "noext.pdf" },
    { "营业执照.jpg", GP_FORMAT_JPEG, "0123456789abcdef.jpg" },
    { "a\"b.jpg", GP_FORMAT_JPEG, "0123456789abcdef.jpg" },
    { "a\\b.png", GP_FORMAT_PNG, "0123456789abcdef.png" },
    { "a b.png", GP_FORMAT_PNG, "0123456789abcdef.png" },
    { "x\r\nContent-Type: evil.jpg", GP_FORMAT_JPEG, "0123456789abcdef.jpg" },
    { ".hidden", GP_FORMAT_PNG, "0123456789abcdef.png" },
    { "café.pdf", GP_FORMAT_PDF, "0123456789abcdef.pdf" },
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg", GP_FORMAT_JPEG,
      "0123456789abcdef.jpg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = gp_multipart_safe_filename (cases[i].original, cases[i].format, sha);

      g_assert_cmpstr (name, ==, cases[i].expected);
      g_assert_null (strpbrk (name, "\"\\\r\n /"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/gatepost/multipart/v2-document-body", Fixture, NULL,
              fixture_set_up, test_v2_document_body, fixture_tear_down);
  g_test_add ("/gatepost/multipart/v3-document-body", Fixture, NULL,
              fixture_set_up, test_v3_document_body, fixture_tear_down);
  g_test_add_func ("/gatepost/multipart/text-only", test_text_only);
  g_test_add ("/gatepost/multipart/changed-before-open", Fixture, NULL,
              fixture_set_up, test_changed_before_open, fixture_tear_down);
  g_test_add ("/gatepost/multipart/changed-same-size-and-mtime", Fixture, NULL,
              fixture_set_up, test_changed_same_size_and_mtime, fixture_tear_down);
  g_test_add ("/gatepost/multipart/changed-while-streaming", Fixture, NULL,
              fixture_set_up, test_changed_while_streaming, fixture_tear_down);
  g_test_add ("/gatepost/multipart/deferred-digest", Fixture, NULL,
              fixture_set_up, test_deferred_digest, fixture_tear_down);
  g_test_add ("/gatepost/multipart/deferred-changed-same-size-and-mtime", Fixture, NULL,
              fixture_set_up, test_deferred_changed_same_size_and_mtime, fixture_tear_down);
  g_test_add ("/gatepost/multipart/deferred-changed-while-streaming", Fixture, NULL,
              fixture_set_up, test_deferred_changed_while_streaming, fixture_tear_down);
  g_test_add ("/gatepost/multipart/large-file-threaded-digest", Fixture, NULL,
              fixture_set_up, test_large_file_threaded_digest, fixture_tear_down);
  g_test_add ("/gatepost/multipart/large-file-streams", Fixture, NULL,
              fixture_set_up, test_large_file_streams, fixture_tear_down);
  g_test_add ("/gatepost/multipart/async-read", Fixture, NULL,
              fixture_set_up, test_async_read, fixture_tear_down);
  g_test_add ("/gatepost/multipart/pollable", Fixture, NULL,
              fixture_set_up, test_pollable, fixture_tear_down);
  g_test_add_func ("/gatepost/multipart/boundary", test_boundary);
  g_test_add_func ("/gatepost/multipart/safe-filename", test_safe_filename);

  return g_test_run ();
}
