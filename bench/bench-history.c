/* bench-history.c: search latency of the upload history at scale
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a fresh history with N realistic rows (default 100,000), then times
 * gp_history_search_sync() (one GUI page of 50 rows, through the worker
 * thread) and gp_history_count_sync() for several kinds of query, and, on
 * the same file in the same run, the plain `LIKE '%…%'` scan over the same
 * four columns that the index replaces. Prints median and p99 of each and
 * the ratio of the medians.
 *
 *   bench-history [ROWS] [--iterations N] [--keep]
 *   bench-history [ROWS] --fill PATH
 *
 * --fill only creates the history file PATH (its folder must exist) with
 * ROWS rows and exits: bench/gui-history opens it in the GUI.
 *
 * The last line, for bench/run, is `RESULT {json}`: median and p99 of every
 * search (not count) of every kind pooled, the same for the plain scan, the
 * slowest kind of search (by
 * median) with its median and p99 and the plain scan's for that kind, and
 * the worst p99 of any kind.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gatepost-core.h"

#define PAGE 50

static const char * const cjk_words[] = {
  "营业执照", "门头照", "店内环境", "身份证正面", "身份证反面", "收银台", "商品图片", "授权书",
  "开户许可证", "租赁合同", "法人手持身份证", "经营场所", "食品经营许可证", "特殊资质",
};
static const char * const en_words[] = {
  "business-license", "shop-front", "passport", "id-card-front", "id-card-back", "interior",
  "cashier", "product", "contract", "invoice", "menu", "storefront", "permit", "signboard",
};
static const char * const extensions[] = { ".jpg", ".jpeg", ".png", ".bmp", ".pdf", ".mp4" };
/* The format the history records for each of extensions[]. */
static const char * const formats[] = { "jpeg", "jpeg", "png", "bmp", "pdf", "mp4" };
static const char * const profiles[][3] = {
  { "Shop A", "pid-a", "alipay" },
  { "旗舰店", "pid-b", "alipay" },
  { "Cafe Hangzhou", "pid-c", "wechatpay-v3" },
  { "深圳分店", "pid-d", "wechatpay-v3" },
  { "HK Global", "pid-e", "wechatpay-global" },
  { "Legacy v2", "pid-f", "wechatpay-v2" },
  { "北京朝阳店", "pid-g", "alipay" },
  { "Test shop", "pid-h", "wechatpay-v2" },
};
static const char * const codes[] = {
  "SIGN_ERROR", "PARAM_ERROR", "isv.invalid-signature", "SYSTEM_ERROR", "FREQUENCY_LIMITED",
  "INVALID_REQUEST", "NOAUTH", "isv.invalid-file-size",
};
static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static char *
random_string (GRand      *rand,
               const char *alphabet,
               guint       len)
{
  char *s = g_malloc (len + 1);
  guint n = strlen (alphabet);

  for (guint i = 0; i < len; i++)
    s[i] = alphabet[g_rand_int_range (rand, 0, n)];
  s[len] = '\0';

  return s;
}

static char *
random_filename (GRand       *rand,
                 const char **format)
{
  int e = g_rand_int_range (rand, 0, G_N_ELEMENTS (extensions));
  const char *ext = extensions[e];

  *format = formats[e];

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return g_strconcat (cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))], ext,
                          NULL);
    case 1:
      return g_strdup_printf ("%s(%d)%s",
                              cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))],
                              g_rand_int_range (rand, 1, 10), ext);
    case 2:
      return g_strdup_printf ("%s_%05d%s",
                              en_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (en_words))],
                              g_rand_int_range (rand, 0, 100000), ext);
    default:
      return g_strdup_printf ("IMG_%08d_%s%s", g_rand_int_range (rand, 20200101, 20261231),
                              cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))],
                              ext);
    }
}

static void
check_sqlite (sqlite3 *db,
              int      rc,
              int      expected)
{
  if (rc != expected)
    {
      fprintf (stderr, "bench-history: %s\n", sqlite3_errmsg (db));
      exit (1);
    }
}

/* Inserts @rows rows in one transaction, straight into the file the
 * history created (the triggers index them); returns a sample of media
 * IDs for the ID queries. */
