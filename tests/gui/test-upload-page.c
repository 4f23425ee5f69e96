/* test-upload-page.c: the upload page in a real window: adding files and
 * folders, check rows, gateway switches, previews, the upload request
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gp-application.h"
#include "gp-file-row.h"
#include "gp-preview.h"
#include "gp-upload-page.h"
#include "gp-window.h"

#include "gp-test-gui-utils.h"

typedef struct
{
  GpApplication *app;
  GpWindow      *window;
  GpUploadPage  *page;
  char          *dir;
} Fixture;

static char *
media_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "media", name, NULL);
}

static char *
tmp_path (Fixture    *fixture,
          const char *relative)
{
  return g_build_filename (fixture->dir, relative, NULL);
}

static void
copy_media (Fixture    *fixture,
            const char *name,
            const char *relative)
{
  g_autofree char *src_path = media_path (name);
  g_autofree char *dest_path = tmp_path (fixture, relative);
  g_autofree char *parent = g_path_get_dirname (dest_path);
  g_autoptr(GFile) src = g_file_new_for_path (src_path);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_copy (src, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
write_file (Fixture      *fixture,
            const char   *relative,
            const guint8 *head,
            gsize         head_len,
            gsize         size)
{
  g_autofree char *path = tmp_path (fixture, relative);
  g_autofree guint8 *data = g_malloc0 (size);
  g_autoptr(GError) error = NULL;

  memcpy (data, head, MIN (head_len, size));
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
}

/* The layout every test starts from:
 *   batch/animation.gif, batch/shop-photo.jpg, batch/.hidden.jpg,
 *   batch/sub/licence-scan.png, batch/sub/deeper/invoice.pdf,
 *   big.jpg (3 MiB that start like a JPEG), misnamed.png (a JPEG),
 *   notes.txt (text), clip.mp4 */
static void
make_files (Fixture *fixture)
{
  static const guint8 jpeg_head[] = { 0xff, 0xd8, 0xff, 0xe0 };

  copy_media (fixture, "animation.gif", "batch/animation.gif");
  copy_media (fixture, "shop-photo.jpg", "batch/shop-photo.jpg");
  copy_media (fixture, "shop-photo.jpg", "batch/.hidden.jpg");
  copy_media (fixture, "licence-scan.png", "batch/sub/licence-scan.png");
  copy_media (fixture, "invoice.pdf", "batch/sub/deeper/invoice.pdf");
  copy_media (fixture, "shop-photo.jpg", "misnamed.png");
  copy_media (fixture, "clip.mp4", "clip.mp4");
  write_file (fixture, "big.jpg", jpeg_head, sizeof jpeg_head, 3 * 1024 * 1024);
  write_file (fixture, "notes.txt", (const guint8 *) "just some notes\n", 16, 16);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  /* One registered application per process: a second one could not
   * export its actions on the same bus path. */
  static GpApplication *app;

  if (app == NULL)
    {
      app = gp_application_new ();
      g_application_set_flags (G_APPLICATION (app),
                               G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  fixture->app = g_object_ref (app);

  fixture->window = gp_window_new (fixture->app);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gp_test_wait_until (window_mapped, fixture->window, "the window to map");

  fixture->page = gp_window_get_upload_page (fixture->window);
  fixture->dir = g_dir_make_tmp ("gatepost-gui-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  make_files (fixture);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GFile *child;

  enumerator = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (enumerator != NULL &&
         g_file_enumerator_iterate (enumerator, NULL, &child, NULL, NULL) && child != NULL)
    remove_tree (child);

  g_file_delete (file, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  g_clear_object (&fixture->app);

  remove_tree (dir);
  g_free (fixture->dir);
}

static gboolean
page_idle (gpointer data)
{
  return gp_upload_page_get_n_pending (GP_UPLOAD_PAGE (data)) == 0;
}

/* Through the action the drop target and the file chooser use. */
static void
add_files (Fixture            *fixture,
           const char * const *relatives)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) locations = NULL;

  for (guint i = 0; relatives[i] != NULL; i++)
    {
      g_autofree char *path = tmp_path (fixture, relatives[i]);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *uri = g_file_get_uri (file);

      /* Both forms are accepted: URIs from drops, paths from argv. */
      g_strv_builder_add (builder, i % 2 == 0 ? uri : path);
    }
  locations = g_strv_builder_end (builder);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "upload.add-files",
                                             "^as", locations));
  g_assert_cmpuint (gp_upload_page_get_n_pending (fixture->page), >, 0);
  gp_test_wait_until (page_idle, fixture->page, "folder walks and checks to finish");
  gp_test_drain ();
}

