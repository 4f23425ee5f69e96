/* gp-profile-editor.c: the form of one profile, built from its gateway's fields
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form is built from one table of fields (INTERFACES.md "Profile
 * file"). Saving builds the profile JSON in memory, key material inline,
 * and hands it to gp_profile_new_from_json(): the same validation as
 * `gatepost-cli profile import`. Its messages name the field, so each one is
 * shown on that field's row.
 *
 * Secrets are never shown again once saved: editing shows fingerprints, and
 * a secret left empty keeps the stored one.
 */

#include "config.h"

#include "gp-profile-editor.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gp-profile-private.h"

#define MAX_MATERIAL_SIZE (1024 * 1024)

#define ALIPAY (1u << GP_GATEWAY_ALIPAY)
#define V2     (1u << GP_GATEWAY_WECHATPAY_V2)
#define V3     ((1u << GP_GATEWAY_WECHATPAY_V3) | (1u << GP_GATEWAY_WECHATPAY_GLOBAL))
#define ALL    (ALIPAY | V2 | V3)

typedef enum
{
  KIND_TEXT,
  KIND_SECRET,
  KIND_CHOICE,
  KIND_MATERIAL,
} FieldKind;

typedef enum
{
  MATERIAL_NONE,
  MATERIAL_PRIVATE_KEY,
  MATERIAL_PUBLIC_KEY,
  MATERIAL_CERTIFICATE,
  MATERIAL_PKCS12,
  MATERIAL_CA,
} MaterialKind;

typedef enum
{
  GROUP_ACCOUNT,
  GROUP_SIGNING,
  GROUP_VERIFY,
  GROUP_CONNECTION,
  N_GROUPS
} FieldGroup;

typedef struct
{
  const char   *name;          /* the profile file's member */
  guint         gateways;
  FieldKind     kind;
  MaterialKind  material;
  FieldGroup    group;
  guint         alternative;   /* fields of one alternative replace each other … */
  guint         side;          /* … by side: a new value on one side drops the other's */
  const char   *title;
} FieldInfo;

/* The one table of fields per gateway, in the order they are shown. */
static const FieldInfo fields[] = {
  { "name", ALL, KIND_TEXT, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0, N_("Name") },
  { "app_id", ALIPAY, KIND_TEXT, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0, N_("App ID") },
  { "mch_id", V2 | V3, KIND_TEXT, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0, N_("Merchant ID") },
  { "serial_no", V3, KIND_TEXT, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0,
    N_("Merchant Certificate Serial Number") },
  { "sign_type", V2, KIND_CHOICE, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0, N_("Signature Type") },
  { "image_pid", ALIPAY, KIND_TEXT, MATERIAL_NONE, GROUP_ACCOUNT, 0, 0,
    N_("Image PID (Optional)") },
  { "private_key", ALIPAY, KIND_MATERIAL, MATERIAL_PRIVATE_KEY, GROUP_SIGNING, 0, 0,
    N_("App Private Key") },
  { "private_key", V3, KIND_MATERIAL, MATERIAL_PRIVATE_KEY, GROUP_SIGNING, 0, 0,
    N_("Merchant Private Key") },
  { "api_key", V2, KIND_SECRET, MATERIAL_NONE, GROUP_SIGNING, 0, 0, N_("API Key") },
  { "client_cert", V2, KIND_MATERIAL, MATERIAL_CERTIFICATE, GROUP_SIGNING, 1, 1,
    N_("Client Certificate") },
  { "client_key", V2, KIND_MATERIAL, MATERIAL_PRIVATE_KEY, GROUP_SIGNING, 1, 1,
    N_("Client Certificate Key") },
  { "client_p12", V2, KIND_MATERIAL, MATERIAL_PKCS12, GROUP_SIGNING, 1, 2,
    N_("Client Certificate as PKCS #12") },
  { "client_p12_password", V2, KIND_SECRET, MATERIAL_NONE, GROUP_SIGNING, 1, 2,
    N_("PKCS #12 Password") },
  { "alipay_public_key", ALIPAY, KIND_MATERIAL, MATERIAL_PUBLIC_KEY, GROUP_VERIFY, 0, 0,
    N_("Alipay Public Key") },
  { "platform_public_key", V3, KIND_MATERIAL, MATERIAL_PUBLIC_KEY, GROUP_VERIFY, 2, 1,
    N_("WeChat Pay Public Key") },
  { "platform_serial", V3, KIND_TEXT, MATERIAL_NONE, GROUP_VERIFY, 0, 0,
    N_("WeChat Pay Public Key ID") },
  { "platform_certificate", V3, KIND_MATERIAL, MATERIAL_CERTIFICATE, GROUP_VERIFY, 2, 2,
    N_("Platform Certificate") },
  { "base_url", ALL, KIND_TEXT, MATERIAL_NONE, GROUP_CONNECTION, 0, 0, N_("Server Address") },
  { "ca", ALL, KIND_MATERIAL, MATERIAL_CA, GROUP_CONNECTION, 0, 0,
    N_("Extra Trusted Certificates") },
};

