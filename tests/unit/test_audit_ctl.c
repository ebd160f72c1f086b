/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of record/audit_ctl.c's rule reading: which audit rules drop
 * seccomp records, and the rule's auditctl form, on rules laid out as the
 * kernel lists them (struct audit_rule_data), including malformed ones.
 * The kernel's own answers are the integration tier's (test_doctor.sh).
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit_ctl.h"

/* A rule with room for strings after it, as the kernel sends it. */
struct rule {
	struct audit_rule_data *p;
};
#define STRINGS_MAX 64

static struct rule rule_new(uint32_t list, uint32_t action)
{
	struct rule r = { calloc(1, sizeof(*r.p) + STRINGS_MAX) };

	assert_non_null(r.p);
	r.p->flags = list;
	r.p->action = action;
	return r;
}

static void rule_free(struct rule *r)
{
	free(r->p);
}

static void field(struct rule *r, uint32_t f, uint32_t op, uint32_t v)
{
	uint32_t i = r->p->field_count++;

	r->p->fields[i] = f;
	r->p->fieldflags[i] = op;
	r->p->values[i] = v;
}

static void field_str(struct rule *r, uint32_t f, const char *s)
{
	size_t l = strlen(s);

	field(r, f, AUDIT_EQUAL, (uint32_t)l);
	memcpy(r->p->buf + r->p->buflen, s, l);
	r->p->buflen += (uint32_t)l;
}

static enum sca_audit_drop drops(const struct rule *r)
{
	return sca_audit_rule__drops_seccomp(r->p, sizeof(*r->p) + r->p->buflen);
}

static void test_exclude_msgtype(void **state)
{
	(void)state;
	struct rule r = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&r, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	assert_int_equal(drops(&r), SCA_AUDIT_DROP_ALL);
	/* on the exclude list a match drops, whatever the action */
	r.p->action = AUDIT_NEVER;
	assert_int_equal(drops(&r), SCA_AUDIT_DROP_ALL);
	/* auditctl -A prepends: still the exclude list */
	r.p->flags |= AUDIT_FILTER_PREPEND;
	assert_int_equal(drops(&r), SCA_AUDIT_DROP_ALL);
	rule_free(&r);
}

static void test_exclude_ranges(void **state)
{
	(void)state;
	static const struct { uint32_t op, v; enum sca_audit_drop want; } cases[] = {
		{ AUDIT_GREATER_THAN, 0, SCA_AUDIT_DROP_ALL },        /* Fedora-style msgtype>0 */
		{ AUDIT_NOT_EQUAL, AUDIT_SECCOMP, SCA_AUDIT_DROP_NONE },
		{ AUDIT_EQUAL, AUDIT_SYSCALL, SCA_AUDIT_DROP_NONE },
		{ AUDIT_LESS_THAN, AUDIT_SECCOMP, SCA_AUDIT_DROP_NONE },
		{ AUDIT_LESS_THAN_OR_EQUAL, AUDIT_SECCOMP, SCA_AUDIT_DROP_ALL },
		{ AUDIT_GREATER_THAN_OR_EQUAL, 1400, SCA_AUDIT_DROP_NONE },
		{ AUDIT_BIT_MASK, 0x2, SCA_AUDIT_DROP_ALL },          /* 1326 = 0x52e */
		{ AUDIT_BIT_TEST, 0x1, SCA_AUDIT_DROP_NONE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rule r = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
		field(&r, AUDIT_MSGTYPE, cases[i].op, cases[i].v);
		assert_int_equal(drops(&r), cases[i].want);
		rule_free(&r);
	}
}

static void test_exclude_some(void **state)
{
	(void)state;
	struct rule r = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&r, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	field(&r, AUDIT_UID, AUDIT_EQUAL, 1234);
	assert_int_equal(drops(&r), SCA_AUDIT_DROP_SOME);
	/* no msgtype at all: every record of the processes it names */
	struct rule p = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field_str(&p, AUDIT_EXE, "/usr/bin/noisy");
	assert_int_equal(drops(&p), SCA_AUDIT_DROP_SOME);
	/* a rule without fields never matches in audit_filter() */
	struct rule e = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	assert_int_equal(drops(&e), SCA_AUDIT_DROP_NONE);
	/* a field audit_filter() does not compare ends the list: kept, and no later rule asked */
	struct rule k = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&k, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	field(&k, AUDIT_PPID, AUDIT_EQUAL, 1);
	assert_int_equal(drops(&k), SCA_AUDIT_DROP_STOP);
	/* ... but only for the processes that reach it past a process field */
	struct rule q = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&q, AUDIT_UID, AUDIT_EQUAL, 7);
	field(&q, AUDIT_PPID, AUDIT_EQUAL, 1);
	assert_int_equal(drops(&q), SCA_AUDIT_DROP_NONE);
	rule_free(&r);
	rule_free(&p);
	rule_free(&e);
	rule_free(&k);
	rule_free(&q);
}

