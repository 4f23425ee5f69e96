/* test-profile-manager.c: the profiles manager and editor against the real keyring
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gp-profile-manager.h"
#include "test-profile-common.h"

typedef struct
{
  GpProfileList    *list;
  GpProfileManager *manager;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  clear_keyring ();
  fixture->list = gp_profile_list_new ();
  fixture->manager = g_object_ref_sink (gp_profile_manager_new (fixture->list));
  gtk_window_present (GTK_WINDOW (fixture->manager));
  WAIT_FOR (gp_profile_list_get_loaded (fixture->list));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_and_finalize (fixture->manager);
  unref_and_finalize (fixture->list);
}

static const char *
row_subtitle (Fixture    *fixture,
              const char *name)
{
  GtkWidget *row = gp_profile_manager_get_row (fixture->manager, name);

  g_assert_nonnull (row);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static GpProfileEditor *
open_new_editor (Fixture    *fixture,
                 const char *gateway)
{
  GpProfileEditor *editor;

  /* First the gateway, then its form. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.add",
                                             "s", ""));
  g_assert_null (gp_profile_manager_get_editor (fixture->manager));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.add",
                                             "s", gateway));
  editor = gp_profile_manager_get_editor (fixture->manager);
  g_assert_nonnull (editor);
  g_assert_cmpstr (gp_gateway_kind_to_string (gp_profile_editor_get_gateway (editor)), ==,
                   gateway);

  return editor;
}

static void
save_and_wait (Fixture         *fixture,
               GpProfileEditor *editor)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  WAIT_FOR (gp_profile_manager_get_editor (fixture->manager) == NULL);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Answers the dialog as a click on its button does (it closes, then
 * responds). */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog),
                                   adw_message_dialog_get_response_label (dialog, response));

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
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

/* Pastes @text into the row's paste area and presses its button. */
static void
paste_into_row (GpProfileEditor *editor,
                const char      *field,
                const char      *text)
{
  GtkWidget *row = gp_profile_editor_get_row (editor, field);
  GtkMenuButton *button = GTK_MENU_BUTTON (find_type (row, GTK_TYPE_MENU_BUTTON));
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  GtkTextView *view = GTK_TEXT_VIEW (find_type (popover, GTK_TYPE_TEXT_VIEW));
  GtkWidget *use = find_button (popover, "_Use Pasted Text");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  g_assert_nonnull (use);
  gtk_menu_button_popup (button);
  gtk_text_buffer_set_text (buffer, text, -1);
  g_signal_emit_by_name (use, "clicked");
  /* Nothing pasted stays in the widget. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
}

static void
fill_alipay (GpProfileEditor *editor,
             const char      *name)
{
  editor_set_text (editor, "name", name);
  editor_set_text (editor, "app_id", "2021000000000001");
  editor_load_key (editor, "private_key", "app.pkcs8.pem");
  editor_load_key (editor, "alipay_public_key", "alipay.pub.pem");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_cmpstr (gp_profile_manager_get_state (fixture->manager), ==, "empty");
}

static void
test_add_alipay (Fixture       *fixture,
                 gconstpointer  data)
{
  GpProfileEditor *editor = open_new_editor (fixture, "alipay");
  g_autoptr(GpProfile) stored = NULL;
  g_autofree char *app = fingerprint_start ("app");
  g_autofree char *alipay = fingerprint_start ("alipay");
  g_autofree char *app_full = expected_value ("fingerprint", "app");
  g_autofree char *alipay_full = expected_value ("fingerprint", "alipay");

  /* Alipay's form, from the one table: no WeChat fields. */
  g_assert_true (ADW_IS_ENTRY_ROW (gp_profile_editor_get_row (editor, "app_id")));
  g_assert_true (ADW_IS_ACTION_ROW (gp_profile_editor_get_row (editor, "private_key")));
  g_assert_null (gp_profile_editor_get_row (editor, "mch_id"));
  g_assert_null (gp_profile_editor_get_row (editor, "api_key"));

  fill_alipay (editor, "Shop A");
  g_assert_nonnull (strstr (gp_profile_editor_get_status (editor, "private_key"), app));
  g_assert_nonnull (strstr (gp_profile_editor_get_status (editor, "alipay_public_key"), alipay));
  save_and_wait (fixture, editor);

  g_assert_cmpstr (gp_profile_manager_get_state (fixture->manager), ==, "list");
  g_assert_nonnull (strstr (row_subtitle (fixture, "Shop A"), app));
  g_assert_nonnull (strstr (row_subtitle (fixture, "Shop A"), alipay));
  g_assert_nonnull (strstr (row_subtitle (fixture, "Shop A"), "Alipay"));

  stored = load_stored ("Shop A");
  g_assert_cmpstr (gp_profile_get_string (stored, "app_id"), ==, "2021000000000001");
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_private_key_get_public_key (gp_profile_get_private_key (stored))),
                   ==, app_full);
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_profile_get_verify_key (stored)), ==,
                   alipay_full);
}