static GPtrArray *
fill (const char *path,
      guint       rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autoptr(GPtrArray) media_ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_real_time () - (gint64) rows * G_USEC_PER_SEC;

  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
                                        "INSERT INTO uploads (time_us, profile, profile_id, "
                                        "gateway, account, path, filename, size, format, sha256, "
                                        "status, stage, code, message, attempts, duration_ms, "
                                        "media_id, media_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                        "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        -1, &stmt, NULL), SQLITE_OK);
  for (guint i = 0; i < rows; i++)
    {
      const char * const *p = profiles[g_rand_int_range (rand, 0, G_N_ELEMENTS (profiles))];
      const char *format = NULL;
      g_autofree char *filename = random_filename (rand, &format);
      g_autofree char *file = g_strconcat ("/home/merchant/资料/", filename, NULL);
      g_autofree char *sha = random_string (rand, "0123456789abcdef", 64);
      g_autofree char *media_id = NULL;
      int roll = g_rand_int_range (rand, 0, 100);
      const char *status = roll < 90 ? "succeeded" : roll < 97 ? "failed" : "interrupted";
      const char *code = NULL;

      if (roll < 90)
        media_id = random_string (rand, alnum, strcmp (p[2], "alipay") == 0 ? 24 : 48);
      else if (roll < 97)
        code = codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (codes))];
      else
        code = GP_HISTORY_INTERRUPTED_CODE;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, start + (gint64) i * G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 2, p[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, p[1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, p[2], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, "2021000000000001", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, file, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, filename, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, g_rand_int_range (rand, 10000, 5000000));
      sqlite3_bind_text (stmt, 9, format, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, sha, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 12, code != NULL ? "gateway" : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 13, code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 14, code != NULL ? "refused by the gateway" : NULL, -1,
                         SQLITE_STATIC);
      sqlite3_bind_int (stmt, 15, 1);
      sqlite3_bind_int (stmt, 16, g_rand_int_range (rand, 80, 3000));
      sqlite3_bind_text (stmt, 17, media_id, -1, SQLITE_STATIC);
      sqlite3_bind_null (stmt, 18);
      check_sqlite (db, sqlite3_step (stmt), SQLITE_DONE);
      if (media_id != NULL && media_ids->len < 4096 && g_rand_int_range (rand, 0, 16) == 0)
        g_ptr_array_add (media_ids, g_steal_pointer (&media_id));
    }
  sqlite3_finalize (stmt);
  check_sqlite (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);

  return g_steal_pointer (&media_ids);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  double median_ms;
  double p99_ms;
  guint  rows;     /* rows found by the last query, for the table */
} Timing;

static Timing
summarise (GArray *us,
           guint   rows)
{
  Timing t;
  guint p99;

  g_array_sort (us, compare_gint64);
  p99 = MIN (us->len - 1, (guint) ((us->len * 99 + 99) / 100) - 1);
  t.median_ms = g_array_index (us, gint64, us->len / 2) / 1000.0;
  t.p99_ms = g_array_index (us, gint64, p99) / 1000.0;
  t.rows = rows;

  return t;
}

typedef char *(*TermFunc) (GRand *rand, GPtrArray *media_ids);

static char *
term_id_fragment (GRand     *rand,
                  GPtrArray *media_ids)
{
  const char *id = g_ptr_array_index (media_ids, g_rand_int_range (rand, 0, media_ids->len));
  int at = g_rand_int_range (rand, 0, strlen (id) - 6);

  return g_strndup (id + at, 6);
}

static char *
term_cjk_word (GRand     *rand,
               GPtrArray *media_ids)
{
  return g_strdup (cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))]);
}

static char *
term_cjk_3 (GRand     *rand,
            GPtrArray *media_ids)
{
  const char *w = cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))];

  return g_utf8_substring (w, 0, 3);
}

static char *
term_cjk_2 (GRand     *rand,
            GPtrArray *media_ids)
{
  const char *w = cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))];

  return g_utf8_substring (w, 1, 3);
}

static char *
term_cjk_1 (GRand     *rand,
            GPtrArray *media_ids)
{
  const char *w = cjk_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (cjk_words))];

  return g_utf8_substring (w, 1, 2);
}

/* One letter or digit starts hundreds of trigrams: the LIKE fallback. */
static char *
term_ascii_1 (GRand     *rand,
              GPtrArray *media_ids)
{
  return g_strndup (alnum + g_rand_int_range (rand, 0, strlen (alnum)), 1);
}

/* Two CJK characters no row has. */
static char *
term_cjk_2_rare (GRand     *rand,
                 GPtrArray *media_ids)
{
  static const char * const rare[] = { "龘龖", "麤靐", "鱻齉", "爨癵", "驫灥" };

  return g_strdup (rare[g_rand_int_range (rand, 0, G_N_ELEMENTS (rare))]);
}

static char *
term_en_word (GRand     *rand,
              GPtrArray *media_ids)
{
  return g_strdup (en_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (en_words))]);
}

static char *
term_rare_name (GRand     *rand,
                GPtrArray *media_ids)
{
  return g_strdup_printf ("_%05d.", g_rand_int_range (rand, 0, 100000));
}