static void
add_standard_set (Fixture *fixture)
{
  const char *files[] = { "batch", "big.jpg", "misnamed.png", "notes.txt",
                          "batch", "batch/shop-photo.jpg", NULL };

  add_files (fixture, files);
}

static GpUploadItem *
find_item (Fixture    *fixture,
           const char *relative)
{
  g_autofree char *path = tmp_path (fixture, relative);
  GpUploadItem *item = gp_upload_page_find_item (fixture->page, path);

  if (item == NULL)
    g_error ("%s is not listed", relative);

  return item;
}

static char *
row_text (Fixture    *fixture,
          const char *relative)
{
  GtkWidget *row = gp_upload_page_get_row (fixture->page, find_item (fixture, relative));

  g_assert_nonnull (row);

  return gp_test_dup_visible_text (row);
}

static void
test_add_folder_and_files (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *expected[] = {
    "batch/animation.gif", "batch/shop-photo.jpg", "batch/sub/deeper/invoice.pdf",
    "batch/sub/licence-scan.png", "big.jpg", "misnamed.png", "notes.txt",
  };
  GListModel *items = gp_upload_page_get_items (fixture->page);
  g_autofree char *empty_text = gp_test_dup_visible_text (GTK_WIDGET (fixture->page));
  char *text;

  /* The empty state offers the chooser. */
  gp_test_assert_text_contains (empty_text, "Drop Files Here");
  g_assert_nonnull (gp_test_find_by_action (GTK_WIDGET (fixture->page), "upload.choose-files"));

  gp_upload_page_set_gateway (fixture->page, GP_GATEWAY_WECHATPAY_V3);
  add_standard_set (fixture);

  /* Folder walked recursively in name order, hidden file skipped, the
   * folder given twice and a file inside it listed once. */
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (items, i);
      g_autofree char *path = tmp_path (fixture, expected[i]);

      g_assert_cmpstr (gp_upload_item_get_path (item), ==, path);
      g_assert_false (gp_upload_item_get_checking (item));
      g_assert_nonnull (gp_upload_item_get_report (item));
    }

  text = row_text (fixture, "batch/shop-photo.jpg");
  gp_test_assert_text_contains (text, "shop-photo.jpg");
  gp_test_assert_text_contains (text, "JPEG · 640 × 480 · 18.5 KiB of 2 MiB");
  g_free (text);

  text = row_text (fixture, "big.jpg");
  gp_test_assert_text_contains (text, "3.0 MiB of 2 MiB");
  gp_test_assert_text_contains (text, "over WeChat Pay v3’s limit of 2 MiB for JPEG");
  gp_test_assert_text_contains (text, "Compress or resize the image.");
  g_free (text);

  text = row_text (fixture, "batch/animation.gif");
  gp_test_assert_text_contains (text, "WeChat Pay v3 does not take GIF files. "
                                      "It takes JPEG (2 MiB), PNG (2 MiB), BMP (2 MiB)");
  g_free (text);

  text = row_text (fixture, "batch/sub/deeper/invoice.pdf");
  gp_test_assert_text_contains (text, "does not take PDF files");
  g_free (text);

  text = row_text (fixture, "misnamed.png");
  gp_test_assert_text_contains (text, "The name ends in .png but the content is JPEG; "
                                      "it will be sent as JPEG.");
  g_free (text);

  text = row_text (fixture, "notes.txt");
  gp_test_assert_text_contains (text, "Unknown format");
  gp_test_assert_text_contains (text, "not a JPEG, PNG, BMP, GIF, MP4 or PDF file");
  g_free (text);

  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "3 files ready, 4 refused");
  text = gp_test_dup_visible_text (GTK_WIDGET (fixture->page));
  gp_test_assert_text_contains (text, "3 files ready, 4 refused");
  g_free (text);

  /* The first file added is selected and previewed. */
  g_assert_true (gp_upload_page_get_selected_item (fixture->page) ==
                 find_item (fixture, "batch/animation.gif"));
}

static void
test_truncated_walk (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *files[] = { "batch", NULL };
  GListModel *items = gp_upload_page_get_items (fixture->page);

  /* One level deep: sub/ is not entered. */
  gp_upload_page_set_limits (fixture->page, 1, 100);
  add_files (fixture, files);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);

  /* At most three files, though the folder holds four. */
  gp_upload_page_set_limits (fixture->page, 8, 3);
  add_files (fixture, files);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  g_assert_nonnull (find_item (fixture, "batch/sub/deeper/invoice.pdf"));
}

