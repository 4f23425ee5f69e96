/* test-wire.c: the main window end to end: Sandbox simulator, profile
 * selector, upload controller, history, clipboard and duplicates
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real parts only: the keyring is the wrapper's empty gnome-keyring (so the
 * window starts the Sandbox), gatepost-sim is the real simulator found on
 * PATH, the history is a real SQLite file in the isolated XDG dirs, and the
 * uploads go over TLS on loopback.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gp-application.h"
#include "gp-file-row.h"
#include "gp-history-page.h"
#include "gp-upload-page.h"
#include "gp-window.h"

#include "gp-test-gui-utils.h"

static GpApplication *
test_app (void)
{
  static GpApplication *app;

  if (app == NULL)
    {
      app = gp_application_new ();
      g_application_set_flags (G_APPLICATION (app),
                               G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }

  return app;
}

static gboolean
sandbox_profile_active (gpointer data)
{
  GpWindow *window = data;
  GpProfileSelector *selector = gp_window_get_profile_selector (window);
  GpProfile *profile = selector ? gp_profile_selector_get_active_profile (selector) : NULL;

  return profile != NULL && g_str_equal (gp_profile_get_name (profile), "sim-alipay");
}

static gboolean
history_open (gpointer data)
{
  return gp_window_get_history (GP_WINDOW (data)) != NULL;
}

typedef struct
{
  GpUploadPage *page;
  guint         n;
} Count;

static gboolean
all_checked_and_ready (gpointer data)
{
  Count *count = data;
  GListModel *items = gp_upload_page_get_items (count->page);
  guint n = g_list_model_get_n_items (items);

  if (n != count->n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (items, i);

      if (!gp_upload_item_is_ready (item))
        return FALSE;
    }

  return TRUE;
}

static gboolean
all_finished (gpointer data)
{
  GpWindow *window = data;
  GListModel *items = gp_upload_page_get_items (gp_window_get_upload_page (window));

  if (gp_upload_controller_get_n_running (gp_window_get_upload_controller (window)) > 0)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (items, i);

      if (gp_upload_item_get_result (item) == NULL || gp_upload_item_get_progress (item) >= 0)
        return FALSE;
    }

  return TRUE;
}

/* A request to the simulator's control endpoint, trusting only the
 * simulator's CA. Returns the reply's JSON object. */
static JsonObject *
sim_control (GpSandbox  *sandbox,
             const char *method,
             const char *path,
             const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = g_build_filename (gp_sandbox_get_dir (sandbox), "ca.pem", NULL);
  g_autofree char *url = g_strconcat (gp_sandbox_get_base_url (sandbox), path, NULL);

  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);
  soup_session_set_timeout (session, 20);
  msg = soup_message_new (method, url);
  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* GET /_sim/uploads: the media IDs the simulator issued, in order. */
static GPtrArray *
sim_media_ids (GpSandbox *sandbox)
{
  g_autoptr(JsonObject) reply = sim_control (sandbox, "GET", "/_sim/uploads", NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *uploads = json_object_get_array_member (reply, "uploads");

  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *upload = json_array_get_object_element (uploads, i);

      if (json_object_has_member (upload, "media_id") &&
          !json_object_get_null_member (upload, "media_id"))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (upload, "media_id")));
    }

  return ids;
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (array->pdata[i], s) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
copy_file (const char *name,
           const char *dir)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "media", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *target = g_build_filename (dir, name, NULL);
  gsize length;

  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (target, contents, length, &error);
  g_assert_no_error (error);

  return target;
}

typedef struct
{
  GpHistoryPage *page;
  const char    *media_id;
} PageFind;

