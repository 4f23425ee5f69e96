/* gp-preview.c: the preview pane of the upload page
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Images and the first page of a PDF are decoded in worker threads
 * (gp-media.c); MP4 plays in a GtkVideo, with duration and resolution read
 * by GstDiscoverer, which also tells when a decoder is missing: GtkVideo
 * alone would then show an empty area without any error.
 */

#include "config.h"

#include "gp-preview.h"

#include <glib/gi18n.h>

#include "gp-check-text.h"
#include "gp-media.h"

/* Large enough for a sharp preview on a HiDPI screen, small enough that a
 * 50-megapixel scan does not sit in memory at full size. */
#define PREVIEW_MAX_SIZE 2048
#define PDF_RENDER_SIZE  1200

struct _GpPreview
{
  AdwBin          parent_instance;

  GpUploadItem   *item;
  GCancellable   *cancellable;
  GpVideoInfo    *video_info;
  gboolean        waiting_for_report;

  GtkStack       *stack;
  GtkStack       *media_stack;
  GtkPicture     *picture;
  GtkVideo       *video;
  GtkSpinner     *spinner;
  AdwStatusPage  *media_message;
  GtkLabel       *format_label;
  GtkLabel       *size_label;
  AdwActionRow   *dimensions_row;
  GtkLabel       *dimensions_label;
  AdwActionRow   *duration_row;
  GtkLabel       *duration_label;
  AdwActionRow   *codecs_row;
  GtkLabel       *codecs_label;
  AdwActionRow   *sha256_row;
};

G_DEFINE_FINAL_TYPE (GpPreview, gp_preview, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_media (GpPreview  *self,
            const char *name)
{
  if (g_str_equal (name, "loading"))
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  gtk_stack_set_visible_child_name (self->media_stack, name);
}

static void
show_message (GpPreview  *self,
              const char *icon_name,
              const char *title,
              const char *description)
{
  adw_status_page_set_icon_name (self->media_message, icon_name);
  adw_status_page_set_title (self->media_message, title);
  adw_status_page_set_description (self->media_message, description);
  show_media (self, "message");
}

static char *
format_duration (guint64 ns)
{
  guint64 seconds = (ns + G_GUINT64_CONSTANT (500000000)) / G_GUINT64_CONSTANT (1000000000);

  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", seconds / 3600,
                            (guint) (seconds / 60 % 60), (guint) (seconds % 60));

  return g_strdup_printf ("%u:%02u", (guint) (seconds / 60), (guint) (seconds % 60));
}

static void
update_facts (GpPreview *self)
{
  GpCheckReport *report = self->item ? gp_upload_item_get_report (self->item) : NULL;
  GpVideoInfo *info = self->video_info;
  guint width = 0, height = 0;
  gboolean has_dimensions = FALSE;

  if (report != NULL)
    {
      g_autofree char *size = g_format_size_full (gp_check_report_get_size (report),
                                                  G_FORMAT_SIZE_IEC_UNITS |
                                                  G_FORMAT_SIZE_LONG_FORMAT);

      gtk_label_set_text (self->format_label,
                          gp_check_text_format_name (gp_check_report_get_format (report)));
      gtk_label_set_text (self->size_label, size);
      adw_action_row_set_subtitle (self->sha256_row, gp_check_report_get_sha256 (report));
      has_dimensions = gp_check_report_get_dimensions (report, &width, &height);
    }
  else
    {
      gtk_label_set_text (self->format_label, "");
      gtk_label_set_text (self->size_label, "");
      adw_action_row_set_subtitle (self->sha256_row, "");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->sha256_row),
                          report != NULL && *gp_check_report_get_sha256 (report) != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.copy-sha256",
                                 report != NULL && *gp_check_report_get_sha256 (report) != '\0');

  if (!has_dimensions && info != NULL && info->has_video && info->width > 0)
    {
      width = info->width;
      height = info->height;
      has_dimensions = TRUE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dimensions_row), has_dimensions);
  if (has_dimensions)
    {
      /* TRANSLATORS: width × height in pixels */
      g_autofree char *text = g_strdup_printf (_("%u × %u pixels"), width, height);

      gtk_label_set_text (self->dimensions_label, text);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->duration_row), info != NULL && info->duration_ns > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->codecs_row),
                          info != NULL && (info->video_codec || info->audio_codec));
  if (info != NULL)
    {
      g_autofree char *duration = format_duration (info->duration_ns);
      g_autofree char *codecs = NULL;

      if (info->video_codec && info->audio_codec)
        /* TRANSLATORS: video codec, then audio codec */
        codecs = g_strdup_printf (_("%s, %s"), info->video_codec, info->audio_codec);
      else
        codecs = g_strdup (info->video_codec ? info->video_codec : info->audio_codec);

      gtk_label_set_text (self->duration_label, duration);
      gtk_label_set_text (self->codecs_label, codecs ? codecs : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->codecs_label), codecs);
    }
}

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GpPreview) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gp_media_load_image_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      show_message (self, "image-missing-symbolic", _("No Preview"), error->message);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  show_media (self, "picture");
}

