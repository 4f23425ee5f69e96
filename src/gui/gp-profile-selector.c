/* gp-profile-selector.c: the header bar's profile chooser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The active profile holds key material, so it is reached through a getter
 * and the "profile-changed" signal, never through a property.
 */

#include "config.h"

#include "gp-profile-selector.h"

#include <glib/gi18n.h>

struct _GpProfileSelector
{
  GtkWidget         parent_instance;

  GpProfileList    *list;
  GpProfile        *active;
  char             *active_id;     /* survives the list being read again */
  GpProfileManager *manager;       /* weak */

  GtkMenuButton    *button;
  GtkPopover       *popover;
  GtkListBox       *list_box;
  GtkLabel         *name_label;
  GtkLabel         *gateway_label;
};

G_DEFINE_FINAL_TYPE (GpProfileSelector, gp_profile_selector, GTK_TYPE_WIDGET)

enum {
  PROFILE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe (GpProfileSelector *self,
          GpProfile         *profile)
{
  g_autofree char *gateway = gp_profile_describe_gateway (gp_profile_get_gateway (profile));
  const char *label = gp_profile_list_get_label (self->list, profile);

  if (label != NULL)
    return g_strdup_printf (_("%s · %s"), label, gateway);

  return g_steal_pointer (&gateway);
}

static void
update_button (GpProfileSelector *self)
{
  g_autofree char *subtitle = NULL;

  if (self->active == NULL)
    {
      gtk_label_set_text (self->name_label, _("No Profile"));
      gtk_label_set_text (self->gateway_label, _("Add one to upload"));
      return;
    }
  subtitle = describe (self, self->active);
  gtk_label_set_text (self->name_label, gp_profile_get_name (self->active));
  gtk_label_set_text (self->gateway_label, subtitle);
}

static void
update_checks (GpProfileSelector *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "gp-check");
      GpProfile *profile = g_object_get_data (G_OBJECT (row), "gp-profile");

      if (check != NULL)
        gtk_widget_set_opacity (check, profile == self->active ? 1.0 : 0.0);
    }
}

static void
set_active (GpProfileSelector *self,
            GpProfile         *profile)
{
  if (self->active == profile)
    return;
  g_set_object (&self->active, profile);
  if (profile != NULL)
    {
      g_free (self->active_id);
      self->active_id = g_strdup (gp_profile_get_id (profile));
    }
  update_button (self);
  update_checks (self);
  g_signal_emit (self, signals[PROFILE_CHANGED], 0, profile);
}

/* After the list changed: the same profile (by id, then by name), else the first. */
static void
resolve_active (GpProfileSelector *self)
{
  GListModel *model = G_LIST_MODEL (self->list);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GpProfile) found = NULL;
  g_autofree char *name = self->active ? g_strdup (gp_profile_get_name (self->active)) : NULL;

  for (guint i = 0; i < n && found == NULL; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);

      if (self->active_id != NULL && g_strcmp0 (gp_profile_get_id (profile), self->active_id) == 0)
        found = g_steal_pointer (&profile);
    }
  if (found == NULL && name != NULL && gp_profile_list_find (self->list, name) != NULL)
    found = g_object_ref (gp_profile_list_find (self->list, name));
  if (found == NULL && n > 0)
    found = g_list_model_get_item (model, 0);
  set_active (self, found);
  update_button (self);
  update_checks (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GpProfileSelector *self = GP_PROFILE_SELECTOR (user_data);
  GpProfile *profile = GP_PROFILE (item);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (gp_profile_get_name (profile));
  g_autofree char *subtitle = describe (self, profile);
  GtkWidget *gateway = gtk_label_new (subtitle);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (gateway), 0);
  gtk_widget_add_css_class (gateway, "caption");
  gtk_widget_add_css_class (gateway, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), gateway);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_opacity (check, profile == self->active ? 1.0 : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gp_profile_get_name (profile), -1);
  g_object_set_data (G_OBJECT (row), "gp-check", check);
  g_object_set_data_full (G_OBJECT (row), "gp-profile", g_object_ref (profile), g_object_unref);

  return row;
}

static void
row_activated_cb (GtkListBox        *list_box,
                  GtkListBoxRow     *row,
                  GpProfileSelector *self)
{
  GpProfile *profile = g_object_get_data (G_OBJECT (row), "gp-profile");

  set_active (self, profile);
  gtk_popover_popdown (self->popover);
}

