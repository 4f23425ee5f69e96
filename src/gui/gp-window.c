/* gp-window.c: the main window
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-window.h"

#include <glib/gi18n.h>

struct _GpWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;

  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (GpWindow, gp_window, ADW_TYPE_APPLICATION_WINDOW)

GpWindow *
gp_window_new (GpApplication *application)
{
  return g_object_new (GP_TYPE_WINDOW, "application", application, NULL);
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

  G_OBJECT_CLASS (gp_window_parent_class)->finalize (object);
}

static void
gp_window_class_init (GpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_window_dispose;
  object_class->finalize = gp_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, empty_page);
}

static void
gp_window_init (GpWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
