/* test-signing-data.h: the openssl-made keys and vectors of tests/data/signing
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

/* Reads tests/data/signing/NAME exactly (generate.sh writes no newline). */
static inline char *
signing_data_read (const char *name,
                   gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "signing", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);

  return contents;
}

static inline char *
signing_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "signing", name, NULL);
}

static inline gnutls_privkey_t
signing_data_private_key (const char *name)
{
  g_autofree char *pem = NULL;
  gnutls_privkey_t key = NULL;
  gnutls_datum_t d;
  gsize len = 0;

  pem = signing_data_read (name, &len);
  d.data = (unsigned char *) pem;
  d.size = (unsigned int) len;
  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &d, GNUTLS_X509_FMT_PEM, NULL, 0), ==, 0);

  return key;
}

static inline gnutls_pubkey_t
signing_data_public_key (const char *name)
{
  g_autofree char *pem = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t d;
  gsize len = 0;

  pem = signing_data_read (name, &len);
  d.data = (unsigned char *) pem;
  d.size = (unsigned int) len;
  g_assert_cmpint (gnutls_pubkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import (key, &d, GNUTLS_X509_FMT_PEM), ==, 0);

  return key;
}
