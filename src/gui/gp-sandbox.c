/* gp-sandbox.c: the local simulator behind the Sandbox profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When the keyring holds no profile, the app starts gatepost-sim on a
 * free loopback port and builds the Sandbox profiles from the profile files
 * the simulator writes, in memory only: they are never saved to the
 * keyring. The simulator dies with the app (SIGTERM on quit, and the
 * kernel's parent-death signal if the app itself dies).
 */

#include "config.h"

#include "gp-sandbox.h"

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gi18n.h>

/* How long gp_sandbox_stop() waits after SIGTERM before SIGKILL. */
#define STOP_TIMEOUT_MS 3000

struct _GpSandbox
{
  GObject      parent_instance;

  char        *dir;
  char        *base_url;
  GSubprocess *process;
};

G_DEFINE_FINAL_TYPE (GpSandbox, gp_sandbox, G_TYPE_OBJECT)

typedef struct
{
  GDataInputStream *stdout_stream;
  GCancellable     *read_cancellable;   /* cancelled by the timeout */
  guint             timeout_id;
  gboolean          timed_out;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_object (&data->stdout_stream);
  g_clear_object (&data->read_cancellable);
  g_free (data);
}

GpSandbox *
gp_sandbox_new (const char *dir)
{
  GpSandbox *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (GP_TYPE_SANDBOX, NULL);
  self->dir = g_strdup (dir);

  return self;
}

/**
 * gp_sandbox_dup_default_dir:
 *
 * Returns: (transfer full): `$XDG_CACHE_HOME/gatepost/sandbox`
 */
char *
gp_sandbox_dup_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "gatepost", "sandbox", NULL);
}

/**
 * gp_sandbox_find_program:
 *
 * The simulator is looked up on PATH first (build-aux/run.sh and the tests
 * put the build's src/sim there), then in the installed BINDIR.
 *
 * Returns: (transfer full) (nullable): the simulator's path
 */