static void
pdf_rendered_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GpPreview) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gp_media_render_pdf_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      show_message (self, "x-office-document-symbolic", _("No Preview"), error->message);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  show_media (self, "picture");
}

static void
video_discovered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GpPreview) self = user_data;
  g_autoptr(GpVideoInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = gp_media_discover_video_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  if (info == NULL)
    {
      show_message (self, "video-x-generic-symbolic", _("Cannot Read This Video"),
                    error->message);
      return;
    }

  g_clear_pointer (&self->video_info, gp_video_info_free);
  self->video_info = g_steal_pointer (&info);
  update_facts (self);

  if (self->video_info->missing != NULL)
    {
      g_autofree char *description =
        /* TRANSLATORS: %s names GStreamer elements, e.g. "H.264 (High Profile) decoder" */
        g_strdup_printf (_("This computer lacks the %s. Install the GStreamer plugins that "
                           "provide it (on Debian: gstreamer1.0-libav). The file itself "
                           "can still be uploaded."),
                         self->video_info->missing);

      gtk_video_set_media_stream (self->video, NULL);
      show_message (self, "video-x-generic-symbolic", _("Cannot Play This Video"),
                    description);
    }
  else if (!self->video_info->has_video)
    {
      gtk_video_set_media_stream (self->video, NULL);
      show_message (self, "audio-x-generic-symbolic", _("No Picture"),
                    _("This MP4 file holds no video track."));
    }
}

static void
stream_error_cb (GpPreview      *self,
                 GParamSpec     *pspec,
                 GtkMediaStream *stream)
{
  const GError *error = gtk_media_stream_get_error (stream);

  if (error != NULL && gtk_video_get_media_stream (self->video) == stream)
    show_message (self, "video-x-generic-symbolic", _("Cannot Play This Video"), error->message);
}

static void
load_media (GpPreview *self)
{
  GpCheckReport *report = gp_upload_item_get_report (self->item);
  GFile *file = gp_upload_item_get_file (self->item);
  GpFormat format = report ? gp_check_report_get_format (report) : GP_FORMAT_UNKNOWN;
  g_autoptr(GtkMediaStream) stream = NULL;

  switch (format)
    {
    case GP_FORMAT_JPEG:
    case GP_FORMAT_PNG:
    case GP_FORMAT_BMP:
    case GP_FORMAT_GIF:
      show_media (self, "loading");
      gp_media_load_image_async (file, PREVIEW_MAX_SIZE, self->cancellable,
                                 image_loaded_cb, g_object_ref (self));
      break;

    case GP_FORMAT_PDF:
      show_media (self, "loading");
      gp_media_render_pdf_async (file, PDF_RENDER_SIZE, self->cancellable,
                                 pdf_rendered_cb, g_object_ref (self));
      break;

    case GP_FORMAT_MP4:
      stream = gtk_media_file_new_for_file (file);
      g_signal_connect_object (stream, "notify::error", G_CALLBACK (stream_error_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_video_set_media_stream (self->video, stream);
      show_media (self, "video");
      gp_media_discover_video_async (file, self->cancellable,
                                     video_discovered_cb, g_object_ref (self));
      break;

    case GP_FORMAT_UNKNOWN:
    case GP_N_FORMATS:
    default:
      show_message (self, "text-x-generic-symbolic", _("No Preview"),
                    report ? _("Gatepost previews JPEG, PNG, BMP, GIF, MP4 and PDF files.")
                           : _("The file could not be read."));
      break;
    }
}

static void
item_report_changed_cb (GpPreview    *self,
                        GParamSpec   *pspec,
                        GpUploadItem *item)
{
  GpCheckReport *report = gp_upload_item_get_report (item);

  update_facts (self);

  /* The check finished after the row was selected. */
  if (self->waiting_for_report && (report != NULL || !gp_upload_item_get_checking (item)))
    {
      self->waiting_for_report = FALSE;
      load_media (self);
    }
}

static void
reset (GpPreview *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->video_info, gp_video_info_free);
  self->waiting_for_report = FALSE;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, item_report_changed_cb, self);

  gtk_video_set_media_stream (self->video, NULL);
  gtk_picture_set_paintable (self->picture, NULL);
}

