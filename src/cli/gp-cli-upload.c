/* gp-cli-upload.c: gatepost-cli upload
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "gp-cli-private.h"
#include "gp-history-journal.h"

/* Alipay allows 5,000 images and videos per merchant app (seed 000). */
#define ALIPAY_CAPACITY 5000

/* GATEPOST_IO_TIMEOUT_MS and GATEPOST_CONNECT_TIMEOUT_MS replace the
 * uploader's timeouts (tests use short ones against a slow simulator). */
static void
apply_timeouts_from_env (GpUploader *uploader)
{
  const char *io = g_getenv ("GATEPOST_IO_TIMEOUT_MS");
  const char *connect = g_getenv ("GATEPOST_CONNECT_TIMEOUT_MS");
  guint64 ms;

  if (io != NULL && g_ascii_string_to_unsigned (io, 10, 1, 3600000, &ms, NULL))
    gp_uploader_set_io_timeout_ms (uploader, (guint) ms);
  else if (io != NULL)
    g_printerr (_("gatepost-cli: ignoring GATEPOST_IO_TIMEOUT_MS=%s: give milliseconds, "
                  "1 to 3600000\n"), io);
  if (connect != NULL && g_ascii_string_to_unsigned (connect, 10, 1, 3600000, &ms, NULL))
    gp_uploader_set_connect_timeout_ms (uploader, (guint) ms);
  else if (connect != NULL)
    g_printerr (_("gatepost-cli: ignoring GATEPOST_CONNECT_TIMEOUT_MS=%s: give milliseconds, "
                  "1 to 3600000\n"), connect);
}

typedef struct
{
  GpCheckReport   *report;
  GpUploadResult  *result;         /* NULL until known; stays NULL for check failures */
  GpHistoryEntry  *duplicate;      /* an earlier success of the same bytes */
  GPtrArray       *warnings;       /* extra warnings, NULL-terminated */
  gint             same_as;        /* an earlier slot with the same bytes, or -1 */
  gboolean         done;
} FileSlot;

typedef struct
{
  GpProfile     *profile;
  gboolean       json;
  FileSlot      *slots;
  guint          n_slots;
  guint          next_to_print;
  GArray        *upload_index;     /* uploader index → slot index */
  gboolean       finished;
  GPtrArray     *results;
  GError        *error;
  gboolean       progress;         /* stderr is a terminal */
} UploadRun;

/* The stage as people read it; --json keeps the contract's word. */
static const char *
stage_display_name (GpStage stage)
{
  switch (stage)
    {
    case GP_STAGE_CHECK:
      return _("the local check");
    case GP_STAGE_NETWORK:
      return _("the network");
    case GP_STAGE_GATEWAY:
      return _("the gateway");
    case GP_STAGE_VERIFY:
      return _("the signature check of the reply");
    case GP_STAGE_NONE:
    default:
      return "?";
    }
}

static void
print_slot_text (UploadRun *run,
                 FileSlot  *slot)
{
  const char *path = gp_check_report_get_path (slot->report);
  const char * const *warnings = gp_check_report_get_warnings (slot->report);

  if (slot->duplicate != NULL)
    {
      g_autofree char *when = gp_history_entry_dup_time_string (slot->duplicate);
      g_autofree char *row = g_strdup_printf ("%" G_GINT64_FORMAT, slot->duplicate->id);

      /* TRANSLATORS: "<file>: already uploaded on <date time>, media ID <id>
       * (history #<row>); …" */
      printf (_("%s: already uploaded on %s, media ID %s (history #%s); "
                "use --force to upload it again\n"),
              path, when, slot->duplicate->media_id, row);
    }
  else if (slot->result == NULL)
    {
      printf (_("%s: refused before sending\n"), path);
      for (guint i = 0; i < gp_check_report_get_n_problems (slot->report); i++)
        {
          const GpCheckProblem *p = gp_check_report_get_problem (slot->report, i);

          printf ("  %s: %s\n", p->code, p->message);
        }
    }
  else if (gp_upload_result_is_ok (slot->result))
    {
      printf (_("%s: uploaded, media ID %s\n"), path, gp_upload_result_get_media_id (slot->result));
      if (gp_upload_result_get_media_url (slot->result) != NULL)
        printf (_("  URL %s\n"), gp_upload_result_get_media_url (slot->result));
    }
  else
    {
      /* TRANSLATORS: "<file>: failed at the network: <CODE>: <message>" */
      printf (_("%s: failed at %s: %s: %s\n"), path,
              stage_display_name (gp_upload_result_get_stage (slot->result)),
              gp_upload_result_get_code (slot->result),
              gp_upload_result_get_message (slot->result));
      if (gp_upload_result_get_detail (slot->result) != NULL)
        printf (_("  gateway detail: %s\n"), gp_upload_result_get_detail (slot->result));
    }

  if (slot->same_as >= 0)
    printf (_("  the same bytes as %s: sent once\n"),
            gp_check_report_get_path (run->slots[slot->same_as].report));
  for (guint i = 0; warnings[i] != NULL; i++)
    printf (_("  warning: %s\n"), warnings[i]);
  for (guint i = 0; i < slot->warnings->len && slot->warnings->pdata[i]; i++)
    printf (_("  warning: %s\n"), (const char *) slot->warnings->pdata[i]);
  fflush (stdout);
}

