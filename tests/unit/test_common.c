/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/: the one action table with its parser and
 * formatter, and the one JSON string writer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/action.h"
#include "common/json.h"

static int scmp_like(const char *name, uint32_t *action)
{
	if (strcmp(name, "SCMP_ACT_LOG"))
		return -EINVAL;
	*action = SECCOMP_RET_LOG;
	return 0;
}

static void test_action_parse(void **state)
{
	uint32_t code = 0;

	(void)state;
	assert_int_equal(sca_action_parse("log", 0, NULL, &code), 0);
	assert_int_equal(code, SECCOMP_RET_LOG);
	assert_int_equal(sca_action_parse("kill", 0, NULL, &code), 0);
	assert_int_equal(code, SECCOMP_RET_KILL_THREAD);
	assert_int_equal(sca_action_parse("kill_process", 0, NULL, &code), 0);
	assert_int_equal(code, SECCOMP_RET_KILL_PROCESS);
	/* data only where the caller takes it, and only on errno */
	assert_int_equal(sca_action_parse("errno(13)", 0, NULL, &code), -EINVAL);
	assert_int_equal(sca_action_parse("errno(13)", SCA_ACTION_PARSE_DATA, NULL, &code), 1);
	assert_int_equal(code, SECCOMP_RET_ERRNO | 13);
	assert_int_equal(sca_action_parse("errno(65536)", SCA_ACTION_PARSE_DATA, NULL, &code), -EINVAL);
	assert_int_equal(sca_action_parse("errno(1", SCA_ACTION_PARSE_DATA, NULL, &code), -EINVAL);
	assert_int_equal(sca_action_parse("errno()", SCA_ACTION_PARSE_DATA, NULL, &code), -EINVAL);
	assert_int_equal(sca_action_parse("log(1)", SCA_ACTION_PARSE_DATA, NULL, &code), -EINVAL);
	/* case only where asked */
	assert_int_equal(sca_action_parse("LOG", 0, NULL, &code), -EINVAL);
	assert_int_equal(sca_action_parse("LOG", SCA_ACTION_PARSE_NOCASE, NULL, &code), 0);
	/* another vocabulary as the fallback */
	assert_int_equal(sca_action_parse("SCMP_ACT_LOG", 0, NULL, &code), -EINVAL);
	code = 0;
	assert_int_equal(sca_action_parse("SCMP_ACT_LOG", 0, scmp_like, &code), 0);
	assert_int_equal(code, SECCOMP_RET_LOG);
	assert_int_equal(sca_action_parse("", 0, NULL, &code), -EINVAL);
}

static void test_action_format(void **state)
{
	char buf[SCA_CODE_STR_MAX];

	(void)state;
	/* every name parses back to its action */
	for (size_t i = 0; i < SCA_NACTIONS; i++) {
		uint32_t code;
		assert_int_equal(sca_action_parse(sca_actions[i].name, 0, NULL, &code), 0);
		assert_int_equal(code, sca_actions[i].action);
		assert_string_equal(sca_action_name(sca_actions[i].action | 5, buf, sizeof(buf)),
				    sca_actions[i].name);
	}
	assert_string_equal(sca_code_str(SECCOMP_RET_ERRNO | 65535, buf, sizeof(buf)), "errno(65535)");
	assert_string_equal(sca_code_str(SECCOMP_RET_TRAP | 5, buf, sizeof(buf)), "trap");
	assert_string_equal(sca_code_str(0x12345678u, buf, sizeof(buf)), "0x12345678");
	assert_string_equal(sca_action_name(0x12345678u, buf, sizeof(buf)), "0x12340000");
}

static char *json(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	sca_json_str(f, s);
	fclose(f);
	return out;
}

static void test_json_str(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "new\nline\ttab\x1b", "\"new\\u000aline\\u0009tab\\u001b\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },               /* UTF-8 as it is */
		{ "bad\xff\xc3", "\"bad\\u00ff\\u00c3\"" },        /* not UTF-8: escaped */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },   /* a surrogate is no UTF-8 */
		{ "\xc0\xaf", "\"\\u00c0\\u00af\"" },              /* overlong */
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = json(cases[i].in);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
	s = json(NULL);
	assert_string_equal(s, "null");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_parse),
		cmocka_unit_test(test_action_format),
		cmocka_unit_test(test_json_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
