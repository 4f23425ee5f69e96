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
#include "gp-profile-selector.h"
#include "gp-sandbox.h"
#include "gp-upload-controller.h"
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
  GtkRevealer          *sandbox_revealer;

  GpProfileList        *profiles;
  GpProfileSelector    *selector;
  GpSandbox            *sandbox;
  GpHistory            *history;
  GpUploadController   *controller;
  gboolean              started;
  gboolean              restored;        /* last-profile was applied */
  gboolean              sandbox_failed;
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


/**
 * gp_window_get_profile_list:
 *
 * Returns: (transfer none) (nullable): the profiles, once gp_window_start()
 *   ran
 */
GpProfileList *
gp_window_get_profile_list (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->profiles;
}

/**
 * gp_window_get_profile_selector:
 *
 * Returns: (transfer none) (nullable): the header bar's profile selector
 */
GpProfileSelector *
gp_window_get_profile_selector (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->selector;
}

/**
 * gp_window_get_sandbox:
 *
 * Returns: (transfer none) (nullable): the simulator behind the Sandbox
 *   profiles, when it was started
 */
GpSandbox *
gp_window_get_sandbox (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->sandbox;
}

/**
 * gp_window_get_history:
 *
 * Returns: (transfer none) (nullable): the history the window's uploads
 *   are recorded in, once it is open
 */
GpHistory *
gp_window_get_history (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->history;
}

/**
 * gp_window_get_upload_controller:
 *
 * Returns: (transfer none): what sends the upload page's files
 */
GpUploadController *
gp_window_get_upload_controller (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), NULL);
  return self->controller;
}

/**
 * gp_window_get_sandbox_shown:
 *
 * Returns: whether the window says that uploads go to the simulator
 */
gboolean
gp_window_get_sandbox_shown (GpWindow *self)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->sandbox_revealer);
}

static void
toast_text (GpWindow   *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static GtkWidget *
find_page (GpWindow   *self,
           const char *name)
{
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

/* The History page, when the window has one. */
static GpHistoryPage *
history_page (GpWindow *self)
{
  GtkWidget *page = find_page (self, "history");

  return GP_IS_HISTORY_PAGE (page) ? GP_HISTORY_PAGE (page) : NULL;
}

/* The History page's profile filter offers the profiles the window knows. */
static void
profiles_changed_cb (GpWindow   *self,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GListModel *model)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  if (history_page (self) == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, gp_profile_get_name (profile));
    }
  names = g_strv_builder_end (builder);
  gp_history_page_set_profiles (history_page (self), (const char * const *) names);
}

static void
active_profile_changed_cb (GpWindow          *self,
                           GpProfile         *profile,
                           GpProfileSelector *selector)
{
  gboolean sandbox;

  gp_upload_controller_set_profile (self->controller, profile);
  if (profile != NULL)
    {
      gp_upload_page_set_gateway (self->upload_page, gp_profile_get_gateway (profile));
      /* The first answer from the keyring selects the first profile; the
       * setting is only written once it was read back. */
      if (self->restored && !gp_profile_list_is_transient (self->profiles, profile))
        g_settings_set_string (self->settings, "last-profile", gp_profile_get_name (profile));
    }

  sandbox = profile != NULL && self->sandbox != NULL &&
            gp_profile_list_is_transient (self->profiles, profile);
  gtk_revealer_set_reveal_child (self->sandbox_revealer, sandbox);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        sandbox ? _("Sandbox") : NULL);
}

static void
sandbox_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profiles = gp_sandbox_start_finish (GP_SANDBOX (object), result, &error);
  if (profiles == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The Sandbox could not start: %s", error->message);
      self->sandbox_failed = TRUE;
      /* TRANSLATORS: %s says why */
      text = g_strdup_printf (_("The Sandbox simulator could not start: %s"), error->message);
      toast_text (self, text);
      return;
    }

  /* In memory only: these are never saved to the keyring. */
  for (guint i = 0; i < profiles->len; i++)
    gp_profile_list_add_transient (self->profiles, profiles->pdata[i], _("Sandbox"));
  gp_profile_selector_set_active_name (self->selector, "sim-alipay");
  active_profile_changed_cb (self, gp_profile_selector_get_active_profile (self->selector),
                             self->selector);
}

static void
start_sandbox (GpWindow *self)
{
  g_autofree char *dir = gp_sandbox_dup_default_dir ();

  self->sandbox = gp_sandbox_new (dir);
  gp_sandbox_start_async (self->sandbox, self->cancellable, sandbox_started_cb,
                          g_object_ref (self));
}

static void
profiles_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  if (!gp_profile_list_refresh_finish (GP_PROFILE_LIST (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The profiles could not be read: %s", error->message);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->profiles)) == 0)
    {
      start_sandbox (self);
      return;
    }

  last = g_settings_get_string (self->settings, "last-profile");
  if (last[0] != '\0')
    gp_profile_selector_set_active_name (self->selector, last);
  self->restored = TRUE;
  active_profile_changed_cb (self, gp_profile_selector_get_active_profile (self->selector),
                             self->selector);
}

static void
history_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;

  history = gp_history_open_finish (result, &error);
  if (history == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: %s says why */
      text = g_strdup_printf (_("The upload history could not be opened, so uploads are "
                                "off: %s"), error->message);
      toast_text (self, text);
      return;
    }

  self->history = g_object_ref (history);
  gp_upload_controller_set_history (self->controller, history);
  if (history_page (self) != NULL)
    gp_history_page_set_history (history_page (self), history);
}

static void
batch_finished_cb (GpWindow           *self,
                   guint               n_ok,
                   guint               n_failed,
                   guint               n_skipped,
                   GpUploadController *controller)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  GApplication *app;

  if (n_ok + n_failed + n_skipped == 0)
    return;

  if (n_ok > 0 || n_failed == 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u uploaded", "%u uploaded", n_ok),
                                             n_ok));
  if (n_failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u failed", "%u failed", n_failed),
                                             n_failed));
  if (n_skipped > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u already uploaded",
                                                       "%u already uploaded", n_skipped),
                                             n_skipped));
  g_ptr_array_add (parts, NULL);
  /* TRANSLATORS: separates the parts of "3 uploaded, 1 failed" */
  text = g_strjoinv (_(", "), (char **) parts->pdata);
  toast_text (self, text);

  if (history_page (self) != NULL)
    gp_history_page_reload (history_page (self));

  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app != NULL && !gtk_window_is_active (GTK_WINDOW (self)) &&
      g_settings_get_boolean (self->settings, "notify-on-finish"))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Uploads finished"));

      g_notification_set_body (notification, text);
      g_application_send_notification (app, "uploads-finished", notification);
    }
}