static gboolean
history_page_shows (gpointer data)
{
  PageFind *find = data;
  GListModel *model = G_LIST_MODEL (gp_history_page_get_model (find->page));
  guint n = g_list_model_get_n_items (model);

  if (g_strcmp0 (gp_history_page_get_state (find->page), "list") != 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpHistoryItem) item = g_list_model_get_item (model, i);
      GpHistoryEntry *entry = item != NULL ? gp_history_item_get_entry (item) : NULL;

      if (entry != NULL && g_strcmp0 (entry->media_id, find->media_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
item_has_notice (gpointer data)
{
  return gp_upload_item_get_notice (GP_UPLOAD_ITEM (data)) != NULL &&
         gp_upload_item_get_progress (GP_UPLOAD_ITEM (data)) < 0;
}

static void
test_wire_sandbox_upload (void)
{
  GpWindow *window;
  GpUploadPage *page;
  GpSandbox *sandbox;
  GpHistory *history;
  GListModel *items;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) issued = NULL;
  g_autoptr(GPtrArray) issued_after = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autofree char *jpg = NULL;
  g_autofree char *png = NULL;
  g_autoptr(GpUploadItem) first = NULL;
  ClipboardRead read = { 0 };
  GPid pid;
  Count count;

  dir = g_build_filename (g_get_user_data_dir (), "uploads", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  jpg = copy_file ("shop-photo.jpg", dir);
  png = copy_file ("licence-scan.png", dir);

  window = gp_window_new (test_app ());
  g_object_ref_sink (window);
  gp_window_start (window);
  gtk_window_present (GTK_WINDOW (window));
  page = gp_window_get_upload_page (window);

  /* The keyring is empty: the Sandbox starts and its Alipay profile is
   * active, in memory only, and the window says so. */
  gp_test_wait_until (sandbox_profile_active, window, "the Sandbox Alipay profile");
  sandbox = g_object_ref (gp_window_get_sandbox (window));
  g_assert_true (gp_sandbox_get_running (sandbox));
  pid = gp_sandbox_get_pid (sandbox);
  g_assert_cmpint (pid, >, 0);
  g_assert_true (gp_profile_list_is_transient (gp_window_get_profile_list (window),
                                               gp_profile_selector_get_active_profile (
                                                 gp_window_get_profile_selector (window))));
  g_assert_true (g_str_has_prefix (gp_sandbox_get_base_url (sandbox), "https://127.0.0.1:"));
  g_assert_true (gp_window_get_sandbox_shown (window));
  gp_test_drain ();
  text = gp_test_dup_visible_text (GTK_WIDGET (window));
  gp_test_assert_text_contains (text, "Sandbox: uploads go to a simulator on this computer");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (gp_upload_page_get_gateway (page), ==, GP_GATEWAY_ALIPAY);
  gp_test_wait_until (history_open, window, "the history to open");
  history = gp_window_get_history (window);

  /* Files arrive through the drop target's action and are checked. */
  {
    const char *paths[] = { jpg, png, NULL };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "upload.add-files", "^as",
                                               paths));
  }
  count.page = page;
  count.n = 2;
  gp_test_wait_until (all_checked_and_ready, &count, "both files to pass the checks");
  g_assert_true (gp_upload_page_get_can_upload (page));

  /* Upload, as Ctrl+Return does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  gp_test_wait_until (all_finished, window, "every row's result");

  items = gp_upload_page_get_items (page);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (items, i);
      GpUploadResult *result = gp_upload_item_get_result (item);

      if (!gp_upload_result_is_ok (result))
        g_error ("%s: %s %s %s", gp_upload_item_get_path (item),
                 gp_stage_to_string (gp_upload_result_get_stage (result)),
                 gp_upload_result_get_code (result), gp_upload_result_get_message (result));
      g_assert_cmpuint (gp_upload_result_get_attempts (result), >=, 1);
      g_assert_cmpint (gp_upload_result_get_history_id (result), >, 0);
      g_ptr_array_add (ids, g_strdup (gp_upload_result_get_media_id (result)));
    }
  g_assert_cmpstr (ids->pdata[0], !=, ids->pdata[1]);

  /* The IDs are the ones the simulator issued. */
  issued = sim_media_ids (sandbox);
  g_assert_cmpuint (issued->len, ==, 2);
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (ptr_array_has_string (issued, ids->pdata[i]));

  /* The rows show them, with a copy button. */
  first = g_list_model_get_item (items, 0);
  gp_test_drain ();
  text = gp_test_dup_visible_text (gp_upload_page_get_row (page, first));
  gp_test_assert_text_contains (text, (const char *) ids->pdata[0]);
  g_clear_pointer (&text, g_free);
  g_assert_nonnull (gp_test_find_by_action (gp_upload_page_get_row (page, first),
                                            "win.copy-media-id"));

  /* The history has them, found by a fragment of the ID. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GpHistoryQuery) query = gp_history_query_new ();
      g_autoptr(GPtrArray) found = NULL;
      const char *id = ids->pdata[i];
      g_autofree char *fragment = g_strndup (id + strlen (id) / 3, 6);
      gboolean seen = FALSE;

      gp_history_query_set_text (query, fragment);
      found = gp_history_search_sync (history, query, NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < found->len; j++)
        {
          GpHistoryEntry *entry = found->pdata[j];

          if (g_strcmp0 (entry->media_id, id) == 0)
            {
              seen = TRUE;
              g_assert_cmpstr (entry->profile, ==, "sim-alipay");
            }
        }
      if (!seen)
        g_error ("history search for “%s” did not find %s", fragment, id);
    }

  /* The History page, reached with Ctrl+F, finds each upload by a
   * fragment of its media ID. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (gp_window_get_view_stack (window)), ==,
                   "history");
  {
    GpHistoryPage *history_page =
      GP_HISTORY_PAGE (adw_view_stack_get_child_by_name (gp_window_get_view_stack (window),
                                                         "history"));
    GtkSearchEntry *search = gp_history_page_get_search_entry (history_page);
    GtkWidget *focus;

    g_assert_true (gp_history_page_get_history (history_page) == history);
    gp_test_drain ();
    focus = gtk_window_get_focus (GTK_WINDOW (window));
    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (search) ||
                   gtk_widget_is_ancestor (focus, GTK_WIDGET (search)));

    for (guint i = 0; i < ids->len; i++)
      {
        const char *id = ids->pdata[i];
        g_autofree char *fragment = g_strndup (id + strlen (id) / 2, 5);
        PageFind find = { history_page, id };

        gtk_editable_set_text (GTK_EDITABLE (search), fragment);
        gp_test_wait_until (history_page_shows, &find, "the History page to find the upload");
      }
    gtk_editable_set_text (GTK_EDITABLE (search), "");
  }
  adw_view_stack_set_visible_child_name (gp_window_get_view_stack (window), "upload");

  /* Ctrl+C on the selected row copies its media ID. */
  gp_upload_page_select_item (page, first);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 clipboard_read_cb, &read);
  gp_test_wait_until (clipboard_read_done, &read, "the clipboard");
  g_assert_cmpstr (read.text, ==, ids->pdata[0]);
  g_free (read.text);

  /* The same file again: the earlier upload is shown and nothing is sent. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "upload.remove-file", "s", jpg));
  g_clear_object (&first);
  {
    const char *paths[] = { jpg, NULL };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "upload.add-files", "^as",
                                               paths));
  }
  count.n = 2;
  first = NULL;
  {
    gint64 deadline = g_get_monotonic_time () + GP_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;

    while ((first = gp_upload_page_find_item (page, jpg)) == NULL ||
           !gp_upload_item_is_ready (first))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_object_ref (first);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  gp_test_wait_until (item_has_notice, first, "the duplicate notice");
  gp_test_wait_until (all_finished, window, "the second batch");
  g_assert_true (gp_upload_result_is_ok (gp_upload_item_get_result (first)));
  g_assert_cmpstr (gp_upload_result_get_media_id (gp_upload_item_get_result (first)), ==,
                   ids->pdata[0]);
  g_assert_cmpuint (gp_upload_result_get_attempts (gp_upload_item_get_result (first)), ==, 0);
  gp_test_drain ();
  text = gp_test_dup_visible_text (gp_upload_page_get_row (page, first));
  gp_test_assert_text_contains (text, "Already uploaded on");
  gp_test_assert_text_contains (text, (const char *) ids->pdata[0]);
  g_assert_nonnull (gp_test_find_by_action (gp_upload_page_get_row (page, first),
                                            "win.upload-again"));
  issued_after = sim_media_ids (sandbox);
  g_assert_cmpuint (issued_after->len, ==, issued->len);
  g_clear_object (&first);

  /* Closing the window stops the simulator. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_false (gp_sandbox_get_running (sandbox));
  g_assert_cmpint (kill (pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  g_object_unref (sandbox);
}

static gboolean
item_sent (gpointer data)
{
  GpUploadItem *item = data;

  /* The whole body is out; the gateway has not answered yet. */
  return gp_upload_item_get_progress (item) >= 1.0;
}

