/* gp-upload-page.c: the "Upload" page: files, their checks, a preview
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way in (drop, file chooser, `gatepost FILE…`) ends in one action,
 * upload.add-files, taking URIs or paths: the tests drive that same path.
 * Folders are walked in a worker thread, each file is checked with
 * gp_file_check_async(), and a gateway change re-evaluates the reports
 * without reading any file again. The upload itself belongs to another
 * part: the page only emits ::upload-requested with the passing reports.
 */

#include "config.h"

#include "gp-upload-page.h"

#include <glib/gi18n.h>

#include "gp-check-text.h"
#include "gp-file-row.h"
#include "gp-gui-enums.h"
#include "gp-media.h"

/* Row thumbnails: 48 px shown, twice that for HiDPI screens. */
#define THUMBNAIL_SIZE 96

struct _GpUploadPage
{
  AdwBin                parent_instance;

  GListStore           *items;
  GHashTable           *paths;          /* path → GpUploadItem, borrowed */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  char                 *summary;
  GpGatewayKind         gateway;
  guint                 n_pending;
  guint                 max_depth;
  guint                 max_files;
  gboolean              can_upload;

  GtkStack             *stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkListBox           *list_box;
  GtkLabel             *summary_label;
  GtkWidget            *pane_separator;
  GtkWidget            *preview_pane;
  GtkWidget            *back_bar;
  GpPreview            *preview;
};

G_DEFINE_FINAL_TYPE (GpUploadPage, gp_upload_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_GATEWAY,
  PROP_CAN_UPLOAD,
  PROP_N_PENDING,
  PROP_SUMMARY,
  N_PROPS
};

enum {
  UPLOAD_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GpUploadPage *
gp_upload_page_new (void)
{
  return g_object_new (GP_TYPE_UPLOAD_PAGE, NULL);
}

static void
toast (GpUploadPage *self,
       const char   *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_debug ("%s", text);
}

static void
set_n_pending (GpUploadPage *self,
               guint         n_pending)
{
  if (self->n_pending == n_pending)
    return;
  self->n_pending = n_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
update_summary (GpUploadPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint ready = 0, refused = 0, checking = 0, uploading = 0, uploaded = 0;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  gboolean can_upload;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      GpUploadResult *result = gp_upload_item_get_result (item);

      if (gp_upload_item_get_checking (item))
        checking++;
      else if (gp_upload_item_get_progress (item) >= 0)
        uploading++;
      else if (result != NULL && gp_upload_result_is_ok (result))
        uploaded++;
      else if (gp_upload_item_is_ready (item))
        ready++;
      else if (gp_upload_item_is_refused (item))
        refused++;
    }

  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u file ready", "%u files ready", ready),
                                           ready));
  if (refused > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u refused", "%u refused", refused),
                                             refused));
  if (checking > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u being checked", "%u being checked",
                                                       checking), checking));
  if (uploading > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u being uploaded",
                                                       "%u being uploaded", uploading),
                                             uploading));
  if (uploaded > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u uploaded", "%u uploaded", uploaded),
                                             uploaded));
  g_ptr_array_add (parts, NULL);
  /* TRANSLATORS: separates the parts of "3 files ready, 1 refused" */
  summary = g_strjoinv (_(", "), (char **) parts->pdata);

  gtk_label_set_text (self->summary_label, summary);
  if (g_strcmp0 (self->summary, summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "files" : "empty");

  can_upload = ready > 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.upload", can_upload);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.remove-selected",
                                 gtk_list_box_get_selected_row (self->list_box) != NULL);
  if (self->can_upload != can_upload)
    {
      self->can_upload = can_upload;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UPLOAD]);
    }
}

static gboolean
item_in_list (GpUploadPage *self,
              GpUploadItem *item)
{
  return g_hash_table_lookup (self->paths, gp_upload_item_get_path (item)) == item;
}

