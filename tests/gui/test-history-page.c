/* test-history-page.c: the History page and its paged model, on real
 * SQLite files, in real windows under Xvfb
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With --screenshot=FILE it instead fills a history with a few dozen
 * realistic rows, shows it in the real main window and saves the window as
 * a PNG (build-aux/screenshots.sh runs it).
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-application.h"
#include "gp-history-model.h"
#include "gp-history-page.h"
#include "gp-resources.h"
#include "gp-upload-page.h"
#include "gp-window.h"

#include "gp-test-gui-utils.h"

#define LARGE_ROWS 100000

typedef struct
{
  const char      *filename;
  GpGatewayKind    gateway;
  const char      *profile;
  GpHistoryStatus  status;
  const char      *media_id;   /* or the failure code */
  const char      *message;
} Row;

/* Oldest first, as they are recorded. */
static const Row small_rows[] = {
  { "营业执照.jpg", GP_GATEWAY_ALIPAY, "Shanghai store", GP_HISTORY_STATUS_SUCCEEDED,
    "A*7dxGRqgKz1sAAAAAAAAAAAAAAQAAAQ", NULL },
  { "shop-front.jpg", GP_GATEWAY_WECHATPAY_V3, "Hangzhou v3", GP_HISTORY_STATUS_SUCCEEDED,
    "V1_IfV3Lh1zoBcnI9cNXY0DtxXrNfSb4Eovh1ZLYqL33TZbsBy4j7JyTQmvTWa", NULL },
  { "legal-id-front.png", GP_GATEWAY_WECHATPAY_V2, "Beijing v2", GP_HISTORY_STATUS_FAILED,
    "FREQUENCY_LIMITED", "The merchant called too often" },
  { "门店执照副本.png", GP_GATEWAY_WECHATPAY_GLOBAL, "Hong Kong", GP_HISTORY_STATUS_SUCCEEDED,
    "Zq8NfK3mQxTa0LwPjR7cYb2Hs5uVdE1g", NULL },
  { "menu.pdf", GP_GATEWAY_ALIPAY, "Shanghai store", GP_HISTORY_STATUS_SUCCEEDED,
    "A*Qm3pLx9ZkTsAAAAAAAAAAAAAAQAAAQ", NULL },
};

static gboolean
dummy_cond (gpointer data)
{
  return *(gboolean *) data;
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */

static char *
new_history_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("history-page-XXXXXX", NULL);

  g_assert_nonnull (dir);

  return g_build_filename (dir, "history.sqlite3", NULL);
}

static char *
fake_digest (guint n)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) &n, sizeof n);
}

/* Records @rows through the history's own begin/complete. */
static GpHistory *
open_filled_history (const Row *rows,
                     guint      n_rows,
                     char     **paths_out)
{
  g_autofree char *path = new_history_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_no_error (error);
  for (guint i = 0; i < n_rows; i++)
    {
      const Row *r = &rows[i];
      g_autofree char *file = g_build_filename (dir, r->filename, NULL);
      g_autofree char *digest = fake_digest (i);
      g_autoptr(GpHistoryEntry) pending = NULL;
      g_autoptr(GpUploadResult) result = NULL;
      g_autofree char *url = NULL;
      gint64 id;

      g_assert_true (g_file_set_contents (file, "content", -1, NULL));
      pending = gp_history_entry_new_pending (r->profile, r->profile, r->gateway, "2088000000000001",
                                              file, 7, GP_FORMAT_JPEG, digest);
      id = gp_history_begin_sync (history, pending, NULL, &error);
      g_assert_no_error (error);
      if (r->status == GP_HISTORY_STATUS_SUCCEEDED)
        {
          if (r->gateway == GP_GATEWAY_ALIPAY)
            url = g_strdup_printf ("https://oalipay-dl-django.alicdn.com/rest/1.0/image?fileIds=%s",
                                   r->media_id);
          result = gp_upload_result_new_success (r->media_id, url);
        }
      else
        result = gp_upload_result_new_failure (GP_STAGE_GATEWAY, r->media_id, r->message);
      gp_upload_result_set_attempts (result, 1);
      gp_upload_result_set_duration_ms (result, 420 + i);
      g_assert_true (gp_history_complete_sync (history, id, result, NULL, &error));
      g_assert_no_error (error);
      if (paths_out != NULL)
        paths_out[i] = g_steal_pointer (&file);
    }

  return g_steal_pointer (&history);
}

