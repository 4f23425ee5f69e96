/* gp-profile-manager.c: the window that lists, adds, edits and removes profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-profile-manager.h"

#include <glib/gi18n.h>

#include "gp-profile-private.h"

struct _GpProfileManager
{
  AdwPreferencesWindow  parent_instance;

  GpProfileList        *list;
  GCancellable         *cancellable;
  GpProfileEditor      *editor;      /* the form shown as a subpage, or NULL */
  GtkWidget            *closing;     /* weak: a subpage still sliding out */
  GtkWidget            *pending;     /* a subpage to present once it has gone */
  AdwMessageDialog     *dialog;      /* the question being asked, or NULL */
  gboolean              refreshing;
  char                 *error;       /* why the keyring could not be read */

  GtkStack             *stack;
  GtkListBox           *list_box;
  AdwStatusPage        *error_page;
  GtkSpinner           *spinner;
};

G_DEFINE_FINAL_TYPE (GpProfileManager, gp_profile_manager, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (GpProfileManager *self,
       const char       *title)
{
  /* libadwaita 1.2 reads toast titles as markup; names may hold “&”. */
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static void
update_state (GpProfileManager *self)
{
  const char *state;

  if (self->error != NULL)
    state = "error";
  else if (!gp_profile_list_get_loaded (self->list) && self->refreshing)
    state = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    state = "empty";
  else
    state = "list";
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.add", self->error == NULL);
}

/* Rows ------------------------------------------------------------------------------------ */

static void
append_certificate_line (GString    *subtitle,
                         GpProfile  *profile,
                         const char *field,
                         const char *title,
                         GpExpiry   *worst)
{
  GpCertificate *certificate = gp_profile_get_certificate (profile, field);
  g_autofree char *text = NULL;
  GpExpiry expiry;

  if (certificate == NULL)
    return;
  expiry = gp_profile_describe_certificate (certificate, &text);
  g_string_append_printf (subtitle, "\n%s: %s", title, text);
  if (expiry > *worst)
    *worst = expiry;
}

static char *
describe_profile (GpProfileList *list,
                  GpProfile     *profile,
                  GpExpiry      *worst)
{
  GString *subtitle = g_string_new (NULL);
  g_autofree char *gateway = gp_profile_describe_gateway (gp_profile_get_gateway (profile));
  const char *label = gp_profile_list_get_label (list, profile);
  GpPrivateKey *private_key = gp_profile_get_private_key (profile);
  GpPublicKey *verify_key = gp_profile_get_verify_key (profile);
  const char *id = gp_profile_get_string (profile, "app_id");

  if (id == NULL)
    id = gp_profile_get_string (profile, "mch_id");
  *worst = GP_EXPIRY_OK;
  if (label != NULL)
    /* Translators: a tag such as “Sandbox”, then a gateway name */
    g_string_append_printf (subtitle, _("%s · %s"), label, gateway);
  else
    g_string_append (subtitle, gateway);
  if (id != NULL)
    g_string_append_printf (subtitle, " · %s", id);
  if (private_key != NULL)
    {
      g_autofree char *text = gp_profile_describe_key (gp_private_key_get_public_key (private_key));

      g_string_append_printf (subtitle, "\n%s: %s", _("Signing key"), text);
    }
  if (verify_key != NULL)
    {
      g_autofree char *text = gp_profile_describe_key (verify_key);

      g_string_append_printf (subtitle, "\n%s: %s", _("Verification key"), text);
    }
  append_certificate_line (subtitle, profile, "client_cert", _("Client certificate"), worst);
  append_certificate_line (subtitle, profile, "platform_certificate",
                           _("Platform certificate"), worst);

  return g_string_free (subtitle, FALSE);
}

static GtkWidget *
expiry_icon_new (GpExpiry expiry)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  const char *text = expiry == GP_EXPIRY_EXPIRED
    ? _("A certificate has expired: the gateway will refuse it")
    : _("A certificate expires within 30 days");

  gtk_widget_add_css_class (icon, expiry == GP_EXPIRY_EXPIRED ? "error" : "warning");
  gtk_widget_set_tooltip_text (icon, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);
  gtk_widget_set_name (icon, expiry == GP_EXPIRY_EXPIRED ? "expired" : "expiring");

  return icon;
}

static GtkWidget *
row_button_new (const char *icon_name,
                const char *label,
                const char *action,
                const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (name));

  return button;
}