static GpWindow *
open_sandbox_window (void)
{
  GpWindow *window = gp_window_new (test_app ());

  g_object_ref_sink (window);
  gp_window_start (window);
  gtk_window_present (GTK_WINDOW (window));
  gp_test_wait_until (sandbox_profile_active, window, "the Sandbox Alipay profile");
  gp_test_wait_until (history_open, window, "the history to open");

  return window;
}

static void
test_wire_failure_retry (void)
{
  GpWindow *window = open_sandbox_window ();
  GpUploadPage *page = gp_window_get_upload_page (window);
  g_autoptr(GpSandbox) sandbox = g_object_ref (gp_window_get_sandbox (window));
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) issued = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "retry", NULL);
  g_autofree char *original = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *a = g_build_filename (dir, "photo-a.jpg", NULL);
  g_autofree char *b = g_build_filename (dir, "photo-b.jpg", NULL);
  g_autofree char *text = NULL;
  GpUploadItem *item_a, *item_b;
  GpUploadResult *result;
  gsize length;
  Count count;

  /* Bytes no other test uploaded, twice under two names. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  original = g_test_build_filename (G_TEST_DIST, "data", "media", "shop-photo.jpg", NULL);
  g_file_get_contents (original, &contents, &length, &error);
  g_assert_no_error (error);
  contents = g_realloc (contents, length + 8);
  memcpy (contents + length, "retry-me", 8);
  g_file_set_contents (a, contents, length + 8, &error);
  g_assert_no_error (error);
  g_file_set_contents (b, contents, length + 8, &error);
  g_assert_no_error (error);

  /* The next answer carries a signature that does not verify. */
  reply = sim_control (sandbox, "POST", "/_sim/faults",
                       "{\"mode\":\"bad-signature\",\"count\":1}");

  {
    const char *paths[] = { a, b, NULL };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "upload.add-files", "^as",
                                               paths));
  }
  count.page = page;
  count.n = 2;
  gp_test_wait_until (all_checked_and_ready, &count, "both copies to pass the checks");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  gp_test_wait_until (all_finished, window, "the failed batch");

  /* The first copy failed at verify and says what to check; the second
   * was not sent and shares its outcome. */
  item_a = gp_upload_page_find_item (page, a);
  item_b = gp_upload_page_find_item (page, b);
  result = gp_upload_item_get_result (item_a);
  g_assert_false (gp_upload_result_is_ok (result));
  g_assert_cmpint (gp_upload_result_get_stage (result), ==, GP_STAGE_VERIFY);
  g_assert_false (gp_upload_result_is_ok (gp_upload_item_get_result (item_b)));
  g_assert_cmpuint (gp_upload_result_get_attempts (gp_upload_item_get_result (item_b)), ==, 0);
  gp_test_drain ();
  text = gp_test_dup_visible_text (gp_upload_page_get_row (page, item_a));
  gp_test_assert_text_contains (text, "Not uploaded (verify");
  gp_test_assert_text_contains (text, "check the platform key or Alipay public key");
  g_assert_nonnull (gp_test_find_by_action (gp_upload_page_get_row (page, item_a),
                                            "win.retry-file"));
  g_clear_pointer (&text, g_free);
  text = gp_test_dup_visible_text (gp_upload_page_get_row (page, item_b));
  gp_test_assert_text_contains (text, "The same bytes as photo-a.jpg: sent once");
  g_clear_pointer (&text, g_free);

  /* Cancel one file while the gateway is slow to answer: it ends as
   * cancelled, with advice, and the Retry button comes back. */
  g_clear_pointer (&reply, json_object_unref);
  reply = sim_control (sandbox, "POST", "/_sim/faults",
                       "{\"mode\":\"delay\",\"seconds\":20,\"count\":1}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-file", "s", a));
  gp_test_wait_until (item_sent, item_a, "the body to be sent");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-file", "s", a));
  gp_test_wait_until (all_finished, window, "the cancelled file");
  result = gp_upload_item_get_result (item_a);
  g_assert_false (gp_upload_result_is_ok (result));
  g_assert_cmpstr (gp_upload_result_get_code (result), ==, "CANCELLED");
  gp_test_drain ();
  g_clear_pointer (&text, g_free);
  text = gp_test_dup_visible_text (gp_upload_page_get_row (page, item_a));
  gp_test_assert_text_contains (text, "look in the History");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&reply, json_object_unref);
  reply = sim_control (sandbox, "DELETE", "/_sim/faults", NULL);

  /* Retry the failed row: this time it goes through. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-file", "s", a));
  gp_test_wait_until (all_finished, window, "the retry");
  result = gp_upload_item_get_result (item_a);
  g_assert_true (gp_upload_result_is_ok (result));
  issued = sim_media_ids (sandbox);
  g_assert_cmpstr (issued->pdata[issued->len - 1], ==, gp_upload_result_get_media_id (result));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_false (gp_sandbox_get_running (sandbox));
}

static gboolean
active_is_v3 (gpointer data)
{
  GpProfileSelector *selector = gp_window_get_profile_selector (GP_WINDOW (data));
  GpProfile *profile = selector ? gp_profile_selector_get_active_profile (selector) : NULL;

  return profile != NULL && g_str_equal (gp_profile_get_name (profile), "sim-wechatpay-v3");
}

typedef struct
{
  GPtrArray *profiles;
  GError    *error;
  gboolean   done;
} SandboxStart;

static void
sandbox_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SandboxStart *start = user_data;

  start->profiles = gp_sandbox_start_finish (GP_SANDBOX (object), result, &start->error);
  start->done = TRUE;
}

static gboolean
sandbox_start_done (gpointer data)
{
  return ((SandboxStart *) data)->done;
}

static void
clear_keyring (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = gp_profile_store_list_sync (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < profiles->len; i++)
    {
      gp_profile_store_remove_sync (store, gp_profile_get_name (profiles->pdata[i]), NULL,
                                    &error);
      g_assert_no_error (error);
    }
}

/* Profiles in the keyring: no Sandbox, the last profile comes back, and
 * choosing another one drives the upload page and the setting. */
