/* gui-first-frame.c: LD_PRELOAD probe for bench/gui-start and bench/gui-history
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wraps gtk_window_present(): after the real call, it waits for the window's
 * first "after-paint" of its frame clock, writes CLOCK_MONOTONIC in
 * nanoseconds to the file named by GP_BENCH_FIRST_FRAME and ends the process
 * at once. The same probe goes into gatepost and into the minimal reference
 * window, so both are timed from exec to the same event.
 *
 * With GP_BENCH_HISTORY=1 (bench/gui-history, gatepost only) the first
 * frame does not end the process: at that after-paint the probe notes the
 * time, activates the window's "win.find" action (Ctrl+F, which shows the
 * History page) and then checks every later after-paint. It ends the
 * process at the first one after which the History page is mapped and
 * either lists rows, with every row on screen showing its entry (no
 * placeholder of a page still being read), or shows its "empty" state. The
 * file then holds three lines: the first frame, the request and that
 * frame (CLOCK_MONOTONIC ns), and a fourth with the page's state and the
 * number of its list's cells on screen. The page is read through the functions the
 * gatepost executable exports (gp_history_page_get_state() and
 * gp_history_item_get_entry()); the cells are the widgets the page tags
 * with "gp-list-item".
 *
 * GP_BENCH_SMAPS=FILE copies /proc/self/smaps to FILE before the process
 * ends, to see where its memory went.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gtk/gtk.h>

static gint64 first_frame_ns;
static gint64 request_ns;
static GtkWidget *presented;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return (gint64) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
finish (gint64      frame_ns,
        const char *state,
        guint       cells)
{
  const char *out = g_getenv ("GP_BENCH_FIRST_FRAME");
  const char *smaps = g_getenv ("GP_BENCH_SMAPS");
  FILE *f;
  char *contents = NULL;
  gsize length;

  if (out != NULL && (f = fopen (out, "w")) != NULL)
    {
      if (state == NULL)
        fprintf (f, "%" G_GINT64_FORMAT "\n", frame_ns);
      else
        fprintf (f, "%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s %u\n",
                 first_frame_ns, request_ns, frame_ns, state, cells);
      fclose (f);
    }
  if (smaps != NULL && g_file_get_contents ("/proc/self/smaps", &contents, &length, NULL))
    g_file_set_contents (smaps, contents, length, NULL);
  _exit (0);
}

static gpointer
need_symbol (const char *name)
{
  gpointer sym = dlsym (RTLD_DEFAULT, name);

  if (sym == NULL)
    {
      fprintf (stderr, "gui-first-frame: %s is not exported by the application\n", name);
      _exit (3);
    }

  return sym;
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_type (c, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Counts the mapped rows' cells, and those whose row has no entry yet. */
static void
count_cells (GtkWidget *widget,
             gpointer (*get_entry) (gpointer),
             guint     *cells,
             guint     *placeholders)
{
  GtkListItem *list_item;

  if (!gtk_widget_get_mapped (widget))
    return;
  list_item = g_object_get_data (G_OBJECT (widget), "gp-list-item");
  if (list_item != NULL)
    {
      gpointer item = gtk_list_item_get_item (list_item);

      (*cells)++;
      if (item == NULL || get_entry (item) == NULL)
        (*placeholders)++;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    count_cells (c, get_entry, cells, placeholders);
}

static void
history_after_paint_cb (GdkFrameClock *clock,
                        gpointer       user_data)
{
  static const char *(*get_state) (gpointer);
  static gpointer (*get_entry) (gpointer);
  static GtkWidget *(*get_column_view) (gpointer);
  gint64 t = now_ns ();
  GType page_type = g_type_from_name ("GpHistoryPage");
  GtkWidget *page;
  const char *state;
  guint cells = 0, placeholders = 0;

  if (request_ns == 0)
    {
      /* The window's first frame: now the user could ask for the History. */
      first_frame_ns = t;
      get_state = need_symbol ("gp_history_page_get_state");
      get_entry = need_symbol ("gp_history_item_get_entry");
      get_column_view = need_symbol ("gp_history_page_get_column_view");
      request_ns = now_ns ();
      if (!gtk_widget_activate_action (presented, "win.find", NULL))
        {
          fprintf (stderr, "gui-first-frame: the window has no win.find action\n");
          _exit (3);
        }
      return;
    }

  page = page_type != 0 ? find_by_type (presented, page_type) : NULL;
  if (page == NULL || !gtk_widget_get_mapped (page))
    return;
  state = get_state (page);
  if (g_strcmp0 (state, "empty") == 0)
    finish (t, state, 0);
  if (g_strcmp0 (state, "error") == 0 || g_strcmp0 (state, "no-results") == 0)
    {
      fprintf (stderr, "gui-first-frame: the History page shows “%s”\n", state);
      _exit (4);
    }
  if (g_strcmp0 (state, "list") != 0)
    return;
  count_cells (GTK_WIDGET (get_column_view (page)), get_entry, &cells, &placeholders);
  if (cells > 0 && placeholders == 0)
    finish (t, state, cells);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  finish (now_ns (), NULL, 0);
}

void
gtk_window_present (GtkWindow *window)
{
  void (*real) (GtkWindow *) = (void (*) (GtkWindow *)) dlsym (RTLD_NEXT, "gtk_window_present");
  gboolean history = g_strcmp0 (g_getenv ("GP_BENCH_HISTORY"), "1") == 0;
  GdkFrameClock *clock;

  real (window);
  if (presented != NULL)
    return;
  presented = GTK_WIDGET (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      fprintf (stderr, "gui-first-frame: the presented window has no frame clock\n");
      _exit (3);
    }
  g_signal_connect (clock, "after-paint",
                    history ? G_CALLBACK (history_after_paint_cb) : G_CALLBACK (after_paint_cb),
                    NULL);
}
