/* test-cli-faults.c: gatepost-cli upload against a misbehaving gatepost-sim
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fault mode of the simulator, through the real CLI: the stage, the
 * code, the exit status, the number of attempts (PROTOCOLS.md 5.4), and
 * never a false success: ok false, media_id null, no media ID the simulator
 * issued anywhere in the output, and a history row that is `failed` with
 * the same stage and code. Then TLS failures and hostile profiles.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gp-test-sim.h"

static GpTestSim *sim;
static char *files_dir;
static guint file_counter;

typedef struct
{
  const char *profile;
  const char *fault;       /* JSON for /_sim/faults, NULL for none */
  gboolean    ok;
  const char *stage;       /* when !ok */
  const char *code;        /* when !ok; NULL: any non-empty code */
  gint        attempts;
  const char *io_timeout;  /* GATEPOST_IO_TIMEOUT_MS, or NULL */
} FaultCase;

static const FaultCase fault_cases[] = {
  /* retried within the policy: below 3 faults succeed, 3 fail */
  { "sim-wechatpay-v3", "{\"mode\":\"http-500\",\"count\":2}", TRUE, NULL, NULL, 3 },
  { "sim-wechatpay-v3", "{\"mode\":\"http-500\",\"count\":3}", FALSE, "gateway", "SYSTEM_ERROR", 3 },
  { "sim-wechatpay-global", "{\"mode\":\"http-429\",\"count\":1}", TRUE, NULL, NULL, 2 },
  { "sim-wechatpay-v3", "{\"mode\":\"http-429\",\"count\":3}", FALSE, "gateway",
    "FREQUENCY_LIMITED", 3 },
  { "sim-alipay", "{\"mode\":\"http-500\",\"count\":2}", TRUE, NULL, NULL, 3 },
  { "sim-alipay", "{\"mode\":\"http-500\",\"count\":3}", FALSE, "gateway", NULL, 3 },
  { "sim-alipay", "{\"mode\":\"http-429\",\"count\":3}", FALSE, "gateway", NULL, 3 },
  { "sim-wechatpay-v2", "{\"mode\":\"http-500\",\"count\":3}", FALSE, "gateway", NULL, 3 },
  { "sim-alipay", "{\"mode\":\"system-error\",\"count\":1}", TRUE, NULL, NULL, 2 },
  { "sim-alipay", "{\"mode\":\"system-error\",\"count\":3}", FALSE, "gateway",
    "isp.unknow-error", 3 },
  { "sim-wechatpay-v2", "{\"mode\":\"system-error\",\"count\":2}", TRUE, NULL, NULL, 3 },
  { "sim-wechatpay-v2-hmac", "{\"mode\":\"frequency-limited\",\"count\":3}", FALSE, "gateway",
    "FREQUENCY_LIMITED", 3 },
  { "sim-wechatpay-v3-cert", "{\"mode\":\"system-error\",\"count\":3}", FALSE, "gateway",
    "SYSTEM_ERROR", 3 },
  { "sim-wechatpay-v3", "{\"mode\":\"frequency-limited\",\"count\":1}", TRUE, NULL, NULL, 2 },
  /* never retried */
  { "sim-wechatpay-v3", "{\"mode\":\"unsigned-401\",\"count\":1}", FALSE, "gateway",
    "SIGN_ERROR", 1 },
  { "sim-wechatpay-global-cert", "{\"mode\":\"unsigned-401\",\"count\":1}", FALSE, "gateway",
    "SIGN_ERROR", 1 },
  /* responses that do not verify: stage verify, not retried */
  { "sim-alipay", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v2", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v2-hmac", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-v3", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v3-cert", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-global", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-global-cert", "{\"mode\":\"bad-signature\",\"count\":1}", FALSE, "verify",
    NULL, 1 },
  { "sim-alipay", "{\"mode\":\"missing-signature\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v2", "{\"mode\":\"missing-signature\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-v3", "{\"mode\":\"missing-signature\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-global-cert", "{\"mode\":\"missing-signature\",\"count\":1}", FALSE,
    "verify", NULL, 1 },
  { "sim-wechatpay-v3", "{\"mode\":\"wrong-serial\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v3-cert", "{\"mode\":\"wrong-serial\",\"count\":1}", FALSE, "verify", NULL,
    1 },
  { "sim-wechatpay-global", "{\"mode\":\"wrong-serial\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-v3", "{\"mode\":\"stale-timestamp\",\"count\":1}", FALSE, "verify", NULL, 1 },
  { "sim-wechatpay-global-cert", "{\"mode\":\"stale-timestamp\",\"count\":1}", FALSE, "verify",
    NULL, 1 },
  { "sim-alipay", "{\"mode\":\"alipay-duplicate-node\",\"count\":1}", FALSE, "verify", NULL, 1 },
  /* a root error_response with 20000 isp.unknow-error: retried */
  { "sim-alipay", "{\"mode\":\"alipay-error-response\",\"count\":1}", TRUE, NULL, NULL, 2 },
  { "sim-alipay", "{\"mode\":\"alipay-error-response\",\"count\":3}", FALSE, "gateway",
    "isp.unknow-error", 3 },
  /* the connection drops mid-body: network, retried */
  { "sim-wechatpay-v3", "{\"mode\":\"drop\",\"count\":1}", TRUE, NULL, NULL, 2 },
  { "sim-alipay", "{\"mode\":\"drop\",\"count\":3}", FALSE, "network", NULL, 3 },
  { "sim-wechatpay-v2", "{\"mode\":\"drop\",\"count\":3}", FALSE, "network", NULL, 3 },
  /* HTTP 421, not processed: retried by the policy, never re-sent by libsoup */
  { "sim-wechatpay-v3", "{\"mode\":\"misdirected-421\",\"count\":1}", TRUE, NULL, NULL, 2 },
  { "sim-alipay", "{\"mode\":\"misdirected-421\",\"count\":3}", FALSE, "network",
    "NOT_PROCESSED", 3 },
  { "sim-wechatpay-v2", "{\"mode\":\"misdirected-421\",\"count\":1}", TRUE, NULL, NULL, 2 },
  /* a server slower than the timeout: network, retried */
  { "sim-wechatpay-v3", "{\"mode\":\"delay\",\"seconds\":2,\"count\":1}", TRUE, NULL, NULL, 2,
    "700" },
  { "sim-wechatpay-global", "{\"mode\":\"delay\",\"seconds\":2,\"count\":3}", FALSE, "network",
    NULL, 3, "700" },
  /* malformed replies: gateway, with a message */
  { "sim-alipay", "{\"mode\":\"malformed\",\"count\":1}", FALSE, "gateway", NULL, 1 },
  { "sim-wechatpay-v2", "{\"mode\":\"malformed\",\"count\":1}", FALSE, "gateway", NULL, 1 },
  { "sim-wechatpay-v3", "{\"mode\":\"malformed\",\"count\":1}", FALSE, "gateway", NULL, 1 },
  { "sim-wechatpay-global-cert", "{\"mode\":\"malformed\",\"count\":1}", FALSE, "gateway", NULL,
    1 },
  /* hostile XML */
  { "sim-wechatpay-v2", "{\"mode\":\"xml-external-entity\",\"count\":1}", FALSE, NULL, NULL, 1 },
  { "sim-wechatpay-v2-hmac", "{\"mode\":\"xml-billion-laughs\",\"count\":1}", FALSE, NULL, NULL,
    1 },
};

