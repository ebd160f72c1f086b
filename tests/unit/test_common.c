/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/: the one action table with its parser and
 * formatter, the one JSON string writer, and the forms untrusted strings
 * take for a terminal, a CSV cell, a Kubernetes name and a file name. */
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
#include "common/escape.h"
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

/* Every byte alone, and C1 and the steering characters, as JSON. */
static void test_json_bytes(void **state)
{
	char in[2] = { 0, 0 }, want[16];
	char *s;

	(void)state;
	for (int b = 1; b < 256; b++) {
		in[0] = (char)b;
		if (b == '"' || b == '\\')
			snprintf(want, sizeof(want), "\"\\%c\"", b);
		else if (b < 0x20 || b >= 0x80)   /* controls; a lone high byte is no UTF-8 */
			snprintf(want, sizeof(want), "\"\\u%04x\"", b);
		else
			snprintf(want, sizeof(want), "\"%c\"", b);   /* DEL too: JSON allows it */
		s = json(in);
		assert_string_equal(s, want);
		free(s);
	}
	s = json("\xc2\x9b" "1;2H\xc2\x85\xc2\xa0\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa8\xd8\x9c");
	assert_string_equal(s, "\"\\u009b1;2H\\u0085\xc2\xa0\\u202e\\u2066\\u2028\\u061c\"");
	free(s);
}

static char *esc(const char *s)
{
	char *d = sca_esc_dup(s);

	assert_non_null(d);
	return d;
}

/* Back from the terminal form to the bytes: the form is reversible. */
static size_t unescape(const char *e, char *out)
{
	size_t k = 0;
	unsigned v;

	while (*e) {
		if (*e != '\\') {
			out[k++] = *e++;
			continue;
		}
		switch (e[1]) {
		case '\\': out[k++] = '\\'; e += 2; break;
		case 't': out[k++] = '\t'; e += 2; break;
		case 'n': out[k++] = '\n'; e += 2; break;
		case 'r': out[k++] = '\r'; e += 2; break;
		case 'x':
			assert_int_equal(sscanf(e + 2, "%2x", &v), 1);
			out[k++] = (char)v;
			e += 4;
			break;
		case 'u':
			assert_int_equal(sscanf(e + 2, "%4x", &v), 1);
			if (v < 0x800) {
				out[k++] = (char)(0xc0 | v >> 6);
			} else {
				out[k++] = (char)(0xe0 | v >> 12);
				out[k++] = (char)(0x80 | ((v >> 6) & 0x3f));
			}
			out[k++] = (char)(0x80 | (v & 0x3f));
			e += 6;
			break;
		default:
			fail_msg("stray backslash in %s", e);
		}
	}
	out[k] = 0;
	return k;
}

/* E holds no control byte, is UTF-8, and no character in it steers. */
static void assert_inert(const char *e)
{
	const unsigned char *u = (const unsigned char *)e;
	uint32_t cp;
	size_t n;

	for (; *u; u += n) {
		assert_true(*u >= 0x20 && *u != 0x7f);
		n = sca_utf8_decode(u, &cp);
		assert_int_not_equal(n, 0);
		assert_false(sca_utf8_steers(cp));
	}
}

static void check_esc(const char *in, const char *want)
{
	char back[64];
	char *e = esc(in);

	if (want)
		assert_string_equal(e, want);
	assert_inert(e);
	unescape(e, back);
	assert_string_equal(back, in);
	free(e);
}