/* Results come out in argument order: a file finished early waits for the
 * ones before it. */
static void
print_ready (UploadRun *run)
{
  while (run->next_to_print < run->n_slots && run->slots[run->next_to_print].done)
    {
      FileSlot *slot = &run->slots[run->next_to_print++];

      if (run->json)
        {
          gint64 duplicate_of = -1;
          GpCliFileOutcome outcome = { 0 };

          if (slot->duplicate != NULL)
            duplicate_of = slot->duplicate->id;
          else if (slot->same_as >= 0 && slot->result != NULL &&
                   gp_upload_result_is_ok (slot->result))
            duplicate_of = gp_upload_result_get_history_id (slot->result);

          outcome.report = slot->report;
          outcome.profile_name = gp_profile_get_name (run->profile);
          outcome.result = slot->result;
          outcome.duplicate_of = duplicate_of;
          outcome.extra_warnings = (const char * const *) slot->warnings->pdata;

          gp_cli_print_file_result (&outcome);
        }
      else
        print_slot_text (run, slot);
    }
}

/* A file given again in the same command is sent once: the later copies
 * take the first copy's outcome, with nothing sent for them. */
static void
resolve_followers (UploadRun *run,
                   guint      leader)
{
  GpUploadResult *first = run->slots[leader].result;

  for (guint i = leader + 1; i < run->n_slots; i++)
    {
      FileSlot *slot = &run->slots[i];

      if (slot->same_as != (gint) leader || slot->done)
        continue;

      if (gp_upload_result_is_ok (first))
        {
          slot->result = gp_upload_result_new_success (gp_upload_result_get_media_id (first),
                                                       gp_upload_result_get_media_url (first));
          gp_upload_result_set_history_id (slot->result, gp_upload_result_get_history_id (first));
        }
      else
        {
          g_autofree char *message =
            g_strdup_printf ("Not sent: the same bytes as %s, which failed: %s",
                             gp_check_report_get_path (run->slots[leader].report),
                             gp_upload_result_get_message (first));

          slot->result = gp_upload_result_new_failure (gp_upload_result_get_stage (first),
                                                       gp_upload_result_get_code (first), message);
        }
      gp_upload_result_set_attempts (slot->result, 0);
      slot->done = TRUE;
    }
}

static void
file_progress_cb (GpUploader *uploader,
                  guint       index,
                  guint64     sent,
                  guint64     total,
                  gpointer    user_data)
{
  UploadRun *run = user_data;
  FileSlot *slot = &run->slots[g_array_index (run->upload_index, guint, index)];

  if (run->progress && total > 0)
    {
      g_autofree char *name = g_path_get_basename (gp_check_report_get_path (slot->report));

      g_printerr ("\r\033[K%s %3u%%", name, (guint) (sent * 100 / total));
    }
}

static void
file_finished_cb (GpUploader     *uploader,
                  guint           index,
                  GpUploadResult *result,
                  gpointer        user_data)
{
  UploadRun *run = user_data;
  FileSlot *slot = &run->slots[g_array_index (run->upload_index, guint, index)];

  if (run->progress)
    g_printerr ("\r\033[K");
  g_clear_pointer (&slot->result, gp_upload_result_unref);
  slot->result = gp_upload_result_ref (result);
  slot->done = TRUE;
  resolve_followers (run, g_array_index (run->upload_index, guint, index));
  print_ready (run);
}

static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  UploadRun *run = user_data;

  run->results = gp_uploader_upload_finish (GP_UPLOADER (source), result, &run->error);
  run->finished = TRUE;
}

