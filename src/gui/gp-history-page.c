/* gp-history-page.c: the "History" page: every upload, searchable
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search entry and filter drop-downs build one GpHistoryQuery; a
 * GpHistoryModel lists its rows, newest first, a page at a time, in a
 * GtkColumnView; the selected row's every field shows in a pane beside it.
 * The page itself only renders: search, count, paging and export are the
 * history's own jobs.
 */

#include "config.h"

#include "gp-history-page.h"

#include <glib/gi18n.h>

#include "gp-check-text.h"

typedef enum
{
  COLUMN_TIME,
  COLUMN_FILE,
  COLUMN_PROFILE,
  COLUMN_STATUS,
  COLUMN_MEDIA_ID,
} Column;

struct _GpHistoryPage
{
  AdwBin              parent_instance;

  GCancellable       *cancellable;
  GpHistory          *history;
  GpHistoryModel     *model;
  GtkSingleSelection *selection;
  GError             *open_error;
  GtkNativeDialog    *chooser;
  GtkWidget          *row_popover;
  GStrv               profiles;
  gboolean            disposed;
  gboolean            open_started;
  gboolean            list_attached;

  AdwToastOverlay    *toast_overlay;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *profile_dropdown;
  GtkDropDown        *gateway_dropdown;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *time_dropdown;
  GtkMenuButton      *export_button;
  GtkStack           *content_stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  GtkStack           *details_stack;
  GtkLabel           *details_title;
  GtkGrid            *details_grid;
  AdwStatusPage      *error_status;
  GMenuModel         *row_menu;
};

G_DEFINE_FINAL_TYPE (GpHistoryPage, gp_history_page, ADW_TYPE_BIN)

/* Positions of the status drop-down, after "Any status". */
static const GpHistoryStatus status_positions[] = {
  GP_HISTORY_STATUS_SUCCEEDED,
  GP_HISTORY_STATUS_FAILED,
  GP_HISTORY_STATUS_INTERRUPTED,
  GP_HISTORY_STATUS_PENDING,
};

static void
toast (GpHistoryPage *self,
       const char    *title)
{
  AdwToast *t = adw_toast_new (title);

  adw_toast_set_timeout (t, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static const char *
status_text (GpHistoryStatus status)
{
  switch (status)
    {
    case GP_HISTORY_STATUS_PENDING:
      return _("Pending");
    case GP_HISTORY_STATUS_SUCCEEDED:
      return _("Succeeded");
    case GP_HISTORY_STATUS_FAILED:
      return _("Failed");
    case GP_HISTORY_STATUS_INTERRUPTED:
      return _("Interrupted");
    default:
      g_return_val_if_reached ("");
    }
}

static const char *
status_css (GpHistoryStatus status)
{
  switch (status)
    {
    case GP_HISTORY_STATUS_SUCCEEDED:
      return "success";
    case GP_HISTORY_STATUS_FAILED:
      return "error";
    case GP_HISTORY_STATUS_INTERRUPTED:
      return "warning";
    case GP_HISTORY_STATUS_PENDING:
    default:
      return "accent";
    }
}

static const char *
gateway_text (const char *id)
{
  GpGatewayKind kind = gp_gateway_kind_from_string (id);

  return kind == GP_GATEWAY_INVALID ? id : gp_check_text_gateway_name (kind);
}

static char *
dup_local_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  /* TRANSLATORS: the upload time in the list, a g_date_time_format() pattern */
  return dt != NULL ? g_date_time_format (dt, _("%Y-%m-%d %H:%M")) : g_strdup ("");
}

/* ------------------------------------------------------------------------ */
/* Query and state                                                          */

static gboolean
filters_active (GpHistoryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  return *stripped != '\0' ||
         gtk_drop_down_get_selected (self->profile_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->gateway_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->status_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->time_dropdown) > 0;
}

static gint64
since_for_position (guint position)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;

  switch (position)
    {
    case 1:
      midnight = g_date_time_new_local (g_date_time_get_year (now),
                                        g_date_time_get_month (now),
                                        g_date_time_get_day_of_month (now), 0, 0, 0);
      return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
    case 2:
      return g_get_real_time () - 7 * G_TIME_SPAN_DAY;
    case 3:
      return g_get_real_time () - 30 * G_TIME_SPAN_DAY;
    default:
      return G_MININT64;
    }
}

