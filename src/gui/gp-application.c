/* gp-application.c: the Gatepost application
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-application.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "gp-resources.h"
#include "gp-window.h"

struct _GpApplication
{
  AdwApplication parent_instance;
  guint          sigterm_source;
  guint          sigint_source;
};

G_DEFINE_FINAL_TYPE (GpApplication, gp_application, ADW_TYPE_APPLICATION)

GpApplication *
gp_application_new (void)
{
  return g_object_new (GP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/gatepost/Gatepost",
                       NULL);
}

/* A desktop session ends apps with SIGTERM; quit through the same path as
 * Ctrl+Q so that windows are disposed and pending work is cancelled. */
static gboolean
quit_on_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

static GtkWindow *
ensure_window (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (gp_window_new (GP_APPLICATION (app)));
      gp_window_start (GP_WINDOW (window));
    }

  return window;
}

/* `gatepost FILE…`, a file manager's "Open With", or a second instance
 * started with files: they are listed and checked on the upload page. */
static void
gp_application_activate (GApplication *app)
{
  gtk_window_present (ensure_window (app));
}

static void
gp_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window = ensure_window (app);

  gtk_window_present (window);
  gp_window_open_files (GP_WINDOW (window), files, n_files);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Gatepost authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Gatepost"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Upload media to payment gateways and keep every ID"),
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
};

static void
gp_application_startup (GApplication *app)
{
  GpApplication *self = GP_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (gp_application_parent_class)->startup (app);

  /* Light or dark as the desktop says; nothing in Gatepost overrides it. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  self->sigterm_source = g_unix_signal_add (SIGTERM, quit_on_signal_cb, app);
  self->sigint_source = g_unix_signal_add (SIGINT, quit_on_signal_cb, app);
}

static void
gp_application_shutdown (GApplication *app)
{
  GpApplication *self = GP_APPLICATION (app);
  GList *windows;

  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);

  /* Windows are disposed before the process ends, so that they cancel
   * their work and stop the Sandbox simulator (SIGTERM, then wait). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      /* Explicitly too: work still running may hold a window past its
       * destruction, and the simulator must not outlive the app. */
      if (GP_IS_WINDOW (l->data))
        {
          g_cancellable_cancel (gp_window_get_cancellable (l->data));
          if (gp_window_get_sandbox (l->data) != NULL)
            gp_sandbox_stop (gp_window_get_sandbox (l->data));
        }
      gtk_window_destroy (GTK_WINDOW (l->data));
    }
  g_list_free (windows);

  G_APPLICATION_CLASS (gp_application_parent_class)->shutdown (app);
}

static void
gp_application_class_init (GpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = gp_application_activate;
  app_class->open = gp_application_open;
  app_class->startup = gp_application_startup;
  app_class->shutdown = gp_application_shutdown;

  gp_register_resource ();
}

static void
gp_application_init (GpApplication *self)
{
}