/* Async operations carry the page and the item; the window's cancellable
 * stops them when it closes. */
typedef struct
{
  GpUploadPage *page;
  GpUploadItem *item;
} ItemOp;

static ItemOp *
item_op_new (GpUploadPage *page,
             GpUploadItem *item)
{
  ItemOp *op = g_new0 (ItemOp, 1);

  op->page = g_object_ref (page);
  op->item = g_object_ref (item);

  return op;
}

static void
item_op_free (ItemOp *op)
{
  g_clear_object (&op->page);
  g_clear_object (&op->item);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ItemOp, item_op_free)

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ItemOp) op = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (gp_check_report_get_format (gp_upload_item_get_report (op->item)) == GP_FORMAT_PDF)
    texture = gp_media_render_pdf_finish (result, &error);
  else
    texture = gp_media_load_image_finish (result, &error);

  /* A file that cannot be decoded keeps its icon; the check already said
   * what matters about it. */
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for %s: %s", gp_upload_item_get_path (op->item), error->message);
      return;
    }

  gp_upload_item_set_thumbnail (op->item, GDK_PAINTABLE (texture));
}

static void
start_thumbnail (GpUploadPage *self,
                 GpUploadItem *item)
{
  GpCheckReport *report = gp_upload_item_get_report (item);

  switch (gp_check_report_get_format (report))
    {
    case GP_FORMAT_JPEG:
    case GP_FORMAT_PNG:
    case GP_FORMAT_BMP:
    case GP_FORMAT_GIF:
      gp_media_load_image_async (gp_upload_item_get_file (item), THUMBNAIL_SIZE,
                                 self->cancellable, thumbnail_loaded_cb,
                                 item_op_new (self, item));
      break;

    case GP_FORMAT_PDF:
      gp_media_render_pdf_async (gp_upload_item_get_file (item), THUMBNAIL_SIZE,
                                 self->cancellable, thumbnail_loaded_cb,
                                 item_op_new (self, item));
      break;

    /* A video keeps its icon: decoding a frame for every row is not worth
     * a pipeline each. The preview plays it. */
    case GP_FORMAT_MP4:
    case GP_FORMAT_UNKNOWN:
    case GP_N_FORMATS:
    default:
      break;
    }
}

static void
file_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ItemOp) op = user_data;
  GpUploadPage *self = op->page;
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = gp_file_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  set_n_pending (self, self->n_pending - 1);
  if (!item_in_list (self, op->item))
    return;

  if (report == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The file could not be checked: %s"),
                                               error->message);

      gp_upload_item_set_error (op->item, text);
    }
  else
    {
      /* The gateway may have changed while the file was being read. */
      if (gp_check_report_get_gateway (report) != self->gateway)
        {
          GpCheckReport *evaluated = gp_check_report_evaluate (report, self->gateway);

          gp_check_report_unref (report);
          report = evaluated;
        }
      gp_upload_item_set_report (op->item, report);
      start_thumbnail (self, op->item);
    }

  gp_upload_item_set_checking (op->item, FALSE);
  update_summary (self);
}

static void
start_check (GpUploadPage *self,
             GpUploadItem *item)
{
  g_autofree char *path = g_file_get_path (gp_upload_item_get_file (item));

  if (path == NULL)
    {
      gp_upload_item_set_error (item, _("Only files on this computer can be uploaded. "
                                        "Copy the file to a local folder first."));
      return;
    }

  gp_upload_item_set_checking (item, TRUE);
  set_n_pending (self, self->n_pending + 1);
  gp_file_check_async (path, self->gateway, GP_FILE_CHECK_ALL_DIGESTS, self->cancellable,
                       file_checked_cb,
                       item_op_new (self, item));
}

/* Expansion of folders, in a worker thread. */

typedef struct
{
  GStrv     locations;
  guint     max_depth;
  guint     max_files;
  /* results */
  GPtrArray *files;
  gboolean  truncated;
} Expansion;