static GpHistoryQuery *
build_query (GpHistoryPage *self)
{
  GpHistoryQuery *query = gp_history_query_new ();
  guint profile = gtk_drop_down_get_selected (self->profile_dropdown);
  guint gateway = gtk_drop_down_get_selected (self->gateway_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint time = gtk_drop_down_get_selected (self->time_dropdown);

  gp_history_query_set_text (query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (profile > 0 && profile != GTK_INVALID_LIST_POSITION && self->profiles != NULL &&
      profile <= g_strv_length (self->profiles))
    gp_history_query_set_profile (query, self->profiles[profile - 1]);
  if (gateway > 0 && gateway != GTK_INVALID_LIST_POSITION && gateway <= GP_N_GATEWAYS)
    gp_history_query_set_gateway (query, (GpGatewayKind) (gateway - 1));
  if (status > 0 && status <= G_N_ELEMENTS (status_positions))
    gp_history_query_set_status (query, status_positions[status - 1]);
  if (time > 0 && time != GTK_INVALID_LIST_POSITION)
    gp_history_query_set_time_range (query, since_for_position (time), G_MAXINT64);

  return query;
}

static void
update_state (GpHistoryPage *self)
{
  const GError *error;
  guint n;
  const char *name;

  if (self->disposed)
    return;

  error = gp_history_model_get_error (self->model);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  if (self->open_error != NULL || error != NULL)
    {
      adw_status_page_set_description (self->error_status, self->open_error != NULL
                                                           ? self->open_error->message
                                                           : error->message);
      name = "error";
    }
  else if (self->history == NULL)
    name = "loading";
  else if (n > 0)
    name = "list";
  else if (gp_history_model_get_loading (self->model))
    name = g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") == 0
           ? "loading" : gtk_stack_get_visible_child_name (self->content_stack);
  else if (filters_active (self))
    name = "no-results";
  else
    name = "empty";

  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (name, "loading") == 0);
  gtk_stack_set_visible_child_name (self->content_stack, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export",
                                 self->history != NULL && n > 0);
}

static void
filters_changed_cb (GpHistoryPage *self)
{
  g_autoptr(GpHistoryQuery) query = NULL;

  /* Drop-downs notify while the template is torn down. */
  if (self->disposed)
    return;

  query = build_query (self);
  gp_history_model_set_query (self->model, query);
}

/* ------------------------------------------------------------------------ */
/* The details pane                                                         */

static void
add_detail (GpHistoryPage *self,
            int           *row,
            const char    *key,
            const char    *value,
            gboolean       monospace)
{
  GtkWidget *k;
  GtkWidget *v;

  if (value == NULL || *value == '\0')
    return;

  k = gtk_label_new (key);
  gtk_label_set_xalign (GTK_LABEL (k), 1);
  gtk_label_set_yalign (GTK_LABEL (k), 0);
  gtk_widget_add_css_class (k, "dim-label");

  v = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  if (monospace)
    gtk_widget_add_css_class (v, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (v),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, k, NULL,
                                  -1);

  gtk_grid_attach (self->details_grid, k, 0, *row, 1, 1);
  gtk_grid_attach (self->details_grid, v, 1, *row, 1, 1);
  (*row)++;
}

static void
show_details (GpHistoryPage  *self,
              GpHistoryEntry *e)
{
  g_autofree char *time = NULL;
  g_autofree char *size = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *id = NULL;
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_grid))) != NULL)
    gtk_grid_remove (self->details_grid, child);

  if (e == NULL)
    {
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      return;
    }

  time = dup_local_time (e->time_us);
  size = g_format_size (e->size);
  attempts = g_strdup_printf ("%u", e->attempts);
  if (e->duration_ms >= 0)
    /* TRANSLATORS: an upload's duration in seconds */
    duration = g_strdup_printf (_("%.1f s"), e->duration_ms / 1000.0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);

  gtk_label_set_text (self->details_title, e->filename);
  add_detail (self, &row, _("Status"), status_text (e->status), FALSE);
  add_detail (self, &row, _("Media ID"), e->media_id, TRUE);
  add_detail (self, &row, _("Media URL"), e->media_url, TRUE);
  add_detail (self, &row, _("Stage"), e->stage, FALSE);
  add_detail (self, &row, _("Code"), e->code, TRUE);
  add_detail (self, &row, _("Message"), e->message, FALSE);
  add_detail (self, &row, _("Time"), time, FALSE);
  add_detail (self, &row, _("Profile"), e->profile, FALSE);
  add_detail (self, &row, _("Gateway"), gateway_text (e->gateway), FALSE);
  add_detail (self, &row, _("Account"), e->account, TRUE);
  add_detail (self, &row, _("Attempts"), attempts, FALSE);
  add_detail (self, &row, _("Duration"), duration, FALSE);
  add_detail (self, &row, _("Size"), size, FALSE);
  add_detail (self, &row, _("Format"), e->format, FALSE);
  add_detail (self, &row, _("SHA-256"), e->sha256, TRUE);
  add_detail (self, &row, _("Path"), e->path, FALSE);
  add_detail (self, &row, _("History ID"), id, FALSE);
  gtk_stack_set_visible_child_name (self->details_stack, "entry");
}

