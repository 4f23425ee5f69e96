/* gp-gateway.c: the driver interface, one subclass per gateway
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gp-gateway.h"

typedef struct
{
  GpGatewayKind kind;
} GpGatewayPrivate;

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GpGateway, gp_gateway, G_TYPE_OBJECT)

static void
gp_gateway_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GpGatewayPrivate *priv = gp_gateway_get_instance_private (GP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, priv->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_gateway_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GpGatewayPrivate *priv = gp_gateway_get_instance_private (GP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_KIND:
      priv->kind = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_gateway_class_init (GpGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gp_gateway_get_property;
  object_class->set_property = gp_gateway_set_property;

  /* A GpGatewayKind; an int so the core needs no enum type registration. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      GP_GATEWAY_INVALID, GP_N_GATEWAYS - 1, GP_GATEWAY_INVALID,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_gateway_init (GpGateway *self)
{
}

GpGatewayKind
gp_gateway_get_kind (GpGateway *self)
{
  GpGatewayPrivate *priv;

  g_return_val_if_fail (GP_IS_GATEWAY (self), GP_GATEWAY_INVALID);

  priv = gp_gateway_get_instance_private (self);

  return priv->kind;
}

/**
 * gp_gateway_build_request:
 * @profile: (nullable): the profile's credentials (a test driver may not need them)
 * @options: (nullable): fixed clock, nonce and boundary for tests
 *
 * Returns: (transfer full): one attempt's request, or %NULL with @error
 */
GpHttpRequest *
gp_gateway_build_request (GpGateway              *self,
                          GpProfile              *profile,
                          GpCheckReport          *report,
                          const GpRequestOptions *options,
                          GError                **error)
{
  static const GpRequestOptions defaults = { 0, NULL, NULL };

  g_return_val_if_fail (GP_IS_GATEWAY (self), NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return GP_GATEWAY_GET_CLASS (self)->build_request (self, profile, report,
                                                     options ? options : &defaults, error);
}

/**
 * gp_gateway_parse_response:
 * @body: the response body, at most the transport's cap
 * @now_unix: the current time, for the response timestamp window
 *
 * Returns: (transfer full): the outcome of the attempt
 */
GpUploadResult *
gp_gateway_parse_response (GpGateway          *self,
                           GpProfile          *profile,
                           guint               status,
                           SoupMessageHeaders *headers,
                           GBytes             *body,
                           gint64              now_unix)
{
  g_return_val_if_fail (GP_IS_GATEWAY (self), NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  return GP_GATEWAY_GET_CLASS (self)->parse_response (self, profile, status, headers, body,
                                                      now_unix);
}
