/* test-window.c: the main window opens, shows its empty state and closes
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gp-application.h"
#include "gp-window.h"

static void
test_window_empty_state (void)
{
  g_autoptr(GpApplication) app = gp_application_new ();
  GpWindow *window;
  GtkWidget *child;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = gp_window_new (app);
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Gatepost");
  child = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_BOX (child));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gatepost/gui/window/empty-state", test_window_empty_state);

  return g_test_run ();
}
