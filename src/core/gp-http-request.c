/* gp-http-request.c: one attempt's request, as a driver built it
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-http-request.h"

#include <string.h>

struct _GpHttpRequest
{
  gatomicrefcount     ref;

  char               *method;
  char               *url;
  GPtrArray          *headers;   /* name, value, name, value, … */

  char               *content_type;
  guint64             length;
  GpHttpBodyOpenFunc  open_func;
  gpointer            user_data;
  GDestroyNotify      destroy;
};

G_DEFINE_BOXED_TYPE (GpHttpRequest, gp_http_request, gp_http_request_ref, gp_http_request_unref)

/**
 * gp_http_request_new:
 * @method: "POST"
 * @url: the absolute URL including any query string
 *
 * Returns: (transfer full): a request without headers or body
 */
GpHttpRequest *
gp_http_request_new (const char *method,
                     const char *url)
{
  GpHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (GpHttpRequest, 1);
  g_atomic_ref_count_init (&self->ref);
  self->method = g_strdup (method);
  self->url = g_strdup (url);
  self->headers = g_ptr_array_new_with_free_func (g_free);

  return self;
}

GpHttpRequest *
gp_http_request_ref (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
gp_http_request_unref (GpHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_free (self->method);
  g_free (self->url);
  g_ptr_array_unref (self->headers);
  g_free (self->content_type);
  g_free (self);
}

const char *
gp_http_request_get_method (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

const char *
gp_http_request_get_url (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

/* Header values come from drivers; CR and LF in one would split the
 * header, so they are a programming error here, not user input. */
void
gp_http_request_add_header (GpHttpRequest *self,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);
  g_return_if_fail (strpbrk (name, "\r\n:") == NULL);
  g_return_if_fail (strpbrk (value, "\r\n") == NULL);

  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

guint
gp_http_request_get_n_headers (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->headers->len / 2;
}

void
gp_http_request_get_header (GpHttpRequest  *self,
                            guint           index,
                            const char    **name,
                            const char    **value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->headers->len / 2);

  if (name)
    *name = g_ptr_array_index (self->headers, 2 * index);
  if (value)
    *value = g_ptr_array_index (self->headers, 2 * index + 1);
}

/**
 * gp_http_request_lookup_header:
 *
 * Returns: (nullable): the first value of @name (case-insensitive)
 */
const char *
gp_http_request_lookup_header (GpHttpRequest *self,
                               const char    *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
      return g_ptr_array_index (self->headers, i + 1);

  return NULL;
}

/**
 * gp_http_request_set_body:
 * @content_type: the full Content-Type, boundary included
 * @length: the exact body length, sent as Content-Length
 * @open_func: opens the body for one attempt
 * @destroy: (nullable): frees @user_data with the request
 */
void
gp_http_request_set_body (GpHttpRequest      *self,
                          const char         *content_type,
                          guint64             length,
                          GpHttpBodyOpenFunc  open_func,
                          gpointer            user_data,
                          GDestroyNotify      destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (open_func != NULL);

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  self->length = length;
  self->open_func = open_func;
  self->user_data = user_data;
  self->destroy = destroy;
}

const char *
gp_http_request_get_content_type (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->content_type;
}

guint64
gp_http_request_get_content_length (GpHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

/**
 * gp_http_request_open_body:
 *
 * Returns: (transfer full): a new stream of the body, or %NULL with @error
 */
GInputStream *
gp_http_request_open_body (GpHttpRequest  *self,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->open_func != NULL, NULL);

  return self->open_func (self->user_data, cancellable, error);
}