static void
test_gateway_switch (Fixture       *fixture,
                     gconstpointer  user_data)
{
  GtkDropDown *dropdown = gp_window_get_gateway_dropdown (fixture->window);
  GpUploadItem *big = NULL;
  g_autofree char *sha256 = NULL;
  char *text;

  gtk_drop_down_set_selected (dropdown, GP_GATEWAY_WECHATPAY_V3);
  g_assert_cmpint (gp_upload_page_get_gateway (fixture->page), ==, GP_GATEWAY_WECHATPAY_V3);
  add_standard_set (fixture);
  big = find_item (fixture, "big.jpg");
  sha256 = g_strdup (gp_check_report_get_sha256 (gp_upload_item_get_report (big)));

  /* The header bar's selector drives the page; the rows change at once,
   * without a file being read again (nothing is pending). */
  gtk_drop_down_set_selected (dropdown, GP_GATEWAY_ALIPAY);
  g_assert_cmpint (gp_upload_page_get_gateway (fixture->page), ==, GP_GATEWAY_ALIPAY);
  g_assert_cmpuint (gp_upload_page_get_n_pending (fixture->page), ==, 0);
  g_assert_cmpint (gp_check_report_get_gateway (gp_upload_item_get_report (big)), ==,
                   GP_GATEWAY_ALIPAY);
  g_assert_cmpstr (gp_check_report_get_sha256 (gp_upload_item_get_report (big)), ==, sha256);

  text = row_text (fixture, "big.jpg");
  gp_test_assert_text_contains (text, "3.0 MiB of 5 MiB");
  g_assert_null (strstr (text, "Compress"));
  g_free (text);
  text = row_text (fixture, "batch/animation.gif");
  gp_test_assert_text_contains (text, "GIF · 160 × 120 · 624 bytes of 5 MiB");
  g_assert_null (strstr (text, "does not take"));
  g_free (text);
  text = row_text (fixture, "batch/sub/deeper/invoice.pdf");
  gp_test_assert_text_contains (text, "Alipay does not take PDF files. It takes JPEG (5 MiB), "
                                      "PNG (5 MiB), BMP (5 MiB), GIF (5 MiB), MP4 (50 MiB)");
  g_free (text);
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "5 files ready, 2 refused");

  /* And the other way round: the selector follows the page's property,
   * which is what a profile selector will drive. */
  gp_upload_page_set_gateway (fixture->page, GP_GATEWAY_WECHATPAY_GLOBAL);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, GP_GATEWAY_WECHATPAY_GLOBAL);
  text = row_text (fixture, "batch/sub/deeper/invoice.pdf");
  gp_test_assert_text_contains (text, "PDF · 872 bytes of 5 MiB");
  g_free (text);
  text = row_text (fixture, "batch/animation.gif");
  gp_test_assert_text_contains (text, "WeChat Pay Global does not take GIF files");
  g_free (text);
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "5 files ready, 2 refused");
}

static void
upload_requested_cb (GpUploadPage  *page,
                     GPtrArray     *reports,
                     GPtrArray    **out)
{
  g_assert_null (*out);
  *out = g_ptr_array_ref (reports);
}

