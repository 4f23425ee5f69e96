/* test-profile-list.c: the profile list model against the real keyring
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "gp-profile-manager.h"
#include "test-profile-common.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->calls++;
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  if (!gp_profile_list_refresh_finish (GP_PROFILE_LIST (source), result, error))
    g_assert_nonnull (*error);
  g_object_set_data (source, "done", GINT_TO_POINTER (1));
}

static void
refresh (GpProfileList  *list,
         GError        **error)
{
  g_object_set_data (G_OBJECT (list), "done", NULL);
  gp_profile_list_refresh_async (list, NULL, refreshed_cb, error);
  WAIT_FOR (g_object_get_data (G_OBJECT (list), "done") != NULL);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GpProfile **stored = user_data;
  g_autoptr(GError) error = NULL;

  *stored = gp_profile_list_save_finish (GP_PROFILE_LIST (source), result, &error);
  g_assert_no_error (error);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_list_remove_finish (GP_PROFILE_LIST (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static GpProfile *
item (GpProfileList *list,
      guint          position)
{
  g_autoptr(GpProfile) profile = g_list_model_get_item (G_LIST_MODEL (list), position);

  return profile;
}

static void
test_model (void)
{
  g_autoptr(GpProfileList) list = gp_profile_list_new ();
  g_autoptr(GpProfile) b = NULL;
  g_autoptr(GpProfile) sandbox = memory_profile (ALIPAY_JSON ("Sandbox"));
  g_autoptr(GpProfile) a = NULL;
  g_autoptr(GpProfile) saved = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };
  gboolean done = FALSE;

  clear_keyring ();
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == GP_TYPE_PROFILE);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  refresh (list, &error);
  g_assert_no_error (error);
  g_assert_true (gp_profile_list_get_loaded (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Profiles imported elsewhere (the CLI) appear on refresh, by name. */
  b = import_profile (ALIPAY_JSON ("Shop B"));
  a = import_profile (V3_JSON ("Shop A"));
  refresh (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes.added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpstr (gp_profile_get_name (item (list, 0)), ==, "Shop A");
  g_assert_cmpstr (gp_profile_get_name (item (list, 1)), ==, "Shop B");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 2));

  /* Transient profiles come last and survive a refresh. */
  gp_profile_list_add_transient (list, sandbox, "Sandbox");
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_true (item (list, 2) == sandbox);
  g_assert_true (gp_profile_list_is_transient (list, sandbox));
  g_assert_false (gp_profile_list_is_transient (list, item (list, 0)));
  g_assert_cmpstr (gp_profile_list_get_label (list, sandbox), ==, "Sandbox");
  g_assert_null (gp_profile_list_get_label (list, item (list, 0)));
  refresh (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (gp_profile_list_find (list, "Sandbox") == sandbox);

  /* Saving inserts in name order; removing takes the row out. */
  {
    g_autoptr(GpProfile) c = memory_profile (ALIPAY_JSON ("Shop AB"));

    gp_profile_list_save_async (list, c, NULL, NULL, saved_cb, &saved);
    WAIT_FOR (saved != NULL);
  }
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpstr (gp_profile_get_name (item (list, 1)), ==, "Shop AB");
  g_assert_cmpuint (count_stored (), ==, 3);

  gp_profile_list_remove_async (list, "Shop A", NULL, removed_cb, &done);
  WAIT_FOR (done);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_null (gp_profile_list_find (list, "Shop A"));
  g_assert_cmpuint (count_stored (), ==, 2);
}

static void
test_describe (void)
{
  g_autoptr(GpProfile) profile = memory_profile (V3_JSON ("Shop"));
  g_autofree char *key = gp_profile_describe_key (gp_profile_get_verify_key (profile));
  g_autofree char *fingerprint = fingerprint_start ("platform");
  g_autofree char *serial = expected_value ("serial", "platform");
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("RSA 2048, SHA-256 %s…", fingerprint);
  GpExpiry expiry;

  g_assert_cmpstr (key, ==, expected);
  expiry = gp_profile_describe_certificate (gp_profile_get_certificate (profile,
                                                                        "platform_certificate"),
                                            &text);
  g_assert_cmpint (expiry, ==, GP_EXPIRY_OK);
  g_assert_true (g_str_has_prefix (text, "Serial "));
  g_assert_nonnull (strstr (text, serial));
}

/* The password tests/headless-run.sh gives gnome-keyring. */
#define KEYRING_PASSWORD "gatepost-test-keyring"

static SecretCollection *
lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  SecretCollection *collection;
  GList objects = { NULL, NULL, NULL };

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects.data = collection;
  secret_service_lock_sync (service, &objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  return collection;
}

/* Answers the keyring's own prompt window (gcr-prompter) as a person
 * would: @keys is what to type, then the key to press. */
static void
answer_prompt (const char *keys,
               const char *final_key)
{
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sh", "-c", NULL, NULL };

  script = g_strdup_printf (
    "w=$(timeout 30 xdotool search --sync --onlyvisible --class gcr-prompter | head -n 1) && "
    "sleep 0.5 && xdotool windowfocus --sync \"$w\" && sleep 0.3 && "
    "xdotool type --delay 30 '%s' && xdotool key %s", keys, final_key);
  argv[2] = script;
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The store never prompts; the GUI's list asks the keyring to unlock, which
 * shows the keyring's own dialog, and tries again. */
static void
test_locked_unlock (void)
{
  g_autoptr(GpProfileList) list = NULL;
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GpProfile) a = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      /* A prompt nobody answers waits for ever: a child with a time limit. */
      g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  clear_keyring ();
  a = import_profile (ALIPAY_JSON ("Shop A"));
  collection = lock_default_collection ();
  store = gp_profile_store_new ();
  profiles = gp_profile_store_list_sync (store, NULL, &error);
  g_assert_error (error, GP_KEYRING_ERROR, GP_KEYRING_ERROR_LOCKED);
  g_clear_error (&error);

  list = gp_profile_list_new ();
  answer_prompt (KEYRING_PASSWORD, "Return");
  refresh (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_false (secret_collection_get_locked (collection));
}

/* Dismissing the keyring's dialog leaves the manager showing what to do. */
static void
test_locked_dismissed (void)
{
  g_autoptr(GpProfileList) list = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GpProfile) a = NULL;
  GpProfileManager *manager;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  clear_keyring ();
  a = import_profile (ALIPAY_JSON ("Shop A"));
  collection = lock_default_collection ();
  list = gp_profile_list_new ();
  answer_prompt ("", "Escape");
  manager = g_object_ref_sink (gp_profile_manager_new (list));
  gtk_window_present (GTK_WINDOW (manager));
  WAIT_FOR (g_strcmp0 (gp_profile_manager_get_state (manager), "error") == 0);
  g_assert_true (secret_collection_get_locked (collection));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  destroy_and_finalize (manager);
}

int
main (int   argc,
      char *argv[])
{
  test_profiles_init (&argc, &argv);

  g_test_add_func ("/gatepost/gui/profile-list/model", test_model);
  g_test_add_func ("/gatepost/gui/profile-list/describe", test_describe);
  g_test_add_func ("/gatepost/gui/profile-list/locked-unlock", test_locked_unlock);
  /* Last: it leaves the keyring locked. */
  g_test_add_func ("/gatepost/gui/profile-list/locked-dismissed", test_locked_dismissed);

  return g_test_run ();
}