char *
gp_sandbox_find_program (void)
{
  char *path = g_find_program_in_path ("gatepost-sim");

  if (path == NULL)
    {
      path = g_build_filename (BINDIR, "gatepost-sim", NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        g_clear_pointer (&path, g_free);
    }

  return path;
}

const char *
gp_sandbox_get_dir (GpSandbox *self)
{
  g_return_val_if_fail (GP_IS_SANDBOX (self), NULL);
  return self->dir;
}

/**
 * gp_sandbox_get_base_url:
 *
 * Returns: (nullable): the simulator's main URL once it is ready
 */
const char *
gp_sandbox_get_base_url (GpSandbox *self)
{
  g_return_val_if_fail (GP_IS_SANDBOX (self), NULL);
  return self->base_url;
}

/**
 * gp_sandbox_get_pid:
 *
 * Returns: the simulator's process id, or 0 when it is not running
 */
GPid
gp_sandbox_get_pid (GpSandbox *self)
{
  const char *identifier;

  g_return_val_if_fail (GP_IS_SANDBOX (self), 0);

  if (self->process == NULL)
    return 0;
  identifier = g_subprocess_get_identifier (self->process);

  return identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;
}

gboolean
gp_sandbox_get_running (GpSandbox *self)
{
  g_return_val_if_fail (GP_IS_SANDBOX (self), FALSE);
  return self->process != NULL;
}

static void
child_setup (gpointer user_data)
{
  /* If the app dies without stopping it, the kernel stops the simulator. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Reads every profile file the simulator wrote; runs in a thread. */
static void
load_profiles_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *profiles_dir = task_data;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  dir = g_dir_open (profiles_dir, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (profiles_dir, names->pdata[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GpProfile *profile;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* One profile the app cannot read does not take the others down. */
      profile = gp_profile_new_from_data (contents, length, profiles_dir, &error);
      if (profile == NULL)
        {
          g_message ("Sandbox profile %s skipped: %s", path, error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (profiles, profile);
    }

  if (profiles->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The simulator wrote no profile files in %s"), profiles_dir);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&profiles), (GDestroyNotify) g_ptr_array_unref);
}

static void
profiles_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GpSandbox *self = GP_SANDBOX (object);
  g_autoptr(GError) error = NULL;
  GPtrArray *profiles;

  profiles = g_task_propagate_pointer (G_TASK (result), &error);
  if (profiles == NULL)
    {
      gp_sandbox_stop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, profiles, (GDestroyNotify) g_ptr_array_unref);
}

static void
ready_line_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GpSandbox *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GTask) load = NULL;
  GCancellable *cancellable;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  g_clear_handle_id (&data->timeout_id, g_source_remove);

  if (line == NULL || !g_str_has_prefix (line, "READY "))
    {
      gp_sandbox_stop (self);
      if (data->timed_out)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 _("The simulator did not start within %d seconds"),
                                 GP_SANDBOX_START_TIMEOUT_S);
      else if (g_task_return_error_if_cancelled (task))
        return;
      else if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The simulator stopped before it was ready"));
      return;
    }

  words = g_strsplit (line, " ", -1);
  g_free (self->base_url);
  self->base_url = g_strdup (words[1]);
  g_debug ("sandbox ready at %s", self->base_url);

  /* The profile files now carry the ports just chosen. */
  cancellable = g_task_get_cancellable (task);
  load = g_task_new (self, cancellable, profiles_read_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_build_filename (self->dir, "profiles", NULL), g_free);
  g_task_run_in_thread (load, load_profiles_thread);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  StartData *data = user_data;

  data->timeout_id = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->read_cancellable);

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *cancellable,
                    GCancellable *read_cancellable)
{
  g_cancellable_cancel (read_cancellable);
}

/**
 * gp_sandbox_start_async:
 *
 * Starts `gatepost-sim --dir DIR --port 0`, waits (at most
 * %GP_SANDBOX_START_TIMEOUT_S) for its READY line and reads its profile
 * files. The result is the Sandbox profiles, in memory.
 */
void
gp_sandbox_start_async (GpSandbox           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  StartData *data;

  g_return_if_fail (GP_IS_SANDBOX (self));
  g_return_if_fail (self->process == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_sandbox_start_async);

  program = gp_sandbox_find_program ();
  if (program == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("gatepost-sim is not installed (looked on PATH and in %s)"),
                               BINDIR);
      return;
    }

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create %s: %s"), self->dir,
                               g_strerror (saved_errno));
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, program, "--dir", self->dir,
                                               "--port", "0", NULL);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (StartData, 1);
  data->stdout_stream =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  data->read_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                           g_object_ref (data->read_cancellable), g_object_unref);
  data->timeout_id = g_timeout_add_seconds (GP_SANDBOX_START_TIMEOUT_S, start_timeout_cb, data);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  g_data_input_stream_read_line_async (data->stdout_stream, G_PRIORITY_DEFAULT,
                                       data->read_cancellable, ready_line_read_cb,
                                       g_steal_pointer (&task));
}

/**
 * gp_sandbox_start_finish:
 *
 * Returns: (transfer full) (element-type GpProfile): the Sandbox profiles
 */
GPtrArray *
gp_sandbox_start_finish (GpSandbox     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/**
 * gp_sandbox_stop:
 *
 * Sends SIGTERM and waits for the simulator to exit (SIGKILL after
 * STOP_TIMEOUT_MS). Does nothing when it is not running.
 */
void
gp_sandbox_stop (GpSandbox *self)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gboolean done = FALSE;
  gint64 deadline;

  g_return_if_fail (GP_IS_SANDBOX (self));

  process = g_steal_pointer (&self->process);
  if (process == NULL)
    return;

  /* A private context: this may run while the app shuts down. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, stopped_cb, &done);
  deadline = g_get_monotonic_time () + STOP_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (!done && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  if (!done)
    {
      g_warning ("The simulator did not stop on SIGTERM; killing it");
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  g_clear_pointer (&self->base_url, g_free);
}

static void
gp_sandbox_dispose (GObject *object)
{
  gp_sandbox_stop (GP_SANDBOX (object));

  G_OBJECT_CLASS (gp_sandbox_parent_class)->dispose (object);
}

static void
gp_sandbox_finalize (GObject *object)
{
  GpSandbox *self = GP_SANDBOX (object);

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (gp_sandbox_parent_class)->finalize (object);
}

static void
gp_sandbox_class_init (GpSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_sandbox_dispose;
  object_class->finalize = gp_sandbox_finalize;
}

static void
gp_sandbox_init (GpSandbox *self)
{
}
