/* test-upload-result.c: GpUploadResult and the stage words of the contract
 *
 * Copyright 2026 The Gatepost authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gatepost-core.h"

static void
test_success (void)
{
  g_autoptr(GpUploadResult) r = gp_upload_result_new_success ("hOTQ1lT1", "http://x/y");

  g_assert_true (gp_upload_result_is_ok (r));
  g_assert_cmpint (gp_upload_result_get_stage (r), ==, GP_STAGE_NONE);
  g_assert_cmpstr (gp_upload_result_get_media_id (r), ==, "hOTQ1lT1");
  g_assert_cmpstr (gp_upload_result_get_media_url (r), ==, "http://x/y");
  g_assert_null (gp_upload_result_get_code (r));
  g_assert_cmpuint (gp_upload_result_get_attempts (r), ==, 1);
  g_assert_cmpint (gp_upload_result_get_history_id (r), ==, -1);
}

static void
test_failure (void)
{
  g_autoptr(GpUploadResult) r = gp_upload_result_new_failure (GP_STAGE_GATEWAY, "SIGN_ERROR",
                                                              "错误的签名,验签失败");

  g_assert_false (gp_upload_result_is_ok (r));
  g_assert_null (gp_upload_result_get_media_id (r));
  g_assert_cmpstr (gp_upload_result_get_code (r), ==, "SIGN_ERROR");
  g_assert_cmpstr (gp_stage_to_string (gp_upload_result_get_stage (r)), ==, "gateway");
  gp_upload_result_set_detail (r, "POST\n/v3/…");
  gp_upload_result_set_detail (r, gp_upload_result_get_detail (r));
  g_assert_cmpstr (gp_upload_result_get_detail (r), ==, "POST\n/v3/…");
  gp_upload_result_set_retryable (r, 42);
  g_assert_true (gp_upload_result_get_retryable (r) == TRUE);
}

static void
test_stage_words (void)
{
  static const char *words[] = { "check", "network", "gateway", "verify" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpstr (gp_stage_to_string (gp_stage_from_string (words[i])), ==, words[i]);
  g_assert_cmpint (gp_stage_from_string ("Check"), ==, GP_STAGE_NONE);
  g_assert_cmpint (gp_stage_from_string (NULL), ==, GP_STAGE_NONE);
  g_assert_null (gp_stage_to_string (GP_STAGE_NONE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gatepost/upload-result/success", test_success);
  g_test_add_func ("/gatepost/upload-result/failure", test_failure);
  g_test_add_func ("/gatepost/upload-result/stage-words", test_stage_words);

  return g_test_run ();
}