typedef struct
{
  GtkWindow     *window;
  GpHistoryPage *page;
} View;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GtkWindow *
new_window (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  g_object_ref_sink (window);
  gtk_window_set_default_size (window, 1100, 700);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  gp_test_wait_until (window_mapped, window, "the window to map");

  return window;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  gp_test_drain ();
  g_assert_finalize_object (window);
}

static gboolean
first_row_loaded (gpointer data)
{
  GpHistoryModel *model = data;
  g_autoptr(GpHistoryItem) item = NULL;

  if (gp_history_model_get_loading (model) || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);

  return gp_history_item_get_entry (item) != NULL;
}

typedef struct
{
  GpHistoryModel *model;
  guint           n;
} Expect;

static gboolean
model_settled (gpointer data)
{
  Expect *e = data;

  return !gp_history_model_get_loading (e->model) &&
         g_list_model_get_n_items (G_LIST_MODEL (e->model)) == e->n &&
         (e->n == 0 || first_row_loaded (e->model));
}

/* Waits for the debounced search to reach the model, then for its rows. */
static void
wait_for_rows (GpHistoryPage *page,
               guint          n,
               const char    *what)
{
  Expect e = { gp_history_page_get_model (page), n };
  gint64 until = g_get_monotonic_time () + 400 * G_TIME_SPAN_MILLISECOND;

  /* Longer than the search entry's 150 ms delay. */
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  gp_test_wait_until (model_settled, &e, what);
}

static GtkDropDown *
find_dropdown (GtkWidget  *widget,
               const char *tooltip)
{
  if (GTK_IS_DROP_DOWN (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return GTK_DROP_DOWN (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_dropdown (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
filename_at (GpHistoryPage *page,
             guint          position)
{
  g_autoptr(GpHistoryItem) item =
    g_list_model_get_item (G_LIST_MODEL (gp_history_page_get_model (page)), position);

  g_assert_nonnull (item);
  g_assert_nonnull (gp_history_item_get_entry (item));

  return gp_history_item_get_entry (item)->filename;
}

static void
set_search (GpHistoryPage *page,
            const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (gp_history_page_get_search_entry (page)), text);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void
test_list_search_filter (void)
{
  g_autoptr(GpHistory) history = open_filled_history (small_rows, G_N_ELEMENTS (small_rows), NULL);
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window = new_window (GTK_WIDGET (page));
  g_autofree char *text = NULL;
  GtkDropDown *status;

  gp_history_page_set_history (page, history);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "all rows");
  g_assert_cmpstr (gp_history_page_get_state (page), ==, "list");

  /* Newest first. */
  for (guint i = 0; i < G_N_ELEMENTS (small_rows); i++)
    g_assert_cmpstr (filename_at (page, i), ==,
                     small_rows[G_N_ELEMENTS (small_rows) - 1 - i].filename);
  gp_test_drain ();
  text = gp_test_dup_visible_text (GTK_WIDGET (page));
  gp_test_assert_text_contains (text, "menu.pdf");
  gp_test_assert_text_contains (text, "营业执照.jpg");
  gp_test_assert_text_contains (text, "WeChat Pay v3");
  gp_test_assert_text_contains (text, "FREQUENCY_LIMITED");

  /* A fragment of a media ID (trigram index). */
  set_search (page, "zoBcnI9");
  wait_for_rows (page, 1, "the ID search");
  g_assert_cmpstr (filename_at (page, 0), ==, "shop-front.jpg");

  /* Two Chinese characters: too short for trigrams, still found. */
  set_search (page, "执照");
  wait_for_rows (page, 2, "the two-character search");
  g_assert_cmpstr (filename_at (page, 0), ==, "门店执照副本.png");
  g_assert_cmpstr (filename_at (page, 1), ==, "营业执照.jpg");

  set_search (page, "no-such-upload");
  wait_for_rows (page, 0, "a search that finds nothing");
  g_assert_cmpstr (gp_history_page_get_state (page), ==, "no-results");

  set_search (page, "");
  status = find_dropdown (GTK_WIDGET (page), "Status");
  g_assert_nonnull (status);
  gtk_drop_down_set_selected (status, 2); /* Failed */
  wait_for_rows (page, 1, "the status filter");
  g_assert_cmpstr (filename_at (page, 0), ==, "legal-id-front.png");

  /* Its details: code and message of the failure. */
  gp_history_page_select (page, 0);
  gp_test_drain ();
  g_clear_pointer (&text, g_free);
  text = gp_test_dup_visible_text (GTK_WIDGET (page));
  gp_test_assert_text_contains (text, "The merchant called too often");
  gp_test_assert_text_contains (text, "gateway");

  gtk_widget_activate_action (GTK_WIDGET (page), "history.clear-filters", NULL);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "cleared filters");
  g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, 0);

  close_window (window);
}

/* The mapped cells of the list (the page tags each with its list item). */
static void
collect_cells (GtkWidget *widget,
               GPtrArray *cells)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (g_object_get_data (G_OBJECT (widget), "gp-list-item") != NULL)
    {
      g_ptr_array_add (cells, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, cells);
}

static GtkWidget *
find_cell (GPtrArray  *cells,
           const char *text)
{
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);

      if (GTK_IS_LABEL (cell) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (cell)), text) == 0)
        return cell;
    }

  return NULL;
}

