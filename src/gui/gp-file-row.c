/* gp-file-row.c: a row of the upload list
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows what the item holds: the check (format, size against the limit,
 * every problem and warning in translated words), and once the upload
 * part sets them, progress and the result.
 */

#include "config.h"

#include "gp-file-row.h"

#include <glib/gi18n.h>

#include "gp-check-text.h"

struct _GpFileRow
{
  GtkListBoxRow   parent_instance;

  GpUploadItem   *item;

  GtkImage       *thumbnail;
  GtkLabel       *name_label;
  GtkLabel       *facts_label;
  GtkBox         *messages_box;
  GtkProgressBar *progress_bar;
  GtkLabel       *result_label;
  GtkStack       *status_stack;
  GtkSpinner     *spinner;
  GtkButton      *remove_button;
};

G_DEFINE_FINAL_TYPE (GpFileRow, gp_file_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
fallback_icon (GpFormat format)
{
  switch (format)
    {
    case GP_FORMAT_JPEG:
    case GP_FORMAT_PNG:
    case GP_FORMAT_BMP:
    case GP_FORMAT_GIF:
      return "image-x-generic-symbolic";
    case GP_FORMAT_MP4:
      return "video-x-generic-symbolic";
    case GP_FORMAT_PDF:
      return "x-office-document-symbolic";
    case GP_FORMAT_UNKNOWN:
    case GP_N_FORMATS:
    default:
      return "text-x-generic-symbolic";
    }
}

static void
update_thumbnail (GpFileRow *self)
{
  GdkPaintable *paintable = gp_upload_item_get_thumbnail (self->item);
  GpCheckReport *report = gp_upload_item_get_report (self->item);

  if (paintable != NULL)
    {
      gtk_image_set_from_paintable (self->thumbnail, paintable);
      gtk_image_set_pixel_size (self->thumbnail, 48);
      gtk_widget_remove_css_class (GTK_WIDGET (self->thumbnail), "dim-label");
    }
  else
    {
      gtk_image_set_from_icon_name (self->thumbnail,
                                    fallback_icon (report ? gp_check_report_get_format (report)
                                                          : GP_FORMAT_UNKNOWN));
      /* A symbolic icon at thumbnail size looks heavy; keep it smaller
       * and dimmed inside the same 48 px box. */
      gtk_image_set_pixel_size (self->thumbnail, 32);
      gtk_widget_add_css_class (GTK_WIDGET (self->thumbnail), "dim-label");
    }
}

static void
add_message (GpFileRow  *self,
             const char *text,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_add_css_class (label, "gp-check-message");
  gtk_box_append (self->messages_box, label);
}

static char *
describe_facts (GpCheckReport *report)
{
  g_autofree char *size = gp_check_text_size (report);
  guint width, height;

  if (gp_check_report_get_dimensions (report, &width, &height))
    /* TRANSLATORS: 1: format, 2: width, 3: height, 4: size against limit */
    return g_strdup_printf (_("%1$s · %2$u × %3$u · %4$s"),
                            gp_check_text_format_name (gp_check_report_get_format (report)),
                            width, height, size);

  /* TRANSLATORS: 1: format, 2: size against limit */
  return g_strdup_printf (_("%1$s · %2$s"),
                          gp_check_text_format_name (gp_check_report_get_format (report)),
                          size);
}

/* Screen readers get the same facts and messages as the eye. */
static void
update_description (GpFileRow *self)
{
  GString *text = g_string_new (gtk_label_get_text (self->facts_label));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->messages_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_string_append (text, "\n");
      g_string_append (text, gtk_label_get_text (GTK_LABEL (child)));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
  g_string_free (text, TRUE);
}

static void
update_check (GpFileRow *self)
{
  GpCheckReport *report = gp_upload_item_get_report (self->item);
  const char *error = gp_upload_item_get_error (self->item);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->messages_box))) != NULL)
    gtk_box_remove (self->messages_box, child);

  if (gp_upload_item_get_checking (self->item))
    {
      gtk_label_set_text (self->facts_label, _("Checking…"));
      gtk_stack_set_visible_child_name (self->status_stack, "checking");
      gtk_spinner_start (self->spinner);
      return;
    }
  gtk_spinner_stop (self->spinner);

  if (report == NULL)
    {
      gtk_label_set_text (self->facts_label, _("Not checked"));
      add_message (self, error ? error : _("The file could not be checked."), "error");
      gtk_stack_set_visible_child_name (self->status_stack, "refused");
      return;
    }

  {
    g_autofree char *facts = describe_facts (report);
    g_auto(GStrv) warnings = gp_check_text_warnings (report);

    gtk_label_set_text (self->facts_label, facts);
    for (guint i = 0; i < gp_check_report_get_n_problems (report); i++)
      {
        g_autofree char *text = gp_check_text_problem (report,
                                                       gp_check_report_get_problem (report, i));
        add_message (self, text, "error");
      }
    for (guint i = 0; warnings[i] != NULL; i++)
      add_message (self, warnings[i], "warning");
  }

  gtk_stack_set_visible_child_name (self->status_stack,
                                    gp_check_report_is_ok (report) ? "ready" : "refused");
  update_thumbnail (self);
  update_description (self);
}