static void
test_upload_button (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *refused_only[] = { "batch/animation.gif", "notes.txt", NULL };
  g_autoptr(GPtrArray) reports = NULL;
  GtkWidget *button;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);

  gp_upload_page_set_gateway (fixture->page, GP_GATEWAY_WECHATPAY_V3);
  add_files (fixture, refused_only);

  button = gp_test_find_by_action (GTK_WIDGET (fixture->page), "upload.upload");
  g_assert_nonnull (button);
  g_assert_false (gp_upload_page_get_can_upload (fixture->page));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "0 files ready, 2 refused");

  g_signal_connect (fixture->page, "upload-requested", G_CALLBACK (upload_requested_cb),
                    &reports);
  /* Ctrl+Return's action does nothing while no file passes. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.upload", NULL);
  g_assert_null (reports);

  /* Alipay takes GIF: the button wakes up. */
  gp_upload_page_set_gateway (fixture->page, GP_GATEWAY_ALIPAY);
  g_assert_true (gp_upload_page_get_can_upload (fixture->page));
  g_assert_true (gtk_widget_is_sensitive (button));

  add_standard_set (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.upload", NULL));
  g_assert_nonnull (reports);

  /* Every passing report, in list order, for the current gateway. */
  g_ptr_array_add (expected, tmp_path (fixture, "batch/animation.gif"));
  g_ptr_array_add (expected, tmp_path (fixture, "batch/shop-photo.jpg"));
  g_ptr_array_add (expected, tmp_path (fixture, "batch/sub/licence-scan.png"));
  g_ptr_array_add (expected, tmp_path (fixture, "big.jpg"));
  g_ptr_array_add (expected, tmp_path (fixture, "misnamed.png"));
  g_assert_cmpuint (reports->len, ==, expected->len);
  for (guint i = 0; i < reports->len; i++)
    {
      GpCheckReport *report = reports->pdata[i];

      g_assert_cmpstr (gp_check_report_get_path (report), ==, expected->pdata[i]);
      g_assert_true (gp_check_report_is_ok (report));
      g_assert_cmpint (gp_check_report_get_gateway (report), ==, GP_GATEWAY_ALIPAY);
      g_assert_cmpuint (strlen (gp_check_report_get_sha256 (report)), ==, 64);
    }

  /* Nothing else happened: no progress, no result. */
  for (guint i = 0; i < g_list_model_get_n_items (gp_upload_page_get_items (fixture->page)); i++)
    {
      g_autoptr(GpUploadItem) item =
        g_list_model_get_item (gp_upload_page_get_items (fixture->page), i);

      g_assert_cmpfloat (gp_upload_item_get_progress (item), <, 0);
      g_assert_null (gp_upload_item_get_result (item));
    }
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  user_data)
{
  GListModel *items = gp_upload_page_get_items (fixture->page);
  g_autofree char *path = NULL;

  add_standard_set (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 7);

  /* Delete removes the selected file; the next one is selected. */
  gp_upload_page_select_item (fixture->page, find_item (fixture, "big.jpg"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "upload.remove-selected", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 6);
  path = tmp_path (fixture, "big.jpg");
  g_assert_null (gp_upload_page_find_item (fixture->page, path));
  g_assert_true (gp_upload_page_get_selected_item (fixture->page) ==
                 find_item (fixture, "misnamed.png"));

  /* A row's own remove button. */
  g_clear_pointer (&path, g_free);
  path = tmp_path (fixture, "notes.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "upload.remove-file",
                                             "s", path));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 5);
  /* Alipay, the default, refuses only the PDF among the rest. */
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "4 files ready, 1 refused");
}

static gboolean
picture_has_paintable (gpointer data)
{
  return gtk_picture_get_paintable (GTK_PICTURE (data)) != NULL;
}

static gboolean
item_has_thumbnail (gpointer data)
{
  return gp_upload_item_get_thumbnail (GP_UPLOAD_ITEM (data)) != NULL;
}