/**
 * gp_history_page_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected row, if its page has
 *   arrived
 */
GpHistoryEntry *
gp_history_page_get_selected (GpHistoryPage *self)
{
  GpHistoryItem *item;

  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? gp_history_item_get_entry (item) : NULL;
}

static void
selection_changed_cb (GpHistoryPage *self)
{
  GpHistoryEntry *e = gp_history_page_get_selected (self);
  GtkWidget *widget = GTK_WIDGET (self);

  show_details (self, e);
  gtk_widget_action_set_enabled (widget, "history.copy-media-id",
                                 e != NULL && e->media_id != NULL);
  gtk_widget_action_set_enabled (widget, "history.copy-media-url",
                                 e != NULL && e->media_url != NULL);
  gtk_widget_action_set_enabled (widget, "history.open-location", e != NULL);
  gtk_widget_action_set_enabled (widget, "history.upload-again", e != NULL);
}

static void
model_items_changed_cb (GpHistoryPage *self,
                        guint          position,
                        guint          removed,
                        guint          added)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  /* A page that arrives under the selection fills its placeholder. */
  if (selected != GTK_INVALID_LIST_POSITION && selected >= position && selected < position + added)
    selection_changed_cb (self);
  update_state (self);
}

/* ------------------------------------------------------------------------ */
/* Columns                                                                  */

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkWidget       *cell)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (gtk_widget_get_ancestor (cell, GP_TYPE_HISTORY_PAGE));
  GtkListItem *list_item = g_object_get_data (G_OBJECT (cell), "gp-list-item");
  double vx, vy;

  if (self == NULL || list_item == NULL ||
      gtk_list_item_get_position (list_item) == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));
  if (!gtk_widget_translate_coordinates (cell, GTK_WIDGET (self->column_view), x, y, &vx, &vy))
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover),
                               &(GdkRectangle) { (int) vx, (int) vy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static GtkWidget *
new_cell_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A cell's tooltip (the file's path, a failure's message) is looked up
 * when the pointer rests on it, not set at every bind: in GTK 4.8,
 * gtk_widget_set_tooltip_text() on a visible widget queries the pointer
 * (two synchronous round trips to the X server), and a list binds a few
 * hundred cells when a count arrives, even on a page not shown. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkListItem *list_item = g_object_get_data (G_OBJECT (cell), "gp-list-item");
  GpHistoryItem *item = list_item != NULL ? gtk_list_item_get_item (list_item) : NULL;
  GpHistoryEntry *e = item != NULL ? gp_history_item_get_entry (item) : NULL;
  const char *text;

  if (e == NULL)
    return FALSE;
  text = column == COLUMN_FILE ? e->path : e->message;
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkWidget *cell;

  switch (column)
    {
    case COLUMN_PROFILE:
      cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_valign (cell, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (cell), new_cell_label (NULL));
      gtk_box_append (GTK_BOX (cell), new_cell_label ("caption"));
      gtk_widget_add_css_class (gtk_widget_get_last_child (cell), "dim-label");
      break;

    case COLUMN_STATUS:
      cell = new_cell_label ("gp-status-badge");
      gtk_widget_set_halign (cell, GTK_ALIGN_START);
      gtk_widget_set_valign (cell, GTK_ALIGN_CENTER);
      gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_NONE);
      break;

    case COLUMN_MEDIA_ID:
      cell = new_cell_label ("monospace");
      break;

    case COLUMN_TIME:
      cell = new_cell_label ("numeric");
      gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_NONE);
      break;

    case COLUMN_FILE:
    default:
      cell = new_cell_label (NULL);
      break;
    }

  g_object_set_data (G_OBJECT (cell), "gp-list-item", list_item);
  if (column == COLUMN_FILE || column == COLUMN_STATUS)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb),
                        GINT_TO_POINTER (column));
    }
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), cell);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (list_item, cell);
}

