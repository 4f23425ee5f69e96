/* test-file-check.c: sniffing, hashing and gateway rules of GpFileCheck
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gatepost-core.h"

/* Smallest headers that carry dimensions, written byte by byte so the
 * tests do not depend on an image library agreeing with the sniffer. */
static const guint8 png_640x480[] = {
  0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
  0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x02, 0x80, 0, 0, 0x01, 0xe0, 8, 2, 0, 0, 0,
  0x7b, 0x1a, 0x43, 0xad,
};
static const guint8 jpeg_320x200[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00,
  0x01, 0x00, 0x01, 0x00, 0x00,
  0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xc8, 0x01, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02,
  0x11, 0x01, 0x03, 0x11, 0x01,
  0xff, 0xd9,
};
static const guint8 gif_16x9[] = {
  'G', 'I', 'F', '8', '9', 'a', 16, 0, 9, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, ';',
};
static const guint8 bmp_2x3[] = {
  'B', 'M', 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
  40, 0, 0, 0, 2, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 1, 0, 24, 0, 0, 0, 0, 0,
  16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const guint8 mp4_head[] = {
  0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
  'i', 's', 'o', 'm', 'm', 'p', '4', '1', 0, 0, 0, 8, 'f', 'r', 'e', 'e',
};
static const guint8 mov_head[] = {
  0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' ', 0, 0, 2, 0, 'q', 't', ' ', ' ',
};
static const char pdf_head[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n";

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gatepost-check-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture      *f,
            const char   *name,
            const void   *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return path;
}

/* A file of exactly @size bytes starting with @head; the rest is a hole,
 * so multi-MiB fixtures cost nothing. */
static char *
write_sized (Fixture      *f,
             const char   *name,
             const guint8 *head,
             gsize         head_len,
             guint64       size)
{
  char *path = write_file (f, name, head, head_len);
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);

  return path;
}

static GpCheckReport *
check (const char    *path,
       GpGatewayKind  gateway)
{
  g_autoptr(GError) error = NULL;
  GpCheckReport *report = gp_file_check_sync (path, gateway, GP_FILE_CHECK_NONE, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
assert_problems (GpCheckReport *report,
                 const char    *first,
                 ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *code = first; code != NULL; code = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, gp_check_report_get_n_problems (report));
      g_assert_cmpstr (gp_check_report_get_problem (report, i)->code, ==, code);
    }
  va_end (args);
  g_assert_cmpuint (gp_check_report_get_n_problems (report), ==, i);
  g_assert_true (gp_check_report_is_ok (report) == (i == 0));
}

static void
test_sniff_formats (void)
{
  static const guint8 short_png[] = { 0x89, 'P', 'N', 'G' };
  static const guint8 bm_text[] = "BM is not a bitmap when the header is text";
  static const guint8 gif90[] = "GIF90a.....";

  g_assert_cmpint (gp_sniff_format (png_640x480, sizeof png_640x480), ==, GP_FORMAT_PNG);
  g_assert_cmpint (gp_sniff_format (jpeg_320x200, sizeof jpeg_320x200), ==, GP_FORMAT_JPEG);
  g_assert_cmpint (gp_sniff_format (gif_16x9, sizeof gif_16x9), ==, GP_FORMAT_GIF);
  g_assert_cmpint (gp_sniff_format (bmp_2x3, sizeof bmp_2x3), ==, GP_FORMAT_BMP);
  g_assert_cmpint (gp_sniff_format (mp4_head, sizeof mp4_head), ==, GP_FORMAT_MP4);
  g_assert_cmpint (gp_sniff_format ((const guint8 *) pdf_head, strlen (pdf_head)), ==,
                   GP_FORMAT_PDF);

  /* Truncated and look-alike headers are not recognised. */
  g_assert_cmpint (gp_sniff_format (short_png, sizeof short_png), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (jpeg_320x200, 2), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (mp4_head, 11), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (bmp_2x3, 17), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (bm_text, sizeof bm_text), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (gif90, sizeof gif90), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (mov_head, sizeof mov_head), ==, GP_FORMAT_UNKNOWN);
  g_assert_cmpint (gp_sniff_format (NULL, 0), ==, GP_FORMAT_UNKNOWN);
}