static gboolean
query_tooltip (GtkWidget *cell)
{
  g_autoptr(GObject) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  if (!gtk_widget_get_has_tooltip (cell))
    return FALSE;
  g_signal_emit_by_name (cell, "query-tooltip", 2, 2, FALSE, tooltip, &shown);

  return shown;
}

/* A file's path and a failure's message show when the pointer rests on
 * the cell; a row with nothing more to say has no tooltip. (The page looks
 * them up on hover rather than setting them at each bind.) */
static void
test_cell_tooltips (void)
{
  g_autoptr(GpHistory) history = open_filled_history (small_rows, G_N_ELEMENTS (small_rows), NULL);
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window = new_window (GTK_WIDGET (page));
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  GtkWidget *file, *failed, *succeeded;

  gp_history_page_set_history (page, history);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "all rows");
  gp_test_drain ();
  collect_cells (GTK_WIDGET (gp_history_page_get_column_view (page)), cells);
  g_assert_cmpuint (cells->len, ==, 5 * G_N_ELEMENTS (small_rows));

  file = find_cell (cells, "legal-id-front.png");
  failed = find_cell (cells, "Failed");
  succeeded = find_cell (cells, "Succeeded");
  g_assert_nonnull (file);
  g_assert_nonnull (failed);
  g_assert_nonnull (succeeded);
  g_assert_true (query_tooltip (file));
  g_assert_true (query_tooltip (failed));
  g_assert_false (query_tooltip (succeeded));

  close_window (window);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ReadText;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ReadText *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadText *) data)->done;
}

static char *
read_clipboard (GtkWidget *widget)
{
  ReadText read = { NULL, FALSE };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_read_cb,
                                 &read);
  gp_test_wait_until (read_done, &read, "the clipboard");

  return read.text;
}

static void
test_copy_media_id (void)
{
  g_autoptr(GpHistory) history = open_filled_history (small_rows, G_N_ELEMENTS (small_rows), NULL);
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window = new_window (GTK_WIDGET (page));
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  gp_history_page_set_history (page, history);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "all rows");

  /* The newest row, menu.pdf on Alipay. */
  gp_history_page_select (page, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history.copy-media-id", NULL));
  id = read_clipboard (GTK_WIDGET (page));
  g_assert_cmpstr (id, ==, "A*Qm3pLx9ZkTsAAAAAAAAAAAAAAQAAAQ");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history.copy-media-url", NULL));
  url = read_clipboard (GTK_WIDGET (page));
  g_assert_cmpstr (url, ==, "https://oalipay-dl-django.alicdn.com/rest/1.0/image?fileIds="
                            "A*Qm3pLx9ZkTsAAAAAAAAAAAAAAQAAAQ");

  /* A failure has no media ID to copy. */
  gp_history_page_select (page, 2);
  g_assert_false (gtk_widget_is_sensitive (gp_test_find_by_action (GTK_WIDGET (page),
                                                                   "history.copy-media-id")));

  close_window (window);
}

static gboolean
upload_page_has (gpointer data)
{
  void **args = data;

  return gp_upload_page_find_item (args[0], args[1]) != NULL;
}

