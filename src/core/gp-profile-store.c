/* gp-profile-store.c: merchant profiles in the keyring (libsecret)
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One keyring item per profile: label "Gatepost profile: NAME", attributes
 * {name, gateway, id} under the schema io.github.gatepost.Profile, and the
 * whole profile (key material inlined) as a canonical JSON secret. The
 * secret_password_* API is used throughout so that inside Flatpak libsecret
 * switches to its portal-backed file keyring by itself. Nothing is ever
 * written elsewhere, and no call asks the keyring to unlock: a prompt could
 * wait forever, so a locked keyring is an error the person can act on.
 */

#include "config.h"

#include "gp-profile-store.h"

#include <libsecret/secret.h>

#include "gp-error.h"
#include "gp-gateway-info.h"
#include "gp-key.h"
#include "gp-profile-private.h"

struct _GpProfileStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (GpProfileStore, gp_profile_store, G_TYPE_OBJECT)

static const SecretSchema profile_schema = {
  "io.github.gatepost.Profile", SECRET_SCHEMA_NONE,
  {
    { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "gateway", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static void
gp_profile_store_class_init (GpProfileStoreClass *klass)
{
}

static void
gp_profile_store_init (GpProfileStore *self)
{
}

GpProfileStore *
gp_profile_store_new (void)
{
  return g_object_new (GP_TYPE_PROFILE_STORE, NULL);
}

/* Errors -------------------------------------------------------------------------------- */

/* Maps a libsecret/D-Bus failure to GP_KEYRING_ERROR, keeping its message. */
static void
propagate_keyring_error (GError **error,
                         GError  *local_error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return;
    }
  if (g_error_matches (local_error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      g_set_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_LOCKED,
                   "The keyring is locked: unlock it (for example by logging in to the "
                   "desktop) and try again (%s)", local_error->message);
      g_error_free (local_error);
      return;
    }
  if (local_error->domain == G_DBUS_ERROR ||
      g_error_matches (local_error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
      (local_error->domain == G_IO_ERROR && local_error->code != G_IO_ERROR_FAILED) ||
      g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT) ||
      local_error->domain == G_SPAWN_ERROR)
    {
      g_set_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_UNAVAILABLE,
                   "No keyring is available: start a Secret Service such as gnome-keyring "
                   "(for example by logging in to the desktop) and try again (%s)",
                   local_error->message);
      g_error_free (local_error);
      return;
    }

  g_set_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_FAILED,
               "The keyring refused the operation: %s", local_error->message);
  g_error_free (local_error);
}

static void
set_locked_error (GError **error)
{
  g_set_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_LOCKED,
               "The keyring is locked: unlock it (for example by logging in to the "
               "desktop) and try again");
}

static void
set_not_found_error (GError     **error,
                     const char  *name)
{
  g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND,
               "There is no profile named “%s”: see “gatepost-cli profile list”", name);
}

/* Worker-thread operations -------------------------------------------------------------- */

static GHashTable *
attributes_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static GList *
search (const char    *name,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_new ();
  GError *local_error = NULL;
  GList *items;

  if (name != NULL)
    g_hash_table_insert (attributes, (gpointer) "name", g_strdup (name));
  items = secret_password_searchv_sync (&profile_schema, attributes,
                                        SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                        cancellable, &local_error);
  if (local_error != NULL)
    propagate_keyring_error (error, local_error);

  return items;
}

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

typedef GList GList_Items;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GList_Items, free_items)

