/* gp-profile-list.c: the profiles as a list model, backed by the keyring
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every keyring operation of the GUI goes through this object, so that one
 * place handles a locked keyring: the core store never unlocks by itself
 * (a prompt could wait forever in a CLI), but a person at the desktop can
 * answer the keyring's own unlock dialog. On GP_KEYRING_ERROR_LOCKED the
 * default collection is unlocked through the Secret Service, which shows
 * that dialog, and the operation is tried once more.
 *
 * Items are the keyring's profiles sorted by name, then the transient ones
 * (a simulator-backed sandbox) in the order they were added.
 */

#include "config.h"

#include "gp-profile-list.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

typedef struct
{
  GpProfile *profile;
  char      *label;
} Transient;

struct _GpProfileList
{
  GObject         parent_instance;

  GpProfileStore *store;
  GPtrArray      *stored;       /* GpProfile, sorted by name */
  GArray         *transients;   /* Transient */
  gboolean        loaded;
};

static void gp_profile_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GpProfileList, gp_profile_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gp_profile_list_model_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
gp_profile_list_get_item_type (GListModel *model)
{
  return GP_TYPE_PROFILE;
}

static guint
gp_profile_list_get_n_items (GListModel *model)
{
  GpProfileList *self = GP_PROFILE_LIST (model);

  return self->stored->len + self->transients->len;
}

static gpointer
gp_profile_list_get_item (GListModel *model,
                          guint       position)
{
  GpProfileList *self = GP_PROFILE_LIST (model);

  if (position < self->stored->len)
    return g_object_ref (g_ptr_array_index (self->stored, position));
  position -= self->stored->len;
  if (position < self->transients->len)
    return g_object_ref (g_array_index (self->transients, Transient, position).profile);

  return NULL;
}

static void
gp_profile_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gp_profile_list_get_item_type;
  iface->get_n_items = gp_profile_list_get_n_items;
  iface->get_item = gp_profile_list_get_item;
}

static void
transient_clear (gpointer data)
{
  Transient *transient = data;

  g_clear_object (&transient->profile);
  g_clear_pointer (&transient->label, g_free);
}

static void
gp_profile_list_finalize (GObject *object)
{
  GpProfileList *self = GP_PROFILE_LIST (object);

  g_clear_pointer (&self->stored, g_ptr_array_unref);
  g_clear_pointer (&self->transients, g_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gp_profile_list_parent_class)->finalize (object);
}

static void
gp_profile_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GpProfileList *self = GP_PROFILE_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_list_class_init (GpProfileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_profile_list_finalize;
  object_class->get_property = gp_profile_list_get_property;

  /* Whether the keyring has been read at least once. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_profile_list_init (GpProfileList *self)
{
  self->store = gp_profile_store_new ();
  self->stored = g_ptr_array_new_with_free_func (g_object_unref);
  self->transients = g_array_new (FALSE, TRUE, sizeof (Transient));
  g_array_set_clear_func (self->transients, transient_clear);
}

/**
 * gp_profile_list_new:
 *
 * An empty list; call gp_profile_list_refresh_async() to read the keyring.
 *
 * Returns: (transfer full): a #GListModel of #GpProfile
 */
GpProfileList *
gp_profile_list_new (void)
{
  return g_object_new (GP_TYPE_PROFILE_LIST, NULL);
}

GpProfileStore *
gp_profile_list_get_store (GpProfileList *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), NULL);

  return self->store;
}

gboolean
gp_profile_list_get_loaded (GpProfileList *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), FALSE);

  return self->loaded;
}

/* Changes to the stored profiles ------------------------------------------------------ */

static int
compare_names (GpProfile *a,
               GpProfile *b)
{
  return g_utf8_collate (gp_profile_get_name (a), gp_profile_get_name (b));
}

static gboolean
find_stored (GpProfileList *self,
             const char    *name,
             guint         *position)
{
  for (guint i = 0; i < self->stored->len; i++)
    if (g_strcmp0 (gp_profile_get_name (g_ptr_array_index (self->stored, i)), name) == 0)
      {
        *position = i;
        return TRUE;
      }

  return FALSE;
}