static void
test_sniff_dimensions (void)
{
  guint w = 0, h = 0;

  g_assert_true (gp_sniff_dimensions (GP_FORMAT_PNG, png_640x480, sizeof png_640x480, &w, &h));
  g_assert_cmpuint (w, ==, 640);
  g_assert_cmpuint (h, ==, 480);
  g_assert_true (gp_sniff_dimensions (GP_FORMAT_JPEG, jpeg_320x200, sizeof jpeg_320x200, &w, &h));
  g_assert_cmpuint (w, ==, 320);
  g_assert_cmpuint (h, ==, 200);
  g_assert_true (gp_sniff_dimensions (GP_FORMAT_GIF, gif_16x9, sizeof gif_16x9, &w, &h));
  g_assert_cmpuint (w, ==, 16);
  g_assert_cmpuint (h, ==, 9);
  /* Negative height: a top-down bitmap, still 3 rows. */
  g_assert_true (gp_sniff_dimensions (GP_FORMAT_BMP, bmp_2x3, sizeof bmp_2x3, &w, &h));
  g_assert_cmpuint (w, ==, 2);
  g_assert_cmpuint (h, ==, 3);

  g_assert_false (gp_sniff_dimensions (GP_FORMAT_PNG, png_640x480, 20, &w, &h));
  g_assert_false (gp_sniff_dimensions (GP_FORMAT_JPEG, jpeg_320x200, 24, &w, &h));
  g_assert_false (gp_sniff_dimensions (GP_FORMAT_MP4, mp4_head, sizeof mp4_head, &w, &h));
}

/* Every format against every gateway: accepted exactly where the table of
 * PROTOCOLS.md 5.2 says so. */