static void
test_wire_last_profile (void)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "fixtures", NULL);
  g_autofree char *last = NULL;
  const char *names[] = { "sim-alipay.json", "sim-wechatpay-v3.json" };
  GpWindow *window;
  GpProfileSelector *selector;

  /* A simulator of the test's own writes the profile files. */
  {
    g_autoptr(GpSandbox) sim = gp_sandbox_new (dir);
    SandboxStart start = { 0 };

    gp_sandbox_start_async (sim, NULL, sandbox_started_cb, &start);
    gp_test_wait_until (sandbox_start_done, &start, "a simulator to start");
    g_assert_no_error (start.error);
    g_assert_cmpuint (start.profiles->len, >=, 2);
    g_assert_true (gp_sandbox_get_running (sim));
    g_ptr_array_unref (start.profiles);
    gp_sandbox_stop (sim);
    g_assert_false (gp_sandbox_get_running (sim));
  }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *profiles = g_build_filename (dir, "profiles", NULL);
      g_autofree char *path = g_build_filename (profiles, names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GpProfile) profile = NULL;
      g_autoptr(GpProfile) saved = NULL;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      profile = gp_profile_new_from_data (contents, length, profiles, &error);
      g_assert_no_error (error);
      saved = gp_profile_store_save_sync (store, profile, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_settings_set_string (settings, "last-profile", "sim-wechatpay-v3");

  window = gp_window_new (test_app ());
  g_object_ref_sink (window);
  gp_window_start (window);
  gtk_window_present (GTK_WINDOW (window));
  gp_test_wait_until (active_is_v3, window, "the last profile to come back");
  selector = gp_window_get_profile_selector (window);
  g_assert_null (gp_window_get_sandbox (window));
  g_assert_false (gp_window_get_sandbox_shown (window));
  g_assert_cmpint (gp_upload_page_get_gateway (gp_window_get_upload_page (window)), ==,
                   GP_GATEWAY_WECHATPAY_V3);

  g_assert_true (gp_profile_selector_set_active_name (selector, "sim-alipay"));
  g_assert_cmpint (gp_upload_page_get_gateway (gp_window_get_upload_page (window)), ==,
                   GP_GATEWAY_ALIPAY);
  g_assert_cmpstr (gp_profile_get_name (gp_upload_controller_get_profile (
                     gp_window_get_upload_controller (window))), ==, "sim-alipay");
  last = g_settings_get_string (settings, "last-profile");
  g_assert_cmpstr (last, ==, "sim-alipay");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  clear_keyring ();
  g_settings_reset (settings, "last-profile");
}

