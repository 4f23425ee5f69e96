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
  GtkLabel       *notice_label;
  GtkBox         *actions_box;
  GtkButton      *copy_button;
  GtkButton      *retry_button;
  GtkButton      *again_button;
  GtkButton      *cancel_button;
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

/**
 * gp_file_row_failure_hint:
 *
 * What the user can do about a failure, per stage and code.
 *
 * Returns: (nullable): translated advice, or %NULL when there is none
 */
const char *
gp_file_row_failure_hint (GpStage     stage,
                          const char *code)
{
  if (code == NULL)
    code = "";

  if (g_str_equal (code, "CANCELLED"))
    return _("Cancelled: if it was already sent, the gateway may have stored it; look in the "
             "History before uploading it again");
  if (g_str_has_prefix (code, "TLS_CLIENT_CERTIFICATE"))
    return _("The gateway refused the client certificate: check the certificate and key "
             "(or PKCS#12 file) in the profile");
  if (g_str_has_prefix (code, "TLS_"))
    return _("The gateway's certificate is not trusted: add the gateway's CA to the profile");
  if (stage == GP_STAGE_VERIFY)
    return _("The gateway's answer could not be verified: check the platform key or Alipay "
             "public key in the profile");
  if (g_str_equal (code, "SIGN_ERROR") || g_str_equal (code, "SIGNERROR") ||
      g_str_equal (code, "isv.invalid-signature") || g_str_equal (code, "40002"))
    return _("The gateway rejected the signature: check the private key and serial");
  if (g_str_equal (code, "TIMEOUT") || g_str_has_prefix (code, "CONNECTION_"))
    return _("The gateway could not be reached: check the network and the profile's address, "
             "then retry");
  if (g_str_equal (code, "FILE_CHANGED"))
    return _("The file changed after it was checked: add it again");
  if (stage == GP_STAGE_GATEWAY)
    return _("The gateway refused the file: see its message; retry later if it is busy");
  if (stage == GP_STAGE_NETWORK)
    return _("Retry later; if it keeps failing, check the profile's address");

  return NULL;
}

static void
update_upload (GpFileRow *self)
{
  double progress = gp_upload_item_get_progress (self->item);
  GpUploadResult *result = gp_upload_item_get_result (self->item);
  const char *notice = gp_upload_item_get_notice (self->item);
  gboolean ok = result != NULL && gp_upload_result_is_ok (result);
  gboolean uploading = progress >= 0;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), uploading);
  if (uploading)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);

  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice != NULL);
  gtk_label_set_text (self->notice_label, notice != NULL ? notice : "");

  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), ok && !uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), result != NULL && !ok && !uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->again_button), ok && notice != NULL && !uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), uploading || result != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->result_label), result != NULL && !uploading);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  if (result == NULL)
    return;

  if (ok)
    {
      g_autofree char *text = NULL;

      if (gp_upload_result_get_media_url (result) != NULL)
        /* TRANSLATORS: 1: media ID, 2: its URL */
        text = g_strdup_printf (_("Uploaded. Media ID: %1$s\nURL: %2$s"),
                                gp_upload_result_get_media_id (result),
                                gp_upload_result_get_media_url (result));
      else
        text = g_strdup_printf (_("Uploaded. Media ID: %s"),
                                gp_upload_result_get_media_id (result));

      gtk_label_set_text (self->result_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
    }
  else
    {
      const char *hint = gp_file_row_failure_hint (gp_upload_result_get_stage (result),
                                                   gp_upload_result_get_code (result));
      /* The message is the gateway's or the transport's own words. */
      g_autofree char *text =
        /* TRANSLATORS: 1: stage, 2: code, 3: message from the gateway */
        g_strdup_printf (_("Not uploaded (%1$s, %2$s): %3$s"),
                         gp_stage_to_string (gp_upload_result_get_stage (result)),
                         gp_upload_result_get_code (result),
                         gp_upload_result_get_message (result));

      if (hint != NULL)
        {
          char *with_hint = g_strconcat (text, "\n", hint, NULL);

          g_free (text);
          text = with_hint;
        }
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
  g_signal_connect_object (item, "notify::notice", G_CALLBACK (item_upload_changed_cb),
                           self, G_CONNECT_SWAPPED);
  {
    GtkWidget *buttons[] = { GTK_WIDGET (self->copy_button), GTK_WIDGET (self->retry_button),
                             GTK_WIDGET (self->again_button), GTK_WIDGET (self->cancel_button) };

    for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
      gtk_actionable_set_action_target (GTK_ACTIONABLE (buttons[i]), "s",
                                        gp_upload_item_get_path (item));
  }

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
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, again_button);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpFileRow, remove_button);
}

static void
gp_file_row_init (GpFileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