/* Oversized replies: refused at the 1 MiB cap, whatever the gateway. */
static const char * const oversized_profiles[] = {
  "sim-alipay", "sim-wechatpay-v2", "sim-wechatpay-v3", "sim-wechatpay-global-cert", NULL,
};

static char *
new_file (const char *profile)
{
  gboolean global = strstr (profile, "global") != NULL;
  g_autofree char *name = g_strdup_printf ("f%u.%s", ++file_counter, global ? "pdf" : "png");

  return gp_test_write_file (files_dir, name, global ? "pdf" : "png", 50000 + file_counter, 0);
}

static char *
history_value (gint64      id,
               const char *column)
{
  g_autofree char *path = gp_test_history_path ();
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM uploads WHERE id = ?", column);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static guint
count_rows (const char *where)
{
  g_autofree char *path = gp_test_history_path ();
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM uploads WHERE %s", where);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* The outcome of a failed upload line: no success anywhere. */
static JsonObject *
assert_failed_line (JsonObject *line,
                    const char *out,
                    const char *err,
                    const char *stage,
                    const char *code)
{
  JsonObject *error;
  g_autoptr(JsonArray) uploads = gp_test_sim_uploads (sim);
  gint64 history_id;
  g_autofree char *row_status = NULL;
  g_autofree char *row_stage = NULL;
  g_autofree char *row_code = NULL;
  g_autofree char *row_media = NULL;

  g_assert_false (json_object_get_boolean_member (line, "ok"));
  g_assert_true (json_object_get_null_member (line, "media_id"));
  g_assert_true (json_object_get_null_member (line, "media_url"));
  error = json_object_get_object_member (line, "error");
  g_assert_nonnull (error);
  if (stage != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "stage"), ==, stage);
  if (code != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "code")), >, 0);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);

  /* whatever media ID the simulator issued is not passed off as ours */
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      const char *issued = json_object_get_string_member_with_default (
        json_array_get_object_element (uploads, i), "media_id", NULL);

      if (issued != NULL && *issued != '\0')
        {
          g_assert_null (strstr (out, issued));
          g_assert_null (strstr (err, issued));
        }
    }

  history_id = json_object_get_int_member (line, "history_id");
  g_assert_cmpint (history_id, >, 0);
  row_status = history_value (history_id, "status");
  row_stage = history_value (history_id, "stage");
  row_code = history_value (history_id, "code");
  row_media = history_value (history_id, "media_id");
  g_assert_cmpstr (row_status, ==, "failed");
  g_assert_cmpstr (row_stage, ==, json_object_get_string_member (error, "stage"));
  g_assert_cmpstr (row_code, ==, json_object_get_string_member (error, "code"));
  g_assert_null (row_media);
  g_assert_cmpuint (count_rows ("status = 'succeeded'"), ==, 0);

  return error;
}

