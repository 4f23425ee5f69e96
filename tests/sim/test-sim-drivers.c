/* test-sim-drivers.c: the client's gateway drivers against the real gatepost-sim
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End to end over loopback TLS: the simulator's generated profile files are
 * loaded as the app loads them, each driver builds its request, libsoup
 * sends it, and the driver classifies the reply. The two sides share no
 * signing code, so agreement here means both follow PROTOCOLS.md.
 */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gatepost-core.h"
#include "gp-gateway.h"
#include "gp-profile.h"

typedef struct
{
  char        *tmp;
  char        *dir;
  GSubprocess *proc;
  char        *base_url;
  SoupSession *session;
  char        *jpeg_path;
  char        *pdf_path;
} Sim;

static Sim sim;

static const guint8 jpeg[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03, 0x01,
  0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
};
static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GpProfile *
load_profile (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *dir = g_build_filename (sim.dir, "profiles", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  GpProfile *profile;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  profile = gp_profile_new_from_data (text, len, dir, &error);
  g_assert_no_error (error);
  return profile;
}

/* What the uploader will do, reduced to one attempt. */
static GpUploadResult *
upload (const char *profile_name,
        const char *path)
{
  g_autoptr(GpProfile) profile = load_profile (profile_name);
  GpGatewayKind kind = gp_profile_get_gateway (profile);
  g_autoptr(GpGateway) gateway = gp_gateway_new_for_kind (kind);
  g_autoptr(GpCheckReport) report = NULL;
  g_autoptr(GpHttpRequest) request = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h;

  report = gp_file_check_sync (path, kind, GP_FILE_CHECK_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_check_report_is_ok (report));
  request = gp_gateway_build_request (gateway, profile, report, NULL, &error);
  g_assert_no_error (error);

  msg = soup_message_new (gp_http_request_get_method (request),
                          gp_http_request_get_url (request));
  g_assert_nonnull (msg);
  h = soup_message_get_request_headers (msg);
  for (guint i = 0; i < gp_http_request_get_n_headers (request); i++)
    {
      const char *name, *value;

      gp_http_request_get_header (request, i, &name, &value);
      soup_message_headers_replace (h, name, value);
    }
  stream = gp_http_request_open_body (request, NULL, &error);
  g_assert_no_error (error);
  soup_message_set_request_body (msg, gp_http_request_get_content_type (request), stream,
                                 gp_http_request_get_content_length (request));
  if (gp_profile_get_client_certificate (profile) != NULL)
    soup_message_set_tls_client_certificate (msg, gp_profile_get_client_certificate (profile));

  body = soup_session_send_and_read (sim.session, msg, NULL, &error);
  g_assert_no_error (error);
  return gp_gateway_parse_response (gateway, profile, soup_message_get_status (msg),
                                    soup_message_get_response_headers (msg), body,
                                    g_get_real_time () / G_USEC_PER_SEC);
}

static void
fault (const char *json)
{
  g_autofree char *url = g_strconcat (sim.base_url, "/_sim/faults", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (json ? "POST" : "DELETE", url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply = soup_session_send_and_read (sim.session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
assert_ok (GpUploadResult *r)
{
  if (!gp_upload_result_is_ok (r))
    g_error ("not ok: stage %s code %s: %s", gp_stage_to_string (gp_upload_result_get_stage (r)),
             gp_upload_result_get_code (r), gp_upload_result_get_message (r));
  g_assert_nonnull (gp_upload_result_get_media_id (r));
  g_assert_cmpstr (gp_upload_result_get_media_id (r), !=, "");
}

static void
assert_fails (GpUploadResult *r,
              GpStage         stage)
{
  g_assert_false (gp_upload_result_is_ok (r));
  g_assert_cmpint (gp_upload_result_get_stage (r), ==, stage);
}

static void
test_every_profile (gconstpointer data)
{
  const char *name = data;
  const char *path = strstr (name, "global") ? sim.pdf_path : sim.jpeg_path;
  g_autoptr(GpUploadResult) r = upload (name, path);
  g_autoptr(GpUploadResult) again = upload (name, path);

  assert_ok (r);
  /* the simulator derives IDs from the file: the same file, the same ID */
  g_assert_cmpstr (gp_upload_result_get_media_id (again), ==, gp_upload_result_get_media_id (r));
  if (g_str_equal (name, "sim-alipay"))
    g_assert_nonnull (gp_upload_result_get_media_url (r));
}

typedef struct
{
  const char *profile;
  const char *fault;
  GpStage     stage;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "sim-wechatpay-v3", "bad-signature", GP_STAGE_VERIFY },
  { "sim-wechatpay-v3", "missing-signature", GP_STAGE_VERIFY },
  { "sim-wechatpay-v3", "wrong-serial", GP_STAGE_VERIFY },
  { "sim-wechatpay-v3", "stale-timestamp", GP_STAGE_VERIFY },
  { "sim-wechatpay-v3", "unsigned-401", GP_STAGE_GATEWAY },
  { "sim-wechatpay-v3", "http-429", GP_STAGE_GATEWAY },
  { "sim-wechatpay-v3", "http-500", GP_STAGE_GATEWAY },
  { "sim-wechatpay-global-cert", "bad-signature", GP_STAGE_VERIFY },
  { "sim-alipay", "bad-signature", GP_STAGE_VERIFY },
  { "sim-alipay", "missing-signature", GP_STAGE_VERIFY },
  { "sim-alipay", "alipay-duplicate-node", GP_STAGE_VERIFY },
  { "sim-alipay", "alipay-error-response", GP_STAGE_GATEWAY },
  { "sim-alipay", "system-error", GP_STAGE_GATEWAY },
  { "sim-wechatpay-v2", "bad-signature", GP_STAGE_VERIFY },
  { "sim-wechatpay-v2", "missing-signature", GP_STAGE_VERIFY },
  { "sim-wechatpay-v2", "system-error", GP_STAGE_GATEWAY },
};

static void
test_fault (gconstpointer data)
{
  const FaultCase *c = data;
  const char *path = strstr (c->profile, "global") ? sim.pdf_path : sim.jpeg_path;
  g_autofree char *json = g_strdup_printf ("{\"mode\":\"%s\",\"count\":1}", c->fault);
  g_autoptr(GpUploadResult) r = NULL;
  g_autoptr(GpUploadResult) after = NULL;

  fault (json);
  r = upload (c->profile, path);
  assert_fails (r, c->stage);
  /* the fault was for one request only */
  after = upload (c->profile, path);
  assert_ok (after);
  fault (NULL);
}

static void
test_retryable (void)
{
  g_autoptr(GpUploadResult) r = NULL;

  fault ("{\"mode\":\"http-429\",\"count\":1}");
  r = upload ("sim-wechatpay-v3", sim.jpeg_path);
  assert_fails (r, GP_STAGE_GATEWAY);
  g_assert_true (gp_upload_result_get_retryable (r));
  fault (NULL);
}

static void
test_hostile_xml (gconstpointer data)
{
  g_autofree char *json = g_strdup_printf ("{\"mode\":\"%s\",\"count\":1}", (const char *) data);
  g_autoptr(GpUploadResult) r = NULL;

  fault (json);
  r = upload ("sim-wechatpay-v2", sim.jpeg_path);
  g_assert_false (gp_upload_result_is_ok (r));
  /* nothing of /etc/passwd and no expanded entity may come back as an ID */
  g_assert_null (gp_upload_result_get_media_id (r));
  fault (NULL);
}

/* The generated files are ready to import with the real CLI (into the
 * test's private keyring). */
static void
test_cli_import (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *path = g_build_filename (sim.dir, "profiles", file, NULL);
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                          g_getenv ("GATEPOST_CLI"), "profile", "import", path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (cli) || g_subprocess_get_exit_status (cli) != 0)
    g_error ("import of %s failed: %s", name, err);
  g_assert_nonnull (strstr (out, name));
}

static void
sim_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autofree char *line = NULL;
  g_autofree char *ca = NULL;
  g_auto(GStrv) words = NULL;

  sim.tmp = g_dir_make_tmp ("gatepost-drivers-XXXXXX", &error);
  g_assert_no_error (error);
  sim.dir = g_build_filename (sim.tmp, "sim", NULL);
  sim.jpeg_path = g_build_filename (sim.tmp, "shop.jpg", NULL);
  sim.pdf_path = g_build_filename (sim.tmp, "licence.pdf", NULL);
  g_assert_true (g_file_set_contents (sim.jpeg_path, (const char *) jpeg, sizeof jpeg, NULL));
  g_assert_true (g_file_set_contents (sim.pdf_path, pdf, strlen (pdf), NULL));

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim.proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GATEPOST_SIM"),
                                          "--dir", sim.dir, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim.proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpstr (words[0], ==, "READY");
  sim.base_url = g_strdup (words[1]);

  ca = g_build_filename (sim.dir, "ca.pem", NULL);
  db = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  sim.session = soup_session_new_with_options ("tls-database", db, "timeout", 30,
                                               "proxy-resolver", NULL, NULL);
}

static void
sim_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", sim.tmp);

  g_subprocess_send_signal (sim.proc, SIGTERM);
  g_assert_true (g_subprocess_wait_check (sim.proc, NULL, &error));
  g_clear_object (&sim.proc);
  g_clear_object (&sim.session);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  static const char *const profiles[] = {
    "sim-alipay", "sim-wechatpay-v2", "sim-wechatpay-v2-hmac", "sim-wechatpay-v3",
    "sim-wechatpay-v3-cert", "sim-wechatpay-global", "sim-wechatpay-global-cert",
  };
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *test = g_strdup_printf ("/gatepost/sim/drivers/upload/%s", profiles[i]);

      g_test_add_data_func (test, profiles[i], test_every_profile);
      g_free (test);
      test = g_strdup_printf ("/gatepost/sim/drivers/cli-import/%s", profiles[i]);
      g_test_add_data_func (test, profiles[i], test_cli_import);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *test = g_strdup_printf ("/gatepost/sim/drivers/fault/%s/%s",
                                               fault_cases[i].profile, fault_cases[i].fault);

      g_test_add_data_func (test, &fault_cases[i], test_fault);
    }
  g_test_add_func ("/gatepost/sim/drivers/retryable", test_retryable);
  g_test_add_data_func ("/gatepost/sim/drivers/xml/external-entity", "xml-external-entity",
                        test_hostile_xml);
  g_test_add_data_func ("/gatepost/sim/drivers/xml/billion-laughs", "xml-billion-laughs",
                        test_hostile_xml);

  sim_start ();
  ret = g_test_run ();
  sim_stop ();
  return ret;
}
