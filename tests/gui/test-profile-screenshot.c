/* test-profile-screenshot.c: the manager with two profiles and a v3 form, on screen
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows what the screenshots in data/screenshots show, and checks it.
 * With GATEPOST_SCREENSHOT_DIR set, also captures each window with
 * ImageMagick's `import` into profile-manager.png and profile-editor.png:
 *
 *   GATEPOST_SCREENSHOT_DIR=$PWD/data/screenshots meson test -C _build test-profile-screenshot
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include <gdk/x11/gdkx.h>

#include "gp-profile-manager.h"
#include "test-profile-common.h"

static gboolean
idle_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Lets GTK lay out and paint for @ms milliseconds. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_done_cb, &done);
  WAIT_FOR (done);
}

static void
capture (GtkWindow  *window,
         const char *name)
{
  const char *dir = g_getenv ("GATEPOST_SCREENSHOT_DIR");
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;
  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("0x%lx", (unsigned long) gdk_x11_surface_get_xid (surface));
  path = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "import", "-window", xid, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("wrote %s", path);
}

static void
test_screenshot (void)
{
  g_autoptr(GpProfileList) list = gp_profile_list_new ();
  g_autoptr(GpProfile) alipay = NULL;
  g_autoptr(GpProfile) v3 = NULL;
  g_autofree char *platform = fingerprint_start ("platform");
  g_autofree char *app = fingerprint_start ("app");
  GpProfileManager *manager;
  GpProfileEditor *editor;

  /* Still pictures, not the middle of a slide. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  clear_keyring ();
  alipay = import_profile (
    "{\"name\": \"Hangzhou Flagship Store\", \"gateway\": \"alipay\","
    " \"app_id\": \"2021004100000001\", \"private_key_file\": \"app.pkcs8.pem\","
    " \"alipay_public_key_file\": \"alipay.pub.pem\"}");
  v3 = import_profile (
    "{\"name\": \"Shenzhen Outlet\", \"gateway\": \"wechatpay-v3\", \"mch_id\": \"1900000109\","
    " \"serial_no\": \"5157F09EFDC096DE15EBE81A47057A7232F1B8E1\","
    " \"private_key_file\": \"app.pkcs8.pem\", \"platform_certificate_file\": \"platform.pem\"}");

  manager = g_object_ref_sink (gp_profile_manager_new (list));
  gtk_window_set_default_size (GTK_WINDOW (manager), 640, 560);
  gtk_window_present (GTK_WINDOW (manager));
  WAIT_FOR (gp_profile_manager_get_row (manager, "Shenzhen Outlet") != NULL &&
            gtk_widget_get_mapped (GTK_WIDGET (manager)));
  g_assert_nonnull (gp_profile_manager_get_row (manager, "Hangzhou Flagship Store"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gp_profile_manager_get_row (manager, "Shenzhen Outlet"))),
                            platform));
  settle (800);
  capture (GTK_WINDOW (manager), "profile-manager.png");

  /* The v3 form of the stored profile: fingerprints, never the keys. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "manager.edit", "s",
                                             "Shenzhen Outlet"));
  editor = gp_profile_manager_get_editor (manager);
  g_assert_nonnull (editor);
  g_assert_nonnull (strstr (gp_profile_editor_get_status (editor, "private_key"), app));
  /* The words are English unless the shots are taken in another language. */
  if (g_getenv ("GATEPOST_LOCALEDIR") == NULL)
    {
      g_assert_nonnull (strstr (gp_profile_editor_get_status (editor, "platform_certificate"),
                                "Saved: Serial"));
      g_assert_true (g_str_has_prefix (gp_profile_editor_get_status (editor,
                                                                     "platform_public_key"),
                                       "Not set"));
    }
  gtk_window_set_default_size (GTK_WINDOW (manager), 640, 780);
  settle (1000);
  capture (GTK_WINDOW (manager), "profile-editor.png");

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  destroy_and_finalize (manager);
}

int
main (int   argc,
      char *argv[])
{
  test_profiles_init (&argc, &argv);
  /* Screenshots in another language: GATEPOST_LOCALEDIR names a tree of
   * built catalogs, as build-aux/screenshots.sh lays them out. */
  if (g_getenv ("GATEPOST_LOCALEDIR") != NULL)
    {
      /* gtk_test_init() leaves the process in the "C" locale, where
       * gettext ignores LANGUAGE. */
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GATEPOST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  g_test_add_func ("/gatepost/gui/profile-screenshot/manager-and-editor", test_screenshot);

  return g_test_run ();
}