static JsonObject *
upload_one (const char  *profile,
            const char  *io_timeout,
            int          expected_status,
            char       **out_text,
            char       **err_text)
{
  g_autofree char *path = new_file (profile);
  g_autofree char *env0 = io_timeout ? g_strdup_printf ("GATEPOST_IO_TIMEOUT_MS=%s", io_timeout)
                                     : NULL;
  const char * const env[] = { env0, NULL };
  const char * const argv[] = { "upload", "--profile", profile, "--json", path, NULL };
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize len = 0;
  int status;

  status = gp_test_cli_runv (env, out_text, err_text, argv);
  expect_status (status, expected_status, *out_text, *err_text);
  lines = gp_test_json_lines (*out_text);
  g_assert_cmpuint (lines->len, ==, 1);
  /* failed or not, and even when the file never went out whole (its
   * digest deferred, as for Alipay), the line names the file's digest */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (lines, 0), "sha256"), ==,
                   sha256);

  return json_object_ref (g_ptr_array_index (lines, 0));
}

static void
test_fault (gconstpointer data)
{
  const FaultCase *c = data;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  gp_test_sim_fault (sim, NULL);
  gp_test_sim_clear_uploads (sim);
  gp_test_sim_fault (sim, c->fault);
  line = upload_one (c->profile, c->io_timeout, c->ok ? 0 : 1, &out, &err);
  g_test_message ("%s %s: %s (%.1f s)", c->profile, c->fault, out,
                  (g_get_monotonic_time () - start) / 1e6);

  if (c->ok)
    {
      g_autoptr(JsonArray) uploads = gp_test_sim_uploads (sim);
      g_autofree char *row_status = NULL;
      g_autofree char *row_media = NULL;
      const char *last = NULL;

      g_assert_true (json_object_get_boolean_member (line, "ok"));
      g_assert_false (json_object_has_member (line, "error"));
      /* the media ID of the attempt that succeeded: the last one recorded */
      last = json_object_get_string_member (
        json_array_get_object_element (uploads, json_array_get_length (uploads) - 1), "media_id");
      g_assert_cmpstr (json_object_get_string_member (line, "media_id"), ==, last);
      row_status = history_value (json_object_get_int_member (line, "history_id"), "status");
      row_media = history_value (json_object_get_int_member (line, "history_id"), "media_id");
      g_assert_cmpstr (row_status, ==, "succeeded");
      g_assert_cmpstr (row_media, ==, last);
    }
  else
    {
      JsonObject *error = assert_failed_line (line, out, err, c->stage, c->code);

      /* a truncated reply is called what it is */
      if (strstr (c->fault, "malformed") != NULL)
        {
          const char *message = json_object_get_string_member (error, "message");

          g_assert_true (strstr (message, "JSON") != NULL || strstr (message, "XML") != NULL);
        }
    }

  g_assert_cmpint (json_object_get_int_member (line, "attempts"), ==, c->attempts);
  {
    g_autofree char *row_sha256 = history_value (json_object_get_int_member (line, "history_id"),
                                                 "sha256");

    g_assert_cmpstr (row_sha256, ==, json_object_get_string_member (line, "sha256"));
  }
  /* every request that reached the simulator is one of the counted
   * attempts: nothing was re-sent behind the retry policy's back */
  {
    g_autoptr(JsonArray) seen = gp_test_sim_uploads (sim);

    g_assert_cmpuint (json_array_get_length (seen), ==, c->attempts);
  }
  gp_test_sim_fault (sim, NULL);
}

