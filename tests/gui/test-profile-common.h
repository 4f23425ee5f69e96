/* test-profile-common.h: helpers shared by the profile widget tests
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gatepost-core.h"
#include "gp-application.h"
#include "gp-profile-editor.h"
#include "gp-profile-list.h"

/* Every wait gives up after this long, so a keyring that never answers
 * fails the test instead of hanging it. */
#define TEST_WAIT_SECONDS 30

static inline gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_FOR(cond)                                                              \
  G_STMT_START {                                                                    \
    gint64 wait_end_ = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint wait_tick_ = g_timeout_add (20, tick_cb, NULL);                           \
    while (!(cond))                                                                 \
      {                                                                             \
        if (g_get_monotonic_time () > wait_end_)                                    \
          g_error ("timed out waiting for %s", #cond);                              \
        g_main_context_iteration (NULL, TRUE);                                      \
      }                                                                             \
    g_source_remove (wait_tick_);                                                   \
  } G_STMT_END

/* Destroys @window and checks that it is finalized once GTK has let go of
 * it (frame clock, pending redraws: a few main loop iterations). */
static inline void
destroy_and_finalize (gpointer window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  WAIT_FOR (weak == NULL);
}

/* Drops the last reference the test holds and waits for @object to go. */
static inline void
unref_and_finalize (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  WAIT_FOR (weak == NULL);
}

static inline void
test_profiles_init (int    *argc,
                    char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* The app registers the resources (templates) in its class_init. */
  g_type_class_unref (g_type_class_ref (GP_TYPE_APPLICATION));
}

static inline char *
key_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "keys", name, NULL);
}

static inline char *
expected_value (const char *group,
                const char *key)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = key_path ("expected.ini");
  g_autoptr(GError) error = NULL;
  char *value;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  value = g_key_file_get_string (file, group, key, &error);
  g_assert_no_error (error);

  return value;
}

/* Removes every profile from the test keyring. */
static inline void
clear_keyring (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = gp_profile_store_list_sync (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < profiles->len; i++)
    {
      gp_profile_store_remove_sync (store, gp_profile_get_name (g_ptr_array_index (profiles, i)),
                                    NULL, &error);
      g_assert_no_error (error);
    }
}

static inline GpProfile *
load_stored (const char *name)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GError) error = NULL;
  GpProfile *profile;

  profile = gp_profile_store_load_sync (store, name, NULL, &error);
  g_assert_no_error (error);

  return profile;
}

static inline guint
count_stored (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = gp_profile_store_list_sync (store, NULL, &error);
  g_assert_no_error (error);

  return profiles->len;
}

/* Imports a profile file text, as the CLI does, with `X_file` paths
 * relative to tests/data/keys. */
static inline GpProfile *
import_profile (const char *json)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "keys", NULL);
  GpProfile *stored;

  profile = gp_profile_new_from_data (json, -1, dir, &error);
  g_assert_no_error (error);
  stored = gp_profile_store_save_sync (store, profile, NULL, NULL, &error);
  g_assert_no_error (error);

  return stored;
}

static inline GpProfile *
memory_profile (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "keys", NULL);
  GpProfile *profile;

  profile = gp_profile_new_from_data (json, -1, dir, &error);
  g_assert_no_error (error);

  return profile;
}

#define ALIPAY_JSON(name)                                                       \
  "{\"name\": \"" name "\", \"gateway\": \"alipay\", \"app_id\": \"2021000000000001\"," \
  " \"private_key_file\": \"app.pkcs8.pem\", \"alipay_public_key_file\": \"alipay.pub.pem\"}"

#define V3_JSON(name)                                                           \
  "{\"name\": \"" name "\", \"gateway\": \"wechatpay-v3\", \"mch_id\": \"1900000001\"," \
  " \"serial_no\": \"5157F09EFDC096DE15EBE81A47057A7232F1B8E1\","             \
  " \"private_key_file\": \"app.pkcs8.pem\", \"platform_certificate_file\": \"platform.pem\"}"

static inline void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  gp_profile_editor_load_file_finish (GP_PROFILE_EDITOR (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* What choosing a file in the file chooser does. */
static inline void
editor_load_key (GpProfileEditor *editor,
                 const char      *field,
                 const char      *key_name)
{
  g_autofree char *path = key_path (key_name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;

  gp_profile_editor_load_file_async (editor, field, file, NULL, file_loaded_cb, &done);
  WAIT_FOR (done);
}

static inline void
editor_set_text (GpProfileEditor *editor,
                 const char      *field,
                 const char      *text)
{
  GtkWidget *row = gp_profile_editor_get_row (editor, field);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static inline char *
fingerprint_start (const char *key)
{
  g_autofree char *fingerprint = expected_value ("fingerprint", key);

  return g_strndup (fingerprint, 16);
}