static char *
term_code (GRand     *rand,
           GPtrArray *media_ids)
{
  return g_strdup (codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (codes))]);
}

static char *
term_no_match (GRand     *rand,
               GPtrArray *media_ids)
{
  return g_strdup_printf ("zq%05dxq", g_rand_int_range (rand, 0, 100000));
}

typedef struct
{
  const char *name;
  TermFunc    term;
  gboolean    count;
} Kind;

static const Kind kinds[] = {
  { "media ID fragment (6 ASCII)", term_id_fragment, FALSE },
  { "CJK word (4-7 chars)", term_cjk_word, FALSE },
  { "CJK 3 chars", term_cjk_3, FALSE },
  { "CJK 2 chars", term_cjk_2, FALSE },
  { "CJK 2 chars, no match", term_cjk_2_rare, FALSE },
  { "CJK 1 char", term_cjk_1, FALSE },
  { "ASCII 1 char (LIKE fallback)", term_ascii_1, FALSE },
  { "English word", term_en_word, FALSE },
  { "rare name part (_12345.)", term_rare_name, FALSE },
  { "error code", term_code, FALSE },
  { "no match", term_no_match, FALSE },
  { "count: media ID fragment", term_id_fragment, TRUE },
  { "count: CJK word", term_cjk_word, TRUE },
  { "count: English word", term_en_word, TRUE },
  { "count: CJK 2 chars", term_cjk_2, TRUE },
};

static Timing
time_api (GpHistory  *history,
          const Kind *kind,
          GPtrArray  *media_ids,
          guint       iterations,
          GArray     *pool)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) us = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint rows = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *term = kind->term (rand, media_ids);
      g_autoptr(GpHistoryQuery) q = gp_history_query_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      gint64 t0, dt;

      gp_history_query_set_text (q, term);
      gp_history_query_set_limit (q, PAGE);
      t0 = g_get_monotonic_time ();
      if (kind->count)
        {
          gint64 n = gp_history_count_sync (history, q, NULL, &error);

          rows = (guint) MAX (n, 0);
        }
      else
        {
          found = gp_history_search_sync (history, q, NULL, &error);
          rows = found != NULL ? found->len : 0;
        }
      dt = g_get_monotonic_time () - t0;
      if (error != NULL)
        {
          fprintf (stderr, "bench-history: %s\n", error->message);
          exit (1);
        }
      g_array_append_val (us, dt);
    }
  if (pool != NULL)
    g_array_append_vals (pool, us->data, us->len);

  return summarise (us, rows);
}

/* The same query without the index: LIKE over the four columns on the base
 * table, newest first, one page (or a count), on its own connection. */
