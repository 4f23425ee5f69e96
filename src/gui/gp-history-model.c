/* gp-history-model.c: the upload history as a lazily paged GListModel
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model first asks the history how many rows the query matches and
 * reports that many items at once. Items are placeholders (no entry) until
 * the page of GP_HISTORY_MODEL_PAGE_SIZE rows around them has been read:
 * get_item() on a placeholder starts that page's read, and when it arrives
 * the page's items get their entries and items-changed covers the page.
 * So a history of any size opens with one count and one page, and a view
 * reads only the pages it shows. A new query or reload cancels every read
 * still under way.
 *
 * Pages after the first are pinned to the ids at or below the first page's
 * newest row, so that uploads recorded meanwhile (by the CLI, say) do not
 * shift the offsets; they appear at the next reload.
 */

#include "config.h"

#include "gp-history-model.h"

/* ------------------------------------------------------------------------ */
/* GpHistoryItem                                                             */

struct _GpHistoryItem
{
  GObject         parent_instance;

  GpHistoryEntry *entry;   /* NULL while the row's page is being read */
};

G_DEFINE_FINAL_TYPE (GpHistoryItem, gp_history_item, G_TYPE_OBJECT)

static void
gp_history_item_finalize (GObject *object)
{
  GpHistoryItem *self = GP_HISTORY_ITEM (object);

  g_clear_pointer (&self->entry, gp_history_entry_unref);

  G_OBJECT_CLASS (gp_history_item_parent_class)->finalize (object);
}

static void
gp_history_item_class_init (GpHistoryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_history_item_finalize;
}

static void
gp_history_item_init (GpHistoryItem *self)
{
}

/**
 * gp_history_item_get_entry:
 *
 * Returns: (transfer none) (nullable): the row, or %NULL for a placeholder
 *   whose page has not arrived yet
 */
GpHistoryEntry *
gp_history_item_get_entry (GpHistoryItem *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_ITEM (self), NULL);

  return self->entry;
}

/* ------------------------------------------------------------------------ */
/* GpHistoryModel                                                            */

typedef enum
{
  PAGE_NONE,
  PAGE_LOADING,
  PAGE_LOADED,
  PAGE_FAILED,
} PageState;

struct _GpHistoryModel
{
  GObject          parent_instance;

  GpHistory       *history;
  GpHistoryQuery  *query;
  GCancellable    *cancellable;   /* this query's reads; replaced on reload */

  guint            n_items;
  GPtrArray       *items;         /* GpHistoryItem or NULL, n_items long */
  GArray          *pages;         /* PageState per page */
  gint64           top_id;        /* newest id of the first page, or 0 */

  GError          *error;
  guint            n_page_loads;
  guint            counting : 1;
};

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_LOADING,
  PROP_ERROR,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void gp_history_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GpHistoryModel, gp_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gp_history_model_list_model_init))

typedef struct
{
  GpHistoryModel *model;
  GCancellable   *cancellable;
  guint           page;
} PageLoad;

static void
page_load_free (PageLoad *load)
{
  g_object_unref (load->model);
  g_object_unref (load->cancellable);
  g_free (load);
}

