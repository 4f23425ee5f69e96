/* gp-media.h: off-main-thread loading of previews and thumbnails
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What GstDiscoverer found in a video. Plain data that crosses threads. */
typedef struct
{
  guint64  duration_ns;
  guint    width;
  guint    height;
  gboolean has_video;
  gboolean has_audio;
  char    *video_codec;   /* nullable, e.g. "H.264 (High Profile)" */
  char    *audio_codec;   /* nullable */
  char    *missing;       /* nullable: what GStreamer lacks to play it */
} GpVideoInfo;

#define GP_TYPE_VIDEO_INFO (gp_video_info_get_type ())

GType        gp_video_info_get_type        (void) G_GNUC_CONST;
GpVideoInfo *gp_video_info_copy            (const GpVideoInfo    *self);
void         gp_video_info_free            (GpVideoInfo          *self);

void         gp_media_load_image_async     (GFile                *file,
                                            int                   max_size,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture  *gp_media_load_image_finish    (GAsyncResult         *result,
                                            GError              **error);
void         gp_media_render_pdf_async     (GFile                *file,
                                            int                   max_size,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture  *gp_media_render_pdf_finish    (GAsyncResult         *result,
                                            GError              **error);
void         gp_media_discover_video_async (GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GpVideoInfo *gp_media_discover_video_finish (GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpVideoInfo, gp_video_info_free)

G_END_DECLS
