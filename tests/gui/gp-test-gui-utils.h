/* gp-test-gui-utils.h: helpers shared by the widget tests
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, so that each test stays one .c file as tests/meson.build
 * expects.
 */

#pragma once

#include <adwaita.h>

/* Long enough for a cold GStreamer registry on a loaded machine. */
#define GP_TEST_TIMEOUT_SECONDS 30

typedef gboolean (*GpTestCondition) (gpointer data);

static gboolean
gp_test_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @cond holds; fails the test after
 * GP_TEST_TIMEOUT_SECONDS instead of hanging. */
static inline void
gp_test_wait_until (GpTestCondition  cond,
                    gpointer         data,
                    const char      *what)
{
  gint64 deadline = g_get_monotonic_time () + GP_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, gp_test_wake_cb, NULL);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d s waiting for %s", GP_TEST_TIMEOUT_SECONDS, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
}

/* Lets pending idles and redraws run. */
static inline void
gp_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
gp_test_collect_text (GtkWidget *widget,
                      GString   *text)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *plain = NULL;
      const char *label = gtk_label_get_text (GTK_LABEL (widget));
      GString *s = g_string_new (label);

      /* g_format_size() puts a no-break space before the unit; tests
       * compare with plain spaces. */
      g_string_replace (s, "\u00a0", " ", 0);
      plain = g_string_free (s, FALSE);
      g_string_append (text, plain);
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gp_test_collect_text (child, text);
}

/* What a user can read in @widget: every visible label, one per line. */
static inline char *
gp_test_dup_visible_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  gp_test_collect_text (widget, text);

  return g_string_free (text, FALSE);
}

static inline GtkWidget *
gp_test_find_by_action (GtkWidget  *widget,
                        const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0 &&
      gtk_widget_get_visible (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gp_test_find_by_action (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline GtkWidget *
gp_test_find_by_type (GtkWidget *widget,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gp_test_find_by_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* On one line, so that the message stays valid TAP. */
#define gp_test_assert_text_contains(text, needle) \
  G_STMT_START { \
    if (strstr ((text), (needle)) == NULL) \
      { \
        g_autofree char *flat = g_strdelimit (g_strdup (text), "\n", '|'); \
        g_error ("Expected to find “%s” in: %s", (needle), flat); \
      } \
  } G_STMT_END
