/* gp-media.c: off-main-thread loading of previews and thumbnails
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-media.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <poppler.h>

/* GstDiscoverer gives up on a file after this long. */
#define DISCOVER_TIMEOUT (10 * GST_SECOND)

G_DEFINE_BOXED_TYPE (GpVideoInfo, gp_video_info, gp_video_info_copy, gp_video_info_free)

GpVideoInfo *
gp_video_info_copy (const GpVideoInfo *self)
{
  GpVideoInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->video_codec = g_strdup (self->video_codec);
  copy->audio_codec = g_strdup (self->audio_codec);
  copy->missing = g_strdup (self->missing);

  return copy;
}

void
gp_video_info_free (GpVideoInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->video_codec);
  g_free (self->audio_codec);
  g_free (self->missing);
  g_free (self);
}

/* Each task gets its own copy of the path (STYLE.md section 6): the
 * worker never touches the caller's objects. */
typedef struct
{
  char *path;
  char *uri;
  int   max_size;
} MediaData;

static void
media_data_free (MediaData *data)
{
  g_free (data->path);
  g_free (data->uri);
  g_free (data);
}

static GTask *
media_task_new (GFile               *file,
                int                  max_size,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  MediaData *data = g_new0 (MediaData, 1);

  data->path = g_file_get_path (file);
  data->uri = g_file_get_uri (file);
  data->max_size = max_size;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) media_data_free);

  return task;
}

static void
load_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  MediaData *data = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;
  int width = 0, height = 0;

  if (data->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local files can be previewed"));
      return;
    }

  /* Scale down only: a small image is shown at its real size. */
  if (data->max_size > 0 &&
      gdk_pixbuf_get_file_info (data->path, &width, &height) != NULL &&
      (width > data->max_size || height > data->max_size))
    pixbuf = gdk_pixbuf_new_from_file_at_scale (data->path, data->max_size, data->max_size,
                                                TRUE, &error);
  else
    pixbuf = gdk_pixbuf_new_from_file (data->path, &error);

  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Photos from phones store their rotation in EXIF. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented ? oriented : pixbuf),
                         g_object_unref);
}

/**
 * gp_media_load_image_async:
 * @max_size: the largest width or height wanted, or -1 for the full image
 *
 * Decodes an image (first frame of a GIF) in a worker thread, scaled down
 * to fit @max_size, into a texture.
 */
void
gp_media_load_image_async (GFile               *file,
                           int                  max_size,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = media_task_new (file, max_size, cancellable, callback, user_data,
                         gp_media_load_image_async);
  g_task_run_in_thread (task, load_image_thread);
}

GdkTexture *
gp_media_load_image_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_media_load_image_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 in native byte order. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
render_pdf_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  MediaData *data = task_data;
  /* poppler-glib 22 has no autoptr cleanups for its types. */
  g_autoptr(GObject) document_ref = NULL;
  g_autoptr(GObject) page_ref = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  GError *error = NULL;
  double page_width, page_height, scale;
  int width, height;

  document = poppler_document_new_from_file (data->uri, NULL, &error);
  if (document == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  document_ref = G_OBJECT (document);
  if (poppler_document_get_n_pages (document) < 1)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The document has no pages"));
      return;
    }

  page = poppler_document_get_page (document, 0);
  if (page == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The first page cannot be read"));
      return;
    }
  page_ref = G_OBJECT (page);
  poppler_page_get_size (page, &page_width, &page_height);
  if (page_width < 1 || page_height < 1)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The first page has no size"));
      return;
    }

  scale = data->max_size / MAX (page_width, page_height);
  width = MAX (1, (int) (page_width * scale + 0.5));
  height = MAX (1, (int) (page_height * scale + 0.5));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  /* Paper is white; poppler only draws what is on it. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);

  if (g_task_return_error_if_cancelled (task))
    {
      cairo_surface_destroy (surface);
      return;
    }

  g_task_return_pointer (task, texture_from_surface (surface), g_object_unref);
  cairo_surface_destroy (surface);
}

/**
 * gp_media_render_pdf_async:
 * @max_size: the width or height, whichever is larger, of the rendering
 *
 * Renders the first page of a PDF with poppler in a worker thread.
 */
void
gp_media_render_pdf_async (GFile               *file,
                           int                  max_size,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (max_size > 0);

  task = media_task_new (file, max_size, cancellable, callback, user_data,
                         gp_media_render_pdf_async);
  g_task_run_in_thread (task, render_pdf_thread);
}

GdkTexture *
gp_media_render_pdf_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_media_render_pdf_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* An installer detail reads "gstreamer|1.0|app|H.264 (High Profile)
 * decoder|decoder-video/x-h264, …"; the fourth field is meant for people. */
static char *
describe_missing (const char * const *details)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; details != NULL && details[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (details[i], "|", 5);

      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, g_strv_length (fields) >= 4 ? fields[3] : details[i]);
    }

  return g_string_free (s, s->len == 0);
}

static char *
describe_caps (GstDiscovererStreamInfo *stream)
{
  g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (stream);

  return caps ? gst_pb_utils_get_codec_description (caps) : NULL;
}

static void
fill_streams (GpVideoInfo        *info,
              GstDiscovererInfo  *result)
{
  GList *videos = gst_discoverer_info_get_video_streams (result);
  GList *audios = gst_discoverer_info_get_audio_streams (result);

  info->duration_ns = gst_discoverer_info_get_duration (result);
  if (videos != NULL)
    {
      GstDiscovererVideoInfo *video = videos->data;

      info->has_video = TRUE;
      info->width = gst_discoverer_video_info_get_width (video);
      info->height = gst_discoverer_video_info_get_height (video);
      info->video_codec = describe_caps (videos->data);
    }
  if (audios != NULL)
    {
      info->has_audio = TRUE;
      info->audio_codec = describe_caps (audios->data);
    }

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

static void
discover_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  MediaData *data = task_data;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) result = NULL;
  g_autoptr(GpVideoInfo) info = g_new0 (GpVideoInfo, 1);
  GError *error = NULL;

  discoverer = gst_discoverer_new (DISCOVER_TIMEOUT, &error);
  if (discoverer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The synchronous call is fine here: this is a worker thread. */
  result = gst_discoverer_discover_uri (discoverer, data->uri, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  switch (gst_discoverer_info_get_result (result))
    {
    case GST_DISCOVERER_OK:
      g_clear_error (&error);
      fill_streams (info, result);
      break;

    case GST_DISCOVERER_MISSING_PLUGINS:
      /* The stream layout is known even when a decoder is not. */
      g_clear_error (&error);
      fill_streams (info, result);
      info->missing =
        describe_missing (gst_discoverer_info_get_missing_elements_installer_details (result));
      if (info->missing == NULL)
        info->missing = g_strdup (_("a GStreamer plugin"));
      break;

    case GST_DISCOVERER_URI_INVALID:
    case GST_DISCOVERER_ERROR:
    case GST_DISCOVERER_TIMEOUT:
    case GST_DISCOVERER_BUSY:
    default:
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     _("GStreamer could not read the video"));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) gp_video_info_free);
}

/**
 * gp_media_discover_video_async:
 *
 * Reads duration, resolution and codecs with GstDiscoverer in a worker
 * thread. A missing decoder is not an error: GpVideoInfo.missing names it,
 * because GtkVideo shows nothing at all in that case.
 */
void
gp_media_discover_video_async (GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = media_task_new (file, 0, cancellable, callback, user_data,
                         gp_media_discover_video_async);
  if (!gst_init_check (NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, discover_thread);
}

GpVideoInfo *
gp_media_discover_video_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gp_media_discover_video_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
