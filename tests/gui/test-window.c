/* test-window.c: the main window: pages, header bar, settings, shortcuts,
 * opening files from the command line and by drag and drop
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gp-application.h"
#include "gp-upload-page.h"
#include "gp-window.h"

#include "gp-test-gui-utils.h"

static GpApplication *
test_app (void)
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

  return app;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GpWindow *
open_window (void)
{
  GpWindow *window = gp_window_new (test_app ());

  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  gp_test_wait_until (window_mapped, window, "the window to map");

  return window;
}

/* Destroys @window and drops the caller's reference: the window must then
 * be finalized. Work it started (reading the profiles, opening the
 * history) is cancelled on dispose but holds the window until its callback
 * runs, which on a busy machine can be a few main-loop turns later. */
static void
close_window (GpWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gpointer weak = window;

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_unref (window);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (weak != NULL)
    g_error ("The window was not finalized within 10 s of being destroyed");
}

static void
test_window_empty_state (void)
{
  GpWindow *window = open_window ();
  g_autofree char *text = NULL;
  GtkWidget *content;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Gatepost");
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_BOX (content));

  text = gp_test_dup_visible_text (GTK_WIDGET (window));
  gp_test_assert_text_contains (text, "Drop Files Here");
  gp_test_assert_text_contains (text, "Choose Files…");
  /* The stand-in profile selector shows the gateway whose rules apply. */
  gp_test_assert_text_contains (text, "Alipay");
  g_assert_false (gp_upload_page_get_can_upload (gp_window_get_upload_page (window)));

  close_window (window);
}

static void
test_window_add_page (void)
{
  GpWindow *window = open_window ();
  AdwViewStack *stack = gp_window_get_view_stack (window);
  GtkWidget *extra = gtk_label_new ("another page");
  AdwViewStackPage *page;
  g_autoptr(GtkSelectionModel) pages = NULL;

  /* Upload and History are there from the start. */
  pages = adw_view_stack_get_pages (stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 2);
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "history"));

  page = gp_window_add_page (window, extra, "extra", "Extra", "applications-other-symbolic");
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, "Extra");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 3);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "upload");

  /* Opening files brings the upload page back. */
  adw_view_stack_set_visible_child_name (stack, "extra");
  gp_window_open_files (window, NULL, 0);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "upload");

  close_window (window);
}

static void
test_window_profile_selector (void)
{
  GpWindow *window = open_window ();
  GtkWidget *selector = gtk_button_new_with_label ("Shop A");
  g_autofree char *text = NULL;

  g_assert_nonnull (gp_window_get_gateway_dropdown (window));
  gp_window_set_profile_selector (window, selector);
  g_assert_null (gp_window_get_gateway_dropdown (window));
  g_assert_true (gtk_widget_get_root (selector) == GTK_ROOT (window));

  /* Whoever owns the selector drives the page. */
  gp_upload_page_set_gateway (gp_window_get_upload_page (window), GP_GATEWAY_WECHATPAY_V2);
  g_assert_cmpint (gp_upload_page_get_gateway (gp_window_get_upload_page (window)), ==,
                   GP_GATEWAY_WECHATPAY_V2);

  text = gp_test_dup_visible_text (GTK_WIDGET (window));
  gp_test_assert_text_contains (text, "Shop A");

  close_window (window);
}

static void
test_window_size_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GpWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 720);
  g_settings_set_int (settings, "window-height", 540);

  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 540);

  /* A new size is written back. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);

  close_window (window);
}

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *text =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (g_str_equal (text, trigger) && GTK_IS_NAMED_ACTION (named) &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action))
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_window_shortcuts (void)
{
  GpWindow *window = open_window ();
  GtkApplication *app = GTK_APPLICATION (test_app ());
  g_auto(GStrv) help_accels = NULL;
  g_auto(GStrv) quit_accels = NULL;
  GtkWindow *help;
  g_autofree char *help_text = NULL;

  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Control>o", "win.choose-files"));
  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Control>Return", "win.upload"));
  g_assert_true (has_shortcut (GTK_WIDGET (gp_window_get_upload_page (window)), "Delete",
                               "upload.remove-selected"));

  quit_accels = gtk_application_get_accels_for_action (app, "app.quit");
  g_assert_true (g_strv_contains ((const char * const *) quit_accels, "<Control>q"));
  help_accels = gtk_application_get_accels_for_action (app, "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char * const *) help_accels, "<Control>question"));

  /* The shortcuts window lists them. */
  help = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (help);
  gtk_window_present (help);
  gp_test_wait_until (window_mapped, help, "the shortcuts window");
  help_text = gp_test_dup_visible_text (GTK_WIDGET (help));
  gp_test_assert_text_contains (help_text, "Choose files to upload");
  gp_test_assert_text_contains (help_text, "Upload the files that passed the checks");
  gp_test_assert_text_contains (help_text, "Remove the selected file from the list");
  gtk_window_close (help);

  close_window (window);
}