static void
test_validation_error (Fixture       *fixture,
                       gconstpointer  data)
{
  GpProfileEditor *editor = open_new_editor (fixture, "alipay");
  g_autofree char *pem = NULL;
  g_autofree char *path = key_path ("app.pub.pem");
  const char *error;

  /* The classic mix-up: the app's own public key, pasted as Alipay's. */
  editor_set_text (editor, "name", "Shop A");
  editor_set_text (editor, "app_id", "2021000000000001");
  editor_load_key (editor, "private_key", "app.pkcs1.b64");
  g_assert_true (g_file_get_contents (path, &pem, NULL, NULL));
  paste_into_row (editor, "alipay_public_key", pem);
  g_assert_true (g_str_has_prefix (gp_profile_editor_get_status (editor, "alipay_public_key"),
                                   "New: RSA 2048"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  error = gp_profile_editor_get_error (editor, "alipay_public_key");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "app's own public key"));
  g_assert_null (gp_profile_editor_get_error (editor, "private_key"));
  g_assert_null (gp_profile_editor_get_error (editor, "app_id"));
  g_assert_true (gtk_widget_has_css_class (gp_profile_editor_get_row (editor, "alipay_public_key"),
                                           "error"));
  g_assert_false (gp_profile_editor_get_busy (editor));
  g_assert_true (gp_profile_manager_get_editor (fixture->manager) == editor);

  /* A missing ID is named too, on its own row; the last error is gone. */
  editor_load_key (editor, "alipay_public_key", "alipay.pub.b64");
  editor_set_text (editor, "app_id", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_null (gp_profile_editor_get_error (editor, "alipay_public_key"));
  error = gp_profile_editor_get_error (editor, "app_id");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "missing field “app_id”"));

  /* A key that does not parse. */
  editor_set_text (editor, "app_id", "2021000000000001");
  gp_profile_editor_set_material (editor, "private_key", "not a key", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (gp_profile_editor_get_error (editor, "private_key"));

  /* Nothing reached the keyring. */
  g_assert_cmpuint (count_stored (), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL));
  g_assert_null (gp_profile_manager_get_editor (fixture->manager));
}

