/* test-ui-files.c: every .ui file in the resources loads with GtkBuilder
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gtk4-builder-tool cannot validate files that use libadwaita types, so
 * each file is loaded for real after adw_init(): a template by building
 * its class, any other file with gtk_builder_add_from_resource(). A
 * broken property, type or signal handler makes GTK emit a critical,
 * which gtk_test_init() turns fatal.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gp-application.h"
#include "gp-file-row.h"
#include "gp-history-page.h"
#include "gp-preview.h"
#include "gp-profile-editor.h"
#include "gp-history-page.h"
#include "gp-profile-manager.h"
#include "gp-profile-selector.h"
#include "gp-upload-page.h"
#include "gp-window.h"

#define RESOURCE_ROOT "/io/github/gatepost/Gatepost/"

static void
list_ui_files (const char *dir,
               GPtrArray  *out)
{
  g_auto(GStrv) children = g_resources_enumerate_children (dir, 0, NULL);

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (dir, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        list_ui_files (path, out);
      else if (g_str_has_suffix (children[i], ".ui"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static char *
template_class (const char *xml)
{
  const char *start = strstr (xml, "<template class=\"");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("<template class=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static void
destroy_object (GObject *object)
{
  g_object_ref_sink (object);
  if (GTK_IS_WINDOW (object))
    gtk_window_destroy (GTK_WINDOW (object));
}

static void
test_load (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *class_name = NULL;

  bytes = g_resources_lookup_data (path, 0, &error);
  g_assert_no_error (error);
  xml = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  class_name = template_class (xml);
  if (class_name != NULL)
    {
      GType type = g_type_from_name (class_name);
      GObject *object;
      gint64 deadline;
      gpointer weak;

      if (type == G_TYPE_INVALID)
        g_error ("%s is the template of %s, which this test does not know", path, class_name);

      object = g_object_new (type, NULL);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (object, type));
      destroy_object (object);
      /* Work the widget started (the History page opens its file) is
       * cancelled on dispose and lets go at its next callback. */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      weak = object;
      g_object_add_weak_pointer (object, &weak);
      g_object_unref (object);
      while (weak != NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      if (weak != NULL)
        g_error ("%s: %s was not finalized within 10 s", path, class_name);
    }
  else
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      GSList *objects;

      gtk_builder_add_from_resource (builder, path, &error);
      g_assert_no_error (error);

      objects = gtk_builder_get_objects (builder);
      g_assert_nonnull (objects);
      for (GSList *l = objects; l != NULL; l = l->next)
        if (GTK_IS_WINDOW (l->data))
          gtk_window_destroy (l->data);
      g_slist_free (objects);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GpApplication) app = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Registers the resources, as the app does. */
  app = gp_application_new ();

  g_type_ensure (GP_TYPE_WINDOW);
  g_type_ensure (GP_TYPE_UPLOAD_PAGE);
  g_type_ensure (GP_TYPE_PREVIEW);
  g_type_ensure (GP_TYPE_FILE_ROW);
  g_type_ensure (GP_TYPE_PROFILE_EDITOR);
  g_type_ensure (GP_TYPE_HISTORY_PAGE);
  g_type_ensure (GP_TYPE_PROFILE_MANAGER);
  g_type_ensure (GP_TYPE_PROFILE_SELECTOR);
  g_type_ensure (GP_TYPE_HISTORY_PAGE);

  list_ui_files (RESOURCE_ROOT, files);
  /* The window, its pages and the shortcuts window at least. */
  g_assert_cmpuint (files->len, >=, 5);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *test_path = g_strconcat ("/gatepost/gui/ui-files/",
                                                (char *) files->pdata[i] + strlen (RESOURCE_ROOT),
                                                NULL);

      g_test_add_data_func (test_path, files->pdata[i], test_load);
    }

  return g_test_run ();
}