static gboolean
cancel_on_signal_cb (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  /* Rows already begun are still completed, as interrupted: the history
   * never keeps a pending row for a file this process gave up on. */
  g_printerr ("\n%s\n", _("Cancelling: uploads in flight stop and are recorded as interrupted; finished ones keep their result."));
  g_cancellable_cancel (cancellable);

  return G_SOURCE_CONTINUE;
}

/* Alipay's request carries no digest, so a file's SHA-256 (which the
 * history keeps) can be computed while it is sent instead of in a pass of
 * its own before: unless it may be a duplicate, of an earlier upload (a
 * success of the same size) or of another file of this command (same
 * size), or its name is sent as a digest. Those files, and every file of
 * the other gateways, are hashed first. */
static void
check_files (UploadRun     *run,
             GpHistory     *history,
             char         **files,
             gboolean       force)
{
  GpGatewayKind gateway = gp_profile_get_gateway (run->profile);
  g_autoptr(GHashTable) known_sizes = NULL;
  g_autoptr(GHashTable) sizes_here = NULL;
  gboolean defer = gateway == GP_GATEWAY_ALIPAY;

  if (defer && !force)
    {
      g_autoptr(GError) error = NULL;

      known_sizes = gp_history_list_succeeded_sizes_sync (history, gateway,
                                                          gp_profile_get_id (run->profile),
                                                          NULL, &error);
      if (known_sizes == NULL)
        {
          g_printerr ("gatepost-cli: %s\n", error->message);
          defer = FALSE;
        }
    }

  sizes_here = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < run->n_slots; i++)
    {
      FileSlot *slot = &run->slots[i];
      gint64 size;

      slot->report = gp_file_check_sync (files[i], gateway,
                                         defer ? GP_FILE_CHECK_DEFER_DIGESTS : GP_FILE_CHECK_NONE,
                                         NULL, NULL);
      g_assert (slot->report != NULL);
      if (!defer || !gp_check_report_is_ok (slot->report))
        continue;
      size = (gint64) gp_check_report_get_size (slot->report);
      g_hash_table_insert (sizes_here, g_memdup2 (&size, sizeof size),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (sizes_here,
                                                                                    &size)) + 1));
    }
  if (!defer)
    return;

  for (guint i = 0; i < run->n_slots; i++)
    {
      FileSlot *slot = &run->slots[i];
      gint64 size;

      if (!gp_check_report_is_ok (slot->report))
        continue;
      size = (gint64) gp_check_report_get_size (slot->report);
      if ((known_sizes != NULL && g_hash_table_contains (known_sizes, &size)) ||
          GPOINTER_TO_UINT (g_hash_table_lookup (sizes_here, &size)) > 1 ||
          gp_multipart_safe_filename_needs_sha256 (files[i]))
        {
          gp_check_report_unref (slot->report);
          slot->report = gp_file_check_sync (files[i], gateway, GP_FILE_CHECK_NONE, NULL, NULL);
          g_assert (slot->report != NULL);
        }
    }
}

/* Whether file @i need not be sent: the same bytes succeeded before
 * through this profile (the slot is then done), or an earlier file of this
 * command has them (the slot follows it). */
static gboolean
is_duplicate (UploadRun  *run,
              GpHistory  *history,
              guint       i,
              GHashTable *first_by_sha256,
              gboolean    force)
{
  FileSlot *slot = &run->slots[i];
  g_autoptr(GError) error = NULL;
  gpointer leader;

  if (!force &&
      !gp_history_find_duplicate_sync (history, gp_profile_get_id (run->profile),
                                       gp_check_report_get_sha256 (slot->report),
                                       &slot->duplicate, NULL, &error))
    g_printerr ("gatepost-cli: %s\n", error->message);
  if (slot->duplicate != NULL)
    {
      /* Nothing is sent: the earlier success stands, with its ID and
       * its history row, and no attempt. */
      slot->result = gp_upload_result_new_success (slot->duplicate->media_id,
                                                   slot->duplicate->media_url);
      gp_upload_result_set_history_id (slot->result, slot->duplicate->id);
      gp_upload_result_set_attempts (slot->result, 0);
      slot->done = TRUE;
      return TRUE;
    }

  /* The same bytes twice in one command (even under --force): one
   * upload, one history row, one of Alipay's 5,000 slots. */
  if (g_hash_table_lookup_extended (first_by_sha256,
                                    gp_check_report_get_sha256 (slot->report), NULL,
                                    (gpointer *) &leader))
    {
      slot->same_as = GPOINTER_TO_INT (leader);
      return TRUE;
    }
  g_hash_table_insert (first_by_sha256, (gpointer) gp_check_report_get_sha256 (slot->report),
                       GINT_TO_POINTER (i));

  return FALSE;
}