static const char * const sign_types[] = { "MD5", "HMAC-SHA256", NULL };

typedef struct
{
  const FieldInfo *info;
  GtkWidget       *row;
  GtkWidget       *error_row;
  GtkWidget       *clear_button;
  GtkTextView     *paste_view;
  GBytes          *material;     /* new key material, wiped on free */
  gboolean         stored;       /* the saved profile has this field */
  char            *error;
} Field;

struct _GpProfileEditor
{
  GtkBox                parent_instance;

  GpProfileList        *list;
  GpProfile            *profile;       /* the saved profile being edited, or NULL */
  GpGatewayKind         gateway;
  GArray               *fields;        /* Field */
  GCancellable         *cancellable;
  gboolean              busy;

  AdwWindowTitle       *window_title;
  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *problem_group;
  AdwActionRow         *problem_row;
  GtkSpinner           *spinner;
};

G_DEFINE_FINAL_TYPE (GpProfileEditor, gp_profile_editor, GTK_TYPE_BOX)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_clear_pointer (&field->material, g_bytes_unref);
  g_clear_pointer (&field->error, g_free);
}

static Field *
find_field (GpProfileEditor *self,
            const char      *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (strcmp (field->info->name, name) == 0)
        return field;
    }

  return NULL;
}

/* Showing state ------------------------------------------------------------------------- */

static void
set_problem (GpProfileEditor *self,
             const char      *message)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row),
                                 message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_group), message != NULL);
}

static void
field_set_error (Field      *field,
                 const char *message)
{
  g_free (field->error);
  field->error = g_strdup (message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (field->error_row), message ? message : "");
  gtk_widget_set_visible (field->error_row, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (field->row, "error");
  else
    gtk_widget_remove_css_class (field->row, "error");
}

static void
clear_errors (GpProfileEditor *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    field_set_error (&g_array_index (self->fields, Field, i), NULL);
  set_problem (self, NULL);
}

static guint
count_certificates (const char *pem,
                    gsize       len)
{
  const char *marker = "-----BEGIN CERTIFICATE-----";
  const char *end = pem + len;
  guint n = 0;

  for (const char *p = pem; p < end && (p = g_strstr_len (p, end - p, marker)); p++)
    n++;

  return n;
}

/* What a new value looks like, parsed for display only: validation is
 * gp_profile_new_from_json()'s, when the profile is saved. */
static char *
describe_new_material (const Field *field)
{
  gsize len;
  const char *data = g_bytes_get_data (field->material, &len);
  g_autoptr(GpPrivateKey) private_key = NULL;
  g_autoptr(GpPublicKey) public_key = NULL;
  g_autoptr(GpCertificate) certificate = NULL;
  g_autofree char *text = NULL;

  switch (field->info->material)
    {
    case MATERIAL_PRIVATE_KEY:
      private_key = gp_private_key_new_from_data (data, len, NULL);
      if (private_key != NULL)
        text = gp_profile_describe_key (gp_private_key_get_public_key (private_key));
      break;

    case MATERIAL_PUBLIC_KEY:
      public_key = gp_public_key_new_from_data (data, len, NULL);
      if (public_key != NULL)
        text = gp_profile_describe_key (public_key);
      break;

    case MATERIAL_CERTIFICATE:
      certificate = gp_certificate_new_from_data (data, len, NULL);
      if (certificate != NULL)
        gp_profile_describe_certificate (certificate, &text);
      break;

    case MATERIAL_CA:
      {
        guint n = count_certificates (data, len);

        if (n > 0)
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate",
                                               "%u certificates", n), n);
      }
      break;

    case MATERIAL_PKCS12:
    case MATERIAL_NONE:
    default:
      break;
    }

  if (text == NULL)
    return g_strdup (_("New value, checked when you save"));

  /* Translators: %s describes a key or certificate just chosen */
  return g_strdup_printf (_("New: %s"), text);
}