/* Batches: connections and attempts as the simulator saw them --------- */

typedef struct
{
  GPtrArray *lines;    /* JsonObject, one per file */
  JsonArray *uploads;  /* the simulator's records of this batch */
  guint      connections;
  guint      attempts; /* the sum of every file's attempts */
} Batch;

static void
batch_clear (Batch *b)
{
  g_clear_pointer (&b->lines, g_ptr_array_unref);
  g_clear_pointer (&b->uploads, json_array_unref);
}

static void
upload_batch (Batch      *b,
              const char *profile,
              guint       n_files,
              const char *jobs,
              int         expected_status)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) connections = g_hash_table_new (NULL, NULL);
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_strv_builder_add_many (builder, "upload", "--profile", profile, "--json", "--jobs", jobs,
                           NULL);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = new_file (profile);

      g_strv_builder_add (builder, path);
    }
  argv = g_strv_builder_end (builder);

  gp_test_sim_clear_uploads (sim);
  status = gp_test_cli_runv (NULL, &out, &err, (const char * const *) argv);
  expect_status (status, expected_status, out, err);
  b->lines = gp_test_json_lines (out);
  g_assert_cmpuint (b->lines->len, ==, n_files);
  b->uploads = gp_test_sim_uploads (sim);

  b->attempts = 0;
  for (guint i = 0; i < b->lines->len; i++)
    b->attempts += json_object_get_int_member (g_ptr_array_index (b->lines, i), "attempts");
  for (guint i = 0; i < json_array_get_length (b->uploads); i++)
    {
      JsonObject *u = json_array_get_object_element (b->uploads, i);
      gint64 id = json_object_get_int_member (u, "connection");

      g_assert_cmpint (id, >, 0);
      g_hash_table_add (connections, GINT_TO_POINTER ((gint) id));
    }
  b->connections = g_hash_table_size (connections);
  g_test_message ("%s: %u files, --jobs %s: %u requests on %u connections, %u attempts",
                  profile, n_files, jobs, json_array_get_length (b->uploads), b->connections,
                  b->attempts);
}

static void
assert_all_ok (Batch *b)
{
  for (guint i = 0; i < b->lines->len; i++)
    g_assert_true (json_object_get_boolean_member (g_ptr_array_index (b->lines, i), "ok"));
}

/* Without a client certificate (v3, Global, Alipay) a batch reuses its
 * kept-alive connections: at most one per file in flight. */
static void
test_batch_reuses_connections (gconstpointer data)
{
  const char *profile = data;
  Batch b = { 0 };

  gp_test_sim_fault (sim, NULL);
  upload_batch (&b, profile, 8, "2", 0);
  assert_all_ok (&b);
  g_assert_cmpuint (json_array_get_length (b.uploads), ==, 8);
  g_assert_cmpuint (b.attempts, ==, 8);
  g_assert_cmpuint (b.connections, <=, 2);
  batch_clear (&b);
}

/* v2 (mutual TLS): every request on a connection of its own, each one
 * presenting the merchant's client certificate. */