static void
test_every_format_every_gateway (Fixture       *f,
                                 gconstpointer  data)
{
  static const struct { const char *name; const void *bytes; gsize len; GpFormat format; } files[] = {
    { "a.jpg", jpeg_320x200, sizeof jpeg_320x200, GP_FORMAT_JPEG },
    { "a.png", png_640x480, sizeof png_640x480, GP_FORMAT_PNG },
    { "a.bmp", bmp_2x3, sizeof bmp_2x3, GP_FORMAT_BMP },
    { "a.gif", gif_16x9, sizeof gif_16x9, GP_FORMAT_GIF },
    { "a.mp4", mp4_head, sizeof mp4_head, GP_FORMAT_MP4 },
    { "a.pdf", pdf_head, sizeof pdf_head - 1, GP_FORMAT_PDF },
  };
  /* rows: files above; columns: alipay, v2, v3, global */
  static const gboolean accepted[][GP_N_GATEWAYS] = {
    { TRUE, TRUE, TRUE, TRUE },
    { TRUE, TRUE, TRUE, TRUE },
    { TRUE, TRUE, TRUE, TRUE },
    { TRUE, FALSE, FALSE, FALSE },
    { TRUE, FALSE, FALSE, FALSE },
    { FALSE, FALSE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = write_file (f, files[i].name, files[i].bytes, files[i].len);

      for (GpGatewayKind g = 0; g < GP_N_GATEWAYS; g++)
        {
          g_autoptr(GpCheckReport) report = check (path, g);

          g_test_message ("%s on %s", files[i].name, gp_gateway_kind_to_string (g));
          g_assert_cmpint (gp_check_report_get_format (report), ==, files[i].format);
          g_assert_cmpuint (gp_check_report_get_size (report), ==, files[i].len);
          g_assert_cmpstr (gp_check_report_get_path (report), ==, path);
          g_assert_cmpint (gp_check_report_get_gateway (report), ==, g);
          if (accepted[i][g])
            assert_problems (report, NULL);
          else
            assert_problems (report, GP_CHECK_FORMAT_NOT_ALLOWED, NULL);
          g_assert_null (gp_check_report_get_warnings (report)[0]);
        }
    }
}

/* Limits are inclusive and in MiB: at the limit passes, one byte over
 * fails, for each distinct limit in the table. */
static void
test_size_limits (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { GpGatewayKind gateway; const guint8 *head; gsize len; guint64 limit; } cases[] = {
    { GP_GATEWAY_ALIPAY, png_640x480, sizeof png_640x480, 5242880 },
    { GP_GATEWAY_ALIPAY, mp4_head, sizeof mp4_head, 52428800 },
    { GP_GATEWAY_WECHATPAY_V2, jpeg_320x200, sizeof jpeg_320x200, 2097152 },
    { GP_GATEWAY_WECHATPAY_V3, bmp_2x3, sizeof bmp_2x3, 2097152 },
    { GP_GATEWAY_WECHATPAY_GLOBAL, (const guint8 *) pdf_head, sizeof pdf_head - 1, 5242880 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *at = write_sized (f, "at", cases[i].head, cases[i].len, cases[i].limit);
      g_autofree char *over = write_sized (f, "over", cases[i].head, cases[i].len,
                                           cases[i].limit + 1);
      g_autoptr(GpCheckReport) r_at = check (at, cases[i].gateway);
      g_autoptr(GpCheckReport) r_over = check (over, cases[i].gateway);
      const GpCheckProblem *problem;

      assert_problems (r_at, NULL);
      g_assert_cmpuint (gp_check_report_get_max_size (r_at), ==, cases[i].limit);
      assert_problems (r_over, GP_CHECK_EXCEED_MAX_SIZE, NULL);
      problem = gp_check_report_get_problem (r_over, 0);
      g_assert_nonnull (strstr (problem->message, " bytes is over the "));
    }
}

static void
test_all_failures_reported (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = write_sized (f, "big.gif", gif_16x9, sizeof gif_16x9, 3 * 1048576);
  g_autoptr(GpCheckReport) report = check (path, GP_GATEWAY_WECHATPAY_V3);
  g_autofree char *message = gp_check_report_dup_message (report);

  assert_problems (report, GP_CHECK_FORMAT_NOT_ALLOWED, GP_CHECK_EXCEED_MAX_SIZE, NULL);
  g_assert_cmpstr (message, ==,
                   "GIF files are not accepted by WeChat Pay v3, which takes "
                   "JPEG (2 MiB), PNG (2 MiB), BMP (2 MiB); "
                   "3,145,728 bytes is over the 2 MiB limit (2,097,152 bytes) of WeChat Pay v3 "
                   "for GIF");
}

static void
test_unknown_format (Fixture       *f,
                     gconstpointer  data)
{
  static const guint8 truncated_png[] = { 0x89, 'P', 'N', 'G', 0x0d };
  g_autofree char *text = write_file (f, "notes.jpg", "hello world", 11);
  g_autofree char *trunc = write_file (f, "t.png", truncated_png, sizeof truncated_png);
  g_autoptr(GpCheckReport) r_text = check (text, GP_GATEWAY_ALIPAY);
  g_autoptr(GpCheckReport) r_trunc = check (trunc, GP_GATEWAY_ALIPAY);

  assert_problems (r_text, GP_CHECK_UNKNOWN_FORMAT, NULL);
  g_assert_cmpint (gp_check_report_get_format (r_text), ==, GP_FORMAT_UNKNOWN);
  g_assert_nonnull (strstr (gp_check_report_get_problem (r_text, 0)->message,
                            "starts with 68 65 6c 6c 6f 20 77 6f"));
  /* Hashes are still known: the history may want them. */
  g_assert_nonnull (gp_check_report_get_sha256 (r_text));
  assert_problems (r_trunc, GP_CHECK_UNKNOWN_FORMAT, NULL);
}

static void
test_damaged_header_warns (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = write_file (f, "cut.png", png_640x480, 12);
  g_autoptr(GpCheckReport) report = check (path, GP_GATEWAY_ALIPAY);
  const char * const *warnings = gp_check_report_get_warnings (report);

  assert_problems (report, NULL);
  g_assert_cmpint (gp_check_report_get_format (report), ==, GP_FORMAT_PNG);
  g_assert_false (gp_check_report_get_dimensions (report, NULL, NULL));
  g_assert_cmpstr (warnings[0], ==,
                   "The PNG header is truncated or damaged; the gateway may refuse the file");
}

static void
test_extension_mismatch (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *png = write_file (f, "photo.PNG", jpeg_320x200, sizeof jpeg_320x200);
  g_autofree char *jpeg = write_file (f, "photo.JPEG", jpeg_320x200, sizeof jpeg_320x200);
  g_autofree char *bare = write_file (f, "photo", jpeg_320x200, sizeof jpeg_320x200);
  g_autoptr(GpCheckReport) r_png = check (png, GP_GATEWAY_WECHATPAY_V3);
  g_autoptr(GpCheckReport) r_jpeg = check (jpeg, GP_GATEWAY_WECHATPAY_V3);
  g_autoptr(GpCheckReport) r_bare = check (bare, GP_GATEWAY_WECHATPAY_V3);

  assert_problems (r_png, NULL);
  g_assert_cmpint (gp_check_report_get_format (r_png), ==, GP_FORMAT_JPEG);
  g_assert_cmpstr (gp_check_report_get_warnings (r_png)[0], ==,
                   "The name ends in .PNG but the content is JPEG; it is sent as JPEG");
  g_assert_null (gp_check_report_get_warnings (r_jpeg)[0]);
  g_assert_cmpstr (gp_check_report_get_warnings (r_bare)[0], ==,
                   "The name has no extension; the content is JPEG and is sent as JPEG");
}

static void
test_hashes (Fixture       *f,
             gconstpointer  data)
{
  /* Known answers from PROTOCOLS.md ("pic1"). MD5 is v2's media_hash:
   * computed for v2, or when asked for. */
  g_autofree char *small = write_file (f, "pic1", "pic1", 4);
  g_autoptr(GpCheckReport) r_small = check (small, GP_GATEWAY_WECHATPAY_V2);
  g_autoptr(GpCheckReport) r_alipay = check (small, GP_GATEWAY_ALIPAY);
  /* Several read chunks: compare with GLib's own implementation. */
  gsize big_len = 3 * 1048576 + 12345;
  g_autofree guint8 *big = g_malloc (big_len);
  g_autofree char *big_path = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *md5 = NULL;
  g_autoptr(GpCheckReport) r_big = NULL;

  g_assert_cmpstr (gp_check_report_get_sha256 (r_small), ==,
                   "46db78df94f91d366709232d36470c1936b4631dd4572ff8722509afe5b107a4");
  g_assert_cmpstr (gp_check_report_get_md5 (r_small), ==, "3b9050f1dc255c49f6fc73da8cdbd61f");
  g_assert_cmpstr (gp_check_report_get_sha256 (r_alipay), ==,
                   gp_check_report_get_sha256 (r_small));
  g_assert_null (gp_check_report_get_md5 (r_alipay));

  for (gsize i = 0; i < big_len; i++)
    big[i] = (guint8) (i * 2654435761u >> 13);
  memcpy (big, jpeg_320x200, sizeof jpeg_320x200);
  big_path = write_file (f, "big.jpg", big, big_len);
  r_big = gp_file_check_sync (big_path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_ALL_DIGESTS, NULL, NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, big, big_len);
  md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, big, big_len);
  g_assert_cmpstr (gp_check_report_get_sha256 (r_big), ==, sha);
  g_assert_cmpstr (gp_check_report_get_md5 (r_big), ==, md5);
  g_assert_cmpuint (gp_check_report_get_size (r_big), ==, big_len);
}

/* GP_FILE_CHECK_DEFER_DIGESTS: the head only, the same verdict, no digest;
 * the upload records the SHA-256 it sent, and only once. */
static void
test_deferred_digests (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = write_file (f, "shop.jpg", jpeg_320x200, sizeof jpeg_320x200);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, jpeg_320x200,
                                                      sizeof jpeg_320x200);
  g_autoptr(GpCheckReport) full = check (path, GP_GATEWAY_ALIPAY);
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpCheckReport) v3 = NULL;
  g_autoptr(GError) error = NULL;
  guint width = 0, height = 0;
  int fd;

  report = gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_DEFER_DIGESTS, NULL,
                               &error);
  g_assert_no_error (error);
  assert_problems (report, NULL);
  g_assert_true (gp_check_report_get_digests_deferred (report));
  g_assert_false (gp_check_report_get_digests_deferred (full));
  g_assert_cmpint (gp_check_report_get_format (report), ==, GP_FORMAT_JPEG);
  g_assert_cmpuint (gp_check_report_get_size (report), ==, sizeof jpeg_320x200);
  g_assert_true (gp_check_report_get_dimensions (report, &width, &height));
  g_assert_cmpuint (width, ==, 320);
  g_assert_cmpuint (height, ==, 200);
  g_assert_null (gp_check_report_get_sha256 (report));
  g_assert_null (gp_check_report_get_md5 (report));

  /* Nothing but WeChat's digests is missing: their drivers refuse it. */
  v3 = gp_check_report_evaluate (report, GP_GATEWAY_WECHATPAY_V3);
  g_assert_true (gp_check_report_get_digests_deferred (v3));
  g_assert_null (gp_check_report_get_sha256 (v3));

  g_assert_true (gp_check_report_set_sent_sha256 (report, sha));
  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==, sha);
  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==, gp_check_report_get_sha256 (full));
  g_assert_true (gp_check_report_set_sent_sha256 (report, sha));
  g_assert_false (gp_check_report_set_sent_sha256 (report, "00000000000000000000000000000000"
                                                           "00000000000000000000000000000000"));
  g_assert_cmpstr (gp_check_report_get_sha256 (report), ==, sha);

  /* chmod moves only the change time: a deferred report notices, a hashed
   * one (whose content the upload compares) does not need to. */
  g_usleep (20000);
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_false (gp_check_report_still_matches (report, fd, &error));
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  g_clear_error (&error);
  g_assert_true (gp_check_report_still_matches (full, fd, &error));
  g_assert_no_error (error);
  close (fd);
}