static void
expansion_free (Expansion *expansion)
{
  g_strfreev (expansion->locations);
  g_clear_pointer (&expansion->files, g_ptr_array_unref);
  g_free (expansion);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
expand_file (Expansion    *expansion,
             GFile        *file,
             guint         depth,
             GCancellable *cancellable);

static void
expand_folder (Expansion    *expansion,
               GFile        *folder,
               guint         depth,
               GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GFileInfo *info;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (enumerator == NULL)
    return;

  while (g_file_enumerator_iterate (enumerator, &info, NULL, cancellable, NULL) && info != NULL)
    {
      /* Hidden files (".DS_Store", editor backups) are never meant. */
      if (!g_file_info_get_is_hidden (info))
        g_ptr_array_add (names, g_strdup (g_file_info_get_name (info)));
    }

  /* The order a file manager shows, not the order on disk. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) child = g_file_get_child (folder, names->pdata[i]);

      expand_file (expansion, child, depth + 1, cancellable);
    }
}

static void
expand_file (Expansion    *expansion,
             GFile        *file,
             guint         depth,
             GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  GFileType type;

  if (g_cancellable_is_cancelled (cancellable))
    return;
  if (expansion->files->len >= expansion->max_files)
    {
      expansion->truncated = TRUE;
      return;
    }

  /* Inside a folder, a link to a folder is not followed: it could lead
   * back up and never end. What the user named is followed. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            depth > 0 ? G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS
                                      : G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  type = info ? g_file_info_get_file_type (info) : G_FILE_TYPE_UNKNOWN;

  if (type == G_FILE_TYPE_SYMBOLIC_LINK)
    {
      g_clear_object (&info);
      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                                cancellable, NULL);
      if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        return;
      type = G_FILE_TYPE_REGULAR;
    }

  if (type == G_FILE_TYPE_DIRECTORY)
    {
      if (depth >= expansion->max_depth)
        {
          expansion->truncated = TRUE;
          return;
        }
      expand_folder (expansion, file, depth, cancellable);
      return;
    }

  /* In a folder only regular files count; a named file of any other kind
   * is listed, and its check says what is wrong with it. */
  if (depth > 0 && type != G_FILE_TYPE_REGULAR)
    return;

  g_ptr_array_add (expansion->files, g_object_ref (file));
}

static void
expand_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Expansion *expansion = task_data;

  expansion->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; expansion->locations[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (expansion->locations[i]);

      expand_file (expansion, file, 0, cancellable);
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return gp_file_row_new (GP_UPLOAD_ITEM (item));
}

static void
files_expanded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GpUploadPage) self = user_data;
  GTask *task = G_TASK (result);
  Expansion *expansion = g_task_get_task_data (task);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint duplicates = 0;
  guint first;

  if (!g_task_propagate_boolean (task, NULL) || g_cancellable_is_cancelled (self->cancellable))
    return;

  first = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < expansion->files->len; i++)
    {
      g_autoptr(GpUploadItem) item = gp_upload_item_new (expansion->files->pdata[i]);

      if (g_hash_table_contains (self->paths, gp_upload_item_get_path (item)))
        {
          duplicates++;
          continue;
        }
      g_hash_table_insert (self->paths, g_strdup (gp_upload_item_get_path (item)), item);
      g_ptr_array_add (added, g_object_ref (item));
    }

  g_list_store_splice (self->items, first, 0, added->pdata, added->len);
  for (guint i = 0; i < added->len; i++)
    {
      /* The upload part drives these; the summary and the Upload button
       * follow. */
      g_signal_connect_object (added->pdata[i], "notify::progress",
                               G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (added->pdata[i], "notify::result",
                               G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
      start_check (self, added->pdata[i]);
    }

  if (added->len > 0 && gtk_list_box_get_selected_row (self->list_box) == NULL)
    gtk_list_box_select_row (self->list_box, gtk_list_box_get_row_at_index (self->list_box,
                                                                            first));

  if (expansion->truncated)
    {
      g_autofree char *text =
        g_strdup_printf (_("Only the first %u files were added, at most %u folders deep"),
                         expansion->max_files, expansion->max_depth);
      toast (self, text);
    }
  else if (duplicates > 0)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("%u file was already in the list",
                                   "%u files were already in the list", duplicates),
                         duplicates);
      toast (self, text);
    }

  set_n_pending (self, self->n_pending - 1);
  update_summary (self);
}