static GtkWidget *
more_button_new (const char *name)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) duplicate = g_menu_item_new (_("_Duplicate…"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);
  GtkWidget *button = gtk_menu_button_new ();
  const char *label = _("More Actions");

  g_menu_item_set_action_and_target_value (duplicate, "manager.duplicate",
                                           g_variant_new_string (name));
  g_menu_item_set_action_and_target_value (remove, "manager.remove",
                                           g_variant_new_string (name));
  g_menu_append_item (menu, duplicate);
  g_menu_append_item (menu, remove);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);

  return button;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (user_data);
  GpProfile *profile = GP_PROFILE (item);
  const char *name = gp_profile_get_name (profile);
  const char *label = gp_profile_list_get_label (self->list, profile);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;
  GpExpiry worst;

  subtitle = describe_profile (self->list, profile, &worst);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, name);
  if (worst != GP_EXPIRY_OK)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), expiry_icon_new (worst));

  if (label != NULL)
    {
      GtkWidget *badge = gtk_label_new (label);

      /* Transient profiles live in memory only: nothing to edit or remove. */
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, "accent");
      gtk_widget_set_name (badge, "badge");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      return row;
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button_new ("document-edit-symbolic", _("Edit Profile"),
                                             "manager.edit", name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), more_button_new (name));

  return row;
}

static void
items_changed_cb (GListModel       *model,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GpProfileManager *self)
{
  update_state (self);
}

/* Reading the keyring --------------------------------------------------------------------- */

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GpProfileManager) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_profile_list_refresh_finish (GP_PROFILE_LIST (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->refreshing = FALSE;
  g_clear_pointer (&self->error, g_free);
  if (error != NULL)
    {
      /* The core's message says what to do (start or unlock the keyring). */
      self->error = g_strdup (error->message);
      adw_status_page_set_title (self->error_page,
                                 g_error_matches (error, GP_KEYRING_ERROR,
                                                  GP_KEYRING_ERROR_LOCKED)
                                 ? _("Keyring Locked") : _("Keyring Unavailable"));
      adw_status_page_set_description (self->error_page, error->message);
    }
  update_state (self);
}

static void
refresh (GpProfileManager *self)
{
  self->refreshing = TRUE;
  update_state (self);
  gp_profile_list_refresh_async (self->list, self->cancellable, refreshed_cb,
                                 g_object_ref (self));
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (widget);

  g_clear_pointer (&self->error, g_free);
  refresh (self);
}

/* Adding and editing ---------------------------------------------------------------------- */

/* Presenting a subpage while the last one still slides out confuses the
 * window's leaflet (libadwaita 1.2), so the next one waits for it. */
static void
closing_parent_cb (GtkWidget        *page,
                   GParamSpec       *pspec,
                   GpProfileManager *self)
{
  g_autoptr(GtkWidget) pending = NULL;

  if (gtk_widget_get_parent (page) != NULL)
    return;
  g_signal_handlers_disconnect_by_func (page, closing_parent_cb, self);
  g_clear_weak_pointer (&self->closing);
  pending = g_steal_pointer (&self->pending);
  if (pending != NULL)
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), pending);
}

static void
present_subpage (GpProfileManager *self,
                 GtkWidget        *page)
{
  if (self->closing != NULL)
    {
      g_clear_object (&self->pending);
      self->pending = g_object_ref_sink (page);
      return;
    }
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), page);
}

static void
close_subpage (GpProfileManager *self,
               GtkWidget        *page)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  if (self->closing == NULL && gtk_widget_get_parent (page) != NULL)
    {
      g_set_weak_pointer (&self->closing, page);
      g_signal_connect (page, "notify::parent", G_CALLBACK (closing_parent_cb), self);
    }
}

