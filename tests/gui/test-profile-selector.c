/* test-profile-selector.c: the header bar's profile chooser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-profile-selector.h"
#include "gp-window.h"
#include "test-profile-common.h"

typedef struct
{
  GpProfile *last;
  guint      calls;
} Changed;

static void
profile_changed_cb (GpProfileSelector *selector,
                    GpProfile         *profile,
                    Changed           *changed)
{
  changed->last = profile;
  changed->calls++;
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  gp_profile_list_refresh_finish (GP_PROFILE_LIST (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  gp_profile_list_remove_finish (GP_PROFILE_LIST (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = GTK_IS_LIST_BOX_ROW (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);

  return n;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_selector (void)
{
  g_autoptr(GpProfileList) list = gp_profile_list_new ();
  g_autoptr(GpProfile) a = NULL;
  g_autoptr(GpProfile) b = NULL;
  g_autoptr(GpProfile) sandbox = memory_profile (V3_JSON ("Sandbox"));
  GtkWidget *window = gtk_window_new ();
  GpProfileSelector *selector;
  GtkMenuButton *button;
  GtkPopover *popover;
  GtkListBox *list_box;
  GpProfileManager *manager;
  Changed changed = { NULL, 0 };
  gboolean done = FALSE;

  clear_keyring ();
  selector = gp_profile_selector_new (list);
  g_signal_connect (selector, "profile-changed", G_CALLBACK (profile_changed_cb), &changed);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (selector));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (gp_profile_selector_get_active_profile (selector));
  /* No property holds the profile: it carries key material. */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (selector), "active-profile"));

  a = import_profile (ALIPAY_JSON ("Shop A"));
  b = import_profile (V3_JSON ("Shop B"));
  gp_profile_list_refresh_async (list, NULL, refreshed_cb, &done);
  WAIT_FOR (done);

  /* The first profile becomes active until one is chosen. */
  g_assert_nonnull (gp_profile_selector_get_active_profile (selector));
  g_assert_cmpstr (gp_profile_get_name (gp_profile_selector_get_active_profile (selector)), ==,
                   "Shop A");
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_true (changed.last == gp_profile_selector_get_active_profile (selector));

  /* The popover lists every profile, with the sandbox. */
  gp_profile_list_add_transient (list, sandbox, "Sandbox");
  button = GTK_MENU_BUTTON (find_type (GTK_WIDGET (selector), GTK_TYPE_MENU_BUTTON));
  popover = gtk_menu_button_get_popover (button);
  list_box = GTK_LIST_BOX (find_type (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX));
  g_assert_cmpuint (count_rows (GTK_WIDGET (list_box)), ==, 3);

  /* Choosing a row makes it active. */
  g_signal_emit_by_name (list_box, "row-activated", gtk_list_box_get_row_at_index (list_box, 1));
  g_assert_cmpstr (gp_profile_get_name (gp_profile_selector_get_active_profile (selector)), ==,
                   "Shop B");
  g_assert_cmpuint (changed.calls, ==, 2);
  g_assert_true (gp_profile_selector_set_active_name (selector, "Sandbox"));
  g_assert_true (gp_profile_selector_get_active_profile (selector) == sandbox);
  g_assert_cmpuint (changed.calls, ==, 3);
  g_assert_false (gp_profile_selector_set_active_name (selector, "Nobody"));
  g_assert_true (gp_profile_selector_get_active_profile (selector) == sandbox);

  /* A refresh replaces the objects; the active one is found again by id. */
  g_assert_true (gp_profile_selector_set_active_name (selector, "Shop B"));
  done = FALSE;
  gp_profile_list_refresh_async (list, NULL, refreshed_cb, &done);
  WAIT_FOR (done);
  g_assert_cmpstr (gp_profile_get_name (gp_profile_selector_get_active_profile (selector)), ==,
                   "Shop B");
  g_assert_true (changed.last == gp_profile_selector_get_active_profile (selector));

  /* Removing the active profile moves to the first one. */
  done = FALSE;
  gp_profile_list_remove_async (list, "Shop B", NULL, removed_cb, &done);
  WAIT_FOR (done);
  g_assert_cmpstr (gp_profile_get_name (gp_profile_selector_get_active_profile (selector)), ==,
                   "Shop A");
  g_assert_true (changed.last == gp_profile_selector_get_active_profile (selector));

  /* "Manage Profiles…" opens the manager on the same list, over the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (selector), "selector.manage", NULL));
  manager = gp_profile_selector_open_manager (selector);
  g_assert_true (gp_profile_manager_get_list (manager) == list);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (manager)) == GTK_WINDOW (window));
  WAIT_FOR (gp_profile_manager_get_row (manager, "Shop A") != NULL);
  destroy_and_finalize (g_object_ref (manager));

  g_object_add_weak_pointer (G_OBJECT (selector), (gpointer *) &selector);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (selector);
}

/* How the main window embeds it: its header bar slot, and the manager
 * opens over the main window. */
static void
test_in_window (void)
{
  g_autoptr(GpApplication) app = gp_application_new ();
  g_autoptr(GpProfileList) list = gp_profile_list_new ();
  g_autoptr(GpProfile) a = NULL;
  GpProfileSelector *selector;
  GpProfileManager *manager;
  GpWindow *window;
  gboolean done = FALSE;

  clear_keyring ();
  a = import_profile (V3_JSON ("Shop A"));
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = g_object_ref_sink (gp_window_new (app));
  selector = gp_profile_selector_new (list);
  gp_window_set_profile_selector (window, GTK_WIDGET (selector));
  gtk_window_present (GTK_WINDOW (window));
  gp_profile_list_refresh_async (list, NULL, refreshed_cb, &done);
  WAIT_FOR (done && gtk_widget_get_mapped (GTK_WIDGET (selector)));
  g_assert_true (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (selector))) == GTK_WINDOW (window));
  g_assert_cmpstr (gp_profile_get_name (gp_profile_selector_get_active_profile (selector)), ==,
                   "Shop A");

  manager = gp_profile_selector_open_manager (selector);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (manager)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (manager)));
  /* A second request raises the same window. */
  g_assert_true (gp_profile_selector_open_manager (selector) == manager);
  WAIT_FOR (gp_profile_manager_get_row (manager, "Shop A") != NULL);
  destroy_and_finalize (g_object_ref (manager));
  destroy_and_finalize (window);
}

int
main (int   argc,
      char *argv[])
{
  test_profiles_init (&argc, &argv);

  g_test_add_func ("/gatepost/gui/profile-selector/selector", test_selector);
  g_test_add_func ("/gatepost/gui/profile-selector/in-window", test_in_window);

  return g_test_run ();
}