static void
set_status_badge (GtkWidget      *label,
                  GpHistoryEntry *e)
{
  static const char * const classes[] = { "success", "error", "warning", "accent" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  if (e == NULL)
    {
      gtk_label_set_text (GTK_LABEL (label), "");
      gtk_widget_set_visible (label, FALSE);
      return;
    }
  gtk_label_set_text (GTK_LABEL (label), status_text (e->status));
  gtk_widget_add_css_class (label, status_css (e->status));
  gtk_widget_set_visible (label, TRUE);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GpHistoryItem *item = gtk_list_item_get_item (list_item);
  GpHistoryEntry *e = item != NULL ? gp_history_item_get_entry (item) : NULL;
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  g_autofree char *time = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      time = e != NULL ? dup_local_time (e->time_us) : NULL;
      gtk_label_set_text (GTK_LABEL (cell), time != NULL ? time : "");
      break;

    case COLUMN_FILE:
      /* The placeholder of a row whose page is still being read. */
      gtk_label_set_text (GTK_LABEL (cell), e != NULL ? e->filename : "…");
      break;

    case COLUMN_PROFILE:
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (cell)),
                          e != NULL ? e->profile : "");
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (cell)),
                          e != NULL ? gateway_text (e->gateway) : "");
      break;

    case COLUMN_STATUS:
      set_status_badge (cell, e);
      break;

    case COLUMN_MEDIA_ID:
      gtk_label_set_text (GTK_LABEL (cell),
                          e != NULL && e->media_id != NULL ? e->media_id
                          : e != NULL && e->code != NULL ? e->code : "");
      gtk_widget_set_opacity (cell, e != NULL && e->media_id == NULL ? 0.55 : 1.0);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
add_column (GpHistoryPage *self,
            Column         column,
            const char    *title,
            gboolean       expand,
            int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (col);
}

static void
setup_columns (GpHistoryPage *self)
{
  add_column (self, COLUMN_TIME, _("Time"), FALSE, -1);
  add_column (self, COLUMN_FILE, _("File"), TRUE, -1);
  add_column (self, COLUMN_PROFILE, _("Profile"), FALSE, 170);
  add_column (self, COLUMN_STATUS, _("Status"), FALSE, -1);
  add_column (self, COLUMN_MEDIA_ID, _("Media ID"), TRUE, -1);
}

/* ------------------------------------------------------------------------ */
/* Row actions                                                              */

static void
copy_media_id_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);
  GpHistoryEntry *e = gp_history_page_get_selected (self);

  if (e == NULL || e->media_id == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), e->media_id);
  toast (self, _("Media ID copied"));
}

static void
copy_media_url_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);
  GpHistoryEntry *e = gp_history_page_get_selected (self);

  if (e == NULL || e->media_url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), e->media_url);
  toast (self, _("Media URL copied"));
}

typedef struct
{
  GpHistoryPage *page;
  char          *folder_uri;
} ShowItem;

static void
show_item_free (ShowItem *show)
{
  g_object_unref (show->page);
  g_free (show->folder_uri);
  g_free (show);
}

static void
folder_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GpHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("Could not open the folder: %s"),
                                                error->message);

      toast (self, title);
    }
}

static void
open_folder (GpHistoryPage *self,
             const char    *folder_uri)
{
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));

  g_app_info_launch_default_for_uri_async (folder_uri, G_APP_LAUNCH_CONTEXT (context),
                                           self->cancellable, folder_opened_cb,
                                           g_object_ref (self));
}