static char *
describe_stored_material (GpProfileEditor *self,
                          const Field     *field)
{
  GpProfile *profile = self->profile;
  GpCertificate *certificate = NULL;
  g_autofree char *text = NULL;
  const char *name = field->info->name;

  if (strcmp (name, "private_key") == 0)
    text = gp_profile_describe_key (gp_private_key_get_public_key (gp_profile_get_private_key (profile)));
  else if (strcmp (name, "alipay_public_key") == 0 || strcmp (name, "platform_public_key") == 0)
    text = gp_profile_describe_key (gp_profile_get_verify_key (profile));
  else if (strcmp (name, "platform_certificate") == 0)
    certificate = gp_profile_get_certificate (profile, "platform_certificate");
  else if (strcmp (name, "client_cert") == 0 || strcmp (name, "client_p12") == 0)
    certificate = gp_profile_get_certificate (profile, "client_cert");
  else if (strcmp (name, "client_key") == 0)
    text = gp_profile_describe_key (gp_certificate_get_public_key (gp_profile_get_certificate (profile, "client_cert")));
  else if (strcmp (name, "ca") == 0)
    {
      const char *pem = gp_profile_get_ca_pem (profile);
      guint n = count_certificates (pem, strlen (pem));

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate",
                                           "%u certificates", n), n);
    }
  if (certificate != NULL)
    gp_profile_describe_certificate (certificate, &text);

  /* Translators: %s describes the key or certificate in the keyring */
  return g_strdup_printf (_("Saved: %s"), text ? text : _("set"));
}

static void
update_material_row (GpProfileEditor *self,
                     Field           *field)
{
  g_autofree char *status = NULL;

  if (field->material != NULL)
    status = describe_new_material (field);
  else if (field->stored)
    status = describe_stored_material (self, field);
  else if (field->info->material == MATERIAL_PKCS12)
    status = g_strdup (_("Not set: a .p12 file, or its base64"));
  else if (field->info->material == MATERIAL_CA)
    status = g_strdup (_("Not set: only for a test server with its own certificate authority"));
  else
    status = g_strdup (_("Not set: PEM, or bare base64"));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), status);
  gtk_widget_set_visible (field->clear_button, field->material != NULL);
}

static void
set_material_bytes (GpProfileEditor *self,
                    Field           *field,
                    GBytes          *material)
{
  g_clear_pointer (&field->material, g_bytes_unref);
  field->material = material;
  field_set_error (field, NULL);
  update_material_row (self, field);
}

/* Key material in ------------------------------------------------------------------------ */

static gboolean
is_text (const char *data,
         gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\0' || (((guchar) data[i]) < 0x20 && !g_ascii_isspace (data[i])) ||
        ((guchar) data[i]) >= 0x80)
      return FALSE;

  return TRUE;
}

/* Takes @data (wiped and freed here). A binary PKCS#12 file becomes the
 * base64 the profile file expects inline. */
static GBytes *
material_from_data (const Field *field,
                    char        *data,
                    gsize        len)
{
  GBytes *bytes;

  if (field->info->material == MATERIAL_PKCS12 && !is_text (data, len))
    {
      char *b64 = g_base64_encode ((const guchar *) data, len);

      gp_secret_free (data, len);
      len = strlen (b64);
      return gp_secret_bytes_new_take (b64, len);
    }
  bytes = gp_secret_bytes_new (data, len);
  gp_secret_free (data, len);

  return bytes;
}

/**
 * gp_profile_editor_set_material:
 * @field: a key or certificate field of the form
 * @text: PEM or bare base64 (for `client_p12`, base64)
 *
 * What pasting does; the text is copied into a buffer wiped when freed.
 */
void
gp_profile_editor_set_material (GpProfileEditor *self,
                                const char      *field_name,
                                const char      *text,
                                gssize           len)
{
  Field *field;

  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));
  g_return_if_fail (field_name != NULL);
  g_return_if_fail (text != NULL);

  field = find_field (self, field_name);
  g_return_if_fail (field != NULL && field->info->kind == KIND_MATERIAL);

  if (len < 0)
    len = strlen (text);
  if (len == 0)
    {
      set_material_bytes (self, field, NULL);
      return;
    }
  set_material_bytes (self, field, material_from_data (field, g_strndup (text, len), len));
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GpProfileEditor *self = g_task_get_source_object (task);
  Field *field;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      gp_secret_free (contents, len);
      return;
    }
  field = find_field (self, g_task_get_task_data (task));
  g_assert (field != NULL);
  if (len > MAX_MATERIAL_SIZE || len == 0)
    {
      g_autofree char *basename = g_file_get_basename (G_FILE (source));
      g_autofree char *message = NULL;

      gp_secret_free (contents, len);
      message = len == 0
        ? g_strdup_printf (_("“%s” is empty: choose the key or certificate file"), basename)
        : g_strdup_printf (_("“%s” is larger than 1 MiB: choose the key or certificate file"),
                           basename);
      field_set_error (field, message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", message);
      return;
    }
  set_material_bytes (self, field, material_from_data (field, contents, len));
  g_task_return_boolean (task, TRUE);
}