static void
editor_saved_cb (GpProfileEditor  *editor,
                 GpProfile        *profile,
                 GpProfileManager *self)
{
  g_autofree char *text = g_strdup_printf (_("Profile “%s” saved"),
                                           gp_profile_get_name (profile));

  g_clear_weak_pointer (&self->editor);
  close_subpage (self, GTK_WIDGET (editor));
  toast (self, text);
}

static void
editor_cancelled_cb (GpProfileEditor  *editor,
                     GpProfileManager *self)
{
  g_clear_weak_pointer (&self->editor);
  close_subpage (self, GTK_WIDGET (editor));
}

static void
present_editor (GpProfileManager *self,
                GpGatewayKind     gateway,
                GpProfile        *profile)
{
  GpProfileEditor *editor = gp_profile_editor_new (self->list, gateway, profile);

  g_set_weak_pointer (&self->editor, editor);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, 0);
  g_signal_connect_object (editor, "cancelled", G_CALLBACK (editor_cancelled_cb), self, 0);
  present_subpage (self, GTK_WIDGET (editor));
}

static void
back_clicked_cb (GtkButton        *button,
                 GpProfileManager *self)
{
  close_subpage (self, g_object_get_data (G_OBJECT (button), "gp-page"));
}

static const char *
gateway_summary (GpGatewayKind gateway)
{
  switch (gateway)
    {
    case GP_GATEWAY_ALIPAY:
      return _("App ID with RSA2 keys; images and MP4 videos");
    case GP_GATEWAY_WECHATPAY_V2:
      return _("Merchant ID, API key and client certificate; images");
    case GP_GATEWAY_WECHATPAY_V3:
      return _("Merchant ID, API certificate key and platform key; images");
    case GP_GATEWAY_WECHATPAY_GLOBAL:
      return _("Cross-border merchants; images and PDF documents");
    case GP_GATEWAY_INVALID:
    case GP_N_GATEWAYS:
    default:
      g_assert_not_reached ();
    }
}

/* The first step of adding: which gateway the account belongs to. */
static GtkWidget *
gateway_page_new (GpProfileManager *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  const char *back_label = _("Back");

  gtk_widget_set_tooltip_text (back, back_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  back_label, -1);
  g_object_set_data (G_OBJECT (back), "gp-page", box);
  g_signal_connect_object (back, "clicked", G_CALLBACK (back_clicked_cb), self, 0);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("New Profile"), NULL));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Gateway"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Choose the payment gateway of the merchant account"));
  for (GpGatewayKind kind = 0; kind < GP_N_GATEWAYS; kind++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = gp_profile_describe_gateway (kind);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), gateway_summary (kind));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "manager.add");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                              g_variant_new_string (gp_gateway_kind_to_string (kind)));
      gtk_widget_set_name (row, gp_gateway_kind_to_string (kind));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);

  return box;
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (widget);
  const char *gateway_id = g_variant_get_string (parameter, NULL);
  GpGatewayKind gateway;

  if (*gateway_id == '\0')
    {
      present_subpage (self, gateway_page_new (self));
      return;
    }
  gateway = gp_gateway_kind_from_string (gateway_id);
  g_return_if_fail (gateway != GP_GATEWAY_INVALID);
  /* From the gateway page: the form replaces it (the window drops the
   * page once the transition ends), and Cancel goes back to the list. */
  present_editor (self, gateway, NULL);
}

/* A stored profile named by an action's parameter. */
static GpProfile *
stored_profile (GpProfileManager *self,
                GVariant         *parameter)
{
  GpProfile *profile = gp_profile_list_find (self->list, g_variant_get_string (parameter, NULL));

  if (profile == NULL || gp_profile_list_is_transient (self->list, profile))
    return NULL;

  return profile;
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (widget);
  GpProfile *profile = stored_profile (self, parameter);

  if (profile == NULL)
    return;
  present_editor (self, gp_profile_get_gateway (profile), profile);
}

