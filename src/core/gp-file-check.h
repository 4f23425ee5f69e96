/* gp-file-check.h: local checks of a file against a gateway's rules
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gp-types.h"

G_BEGIN_DECLS

/* Stable codes of stage "check" (INTERFACES.md). */
#define GP_CHECK_EMPTY_FILE         "EMPTY_FILE"
#define GP_CHECK_NOT_REGULAR_FILE   "NOT_REGULAR_FILE"
#define GP_CHECK_UNREADABLE         "UNREADABLE"
#define GP_CHECK_UNKNOWN_FORMAT     "UNKNOWN_FORMAT"
#define GP_CHECK_FORMAT_NOT_ALLOWED "FORMAT_NOT_ALLOWED"
#define GP_CHECK_EXCEED_MAX_SIZE    "EXCEED_MAX_SIZE"
#define GP_CHECK_FILE_CHANGED       "FILE_CHANGED"

/**
 * GpFileCheckFlags:
 * @GP_FILE_CHECK_NONE: the digests the gateway's requests need: SHA-256
 *   always (duplicates, WeChat's meta), MD5 too for WeChat Pay v2
 * @GP_FILE_CHECK_ALL_DIGESTS: MD5 as well, whatever the gateway, for a report
 *   that may later be evaluated for WeChat Pay v2 (the GUI switches profiles)
 * @GP_FILE_CHECK_DEFER_DIGESTS: read only the head of the file (type,
 *   dimensions) and compute no digest: the upload then computes SHA-256 of
 *   exactly the bytes it sends. Only for a gateway whose request carries no
 *   digest (Alipay); other drivers refuse such a report.
 */
typedef enum
{
  GP_FILE_CHECK_NONE          = 0,
  GP_FILE_CHECK_ALL_DIGESTS   = 1 << 0,
  GP_FILE_CHECK_DEFER_DIGESTS = 1 << 1,
} GpFileCheckFlags;

typedef struct
{
  const char *code;     /* one of the GP_CHECK_* codes */
  char       *message;  /* plain English, for logs and JSON */
} GpCheckProblem;

#define GP_TYPE_CHECK_REPORT (gp_check_report_get_type ())

GType                 gp_check_report_get_type        (void) G_GNUC_CONST;
GpCheckReport        *gp_check_report_ref             (GpCheckReport  *self);
void                  gp_check_report_unref           (GpCheckReport  *self);

const char           *gp_check_report_get_path        (GpCheckReport  *self);
GpGatewayKind         gp_check_report_get_gateway     (GpCheckReport  *self);
gboolean              gp_check_report_is_ok           (GpCheckReport  *self);
GpFormat              gp_check_report_get_format      (GpCheckReport  *self);
guint64               gp_check_report_get_size        (GpCheckReport  *self);
guint64               gp_check_report_get_max_size    (GpCheckReport  *self);
gint64                gp_check_report_get_mtime_ns    (GpCheckReport  *self);
const char           *gp_check_report_get_sha256      (GpCheckReport  *self);
const char           *gp_check_report_get_md5         (GpCheckReport  *self);
gboolean              gp_check_report_get_digests_deferred (GpCheckReport *self);
gboolean              gp_check_report_set_sent_sha256 (GpCheckReport  *self,
                                                       const char     *sha256_hex);
gboolean              gp_check_report_get_dimensions  (GpCheckReport  *self,
                                                       guint          *width,
                                                       guint          *height);
guint                 gp_check_report_get_n_problems  (GpCheckReport  *self);
const GpCheckProblem *gp_check_report_get_problem     (GpCheckReport  *self,
                                                       guint           index);
char                 *gp_check_report_dup_message     (GpCheckReport  *self);
const char * const   *gp_check_report_get_warnings    (GpCheckReport  *self);
GpCheckReport        *gp_check_report_evaluate        (GpCheckReport  *self,
                                                       GpGatewayKind   gateway);
gboolean              gp_check_report_still_matches   (GpCheckReport  *self,
                                                       int             fd,
                                                       GError        **error);

GpCheckReport        *gp_file_check_sync              (const char     *path,
                                                       GpGatewayKind   gateway,
                                                       GpFileCheckFlags flags,
                                                       GCancellable   *cancellable,
                                                       GError        **error);
void                  gp_file_check_async             (const char     *path,
                                                       GpGatewayKind   gateway,
                                                       GpFileCheckFlags flags,
                                                       GCancellable   *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer        user_data);
GpCheckReport        *gp_file_check_finish            (GAsyncResult   *result,
                                                       GError        **error);

GpFormat              gp_sniff_format                 (const guint8   *data,
                                                       gsize           len);
gboolean              gp_sniff_dimensions             (GpFormat        format,
                                                       const guint8   *data,
                                                       gsize           len,
                                                       guint          *width,
                                                       guint          *height);

G_GNUC_INTERNAL
gssize                gp_read_full                    (int             fd,
                                                       guint8         *buf,
                                                       gsize           len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpCheckReport, gp_check_report_unref)

G_END_DECLS