/**
 * gp_profile_editor_load_file_async:
 * @field: a key or certificate field of the form
 *
 * Reads @file into @field, as choosing it in the file chooser does.
 */
void
gp_profile_editor_load_file_async (GpProfileEditor     *self,
                                   const char          *field_name,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Field *field;

  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  field = find_field (self, field_name);
  g_return_if_fail (field != NULL && field->info->kind == KIND_MATERIAL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_profile_editor_load_file_async);
  g_task_set_task_data (task, g_strdup (field_name), g_free);
  g_file_load_contents_async (file, cancellable, file_loaded_cb, g_steal_pointer (&task));
}

gboolean
gp_profile_editor_load_file_finish (GpProfileEditor  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
chooser_file_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Size problems are already on the field's row. */
  if (!gp_profile_editor_load_file_finish (GP_PROFILE_EDITOR (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    set_problem (GP_PROFILE_EDITOR (source), error->message);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (user_data);
  const char *field_name = g_object_get_data (G_OBJECT (chooser), "gp-field");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    gp_profile_editor_load_file_async (self, field_name, file, self->cancellable,
                                       chooser_file_loaded_cb, NULL);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_file_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (user_data);
  Field *field = find_field (self, g_object_get_data (G_OBJECT (button), "gp-field"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title = NULL;
  GtkFileChooserNative *chooser;

  g_assert (field != NULL);

  /* Translators: the title of a file chooser; %s is a field such as “App Private Key” */
  title = g_strdup_printf (_("Choose %s"), _(field->info->title));
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "gp-field", g_strdup (field->info->name), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
paste_use_clicked_cb (GtkButton *button,
                      gpointer   user_data)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (user_data);
  Field *field = find_field (self, g_object_get_data (G_OBJECT (button), "gp-field"));
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  gsize len;

  g_assert (field != NULL);

  buffer = gtk_text_view_get_buffer (field->paste_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  len = strlen (text);
  g_strstrip (text);
  if (*text != '\0')
    gp_profile_editor_set_material (self, field->info->name, text, -1);
  explicit_bzero (text, len);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                             GTK_TYPE_POPOVER)));
}

static void
paste_popover_closed_cb (GtkPopover *popover,
                         gpointer    user_data)
{
  GtkTextView *view = GTK_TEXT_VIEW (user_data);

  /* Nothing pasted lingers in a closed popover. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "", 0);
}

static void
clear_material_clicked_cb (GtkButton *button,
                           gpointer   user_data)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (user_data);
  Field *field = find_field (self, g_object_get_data (G_OBJECT (button), "gp-field"));

  g_assert (field != NULL);
  set_material_bytes (self, field, NULL);
}

/* Building the form ---------------------------------------------------------------------- */

/* @label is the tooltip; screen readers also hear which field it is for. */
static void
set_labels (GtkWidget       *button,
            const char      *label,
            const FieldInfo *info)
{
  /* Translators: a button's accessible name: its label, then a field name */
  g_autofree char *accessible = g_strdup_printf (_("%s: %s"), label, _(info->title));

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

static GtkWidget *
icon_button_new (const char      *icon_name,
                 const char      *label,
                 const FieldInfo *info)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);
  const char *field_name = info->name;

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  set_labels (button, label, info);
  g_object_set_data_full (G_OBJECT (button), "gp-field", g_strdup (field_name), g_free);

  return button;
}

static GtkWidget *
paste_button_new (GpProfileEditor *self,
                  Field           *field)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_("Paste the PEM text, or the bare base64 of the key"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *use = gtk_button_new_with_mnemonic (_("_Use Pasted Text"));
  const char *tooltip = _("Paste Text");

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "edit-paste-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  set_labels (button, tooltip, field->info);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_text_view_set_input_hints (GTK_TEXT_VIEW (view),
                                 GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_PRIVATE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(field->info->title), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 180);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_add_css_class (use, "suggested-action");
  gtk_widget_set_halign (use, GTK_ALIGN_END);
  g_object_set_data_full (G_OBJECT (use), "gp-field", g_strdup (field->info->name), g_free);
  g_signal_connect (use, "clicked", G_CALLBACK (paste_use_clicked_cb), self);
  g_signal_connect (popover, "closed", G_CALLBACK (paste_popover_closed_cb), view);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), use);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  field->paste_view = GTK_TEXT_VIEW (view);

  return button;
}