/**
 * gp_preview_set_item:
 * @item: (nullable): what to preview
 */
void
gp_preview_set_item (GpPreview    *self,
                     GpUploadItem *item)
{
  g_return_if_fail (GP_IS_PREVIEW (self));
  g_return_if_fail (!item || GP_IS_UPLOAD_ITEM (item));

  if (self->item == item)
    return;

  reset (self);
  g_set_object (&self->item, item);

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      return;
    }

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (item, "notify::report", G_CALLBACK (item_report_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::checking", G_CALLBACK (item_report_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "content");
  update_facts (self);

  if (gp_upload_item_get_report (item) != NULL || !gp_upload_item_get_checking (item))
    load_media (self);
  else
    {
      /* Wait for the check: it is what knows the format. */
      self->waiting_for_report = TRUE;
      show_media (self, "loading");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

GpUploadItem *
gp_preview_get_item (GpPreview *self)
{
  g_return_val_if_fail (GP_IS_PREVIEW (self), NULL);
  return self->item;
}

GtkPicture *
gp_preview_get_picture (GpPreview *self)
{
  g_return_val_if_fail (GP_IS_PREVIEW (self), NULL);
  return self->picture;
}

GtkVideo *
gp_preview_get_video (GpPreview *self)
{
  g_return_val_if_fail (GP_IS_PREVIEW (self), NULL);
  return self->video;
}

/* "picture", "video", "loading" or "message". */
const char *
gp_preview_get_media_state (GpPreview *self)
{
  g_return_val_if_fail (GP_IS_PREVIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->media_stack);
}

/* The title shown instead of the media, or NULL. */
const char *
gp_preview_get_message (GpPreview *self)
{
  g_return_val_if_fail (GP_IS_PREVIEW (self), NULL);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->media_stack), "message"))
    return NULL;

  return adw_status_page_get_title (self->media_message);
}

static void
copy_sha256_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GpPreview *self = GP_PREVIEW (widget);
  GpCheckReport *report = self->item ? gp_upload_item_get_report (self->item) : NULL;
  GtkWidget *overlay;

  if (report == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), gp_check_report_get_sha256 (report));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                                 adw_toast_new (_("SHA-256 copied")));
}

static void
gp_preview_dispose (GObject *object)
{
  GpPreview *self = GP_PREVIEW (object);

  reset (self);
  g_clear_object (&self->item);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PREVIEW);

  G_OBJECT_CLASS (gp_preview_parent_class)->dispose (object);
}

static void
gp_preview_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GpPreview *self = GP_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_preview_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GpPreview *self = GP_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      gp_preview_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_preview_class_init (GpPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_preview_dispose;
  object_class->get_property = gp_preview_get_property;
  object_class->set_property = gp_preview_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, GP_TYPE_UPLOAD_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "preview.copy-sha256", NULL,
                                   copy_sha256_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, GpPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, media_stack);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, picture);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, video);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, media_message);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, format_label);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, size_label);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, dimensions_row);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, dimensions_label);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, duration_row);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, duration_label);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, codecs_row);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, codecs_label);
  gtk_widget_class_bind_template_child (widget_class, GpPreview, sha256_row);
}

static void
gp_preview_init (GpPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
