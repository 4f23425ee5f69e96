/* gui-first-frame.c: LD_PRELOAD probe for bench/gui-start
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wraps gtk_window_present(): after the real call, it waits for the window's
 * first "after-paint" of its frame clock, writes CLOCK_MONOTONIC in
 * nanoseconds to the file named by GP_BENCH_FIRST_FRAME and ends the process
 * at once. The same probe goes into gatepost and into the minimal reference
 * window, so both are timed from exec to the same event.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <gtk/gtk.h>


static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  const char *out = g_getenv ("GP_BENCH_FIRST_FRAME");
  struct timespec ts;
  FILE *f;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  if (out != NULL && (f = fopen (out, "w")) != NULL)
    {
      fprintf (f, "%lld\n", (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec);
      fclose (f);
    }
  _exit (0);
}

void
gtk_window_present (GtkWindow *window)
{
  void (*real) (GtkWindow *) = (void (*) (GtkWindow *)) dlsym (RTLD_NEXT, "gtk_window_present");
  GdkFrameClock *clock;

  real (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      fprintf (stderr, "gui-first-frame: the presented window has no frame clock\n");
      _exit (3);
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}