static GtkWidget *
material_row_new (GpProfileEditor *self,
                  Field           *field)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = icon_button_new ("document-open-symbolic", _("Choose File…"), field->info);
  GtkWidget *clear = icon_button_new ("edit-clear-symbolic", _("Forget the New Value"),
                                      field->info);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_signal_connect (open, "clicked", G_CALLBACK (choose_file_clicked_cb), self);
  g_signal_connect (clear, "clicked", G_CALLBACK (clear_material_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), paste_button_new (self, field));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  field->clear_button = clear;

  return row;
}

static GtkWidget *
field_row_new (GpProfileEditor *self,
               Field           *field)
{
  GtkWidget *row = NULL;

  switch (field->info->kind)
    {
    case KIND_TEXT:
      row = adw_entry_row_new ();
      if (g_str_equal (field->info->name, "base_url"))
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
      else if (!g_str_equal (field->info->name, "name"))
        adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row), GTK_INPUT_HINT_NO_SPELLCHECK);
      break;

    case KIND_SECRET:
      row = adw_password_entry_row_new ();
      break;

    case KIND_CHOICE:
      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row),
                               G_LIST_MODEL (gtk_string_list_new ((const char * const *) sign_types)));
      break;

    case KIND_MATERIAL:
      row = material_row_new (self, field);
      break;

    default:
      g_assert_not_reached ();
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->info->title));
  gtk_widget_set_name (row, field->info->name);

  return row;
}

static GtkWidget *
error_row_new (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Check This Field"));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "dialog-warning-symbolic");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_visible (row, FALSE);

  return row;
}