static void
test_upload_again (void)
{
  char *paths[G_N_ELEMENTS (small_rows)] = { NULL, };
  g_autoptr(GpHistory) history = open_filled_history (small_rows, G_N_ELEMENTS (small_rows),
                                                      paths);
  AdwViewStack *stack = ADW_VIEW_STACK (adw_view_stack_new ());
  GpUploadPage *upload = gp_upload_page_new ();
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window;
  void *args[2];

  adw_view_stack_add_named (stack, GTK_WIDGET (upload), "upload");
  adw_view_stack_add_named (stack, GTK_WIDGET (page), "history");
  adw_view_stack_set_visible_child_name (stack, "history");
  window = new_window (GTK_WIDGET (stack));
  gp_history_page_set_history (page, history);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "all rows");

  /* The oldest row. */
  gp_history_page_select (page, G_N_ELEMENTS (small_rows) - 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history.upload-again", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "upload");
  args[0] = upload;
  args[1] = paths[0];
  gp_test_wait_until (upload_page_has, args, "the file on the upload page");

  close_window (window);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_free (paths[i]);
}

static void
test_empty_states (void)
{
  g_autofree char *path = new_history_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window = new_window (GTK_WIDGET (page));
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  gp_history_page_set_history (page, history);
  wait_for_rows (page, 0, "an empty history");
  g_assert_cmpstr (gp_history_page_get_state (page), ==, "empty");
  text = gp_test_dup_visible_text (GTK_WIDGET (page));
  gp_test_assert_text_contains (text, "No Uploads Yet");

  set_search (page, "营业");
  wait_for_rows (page, 0, "a search in an empty history");
  g_assert_cmpstr (gp_history_page_get_state (page), ==, "no-results");
  g_clear_pointer (&text, g_free);
  text = gp_test_dup_visible_text (GTK_WIDGET (page));
  gp_test_assert_text_contains (text, "No Matching Uploads");

  close_window (window);
}

static gboolean
state_is_error (gpointer data)
{
  return g_strcmp0 (gp_history_page_get_state (data), "error") == 0;
}

static void
test_open_error (void)
{
  g_autofree char *path = gp_history_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  GpHistoryPage *page;
  GtkWindow *window;

  /* The default file is not a database. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *p = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_unlink (p);
    }
  g_assert_true (g_file_set_contents (path, "This is not an SQLite file, but it is long enough "
                                            "to have a header that SQLite reads and rejects.",
                                      -1, NULL));
  page = gp_history_page_new ();
  window = new_window (GTK_WIDGET (page));
  gp_test_wait_until (state_is_error, page, "the error page");
  text = gp_test_dup_visible_text (GTK_WIDGET (page));
  gp_test_assert_text_contains (text, "Could Not Read the History");
  gp_test_assert_text_contains (text, "Try Again");

  close_window (window);
  g_unlink (path);
}

typedef struct
{
  gboolean done;
  gboolean ok;
} Done;

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Done *done = user_data;
  g_autoptr(GError) error = NULL;

  done->ok = gp_history_page_export_finish (GP_HISTORY_PAGE (object), result, &error);
  g_assert_no_error (error);
  done->done = TRUE;
}

static void
test_export_csv (void)
{
  g_autoptr(GpHistory) history = open_filled_history (small_rows, G_N_ELEMENTS (small_rows), NULL);
  GpHistoryPage *page = gp_history_page_new ();
  GtkWindow *window = new_window (GTK_WIDGET (page));
  g_autofree char *dir = g_dir_make_tmp ("history-export-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (out);
  g_autofree char *contents = NULL;
  Done done = { FALSE, FALSE };

  gp_history_page_set_history (page, history);
  wait_for_rows (page, G_N_ELEMENTS (small_rows), "all rows");
  /* What is listed is what is exported. */
  set_search (page, "执照");
  wait_for_rows (page, 2, "the search");

  gp_history_page_export_async (page, file, GP_HISTORY_EXPORT_CSV, NULL, exported_cb, &done);
  gp_test_wait_until (dummy_cond, &done.done, "the export");
  g_assert_true (done.ok);

  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (contents, "营业执照.jpg"));
  g_assert_nonnull (strstr (contents, "Zq8NfK3mQxTa0LwPjR7cYb2Hs5uVdE1g"));
  g_assert_null (strstr (contents, "shop-front.jpg"));

  close_window (window);
}