static void test_esc_bytes(void **state)
{
	char in[3] = { 0 }, want[8];

	(void)state;
	/* every byte alone */
	for (int b = 1; b < 256; b++) {
		in[0] = (char)b;
		if (b == '\\')
			strcpy(want, "\\\\");
		else if (b == '\t' || b == '\n' || b == '\r')
			snprintf(want, sizeof(want), "\\%c", b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
		else if (b < 0x20 || b >= 0x7f)
			snprintf(want, sizeof(want), "\\x%02x", b);
		else
			snprintf(want, sizeof(want), "%c", b);
		check_esc(in, want);
	}
	/* every pair: inert and reversible, whatever they are */
	for (int a = 1; a < 256; a++)
		for (int b = 1; b < 256; b++) {
			in[0] = (char)a, in[1] = (char)b;
			check_esc(in, NULL);
		}
	/* two-byte characters: C1 escaped, the rest as they are */
	for (int b = 0x80; b < 0xc0; b++) {
		in[0] = (char)0xc2, in[1] = (char)b;
		if (b < 0xa0)
			snprintf(want, sizeof(want), "\\u%04x", b);
		else
			memcpy(want, in, 3);
		check_esc(in, want);
	}
}

static void test_esc_sequences(void **state)
{
	(void)state;
	check_esc("\x1b]0;PWNED\x07\x1b[2J", "\\x1b]0;PWNED\\x07\\x1b[2J");
	check_esc("/bin/a\nFAKE ROW", "/bin/a\\nFAKE ROW");
	check_esc("a\\x1b", "a\\\\x1b");                       /* a literal backslash stays apart */
	check_esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	check_esc("\xc0\xaf", "\\xc0\\xaf");                     /* overlong '/' */
	check_esc("\xe0\x80\xaf", "\\xe0\\x80\\xaf");            /* overlong, three bytes */
	check_esc("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");   /* overlong, four bytes */
	check_esc("\xed\xa0\x80", "\\xed\\xa0\\x80");            /* surrogate U+D800 */
	check_esc("\xed\xbf\xbf", "\\xed\\xbf\\xbf");            /* surrogate U+DFFF */
	check_esc("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");   /* beyond U+10FFFF */
	check_esc("\xe2\x82", "\\xe2\\x82");                     /* cut short by the end */
	check_esc("\xe2\x82z", "\\xe2\\x82z");                   /* cut short by a character */
	check_esc("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
	check_esc("\x80\xbf", "\\x80\\xbf");                     /* continuation bytes alone */
	check_esc("\xfe\xff", "\\xfe\\xff");
	check_esc("\xc2\x9b" "31m", "\\u009b31m");               /* CSI as a C1 character */
	check_esc("abc\xe2\x80\xae" "fdp.exe", "abc\\u202efdp.exe"); /* right-to-left override */
	check_esc("\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c", "\\u2066\\u2069\\u200f\\u061c");
	check_esc("a\xe2\x80\xa8" "b\xe2\x80\xa9", "a\\u2028b\\u2029");
	check_esc("", "");
}

static void test_esc_buffers(void **state)
{
	const char *in = "ab\x1b" "c\xc3\xa9";     /* ab\x1bcé: 2 + 4 + 1 + 2 bytes */
	char buf[16], *d;

	(void)state;
	assert_int_equal(sca_esc(NULL, 0, in), 9);
	assert_int_equal(sca_esc(buf, sizeof(buf), in), 9);
	assert_string_equal(buf, "ab\\x1bc\xc3\xa9");
	/* a cut never splits an escape or a character */
	for (size_t n = 1; n <= 10; n++) {
		memset(buf, 'Z', sizeof(buf));
		assert_int_equal(sca_esc(buf, n, in), 9);
		size_t got = strlen(buf);
		assert_true(got < n);
		assert_true(got == (n <= 2 ? n - 1 : n <= 6 ? 2 : n <= 7 ? 6 : n <= 9 ? 7 : 9));
	}
	/* the stream form is the same */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	sca_esc_fput(f, in);
	sca_esc_pad(f, "\xc3\xa9", 3, true);
	sca_esc_pad(f, "x", 2, false);
	fclose(f);
	assert_string_equal(out, "ab\\x1bc\xc3\xa9  \xc3\xa9x ");
	free(out);
	/* columns: one per character, escapes as long as they look */
	d = esc(in);
	assert_int_equal(sca_esc_width(d), 8);
	assert_int_equal(sca_esc_cut(d, 0, NULL), 0);
	assert_int_equal(sca_esc_cut(d, 2, NULL), 2);
	assert_int_equal(sca_esc_cut(d, 5, &len), 2);
	assert_int_equal(len, 2);                  /* the escape does not fit */
	assert_int_equal(sca_esc_cut(d, 6, NULL), 6);
	assert_int_equal(sca_esc_cut(d, 7, NULL), 7);
	assert_int_equal(sca_esc_cut(d, 8, NULL), 9);
	assert_int_equal(sca_esc_cut(d, 80, NULL), 9);
	free(d);
	/* malformed input to the width functions stops at its end */
	assert_int_equal(sca_esc_width("\\"), 1);
	assert_int_equal(sca_esc_cut("a\\x1", 9, NULL), 4);
	assert_int_equal(sca_esc_cut("\xe2\x82", 9, NULL), 2);
}

static char *csv(const char *s, bool text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	sca_csv_cell(f, s, text);
	fclose(f);
	return out;
}

static void test_csv_cell(void **state)
{
	static const struct {
		const char *in;
		bool text;
		const char *want;
	} cases[] = {
		{ "plain", true, "plain" },
		{ "a,b", true, "\"a,b\"" },
		{ "say \"hi\"", true, "\"say \"\"hi\"\"\"" },
		{ "two\nlines", true, "\"two\nlines\"" },
		{ "=HYPERLINK(\"http://x\")", true, "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1+cmd|' /C calc'!A0", true, "\"'+1+cmd|' /C calc'!A0\"" },
		{ "-2+3", true, "\"'-2+3\"" },
		{ "@SUM(A1)", true, "\"'@SUM(A1)\"" },
		{ "\t=1", true, "\"'\t=1\"" },
		{ "\r=1", true, "\"'\r=1\"" },
		{ "a=1", true, "a=1" },                 /* only the first character counts */
		{ "", true, "" },
		{ "-1", false, "-1" },                  /* a number stays a number */
		{ "-1.5e3", false, "-1.5e3" },
		{ "-1", true, "\"'-1\"" },              /* the same text in a TEXT cell does not */
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = csv(cases[i].in, cases[i].text);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
}

/* Kubernetes' IsDNS1123Label. */
static bool is_label(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* IN as a name of at most MAX: WANT_PREFIX, and then a hash when HASHED. */
static void check_name(const char *in, size_t max, const char *want_prefix, bool hashed)
{
	char d[SCA_DNS_SUBDOMAIN_MAX + 1], again[SCA_DNS_SUBDOMAIN_MAX + 1];
	size_t n = strlen(want_prefix);

	sca_dns_name(d, in, max);
	if (hashed) {
		/* PREFIX-HHHHHHHH, or the hash alone: a label */
		assert_true(is_label(d));
		assert_int_equal(strlen(d), n + (n ? 9 : 8));
		assert_memory_equal(d, want_prefix, n);
		if (n)
			assert_int_equal(d[n], '-');
	} else {
		assert_string_equal(d, want_prefix);
	}
	sca_dns_name(again, d, max);               /* a name stays as it is */
	assert_string_equal(again, d);
}

static void test_dns_name(void **state)
{
	const size_t L = SCA_DNS_LABEL_MAX, S = SCA_DNS_SUBDOMAIN_MAX;
	char in[300], a[SCA_DNS_SUBDOMAIN_MAX + 1], b[SCA_DNS_SUBDOMAIN_MAX + 1];

	(void)state;
	check_name("web", L, "web", false);
	check_name("redis-0", L, "redis-0", false);
	check_name("0abc", L, "0abc", false);
	check_name("web.v2", L, "web.v2", false);  /* a subdomain is a name */
	check_name("../../../tmp/pwned", S, "tmp-pwned", true);
	check_name("Web_App", S, "web-app", true);
	check_name("-web-", S, "web", true);
	check_name("a..b", S, "a-b", true);
	check_name(".a", S, "a", true);
	check_name("a.", S, "a", true);
	check_name("a-.b", S, "a-b", true);
	check_name("a.-b", S, "a-b", true);
	check_name("\x1b]0;PWNED\x07\x1b[2J\n", S, "0-pwned-2j", true);
	check_name("caf\xc3\xa9", S, "caf", true);
	check_name("bad\xff\xc0\xaf", S, "bad", true);
	check_name("", S, "", true);
	check_name("...", S, "", true);
	memset(in, 'a', 63);
	in[63] = 0;
	check_name(in, L, in, false);              /* 63 is a label */
	memset(in, 'a', 250);
	in[250] = 0;
	check_name(in, S, in, false);              /* 250 is a subdomain */
	memset(a, 'a', 54);
	a[54] = 0;
	check_name(in, L, a, true);                /* but too long for a label: cut, hashed */
	memset(in, 'a', 254);
	in[254] = 0;
	check_name(in, S, a, true);                /* too long for anything */
	/* two long names alike in their first 54 bytes stay apart */
	sca_dns_name(a, in, L);
	in[249] = 'b';
	sca_dns_name(b, in, L);
	assert_string_not_equal(a, b);
	/* "Web" and "web" stay apart too */
	sca_dns_name(a, "Web", L);
	sca_dns_name(b, "web", L);
	assert_string_not_equal(a, b);
	/* every byte, first and later */
	for (int c = 1; c < 256; c++) {
		in[0] = (char)c, in[1] = 'x', in[2] = (char)c, in[3] = 0;
		sca_dns_name(a, in, L);
		if (strcmp(a, in))
			assert_true(is_label(a));
		else
			assert_true(c == '.' ? false : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
	}
}

static bool is_file_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > SCA_FILE_NAME_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]))
			return false;
	return true;
}

static void test_file_name(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "host", "host" },
		{ "web.1_A-b", "web.1_A-b" },
		{ "a/b", "a_b" },
		{ "..", "_." },
		{ ".hidden", "_hidden" },
		{ "-rf", "_rf" },
		{ "../../etc/passwd", "_._.._etc_passwd" },
		{ "\x1b[2J\nx", "__2J_x" },
		{ "caf\xc3\xa9", "caf__" },
		{ "", "_" },
	};
	char in[300], a[SCA_FILE_NAME_MAX + 1], b[SCA_FILE_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sca_file_name(a, cases[i].in);
		assert_string_equal(a, cases[i].want);
		assert_true(is_file_name(a));
	}
	memset(in, 'x', 100);
	in[100] = 0;
	sca_file_name(a, in);
	assert_string_equal(a, in);                /* 100 bytes fit */
	memset(in, 'x', 250);
	in[250] = 0;
	sca_file_name(a, in);
	assert_int_equal(strlen(a), SCA_FILE_NAME_MAX);
	assert_true(is_file_name(a));
	assert_memory_equal(a, in, 91);
	assert_int_equal(a[91], '-');
	in[249] = 'y';
	sca_file_name(b, in);
	assert_string_not_equal(a, b);
	for (int c = 1; c < 256; c++) {
		in[0] = (char)c, in[1] = (char)c, in[2] = 0;
		sca_file_name(a, in);
		assert_true(is_file_name(a));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_parse),
		cmocka_unit_test(test_action_format),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_json_bytes),
		cmocka_unit_test(test_esc_bytes),
		cmocka_unit_test(test_esc_sequences),
		cmocka_unit_test(test_esc_buffers),
		cmocka_unit_test(test_csv_cell),
		cmocka_unit_test(test_dns_name),
		cmocka_unit_test(test_file_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
