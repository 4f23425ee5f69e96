/* gp-sim-main.c: gatepost-sim, the strict local simulator of the four upload APIs
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "gp-sim-fixtures.h"
#include "gp-sim-server.h"

static const char description[] =
  "Listens on 127.0.0.1 with HTTPS and answers like the vendors' servers:\n"
  "  main port: Alipay POST /gateway.do, WeChat Pay v3\n"
  "             POST /v3/merchant-service/images/upload, WeChat Pay Global\n"
  "             POST /v3/global/merchant-storage/file/upload, control /_sim/…\n"
  "  v2 port:   WeChat Pay v2 POST /secapi/mch/uploadmedia; asks for a TLS\n"
  "             client certificate issued by the simulator's CA\n"
  "When ready it prints exactly one line on stdout and flushes:\n"
  "  READY <base_url> <v2_base_url>\n"
  "and stops cleanly on SIGTERM or SIGINT.\n"
  "\n"
  "Fixture directory (made on first start, or by --generate; 0700, keys 0600):\n"
  "  sim.json                       app_id, mch_ids, serial_no, PUB_KEY_ID, platform serial\n"
  "  ca.pem ca-key.pem              the CA every certificate chains to\n"
  "  server.pem server-key.pem      TLS server certificate (SAN localhost, 127.0.0.1)\n"
  "  alipay/app-{private,public}-key.pem, alipay/alipay-{private,public}-key.pem\n"
  "  wechatpay-v2/apiclient_cert.pem apiclient_key.pem apiclient_cert.p12 (password =\n"
  "               mch_id) api-key.txt\n"
  "  wechatpay/apiclient_cert.pem apiclient_key.pem (merchant API certificate, v3 and\n"
  "            Global), pub_key.pem (+ pub-key-private.pem), platform-cert.pem\n"
  "            (+ platform-key.pem)\n"
  "  profiles/sim-alipay.json sim-wechatpay-v2.json (MD5, PEM pair)\n"
  "           sim-wechatpay-v2-hmac.json (HMAC-SHA256, PKCS#12)\n"
  "           sim-wechatpay-v3.json sim-wechatpay-global.json (public-key mode)\n"
  "           sim-wechatpay-v3-cert.json sim-wechatpay-global-cert.json (certificate mode)\n"
  "  The profiles are rewritten with the actual ports on every start and can be\n"
  "  imported as they are: gatepost-cli profile import DIR/profiles/sim-alipay.json\n"
  "\n"
  "Faults (--fault MODE[=SECONDS][:COUNT][@GATEWAY], repeatable; COUNT = the next N\n"
  "matching requests, default all; faults only hit requests that pass every check):\n"
  "  bad-signature        response signature that does not verify (all gateways)\n"
  "  missing-signature    response without its signature (all)\n"
  "  wrong-serial         Wechatpay-Serial names an unknown key (v3, Global)\n"
  "  stale-timestamp      Wechatpay-Timestamp 10 minutes old (v3, Global)\n"
  "  http-500, http-429   that HTTP status (v3/Global with SYSTEM_ERROR /\n"
  "                       FREQUENCY_LIMITED JSON, others an HTML page)\n"
  "  system-error         Alipay 20000 isp.unknow-error, v2 SYSTEMERROR, v3 500\n"
  "  frequency-limited    v2 FREQUENCY_LIMITED, v3 429 (not Alipay)\n"
  "  delay=SECONDS        wait before answering (default 5 s)\n"
  "  drop                 announce the full reply, send half, close the connection\n"
  "  malformed            truncated JSON/XML body\n"
  "  oversized            reply body over 1 MiB\n"
  "  xml-external-entity  v2 reply with an external entity (file:///etc/passwd)\n"
  "  xml-billion-laughs   v2 reply with exponential entity expansion\n"
  "  alipay-error-response  root \"error_response\" instead of the method node\n"
  "  alipay-duplicate-node  a second, unsigned response node after the signed one\n"
  "  unsigned-401         v3/Global 401 SIGN_ERROR without signature headers\n"
  "  misdirected-421      HTTP 421 Misdirected Request (not processed, no media ID)\n"
  "\n"
  "Control endpoint on the main port (JSON):\n"
  "  POST   /_sim/faults  {\"mode\": \"http-429\", \"count\": 2, \"gateway\": \"wechatpay-v3\",\n"
  "                        \"seconds\": 0}   (count and gateway optional)\n"
  "  GET    /_sim/faults  {\"faults\": [...]}      DELETE /_sim/faults clears them\n"
  "  GET    /_sim/uploads {\"uploads\": [{\"gateway\", \"request_id\", \"status\", \"code\",\n"
  "                        \"message\", \"fault\", \"filename\", \"size\", \"sha256\",\n"
  "                        \"media_id\", \"body_size\", \"connection\" (1, 2, ... in order\n"
  "                        of first request), \"client_certificate\" (true/false)}]}\n"
  "                        DELETE clears the list\n"
  "\n"
  "Media IDs are derived from the file's SHA-256, so the same file always gets the\n"
  "same ID from the same gateway.";

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Loads (or first creates) the fixtures, listens, writes the profiles with
 * the real ports, announces READY and runs until SIGTERM/SIGINT. */