/* Free function for the sparse item array, whose holes are NULL. */
static void
item_unref (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
set_error (GpHistoryModel *self,
           const GError   *error)
{
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
page_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PageLoad *load = user_data;
  GpHistoryModel *self = load->model;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint start = load->page * GP_HISTORY_MODEL_PAGE_SIZE;
  guint n;

  entries = gp_history_search_finish (GP_HISTORY (object), result, &error);
  if (g_cancellable_is_cancelled (load->cancellable) || load->cancellable != self->cancellable)
    {
      page_load_free (load);
      return;
    }

  if (entries == NULL)
    {
      g_warning ("Could not read page %u of the history: %s", load->page, error->message);
      g_array_index (self->pages, PageState, load->page) = PAGE_FAILED;
      set_error (self, error);
      page_load_free (load);
      return;
    }

  g_array_index (self->pages, PageState, load->page) = PAGE_LOADED;
  if (load->page == 0 && entries->len > 0)
    self->top_id = ((GpHistoryEntry *) g_ptr_array_index (entries, 0))->id;

  n = MIN (GP_HISTORY_MODEL_PAGE_SIZE, self->n_items - start);
  for (guint i = 0; i < entries->len && i < n; i++)
    {
      GpHistoryItem *item = g_ptr_array_index (self->items, start + i);
      GpHistoryEntry *entry = g_ptr_array_index (entries, i);

      if (item == NULL)
        {
          item = g_object_new (GP_TYPE_HISTORY_ITEM, NULL);
          g_ptr_array_index (self->items, start + i) = item;
        }
      g_clear_pointer (&item->entry, gp_history_entry_unref);
      item->entry = gp_history_entry_ref (entry);
    }

  page_load_free (load);
  g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
}

static void
ensure_page (GpHistoryModel *self,
             guint           page)
{
  g_autoptr(GpHistoryQuery) query = NULL;
  PageLoad *load;

  if (self->counting || self->history == NULL ||
      g_array_index (self->pages, PageState, page) != PAGE_NONE)
    return;

  g_array_index (self->pages, PageState, page) = PAGE_LOADING;
  self->n_page_loads++;

  query = gp_history_query_copy (self->query);
  gp_history_query_set_limit (query, GP_HISTORY_MODEL_PAGE_SIZE);
  if (page > 0 && self->top_id > 0)
    gp_history_query_set_before_id (query, self->top_id + 1);
  gp_history_query_set_offset (query, page * GP_HISTORY_MODEL_PAGE_SIZE);

  load = g_new0 (PageLoad, 1);
  load->model = g_object_ref (self);
  load->cancellable = g_object_ref (self->cancellable);
  load->page = page;
  gp_history_search_async (self->history, query, self->cancellable, page_loaded_cb, load);
}

static void
replace_items (GpHistoryModel *self,
               guint           n_items)
{
  guint old = self->n_items;

  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->items, n_items);
  g_array_set_size (self->pages, 0);
  g_array_set_size (self->pages,
                    (n_items + GP_HISTORY_MODEL_PAGE_SIZE - 1) / GP_HISTORY_MODEL_PAGE_SIZE);
  self->n_items = n_items;
  self->top_id = 0;

  if (old != 0 || n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n_items);
  if (old != n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

typedef struct
{
  GpHistoryModel *model;
  GCancellable   *cancellable;
} CountLoad;

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CountLoad *load = user_data;
  g_autoptr(GpHistoryModel) self = load->model;
  g_autoptr(GCancellable) cancellable = load->cancellable;
  g_autoptr(GError) error = NULL;
  gint64 count;

  g_free (load);
  count = gp_history_count_finish (GP_HISTORY (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->cancellable)
    return;

  self->counting = FALSE;
  if (count < 0)
    {
      replace_items (self, 0);
      set_error (self, error);
    }
  else
    {
      replace_items (self, (guint) MIN (count, (gint64) G_MAXUINT));
      /* The first page is always shown; read it now, which also pins the
       * later pages' offsets. */
      if (self->n_items > 0)
        ensure_page (self, 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * gp_history_model_reload:
 *
 * Counts the rows matching the query again and forgets every page read so
 * far; the items already shown stay until the count arrives. Does nothing
 * until a history is set.
 */
void
gp_history_model_reload (GpHistoryModel *self)
{
  CountLoad *load;

  g_return_if_fail (GP_IS_HISTORY_MODEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->history == NULL)
    return;

  if (self->error != NULL)
    set_error (self, NULL);
  self->counting = TRUE;
  load = g_new0 (CountLoad, 1);
  load->model = g_object_ref (self);
  load->cancellable = g_object_ref (self->cancellable);
  gp_history_count_async (self->history, self->query, self->cancellable, counted_cb, load);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static GType
gp_history_model_get_item_type (GListModel *model)
{
  return GP_TYPE_HISTORY_ITEM;
}

static guint
gp_history_model_get_n_items (GListModel *model)
{
  return GP_HISTORY_MODEL (model)->n_items;
}

static gpointer
gp_history_model_get_item (GListModel *model,
                           guint       position)
{
  GpHistoryModel *self = GP_HISTORY_MODEL (model);
  GpHistoryItem *item;

  if (position >= self->n_items)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = g_object_new (GP_TYPE_HISTORY_ITEM, NULL);
      g_ptr_array_index (self->items, position) = item;
    }
  if (item->entry == NULL)
    ensure_page (self, position / GP_HISTORY_MODEL_PAGE_SIZE);

  return g_object_ref (item);
}

static void
gp_history_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gp_history_model_get_item_type;
  iface->get_n_items = gp_history_model_get_n_items;
  iface->get_item = gp_history_model_get_item;
}

GpHistoryModel *
gp_history_model_new (void)
{
  return g_object_new (GP_TYPE_HISTORY_MODEL, NULL);
}

/**
 * gp_history_model_get_history:
 *
 * Returns: (transfer none) (nullable): the history read
 */
GpHistory *
gp_history_model_get_history (GpHistoryModel *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_MODEL (self), NULL);

  return self->history;
}

/**
 * gp_history_model_set_history:
 * @history: (nullable): the history to read
 *
 * Starts reading @history with the current query.
 */
void
gp_history_model_set_history (GpHistoryModel *self,
                              GpHistory      *history)
{
  g_return_if_fail (GP_IS_HISTORY_MODEL (self));
  g_return_if_fail (history == NULL || GP_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;

  if (history == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      self->counting = FALSE;
      replace_items (self, 0);
    }
  else
    gp_history_model_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

/**
 * gp_history_model_get_query:
 *
 * Returns: (transfer none): the query, with no limit or offset
 */
const GpHistoryQuery *
gp_history_model_get_query (GpHistoryModel *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_MODEL (self), NULL);

  return self->query;
}

/**
 * gp_history_model_set_query:
 * @query: what to list; its limit and offset are ignored
 *
 * Replaces the query and reloads.
 */
void
gp_history_model_set_query (GpHistoryModel       *self,
                            const GpHistoryQuery *query)
{
  g_return_if_fail (GP_IS_HISTORY_MODEL (self));
  g_return_if_fail (query != NULL);

  gp_history_query_free (self->query);
  self->query = gp_history_query_copy (query);
  gp_history_query_set_limit (self->query, 0);
  gp_history_query_set_offset (self->query, 0);
  gp_history_query_set_before_id (self->query, 0);
  gp_history_model_reload (self);
}

/* TRUE while the count for a new query or a reload is under way. */
gboolean
gp_history_model_get_loading (GpHistoryModel *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_MODEL (self), FALSE);

  return self->counting;
}

/**
 * gp_history_model_get_error:
 *
 * Returns: (transfer none) (nullable): why the last count or page read
 *   failed, cleared by the next reload
 */
const GError *
gp_history_model_get_error (GpHistoryModel *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_MODEL (self), NULL);

  return self->error;
}

/* How many page reads this model started, over its life. */
guint
gp_history_model_get_n_page_loads (GpHistoryModel *self)
{
  g_return_val_if_fail (GP_IS_HISTORY_MODEL (self), 0);

  return self->n_page_loads;
}

static void
gp_history_model_dispose (GObject *object)
{
  GpHistoryModel *self = GP_HISTORY_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (gp_history_model_parent_class)->dispose (object);
}

static void
gp_history_model_finalize (GObject *object)
{
  GpHistoryModel *self = GP_HISTORY_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->query, gp_history_query_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (gp_history_model_parent_class)->finalize (object);
}

static void
gp_history_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GpHistoryModel *self = GP_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->counting);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_history_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GpHistoryModel *self = GP_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      gp_history_model_set_history (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_history_model_class_init (GpHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_history_model_dispose;
  object_class->finalize = gp_history_model_finalize;
  object_class->get_property = gp_history_model_get_property;
  object_class->set_property = gp_history_model_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, GP_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_history_model_init (GpHistoryModel *self)
{
  self->query = gp_history_query_new ();
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (item_unref);
  self->pages = g_array_new (FALSE, TRUE, sizeof (PageState));
}