static void
controller_message_cb (GpWindow           *self,
                       const char         *text,
                       GpUploadController *controller)
{
  toast_text (self, text);
}

static void
upload_requested_cb (GpWindow     *self,
                     GPtrArray    *reports,
                     GpUploadPage *page)
{
  gp_upload_controller_set_jobs (self->controller, g_settings_get_int (self->settings, "jobs"));
  gp_upload_controller_upload (self->controller, reports, FALSE);
}

/**
 * gp_window_start:
 *
 * Puts the profile selector in the header bar, reads the profiles (and
 * starts the Sandbox when there are none or the keyring cannot be read),
 * restores the last profile and opens the history. The application calls
 * it once for each window it creates; a window without it keeps the
 * stand-in gateway drop-down.
 */
void
gp_window_start (GpWindow *self)
{
  g_autofree char *history_path = NULL;

  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->profiles = gp_profile_list_new ();
  self->selector = gp_profile_selector_new (self->profiles);
  gp_window_set_profile_selector (self, GTK_WIDGET (self->selector));
  g_signal_connect_object (self->profiles, "items-changed", G_CALLBACK (profiles_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selector, "profile-changed",
                           G_CALLBACK (active_profile_changed_cb), self, G_CONNECT_SWAPPED);
  gp_profile_list_refresh_async (self->profiles, self->cancellable, profiles_loaded_cb,
                                 g_object_ref (self));

  history_path = gp_history_dup_default_path ();
  gp_history_open_async (history_path, GP_HISTORY_OPEN_NONE, self->cancellable,
                         history_opened_cb, g_object_ref (self));
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


static GpUploadItem *
item_for_path (GpWindow *self,
               GVariant *parameter)
{
  return gp_upload_page_find_item (self->upload_page, g_variant_get_string (parameter, NULL));
}

static gboolean
copy_media_id (GpWindow     *self,
               GpUploadItem *item)
{
  GpUploadResult *result = item != NULL ? gp_upload_item_get_result (item) : NULL;

  if (result == NULL || !gp_upload_result_is_ok (result))
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gp_upload_result_get_media_id (result));
  toast_text (self, _("Media ID copied"));

  return TRUE;
}

static void
copy_media_id_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  copy_media_id (self, item_for_path (self, parameter));
}

/* Ctrl+C on the upload page: the selected row's media ID. Text fields
 * with focus handle Ctrl+C first. */
static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (visible, "upload") == 0)
    copy_media_id (self, gp_upload_page_get_selected_item (self->upload_page));
}

static void
upload_one (GpWindow     *self,
            GpUploadItem *item,
            gboolean      force)
{
  g_autoptr(GPtrArray) reports = NULL;
  GpCheckReport *report = item != NULL ? gp_upload_item_get_report (item) : NULL;

  if (report == NULL)
    return;
  reports = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);
  g_ptr_array_add (reports, gp_check_report_ref (report));
  gp_upload_controller_set_jobs (self->controller, g_settings_get_int (self->settings, "jobs"));
  gp_upload_controller_upload (self->controller, reports, force);
}

static void
retry_file_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  upload_one (self, item_for_path (self, parameter), FALSE);
}

static void
upload_again_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  upload_one (self, item_for_path (self, parameter), TRUE);
}

static void
cancel_file_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  gp_upload_controller_cancel_file (self->controller, g_variant_get_string (parameter, NULL));
}

static void
cancel_uploads_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  gp_upload_controller_cancel_all (self->controller);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  if (history_page (self) == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
  gp_history_page_focus_search (history_page (self));
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
  if (self->sandbox != NULL)
    gp_sandbox_stop (self->sandbox);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_WINDOW);
  g_clear_object (&self->controller);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->history);
  g_clear_object (&self->profiles);
  self->selector = NULL;

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
  gtk_widget_class_install_action (widget_class, "win.copy-media-id", "s",
                                   copy_media_id_activated);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "win.retry-file", "s", retry_file_activated);
  gtk_widget_class_install_action (widget_class, "win.upload-again", "s",
                                   upload_again_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-file", "s", cancel_file_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-uploads", NULL,
                                   cancel_uploads_activated);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "win.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK,
                                       "win.cancel-uploads", NULL);

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
  gtk_widget_class_bind_template_child (widget_class, GpWindow, sandbox_revealer);
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

  self->controller = gp_upload_controller_new (self->upload_page, self->cancellable);
  g_signal_connect_object (self->controller, "batch-finished", G_CALLBACK (batch_finished_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "message", G_CALLBACK (controller_message_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->upload_page, "upload-requested",
                           G_CALLBACK (upload_requested_cb), self, G_CONNECT_SWAPPED);

  /* The size the window had when it was last closed. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}