static void
test_batch_v2_client_certificate (void)
{
  Batch b = { 0 };

  gp_test_sim_fault (sim, NULL);
  upload_batch (&b, "sim-wechatpay-v2", 5, "2", 0);
  assert_all_ok (&b);
  g_assert_cmpuint (json_array_get_length (b.uploads), ==, 5);
  g_assert_cmpuint (b.connections, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *u = json_array_get_object_element (b.uploads, i);

      g_assert_true (json_object_get_boolean_member (u, "client_certificate"));
      g_assert_cmpint (json_object_get_int_member (u, "status"), ==, 200);
    }
  batch_clear (&b);
}

/* Faults that break or refuse requests on kept-alive connections in the
 * middle of a batch: every request the simulator saw is an attempt the
 * policy counted, and the batch still succeeds. */
static void
test_batch_faults_counted (gconstpointer data)
{
  const char *fault = data;
  Batch b = { 0 };

  gp_test_sim_fault (sim, NULL);
  gp_test_sim_fault (sim, fault);
  upload_batch (&b, "sim-wechatpay-v3", 6, "2", 0);
  gp_test_sim_fault (sim, NULL);
  assert_all_ok (&b);
  g_assert_cmpuint (b.attempts, ==, 6 + 2);
  g_assert_cmpuint (json_array_get_length (b.uploads), ==, b.attempts);
  batch_clear (&b);
}

static void
test_hostile_xml_quick (gconstpointer data)
{
  g_autofree char *json = g_strdup_printf ("{\"mode\":\"%s\",\"count\":1}",
                                           (const char *) data);
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *duration = NULL;
  gint64 start = g_get_monotonic_time ();

  gp_test_sim_fault (sim, json);
  line = upload_one ("sim-wechatpay-v2", NULL, 1, &out, &err);
  assert_failed_line (line, out, err, NULL, NULL);
  /* refused quickly: no expansion, no fetch (the upload's own time, in
   * the history, and the whole run with the CLI's start) */
  duration = history_value (json_object_get_int_member (line, "history_id"), "duration_ms");
  g_test_message ("%s refused after %s ms", (const char *) data, duration);
  g_assert_nonnull (duration);
  g_assert_cmpint (g_ascii_strtoll (duration, NULL, 10), <, 10000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  g_assert_null (strstr (out, "root:"));
  g_assert_null (strstr (err, "root:"));
  g_assert_null (strstr (out, "lol"));
  g_assert_cmpuint (strlen (out), <, 4096);
  gp_test_sim_fault (sim, NULL);
}

static void
test_oversized (gconstpointer data)
{
  const char *profile = data;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *error;
  const char *message;

  gp_test_sim_fault (sim, NULL);
  gp_test_sim_fault (sim, "{\"mode\":\"oversized\",\"count\":1}");
  line = upload_one (profile, NULL, 1, &out, &err);
  error = assert_failed_line (line, out, err, NULL, NULL);
  message = json_object_get_string_member (error, "message");
  g_test_message ("oversized %s: %s", profile, out);
  /* the message says why: the reply was too large (1 MiB) */
  g_assert_true (strstr (message, "1 MiB") != NULL || strstr (message, "1048576") != NULL);
  g_assert_cmpuint (strlen (out), <, 8192);
  gp_test_sim_fault (sim, NULL);
}

/* Codes the gateway would never change its mind about: a merchant ID it
 * does not know (v2 PARAM_ERROR), a certificate that is not the
 * merchant's (v2 INVALID_REQUEST), a serial it does not know (v3
 * SIGN_ERROR): one attempt, stage gateway. */
static void
test_not_retried_codes (void)
{
  g_autofree char *err = NULL;
  g_autofree char *server_pem = g_build_filename (sim->dir, "server.pem", NULL);
  g_autofree char *server_key = g_build_filename (sim->dir, "server-key.pem", NULL);
  struct { const char *profile; const char *code; const char *needle; } cases[] = {
    { "e2e-v2-wrong-mch", "PARAM_ERROR", NULL },
    { "e2e-v2-foreign-cert", "INVALID_REQUEST", "certificate" },
    { "e2e-v3-wrong-serial", "SIGN_ERROR", NULL },
  };

  expect_status (gp_test_sim_import_derived (sim, "sim-wechatpay-v2", "e2e-v2-wrong-mch", &err,
                                             "mch_id", "1230000999", NULL), 0, "", err);
  g_clear_pointer (&err, g_free);
  /* a certificate the simulator's CA issued, but not the merchant's */
  expect_status (gp_test_sim_import_derived (sim, "sim-wechatpay-v2", "e2e-v2-foreign-cert", &err,
                                             "client_cert_file", server_pem,
                                             "client_key_file", server_key, NULL), 0, "", err);
  g_clear_pointer (&err, g_free);
  expect_status (gp_test_sim_import_derived (sim, "sim-wechatpay-v3", "e2e-v3-wrong-serial", &err,
                                             "serial_no", "0123456789ABCDEF", NULL), 0, "", err);
  g_clear_pointer (&err, g_free);

  gp_test_sim_fault (sim, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) line = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err2 = NULL;
      JsonObject *error;

      line = upload_one (cases[i].profile, NULL, 1, &out, &err2);
      g_test_message ("%s: %s", cases[i].profile, out);
      error = assert_failed_line (line, out, err2, "gateway", cases[i].code);
      g_assert_cmpint (json_object_get_int_member (line, "attempts"), ==, 1);
      if (cases[i].needle != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (json_object_get_string_member (error,
                                                                                   "message"),
                                                    -1);

          g_assert_nonnull (strstr (lower, cases[i].needle));
        }
    }
}