static void
add_files_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  Expansion *expansion;

  expansion = g_new0 (Expansion, 1);
  expansion->locations = g_variant_dup_strv (parameter, NULL);
  expansion->max_depth = self->max_depth;
  expansion->max_files = self->max_files;

  set_n_pending (self, self->n_pending + 1);
  task = g_task_new (NULL, self->cancellable, files_expanded_cb, g_object_ref (self));
  g_task_set_source_tag (task, add_files_activated);
  g_task_set_task_data (task, expansion, (GDestroyNotify) expansion_free);
  g_task_run_in_thread (task, expand_thread);
}

static void
add_file_list (GpUploadPage *self,
               GSList       *files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *uri = g_file_get_uri (l->data);

      g_strv_builder_add (builder, uri);
    }
  uris = g_strv_builder_end (builder);

  gtk_widget_activate_action (GTK_WIDGET (self), "upload.add-files", "^as", uris);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GpUploadPage  *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  add_file_list (self, files);
  g_slist_free (files);

  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GpUploadPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      GSList *list = NULL;

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      add_file_list (self, list);
      g_slist_free_full (list, g_object_unref);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
choose_files_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) supported = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  /* A native chooser goes through the file chooser portal inside Flatpak,
   * which grants access to exactly the files picked. */
  self->chooser = gtk_file_chooser_native_new (_("Choose Files to Upload"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  gtk_file_filter_set_name (supported, _("Images, Videos and PDF Documents"));
  for (GpFormat f = GP_FORMAT_UNKNOWN + 1; f < GP_N_FORMATS; f++)
    gtk_file_filter_add_mime_type (supported, gp_format_mime_type (f));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), supported);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
upload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);
  g_autoptr(GPtrArray) reports = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  reports = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (gp_upload_item_is_ready (item))
        g_ptr_array_add (reports, gp_check_report_ref (gp_upload_item_get_report (item)));
    }

  if (reports->len > 0)
    g_signal_emit (self, signals[UPLOAD_REQUESTED], 0, reports);
}

static void
remove_item (GpUploadPage *self,
             GpUploadItem *item)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list_box);
  gboolean was_selected = selected && gp_file_row_get_item (GP_FILE_ROW (selected)) == item;
  guint position;

  if (!g_list_store_find (self->items, item, &position))
    return;

  g_hash_table_remove (self->paths, gp_upload_item_get_path (item));
  g_list_store_remove (self->items, position);

  if (was_selected)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
      GtkListBoxRow *next = n > 0 ? gtk_list_box_get_row_at_index (self->list_box,
                                                                   MIN (position, n - 1))
                                  : NULL;

      if (next != NULL)
        {
          gtk_list_box_select_row (self->list_box, next);
          gtk_widget_grab_focus (GTK_WIDGET (next));
        }
    }

  update_summary (self);
}

static void
remove_file_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);
  GpUploadItem *item = g_hash_table_lookup (self->paths, g_variant_get_string (parameter, NULL));

  if (item != NULL)
    remove_item (self, item);
}

static void
remove_selected_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list_box);

  if (row != NULL)
    remove_item (self, gp_file_row_get_item (GP_FILE_ROW (row)));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
