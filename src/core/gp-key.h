/* gp-key.h: RSA keys and X.509 certificates of merchant profiles
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The smallest RSA modulus Gatepost accepts (RSA2 / WECHATPAY2-SHA256-RSA2048). */
#define GP_KEY_MIN_BITS 2048

#define GP_TYPE_PRIVATE_KEY (gp_private_key_get_type ())
#define GP_TYPE_PUBLIC_KEY  (gp_public_key_get_type ())
#define GP_TYPE_CERTIFICATE (gp_certificate_get_type ())

typedef struct _GpPrivateKey  GpPrivateKey;
typedef struct _GpPublicKey   GpPublicKey;
typedef struct _GpCertificate GpCertificate;

/* How close a certificate is to its end, relative to a given time. */
typedef enum
{
  GP_EXPIRY_OK,
  GP_EXPIRY_SOON,      /* fewer than GP_EXPIRY_WARN_DAYS days left */
  GP_EXPIRY_EXPIRED,
} GpExpiry;

#define GP_EXPIRY_WARN_DAYS 30

GBytes        *gp_secret_bytes_new_take          (gpointer             data,
                                                  gsize                len);
GBytes        *gp_secret_bytes_new               (gconstpointer        data,
                                                  gsize                len);
void           gp_secret_free                    (gpointer             data,
                                                  gsize                len);

GType          gp_private_key_get_type           (void) G_GNUC_CONST;
GpPrivateKey  *gp_private_key_new_from_data      (const char          *data,
                                                  gsize                len,
                                                  GError             **error);
GpPrivateKey  *gp_private_key_ref                (GpPrivateKey        *self);
void           gp_private_key_unref              (GpPrivateKey        *self);
guint          gp_private_key_get_bits           (GpPrivateKey        *self);
GpPublicKey   *gp_private_key_get_public_key     (GpPrivateKey        *self);
GBytes        *gp_private_key_dup_pem            (GpPrivateKey        *self);

GType          gp_public_key_get_type            (void) G_GNUC_CONST;
GpPublicKey   *gp_public_key_new_from_data       (const char          *data,
                                                  gsize                len,
                                                  GError             **error);
GpPublicKey   *gp_public_key_ref                 (GpPublicKey         *self);
void           gp_public_key_unref               (GpPublicKey         *self);
guint          gp_public_key_get_bits            (GpPublicKey         *self);
const char    *gp_public_key_get_fingerprint     (GpPublicKey         *self);
const char    *gp_public_key_get_pem             (GpPublicKey         *self);
gboolean       gp_public_key_equal               (GpPublicKey         *a,
                                                  GpPublicKey         *b);
gboolean       gp_public_key_verifies            (GpPublicKey         *self,
                                                  GpPrivateKey        *key);

GType          gp_certificate_get_type           (void) G_GNUC_CONST;
GpCertificate *gp_certificate_new_from_data      (const char          *data,
                                                  gsize                len,
                                                  GError             **error);
GpCertificate *gp_certificate_ref                (GpCertificate       *self);
void           gp_certificate_unref              (GpCertificate       *self);
const char    *gp_certificate_get_serial         (GpCertificate       *self);
const char    *gp_certificate_get_subject        (GpCertificate       *self);
gint64         gp_certificate_get_not_after      (GpCertificate       *self);
GpExpiry       gp_certificate_get_expiry         (GpCertificate       *self,
                                                  gint64               now_unix,
                                                  int                 *days_left);
GpPublicKey   *gp_certificate_get_public_key     (GpCertificate       *self);
const char    *gp_certificate_get_pem            (GpCertificate       *self);
gboolean       gp_certificate_matches_key        (GpCertificate       *self,
                                                  GpPrivateKey        *key);

gboolean       gp_pkcs12_open                    (GBytes              *der,
                                                  const char          *password,
                                                  GpCertificate      **certificate,
                                                  GpPrivateKey       **key,
                                                  GError             **error);

char          *gp_normalize_serial               (const char          *serial);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPrivateKey, gp_private_key_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPublicKey, gp_public_key_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpCertificate, gp_certificate_unref)

G_END_DECLS
