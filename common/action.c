/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * action.c - the seccomp action table and the parser and formatter built on
 * it (see action.h). Values come from the kernel's own header, so nothing
 * here spells an action code by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/action.h"

const struct sca_action sca_actions[SCA_NACTIONS] = {
	{ SECCOMP_RET_KILL_PROCESS, "kill_process" },
	{ SECCOMP_RET_KILL_THREAD, "kill_thread" },
	{ SECCOMP_RET_TRAP, "trap" },
	{ SECCOMP_RET_ERRNO, "errno" },
	{ SECCOMP_RET_USER_NOTIF, "user_notif" },
	{ SECCOMP_RET_TRACE, "trace" },
	{ SECCOMP_RET_LOG, "log" },
	{ SECCOMP_RET_ALLOW, "allow" },
};

static const struct sca_action *action_of(uint32_t code)
{
	code &= SECCOMP_RET_ACTION_FULL;
	for (size_t i = 0; i < SCA_NACTIONS; i++)
		if (sca_actions[i].action == code)
			return &sca_actions[i];
	return NULL;
}

const char *sca_action_name(uint32_t code, char *buf, size_t n)
{
	const struct sca_action *a = action_of(code);

	if (a)
		return a->name;
	snprintf(buf, n, "0x%08x", code & SECCOMP_RET_ACTION_FULL);
	return buf;
}

const char *sca_code_str(uint32_t code, char *buf, size_t n)
{
	const struct sca_action *a = action_of(code);

	if (!a)
		snprintf(buf, n, "0x%08x", code);
	else if (a->action == SECCOMP_RET_ERRNO && (code & SECCOMP_RET_DATA))
		snprintf(buf, n, "%s(%u)", a->name, code & SECCOMP_RET_DATA);
	else
		snprintf(buf, n, "%s", a->name);
	return buf;
}

static int lookup(const char *name, unsigned flags, uint32_t *action)
{
	int (*cmp)(const char *, const char *) = flags & SCA_ACTION_PARSE_NOCASE ? strcasecmp : strcmp;

	/* the kernel's own alias: SECCOMP_RET_KILL */
	if (!cmp(name, "kill")) {
		*action = SECCOMP_RET_KILL_THREAD;
		return 0;
	}
	for (size_t i = 0; i < SCA_NACTIONS; i++)
		if (!cmp(name, sca_actions[i].name)) {
			*action = sca_actions[i].action;
			return 0;
		}
	return -EINVAL;
}

int sca_action_parse(const char *s, unsigned flags, int (*other)(const char *name, uint32_t *action),
		     uint32_t *code)
{
	const char *paren = flags & SCA_ACTION_PARSE_DATA ? strchr(s, '(') : NULL;
	size_t len = paren ? (size_t)(paren - s) : strlen(s);
	unsigned long data = 0;
	uint32_t action;
	char name[64];

	if (len >= sizeof(name))
		return -EINVAL;
	memcpy(name, s, len);
	name[len] = 0;
	if (paren) {
		char *end;
		data = strtoul(paren + 1, &end, 10);
		if (end == paren + 1 || strcmp(end, ")") || data > SECCOMP_RET_DATA)
			return -EINVAL;
	}
	if (lookup(name, flags, &action) && (!other || other(name, &action)))
		return -EINVAL;
	/* only errno's data is a thing users choose */
	if (paren && (action & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO)
		return -EINVAL;
	*code = action | (uint32_t)data;
	return paren ? 1 : 0;
}
