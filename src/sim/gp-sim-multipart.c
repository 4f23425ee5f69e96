/* gp-sim-multipart.c: the simulator's own multipart/form-data parser
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tolerates what PROTOCOLS.md 1.1/3.1 says the vendors accept: a preamble
 * (Java's leading CRLF), headers without a space after ':', a trailing ';'
 * on Content-Disposition, extra part headers, any part order.
 */

#include "config.h"

#include "gp-sim-multipart.h"

#include <string.h>

static void
part_free (gpointer data)
{
  GpSimPart *part = data;

  g_free (part->name);
  g_free (part->filename);
  g_free (part->content_type);
  g_free (part);
}

/* Finds `param` in a header value like `form-data; name="a"; filename=b`.
 * Quoted values keep their bytes raw (no RFC 2231). */
char *
gp_sim_header_param (const char *value,
                     const char *param)
{
  const char *p = value;
  gsize plen = strlen (param);

  while (p != NULL && *p != '\0')
    {
      const char *semi;

      /* skip to the next ';' outside quotes */
      gboolean quoted = FALSE;

      for (semi = p; *semi != '\0'; semi++)
        {
          if (*semi == '"')
            quoted = !quoted;
          else if (*semi == ';' && !quoted)
            break;
        }
      if (*semi == '\0')
        return NULL;
      p = semi + 1;
      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, param, plen) == 0)
        {
          const char *v = p + plen;

          while (*v == ' ')
            v++;
          if (*v != '=')
            continue;
          v++;
          while (*v == ' ')
            v++;
          if (*v == '"')
            {
              GString *out = g_string_new (NULL);

              for (v++; *v != '\0' && *v != '"'; v++)
                {
                  if (*v == '\\' && v[1] != '\0')
                    v++;
                  g_string_append_c (out, *v);
                }
              return g_string_free (out, FALSE);
            }
          else
            {
              gsize n = strcspn (v, "; \t");

              return g_strndup (v, n);
            }
        }
    }
  return NULL;
}

/* The boundary of a multipart/form-data Content-Type, or NULL. */
char *
gp_sim_multipart_boundary (const char *content_type)
{
  g_autofree char *boundary = NULL;

  if (content_type == NULL
      || g_ascii_strncasecmp (content_type, "multipart/form-data", 19) != 0)
    return NULL;
  boundary = gp_sim_header_param (content_type + 19 - 1, "boundary");
  /* header_param skips the first token; start at the last char of the type
   * so "multipart/form-data;boundary=" and "…; boundary=" both work. */
  if (boundary == NULL || *boundary == '\0' || strlen (boundary) > 70)
    return NULL;
  return g_steal_pointer (&boundary);
}

static const guint8 *
find (const guint8 *hay,
      gsize         hay_len,
      const char   *needle,
      gsize         needle_len)
{
  return memmem (hay, hay_len, needle, needle_len);
}

static gboolean
parse_headers (GpSimPart   *part,
               const char  *text,
               GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      char *value;

      if (lines[i][0] == '\0')
        continue;
      if (colon == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "part header line without ':'");
          return FALSE;
        }
      *colon = '\0';
      value = g_strstrip (colon + 1);
      if (g_ascii_strcasecmp (g_strstrip (lines[i]), "Content-Disposition") == 0)
        {
          if (g_ascii_strncasecmp (value, "form-data", 9) != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "part Content-Disposition is not form-data");
              return FALSE;
            }
          g_free (part->name);
          g_free (part->filename);
          part->name = gp_sim_header_param (value, "name");
          part->filename = gp_sim_header_param (value, "filename");
        }
      else if (g_ascii_strcasecmp (lines[i], "Content-Type") == 0)
        {
          g_free (part->content_type);
          part->content_type = g_strdup (value);
        }
    }
  if (part->name == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a part has no Content-Disposition name");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
gp_sim_multipart_parse (const guint8  *body,
                        gsize          len,
                        const char    *boundary,
                        GError       **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (part_free);
  g_autofree char *delim = g_strconcat ("\r\n--", boundary, NULL);
  gsize dlen = strlen (delim);
  const guint8 *end = body + len;
  const guint8 *p;

  /* The first delimiter may start the body (no CRLF before it) or follow
   * a preamble. */
  if (len >= dlen - 2 && memcmp (body, delim + 2, dlen - 2) == 0)
    p = body + dlen - 2;
  else
    {
      p = find (body, len, delim, dlen);
      if (p == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the body does not contain the boundary");
          return NULL;
        }
      p += dlen;
    }

  for (;;)
    {
      const guint8 *hdr_end;
      const guint8 *next;
      g_autofree char *headers = NULL;
      GpSimPart *part;

      /* after a delimiter: "--" ends the body, else optional blanks + CRLF */
      if (end - p >= 2 && p[0] == '-' && p[1] == '-')
        return g_steal_pointer (&parts);
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "a boundary line is not followed by CRLF");
          return NULL;
        }
      p += 2;
      hdr_end = find (p, end - p, "\r\n\r\n", 4);
      if (hdr_end == NULL)
        {
          /* a part with no header lines at all is also "\r\n" directly */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "a part's headers do not end with an empty line");
          return NULL;
        }
      headers = g_strndup ((const char *) p, hdr_end - p);
      part = g_new0 (GpSimPart, 1);
      g_ptr_array_add (parts, part);
      if (!parse_headers (part, headers, error))
        return NULL;
      p = hdr_end + 4;
      next = find (p, end - p, delim, dlen);
      if (next == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the body ends without the closing boundary");
          return NULL;
        }
      part->data = p;
      part->len = next - p;
      p = next + dlen;
    }
}

GpSimPart *
gp_sim_multipart_find (GPtrArray  *parts,
                       const char *name)
{
  for (guint i = 0; i < parts->len; i++)
    {
      GpSimPart *part = g_ptr_array_index (parts, i);

      if (g_strcmp0 (part->name, name) == 0)
        return part;
    }
  return NULL;
}