static void
update_upload (GpFileRow *self)
{
  double progress = gp_upload_item_get_progress (self->item);
  GpUploadResult *result = gp_upload_item_get_result (self->item);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), progress >= 0);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);

  gtk_widget_set_visible (GTK_WIDGET (self->result_label), result != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  if (result == NULL)
    return;

  if (gp_upload_result_is_ok (result))
    {
      g_autofree char *text = g_strdup_printf (_("Uploaded. Media ID: %s"),
                                               gp_upload_result_get_media_id (result));

      gtk_label_set_text (self->result_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
    }
  else
    {
      /* The message is the gateway's or the transport's own words. */
      g_autofree char *text =
        /* TRANSLATORS: 1: stage, 2: code, 3: message from the gateway */
        g_strdup_printf (_("Not uploaded (%1$s, %2$s): %3$s"),
                         gp_stage_to_string (gp_upload_result_get_stage (result)),
                         gp_upload_result_get_code (result),
                         gp_upload_result_get_message (result));

      gtk_label_set_text (self->result_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
    }
}

static void
item_check_changed_cb (GpFileRow  *self,
                       GParamSpec *pspec,
                       GpUploadItem *item)
{
  update_check (self);
}

static void
item_thumbnail_changed_cb (GpFileRow  *self,
                           GParamSpec *pspec,
                           GpUploadItem *item)
{
  update_thumbnail (self);
}

static void
item_upload_changed_cb (GpFileRow  *self,
                        GParamSpec *pspec,
                        GpUploadItem *item)
{
  update_upload (self);
}

GtkWidget *
gp_file_row_new (GpUploadItem *item)
{
  GpFileRow *self;
  g_autofree char *name = NULL;
  g_autofree char *remove_label = NULL;

  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (item), NULL);

  self = g_object_new (GP_TYPE_FILE_ROW, NULL);
  self->item = g_object_ref (item);

  name = gp_upload_item_dup_name (item);
  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), gp_upload_item_get_path (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s",
                                    gp_upload_item_get_path (item));
  /* TRANSLATORS: accessible name of a row's remove button */
  remove_label = g_strdup_printf (_("Remove %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);

  g_signal_connect_object (item, "notify::checking", G_CALLBACK (item_check_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::report", G_CALLBACK (item_check_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::error", G_CALLBACK (item_check_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::thumbnail", G_CALLBACK (item_thumbnail_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::progress", G_CALLBACK (item_upload_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::result", G_CALLBACK (item_upload_changed_cb),
                           self, G_CONNECT_SWAPPED);

  update_check (self);
  update_thumbnail (self);
  update_upload (self);

  return GTK_WIDGET (self);
}

GpUploadItem *
gp_file_row_get_item (GpFileRow *self)
{
  g_return_val_if_fail (GP_IS_FILE_ROW (self), NULL);
  return self->item;
}

static void
gp_file_row_dispose (GObject *object)
{
  GpFileRow *self = GP_FILE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_FILE_ROW);

  G_OBJECT_CLASS (gp_file_row_parent_class)->dispose (object);
}

static void
gp_file_row_finalize (GObject *object)
{
  GpFileRow *self = GP_FILE_ROW (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (gp_file_row_parent_class)->finalize (object);
}

static void
gp_file_row_class_init (GpFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_file_row_dispose;
  object_class->finalize = gp_file_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, facts_label);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, messages_box);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, result_label);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, remove_button);
}

static void
gp_file_row_init (GpFileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
