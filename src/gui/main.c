/* main.c: entry point of the Gatepost desktop application
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "gp-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GpApplication) app = NULL;
  const char *localedir;

  /* GATEPOST_LOCALEDIR lets build-aux/screenshots.sh show the build tree's
   * translations without installing them. */
  localedir = g_getenv ("GATEPOST_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