static void
check_buttons (GtkWidget *widget,
               guint     *n_icon_buttons)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    {
      if (gtk_widget_get_tooltip_text (widget) == NULL)
        g_error ("An icon-only button (%s) has no tooltip",
                 gtk_button_get_icon_name (GTK_BUTTON (widget)));
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("An icon-only button (%s) has no accessible label",
                 gtk_button_get_icon_name (GTK_BUTTON (widget)));
      (*n_icon_buttons)++;
    }
  if (GTK_IS_MENU_BUTTON (widget) &&
      (gtk_widget_get_tooltip_text (widget) == NULL ||
       !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL)))
    g_error ("A menu button has no tooltip or accessible label");
  if (GTK_IS_DROP_DOWN (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_error ("A drop-down has no accessible label");
  /* GtkVideo's controls, the window buttons and toasts are GTK's and
   * libadwaita's business. */
  if (GTK_IS_VIDEO (widget) || GTK_IS_WINDOW_CONTROLS (widget) ||
      g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_buttons (child, n_icon_buttons);
}

static gboolean
page_idle (gpointer data)
{
  return gp_upload_page_get_n_pending (GP_UPLOAD_PAGE (data)) == 0;
}

static GFile *
media_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "media", name, NULL);

  return g_file_new_for_path (path);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

/* A drop from a file manager, minus the pointer: the drop target's own
 * handler gets a GdkFileList, as GTK hands it over. */
static void
test_window_drop_files (void)
{
  GpWindow *window = open_window ();
  GpUploadPage *page = gp_window_get_upload_page (window);
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (page));
  g_autoptr(GFile) photo = media_file ("shop-photo.jpg");
  g_autoptr(GFile) media = g_file_get_parent (photo);
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  guint n_icon_buttons = 0;

  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (gtk_drop_target_get_gtypes (target, NULL)[0], GDK_TYPE_FILE_LIST));

  list = g_slist_append (list, media);
  list = g_slist_append (list, photo);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (list);
  g_assert_true (accepted);

  gp_test_wait_until (page_idle, page, "the dropped files to be checked");
  /* The folder's five files; the photo inside it only once. */
  g_assert_cmpuint (g_list_model_get_n_items (gp_upload_page_get_items (page)), ==, 5);

  check_buttons (GTK_WIDGET (window), &n_icon_buttons);
  /* Menu, add, remove on each row, copy digest, back. */
  g_assert_cmpuint (n_icon_buttons, >=, 5);

  close_window (window);
}

static GtkWidget *
find_file_chooser_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_file_chooser_dialog () != NULL;
}

static gboolean
chooser_has_selection (gpointer data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (data));

  return files != NULL && g_list_model_get_n_items (files) > 0;
}

/* Ctrl+O: a native chooser (GTK's own dialog outside a sandbox), several
 * files at once, and what is picked lands in the list. */
static void
test_window_choose_files (void)
{
  GpWindow *window = open_window ();
  GpUploadPage *page = gp_window_get_upload_page (window);
  g_autoptr(GFile) photo = media_file ("shop-photo.jpg");
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.choose-files", NULL));
  gp_test_wait_until (chooser_shown, NULL, "the file chooser");
  dialog = find_file_chooser_dialog ();
  g_assert_true (gtk_file_chooser_get_select_multiple (GTK_FILE_CHOOSER (dialog)));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)), ==,
                   GTK_FILE_CHOOSER_ACTION_OPEN);

  gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), photo, &error);
  g_assert_no_error (error);
  gp_test_wait_until (chooser_has_selection, dialog, "the chooser to select the photo");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  gp_test_wait_until (page_idle, page, "the chosen file to be checked");
  g_assert_cmpuint (g_list_model_get_n_items (gp_upload_page_get_items (page)), ==, 1);
  g_assert_cmpstr (gp_upload_item_get_path (gp_upload_page_get_selected_item (page)), ==,
                   g_file_peek_path (photo));

  close_window (window);
}

static gboolean
app_has_files (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));
  GpUploadPage *page = window ? gp_window_get_upload_page (GP_WINDOW (window)) : NULL;

  return page != NULL && gp_upload_page_get_n_pending (page) == 0 &&
         g_list_model_get_n_items (gp_upload_page_get_items (page)) > 0;
}

/* `gatepost FILE…` ends in GApplication::open. */
static void
test_window_app_open (void)
{
  GApplication *app = G_APPLICATION (test_app ());
  g_autoptr(GFile) video = media_file ("clip.mp4");
  g_autoptr(GFile) pdf = media_file ("invoice.pdf");
  GFile *files[] = { video, pdf };
  GtkWindow *window;
  GpUploadPage *page;

  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_application_open (app, files, G_N_ELEMENTS (files), "");
  gp_test_wait_until (app_has_files, app, "the opened files");

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  page = gp_window_get_upload_page (GP_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (gp_upload_page_get_items (page)), ==, 2);
  /* The first file is the one previewed. */
  g_assert_cmpstr (gp_upload_item_get_path (gp_upload_page_get_selected_item (page)), ==,
                   g_file_peek_path (video));

  g_object_ref (window);
  close_window (GP_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* The accessibility backend that keeps properties for tests to read. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gatepost/gui/window/empty-state", test_window_empty_state);
  g_test_add_func ("/gatepost/gui/window/add-page", test_window_add_page);
  g_test_add_func ("/gatepost/gui/window/profile-selector", test_window_profile_selector);
  g_test_add_func ("/gatepost/gui/window/size-setting", test_window_size_setting);
  g_test_add_func ("/gatepost/gui/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/gatepost/gui/window/drop-files", test_window_drop_files);
  g_test_add_func ("/gatepost/gui/window/choose-files", test_window_choose_files);
  g_test_add_func ("/gatepost/gui/window/app-open", test_window_app_open);

  return g_test_run ();
}
