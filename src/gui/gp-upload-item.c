/* gp-upload-item.c: one file in the upload list
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model behind a row. The page fills in the check report and the
 * thumbnail; the upload part later drives "progress" and "result", and
 * the row shows whatever is set.
 */

#include "config.h"

#include "gp-upload-item.h"

struct _GpUploadItem
{
  GObject         parent_instance;

  GFile          *file;
  char           *path;
  GpCheckReport  *report;
  char           *error;
  GdkPaintable   *thumbnail;
  GpUploadResult *result;
  double          progress;
  gboolean        checking;
  char           *notice;
};

G_DEFINE_FINAL_TYPE (GpUploadItem, gp_upload_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_CHECKING,
  PROP_REPORT,
  PROP_ERROR,
  PROP_THUMBNAIL,
  PROP_PROGRESS,
  PROP_RESULT,
  PROP_NOTICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GpUploadItem *
gp_upload_item_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (GP_TYPE_UPLOAD_ITEM, "file", file, NULL);
}

static void
gp_upload_item_finalize (GObject *object)
{
  GpUploadItem *self = GP_UPLOAD_ITEM (object);

  g_clear_object (&self->file);
  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->report, gp_check_report_unref);
  g_clear_pointer (&self->result, gp_upload_result_unref);

  G_OBJECT_CLASS (gp_upload_item_parent_class)->finalize (object);
}

static void
gp_upload_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GpUploadItem *self = GP_UPLOAD_ITEM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_RESULT:
      g_value_set_boxed (value, self->result);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_upload_item_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GpUploadItem *self = GP_UPLOAD_ITEM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      self->path = self->file ? g_file_get_path (self->file) : NULL;
      if (self->path == NULL && self->file != NULL)
        self->path = g_file_get_uri (self->file);
      break;
    case PROP_CHECKING:
      gp_upload_item_set_checking (self, g_value_get_boolean (value));
      break;
    case PROP_REPORT:
      gp_upload_item_set_report (self, g_value_get_boxed (value));
      break;
    case PROP_ERROR:
      gp_upload_item_set_error (self, g_value_get_string (value));
      break;
    case PROP_THUMBNAIL:
      gp_upload_item_set_thumbnail (self, g_value_get_object (value));
      break;
    case PROP_PROGRESS:
      gp_upload_item_set_progress (self, g_value_get_double (value));
      break;
    case PROP_RESULT:
      gp_upload_item_set_result (self, g_value_get_boxed (value));
      break;
    case PROP_NOTICE:
      gp_upload_item_set_notice (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_upload_item_class_init (GpUploadItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_upload_item_finalize;
  object_class->get_property = gp_upload_item_get_property;
  object_class->set_property = gp_upload_item_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the local check runs. */
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The check report for the current gateway. */
  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, GP_TYPE_CHECK_REPORT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Set when the check could not run at all (translated). */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* -1 when no upload runs, else 0..1. */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1, 1, -1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESULT] =
    g_param_spec_boxed ("result", NULL, NULL, GP_TYPE_UPLOAD_RESULT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Translated words about the upload beside the result, e.g. that the
   * same bytes were uploaded before and were skipped. */
  properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_upload_item_init (GpUploadItem *self)
{
  self->progress = -1;
}

GFile *
gp_upload_item_get_file (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->file;
}

/* The local path (or the URI of a non-local file): the key that keeps the
 * same file from being listed twice. */
const char *
gp_upload_item_get_path (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->path;
}

char *
gp_upload_item_dup_name (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return g_path_get_basename (self->path);
}

gboolean
gp_upload_item_get_checking (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), FALSE);
  return self->checking;
}

void
gp_upload_item_set_checking (GpUploadItem *self,
                             gboolean      checking)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  checking = !!checking;
  if (self->checking == checking)
    return;
  self->checking = checking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

GpCheckReport *
gp_upload_item_get_report (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->report;
}

void
gp_upload_item_set_report (GpUploadItem  *self,
                           GpCheckReport *report)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  if (self->report == report)
    return;
  if (report != NULL)
    gp_check_report_ref (report);
  g_clear_pointer (&self->report, gp_check_report_unref);
  self->report = report;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

const char *
gp_upload_item_get_error (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->error;
}

void
gp_upload_item_set_error (GpUploadItem *self,
                          const char   *error)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

GdkPaintable *
gp_upload_item_get_thumbnail (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->thumbnail;
}

void
gp_upload_item_set_thumbnail (GpUploadItem *self,
                              GdkPaintable *thumbnail)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  if (g_set_object (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

double
gp_upload_item_get_progress (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), -1);
  return self->progress;
}

/**
 * gp_upload_item_set_progress:
 * @progress: 0..1 while the file is being sent, -1 when nothing runs
 */
void
gp_upload_item_set_progress (GpUploadItem *self,
                             double        progress)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  progress = progress < 0 ? -1 : CLAMP (progress, 0, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

GpUploadResult *
gp_upload_item_get_result (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->result;
}

void
gp_upload_item_set_result (GpUploadItem   *self,
                           GpUploadResult *result)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  if (self->result == result)
    return;
  if (result != NULL)
    gp_upload_result_ref (result);
  g_clear_pointer (&self->result, gp_upload_result_unref);
  self->result = result;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

const char *
gp_upload_item_get_notice (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), NULL);
  return self->notice;
}

void
gp_upload_item_set_notice (GpUploadItem *self,
                           const char   *notice)
{
  g_return_if_fail (GP_IS_UPLOAD_ITEM (self));

  if (g_strcmp0 (self->notice, notice) == 0)
    return;
  g_free (self->notice);
  self->notice = g_strdup (notice);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICE]);
}

/* Passed every check for the current gateway, and not sent (or being
 * sent) already. */
gboolean
gp_upload_item_is_ready (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), FALSE);

  return self->report != NULL && gp_check_report_is_ok (self->report) &&
         self->progress < 0 &&
         (self->result == NULL || !gp_upload_result_is_ok (self->result));
}

gboolean
gp_upload_item_is_refused (GpUploadItem *self)
{
  g_return_val_if_fail (GP_IS_UPLOAD_ITEM (self), FALSE);

  return !self->checking &&
         (self->error != NULL || (self->report != NULL && !gp_check_report_is_ok (self->report)));
}