static void
items_shown_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ShowItem *show = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* No file manager offers the interface: open the folder instead. */
      g_debug ("FileManager1.ShowItems failed: %s", error->message);
      open_folder (show->page, show->folder_uri);
    }
  show_item_free (show);
}

static void
open_location_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);
  GpHistoryEntry *e = gp_history_page_get_selected (self);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  GDBusConnection *bus;
  ShowItem *show;
  const char *uris[2] = { NULL, NULL };
  g_autofree char *uri = NULL;

  if (e == NULL)
    return;

  file = g_file_new_for_path (e->path);
  folder = g_file_get_parent (file);
  if (folder == NULL || !g_file_query_exists (folder, NULL))
    {
      toast (self, _("The folder of this file no longer exists"));
      return;
    }

  show = g_new0 (ShowItem, 1);
  show->page = g_object_ref (self);
  show->folder_uri = g_file_get_uri (folder);
  bus = g_application_get_dbus_connection (g_application_get_default ()
                                           ? g_application_get_default () : NULL);
  if (bus == NULL || !g_file_query_exists (file, NULL))
    {
      open_folder (self, show->folder_uri);
      show_item_free (show);
      return;
    }

  uri = g_file_get_uri (file);
  uris[0] = uri;
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, self->cancellable, items_shown_cb, show);
}

static void
upload_again_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);
  GpHistoryEntry *e = gp_history_page_get_selected (self);
  GtkWidget *stack = gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_STACK);
  GtkWidget *upload = NULL;
  const char *paths[2] = { NULL, NULL };

  if (e == NULL)
    return;
  if (stack != NULL)
    upload = adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), "upload");
  if (upload == NULL)
    {
      toast (self, _("There is no upload page to add the file to"));
      return;
    }

  paths[0] = e->path;
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "upload");
  gtk_widget_activate_action (upload, "upload.add-files", "^as", paths);
}

static void
clear_filters_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);

  gtk_drop_down_set_selected (self->profile_dropdown, 0);
  gtk_drop_down_set_selected (self->gateway_dropdown, 0);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->time_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  filters_changed_cb (self);
}

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gp_history_page_reload (GP_HISTORY_PAGE (widget));
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gp_history_page_focus_search (GP_HISTORY_PAGE (widget));
}

/* ------------------------------------------------------------------------ */
/* Export                                                                   */

typedef struct
{
  GpHistoryQuery        *query;
  GpHistoryExportFormat  format;
  GOutputStream         *stream;
} ExportData;

static void
export_data_free (ExportData *data)
{
  gp_history_query_free (data->query);
  g_clear_object (&data->stream);
  g_free (data);
}

static void
export_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!gp_history_export_finish (GP_HISTORY (object), result, &error))
    {
      g_autoptr(GCancellable) discard = g_cancellable_new ();

      /* Closing a replaced file with a cancelled cancellable drops the
       * partial copy and keeps any earlier file. */
      g_cancellable_cancel (discard);
      g_output_stream_close (data->stream, discard, NULL);
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_output_stream_close_async (data->stream, G_PRIORITY_DEFAULT, cancellable,
                               export_closed_cb, g_steal_pointer (&task));
}

static void
export_file_replaced_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GpHistoryPage *self = g_task_get_source_object (task);
  ExportData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  data->stream = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (object), result, &error));
  if (data->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->history == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The history is not open yet"));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  gp_history_export_async (self->history, data->query, data->format, data->stream,
                           cancellable, exported_cb, g_steal_pointer (&task));
}

/**
 * gp_history_page_export_async:
 * @file: where to write; replaced only once the export succeeded
 * @format: CSV (with a UTF-8 byte order mark, for spreadsheets) or JSON
 *
 * Writes every row of the current search and filters, newest first.
 */
void
gp_history_page_export_async (GpHistoryPage         *self,
                              GFile                 *file,
                              GpHistoryExportFormat  format,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (GP_IS_HISTORY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_history_page_export_async);
  data = g_new0 (ExportData, 1);
  data->query = gp_history_query_copy (gp_history_model_get_query (self->model));
  data->format = format;
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);

  g_file_replace_async (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, cancellable, export_file_replaced_cb,
                        g_steal_pointer (&task));
}