static void test_other_lists(void **state)
{
	(void)state;
	/* a never,task rule takes audit contexts away, not seccomp records */
	struct rule t = rule_new(AUDIT_FILTER_TASK, AUDIT_NEVER);
	assert_int_equal(drops(&t), SCA_AUDIT_DROP_NONE);
	struct rule x = rule_new(AUDIT_FILTER_EXIT, AUDIT_NEVER);
	field(&x, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	assert_int_equal(drops(&x), SCA_AUDIT_DROP_NONE);
	rule_free(&t);
	rule_free(&x);
}

static void test_malformed(void **state)
{
	(void)state;
	char out[128];
	struct rule r = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&r, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	/* cut short, or claiming more than arrived: never taken as a drop */
	assert_int_equal(sca_audit_rule__drops_seccomp(r.p, sizeof(*r.p) - 1), SCA_AUDIT_DROP_NONE);
	assert_int_equal(sca_audit_rule__str(r.p, sizeof(*r.p) - 1, out, sizeof(out)), -EINVAL);
	r.p->buflen = 10;
	assert_int_equal(sca_audit_rule__drops_seccomp(r.p, sizeof(*r.p) + 9), SCA_AUDIT_DROP_NONE);
	r.p->buflen = 0;
	r.p->field_count = AUDIT_MAX_FIELDS + 1;
	assert_int_equal(drops(&r), SCA_AUDIT_DROP_NONE);
	/* a string field longer than the strings sent */
	struct rule s = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field_str(&s, AUDIT_EXE, "/bin/x");
	s.p->values[0] = 200;
	assert_int_equal(sca_audit_rule__str(s.p, sizeof(*s.p) + s.p->buflen, out, sizeof(out)), -EINVAL);
	rule_free(&r);
	rule_free(&s);
}

static void test_str(void **state)
{
	(void)state;
	char out[256], tiny[12];
	struct rule r = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	field(&r, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_SECCOMP);
	assert_int_equal(sca_audit_rule__str(r.p, sizeof(*r.p), out, sizeof(out)), 0);
	assert_string_equal(out, "-a always,exclude -F msgtype=SECCOMP");

	struct rule m = rule_new(AUDIT_FILTER_EXCLUDE, AUDIT_NEVER);
	field(&m, AUDIT_MSGTYPE, AUDIT_GREATER_THAN, 0);
	field_str(&m, AUDIT_EXE, "/usr/bin/it's b");
	field(&m, AUDIT_LOGINUID, AUDIT_NOT_EQUAL, 4294967295u);
	field(&m, 999, AUDIT_BIT_TEST, 3);
	assert_int_equal(sca_audit_rule__str(m.p, sizeof(*m.p) + m.p->buflen, out, sizeof(out)), 0);
	/* a string value is one shell word, as a fix command needs */
	assert_string_equal(out, "-a never,exclude -F msgtype>0 -F exe='/usr/bin/it'\\''s b' "
				 "-F auid!=4294967295 -F field999&=3");
	/* cut to fit, always terminated, and said */
	assert_int_equal(sca_audit_rule__str(r.p, sizeof(*r.p), tiny, sizeof(tiny)), -ENOSPC);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	rule_free(&r);
	rule_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclude_msgtype),
		cmocka_unit_test(test_exclude_ranges),
		cmocka_unit_test(test_exclude_some),
		cmocka_unit_test(test_other_lists),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