static void
remove_stored (GpProfileList *self,
               const char    *name)
{
  guint position;

  if (!find_stored (self, name, &position))
    return;
  g_ptr_array_remove_index (self->stored, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
put_stored (GpProfileList *self,
            GpProfile     *profile)
{
  guint position;

  if (find_stored (self, gp_profile_get_name (profile), &position))
    {
      g_ptr_array_index (self->stored, position) = g_object_ref (profile);
      /* The old object goes once the index holds the new one. */
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
      return;
    }
  for (position = 0; position < self->stored->len; position++)
    if (compare_names (profile, g_ptr_array_index (self->stored, position)) < 0)
      break;
  g_ptr_array_insert (self->stored, position, g_object_ref (profile));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
replace_all_stored (GpProfileList *self,
                    GPtrArray     *profiles)
{
  guint removed = self->stored->len;

  g_clear_pointer (&self->stored, g_ptr_array_unref);
  self->stored = g_ptr_array_ref (profiles);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, profiles->len);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

/* Keyring operations with one unlock-and-retry ----------------------------------------- */

typedef enum
{
  OP_LIST,
  OP_SAVE,
  OP_REMOVE,
  OP_REMOVE_REPLACED,
} OpKind;

typedef struct
{
  OpKind          kind;
  GpProfile      *profile;     /* OP_SAVE: to save; then the stored one */
  char           *name;        /* OP_REMOVE: the name; OP_SAVE: the name it replaces */
  gboolean        unlocked;    /* the unlock was tried already */
  SecretService  *service;
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->profile);
  g_clear_pointer (&op->name, g_free);
  g_clear_object (&op->service);
  g_free (op);
}

static void op_start (GTask *task);

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);
  int n;

  n = secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (n <= 0)
    {
      g_debug ("the keyring stayed locked: %s", error ? error->message : "dismissed");
      g_task_return_new_error (task, GP_KEYRING_ERROR, GP_KEYRING_ERROR_LOCKED, "%s",
                               _("The keyring is still locked. Unlock it to use your "
                                 "profiles, then try again."));
      return;
    }
  g_clear_object (&op->service);
  op_start (g_steal_pointer (&task));
}

static void
collection_found_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  Op *op = g_task_get_task_data (task);
  GList objects = { NULL, NULL, NULL };

  collection = secret_collection_for_alias_finish (result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (collection == NULL)
    {
      g_task_return_new_error (task, GP_KEYRING_ERROR, GP_KEYRING_ERROR_UNAVAILABLE,
                               _("No default keyring was found: %s"),
                               error ? error->message : _("the Secret Service has none"));
      return;
    }
  objects.data = collection;
  /* The Secret Service shows its own unlock prompt; no password passes
   * through this process. */
  secret_service_unlock (op->service, &objects, g_task_get_cancellable (task),
                         unlocked_cb, g_object_ref (task));
}

static void
service_got_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);

  op->service = secret_service_get_finish (result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (op->service == NULL)
    {
      g_task_return_new_error (task, GP_KEYRING_ERROR, GP_KEYRING_ERROR_UNAVAILABLE, "%s",
                               error->message);
      return;
    }
  secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE, g_task_get_cancellable (task),
                               collection_found_cb, g_object_ref (task));
}

/* %TRUE when the task was handed to an unlock attempt. */
static gboolean
op_unlock_if_locked (GTask  *task,
                     GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (op->unlocked || !g_error_matches (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_LOCKED))
    return FALSE;
  op->unlocked = TRUE;
  secret_service_get (SECRET_SERVICE_NONE, g_task_get_cancellable (task), service_got_cb,
                      g_object_ref (task));

  return TRUE;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) profiles = NULL;
  GError *error = NULL;
  GpProfileList *self = g_task_get_source_object (task);

  profiles = gp_profile_store_list_finish (GP_PROFILE_STORE (source), result, &error);
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      return;
    }
  if (profiles == NULL)
    {
      if (!op_unlock_if_locked (task, error))
        g_task_return_error (task, g_steal_pointer (&error));
      g_clear_error (&error);
      return;
    }
  replace_all_stored (self, profiles);
  g_task_return_boolean (task, TRUE);
}