/* Checks each file against the profile's gateway and looks for an earlier
 * success of the same bytes. Returns the reports to upload. */
static GPtrArray *
prepare_files (UploadRun    *run,
               GpHistory    *history,
               char        **files,
               gboolean      force)
{
  GpGatewayKind gateway = gp_profile_get_gateway (run->profile);
  GPtrArray *to_upload = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_report_unref);
  g_autoptr(GHashTable) first_by_sha256 = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 succeeded = -1;

  check_files (run, history, files, force);

  if (gateway == GP_GATEWAY_ALIPAY)
    {
      g_autoptr(GError) error = NULL;

      succeeded = gp_history_count_succeeded_sync (history, gateway, gp_profile_get_id (run->profile),
                                                   gp_profile_get_string (run->profile, "app_id"),
                                                   NULL, &error);
      if (error != NULL)
        g_printerr ("gatepost-cli: %s\n", error->message);
    }

  for (guint i = 0; i < run->n_slots; i++)
    {
      FileSlot *slot = &run->slots[i];

      slot->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
      slot->same_as = -1;

      if (!gp_check_report_is_ok (slot->report))
        {
          slot->done = TRUE;
          continue;
        }

      /* Deferred digests: no file of this size can be a duplicate. */
      if (gp_check_report_get_sha256 (slot->report) != NULL &&
          is_duplicate (run, history, i, first_by_sha256, force))
        continue;

      if (succeeded >= 0 && gp_history_near_capacity (succeeded + to_upload->len + 1,
                                                      ALIPAY_CAPACITY))
        g_ptr_array_add (slot->warnings,
                         g_strdup_printf (_("This Alipay app already has %u of its %d stored "
                                            "images and videos; the gateway refuses uploads "
                                            "past that (CAPACITY_EXCEEDED)"),
                                          (guint) (succeeded + to_upload->len), ALIPAY_CAPACITY));

      g_array_append_val (run->upload_index, i);
      g_ptr_array_add (to_upload, gp_check_report_ref (slot->report));
    }

  return to_upload;
}

/* Loads GIO's TLS backend, its default (system) trust database and the
 * proxy resolver: about 10 ms of work the first connection would
 * otherwise do, done here while the keyring and the history answer. */
static gpointer
warm_network_thread (gpointer data)
{
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) database = NULL;

  if (g_tls_backend_supports_tls (backend))
    database = g_tls_backend_get_default_database (backend);
  g_proxy_resolver_get_default ();

  return NULL;
}

static void
history_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static int
run_upload (UploadRun  *run,
            GpHistory  *history,
            char      **files,
            guint       jobs,
            gboolean    force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistoryJournal) journal = NULL;
  g_autoptr(GpGateway) gateway = NULL;
  g_autoptr(GpUploader) uploader = NULL;
  g_autoptr(GPtrArray) to_upload = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint sigint_id, sigterm_id;
  int status = GP_CLI_EXIT_OK;

  to_upload = prepare_files (run, history, files, force);
  for (guint i = 0; i < run->n_slots; i++)
    if (run->slots[i].done && run->slots[i].result != NULL)
      resolve_followers (run, i);
  print_ready (run);

  if (to_upload->len > 0)
    {
      gateway = gp_gateway_new_for_kind (gp_profile_get_gateway (run->profile));
      uploader = gp_uploader_new ();
      apply_timeouts_from_env (uploader);
      journal = gp_history_journal_new (history);
      gp_uploader_set_jobs (uploader, jobs);
      g_signal_connect (uploader, "file-progress", G_CALLBACK (file_progress_cb), run);
      g_signal_connect (uploader, "file-finished", G_CALLBACK (file_finished_cb), run);

      sigint_id = g_unix_signal_add (SIGINT, cancel_on_signal_cb, cancellable);
      sigterm_id = g_unix_signal_add (SIGTERM, cancel_on_signal_cb, cancellable);
      gp_uploader_upload_async (uploader, gateway, run->profile, to_upload,
                                GP_UPLOAD_JOURNAL (journal), cancellable, upload_done_cb, run);
      while (!run->finished)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);

      if (run->results == NULL)
        {
          g_printerr ("gatepost-cli: %s\n", run->error->message);
          g_clear_error (&run->error);
          return GP_CLI_EXIT_USAGE;
        }

      /* Files the uploader never reported (it always does) still print. */
      for (guint i = 0; i < run->results->len; i++)
        {
          FileSlot *slot = &run->slots[g_array_index (run->upload_index, guint, i)];

          if (!slot->done)
            {
              slot->result = gp_upload_result_ref (g_ptr_array_index (run->results, i));
              slot->done = TRUE;
            }
          resolve_followers (run, g_array_index (run->upload_index, guint, i));
        }
      print_ready (run);
    }

  for (guint i = 0; i < run->n_slots; i++)
    {
      FileSlot *slot = &run->slots[i];

      if (slot->result != NULL ? !gp_upload_result_is_ok (slot->result)
                               : !gp_check_report_is_ok (slot->report))
        status = GP_CLI_EXIT_REFUSED;
    }

  return status;
}