static void
test_empty_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = write_file (f, "empty.jpg", "", 0);
  g_autoptr(GpCheckReport) report = check (path, GP_GATEWAY_WECHATPAY_V3);

  assert_problems (report, GP_CHECK_EMPTY_FILE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (report, 0)->message, ==,
                   "The file is empty (0 bytes)");
  g_assert_null (gp_check_report_get_sha256 (report));
}

static void
test_special_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "pipe.jpg", NULL);
  g_autofree char *link_to_fifo = g_build_filename (f->dir, "link.jpg", NULL);
  g_autofree char *dangling = g_build_filename (f->dir, "gone.jpg", NULL);
  g_autofree char *subdir = g_build_filename (f->dir, "folder.jpg", NULL);
  g_autoptr(GpCheckReport) r_fifo = NULL;
  g_autoptr(GpCheckReport) r_link = NULL;
  g_autoptr(GpCheckReport) r_dev = NULL;
  g_autoptr(GpCheckReport) r_dir = NULL;
  g_autoptr(GpCheckReport) r_gone = NULL;
  g_autoptr(GpCheckReport) r_missing = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, link_to_fifo), ==, 0);
  g_assert_cmpint (symlink ("/nonexistent/gatepost", dangling), ==, 0);
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);

  /* A FIFO with no writer would block a plain open(): this must return. */
  r_fifo = check (fifo, GP_GATEWAY_ALIPAY);
  assert_problems (r_fifo, GP_CHECK_NOT_REGULAR_FILE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (r_fifo, 0)->message, ==,
                   "This is a named pipe (FIFO), not a regular file");
  r_link = check (link_to_fifo, GP_GATEWAY_ALIPAY);
  assert_problems (r_link, GP_CHECK_NOT_REGULAR_FILE, NULL);
  r_dev = check ("/dev/zero", GP_GATEWAY_ALIPAY);
  assert_problems (r_dev, GP_CHECK_NOT_REGULAR_FILE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (r_dev, 0)->message, ==,
                   "This is a character device, not a regular file");
  r_dir = check (subdir, GP_GATEWAY_ALIPAY);
  assert_problems (r_dir, GP_CHECK_NOT_REGULAR_FILE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (r_dir, 0)->message, ==,
                   "This is a folder, not a regular file");
  r_gone = check (dangling, GP_GATEWAY_ALIPAY);
  assert_problems (r_gone, GP_CHECK_UNREADABLE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (r_gone, 0)->message, ==,
                   "Could not open the file: No such file or directory");
  r_missing = check ("does-not-exist.png", GP_GATEWAY_ALIPAY);
  assert_problems (r_missing, GP_CHECK_UNREADABLE, NULL);
  g_assert_true (g_path_is_absolute (gp_check_report_get_path (r_missing)));
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = write_file (f, "secret.png", png_640x480, sizeof png_640x480);
  g_autoptr(GpCheckReport) report = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root reads files whatever their mode; covered by the dangling symlink case");
      return;
    }
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  report = check (path, GP_GATEWAY_ALIPAY);
  assert_problems (report, GP_CHECK_UNREADABLE, NULL);
  g_assert_cmpstr (gp_check_report_get_problem (report, 0)->message, ==,
                   "Could not open the file: Permission denied");
}