static gboolean
shows_sandbox_failure (gpointer data)
{
  g_autofree char *text = gp_test_dup_visible_text (GTK_WIDGET (data));

  return strstr (text, "The Sandbox simulator could not start") != NULL;
}

/* No simulator to be found: a toast says so and the window carries on. */
static void
test_wire_sandbox_missing (void)
{
  g_autofree char *saved_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *empty = g_build_filename (g_get_user_cache_dir (), "empty-bin", NULL);
  GpWindow *window;

  if (g_file_test (BINDIR "/gatepost-sim", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("gatepost-sim is installed in " BINDIR ", so it cannot be missing");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_setenv ("PATH", empty, TRUE);

  window = gp_window_new (test_app ());
  g_object_ref_sink (window);
  gp_window_start (window);
  gtk_window_present (GTK_WINDOW (window));
  gp_test_wait_until (shows_sandbox_failure, window, "the toast about the simulator");
  g_setenv ("PATH", saved_path, TRUE);

  g_assert_false (gp_window_get_sandbox_shown (window));
  g_assert_false (gp_sandbox_get_running (gp_window_get_sandbox (window)));
  g_assert_null (gp_profile_selector_get_active_profile (gp_window_get_profile_selector (window)));
  /* Files are still listed and checked. */
  {
    g_autofree char *photo = g_test_build_filename (G_TEST_DIST, "data", "media",
                                                    "shop-photo.jpg", NULL);
    const char *paths[] = { photo, NULL };
    Count count = { gp_window_get_upload_page (window), 1 };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (count.page), "upload.add-files",
                                               "^as", paths));
    gp_test_wait_until (all_checked_and_ready, &count, "the file to be checked");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* A stand-in notification server on the test's private session bus: it
 * records what the app sends through GNotification. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "</interface></node>";

typedef struct
{
  char *summary;
  char *body;
} Notified;

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  Notified *notified = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      g_free (notified->summary);
      g_free (notified->body);
      g_variant_get_child (parameters, 3, "s", &notified->summary);
      g_variant_get_child (parameters, 4, "s", &notified->body);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 1));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", (char **) caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