static const char *
group_title (FieldGroup group)
{
  switch (group)
    {
    case GROUP_ACCOUNT:
      return _("Account");
    case GROUP_SIGNING:
      return _("Signing");
    case GROUP_VERIFY:
      return _("Response Verification");
    case GROUP_CONNECTION:
      return _("Connection");
    case N_GROUPS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
group_description (GpProfileEditor *self,
                   FieldGroup       group)
{
  switch (group)
    {
    case GROUP_SIGNING:
      if (self->profile != NULL)
        return _("Leave a key or password empty to keep the saved one. Saved secrets are "
                 "never shown again.");
      if (self->gateway == GP_GATEWAY_WECHATPAY_V2)
        return _("The client certificate is a PEM certificate with its key, or one "
                 "PKCS #12 file. Its password defaults to the merchant ID.");
      return _("Keys are PEM or bare base64, PKCS #1 or PKCS #8, RSA 2048 bits or more.");
    case GROUP_VERIFY:
      if (self->gateway == GP_GATEWAY_ALIPAY)
        return _("The Alipay public key shown for your app on the Alipay open platform, "
                 "not the app's own public key.");
      return _("Either the WeChat Pay public key with its ID, or the platform certificate.");
    case GROUP_CONNECTION:
      return _("Only for a test server: leave empty to use the gateway's own address.");
    case GROUP_ACCOUNT:
    case N_GROUPS:
    default:
      return NULL;
    }
}

static JsonObject *
parse_object (GBytes *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (json, NULL),
                                   g_bytes_get_size (json), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static void
fill_from_profile (GpProfileEditor *self,
                   Field           *field,
                   JsonObject      *stored)
{
  const char *name = field->info->name;
  const char *value = NULL;

  switch (field->info->kind)
    {
    case KIND_TEXT:
      if (strcmp (name, "name") == 0)
        value = gp_profile_get_name (self->profile);
      else if (strcmp (name, "base_url") == 0)
        value = gp_profile_has_custom_base_url (self->profile)
          ? gp_profile_get_base_url (self->profile) : NULL;
      else
        value = gp_profile_get_string (self->profile, name);
      gtk_editable_set_text (GTK_EDITABLE (field->row), value ? value : "");
      break;

    case KIND_CHOICE:
      value = gp_profile_get_string (self->profile, name);
      adw_combo_row_set_selected (ADW_COMBO_ROW (field->row),
                                  g_strcmp0 (value, sign_types[1]) == 0 ? 1 : 0);
      break;

    case KIND_SECRET:
    case KIND_MATERIAL:
      /* Whether the keyring's copy has the member; its value is not kept. */
      field->stored = stored != NULL && json_object_has_member (stored, name);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
build_form (GpProfileEditor *self)
{
  AdwPreferencesGroup *groups[N_GROUPS] = { NULL };
  g_autoptr(GBytes) canonical = NULL;
  g_autoptr(JsonObject) stored = NULL;

  if (self->profile != NULL)
    {
      canonical = gp_profile_dup_canonical_json (self->profile);
      stored = parse_object (canonical);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const FieldInfo *info = &fields[i];
      Field field = { info, NULL, NULL, NULL, NULL, NULL, FALSE, NULL };
      Field *added;

      if ((info->gateways & (1u << self->gateway)) == 0)
        continue;
      if (groups[info->group] == NULL)
        {
          groups[info->group] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (groups[info->group], group_title (info->group));
          adw_preferences_group_set_description (groups[info->group],
                                                 group_description (self, info->group));
          adw_preferences_page_add (self->page, groups[info->group]);
        }
      g_array_append_val (self->fields, field);
      added = &g_array_index (self->fields, Field, self->fields->len - 1);
      added->row = field_row_new (self, added);
      added->error_row = error_row_new ();
      adw_preferences_group_add (groups[info->group], added->row);
      adw_preferences_group_add (groups[info->group], added->error_row);
      if (self->profile != NULL)
        fill_from_profile (self, added, stored);
      if (info->kind == KIND_MATERIAL)
        update_material_row (self, added);
    }
  if (stored != NULL)
    gp_profile_wipe_json (stored);
}

/* Saving --------------------------------------------------------------------------------- */

/* Whether a new value was given for another side of @field's alternative. */
static gboolean
other_side_given (GpProfileEditor *self,
                  const Field     *field)
{
  if (field->info->alternative == 0)
    return FALSE;
  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *other = &g_array_index (self->fields, Field, i);
      gboolean given;

      if (other->info->alternative != field->info->alternative ||
          other->info->side == field->info->side)
        continue;
      if (other->info->kind == KIND_SECRET)
        given = *gtk_editable_get_text (GTK_EDITABLE (other->row)) != '\0';
      else
        given = other->material != NULL;
      if (given)
        return TRUE;
    }

  return FALSE;
}

static void
keep_stored (GpProfileEditor *self,
             JsonObject      *object,
             JsonObject      *stored,
             const Field     *field)
{
  if (stored == NULL || !field->stored || other_side_given (self, field) ||
      !json_object_has_member (stored, field->info->name))
    return;
  json_object_set_string_member (object, field->info->name,
                                 json_object_get_string_member (stored, field->info->name));
}

/* The profile file of the form; key material inline, secrets left empty
 * taken from @stored. */
static JsonObject *
build_json (GpProfileEditor *self,
            JsonObject      *stored)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "gateway", gp_gateway_kind_to_string (self->gateway));
  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *field = &g_array_index (self->fields, Field, i);
      const char *name = field->info->name;

      switch (field->info->kind)
        {
        case KIND_TEXT:
          {
            g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));

            if (*text != '\0')
              json_object_set_string_member (object, name, text);
          }
          break;

        case KIND_SECRET:
          if (*gtk_editable_get_text (GTK_EDITABLE (field->row)) != '\0')
            json_object_set_string_member (object, name,
                                           gtk_editable_get_text (GTK_EDITABLE (field->row)));
          else
            keep_stored (self, object, stored, field);
          break;

        case KIND_CHOICE:
          json_object_set_string_member (object, name,
                                         sign_types[adw_combo_row_get_selected (ADW_COMBO_ROW (field->row)) == 1]);
          break;

        case KIND_MATERIAL:
          /* Only the keyring's own form holds the CA inline; it is added
           * after the file-form fields validate. */
          if (field->info->material == MATERIAL_CA)
            break;
          if (field->material != NULL)
            {
              g_autofree char *text = g_strndup (g_bytes_get_data (field->material, NULL),
                                                 g_bytes_get_size (field->material));

              json_object_set_string_member (object, name, text);
              explicit_bzero (text, strlen (text));
            }
          else
            keep_stored (self, object, stored, field);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return object;
}

/* The field a core message names: its first “quoted” field of this form. */
static Field *
field_for_message (GpProfileEditor *self,
                   const char      *message)
{
  const char *open = "“";
  const char *close = "”";
  const char *p = message;

  while ((p = strstr (p, open)) != NULL)
    {
      const char *start = p + strlen (open);
      const char *end = strstr (start, close);
      g_autofree char *name = NULL;
      Field *field;

      if (end == NULL)
        break;
      name = g_strndup (start, end - start);
      if (g_str_has_suffix (name, "_file"))
        name[strlen (name) - strlen ("_file")] = '\0';
      field = find_field (self, name);
      if (field != NULL)
        return field;
      p = end;
    }

  return NULL;
}

static void
show_validation_error (GpProfileEditor *self,
                       const GError    *error)
{
  Field *field = field_for_message (self, error->message);

  if (field == NULL)
    {
      set_problem (self, error->message);
      return;
    }
  field_set_error (field, error->message);
  gtk_widget_grab_focus (field->row);
}

/* Adds the CA, new or kept, through the keyring's form of the profile. */
static GpProfile *
add_ca (GpProfileEditor  *self,
        GpProfile        *profile,
        JsonObject       *stored,
        GError          **error)
{
  Field *field = find_field (self, "ca");
  g_autoptr(GBytes) canonical = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autofree char *ca = NULL;
  GpProfile *with_ca;
  char *text;
  gsize len;

  if (field->material != NULL)
    ca = g_strndup (g_bytes_get_data (field->material, NULL), g_bytes_get_size (field->material));
  else if (stored != NULL && field->stored && json_object_has_member (stored, "ca"))
    ca = g_strdup (json_object_get_string_member (stored, "ca"));
  if (ca == NULL)
    return g_object_ref (profile);

  canonical = gp_profile_dup_canonical_json (profile);
  object = parse_object (canonical);
  g_assert (object != NULL);
  json_object_set_string_member (object, "ca", ca);
  root = json_node_init_object (json_node_alloc (), object);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  gp_profile_wipe_json (object);
  json = gp_secret_bytes_new_take (text, len);
  with_ca = gp_profile_new_from_canonical (json, error);

  return with_ca;
}

static void
set_busy (GpProfileEditor *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
}

static void
profile_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GpProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) stored = NULL;

  stored = gp_profile_list_save_finish (GP_PROFILE_LIST (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (stored == NULL)
    {
      set_problem (self, error->message);
      return;
    }
  gp_profile_editor_clear_secrets (self);
  g_signal_emit (self, signals[SAVED], 0, stored);
}

/* A name another profile has, other than the one edited. */
static gboolean
name_taken (GpProfileEditor *self,
            const char      *name)
{
  if (self->profile != NULL && g_strcmp0 (gp_profile_get_name (self->profile), name) == 0)
    return FALSE;

  return gp_profile_list_find (self->list, name) != NULL;
}

static GpProfile *
validate (GpProfileEditor  *self,
          GError          **error)
{
  g_autoptr(GBytes) canonical = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GpProfile) profile = NULL;
  GpProfile *result = NULL;

  if (self->profile != NULL)
    {
      canonical = gp_profile_dup_canonical_json (self->profile);
      stored = parse_object (canonical);
    }
  object = build_json (self, stored);
  profile = gp_profile_new_from_json (object, NULL, error);
  if (profile != NULL)
    result = add_ca (self, profile, stored, error);
  gp_profile_wipe_json (object);
  if (stored != NULL)
    gp_profile_wipe_json (stored);
  if (result != NULL && self->profile != NULL)
    gp_profile_set_id (result, gp_profile_get_id (self->profile));

  return result;
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (widget);
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  Field *name_field = find_field (self, "name");

  if (self->busy)
    return;
  clear_errors (self);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (name_field->row))));
  if (*name != '\0' && name_taken (self, name))
    {
      g_autofree char *message =
        g_strdup_printf (_("A profile named “%s” already exists: choose another name"), name);

      field_set_error (name_field, message);
      return;
    }

  profile = validate (self, &error);
  if (profile == NULL)
    {
      show_validation_error (self, error);
      return;
    }

  set_busy (self, TRUE);
  gp_profile_list_save_async (self->list, profile,
                              self->profile ? gp_profile_get_name (self->profile) : NULL,
                              self->cancellable, profile_saved_cb, g_object_ref (self));
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (widget);

  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  gp_profile_editor_clear_secrets (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* GObject -------------------------------------------------------------------------------- */

static void
gp_profile_editor_dispose (GObject *object)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->fields != NULL)
    gp_profile_editor_clear_secrets (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PROFILE_EDITOR);
  g_clear_pointer (&self->fields, g_array_unref);
  g_clear_object (&self->profile);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (gp_profile_editor_parent_class)->dispose (object);
}