static int
serve (const char         *dir,
       guint               port,
       guint               v2_port,
       gint64              skew,
       const char *const  *faults)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSimFixtures) fixtures = NULL;
  g_autoptr(GpSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (!gp_sim_fixtures_exist (dir) && !gp_sim_fixtures_generate (dir, &error))
    {
      g_printerr ("gatepost-sim: %s\n", error->message);
      return 1;
    }
  fixtures = gp_sim_fixtures_load (dir, &error);
  if (fixtures == NULL)
    {
      g_printerr ("gatepost-sim: cannot load the fixtures in %s: %s\n", dir, error->message);
      return 1;
    }

  server = gp_sim_server_new (fixtures);
  gp_sim_server_set_alipay_skew (server, skew);
  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!gp_sim_server_add_fault_spec (server, faults[i], &error))
      {
        g_printerr ("gatepost-sim: --fault %s: %s\n", faults[i], error->message);
        return 2;
      }
  if (!gp_sim_server_listen (server, port, v2_port, &error))
    {
      g_printerr ("gatepost-sim: cannot listen: %s\n", error->message);
      return 1;
    }
  if (!gp_sim_fixtures_write_profiles (fixtures, gp_sim_server_get_base_url (server),
                                       gp_sim_server_get_v2_base_url (server), &error))
    {
      g_printerr ("gatepost-sim: cannot write the profiles: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  signal (SIGPIPE, SIG_IGN);
  printf ("READY %s %s\n", gp_sim_server_get_base_url (server),
          gp_sim_server_get_v2_base_url (server));
  fflush (stdout);
  g_main_loop_run (loop);
  g_clear_pointer (&server, gp_sim_server_free);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *generate = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) faults = NULL;
  int port = 0;
  int v2_port = 0;
  gint64 skew = 600;
  GOptionEntry entries[] = {
    { "generate", 0, 0, G_OPTION_ARG_FILENAME, &generate,
      "Create (or replace) the fixtures in DIR and exit", "DIR" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir,
      "Serve with the fixtures in DIR (created when missing)", "DIR" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Main port (Alipay, v3, Global, control); 0 picks a free one", "N" },
    { "v2-port", 0, 0, G_OPTION_ARG_INT, &v2_port,
      "WeChat Pay v2 port (client certificate); 0 picks a free one", "N" },
    { "fault", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault, see below (repeatable)", "MODE[=SECONDS][:COUNT][@GATEWAY]" },
    { "alipay-skew", 0, 0, G_OPTION_ARG_INT64, &skew,
      "Largest accepted difference of Alipay's timestamp from now (default 600)", "SECONDS" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- strict local simulator of the four upload APIs");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gatepost-sim: %s\nTry gatepost-sim --help\n", error->message);
      return 2;
    }

  if (generate != NULL)
    {
      if (!gp_sim_fixtures_generate (generate, &error))
        {
          g_printerr ("gatepost-sim: %s\n", error->message);
          return 1;
        }
      if (dir == NULL)
        {
          g_print ("Fixtures written to %s\n", generate);
          return 0;
        }
    }
  if (dir == NULL)
    {
      g_printerr ("gatepost-sim: give --dir DIR (or --generate DIR)\nTry gatepost-sim --help\n");
      return 2;
    }
  if (port < 0 || port > 65535 || v2_port < 0 || v2_port > 65535 || skew < 0)
    {
      g_printerr ("gatepost-sim: ports must be 0–65535 and the skew not negative\n");
      return 2;
    }
  return serve (dir, port, v2_port, skew, (const char *const *) faults);
}