static void
items_changed_cb (GListModel        *model,
                  guint              position,
                  guint              removed,
                  guint              added,
                  GpProfileSelector *self)
{
  resolve_active (self);
}

static void
manage_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpProfileSelector *self = GP_PROFILE_SELECTOR (widget);

  gtk_popover_popdown (self->popover);
  gp_profile_selector_open_manager (self);
}

static void
gp_profile_selector_dispose (GObject *object)
{
  GpProfileSelector *self = GP_PROFILE_SELECTOR (object);

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  g_clear_weak_pointer (&self->manager);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PROFILE_SELECTOR);
  g_clear_object (&self->active);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (gp_profile_selector_parent_class)->dispose (object);
}

static void
gp_profile_selector_finalize (GObject *object)
{
  GpProfileSelector *self = GP_PROFILE_SELECTOR (object);

  g_clear_pointer (&self->active_id, g_free);

  G_OBJECT_CLASS (gp_profile_selector_parent_class)->finalize (object);
}

static void
gp_profile_selector_class_init (GpProfileSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_profile_selector_dispose;
  object_class->finalize = gp_profile_selector_finalize;

  /* (GpProfile *profile): the new active profile, or %NULL when there is none */
  signals[PROFILE_CHANGED] =
    g_signal_new ("profile-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, GP_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-profile-selector.ui");
  gtk_widget_class_bind_template_child (widget_class, GpProfileSelector, button);
  gtk_widget_class_bind_template_child (widget_class, GpProfileSelector, popover);
  gtk_widget_class_bind_template_child (widget_class, GpProfileSelector, list_box);
  gtk_widget_class_bind_template_child (widget_class, GpProfileSelector, name_label);
  gtk_widget_class_bind_template_child (widget_class, GpProfileSelector, gateway_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "selector.manage", NULL, manage_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gp_profile_selector_init (GpProfileSelector *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No profiles yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list_box, placeholder);
}

/**
 * gp_profile_selector_new:
 * @list: the profiles; share it with gp_profile_manager_new()
 *
 * The first profile becomes active until one is chosen. The selector does
 * not read the keyring itself: call gp_profile_list_refresh_async().
 *
 * Returns: (transfer floating): a compact header bar widget
 */
GpProfileSelector *
gp_profile_selector_new (GpProfileList *list)
{
  GpProfileSelector *self;

  g_return_val_if_fail (GP_IS_PROFILE_LIST (list), NULL);

  self = g_object_new (GP_TYPE_PROFILE_SELECTOR, NULL);
  self->list = g_object_ref (list);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (list), create_row, self, NULL);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), self);
  resolve_active (self);

  return self;
}

GpProfileList *
gp_profile_selector_get_list (GpProfileSelector *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_SELECTOR (self), NULL);

  return self->list;
}

/**
 * gp_profile_selector_get_active_profile:
 *
 * Returns: (transfer none) (nullable): the profile uploads use
 */
GpProfile *
gp_profile_selector_get_active_profile (GpProfileSelector *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_SELECTOR (self), NULL);

  return self->active;
}

/**
 * gp_profile_selector_set_active_name:
 *
 * Makes the profile named @name active (the window restores the
 * `last-profile` setting with this).
 *
 * Returns: %FALSE when no profile has that name
 */
gboolean
gp_profile_selector_set_active_name (GpProfileSelector *self,
                                     const char        *name)
{
  GpProfile *profile;

  g_return_val_if_fail (GP_IS_PROFILE_SELECTOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  profile = gp_profile_list_find (self->list, name);
  if (profile == NULL)
    return FALSE;
  set_active (self, profile);

  return TRUE;
}

/**
 * gp_profile_selector_open_manager:
 *
 * Presents the profiles manager over the selector's window, as "Manage
 * Profiles…" does; an open one is raised.
 *
 * Returns: (transfer none): the manager window
 */
GpProfileManager *
gp_profile_selector_open_manager (GpProfileSelector *self)
{
  GtkRoot *root;
  GpProfileManager *manager;

  g_return_val_if_fail (GP_IS_PROFILE_SELECTOR (self), NULL);

  if (self->manager != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->manager));
      return self->manager;
    }
  manager = gp_profile_manager_new (self->list);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (manager), GTK_WINDOW (root));
      gtk_window_set_modal (GTK_WINDOW (manager), TRUE);
    }
  g_set_weak_pointer (&self->manager, manager);
  gtk_window_present (GTK_WINDOW (manager));

  return manager;
}