typedef struct
{
  const char *name;
  const char *server;     /* tests/data/tls/<server>.pem|.key, NULL: the simulator's own */
  const char *base;       /* generated profile to derive from */
  const char *ca;         /* tests/data/tls/<ca>.pem as ca_file; NULL: remove ca_file */
  const char *client;     /* tests/data/tls/<client>.pem|.key as the v2 client certificate */
  const char *needles[3]; /* each must appear in the message (lower case) */
} TlsCase;

static const TlsCase tls_cases[] = {
  /* no ca_file: the simulator's CA is trusted by nobody */
  { "untrusted", NULL, "sim-wechatpay-v3", NULL, NULL, { "certificate", "trust", NULL } },
  { "wrong-host", "wronghost", "sim-wechatpay-v3", "ca", NULL, { "certificate", "127.0.0.1",
                                                                  NULL } },
  { "expired", "expired", "sim-alipay", "ca", NULL, { "certificate", "expired", NULL } },
  /* a client certificate from a CA the v2 server does not know */
  { "client-cert-refused", NULL, "sim-wechatpay-v2", "keep", "client", { "client certificate",
                                                                         NULL } },
  { "client-cert-self-signed", NULL, "sim-wechatpay-v2-hmac", "keep", "rogue-client",
    { "client certificate", NULL } },
};

static void
test_tls (gconstpointer data)
{
  const TlsCase *c = data;
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ca = c->ca && !g_str_equal (c->ca, "keep")
                        ? g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL)
                        : NULL;
  g_autofree char *client_pem = NULL;
  g_autofree char *client_key = NULL;
  g_autofree char *name = g_strdup_printf ("e2e-tls-%s", c->name);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(JsonObject) line = NULL;
  GpTestSim *tls_sim = sim;
  JsonObject *error;

  if (c->server != NULL)
    {
      g_autofree char *pem_name = g_strdup_printf ("%s.pem", c->server);
      g_autofree char *key_name = g_strdup_printf ("%s.key", c->server);

      pem = g_test_build_filename (G_TEST_DIST, "data", "tls", pem_name, NULL);
      key = g_test_build_filename (G_TEST_DIST, "data", "tls", key_name, NULL);
      tls_sim = gp_test_sim_start_with_tls (pem, key);
    }
  if (c->client != NULL)
    {
      g_autofree char *pem_name = g_strdup_printf ("%s.pem", c->client);
      g_autofree char *key_name = g_strdup_printf ("%s.key", c->client);

      client_pem = g_test_build_filename (G_TEST_DIST, "data", "tls", pem_name, NULL);
      client_key = g_test_build_filename (G_TEST_DIST, "data", "tls", key_name, NULL);
      expect_status (gp_test_sim_import_derived (tls_sim, c->base, name, &err,
                                                 "client_p12", NULL, "client_p12_password", NULL,
                                                 "client_cert_file", client_pem,
                                                 "client_key_file", client_key, NULL),
                     0, "", err);
    }
  else if (ca != NULL)
    expect_status (gp_test_sim_import_derived (tls_sim, c->base, name, &err, "ca_file", ca, NULL),
                   0, "", err);
  else
    expect_status (gp_test_sim_import_derived (tls_sim, c->base, name, &err, "ca_file", NULL,
                                               NULL), 0, "", err);
  g_clear_pointer (&err, g_free);

  line = upload_one (name, NULL, 1, &out, &err);
  g_test_message ("%s: %s", c->name, out);
  error = assert_failed_line (line, out, err, "network", NULL);
  lower = g_ascii_strdown (json_object_get_string_member (error, "message"), -1);
  for (guint i = 0; c->needles[i] != NULL; i++)
    if (strstr (lower, c->needles[i]) == NULL)
      g_error ("%s: the message does not say \"%s\": %s", c->name, c->needles[i], lower);

  if (tls_sim != sim)
    gp_test_sim_stop (tls_sim);
}