/* ------------------------------------------------------------------------ */
/* 100,000 rows                                                             */

/* A prepared file: the schema from GpHistory itself, then rows inserted in
 * one transaction (begin/complete commit each row, durably). */
static void
insert_rows (const char *path,
             guint       n,
             gboolean    realistic)
{
  static const char * const names[] = {
    "营业执照.jpg", "门头照片-南京路店.jpg", "店内环境-收银台.png", "法人身份证正面.jpg",
    "shop-front.jpg", "licence-scan.png", "开户许可证.pdf", "product-demo.mp4",
    "法人身份证反面.jpg", "storefront-night.jpg", "经营场所照片-2.jpg", "menu-2026.pdf",
  };
  static const char * const gateways[] = {
    "alipay", "wechatpay-v2", "wechatpay-v3", "wechatpay-global",
  };
  static const char * const profiles[] = {
    "Shanghai flagship", "Beijing v2", "Hangzhou v3", "Hong Kong",
  };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time ();

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA cache_size = -65536", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                     "INSERT INTO uploads (time_us, profile, profile_id, gateway, account, path, "
                     "filename, size, format, sha256, status, stage, code, message, attempts, "
                     "duration_ms, media_id, media_url) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     -1, &stmt, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < n; i++)
    {
      guint g = realistic ? (i * 7 + i / 3) % 4 : i % 4;
      gboolean failed = realistic ? i % 9 == 4 || i % 13 == 7 : i % 10 == 3;
      g_autofree char *name = NULL;
      g_autofree char *file = NULL;
      g_autofree char *digest = fake_digest (i);
      g_autofree char *media_id = NULL;
      g_autofree char *url = NULL;
      const char *format;

      if (realistic)
        name = g_strdup (names[(i * 5) % G_N_ELEMENTS (names)]);
      else
        name = g_strdup_printf ("file-%06u.jpg", i + 1);
      file = g_build_filename ("/home/merchant/Documents/商户资料", name, NULL);
      format = g_str_has_suffix (name, ".pdf") ? "pdf" : g_str_has_suffix (name, ".png") ? "png"
               : g_str_has_suffix (name, ".mp4") ? "mp4" : "jpeg";

      if (!failed)
        {
          switch (g)
            {
            case 0:
              media_id = g_strdup_printf ("A*%.8sRqgKz1sAAAAAAAAAAAAAAQAAAQ", digest + 8);
              url = g_strdup_printf ("https://oalipay-dl-django.alicdn.com/rest/1.0/image?"
                                     "fileIds=%s&zoom=original", media_id);
              break;
            case 1:
              media_id = g_strdup_printf ("%.20s-8Ya2GZ3O-xqgmx4jVoxvtm9Y2WfN0", digest);
              break;
            case 2:
              media_id = g_strdup_printf ("V1_%.24sLh1zoBcnI9cNXY0DtxXrNfSb4Eovh1ZLYqL33TZbs",
                                          digest + 16);
              break;
            default:
              media_id = g_strdup_printf ("%.32s", digest + 4);
              break;
            }
        }

      sqlite3_reset (stmt);
      /* Spread over the last 40 days, newest last. */
      sqlite3_bind_int64 (stmt, 1, now - (gint64) (n - i) * (realistic ? 26 : 1) *
                                         G_TIME_SPAN_HOUR / (realistic ? 1 : 100));
      sqlite3_bind_text (stmt, 2, profiles[g], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, profiles[g], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, gateways[g], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, g == 0 ? "2021004123456789" : "1900000109", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, file, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 8, 180000 + (i * 7919) % 900000);
      sqlite3_bind_text (stmt, 9, format, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, digest, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 11, failed ? "failed" : "succeeded", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 12, failed ? (i % 2 ? "network" : "gateway") : NULL, -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 13, failed ? (i % 2 ? "TIMEOUT" : "INVALID_PARAMETER") : NULL, -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 14, failed ? (i % 2 ? "The gateway did not answer in 30 s"
                                                   : "The image is larger than the gateway allows")
                                          : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 15, failed && i % 2 ? 3 : 1);
      sqlite3_bind_int64 (stmt, 16, 300 + (i * 37) % 2500);
      sqlite3_bind_text (stmt, 17, media_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 18, url, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }

  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
prepare_file (guint    n,
              gboolean realistic)
{
  g_autofree char *path = new_history_path ();
  g_autoptr(GError) error = NULL;
  GpHistory *history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);

  g_assert_no_error (error);
  g_assert_finalize_object (history);
  insert_rows (path, n, realistic);

  return g_steal_pointer (&path);
}

static GpHistory *
large_history (void)
{
  static char *path;
  g_autoptr(GError) error = NULL;
  GpHistory *history;

  if (path == NULL)
    {
      gint64 start = g_get_monotonic_time ();

      path = prepare_file (LARGE_ROWS, FALSE);
      g_test_message ("Prepared %u rows in %.0f ms", LARGE_ROWS,
                      (g_get_monotonic_time () - start) / 1000.0);
    }
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_no_error (error);

  return history;
}

static gboolean
not_loading (gpointer data)
{
  return !gp_history_model_get_loading (data) &&
         g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static void
test_model_large (void)
{
  g_autoptr(GpHistory) history = large_history ();
  GpHistoryModel *model = gp_history_model_new ();
  g_autoptr(GpHistoryItem) last = NULL;

  gp_history_model_set_history (model, history);
  g_assert_true (gp_history_model_get_loading (model));
  gp_test_wait_until (not_loading, model, "the count");
  /* Every row is there at once; only the first page is being read. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, LARGE_ROWS);
  g_assert_cmpuint (gp_history_model_get_n_page_loads (model), ==, 1);

  /* A placeholder until its page arrives. */
  last = g_list_model_get_item (G_LIST_MODEL (model), LARGE_ROWS - 1);
  g_assert_null (gp_history_item_get_entry (last));
  g_assert_cmpuint (gp_history_model_get_n_page_loads (model), ==, 2);
  gp_test_wait_until ((GpTestCondition) gp_history_item_get_entry, last, "the last page");
  g_assert_cmpstr (gp_history_item_get_entry (last)->filename, ==, "file-000001.jpg");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), LARGE_ROWS));

  /* A new query cancels and restarts. */
  {
    g_autoptr(GpHistoryQuery) query = gp_history_query_new ();

    gp_history_query_set_text (query, "file-09999");
    gp_history_model_set_query (model, query);
    gp_test_wait_until (not_loading, model, "the search count");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
    /* Each read holds the model until it returns. */
    gp_test_wait_until (first_row_loaded, model, "the search's first page");
  }

  g_assert_finalize_object (model);
}