static void
test_preview_image (Fixture       *fixture,
                    gconstpointer  user_data)
{
  GpPreview *preview = gp_upload_page_get_preview (fixture->page);
  GtkPicture *picture = gp_preview_get_picture (preview);
  GpUploadItem *item;
  GdkPaintable *paintable;
  g_autofree char *text = NULL;

  add_standard_set (fixture);
  item = find_item (fixture, "batch/shop-photo.jpg");
  gp_upload_page_select_item (fixture->page, item);
  g_assert_true (gp_preview_get_item (preview) == item);

  gp_test_wait_until (picture_has_paintable, picture, "the image preview");
  paintable = gtk_picture_get_paintable (picture);
  g_assert_cmpstr (gp_preview_get_media_state (preview), ==, "picture");
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 640);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 480);
  g_assert_cmpint (gtk_picture_get_content_fit (picture), ==, GTK_CONTENT_FIT_CONTAIN);

  text = gp_test_dup_visible_text (GTK_WIDGET (preview));
  gp_test_assert_text_contains (text, "JPEG");
  gp_test_assert_text_contains (text, "640 × 480 pixels");
  gp_test_assert_text_contains (text, "18.5 KiB (18976 bytes)");
  gp_test_assert_text_contains (text,
                                gp_check_report_get_sha256 (gp_upload_item_get_report (item)));

  /* The row's thumbnail is scaled down, keeping the aspect ratio. */
  gp_test_wait_until (item_has_thumbnail, item, "the thumbnail");
  paintable = gp_upload_item_get_thumbnail (item);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 72);

  /* The copy button puts the digest on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preview.copy-sha256", NULL));
}

static gboolean
stream_prepared_or_failed (gpointer data)
{
  GtkMediaStream *stream = GTK_MEDIA_STREAM (data);

  return gtk_media_stream_is_prepared (stream) || gtk_media_stream_get_error (stream) != NULL;
}

static gboolean
preview_shows_duration (gpointer data)
{
  g_autofree char *text = gp_test_dup_visible_text (GTK_WIDGET (data));

  return strstr (text, "0:03") != NULL || gp_preview_get_message (GP_PREVIEW (data)) != NULL;
}

static void
test_preview_video (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *files[] = { "clip.mp4", NULL };
  GpPreview *preview = gp_upload_page_get_preview (fixture->page);
  GtkMediaStream *stream;
  g_autofree char *text = NULL;

  add_files (fixture, files);
  /* The only file is selected by itself. */
  g_assert_true (gp_preview_get_item (preview) == find_item (fixture, "clip.mp4"));
  g_assert_cmpstr (gp_preview_get_media_state (preview), ==, "video");

  stream = gtk_video_get_media_stream (gp_preview_get_video (preview));
  g_assert_nonnull (stream);
  gp_test_wait_until (stream_prepared_or_failed, stream, "the video to be prepared");
  g_assert_no_error (gtk_media_stream_get_error (stream));
  g_assert_true (gtk_media_stream_has_video (stream));
  g_assert_cmpint (gtk_media_stream_get_duration (stream), >, 2900000);

  /* GstDiscoverer's facts appear under the video. */
  gp_test_wait_until (preview_shows_duration, preview, "the video's duration");
  g_assert_null (gp_preview_get_message (preview));
  text = gp_test_dup_visible_text (GTK_WIDGET (preview));
  gp_test_assert_text_contains (text, "320 × 240 pixels");
  gp_test_assert_text_contains (text, "H.264");
  gp_test_assert_text_contains (text, "MP4");
}

static gboolean
preview_has_message (gpointer data)
{
  return gp_preview_get_message (GP_PREVIEW (data)) != NULL;
}

/* Without an H.264 decoder GtkVideo shows nothing and reports no error;
 * the preview must say so instead of staying blank. Runs in a child so
 * that the plugin rank applies from GStreamer's first initialisation. */
static void
test_preview_video_missing_decoder (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };
      const char *files[] = { "clip.mp4", NULL };
      GpPreview *preview;
      g_autofree char *text = NULL;

      g_setenv ("GST_PLUGIN_FEATURE_RANK", "avdec_h264:NONE", TRUE);
      fixture_setup (&fixture, NULL);
      preview = gp_upload_page_get_preview (fixture.page);
      add_files (&fixture, files);

      gp_test_wait_until (preview_has_message, preview, "the missing decoder message");
      g_assert_cmpstr (gp_preview_get_message (preview), ==, "Cannot Play This Video");
      text = gp_test_dup_visible_text (GTK_WIDGET (preview));
      gp_test_assert_text_contains (text, "H.264");
      gp_test_assert_text_contains (text, "gstreamer1.0-libav");
      /* The file is still fine to upload. */
      g_assert_true (gp_upload_page_get_can_upload (fixture.page));

      fixture_teardown (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, GP_TEST_TIMEOUT_SECONDS * 2 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_preview_pdf (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GpPreview *preview = gp_upload_page_get_preview (fixture->page);
  GtkPicture *picture = gp_preview_get_picture (preview);
  GdkPaintable *paintable;
  GpUploadItem *item;

  gp_upload_page_set_gateway (fixture->page, GP_GATEWAY_WECHATPAY_GLOBAL);
  add_standard_set (fixture);
  item = find_item (fixture, "batch/sub/deeper/invoice.pdf");
  gp_upload_page_select_item (fixture->page, item);

  gp_test_wait_until (picture_has_paintable, picture, "the PDF page");
  paintable = gtk_picture_get_paintable (picture);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  /* An A4 page (595 × 842 pt) rendered 1200 px high. */
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, 1200);
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 848);

  /* Its thumbnail is the same page, small. */
  gp_test_wait_until (item_has_thumbnail, item, "the PDF thumbnail");
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (gp_upload_item_get_thumbnail (item)),
                   ==, 96);

  /* Selecting another file replaces the preview. */
  gp_upload_page_select_item (fixture->page, find_item (fixture, "notes.txt"));
  g_assert_null (gtk_picture_get_paintable (picture));
  g_assert_cmpstr (gp_preview_get_message (preview), ==, "No Preview");
}