static void
gp_profile_editor_finalize (GObject *object)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gp_profile_editor_parent_class)->finalize (object);
}

static void
gp_profile_editor_class_init (GpProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_profile_editor_dispose;
  object_class->finalize = gp_profile_editor_finalize;

  /* (GpProfile *profile): the profile as stored in the keyring */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GP_TYPE_PROFILE);
  /* (): the person gave up; nothing was saved */
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, page);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, problem_group);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, problem_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, spinner);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
gp_profile_editor_init (GpProfileEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (self->fields, field_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * gp_profile_editor_new:
 * @list: where the profile is saved
 * @gateway: the gateway whose form to show
 * @profile: (nullable): the stored profile to edit, %NULL for a new one
 *
 * Returns: (transfer floating): the form
 */
GpProfileEditor *
gp_profile_editor_new (GpProfileList *list,
                       GpGatewayKind  gateway,
                       GpProfile     *profile)
{
  GpProfileEditor *self;
  g_autofree char *gateway_name = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_LIST (list), NULL);
  g_return_val_if_fail (gateway > GP_GATEWAY_INVALID && gateway < GP_N_GATEWAYS, NULL);
  g_return_val_if_fail (profile == NULL || GP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (profile == NULL || gp_profile_get_gateway (profile) == gateway, NULL);

  self = g_object_new (GP_TYPE_PROFILE_EDITOR, NULL);
  self->list = g_object_ref (list);
  self->gateway = gateway;
  self->profile = profile ? g_object_ref (profile) : NULL;
  build_form (self);

  gateway_name = gp_profile_describe_gateway (gateway);
  if (profile != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Edit Profile"));
      adw_window_title_set_subtitle (self->window_title, gp_profile_get_name (profile));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Profile"));
      adw_window_title_set_subtitle (self->window_title, gateway_name);
    }

  return self;
}

GpGatewayKind
gp_profile_editor_get_gateway (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), GP_GATEWAY_INVALID);

  return self->gateway;
}