static void
replaced_removed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GpProfileList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (!gp_profile_store_remove_finish (GP_PROFILE_STORE (source), result, &error) &&
      !g_error_matches (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND))
    {
      /* The new profile is safe; the old name stays listed as it still is. */
      if (!op_unlock_if_locked (task, error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  remove_stored (self, op->name);
  g_task_return_pointer (task, g_object_ref (op->profile), g_object_unref);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) stored = NULL;
  GpProfileList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  stored = gp_profile_store_save_finish (GP_PROFILE_STORE (source), result, NULL, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (stored == NULL)
    {
      if (!op_unlock_if_locked (task, error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  put_stored (self, stored);
  g_set_object (&op->profile, stored);
  if (op->name != NULL && g_strcmp0 (op->name, gp_profile_get_name (stored)) != 0)
    {
      /* A rename: the new item is written, now the old one goes. */
      op->kind = OP_REMOVE_REPLACED;
      op->unlocked = FALSE;
      op_start (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_object_ref (stored), g_object_unref);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GpProfileList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (!gp_profile_store_remove_finish (GP_PROFILE_STORE (source), result, &error))
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!op_unlock_if_locked (task, error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  remove_stored (self, op->name);
  g_task_return_boolean (task, TRUE);
}

static void
op_start (GTask *task)
{
  GpProfileList *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Op *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case OP_LIST:
      gp_profile_store_list_async (self->store, cancellable, listed_cb, task);
      break;

    case OP_SAVE:
      gp_profile_store_save_async (self->store, op->profile, cancellable, saved_cb, task);
      break;

    case OP_REMOVE:
      gp_profile_store_remove_async (self->store, op->name, cancellable, removed_cb, task);
      break;

    case OP_REMOVE_REPLACED:
      gp_profile_store_remove_async (self->store, op->name, cancellable, replaced_removed_cb,
                                     task);
      break;

    default:
      g_assert_not_reached ();
    }
}

static GTask *
op_task_new (GpProfileList       *self,
             OpKind               kind,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  return task;
}

/**
 * gp_profile_list_refresh_async:
 *
 * Reads every profile from the keyring and replaces the stored items;
 * transient items stay.
 */
void
gp_profile_list_refresh_async (GpProfileList       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_PROFILE_LIST (self));

  task = op_task_new (self, OP_LIST, cancellable, callback, user_data,
                      gp_profile_list_refresh_async);
  op_start (task);
}

gboolean
gp_profile_list_refresh_finish (GpProfileList  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gp_profile_list_save_async:
 * @profile: a validated profile
 * @replaces: (nullable): the name of the profile being edited; when it
 *   differs from @profile's name, that profile is removed once @profile is
 *   stored (a rename). Give @profile its id first to keep it.
 */
void
gp_profile_list_save_async (GpProfileList       *self,
                            GpProfile           *profile,
                            const char          *replaces,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (GP_IS_PROFILE_LIST (self));
  g_return_if_fail (GP_IS_PROFILE (profile));

  task = op_task_new (self, OP_SAVE, cancellable, callback, user_data,
                      gp_profile_list_save_async);
  op = g_task_get_task_data (task);
  op->profile = g_object_ref (profile);
  op->name = g_strdup (replaces);
  op_start (task);
}

/**
 * gp_profile_list_save_finish:
 *
 * Returns: (transfer full) (nullable): the profile as stored
 */
GpProfile *
gp_profile_list_save_finish (GpProfileList  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gp_profile_list_remove_async (GpProfileList       *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (GP_IS_PROFILE_LIST (self));
  g_return_if_fail (name != NULL);

  task = op_task_new (self, OP_REMOVE, cancellable, callback, user_data,
                      gp_profile_list_remove_async);
  op = g_task_get_task_data (task);
  op->name = g_strdup (name);
  op_start (task);
}

gboolean
gp_profile_list_remove_finish (GpProfileList  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Transient profiles -------------------------------------------------------------------- */

/**
 * gp_profile_list_add_transient:
 * @profile: a profile that lives only in memory (the sandbox)
 * @label: a short translated tag shown with it, such as “Sandbox”
 *
 * Transient profiles are listed after the stored ones and can be neither
 * edited nor removed.
 */
void
gp_profile_list_add_transient (GpProfileList *self,
                               GpProfile     *profile,
                               const char    *label)
{
  Transient transient;

  g_return_if_fail (GP_IS_PROFILE_LIST (self));
  g_return_if_fail (GP_IS_PROFILE (profile));
  g_return_if_fail (label != NULL);

  transient.profile = g_object_ref (profile);
  transient.label = g_strdup (label);
  g_array_append_val (self->transients, transient);
  g_list_model_items_changed (G_LIST_MODEL (self),
                              self->stored->len + self->transients->len - 1, 0, 1);
}

static Transient *
find_transient (GpProfileList *self,
                GpProfile     *profile)
{
  for (guint i = 0; i < self->transients->len; i++)
    if (g_array_index (self->transients, Transient, i).profile == profile)
      return &g_array_index (self->transients, Transient, i);

  return NULL;
}

gboolean
gp_profile_list_is_transient (GpProfileList *self,
                              GpProfile     *profile)
{
  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (profile), FALSE);

  return find_transient (self, profile) != NULL;
}

/**
 * gp_profile_list_get_label:
 *
 * Returns: (nullable): the tag of a transient profile, %NULL for a stored one
 */
const char *
gp_profile_list_get_label (GpProfileList *self,
                           GpProfile     *profile)
{
  Transient *transient;

  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), NULL);
  g_return_val_if_fail (GP_IS_PROFILE (profile), NULL);

  transient = find_transient (self, profile);

  return transient ? transient->label : NULL;
}

/**
 * gp_profile_list_find:
 *
 * Returns: (transfer none) (nullable): the profile of that name, a stored
 *   one before a transient one
 */
GpProfile *
gp_profile_list_find (GpProfileList *self,
                      const char    *name)
{
  guint position;

  g_return_val_if_fail (GP_IS_PROFILE_LIST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (find_stored (self, name, &position))
    return g_ptr_array_index (self->stored, position);
  for (guint i = 0; i < self->transients->len; i++)
    {
      GpProfile *profile = g_array_index (self->transients, Transient, i).profile;

      if (g_strcmp0 (gp_profile_get_name (profile), name) == 0)
        return profile;
    }

  return NULL;
}

/* Descriptions shared by the manager, the editor and the selector ----------------------- */

/**
 * gp_profile_describe_key:
 *
 * Returns: (transfer full): “RSA 2048, SHA-256 1acb340d…”: the size and
 *   the start of the public key's SHA-256 fingerprint
 */
char *
gp_profile_describe_key (GpPublicKey *key)
{
  g_autofree char *start = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  start = g_strndup (gp_public_key_get_fingerprint (key), 16);

  /* Translators: a key's type, size in bits and fingerprint start */
  return g_strdup_printf (_("RSA %u, SHA-256 %s…"), gp_public_key_get_bits (key), start);
}

/**
 * gp_profile_describe_certificate:
 * @text: (out): serial and expiry, for people
 *
 * Returns: how close the certificate is to its end
 */
GpExpiry
gp_profile_describe_certificate (GpCertificate  *certificate,
                                 char          **text)
{
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *date = NULL;
  int days = 0;
  GpExpiry expiry;

  g_return_val_if_fail (certificate != NULL, GP_EXPIRY_EXPIRED);
  g_return_val_if_fail (text != NULL, GP_EXPIRY_EXPIRED);

  end = g_date_time_new_from_unix_utc (gp_certificate_get_not_after (certificate));
  date = g_date_time_format (end, "%Y-%m-%d");
  expiry = gp_certificate_get_expiry (certificate, g_get_real_time () / G_USEC_PER_SEC, &days);
  switch (expiry)
    {
    case GP_EXPIRY_SOON:
      *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Serial %s, expires %s, in %d day: renew it soon",
                                            "Serial %s, expires %s, in %d days: renew it soon",
                                            days),
                               gp_certificate_get_serial (certificate), date, days);
      break;

    case GP_EXPIRY_EXPIRED:
      *text = g_strdup_printf (_("Serial %s, expired on %s: renew it"),
                               gp_certificate_get_serial (certificate), date);
      break;

    case GP_EXPIRY_OK:
    default:
      *text = g_strdup_printf (_("Serial %s, expires %s"),
                               gp_certificate_get_serial (certificate), date);
      break;
    }

  return expiry;
}

/**
 * gp_profile_describe_gateway:
 *
 * Returns: (transfer full): the gateway's product name
 */
char *
gp_profile_describe_gateway (GpGatewayKind gateway)
{
  g_return_val_if_fail (gateway > GP_GATEWAY_INVALID && gateway < GP_N_GATEWAYS, NULL);

  /* Product names stay as the vendors write them. */
  return g_strdup (gp_gateway_info (gateway)->display_name);
}

/**
 * gp_profile_wipe_json:
 *
 * Overwrites the string values of @object, which may be key material,
 * before it is freed.
 */
void
gp_profile_wipe_json (JsonObject *object)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (object != NULL);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *value = (char *) json_node_get_string (node);

          explicit_bzero (value, strlen (value));
        }
    }
}