gboolean
gp_history_page_export_finish (GpHistoryPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_history_page_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  if (!gp_history_page_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not export the history: %s"), error->message);
    }
  else
    title = g_strdup_printf (_("Exported the history to “%s”"), name);
  toast (self, title);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GpHistoryPage   *self)
{
  GpHistoryExportFormat format =
    GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "gp-format"));
  GFile *file;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    gp_history_page_export_async (self, file, format, self->cancellable, export_done_cb, file);

  g_clear_object (&self->chooser);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the History"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, json ? _("JSON") : _("CSV (spreadsheet)"));
  gtk_file_filter_add_suffix (filter, json ? "json" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* TRANSLATORS: the suggested name of an exported history; keep the
   * extension */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     json ? _("gatepost-history.json")
                                          : _("gatepost-history.csv"));
  g_object_set_data (G_OBJECT (chooser), "gp-format",
                     GINT_TO_POINTER (json ? GP_HISTORY_EXPORT_JSON : GP_HISTORY_EXPORT_CSV));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

GpHistoryPage *
gp_history_page_new (void)
{
  return g_object_new (GP_TYPE_HISTORY_PAGE, NULL);
}

/**
 * gp_history_page_get_history:
 *
 * Returns: (transfer none) (nullable): the history shown, %NULL until open
 */
GpHistory *
gp_history_page_get_history (GpHistoryPage *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  return self->history;
}

/**
 * gp_history_page_set_history:
 * @history: an open history to share
 *
 * Shows @history instead of opening the default file (an open still under
 * way is cancelled).
 */
void
gp_history_page_set_history (GpHistoryPage *self,
                             GpHistory     *history)
{
  g_return_if_fail (GP_IS_HISTORY_PAGE (self));
  g_return_if_fail (GP_IS_HISTORY (history));

  /* Cancels the default open, and any read of an earlier history. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_error (&self->open_error);
  g_set_object (&self->history, history);
  gp_history_model_set_history (self->model, history);
  update_state (self);
}

static void
history_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GpHistoryPage) self = user_data;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  history = gp_history_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->history != NULL)
    return;

  if (history == NULL)
    {
      g_propagate_error (&self->open_error, g_steal_pointer (&error));
      update_state (self);
      return;
    }
  gp_history_page_set_history (self, history);
}

/**
 * gp_history_page_set_profiles:
 * @names: (nullable) (array zero-terminated=1): profile names to offer in
 *   the profile filter; %NULL or empty hides it
 */
void
gp_history_page_set_profiles (GpHistoryPage      *self,
                              const char * const *names)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  g_return_if_fail (GP_IS_HISTORY_PAGE (self));

  g_strfreev (self->profiles);
  self->profiles = g_strdupv ((char **) names);
  gtk_string_list_append (list, _("Any profile"));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    gtk_string_list_append (list, names[i]);
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->profile_dropdown, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_dropdown), names != NULL && names[0] != NULL);
}

/**
 * gp_history_page_reload:
 *
 * Reads the history again with the current search and filters, e.g. after
 * uploads.
 */
void
gp_history_page_reload (GpHistoryPage *self)
{
  g_return_if_fail (GP_IS_HISTORY_PAGE (self));

  gp_history_model_reload (self->model);
}

void
gp_history_page_focus_search (GpHistoryPage *self)
{
  g_return_if_fail (GP_IS_HISTORY_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * gp_history_page_get_model:
 *
 * Returns: (transfer none): the rows shown
 */
GpHistoryModel *
gp_history_page_get_model (GpHistoryPage *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  return self->model;
}

/**
 * gp_history_page_get_column_view:
 *
 * Returns: (transfer none): the list
 */
GtkColumnView *
gp_history_page_get_column_view (GpHistoryPage *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  return self->column_view;
}

/**
 * gp_history_page_get_search_entry:
 *
 * Returns: (transfer none): the search entry
 */
GtkSearchEntry *
gp_history_page_get_search_entry (GpHistoryPage *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  return self->search_entry;
}

void
gp_history_page_select (GpHistoryPage *self,
                        guint          position)
{
  g_return_if_fail (GP_IS_HISTORY_PAGE (self));

  gtk_single_selection_set_selected (self->selection, position);
}

/* What the page shows: "loading", "list", "empty", "no-results" or "error". */
const char *
gp_history_page_get_state (GpHistoryPage *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
gp_history_page_dispose (GObject *object)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->row_popover != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->row_popover),
                                    (gpointer *) &self->row_popover);
      g_clear_pointer (&self->row_popover, gtk_widget_unparent);
    }
  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      g_signal_handlers_disconnect_by_data (self->selection, self);
      gp_history_model_set_history (self->model, NULL);
    }
  self->disposed = TRUE;
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_HISTORY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (gp_history_page_parent_class)->dispose (object);
}

