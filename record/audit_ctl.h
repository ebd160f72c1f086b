/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * audit_ctl.h - questions to the kernel's audit control channel (unicast
 * NETLINK_AUDIT, as auditctl asks them): its status and its rule list,
 * and whether a rule drops seccomp records. Read-only: nothing here
 * changes the kernel's audit state. Both requests need CAP_AUDIT_CONTROL
 * and the initial PID namespace; the source (source_audit.c) needs
 * neither.
 */
#ifndef SCA_RECORD_AUDIT_CTL_H
#define SCA_RECORD_AUDIT_CTL_H

#include <stddef.h>
#include <stdint.h>

struct sca_audit_status {
	uint32_t enabled;        /* 0 off, 1 on, 2 locked */
	uint32_t failure;        /* 0 silent, 1 printk, 2 panic */
	uint32_t pid;            /* the registered audit daemon, 0: none */
	uint32_t rate_limit;     /* records a second, 0: no limit */
	uint32_t backlog_limit;
	uint32_t lost;           /* records the kernel dropped since boot */
	uint32_t backlog;
};

/* The kernel's audit status (AUDIT_GET). 0 or a negative errno. */
int sca_audit_ctl__status(struct sca_audit_status *st);

/* What a rule does to seccomp records (type 1326). */
enum sca_audit_drop {
	SCA_AUDIT_DROP_NONE,     /* keeps them */
	SCA_AUDIT_DROP_SOME,     /* drops those of the processes the rest of the rule matches */
	SCA_AUDIT_DROP_ALL,      /* drops every one */
	SCA_AUDIT_DROP_STOP,     /* keeps every one, and no later exclude rule is asked */
};

/*
 * One rule as the kernel lists it (a struct audit_rule_data of len bytes).
 * Called for each rule in the kernel's order, list by list; a negative
 * return stops the listing and is returned.
 */
typedef int (*sca_audit_rule_cb)(void *ctx, const void *rule, size_t len);

/* Every rule of every list (AUDIT_LIST_RULES). 0 or a negative errno. */
int sca_audit_ctl__rules(sca_audit_rule_cb cb, void *ctx);

/*
 * What RULE (len bytes) does to seccomp records, walked as the kernel's
 * audit_filter() (kernel/auditfilter.c) walks it. Only the exclude list
 * drops records by type, and there a match drops the record whatever the
 * rule's action (never or always). A malformed rule drops none.
 */
enum sca_audit_drop sca_audit_rule__drops_seccomp(const void *rule, size_t len);

/*
 * RULE in auditctl's syntax, e.g. "-a always,exclude -F msgtype=SECCOMP",
 * into buf (always NUL-terminated), string values single-quoted for a
 * shell. They are the kernel's bytes: escape before printing. Returns
 * -EINVAL for a malformed rule, -ENOSPC when buf held only its start.
 */
int sca_audit_rule__str(const void *rule, size_t len, char *buf, size_t buflen);

#endif