notified_cb (gpointer data)
{
  return ((Notified *) data)->summary != NULL;
}

/* A batch that ends while the window is not active is announced on the
 * desktop, with the same counts as the toast. */
static void
test_wire_notification (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "notify", NULL);
  g_autofree char *original = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (dir, "scan.png", NULL);
  Notified notified = { 0 };
  GpWindow *window;
  guint registration;
  guint32 ret;
  gsize length;
  Count count;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                    info->interfaces[0], &vtable, &notified,
                                                    NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &ret);
  g_assert_cmpuint (ret, ==, 1);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  original = g_test_build_filename (G_TEST_DIST, "data", "media", "licence-scan.png", NULL);
  g_file_get_contents (original, &contents, &length, &error);
  g_assert_no_error (error);
  contents = g_realloc (contents, length + 6);
  memcpy (contents + length, "notify", 6);
  g_file_set_contents (path, contents, length + 6, &error);
  g_assert_no_error (error);

  /* Never presented, so never the active window. */
  window = gp_window_new (test_app ());
  g_object_ref_sink (window);
  gp_window_start (window);
  gp_test_wait_until (sandbox_profile_active, window, "the Sandbox Alipay profile");
  gp_test_wait_until (history_open, window, "the history to open");
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));

  {
    const char *paths[] = { path, NULL };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gp_window_get_upload_page (window)),
                                               "upload.add-files", "^as", paths));
  }
  count.page = gp_window_get_upload_page (window);
  count.n = 1;
  gp_test_wait_until (all_checked_and_ready, &count, "the file to pass the checks");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  gp_test_wait_until (all_finished, window, "the batch");
  gp_test_wait_until (notified_cb, &notified, "the desktop notification");
  g_assert_cmpstr (notified.summary, ==, "Uploads finished");
  g_assert_cmpstr (notified.body, ==, "1 uploaded");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_dbus_connection_unregister_object (bus, registration);
  g_free (notified.summary);
  g_free (notified.body);
}