/* Duplicating ----------------------------------------------------------------------------- */

static void
dialog_destroyed_cb (GtkWidget        *dialog,
                     GpProfileManager *self)
{
  if ((GtkWidget *) self->dialog == dialog)
    self->dialog = NULL;
}

static AdwMessageDialog *
dialog_new (GpProfileManager *self,
            const char       *heading,
            const char       *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         heading, body));

  self->dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self, 0);

  return dialog;
}

static void
duplicated_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GpProfileManager) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) stored = NULL;
  g_autofree char *text = NULL;

  stored = gp_profile_list_save_finish (GP_PROFILE_LIST (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stored == NULL)
    text = g_strdup_printf (_("Could not duplicate the profile: %s"), error->message);
  else
    text = g_strdup_printf (_("Profile “%s” added"), gp_profile_get_name (stored));
  toast (self, text);
}

/* A copy of @profile under @name with a fresh id, through the keyring's
 * own form so that it is validated like any stored profile. */
static GpProfile *
copy_profile (GpProfile   *profile,
              const char  *name,
              GError     **error)
{
  g_autoptr(GBytes) canonical = gp_profile_dup_canonical_json (profile);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) json = NULL;
  JsonObject *object;
  char *text;
  gsize len;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (canonical, NULL),
                                   g_bytes_get_size (canonical), error))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (object, "name", name);
  json_object_remove_member (object, "id");
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &len);
  gp_profile_wipe_json (object);
  json = gp_secret_bytes_new_take (text, len);

  return gp_profile_new_from_canonical (json, error);
}

static void
duplicate_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GpProfileManager *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *source_name = g_object_get_data (G_OBJECT (dialog), "gp-profile");
  GpProfile *source = gp_profile_list_find (self->list, source_name);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GpProfile) copy = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "duplicate") != 0 || source == NULL)
    return;
  copy = copy_profile (source, name, &error);
  if (copy == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not duplicate the profile: %s"),
                                               error->message);

      toast (self, text);
      return;
    }
  gp_profile_list_save_async (self->list, copy, NULL, self->cancellable, duplicated_cb,
                              g_object_ref (self));
}

static void
duplicate_name_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  GpProfileManager *self = g_object_get_data (G_OBJECT (dialog), "gp-manager");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean ok = *name != '\0' && gp_profile_list_find (self->list, name) == NULL;

  adw_message_dialog_set_response_enabled (dialog, "duplicate", ok);
  if (ok || *name == '\0')
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