static gboolean
text_shows (gpointer data)
{
  void **args = data;
  g_autofree char *text = gp_test_dup_visible_text (args[0]);

  return strstr (text, args[1]) != NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
scrolled_to_end (gpointer data)
{
  void **args = data;
  GtkAdjustment *adj = args[2];

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));

  return text_shows (data);
}

static void
test_page_large (void)
{
  g_autoptr(GpHistory) history = large_history ();
  GtkWindow *window = new_window (adw_bin_new ());
  GpHistoryPage *page;
  GpHistoryModel *model;
  GdkFrameClock *clock;
  GtkAdjustment *adj;
  gboolean painted = FALSE;
  gulong handler;
  gint64 start, elapsed;
  void *args[3];

  /* From adding the page to the first frame that shows rows. */
  start = g_get_monotonic_time ();
  page = gp_history_page_new ();
  gp_history_page_set_history (page, history);
  adw_bin_set_child (ADW_BIN (gtk_window_get_child (window)), GTK_WIDGET (page));
  args[0] = page;
  args[1] = (char *) "file-100000.jpg";
  gp_test_wait_until (text_shows, args, "the newest row");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (page));
  gp_test_wait_until (dummy_cond, &painted, "a frame");
  g_signal_handler_disconnect (clock, handler);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100,000 rows: first frame with rows after %.0f ms", elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  model = gp_history_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, LARGE_ROWS);

  /* Scroll to the very end: only the pages shown are read. */
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (gp_history_page_get_column_view (page)));
  args[1] = (char *) "file-000001.jpg";
  args[2] = adj;
  gp_test_wait_until (scrolled_to_end, args, "the oldest row");
  g_test_message ("100,000 rows: %u page reads after scrolling to the end",
                  gp_history_model_get_n_page_loads (model));
  g_assert_cmpuint (gp_history_model_get_n_page_loads (model), <=, 6);

  close_window (window);
}