static void
gp_history_page_finalize (GObject *object)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->profiles, g_strfreev);

  G_OBJECT_CLASS (gp_history_page_parent_class)->finalize (object);
}

/* The default history is opened when the page is first shown, not when
 * it is built (and the list is attached to its rows then): a window that shares its own GpHistory through
 * gp_history_page_set_history() before then never opens a second one. */
static void
gp_history_page_map (GtkWidget *widget)
{
  GpHistoryPage *self = GP_HISTORY_PAGE (widget);

  /* The list gets its rows when the page is first shown. A column view
   * that has never been allocated (a page the window has not shown yet)
   * builds and binds a couple of hundred rows when the count arrives, and
   * asks for their pages: work and memory for rows nobody sees, on the
   * main thread while the window starts. The model itself counts and
   * reads the first page meanwhile, so the rows are ready when shown. */
  if (!self->list_attached)
    {
      self->list_attached = TRUE;
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
    }

  GTK_WIDGET_CLASS (gp_history_page_parent_class)->map (widget);

  if (self->history == NULL && !self->open_started)
    {
      g_autofree char *path = gp_history_dup_default_path ();

      self->open_started = TRUE;
      gp_history_open_async (path, GP_HISTORY_OPEN_NONE, self->cancellable, history_opened_cb,
                             g_object_ref (self));
    }
}

static void
gp_history_page_class_init (GpHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_history_page_dispose;
  object_class->finalize = gp_history_page_finalize;
  widget_class->map = gp_history_page_map;

  gtk_widget_class_install_action (widget_class, "history.copy-media-id", NULL,
                                   copy_media_id_activated);
  gtk_widget_class_install_action (widget_class, "history.copy-media-url", NULL,
                                   copy_media_url_activated);
  gtk_widget_class_install_action (widget_class, "history.open-location", NULL,
                                   open_location_activated);
  gtk_widget_class_install_action (widget_class, "history.upload-again", NULL,
                                   upload_again_activated);
  gtk_widget_class_install_action (widget_class, "history.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "history.clear-filters", NULL,
                                   clear_filters_activated);
  gtk_widget_class_install_action (widget_class, "history.reload", NULL, reload_activated);
  gtk_widget_class_install_action (widget_class, "history.focus-search", NULL,
                                   focus_search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "history.copy-media-id", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "history.focus-search", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepost/Gatepost/gp-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, gateway_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, time_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, details_stack);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, details_title);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, GpHistoryPage, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
}

static void
setup_gateway_filter (GpHistoryPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("Any gateway"));
  /* Positions after the first follow GpGatewayKind. */
  for (GpGatewayKind kind = 0; kind < GP_N_GATEWAYS; kind++)
    gtk_string_list_append (names, gp_check_text_gateway_name (kind));
  gtk_drop_down_set_model (self->gateway_dropdown, G_LIST_MODEL (names));
}

static void
gp_history_page_init (GpHistoryPage *self)
{


  self->cancellable = g_cancellable_new ();
  self->model = gp_history_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_add_css_class (GTK_WIDGET (self), "gp-history-page");
  setup_columns (self);
  setup_gateway_filter (self);
  gp_history_page_set_profiles (self, NULL);

  self->row_popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_popover), FALSE);
  gtk_widget_set_halign (self->row_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_popover, GTK_WIDGET (self->column_view));
  /* The column view may drop it first when the page is torn down. */
  g_object_add_weak_pointer (G_OBJECT (self->row_popover), (gpointer *) &self->row_popover);

  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  selection_changed_cb (self);
  update_state (self);
}
