/* gp-test-sim.h: the real gatepost-sim and gatepost-cli, for end-to-end tests
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *tmp;        /* removed by gp_test_sim_stop() */
  char        *dir;        /* the simulator's fixtures */
  GSubprocess *proc;
  char        *base_url;
  char        *v2_base_url;
  SoupSession *session;    /* trusts the simulator's CA */
} GpTestSim;

/* The seven generated profiles, by name (sim-alipay, …). */
extern const char * const gp_test_sim_profiles[];

GpTestSim  *gp_test_sim_start            (const char * const *extra_args);
GpTestSim  *gp_test_sim_start_with_tls   (const char         *server_pem,
                                          const char         *server_key);
void        gp_test_sim_stop             (GpTestSim          *sim);
void        gp_test_sim_import_profiles  (GpTestSim          *sim);
char       *gp_test_sim_profile_path     (GpTestSim          *sim,
                                          const char         *name);
int         gp_test_sim_import_derived   (GpTestSim          *sim,
                                          const char         *base,
                                          const char         *name,
                                          char              **err,
                                          ...) G_GNUC_NULL_TERMINATED;
void        gp_test_sim_fault            (GpTestSim          *sim,
                                          const char         *json);
JsonArray  *gp_test_sim_uploads          (GpTestSim          *sim);
void        gp_test_sim_clear_uploads    (GpTestSim          *sim);

const char *gp_test_cli_path             (void);
GSubprocess *gp_test_cli_spawnv          (const char * const *env,
                                          const char * const *argv,
                                          GError            **error);
int         gp_test_cli_runv             (const char * const *env,
                                          char              **out,
                                          char              **err,
                                          const char * const *argv);
int         gp_test_cli_run              (char              **out,
                                          char              **err,
                                          const char         *first,
                                          ...) G_GNUC_NULL_TERMINATED;
GPtrArray  *gp_test_json_lines           (const char         *out);

/* Small valid files of each format (format names as in the contract). */
GBytes     *gp_test_make_file_bytes      (const char         *format,
                                          guint               variant,
                                          gsize               pad_to);
char       *gp_test_write_file           (const char         *dir,
                                          const char         *name,
                                          const char         *format,
                                          guint               variant,
                                          gsize               pad_to);
char       *gp_test_history_path         (void);

/* Fails with the CLI's output when @status is not @expected. */
#define expect_status(status, expected, out, err) \
  G_STMT_START { \
    int s_ = (status); \
    if (s_ != (expected)) \
      g_error ("%s:%d: gatepost-cli exited %d, expected %d\nstdout: %s\nstderr: %s", \
               __FILE__, __LINE__, s_, (expected), (out) ? (out) : "", (err) ? (err) : ""); \
  } G_STMT_END

G_END_DECLS
