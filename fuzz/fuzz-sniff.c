/* fuzz-sniff.c: libFuzzer target for the format sniffer and dimension reader
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gatepost-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            gsize         size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        gsize         size)
{
  GpFormat format = gp_sniff_format (data, size);
  guint width = 0, height = 0;

  /* Every format, not only the sniffed one: the dimension readers must be
   * safe on any bytes, whatever the sniffer said. */
  for (GpFormat f = GP_FORMAT_UNKNOWN; f < GP_N_FORMATS; f++)
    if (gp_sniff_dimensions (f, data, size, &width, &height))
      g_assert (width > 0 && height > 0);

  g_assert (format >= GP_FORMAT_UNKNOWN && format < GP_N_FORMATS);

  return 0;
}