static void
test_wire_failure_hints (void)
{
  /* Every failure the user can act on says what to do. */
  g_assert_nonnull (strstr (gp_file_row_failure_hint (GP_STAGE_VERIFY, "BAD_SIGNATURE"),
                            "Alipay public key"));
  g_assert_nonnull (strstr (gp_file_row_failure_hint (GP_STAGE_NETWORK,
                                                      "TLS_UNTRUSTED_CERTIFICATE"),
                            "CA"));
  g_assert_nonnull (strstr (gp_file_row_failure_hint (GP_STAGE_GATEWAY, "SIGN_ERROR"),
                            "private key and serial"));
  g_assert_nonnull (strstr (gp_file_row_failure_hint (GP_STAGE_GATEWAY,
                                                      "isv.invalid-signature"),
                            "private key and serial"));
  g_assert_nonnull (strstr (gp_file_row_failure_hint (GP_STAGE_NETWORK, "CANCELLED"),
                            "History"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gatepost/gui/wire/sandbox-upload", test_wire_sandbox_upload);
  g_test_add_func ("/gatepost/gui/wire/failure-retry", test_wire_failure_retry);
  g_test_add_func ("/gatepost/gui/wire/notification", test_wire_notification);
  g_test_add_func ("/gatepost/gui/wire/failure-hints", test_wire_failure_hints);
  g_test_add_func ("/gatepost/gui/wire/last-profile", test_wire_last_profile);
  g_test_add_func ("/gatepost/gui/wire/sandbox-missing", test_wire_sandbox_missing);

  return g_test_run ();
}