row_selected_cb (GtkListBox    *list_box,
                 GtkListBoxRow *row,
                 GpUploadPage  *self)
{
  gp_preview_set_item (self->preview, row ? gp_file_row_get_item (GP_FILE_ROW (row)) : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.remove-selected", row != NULL);
}

/* A click or Enter on a row of a folded page shows its preview. */
static void
row_activated_cb (GtkListBox    *list_box,
                  GtkListBoxRow *row,
                  GpUploadPage  *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->preview_pane);
}

static void
folded_changed_cb (GpUploadPage *self)
{
  gtk_widget_set_visible (self->back_bar, adw_leaflet_get_folded (self->leaflet));
}

GpGatewayKind
gp_upload_page_get_gateway (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), GP_GATEWAY_INVALID);
  return self->gateway;
}

/**
 * gp_upload_page_set_gateway:
 *
 * Selects whose rules apply. Every listed file is judged again from its
 * report (gp_check_report_evaluate()), without reading it again.
 */
void
gp_upload_page_set_gateway (GpUploadPage  *self,
                            GpGatewayKind  gateway)
{
  guint n;

  g_return_if_fail (GP_IS_UPLOAD_PAGE (self));
  g_return_if_fail (gateway >= 0 && gateway < GP_N_GATEWAYS);

  if (self->gateway == gateway)
    return;
  self->gateway = gateway;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpUploadItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      GpCheckReport *report = gp_upload_item_get_report (item);

      if (report != NULL)
        {
          g_autoptr(GpCheckReport) evaluated = gp_check_report_evaluate (report, gateway);

          gp_upload_item_set_report (item, evaluated);
        }
    }

  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATEWAY]);
}

/**
 * gp_upload_page_set_cancellable:
 *
 * Gives the page the window's cancellable, which the window cancels when
 * it closes; checks and previews started afterwards use it.
 */
void
gp_upload_page_set_cancellable (GpUploadPage *self,
                                GCancellable *cancellable)
{
  g_return_if_fail (GP_IS_UPLOAD_PAGE (self));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_set_object (&self->cancellable, cancellable);
}

/**
 * gp_upload_page_get_items:
 *
 * Returns: (transfer none): the listed files, a model of #GpUploadItem
 */
GListModel *
gp_upload_page_get_items (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);
  return G_LIST_MODEL (self->items);
}

/**
 * gp_upload_page_find_item:
 * @path: a path as the item holds it
 *
 * Returns: (transfer none) (nullable): the item
 */
GpUploadItem *
gp_upload_page_find_item (GpUploadPage *self,
                          const char   *path)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_hash_table_lookup (self->paths, path);
}

/**
 * gp_upload_page_get_row:
 *
 * Returns: (transfer none) (nullable): the row that shows @item
 */
GtkWidget *
gp_upload_page_get_row (GpUploadPage *self,
                        GpUploadItem *item)
{
  guint position;

  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (item), NULL);

  if (!g_list_store_find (self->items, item, &position))
    return NULL;

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, position));
}

void
gp_upload_page_select_item (GpUploadPage *self,
                            GpUploadItem *item)
{
  GtkWidget *row;

  g_return_if_fail (GP_IS_UPLOAD_PAGE (self));
  g_return_if_fail (GP_IS_UPLOAD_ITEM (item));

  row = gp_upload_page_get_row (self, item);
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
}

/**
 * gp_upload_page_get_selected_item:
 *
 * Returns: (transfer none) (nullable): the previewed item
 */
GpUploadItem *
gp_upload_page_get_selected_item (GpUploadPage *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);

  row = gtk_list_box_get_selected_row (self->list_box);

  return row ? gp_file_row_get_item (GP_FILE_ROW (row)) : NULL;
}

gboolean
gp_upload_page_get_can_upload (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), FALSE);
  return self->can_upload;
}

/* Folder walks and checks still running. */
guint
gp_upload_page_get_n_pending (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), 0);
  return self->n_pending;
}

const char *
gp_upload_page_get_summary (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);
  return self->summary;
}

