/* test-profile-store.c: GpProfileStore on the real Secret Service
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "gatepost-core.h"

static char *keys_dir;

static GpProfile *
make_profile (const char *name,
              const char *private_key)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GpProfile *profile;

  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "gateway", "alipay");
  json_object_set_string_member (object, "app_id", "2021000000000001");
  json_object_set_string_member (object, "private_key_file", private_key);
  json_object_set_string_member (object, "alipay_public_key_file", "alipay.pub.pem");
  profile = gp_profile_new_from_json (object, keys_dir, &error);
  g_assert_no_error (error);

  return profile;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
test_async (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GpProfile) a = make_profile ("Async A", "app.pkcs8.pem");
  g_autoptr(GpProfile) a2 = make_profile ("Async A", "app.pkcs1.b64");
  g_autoptr(GpProfile) stored = NULL;
  g_autoptr(GpProfile) stored2 = NULL;
  g_autoptr(GpProfile) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GAsyncResult) r6 = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replaced = TRUE;

  gp_profile_store_save_async (store, a, NULL, result_cb, &r1);
  stored = gp_profile_store_save_finish (store, wait_for (&r1), &replaced, &error);
  g_assert_no_error (error);
  g_assert_false (replaced);
  g_assert_cmpstr (gp_profile_get_id (stored), ==, gp_profile_get_id (a));

  /* Same name, new id in memory: the stored id wins. */
  g_assert_cmpstr (gp_profile_get_id (a2), !=, gp_profile_get_id (a));
  gp_profile_store_save_async (store, a2, NULL, result_cb, &r2);
  stored2 = gp_profile_store_save_finish (store, wait_for (&r2), &replaced, &error);
  g_assert_no_error (error);
  g_assert_true (replaced);
  g_assert_cmpstr (gp_profile_get_id (stored2), ==, gp_profile_get_id (a));

  gp_profile_store_load_async (store, "Async A", NULL, result_cb, &r3);
  loaded = gp_profile_store_load_finish (store, wait_for (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_profile_get_id (loaded), ==, gp_profile_get_id (a));
  g_assert_true (gp_public_key_equal (
                   gp_private_key_get_public_key (gp_profile_get_private_key (loaded)),
                   gp_private_key_get_public_key (gp_profile_get_private_key (a))));

  gp_profile_store_list_async (store, NULL, result_cb, &r4);
  all = gp_profile_store_list_finish (store, wait_for (&r4), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);

  gp_profile_store_remove_async (store, "Async A", NULL, result_cb, &r5);
  g_assert_true (gp_profile_store_remove_finish (store, wait_for (&r5), &error));
  g_assert_no_error (error);

  gp_profile_store_load_async (store, "Async A", NULL, result_cb, &r6);
  g_assert_null (gp_profile_store_load_finish (store, wait_for (&r6), &error));
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "There is no profile named “Async A”: see “gatepost-cli profile list”");
}

static void
test_sync (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GpProfile) b = make_profile ("Sync B", "app.pkcs8.crlf.pem");
  g_autoptr(GpProfile) c = make_profile ("Sync C", "app.pkcs8.b64");
  g_autoptr(GpProfile) stored = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  stored = gp_profile_store_save_sync (store, c, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = gp_profile_store_save_sync (store, b, NULL, NULL, &error);
  g_assert_no_error (error);

  all = gp_profile_store_list_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (gp_profile_get_name (g_ptr_array_index (all, 0)), ==, "Sync B");
  g_assert_cmpstr (gp_profile_get_name (g_ptr_array_index (all, 1)), ==, "Sync C");

  /* A cancelled call reports the cancellation, not a keyring fault. */
  g_cancellable_cancel (cancelled);
  g_assert_null (gp_profile_store_load_sync (store, "Sync B", cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (gp_profile_store_remove_sync (store, "Sync B", NULL, &error));
  g_assert_true (gp_profile_store_remove_sync (store, "Sync C", NULL, &error));
  g_assert_false (gp_profile_store_remove_sync (store, "Sync C", NULL, &error));
  g_assert_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_NOT_FOUND);
}

static void
test_item_layout (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GpProfile) d = make_profile ("Layout D", "app.pkcs1.pem");
  g_autoptr(GpProfile) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretService) service = NULL;
  GList *items;
  const SecretSchema schema = {
    "io.github.gatepost.Profile", SECRET_SCHEMA_NONE,
    { { "name", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  g_autofree char *secret = NULL;

  stored = gp_profile_store_save_sync (store, d, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Read back with plain libsecret: the schema, label and attributes. */
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  attributes = secret_attributes_build (&schema, "name", "Layout D", NULL);
  items = secret_service_search_sync (service, &schema, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    SecretItem *item = items->data;
    g_autoptr(GHashTable) attrs = secret_item_get_attributes (item);
    g_autofree char *label = secret_item_get_label (item);
    g_autoptr(SecretValue) value = secret_item_get_secret (item);

    g_assert_cmpstr (label, ==, "Gatepost profile: Layout D");
    g_assert_cmpstr (g_hash_table_lookup (attrs, "gateway"), ==, "alipay");
    g_assert_cmpstr (g_hash_table_lookup (attrs, "id"), ==, gp_profile_get_id (d));
    g_assert_cmpstr (g_hash_table_lookup (attrs, "xdg:schema"), ==,
                     "io.github.gatepost.Profile");
    secret = g_strdup (secret_value_get_text (value));
  }
  g_list_free_full (items, g_object_unref);
  g_assert_true (g_str_has_prefix (secret, "{\"id\":"));
  g_assert_nonnull (strstr (secret, "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n"));
  g_assert_null (strstr (secret, "_file"));

  g_assert_true (gp_profile_store_remove_sync (store, "Layout D", NULL, &error));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  keys_dir = g_test_build_filename (G_TEST_DIST, "data", "keys", NULL);

  g_test_add_func ("/gatepost/profile-store/async", test_async);
  g_test_add_func ("/gatepost/profile-store/sync", test_sync);
  g_test_add_func ("/gatepost/profile-store/item-layout", test_item_layout);

  ret = g_test_run ();
  g_free (keys_dir);

  return ret;
}