static void
test_row_upload_state (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *files[] = { "batch/shop-photo.jpg", "misnamed.png", NULL };
  GpUploadItem *item;
  GtkWidget *row;
  GtkWidget *progress = NULL;
  g_autoptr(GpUploadResult) ok = NULL;
  g_autoptr(GpUploadResult) failed = NULL;
  char *text;

  add_files (fixture, files);
  item = find_item (fixture, "batch/shop-photo.jpg");
  row = gp_upload_page_get_row (fixture->page, item);

  /* What the upload part will drive: progress... */
  gp_upload_item_set_progress (item, 0.25);
  progress = gp_test_find_by_type (row, GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (progress);
  g_assert_true (gtk_widget_get_visible (progress));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)), ==, 0.25);
  /* A file being sent is not offered again. */
  g_assert_false (gp_upload_item_is_ready (item));
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==,
                   "1 file ready, 1 being uploaded");

  /* ... then the result. */
  gp_upload_item_set_progress (item, -1);
  ok = gp_upload_result_new_success ("MEDIA-0001", NULL);
  gp_upload_item_set_result (item, ok);
  g_assert_false (gtk_widget_get_visible (progress));
  text = gp_test_dup_visible_text (row);
  gp_test_assert_text_contains (text, "Uploaded. Media ID: MEDIA-0001");
  g_free (text);
  g_assert_false (gp_upload_item_is_ready (item));
  g_assert_cmpstr (gp_upload_page_get_summary (fixture->page), ==, "1 file ready, 1 uploaded");

  failed = gp_upload_result_new_failure (GP_STAGE_GATEWAY, "INVALID_REQUEST", "bad image");
  gp_upload_item_set_result (find_item (fixture, "misnamed.png"), failed);
  text = row_text (fixture, "misnamed.png");
  gp_test_assert_text_contains (text, "Not uploaded (gateway, INVALID_REQUEST): bad image");
  g_free (text);
  /* A failed file may be tried again. */
  g_assert_true (gp_upload_item_is_ready (find_item (fixture, "misnamed.png")));
  g_assert_true (gp_upload_page_get_can_upload (fixture->page));

  /* With the last ready file being sent, Upload has nothing to do. */
  gp_upload_item_set_progress (find_item (fixture, "misnamed.png"), 0);
  g_assert_false (gp_upload_page_get_can_upload (fixture->page));
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (data));
}

static gboolean
leaflet_unfolded (gpointer data)
{
  return !adw_leaflet_get_folded (ADW_LEAFLET (data));
}

static void
test_narrow_window (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *files[] = { "batch/shop-photo.jpg", "clip.mp4", NULL };
  GpPreview *preview = gp_upload_page_get_preview (fixture->page);
  AdwLeaflet *leaflet;
  GtkWidget *row;

  add_files (fixture, files);
  leaflet = ADW_LEAFLET (gp_test_find_by_type (GTK_WIDGET (fixture->page), ADW_TYPE_LEAFLET));
  g_assert_nonnull (leaflet);
  g_assert_false (adw_leaflet_get_folded (leaflet));

  /* A phone-sized window shows one pane at a time, the list first. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 700);
  gp_test_wait_until (leaflet_folded, leaflet, "the panes to fold");
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (preview),
                                          adw_leaflet_get_visible_child (leaflet)));

  /* Activating a row shows its preview; the back button returns. */
  row = gp_upload_page_get_row (fixture->page, find_item (fixture, "clip.mp4"));
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (preview),
                                         adw_leaflet_get_visible_child (leaflet)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "upload.back", NULL));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (preview),
                                          adw_leaflet_get_visible_child (leaflet)));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 960, 680);
  gp_test_wait_until (leaflet_unfolded, leaflet, "the panes to unfold");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/gatepost/gui/upload/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("add-folder-and-files", test_add_folder_and_files);
  ADD ("truncated-walk", test_truncated_walk);
  ADD ("gateway-switch", test_gateway_switch);
  ADD ("upload-button", test_upload_button);
  ADD ("remove", test_remove);
  ADD ("preview-image", test_preview_image);
  ADD ("preview-video", test_preview_video);
  ADD ("preview-pdf", test_preview_pdf);
  ADD ("row-upload-state", test_row_upload_state);
  ADD ("narrow-window", test_narrow_window);
  g_test_add_func ("/gatepost/gui/upload/preview-video-missing-decoder",
                   test_preview_video_missing_decoder);

#undef ADD

  return g_test_run ();
}