int
gp_cli_upload (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHistory) history = NULL;
  g_autoptr(GAsyncResult) history_opened = NULL;
  GThread *warm_network;
  g_autofree char *history_path = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autofree char *profile_name = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  gboolean force = FALSE;
  int jobs = 3;
  UploadRun run = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Upload with this profile (see “gatepost-cli profile list”)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per file (JSON Lines)"),
      NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, N_("Uploads in flight at once (1–16, default 3)"),
      N_("N") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Upload files even if the same bytes were uploaded with this profile before"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Check each file, then upload those that pass with the "
                                  "profile's gateway, and record every result in the history. "
                                  "A file already uploaded with the same profile is skipped and "
                                  "its earlier media ID reported, unless --force is given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("gatepost-cli upload");
  g_option_context_set_description (context,
                                    _("Press Ctrl+C to cancel: uploads in flight stop and are "
                                      "recorded as interrupted; finished ones keep their result.\n"
                                      "\n"
                                      "Environment:\n"
                                      "  GATEPOST_IO_TIMEOUT_MS       give up on a connection "
                                      "silent this long (default 60000)\n"
                                      "  GATEPOST_CONNECT_TIMEOUT_MS  give up connecting after "
                                      "this long (default 15000)\n"
                                      "\n"
                                      "Exit status:\n"
                                      "  0  every file was uploaded (or had been before)\n"
                                      "  1  at least one file was refused (by the local check or "
                                      "by the gateway)\n"
                                      "     or failed to upload\n"
                                      "  2  usage or configuration error: an unknown profile, no "
                                      "keyring,\n"
                                      "     a history that cannot be opened"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return gp_cli_usage_error (context, "%s", error->message);

  if (profile_name == NULL)
    return gp_cli_usage_error (context, "%s", _("say which profile to upload with: --profile NAME"));
  if (files == NULL || files[0] == NULL)
    return gp_cli_usage_error (context, "%s", _("no files given"));
  if (jobs < 1 || jobs > 16)
    return gp_cli_usage_error (context, "%s", _("--jobs takes a number from 1 to 16"));

  /* The history opens, and the network stack loads, on threads of their
   * own while the keyring answers. */
  warm_network = g_thread_new ("gp-warm-network", warm_network_thread, NULL);
  history_path = gp_history_dup_default_path ();
  gp_history_open_async (history_path, GP_HISTORY_OPEN_NONE, NULL, history_opened_cb,
                         &history_opened);
  profile = gp_cli_load_profile (profile_name, &error);
  while (history_opened == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (warm_network);
  if (profile == NULL)
    {
      g_printerr ("gatepost-cli: %s\n", error->message);
      return GP_CLI_EXIT_USAGE;
    }
  history = gp_history_open_finish (history_opened, &error);
  if (history == NULL)
    {
      g_printerr (_("gatepost-cli: the upload history could not be opened, so nothing was "
                    "sent: %s\n"), error->message);
      return GP_CLI_EXIT_USAGE;
    }

  run.profile = profile;
  run.json = json;
  run.n_slots = g_strv_length (files);
  run.slots = g_new0 (FileSlot, run.n_slots);
  run.upload_index = g_array_new (FALSE, FALSE, sizeof (guint));
  run.progress = !json && isatty (STDERR_FILENO);

  status = run_upload (&run, history, files, jobs, force);

  for (guint i = 0; i < run.n_slots; i++)
    {
      g_clear_pointer (&run.slots[i].report, gp_check_report_unref);
      g_clear_pointer (&run.slots[i].result, gp_upload_result_unref);
      g_clear_pointer (&run.slots[i].duplicate, gp_history_entry_unref);
      g_clear_pointer (&run.slots[i].warnings, g_ptr_array_unref);
    }
  g_free (run.slots);
  g_array_unref (run.upload_index);
  g_clear_pointer (&run.results, g_ptr_array_unref);

  return status;
}