static Timing
time_like (sqlite3    *db,
           const Kind *kind,
           GPtrArray  *media_ids,
           guint       iterations,
           GArray     *pool)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) us = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *where = "filename LIKE ?1 ESCAPE '\\' OR media_id LIKE ?1 ESCAPE '\\' OR "
                      "profile LIKE ?1 ESCAPE '\\' OR code LIKE ?1 ESCAPE '\\'";
  g_autofree char *sql = kind->count
    ? g_strconcat ("SELECT count(*) FROM uploads WHERE ", where, NULL)
    : g_strconcat ("SELECT * FROM uploads WHERE ", where, " ORDER BY id DESC LIMIT 50", NULL);
  sqlite3_stmt *stmt = NULL;
  guint rows = 0;

  check_sqlite (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *term = kind->term (rand, media_ids);
      g_autofree char *pattern = g_strconcat ("%", term, "%", NULL);
      gint64 t0, dt;
      int rc;

      t0 = g_get_monotonic_time ();
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
      rows = 0;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        rows = kind->count ? (guint) sqlite3_column_int (stmt, 0) : rows + 1;
      check_sqlite (db, rc, SQLITE_DONE);
      dt = g_get_monotonic_time () - t0;
      g_array_append_val (us, dt);
    }
  sqlite3_finalize (stmt);
  if (pool != NULL)
    g_array_append_vals (pool, us->data, us->len);

  return summarise (us, rows);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GPtrArray) media_ids = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint rows = 100000;
  guint iterations = 100;
  gboolean keep = FALSE;
  const char *fill_path = NULL;
  sqlite3 *db = NULL;
  GStatBuf st;
  gint64 t0;
  const char *worst_kind = NULL;
  Timing worst = { 0 }, worst_like = { 0 };
  double worst_p99 = 0;
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pool_like = g_array_new (FALSE, FALSE, sizeof (gint64));
  Timing all, all_like;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--keep") == 0)
        keep = TRUE;
      else if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        iterations = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--fill") == 0 && i + 1 < argc)
        fill_path = argv[++i];
      else
        rows = (guint) g_ascii_strtoull (argv[i], NULL, 10);
    }
  if (rows == 0 || iterations == 0)
    {
      fprintf (stderr, "usage: bench-history [ROWS] [--iterations N] [--keep]\n"
                       "       bench-history [ROWS] --fill PATH\n");
      return 2;
    }

  if (fill_path != NULL)
    {
      history = gp_history_open_sync (fill_path, GP_HISTORY_OPEN_NONE, NULL, &error);
      if (history == NULL)
        {
          fprintf (stderr, "bench-history: %s\n", error->message);
          return 1;
        }
      g_clear_object (&history);
      t0 = g_get_monotonic_time ();
      media_ids = fill (fill_path, rows);
      printf ("rows: %u, filled in %.1f s", rows, (g_get_monotonic_time () - t0) / 1e6);
      if (g_stat (fill_path, &st) == 0)
        printf (", file %.1f MB", st.st_size / 1e6);
      printf ("\n");
      return 0;
    }

  dir = g_dir_make_tmp ("gatepost-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "history.sqlite3", NULL);

  /* The schema comes from the code under test. */
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&history);

  t0 = g_get_monotonic_time ();
  media_ids = fill (path, rows);
  printf ("rows: %u, filled in %.1f s", rows, (g_get_monotonic_time () - t0) / 1e6);
  history = gp_history_open_sync (path, GP_HISTORY_OPEN_NONE, NULL, &error);
  g_assert_no_error (error);
  if (g_stat (path, &st) == 0)
    printf (", file %.1f MB", st.st_size / 1e6);
  printf (", %u queries per kind, page %d, SQLite %s\n\n", iterations, PAGE, sqlite3_libversion ());

  check_sqlite (db, sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);

  printf ("%-30s %8s %10s %10s | %8s %10s %10s | %8s\n", "query", "rows", "median ms", "p99 ms",
          "rows", "median ms", "p99 ms", "ratio");
  printf ("%-30s %30s | %30s |\n", "", "gp_history (trigram FTS5)", "plain LIKE '%...%' scan");
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      Timing api = time_api (history, &kinds[k], media_ids, iterations,
                             kinds[k].count ? NULL : pool);
      Timing like = time_like (db, &kinds[k], media_ids, iterations,
                               kinds[k].count ? NULL : pool_like);

      if (!kinds[k].count && (worst_kind == NULL || api.median_ms > worst.median_ms))
        {
          worst_kind = kinds[k].name;
          worst = api;
          worst_like = like;
        }
      if (!kinds[k].count)
        worst_p99 = MAX (worst_p99, api.p99_ms);

      printf ("%-30s %8u %10.3f %10.3f | %8u %10.3f %10.3f | %7.1fx\n", kinds[k].name,
              api.rows, api.median_ms, api.p99_ms, like.rows, like.median_ms, like.p99_ms,
              api.median_ms > 0 ? like.median_ms / api.median_ms : 0.0);
      fflush (stdout);
    }
  printf ("\n(rows: found by the last query of each kind; a search returns at most %d)\n", PAGE);
  all = summarise (pool, 0);
  all_like = summarise (pool_like, 0);
  printf ("every search kind pooled (%u queries): median %.3f ms, p99 %.3f ms; "
          "plain scan: median %.3f ms, p99 %.3f ms\n", pool->len,
          all.median_ms, all.p99_ms, all_like.median_ms, all_like.p99_ms);
  printf ("RESULT {\"rows\": %u, \"iterations\": %u, \"all_median_ms\": %.3f, "
          "\"all_p99_ms\": %.3f, \"like_all_median_ms\": %.3f, \"like_all_p99_ms\": %.3f, "
          "\"slowest_kind\": \"%s\", "
          "\"median_ms\": %.3f, \"p99_ms\": %.3f, \"like_median_ms\": %.3f, "
          "\"like_p99_ms\": %.3f, \"worst_p99_ms\": %.3f}\n",
          rows, iterations, all.median_ms, all.p99_ms, all_like.median_ms, all_like.p99_ms,
          worst_kind, worst.median_ms, worst.p99_ms, worst_like.median_ms,
          worst_like.p99_ms, worst_p99);

  sqlite3_close (db);
  g_clear_object (&history);
  if (keep)
    {
      printf ("kept %s\n", path);
    }
  else
    {
      g_autofree char *owners = g_strconcat (path, "-owners", NULL);

      g_unlink (path);
      g_rmdir (owners);
      g_rmdir (dir);
    }

  return 0;
}
