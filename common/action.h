/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * action.h - sca's words for seccomp actions: the one table of names and the
 * kernel's SECCOMP_RET_* action values, the parser of what users type
 * ("log", "kill", "errno(13)") and the formatter of what the kernel audited
 * (a return value: action in the top 16 bits, data such as an errno below).
 * Profiles spell actions their own way (SCMP_ACT_*, profile/tables.c).
 */
#ifndef SCA_COMMON_ACTION_H
#define SCA_COMMON_ACTION_H

#include <linux/seccomp.h>      /* SECCOMP_RET_ACTION_FULL, SECCOMP_RET_DATA */
#include <stddef.h>
#include <stdint.h>

struct sca_action {
	uint32_t action;       /* SECCOMP_RET_*, data bits clear */
	const char *name;
};

/* Every action the kernel defines, in its precedence order (the first wins). */
#define SCA_NACTIONS 8
extern const struct sca_action sca_actions[SCA_NACTIONS];

/* Longest sca_code_str() result with its NUL: "kill_process", "errno(65535)". */
#define SCA_CODE_STR_MAX 16

/*
 * The action of an audited seccomp return value CODE: "log", "kill_thread",
 * "kill_process", "trap", "errno", "user_notif", "trace", "allow", or
 * "0xXXXXXXXX" (the action bits) for one the kernel does not define.
 */
const char *sca_action_name(uint32_t code, char *buf, size_t n);

/*
 * CODE as users read it: the action's name, with the data where it matters
 * ("errno(13)"; a trap with data 5 is "trap"), or "0xXXXXXXXX" (all of
 * CODE) for an action the kernel does not define.
 */
const char *sca_code_str(uint32_t code, char *buf, size_t n);

enum sca_action_parse_flags {
	SCA_ACTION_PARSE_DATA = 1 << 0,   /* also "errno(N)", N up to 65535 */
	SCA_ACTION_PARSE_NOCASE = 1 << 1, /* "LOG" is "log" */
};

/*
 * Parse S, an action name ("kill" is "kill_thread") or, with
 * SCA_ACTION_PARSE_DATA, "errno(N)". OTHER, when not NULL, is asked about a
 * name the table does not hold (another vocabulary, e.g. SCMP_ACT_*: it
 * returns 0 with the action set, or an error). On success *code is the
 * action with its data, and the result is 1 when S gave the data, else 0;
 * -EINVAL for anything else.
 */
int sca_action_parse(const char *s, unsigned flags, int (*other)(const char *name, uint32_t *action),
		     uint32_t *code);

#endif /* SCA_COMMON_ACTION_H */