static gboolean
page_rows_shown (gpointer data)
{
  GPtrArray *cells = g_ptr_array_new ();
  gboolean shown;

  collect_cells (GTK_WIDGET (gp_history_page_get_column_view (data)), cells);
  shown = cells->len > 0;
  g_ptr_array_unref (cells);

  return shown;
}

/* A History page the window has not shown yet counts the rows and reads
 * the first page, and no more: its list builds no rows nobody sees (a
 * never-allocated column view builds a couple of hundred, asking for
 * their pages). Shown, it lists the rows already read. */
static void
test_hidden_page_large (void)
{
  g_autoptr(GpHistory) history = large_history ();
  AdwViewStack *stack = ADW_VIEW_STACK (adw_view_stack_new ());
  GtkWindow *window;
  GpHistoryPage *page = gp_history_page_new ();
  GpHistoryModel *model = gp_history_page_get_model (page);
  void *args[2] = { page, (char *) "file-100000.jpg" };

  adw_view_stack_add_named (stack, adw_status_page_new (), "other");
  adw_view_stack_add_named (stack, GTK_WIDGET (page), "history");
  adw_view_stack_set_visible_child_name (stack, "other");
  window = new_window (GTK_WIDGET (stack));
  gp_history_page_set_history (page, history);
  gp_test_wait_until (first_row_loaded, model, "the count and the first page");
  gp_test_drain ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, LARGE_ROWS);
  g_assert_cmpuint (gp_history_model_get_n_page_loads (model), ==, 1);

  adw_view_stack_set_visible_child_name (stack, "history");
  gp_test_wait_until (page_rows_shown, page, "the list's rows");
  gp_test_wait_until (text_shows, args, "the newest row");
  g_assert_cmpstr (gp_history_page_get_state (page), ==, "list");

  close_window (window);
}

/* ------------------------------------------------------------------------ */
/* Screenshot                                                                */

static gboolean
rows_shown (gpointer data)
{
  return first_row_loaded (gp_history_page_get_model (data));
}

static int
take_screenshot (const char *out)
{
  g_autofree char *path = prepare_file (36, TRUE);
  g_autoptr(GpApplication) app = gp_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GpHistory) history = NULL;
  AdwViewStack *stack;
  GpHistoryPage *page;
  GpWindow *window;
  int w, h;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_no_error (error);

  window = gp_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));
  gp_test_wait_until (window_mapped, window, "the window to map");
  stack = gp_window_get_view_stack (window);
  page = GP_HISTORY_PAGE (adw_view_stack_get_child_by_name (stack, "history"));
  gp_history_page_set_history (page, history);
  adw_view_stack_set_visible_child_name (stack, "history");
  gp_test_wait_until (rows_shown, page, "the rows");
  gp_history_page_select (page, 1);

  /* Let layout, the badges and the details pane settle. */
  {
    gint64 until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
  }

  w = gtk_widget_get_width (GTK_WIDGET (window));
  h = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_print ("screenshot: %s (%dx%d)\n", out, w, h);

  gtk_window_destroy (GTK_WINDOW (window));
  gp_test_drain ();

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *screenshot = NULL;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--screenshot="))
      screenshot = argv[i] + strlen ("--screenshot=");

  if (screenshot != NULL)
    {
      gtk_init ();
      adw_init ();
      return take_screenshot (screenshot);
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gp_register_resource ();

  g_test_add_func ("/gatepost/gui/history/list-search-filter", test_list_search_filter);
  g_test_add_func ("/gatepost/gui/history/copy-media-id", test_copy_media_id);
  g_test_add_func ("/gatepost/gui/history/upload-again", test_upload_again);
  g_test_add_func ("/gatepost/gui/history/empty-states", test_empty_states);
  g_test_add_func ("/gatepost/gui/history/open-error", test_open_error);
  g_test_add_func ("/gatepost/gui/history/export-csv", test_export_csv);
  g_test_add_func ("/gatepost/gui/history/model-100k", test_model_large);
  g_test_add_func ("/gatepost/gui/history/page-100k", test_page_large);
  g_test_add_func ("/gatepost/gui/history/cell-tooltips", test_cell_tooltips);
  g_test_add_func ("/gatepost/gui/history/hidden-page-100k", test_hidden_page_large);

  return g_test_run ();
}