GpPreview *
gp_upload_page_get_preview (GpUploadPage *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_PAGE (self), NULL);
  return self->preview;
}

/* For tests: the bounds of a folder walk. */
void
gp_upload_page_set_limits (GpUploadPage *self,
                           guint         max_depth,
                           guint         max_files)
{
  g_return_if_fail (GP_IS_UPLOAD_PAGE (self));

  self->max_depth = max_depth;
  self->max_files = max_files;
}

static void
gp_upload_page_dispose (GObject *object)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list_box != NULL)
    g_signal_handlers_disconnect_by_data (self->list_box, self);
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_UPLOAD_PAGE);

  G_OBJECT_CLASS (gp_upload_page_parent_class)->dispose (object);
}

static void
gp_upload_page_finalize (GObject *object)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (object);

  g_clear_object (&self->items);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->paths, g_hash_table_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (gp_upload_page_parent_class)->finalize (object);
}

static void
gp_upload_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_GATEWAY:
      g_value_set_enum (value, self->gateway);
      break;
    case PROP_CAN_UPLOAD:
      g_value_set_boolean (value, self->can_upload);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_upload_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GpUploadPage *self = GP_UPLOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_GATEWAY:
      gp_upload_page_set_gateway (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_upload_page_class_init (GpUploadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_upload_page_dispose;
  object_class->finalize = gp_upload_page_finalize;
  object_class->get_property = gp_upload_page_get_property;
  object_class->set_property = gp_upload_page_set_property;

  /* Whose rules the checks apply; a profile selector drives it. */
  properties[PROP_GATEWAY] =
    g_param_spec_enum ("gateway", NULL, NULL, GP_TYPE_GATEWAY_KIND, GP_GATEWAY_ALIPAY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE when at least one file passed every check. */
  properties[PROP_CAN_UPLOAD] =
    g_param_spec_boolean ("can-upload", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* "3 files ready, 1 refused" */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GpUploadPage::upload-requested:
   * @self: the page
   * @reports: (element-type GpCheckReport): the reports of every file that
   *   passed the checks, in list order
   *
   * The user asked to upload. The page does nothing else: whoever sends the
   * files connects here and reports back through the items' "progress"
   * and "result".
   */
  signals[UPLOAD_REQUESTED] =
    g_signal_new ("upload-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  gtk_widget_class_install_action (widget_class, "upload.add-files", "as", add_files_activated);
  gtk_widget_class_install_action (widget_class, "upload.choose-files", NULL,
                                   choose_files_activated);
  gtk_widget_class_install_action (widget_class, "upload.upload", NULL, upload_activated);
  gtk_widget_class_install_action (widget_class, "upload.remove-file", "s",
                                   remove_file_activated);
  gtk_widget_class_install_action (widget_class, "upload.remove-selected", NULL,
                                   remove_selected_activated);
  gtk_widget_class_install_action (widget_class, "upload.back", NULL, back_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "upload.remove-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "upload.remove-selected", NULL);

  g_type_ensure (GP_TYPE_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-upload-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, pane_separator);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, preview_pane);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, back_bar);
  gtk_widget_class_bind_template_child (widget_class, GpUploadPage, preview);
}

static void
gp_upload_page_init (GpUploadPage *self)
{
  GtkDropTarget *target;

  self->items = g_list_store_new (GP_TYPE_UPLOAD_ITEM);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->gateway = GP_GATEWAY_ALIPAY;
  self->max_depth = GP_UPLOAD_PAGE_MAX_DEPTH;
  self->max_files = GP_UPLOAD_PAGE_MAX_FILES;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Swiping back from the preview skips the separator. */
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->pane_separator),
                                    FALSE);

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->items),
                           create_row_cb, NULL, NULL);
  g_signal_connect (self->list_box, "row-selected", G_CALLBACK (row_selected_cb), self);
  g_signal_connect (self->list_box, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self);
  folded_changed_cb (self);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  update_summary (self);
}
