/* fuzz-multipart.c: the multipart writer with untrusted names and values
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"

static GpCheckReport *
fixture_report (void)
{
  static GpCheckReport *report;

  if (report == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), "gatepost-fuzz-multipart.jpg",
                                                NULL);
      static const guint8 jpeg[] = {
        0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
        0xff, 0xd9,
      };

      g_assert (g_file_set_contents (path, (const char *) jpeg, sizeof jpeg, NULL));
      report = gp_file_check_sync (path, GP_GATEWAY_ALIPAY, GP_FILE_CHECK_NONE, NULL, NULL);
      g_assert (report != NULL && gp_check_report_is_ok (report));
    }

  return report;
}

/* Input: the user's file name, a NUL, then a text value (Alipay sends the
 * user's own name as image_name). The file part's name must come out
 * ASCII-safe and the body length must be exact. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        gsize         size)
{
  GpCheckReport *report = fixture_report ();
  g_autofree char *input = g_strndup ((const char *) data, size);
  const char *original = input;
  const char *value = input + strlen (input);
  g_autofree char *safe = NULL;
  g_autofree char *needle = NULL;
  g_autoptr(GpMultipart) body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *boundary;
  gsize len;
  const char *raw;

  if (value < input + size && (gsize) (value - input) < size)
    value++;
  if ((gsize) (value - input) > size)
    value = input + size;

  safe = gp_multipart_safe_filename (original, GP_FORMAT_JPEG,
                                     gp_check_report_get_sha256 (report));
  g_assert (safe != NULL && *safe != '\0');
  for (const char *p = safe; *p; p++)
    g_assert (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-');
  g_assert (g_str_has_suffix (safe, ".jpg"));

  body = gp_multipart_new (NULL);
  gp_multipart_add_text (body, "image_name", value, NULL);
  gp_multipart_set_file (body, "image_content", safe, "image/jpeg", report);
  bytes = gp_multipart_to_bytes (body, NULL, &error);
  g_assert (bytes != NULL);
  raw = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, gp_multipart_get_length (body));

  boundary = gp_multipart_get_boundary (body);
  needle = g_strdup_printf ("--%s--\r\n", boundary);
  g_assert (len > strlen (needle));
  g_assert (memcmp (raw + len - strlen (needle), needle, strlen (needle)) == 0);
  g_assert (strncmp (raw, needle, strlen (boundary) + 2) == 0);

  return 0;
}