static void
test_evaluate_other_gateway (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "a.gif", gif_16x9, sizeof gif_16x9);
  g_autoptr(GpCheckReport) alipay = check (path, GP_GATEWAY_ALIPAY);
  g_autoptr(GpCheckReport) v3 = gp_check_report_evaluate (alipay, GP_GATEWAY_WECHATPAY_V3);

  assert_problems (alipay, NULL);
  assert_problems (v3, GP_CHECK_FORMAT_NOT_ALLOWED, NULL);
  g_assert_cmpstr (gp_check_report_get_sha256 (v3), ==, gp_check_report_get_sha256 (alipay));
  g_assert_cmpint (gp_check_report_get_gateway (v3), ==, GP_GATEWAY_WECHATPAY_V3);
}

static void
test_still_matches (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (f, "a.png", png_640x480, sizeof png_640x480);
  g_autoptr(GpCheckReport) report = check (path, GP_GATEWAY_ALIPAY);
  g_autoptr(GError) error = NULL;
  int fd;

  fd = open (path, O_RDONLY);
  g_assert_true (gp_check_report_still_matches (report, fd, &error));
  g_assert_no_error (error);
  close (fd);

  /* Grown by a byte. */
  fd = open (path, O_WRONLY | O_APPEND);
  g_assert_cmpint (write (fd, "x", 1), ==, 1);
  close (fd);
  fd = open (path, O_RDONLY);
  g_assert_false (gp_check_report_still_matches (report, fd, &error));
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  close (fd);
  g_clear_error (&error);

  /* Replaced by another file of the same size. */
  g_unlink (path);
  g_free (write_file (f, "a.png", png_640x480, sizeof png_640x480));
  fd = open (path, O_RDONLY);
  g_assert_false (gp_check_report_still_matches (report, fd, &error));
  g_assert_error (error, GP_CHECK_ERROR, GP_CHECK_ERROR_FILE_CHANGED);
  close (fd);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GpCheckReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gp_file_check_finish (result, &error);
  g_assert_no_error (error);
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCheckReport) report = gp_file_check_finish (result, &error);

  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = write_file (f, "a.jpg", jpeg_320x200, sizeof jpeg_320x200);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GpCheckReport *report = NULL;
  gboolean cancelled_done = FALSE;

  gp_file_check_async (path, GP_GATEWAY_WECHATPAY_V2, GP_FILE_CHECK_NONE, NULL, check_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gp_check_report_get_format (report), ==, GP_FORMAT_JPEG);
  assert_problems (report, NULL);
  gp_check_report_unref (report);

  g_cancellable_cancel (cancellable);
  gp_file_check_async (path, GP_GATEWAY_WECHATPAY_V2, GP_FILE_CHECK_NONE, cancellable, cancelled_cb,
                       &cancelled_done);
  while (!cancelled_done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_gateway_table (void)
{
  for (GpGatewayKind g = 0; g < GP_N_GATEWAYS; g++)
    {
      const GpGatewayInfo *info = gp_gateway_info (g);

      g_assert_cmpint (gp_gateway_kind_from_string (info->id), ==, g);
      g_assert_true (g_str_has_prefix (info->default_base_url, "https://"));
      g_assert_true (info->path[0] == '/');
    }
  g_assert_cmpint (gp_gateway_kind_from_string ("wechatpay"), ==, GP_GATEWAY_INVALID);
  g_assert_cmpint (gp_gateway_kind_from_string (NULL), ==, GP_GATEWAY_INVALID);
  g_assert_cmpuint (gp_gateway_max_size (GP_GATEWAY_ALIPAY, GP_FORMAT_MP4), ==, 52428800);
  g_assert_cmpuint (gp_gateway_max_size (GP_GATEWAY_WECHATPAY_GLOBAL, GP_FORMAT_GIF), ==, 0);
  g_assert_cmpstr (gp_format_extension (GP_FORMAT_JPEG), ==, "jpg");
  g_assert_cmpstr (gp_format_to_string (GP_FORMAT_UNKNOWN), ==, NULL);
  g_assert_true (gp_format_extension_matches (GP_FORMAT_JPEG, "/a.b/x.JpEg"));
  g_assert_false (gp_format_extension_matches (GP_FORMAT_JPEG, "/a.jpg/x"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  g_test_add_func ("/gatepost/check/sniff-formats", test_sniff_formats);
  g_test_add_func ("/gatepost/check/sniff-dimensions", test_sniff_dimensions);
  g_test_add_func ("/gatepost/check/gateway-table", test_gateway_table);
  ADD ("/gatepost/check/every-format-every-gateway", test_every_format_every_gateway);
  ADD ("/gatepost/check/size-limits", test_size_limits);
  ADD ("/gatepost/check/all-failures-reported", test_all_failures_reported);
  ADD ("/gatepost/check/unknown-format", test_unknown_format);
  ADD ("/gatepost/check/damaged-header", test_damaged_header_warns);
  ADD ("/gatepost/check/extension-mismatch", test_extension_mismatch);
  ADD ("/gatepost/check/hashes", test_hashes);
  ADD ("/gatepost/check/deferred-digests", test_deferred_digests);
  ADD ("/gatepost/check/empty-file", test_empty_file);
  ADD ("/gatepost/check/special-files", test_special_files);
  ADD ("/gatepost/check/unreadable", test_unreadable);
  ADD ("/gatepost/check/evaluate-other-gateway", test_evaluate_other_gateway);
  ADD ("/gatepost/check/still-matches", test_still_matches);
  ADD ("/gatepost/check/async", test_async);
#undef ADD

  return g_test_run ();
}