static void
duplicate_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (widget);
  GpProfile *profile = stored_profile (self, parameter);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;
  g_autofree char *suggestion = NULL;

  if (profile == NULL)
    return;
  body = g_strdup_printf (_("The copy of “%s” gets the same IDs and keys under a new name."),
                          gp_profile_get_name (profile));
  dialog = dialog_new (self, _("Duplicate Profile"), body);
  /* Translators: the suggested name of a copy of profile %s */
  suggestion = g_strdup_printf (_("%s (Copy)"), gp_profile_get_name (profile));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the copy"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "duplicate", _("_Duplicate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "duplicate", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "duplicate");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gp-profile",
                          g_strdup (gp_profile_get_name (profile)), g_free);
  g_object_set_data (G_OBJECT (dialog), "gp-manager", self);
  g_signal_connect_object (entry, "changed", G_CALLBACK (duplicate_name_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (duplicate_response_cb), self, 0);
  duplicate_name_changed_cb (GTK_EDITABLE (entry), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Removing -------------------------------------------------------------------------------- */

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GpProfileManager) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!gp_profile_list_remove_finish (GP_PROFILE_LIST (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not remove the profile: %s"), error->message);
    }
  else
    text = g_strdup (_("Profile removed"));
  toast (self, text);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    GpProfileManager *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "gp-profile");

  if (g_strcmp0 (response, "remove") != 0)
    return;
  gp_profile_list_remove_async (self->list, name, self->cancellable, removed_cb,
                                g_object_ref (self));
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (widget);
  GpProfile *profile = stored_profile (self, parameter);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (profile == NULL)
    return;
  heading = g_strdup_printf (_("Remove “%s”?"), gp_profile_get_name (profile));
  dialog = dialog_new (self, heading,
                       _("Its IDs, keys and certificates are deleted from the keyring. "
                         "This cannot be undone."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gp-profile",
                          g_strdup (gp_profile_get_name (profile)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject --------------------------------------------------------------------------------- */

static void
gp_profile_manager_dispose (GObject *object)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  g_clear_weak_pointer (&self->editor);
  if (self->closing != NULL)
    g_signal_handlers_disconnect_by_func (self->closing, closing_parent_cb, self);
  g_clear_weak_pointer (&self->closing);
  g_clear_object (&self->pending);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PROFILE_MANAGER);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (gp_profile_manager_parent_class)->dispose (object);
}

static void
gp_profile_manager_finalize (GObject *object)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (gp_profile_manager_parent_class)->finalize (object);
}

static void
gp_profile_manager_class_init (GpProfileManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_profile_manager_dispose;
  object_class->finalize = gp_profile_manager_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-profile-manager.ui");
  gtk_widget_class_bind_template_child (widget_class, GpProfileManager, stack);
  gtk_widget_class_bind_template_child (widget_class, GpProfileManager, list_box);
  gtk_widget_class_bind_template_child (widget_class, GpProfileManager, error_page);
  gtk_widget_class_bind_template_child (widget_class, GpProfileManager, spinner);

  gtk_widget_class_install_action (widget_class, "manager.add", "s", add_activated);
  gtk_widget_class_install_action (widget_class, "manager.edit", "s", edit_activated);
  gtk_widget_class_install_action (widget_class, "manager.duplicate", "s", duplicate_activated);
  gtk_widget_class_install_action (widget_class, "manager.remove", "s", remove_activated);
  gtk_widget_class_install_action (widget_class, "manager.refresh", NULL, refresh_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "manager.add", "s", "");
}

static void
gp_profile_manager_init (GpProfileManager *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * gp_profile_manager_new:
 * @list: the profiles; shared with the window's selector
 *
 * The manager reads the keyring again when it opens, so that profiles
 * imported with the CLI meanwhile appear. Make it transient for the main
 * window and present it.
 *
 * Returns: (transfer full): a new window
 */
GpProfileManager *
gp_profile_manager_new (GpProfileList *list)
{
  GpProfileManager *self;

  g_return_val_if_fail (GP_IS_PROFILE_LIST (list), NULL);

  self = g_object_new (GP_TYPE_PROFILE_MANAGER, NULL);
  self->list = g_object_ref (list);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (list), create_row, self, NULL);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), self);
  refresh (self);

  return self;
}

GpProfileList *
gp_profile_manager_get_list (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);

  return self->list;
}

/**
 * gp_profile_manager_get_state:
 *
 * Returns: what the window shows: "loading", "list", "empty" or "error"
 */
const char *
gp_profile_manager_get_state (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * gp_profile_manager_get_row:
 *
 * Returns: (transfer none) (nullable): the #AdwActionRow of the profile
 *   named @name
 */
GtkWidget *
gp_profile_manager_get_row (GpProfileManager *self,
                            const char       *name)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) && g_strcmp0 (gtk_widget_get_name (child), name) == 0)
      return child;

  return NULL;
}

/**
 * gp_profile_manager_get_editor:
 *
 * Returns: (transfer none) (nullable): the profile form being shown
 */
GpProfileEditor *
gp_profile_manager_get_editor (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);

  return self->editor;
}

/**
 * gp_profile_manager_get_dialog:
 *
 * Returns: (transfer none) (nullable): the duplicate or remove question
 *   being asked
 */
AdwMessageDialog *
gp_profile_manager_get_dialog (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);

  return self->dialog;
}