/* The profile held by one keyring item. */
static GpProfile *
item_load (SecretRetrievable  *item,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GBytes) json = NULL;
  GError *local_error = NULL;
  const char *data;
  gsize len = 0;

  /* The Secret Service returns locked items without their secret. */
  if (SECRET_IS_ITEM (item) && secret_item_get_locked (SECRET_ITEM (item)))
    {
      set_locked_error (error);
      return NULL;
    }
  value = secret_retrievable_retrieve_secret_sync (item, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_keyring_error (error, local_error);
      return NULL;
    }
  if (value == NULL)
    {
      set_locked_error (error);
      return NULL;
    }
  data = secret_value_get (value, &len);
  json = gp_secret_bytes_new (data, len);

  return gp_profile_new_from_canonical (json, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *name = task_data;
  g_autoptr(GList_Items) items = NULL;
  GError *error = NULL;
  GpProfile *profile;

  items = search (name, cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (items == NULL)
    {
      set_not_found_error (&error, name);
      g_task_return_error (task, error);
      return;
    }
  profile = item_load (items->data, cancellable, &error);
  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  GpProfile *pa = *(GpProfile * const *) a;
  GpProfile *pb = *(GpProfile * const *) b;

  return g_utf8_collate (gp_profile_get_name (pa), gp_profile_get_name (pb));
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GList_Items) items = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  items = search (NULL, cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      GpProfile *profile = item_load (l->data, cancellable, &error);

      if (profile == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (profiles, profile);
    }
  g_ptr_array_sort (profiles, compare_by_name);
  g_task_return_pointer (task, g_steal_pointer (&profiles), (GDestroyNotify) g_ptr_array_unref);
}

/* Removes the one item with exactly these attributes. */
static gboolean
clear_item (GHashTable    *item_attributes,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_new ();
  static const char *keys[] = { "name", "gateway", "id" };
  GError *local_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_hash_table_lookup (item_attributes, keys[i]) != NULL)
      g_hash_table_insert (attributes, (gpointer) keys[i],
                           g_strdup (g_hash_table_lookup (item_attributes, keys[i])));
  secret_password_clearv_sync (&profile_schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  static const char *keys[] = { "name", "gateway", "id" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_strcmp0 (g_hash_table_lookup (a, keys[i]), g_hash_table_lookup (b, keys[i])) != 0)
      return FALSE;

  return TRUE;
}

typedef struct
{
  GBytes   *json;      /* canonical JSON of the profile to save, wiped on free */
  gboolean  replaced;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->json, g_bytes_unref);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GList_Items) items = NULL;
  g_autoptr(GHashTable) attributes = attributes_new ();
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GPtrArray) old_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autofree char *label = NULL;
  GError *error = NULL;
  GError *local_error = NULL;

  /* A copy of the caller's profile, so the thread never touches theirs. */
  profile = gp_profile_new_from_canonical (data->json, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  items = search (gp_profile_get_name (profile), cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      GHashTable *attrs = secret_retrievable_get_attributes (l->data);

      if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (SECRET_ITEM (l->data)))
        {
          set_locked_error (&error);
          g_task_return_error (task, error);
          return;
        }
      if (attrs != NULL)
        g_ptr_array_add (old_items, attrs);
    }

  /* Replacing by name keeps the profile's stable id. */
  for (guint i = 0; i < old_items->len; i++)
    {
      const char *id = g_hash_table_lookup (g_ptr_array_index (old_items, i), "id");

      if (id != NULL)
        {
          gp_profile_set_id (profile, id);
          data->replaced = TRUE;
          break;
        }
    }
  json = gp_profile_dup_canonical_json (profile);

  g_hash_table_insert (attributes, (gpointer) "name", g_strdup (gp_profile_get_name (profile)));
  g_hash_table_insert (attributes, (gpointer) "gateway",
                       g_strdup (gp_gateway_kind_to_string (gp_profile_get_gateway (profile))));
  g_hash_table_insert (attributes, (gpointer) "id", g_strdup (gp_profile_get_id (profile)));
  label = g_strdup_printf ("Gatepost profile: %s", gp_profile_get_name (profile));

  /* Storing an item with the same attributes replaces it; any other item
   * of the same name (another gateway) goes once the new one is safe. */
  if (!secret_password_storev_sync (&profile_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                                    g_bytes_get_data (json, NULL), cancellable, &local_error))
    {
      propagate_keyring_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < old_items->len; i++)
    if (!same_attributes (g_ptr_array_index (old_items, i), attributes) &&
        !clear_item (g_ptr_array_index (old_items, i), cancellable, &error))
      {
        g_task_return_error (task, error);
        return;
      }

  g_task_return_pointer (task, g_steal_pointer (&profile), g_object_unref);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *name = task_data;
  g_autoptr(GList_Items) items = NULL;
  g_autoptr(GHashTable) attributes = attributes_new ();
  GError *local_error = NULL;
  GError *error = NULL;

  items = search (name, cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (items == NULL)
    {
      set_not_found_error (&error, name);
      g_task_return_error (task, error);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (SECRET_ITEM (l->data)))
      {
        set_locked_error (&error);
        g_task_return_error (task, error);
        return;
      }

  g_hash_table_insert (attributes, (gpointer) "name", g_strdup (name));
  if (!secret_password_clearv_sync (&profile_schema, attributes, cancellable, &local_error))
    {
      if (local_error != NULL)
        propagate_keyring_error (&error, local_error);
      else
        g_set_error (&error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_FAILED,
                     "The keyring did not remove the profile “%s”", name);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Public API ---------------------------------------------------------------------------- */

static GTask *
task_new (GpProfileStore      *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* A keyring call stuck on a prompt must not hold the caller once it
   * cancels; the thread finishes on its own. */
  g_task_set_return_on_cancel (task, TRUE);

  return task;
}

/**
 * gp_profile_store_save_async:
 * @profile: a validated profile
 *
 * Stores @profile in the default keyring collection. A profile of the same
 * name is replaced, and its id is kept.
 */
void
gp_profile_store_save_async (GpProfileStore      *self,
                             GpProfile           *profile,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (GP_IS_PROFILE (profile));

  task = task_new (self, cancellable, callback, user_data, gp_profile_store_save_async);
  data = g_new0 (SaveData, 1);
  data->json = gp_profile_dup_canonical_json (profile);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * gp_profile_store_save_finish:
 * @replaced: (out) (optional): whether a profile of that name was replaced
 *
 * Returns: (transfer full) (nullable): the profile as stored (with the id
 *   it keeps), or %NULL with @error set (GP_KEYRING_ERROR)
 */
GpProfile *
gp_profile_store_save_finish (GpProfileStore  *self,
                              GAsyncResult    *result,
                              gboolean        *replaced,
                              GError         **error)
{
  SaveData *data;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (replaced != NULL)
    *replaced = data->replaced;

  return g_task_propagate_pointer (G_TASK (result), error);
}

GpProfile *
gp_profile_store_save_sync (GpProfileStore  *self,
                            GpProfile       *profile,
                            gboolean        *replaced,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (GP_IS_PROFILE (profile), NULL);

  task = task_new (self, cancellable, NULL, NULL, gp_profile_store_save_async);
  data = g_new0 (SaveData, 1);
  data->json = gp_profile_dup_canonical_json (profile);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread_sync (task, save_thread);

  return gp_profile_store_save_finish (self, G_ASYNC_RESULT (task), replaced, error);
}

void
gp_profile_store_list_async (GpProfileStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));

  task = task_new (self, cancellable, callback, user_data, gp_profile_store_list_async);
  g_task_run_in_thread (task, list_thread);
}

/**
 * gp_profile_store_list_finish:
 *
 * Returns: (transfer full) (element-type GpProfile): every stored profile,
 *   sorted by name, or %NULL with @error set
 */
GPtrArray *
gp_profile_store_list_finish (GpProfileStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
gp_profile_store_list_sync (GpProfileStore  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);

  task = task_new (self, cancellable, NULL, NULL, gp_profile_store_list_async);
  g_task_run_in_thread_sync (task, list_thread);

  return gp_profile_store_list_finish (self, G_ASYNC_RESULT (task), error);
}

void
gp_profile_store_load_async (GpProfileStore      *self,
                             const char          *name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (name != NULL);

  task = task_new (self, cancellable, callback, user_data, gp_profile_store_load_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * gp_profile_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with @error
 *   set (GP_PROFILE_ERROR_NOT_FOUND, or GP_KEYRING_ERROR)
 */
GpProfile *
gp_profile_store_load_finish (GpProfileStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GpProfile *
gp_profile_store_load_sync (GpProfileStore  *self,
                            const char      *name,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  task = task_new (self, cancellable, NULL, NULL, gp_profile_store_load_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread_sync (task, load_thread);

  return gp_profile_store_load_finish (self, G_ASYNC_RESULT (task), error);
}

void
gp_profile_store_remove_async (GpProfileStore      *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (name != NULL);

  task = task_new (self, cancellable, callback, user_data, gp_profile_store_remove_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread (task, remove_thread);
}

/**
 * gp_profile_store_remove_finish:
 *
 * Returns: %TRUE when the profile was removed; %FALSE with @error set
 *   (GP_PROFILE_ERROR_NOT_FOUND, or GP_KEYRING_ERROR)
 */
gboolean
gp_profile_store_remove_finish (GpProfileStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gp_profile_store_remove_sync (GpProfileStore  *self,
                              const char      *name,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  task = task_new (self, cancellable, NULL, NULL, gp_profile_store_remove_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread_sync (task, remove_thread);

  return gp_profile_store_remove_finish (self, G_ASYNC_RESULT (task), error);
}
