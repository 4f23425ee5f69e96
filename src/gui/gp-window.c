/* gp-window.c: the main window
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A header bar (profile selector at the start, the view switcher as
 * title) over an AdwViewStack of pages. Pages are added with
 * gp_window_add_page(); the "Upload" page is built in.
 */

#include "config.h"

#include "gp-window.h"

#include <glib/gi18n.h>

#include "gp-check-text.h"
#include "gp-history-page.h"
#include "gp-upload-page.h"

struct _GpWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  GSettings            *settings;

  AdwHeaderBar         *header_bar;
  AdwBin               *profile_slot;
  GtkDropDown          *gateway_dropdown;
  AdwViewSwitcherTitle *switcher_title;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GpUploadPage         *upload_page;
};

G_DEFINE_FINAL_TYPE (GpWindow, gp_window, ADW_TYPE_APPLICATION_WINDOW)

GpWindow *
gp_window_new (GpApplication *application)
{
  return g_object_new (GP_TYPE_WINDOW, "application", application, NULL);
}

/**
 * gp_window_add_page:
 * @page: the page's widget
 * @name: a stable id ("history")
 * @title: (nullable): translated title shown in the view switcher
 * @icon_name: (nullable): symbolic icon for the narrow switcher bar
 *
 * Adds a page to the window's view switcher, after the existing ones.
 *
 * Returns: (transfer none): the stack page, e.g. to set a badge
 */
AdwViewStackPage *
gp_window_add_page (GpWindow   *self,
                    GtkWidget  *page,
                    const char *name,
                    const char *title,
                    const char *icon_name)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return adw_view_stack_add_titled_with_icon (self->view_stack, page, name, title, icon_name);
}

AdwViewStack *
gp_window_get_view_stack (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->view_stack;
}

GpUploadPage *
gp_window_get_upload_page (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->upload_page;
}

/**
 * gp_window_get_gateway_dropdown:
 *
 * Returns: (transfer none) (nullable): the stand-in gateway selector, or
 *   %NULL once a profile selector replaced it
 */
GtkDropDown *
gp_window_get_gateway_dropdown (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->gateway_dropdown;
}

/**
 * gp_window_set_profile_selector:
 * @selector: the widget to show at the start of the header bar
 *
 * Replaces the stand-in gateway drop-down. The selector then drives the
 * upload page with gp_upload_page_set_gateway() (or a binding to its
 * "gateway" property).
 */
void
gp_window_set_profile_selector (GpWindow  *self,
                                GtkWidget *selector)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (selector));

  self->gateway_dropdown = NULL;
  adw_bin_set_child (self->profile_slot, selector);
}

/**
 * gp_window_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the window closes; pass it to
 *   everything the window starts
 */
GCancellable *
gp_window_get_cancellable (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->cancellable;
}

/**
 * gp_window_open_files:
 *
 * Lists @files on the upload page, through the same action a drop uses.
 */
void
gp_window_open_files (GpWindow  *self,
                      GFile    **files,
                      int        n_files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;

  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      g_strv_builder_add (builder, uri);
    }
  uris = g_strv_builder_end (builder);

  adw_view_stack_set_visible_child_name (self->view_stack, "upload");
  gtk_widget_activate_action (GTK_WIDGET (self->upload_page), "upload.add-files", "^as", uris);
}

void
gp_window_add_toast (GpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
choose_files_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "upload");
  gtk_widget_activate_action (GTK_WIDGET (self->upload_page), "upload.choose-files", NULL);
}

static void
upload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "upload");
  gtk_widget_activate_action (GTK_WIDGET (self->upload_page), "upload.upload", NULL);
}

static void
can_upload_changed_cb (GpWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload",
                                 gp_upload_page_get_can_upload (self->upload_page));
}

static gboolean
selected_to_gateway (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= GP_N_GATEWAYS)
    return FALSE;
  g_value_set_enum (to, (GpGatewayKind) selected);

  return TRUE;
}

static gboolean
gateway_to_selected (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));

  return TRUE;
}

static void
setup_gateway_dropdown (GpWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  /* Positions follow GpGatewayKind. */
  for (GpGatewayKind kind = 0; kind < GP_N_GATEWAYS; kind++)
    gtk_string_list_append (names, gp_check_text_gateway_name (kind));
  gtk_drop_down_set_model (self->gateway_dropdown, G_LIST_MODEL (names));

  g_object_bind_property_full (self->gateway_dropdown, "selected",
                               self->upload_page, "gateway",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               selected_to_gateway, gateway_to_selected, NULL, NULL);
}

static void
gp_window_dispose (GObject *object)
{
  GpWindow *self = GP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_WINDOW);

  G_OBJECT_CLASS (gp_window_parent_class)->dispose (object);
}

static void
gp_window_finalize (GObject *object)
{
  GpWindow *self = GP_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gp_window_parent_class)->finalize (object);
}

static void
gp_window_class_init (GpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_window_dispose;
  object_class->finalize = gp_window_finalize;

  gtk_widget_class_install_action (widget_class, "win.choose-files", NULL,
                                   choose_files_activated);
  gtk_widget_class_install_action (widget_class, "win.upload", NULL, upload_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.choose-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.upload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.upload", NULL);

  g_type_ensure (GP_TYPE_UPLOAD_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GpWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, profile_slot);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, gateway_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, upload_page);
}

static void
gp_window_init (GpWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gp_upload_page_set_cancellable (self->upload_page, self->cancellable);
  setup_gateway_dropdown (self);
  g_signal_connect_object (self->upload_page, "notify::can-upload",
                           G_CALLBACK (can_upload_changed_cb), self, G_CONNECT_SWAPPED);
  can_upload_changed_cb (self);
  gp_window_add_page (self, GTK_WIDGET (gp_history_page_new ()), "history", _("History"),
                      "document-open-recent-symbolic");

  /* The size the window had when it was last closed. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}