/**
 * gp_profile_editor_get_profile:
 *
 * Returns: (transfer none) (nullable): the stored profile being edited
 */
GpProfile *
gp_profile_editor_get_profile (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), NULL);

  return self->profile;
}

/**
 * gp_profile_editor_get_row:
 * @field: a member of the profile file, such as "app_id"
 *
 * Returns: (transfer none) (nullable): the field's row: an #AdwEntryRow,
 *   #AdwPasswordEntryRow, #AdwComboRow, or an #AdwActionRow for key material
 */
GtkWidget *
gp_profile_editor_get_row (GpProfileEditor *self,
                           const char      *field_name)
{
  Field *field;

  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), NULL);
  g_return_val_if_fail (field_name != NULL, NULL);

  field = find_field (self, field_name);

  return field ? field->row : NULL;
}

/**
 * gp_profile_editor_get_error:
 *
 * Returns: (nullable): the problem shown on @field's row
 */
const char *
gp_profile_editor_get_error (GpProfileEditor *self,
                             const char      *field_name)
{
  Field *field;

  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), NULL);
  g_return_val_if_fail (field_name != NULL, NULL);

  if (field_name[0] == '\0')
    return gtk_widget_get_visible (GTK_WIDGET (self->problem_group))
      ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->problem_row)) : NULL;
  field = find_field (self, field_name);

  return field ? field->error : NULL;
}

/**
 * gp_profile_editor_get_status:
 *
 * Returns: (nullable): what a key or certificate row says about its value
 */
const char *
gp_profile_editor_get_status (GpProfileEditor *self,
                              const char      *field_name)
{
  Field *field;

  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), NULL);

  field = find_field (self, field_name);
  if (field == NULL || field->info->kind != KIND_MATERIAL)
    return NULL;

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (field->row));
}

gboolean
gp_profile_editor_get_busy (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), FALSE);

  return self->busy;
}

/**
 * gp_profile_editor_clear_secrets:
 *
 * Empties every secret entry and paste area and wipes new key material; the
 * editor does this itself when it is saved, cancelled or destroyed.
 */
void
gp_profile_editor_clear_secrets (GpProfileEditor *self)
{
  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (field->info->kind == KIND_SECRET)
        gtk_editable_set_text (GTK_EDITABLE (field->row), "");
      if (field->paste_view != NULL)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (field->paste_view), "", 0);
      if (field->material != NULL)
        set_material_bytes (self, field, NULL);
    }
}