static void
test_edit_keeps_secrets (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GpProfile) before = import_profile (ALIPAY_JSON ("Shop A"));
  g_autoptr(GpProfile) after = NULL;
  g_autoptr(GpProfile) renamed = NULL;
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *app = fingerprint_start ("app");
  GpProfileEditor *editor;
  const char *status;

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop A") != NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.edit",
                                             "s", "Shop A"));
  editor = gp_profile_manager_get_editor (fixture->manager);
  g_assert_nonnull (editor);

  /* Non-secret fields are filled in; keys are described, never shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gp_profile_editor_get_row (editor, "app_id"))),
                   ==, "2021000000000001");
  status = gp_profile_editor_get_status (editor, "private_key");
  g_assert_true (g_str_has_prefix (status, "Saved: RSA 2048, SHA-256 "));
  g_assert_nonnull (strstr (status, app));
  g_assert_null (strstr (status, "PRIVATE KEY"));

  editor_set_text (editor, "app_id", "2021000000000002");
  save_and_wait (fixture, editor);

  after = load_stored ("Shop A");
  g_assert_cmpstr (gp_profile_get_string (after, "app_id"), ==, "2021000000000002");
  g_assert_cmpstr (gp_profile_get_id (after), ==, gp_profile_get_id (before));
  g_assert_cmpstr (gp_public_key_get_fingerprint (gp_private_key_get_public_key (gp_profile_get_private_key (after))),
                   ==,
                   gp_public_key_get_fingerprint (gp_private_key_get_public_key (gp_profile_get_private_key (before))));
  g_assert_true (gp_public_key_equal (gp_profile_get_verify_key (after),
                                      gp_profile_get_verify_key (before)));

  /* A rename keeps the id and leaves no profile under the old name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.edit",
                                             "s", "Shop A"));
  editor = gp_profile_manager_get_editor (fixture->manager);
  editor_set_text (editor, "name", "Shop B");
  save_and_wait (fixture, editor);
  renamed = load_stored ("Shop B");
  g_assert_cmpstr (gp_profile_get_id (renamed), ==, gp_profile_get_id (before));
  g_assert_null (gp_profile_store_load_sync (store, "Shop A", NULL, &error));
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND);
  g_assert_null (gp_profile_manager_get_row (fixture->manager, "Shop A"));
  g_assert_nonnull (gp_profile_manager_get_row (fixture->manager, "Shop B"));
  g_assert_cmpuint (count_stored (), ==, 1);
}

static void
test_edit_name_taken (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GpProfile) a = import_profile (ALIPAY_JSON ("Shop A"));
  g_autoptr(GpProfile) b = import_profile (ALIPAY_JSON ("Shop B"));
  GpProfileEditor *editor;

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop B") != NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.edit", "s", "Shop A");
  editor = gp_profile_manager_get_editor (fixture->manager);
  editor_set_text (editor, "name", "Shop B");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_nonnull (strstr (gp_profile_editor_get_error (editor, "name"), "already exists"));
  g_assert_false (gp_profile_editor_get_busy (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  g_assert_cmpuint (count_stored (), ==, 2);
}

static void
test_add_v3 (Fixture       *fixture,
             gconstpointer  data)
{
  GpProfileEditor *editor = open_new_editor (fixture, "wechatpay-v3");
  g_autoptr(GpProfile) stored = NULL;
  g_autofree char *platform = fingerprint_start ("platform");
  g_autofree char *serial = expected_value ("serial", "platform");

  g_assert_null (gp_profile_editor_get_row (editor, "app_id"));
  g_assert_true (ADW_IS_ENTRY_ROW (gp_profile_editor_get_row (editor, "serial_no")));
  editor_set_text (editor, "name", "Shop C");
  editor_set_text (editor, "mch_id", "1900000109");
  editor_set_text (editor, "serial_no", "5157f09efdc096de15ebe81a47057a7232f1b8e1");
  editor_load_key (editor, "private_key", "app.pkcs8.crlf.pem");
  editor_load_key (editor, "platform_certificate", "platform.pem");
  g_assert_nonnull (strstr (gp_profile_editor_get_status (editor, "platform_certificate"),
                            serial));
  /* The extra CA goes through the keyring's form; its errors land on its row. */
  paste_into_row (editor, "ca", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_nonnull (strstr (gp_profile_editor_get_error (editor, "ca"), "“ca”"));
  g_assert_cmpuint (count_stored (), ==, 0);
  editor_load_key (editor, "ca", "ca.pem");
  g_assert_true (g_str_has_prefix (gp_profile_editor_get_status (editor, "ca"), "New: 1 certificate"));
  save_and_wait (fixture, editor);

  stored = load_stored ("Shop C");
  g_assert_nonnull (strstr (gp_profile_get_ca_pem (stored), "BEGIN CERTIFICATE"));
  g_assert_cmpint (gp_profile_get_gateway (stored), ==, GP_GATEWAY_WECHATPAY_V3);
  g_assert_cmpstr (gp_profile_get_verify_serial (stored), ==, serial);
  g_assert_nonnull (strstr (row_subtitle (fixture, "Shop C"), platform));
  g_assert_nonnull (strstr (row_subtitle (fixture, "Shop C"), serial));

  /* Switching to the WeChat Pay public key drops the saved certificate;
   * the private key and the CA, left empty, are kept. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.edit", "s", "Shop C");
  editor = gp_profile_manager_get_editor (fixture->manager);
  g_assert_true (g_str_has_prefix (gp_profile_editor_get_status (editor, "ca"), "Saved: 1 certificate"));
  editor_load_key (editor, "platform_public_key", "platform.pub.pem");
  editor_set_text (editor, "platform_serial", "PUB_KEY_ID_0114232134912410000000000000");
  save_and_wait (fixture, editor);
  {
    g_autoptr(GpProfile) switched = load_stored ("Shop C");

    g_assert_null (gp_profile_get_certificate (switched, "platform_certificate"));
    g_assert_cmpstr (gp_profile_get_verify_serial (switched), ==,
                     "PUB_KEY_ID_0114232134912410000000000000");
    g_assert_true (gp_public_key_equal (gp_profile_get_verify_key (switched),
                                        gp_profile_get_verify_key (stored)));
    g_assert_cmpstr (gp_profile_get_ca_pem (switched), ==, gp_profile_get_ca_pem (stored));
    g_assert_cmpstr (gp_profile_get_id (switched), ==, gp_profile_get_id (stored));
  }
}

static void
test_v2_password_row (Fixture       *fixture,
                      gconstpointer  data)
{
  GpProfileEditor *editor = open_new_editor (fixture, "wechatpay-v2");
  g_autoptr(GpProfile) stored = NULL;
  g_autoptr(GBytes) api_key = NULL;
  GtkWidget *row;

  /* Secrets are typed into password rows. */
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (gp_profile_editor_get_row (editor, "api_key")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (gp_profile_editor_get_row (editor,
                                                                       "client_p12_password")));
  g_assert_true (ADW_IS_COMBO_ROW (gp_profile_editor_get_row (editor, "sign_type")));
  editor_set_text (editor, "name", "Shop D");
  editor_set_text (editor, "mch_id", "1900000109");
  editor_set_text (editor, "api_key", "192006250b4c09247ec02edce69f6a2d");
  row = gp_profile_editor_get_row (editor, "client_p12_password");
  editor_load_key (editor, "client_p12", "client.p12");
  gtk_editable_set_text (GTK_EDITABLE (row), "wrong");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_nonnull (strstr (gp_profile_editor_get_error (editor, "client_p12"),
                            "does not open"));
  /* The PEM pair instead. */
  gp_profile_editor_set_material (editor, "client_p12", "", 0);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  editor_load_key (editor, "client_cert", "client.pem");
  editor_load_key (editor, "client_key", "client.key.pem");
  adw_combo_row_set_selected (ADW_COMBO_ROW (gp_profile_editor_get_row (editor, "sign_type")), 1);
  row = g_object_ref (gp_profile_editor_get_row (editor, "api_key"));
  save_and_wait (fixture, editor);

  /* The editor closed: its secret rows were emptied. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_object_unref (row);
  stored = load_stored ("Shop D");
  api_key = gp_profile_dup_api_key (stored);
  g_assert_cmpmem (g_bytes_get_data (api_key, NULL), g_bytes_get_size (api_key),
                   "192006250b4c09247ec02edce69f6a2d", 32);
  g_assert_cmpstr (gp_profile_get_string (stored, "sign_type"), ==, "HMAC-SHA256");
  g_assert_nonnull (gp_profile_get_client_certificate (stored));
}

static void
test_secret_rows_cleared (Fixture       *fixture,
                          gconstpointer  data)
{
  GpProfileEditor *editor = open_new_editor (fixture, "wechatpay-v2");
  GtkWidget *row = gp_profile_editor_get_row (editor, "api_key");

  g_object_ref (row);
  editor_set_text (editor, "api_key", "192006250b4c09247ec02edce69f6a2d");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_object_unref (row);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GpProfile) source = import_profile (ALIPAY_JSON ("Shop A"));
  g_autoptr(GpProfile) copy = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop A") != NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.duplicate",
                                             "s", "Shop A"));
  dialog = gp_profile_manager_get_dialog (fixture->manager);
  g_assert_nonnull (dialog);
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Shop A (Copy)");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  /* A name in use cannot be chosen. */
  gtk_editable_set_text (entry, "Shop A");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  gtk_editable_set_text (entry, "Shop E");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  respond (dialog, "duplicate");
  WAIT_FOR (gp_profile_manager_get_dialog (fixture->manager) == NULL);

  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop E") != NULL);
  copy = load_stored ("Shop E");
  g_assert_cmpstr (gp_profile_get_id (copy), !=, gp_profile_get_id (source));
  g_assert_cmpstr (gp_profile_get_string (copy, "app_id"), ==,
                   gp_profile_get_string (source, "app_id"));
  g_assert_true (gp_public_key_equal (gp_profile_get_verify_key (copy),
                                      gp_profile_get_verify_key (source)));
  g_assert_cmpuint (count_stored (), ==, 2);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GpProfile) a = import_profile (ALIPAY_JSON ("Shop & Co"));
  g_autoptr(GpProfile) b = import_profile (V3_JSON ("Shop F"));
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop & Co") != NULL);

  /* Cancelling removes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.remove", "s", "Shop & Co");
  dialog = gp_profile_manager_get_dialog (fixture->manager);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "“Shop & Co”"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "cancel");
  WAIT_FOR (gp_profile_manager_get_dialog (fixture->manager) == NULL);
  g_assert_cmpuint (count_stored (), ==, 2);

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.remove", "s", "Shop & Co");
  dialog = gp_profile_manager_get_dialog (fixture->manager);
  respond (dialog, "remove");
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Shop & Co") == NULL);
  g_assert_null (gp_profile_store_load_sync (store, "Shop & Co", NULL, &error));
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_stored (), ==, 1);
  g_assert_nonnull (gp_profile_manager_get_row (fixture->manager, "Shop F"));
}

static void
test_sandbox (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GpProfile) sandbox = memory_profile (ALIPAY_JSON ("Sandbox"));
  GtkWidget *row;

  gp_profile_list_add_transient (fixture->list, sandbox, "Sandbox");
  row = gp_profile_manager_get_row (fixture->manager, "Sandbox");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Sandbox · Alipay"));
  g_assert_cmpstr (gp_profile_manager_get_state (fixture->manager), ==, "list");

  /* Neither editable nor removable. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.remove", "s", "Sandbox");
  g_assert_null (gp_profile_manager_get_dialog (fixture->manager));
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.edit", "s", "Sandbox");
  g_assert_null (gp_profile_manager_get_editor (fixture->manager));
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.duplicate", "s", "Sandbox");
  g_assert_null (gp_profile_manager_get_dialog (fixture->manager));

  /* Reading the keyring again keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)) == 1);
  g_assert_true (gp_profile_list_is_transient (fixture->list, sandbox));
  g_assert_cmpuint (count_stored (), ==, 0);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_expiry_warning (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GpProfile) soon = import_profile (
    "{\"name\": \"Soon\", \"gateway\": \"wechatpay-global\", \"mch_id\": \"1900000109\","
    " \"serial_no\": \"5157F09E\", \"private_key_file\": \"app.pkcs8.pem\","
    " \"platform_certificate_file\": \"soon.pem\"}");
  g_autoptr(GpProfile) expired = import_profile (
    "{\"name\": \"Old\", \"gateway\": \"wechatpay-v3\", \"mch_id\": \"1900000109\","
    " \"serial_no\": \"5157F09E\", \"private_key_file\": \"app.pkcs8.pem\","
    " \"platform_certificate_file\": \"expired.pem\"}");
  g_autoptr(GpProfile) fine = import_profile (V3_JSON ("Fine"));
  GpCertificate *soon_cert = gp_profile_get_certificate (soon, "platform_certificate");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GpExpiry soon_expiry = gp_certificate_get_expiry (soon_cert, now, NULL);
  GtkWidget *row;

  gtk_widget_activate_action (GTK_WIDGET (fixture->manager), "manager.refresh", NULL);
  WAIT_FOR (gp_profile_manager_get_row (fixture->manager, "Soon") != NULL);

  row = gp_profile_manager_get_row (fixture->manager, "Old");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "expired on"));
  g_assert_nonnull (find_named (row, "expired"));
  g_assert_true (gtk_widget_has_css_class (find_named (row, "expired"), "error"));

  /* soon.pem ends in December 2026: “soon” until then, by the same clock. */
  row = gp_profile_manager_get_row (fixture->manager, "Soon");
  if (soon_expiry == GP_EXPIRY_SOON)
    {
      g_assert_nonnull (find_named (row, "expiring"));
      g_assert_true (gtk_widget_has_css_class (find_named (row, "expiring"), "warning"));
    }
  else
    g_assert_nonnull (find_named (row, soon_expiry == GP_EXPIRY_EXPIRED ? "expired" : "none"));

  row = gp_profile_manager_get_row (fixture->manager, "Fine");
  g_assert_null (find_named (row, "expired"));
  g_assert_null (find_named (row, "expiring"));
}

int
main (int   argc,
      char *argv[])
{
  test_profiles_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gatepost/gui/profile-manager/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("empty", test_empty);
  ADD ("add-alipay", test_add_alipay);
  ADD ("validation-error", test_validation_error);
  ADD ("edit-keeps-secrets", test_edit_keeps_secrets);
  ADD ("edit-name-taken", test_edit_name_taken);
  ADD ("add-v3", test_add_v3);
  ADD ("v2-password-rows", test_v2_password_row);
  ADD ("secret-rows-cleared", test_secret_rows_cleared);
  ADD ("duplicate", test_duplicate);
  ADD ("remove", test_remove);
  ADD ("sandbox", test_sandbox);
  ADD ("expiry-warning", test_expiry_warning);
#undef ADD

  return g_test_run ();
}