/* A v2 profile without a client certificate never gets as far as an
 * upload: the import refuses it and says what is missing. */
static void
test_tls_client_cert_missing (void)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *lower = NULL;

  expect_status (gp_test_sim_import_derived (sim, "sim-wechatpay-v2", "e2e-v2-no-cert", &err,
                                             "client_cert_file", NULL, "client_key_file", NULL,
                                             NULL), 2, "", err);
  lower = g_ascii_strdown (err, -1);
  g_assert_nonnull (strstr (lower, "client certificate"));
  g_assert_cmpint (gp_test_cli_run (&out, NULL, "profile", "show", "e2e-v2-no-cert", NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *mode = NULL;
      g_autofree char *name = NULL;
      const char *m = strstr (fault_cases[i].fault, "\"mode\":\"") + 8;

      mode = g_strndup (m, strchr (m, '"') - m);
      name = g_strdup_printf ("/gatepost/cli/faults/%s/%s/%u", mode, fault_cases[i].profile, i);
      g_test_add_data_func (name, &fault_cases[i], test_fault);
    }
  for (guint i = 0; oversized_profiles[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("/gatepost/cli/faults/oversized/%s",
                                               oversized_profiles[i]);

      g_test_add_data_func (name, oversized_profiles[i], test_oversized);
    }
  g_test_add_data_func ("/gatepost/cli/faults/xml-quick/external-entity", "xml-external-entity",
                        test_hostile_xml_quick);
  g_test_add_data_func ("/gatepost/cli/faults/xml-quick/billion-laughs", "xml-billion-laughs",
                        test_hostile_xml_quick);
  g_test_add_func ("/gatepost/cli/faults/not-retried", test_not_retried_codes);
  for (guint i = 0; i < G_N_ELEMENTS (tls_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/gatepost/cli/faults/tls/%s", tls_cases[i].name);

      g_test_add_data_func (name, &tls_cases[i], test_tls);
    }
  g_test_add_func ("/gatepost/cli/faults/tls/client-cert-missing", test_tls_client_cert_missing);
  g_test_add_data_func ("/gatepost/cli/connections/reuse/v3", "sim-wechatpay-v3",
                        test_batch_reuses_connections);
  g_test_add_data_func ("/gatepost/cli/connections/reuse/alipay", "sim-alipay",
                        test_batch_reuses_connections);
  g_test_add_func ("/gatepost/cli/connections/v2-client-certificate",
                   test_batch_v2_client_certificate);
  g_test_add_data_func ("/gatepost/cli/connections/faults/drop",
                        "{\"mode\":\"drop\",\"count\":2}", test_batch_faults_counted);
  g_test_add_data_func ("/gatepost/cli/connections/faults/http-500",
                        "{\"mode\":\"http-500\",\"count\":2}", test_batch_faults_counted);
  g_test_add_data_func ("/gatepost/cli/connections/faults/misdirected-421",
                        "{\"mode\":\"misdirected-421\",\"count\":2}", test_batch_faults_counted);

  sim = gp_test_sim_start (NULL);
  gp_test_sim_import_profiles (sim);
  files_dir = g_build_filename (sim->tmp, "files", NULL);
  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);

  ret = g_test_run ();

  gp_test_sim_stop (sim);
  g_free (files_dir);
  return ret;
}
