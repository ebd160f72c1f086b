/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * audit_ctl.c - see audit_ctl.h. The kernel answers on the socket that
 * asked: AUDIT_GET with one struct audit_status, AUDIT_LIST_RULES with one
 * message per rule and then NLMSG_DONE; a refusal is an NLMSG_ERROR. Every
 * length is checked against what arrived, and only the kernel (port 0) is
 * listened to.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit_ctl.h"
#include "common/cli.h"
#include "common/clock.h"

/* a rule whose strings pass this (64 paths of 4 KiB would) fails the listing: EBADMSG */
#define REPLY_MAX (256 * 1024)
/* the kernel answers at once; a deadline for the whole request, EINTR or not */
#define WAIT_MS 500

struct reply_ctx {
	int type;                /* the request, and the type of its data replies */
	/* each data reply (a rule list's is a sca_audit_rule_cb); a negative return stops */
	int (*on_data)(void *arg, const void *data, size_t len);
	void *arg;
	bool multi;              /* replies end with NLMSG_DONE */
};

static int ctl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);

	return fd < 0 ? -errno : fd;
}

static int ctl_send(int fd, int type)
{
	struct nlmsghdr nh = {
		.nlmsg_len = NLMSG_LENGTH(0), .nlmsg_type = (uint16_t)type,
		.nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(fd, &nh, nh.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* One datagram's messages; 0 to go on, 1 when done, or a negative errno. */
static int ctl_handle(struct reply_ctx *r, const char *buf, size_t n)
{
	for (size_t off = 0; off + NLMSG_HDRLEN <= n;) {
		const struct nlmsghdr *nh = (const struct nlmsghdr *)(buf + off);
		if (nh->nlmsg_len < NLMSG_HDRLEN || nh->nlmsg_len > n - off)
			return -EBADMSG;
		off += NLMSG_ALIGN(nh->nlmsg_len);
		const void *data = NLMSG_DATA(nh);
		size_t len = nh->nlmsg_len - NLMSG_HDRLEN;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = data;
			if (len < sizeof(*e))
				return -EBADMSG;
			if (e->error)
				return e->error < 0 ? e->error : -e->error;
			continue;               /* an ack */
		}
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type != r->type)
			continue;
		int err = r->on_data(r->arg, data, len);
		if (err < 0)
			return err;
		if (!r->multi)
			return 1;
	}
	return 0;
}

/* Ask r->type and hand each reply to r until the kernel is done. */
static int ctl_request(struct reply_ctx *r)
{
	char *buf = malloc(REPLY_MAX);
	int fd = ctl_open(), err = -ENOMEM;

	if (fd < 0) {
		free(buf);
		return fd;
	}
	if (!buf || (err = ctl_send(fd, r->type)))
		goto cleanup;
	uint64_t end = sca_clock_ns(CLOCK_MONOTONIC) + WAIT_MS * 1000000ull;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		int left = sca_clock_ms_until(end);
		int ready = left ? poll(&p, 1, left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			err = ready < 0 ? -errno : -ETIMEDOUT;
			break;
		}
		ssize_t n = recvfrom(fd, buf, REPLY_MAX, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			err = -errno;
			break;
		}
		if (fl != sizeof(from) || from.nl_pid != 0)
			continue;               /* not the kernel */
		if ((err = ctl_handle(r, buf, (size_t)n)))
			break;
	}
	if (err == 1)
		err = 0;
cleanup:
	free(buf);
	close(fd);
	return err;
}

static int take_status(void *arg, const void *data, size_t len)
{
	struct audit_status s = { 0 };
	struct sca_audit_status *st = arg;

	/* older kernels send a shorter struct; what they leave out stays 0 */
	memcpy(&s, data, len < sizeof(s) ? len : sizeof(s));
	*st = (struct sca_audit_status){
		.enabled = s.enabled, .failure = s.failure, .pid = s.pid, .rate_limit = s.rate_limit,
		.backlog_limit = s.backlog_limit, .lost = s.lost, .backlog = s.backlog,
	};
	return 0;
}

int sca_audit_ctl__status(struct sca_audit_status *st)
{
	struct reply_ctx r = { .type = AUDIT_GET, .on_data = take_status, .arg = st };

	*st = (struct sca_audit_status){ 0 };
	return ctl_request(&r);
}

int sca_audit_ctl__rules(sca_audit_rule_cb cb, void *ctx)
{
	struct reply_ctx r = { .type = AUDIT_LIST_RULES, .on_data = cb, .arg = ctx, .multi = true };

	return ctl_request(&r);
}

/* ---- rules ------------------------------------------------------------ */

/* The rule, if len holds all of it: its fields and its strings. */
static const struct audit_rule_data *rule_get(const void *rule, size_t len)
{
	const struct audit_rule_data *d = rule;

	if (len < sizeof(*d) || d->field_count > AUDIT_MAX_FIELDS || d->buflen > len - sizeof(*d))
		return NULL;
	return d;
}

/* The kernel's audit_comparator(). */
static bool compare(uint32_t left, uint32_t op, uint32_t right)
{
	switch (op) {
	case AUDIT_EQUAL: return left == right;
	case AUDIT_NOT_EQUAL: return left != right;
	case AUDIT_LESS_THAN: return left < right;
	case AUDIT_LESS_THAN_OR_EQUAL: return left <= right;
	case AUDIT_GREATER_THAN: return left > right;
	case AUDIT_GREATER_THAN_OR_EQUAL: return left >= right;
	case AUDIT_BIT_MASK: return left & right;
	case AUDIT_BIT_TEST: return (left & right) == right;
	default: return false;
	}
}

/* The fields audit_filter() compares on the exclude list beside msgtype: the process's. */
static bool process_field(uint32_t f)
{
	switch (f) {
	case AUDIT_PID: case AUDIT_UID: case AUDIT_GID: case AUDIT_LOGINUID: case AUDIT_LOGINUID_SET:
	case AUDIT_SUBJ_USER: case AUDIT_SUBJ_ROLE: case AUDIT_SUBJ_TYPE: case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR: case AUDIT_EXE:
		return true;
	default:
		return false;
	}
}

/*
 * As audit_filter() walks a rule: fields in order, the first false one
 * ends the rule; a field it does not compare ends the whole list, keeping
 * the record; a rule without fields never matches.
 */
enum sca_audit_drop sca_audit_rule__drops_seccomp(const void *rule, size_t len)
{
	const struct audit_rule_data *d = rule_get(rule, len);
	bool some = false;

	if (!d || (d->flags & ~AUDIT_FILTER_PREPEND) != AUDIT_FILTER_EXCLUDE || !d->field_count)
		return SCA_AUDIT_DROP_NONE;
	for (uint32_t i = 0; i < d->field_count; i++) {
		if (d->fields[i] == AUDIT_MSGTYPE) {
			if (!compare(AUDIT_SECCOMP, d->fieldflags[i] & AUDIT_OPERATORS, d->values[i]))
				return SCA_AUDIT_DROP_NONE;
		} else if (process_field(d->fields[i])) {
			some = true;
		} else {
			/* every seccomp record gets here, unless a process field came first */
			return some ? SCA_AUDIT_DROP_NONE : SCA_AUDIT_DROP_STOP;
		}
	}
	return some ? SCA_AUDIT_DROP_SOME : SCA_AUDIT_DROP_ALL;
}

static const char *const list_names[] = {
	[AUDIT_FILTER_USER] = "user", [AUDIT_FILTER_TASK] = "task", [AUDIT_FILTER_ENTRY] = "entry",
	[AUDIT_FILTER_WATCH] = "watch", [AUDIT_FILTER_EXIT] = "exit", [AUDIT_FILTER_EXCLUDE] = "exclude",
	[AUDIT_FILTER_FS] = "filesystem", [AUDIT_FILTER_URING_EXIT] = "io_uring",
};

/* auditctl's names of the fields a rule may hold; NULL: a number. */
static const char *field_name(uint32_t f, bool *string)
{
	static const struct { uint32_t f; const char *name; bool string; } names[] = {
		{ AUDIT_PID, "pid", false }, { AUDIT_UID, "uid", false }, { AUDIT_EUID, "euid", false }, { AUDIT_SUID, "suid", false },
		{ AUDIT_FSUID, "fsuid", false }, { AUDIT_GID, "gid", false }, { AUDIT_EGID, "egid", false }, { AUDIT_SGID, "sgid", false },
		{ AUDIT_FSGID, "fsgid", false }, { AUDIT_LOGINUID, "auid", false }, { AUDIT_PERS, "pers", false },
		{ AUDIT_ARCH, "arch", false }, { AUDIT_MSGTYPE, "msgtype", false }, { AUDIT_PPID, "ppid", false },
		{ AUDIT_LOGINUID_SET, "loginuid_set", false }, { AUDIT_SESSIONID, "sessionid", false },
		{ AUDIT_EXIT, "exit", false }, { AUDIT_SUCCESS, "success", false }, { AUDIT_PERM, "perm", false },
		{ AUDIT_SUBJ_USER, "subj_user", true }, { AUDIT_SUBJ_ROLE, "subj_role", true },
		{ AUDIT_SUBJ_TYPE, "subj_type", true }, { AUDIT_SUBJ_SEN, "subj_sen", true },
		{ AUDIT_SUBJ_CLR, "subj_clr", true }, { AUDIT_OBJ_USER, "obj_user", true },
		{ AUDIT_OBJ_ROLE, "obj_role", true }, { AUDIT_OBJ_TYPE, "obj_type", true },
		{ AUDIT_OBJ_LEV_LOW, "obj_lev_low", true }, { AUDIT_OBJ_LEV_HIGH, "obj_lev_high", true },
		{ AUDIT_WATCH, "path", true }, { AUDIT_DIR, "dir", true }, { AUDIT_EXE, "exe", true },
		{ AUDIT_FILTERKEY, "key", true },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].f == f) {
			*string = names[i].string;
			return names[i].name;
		}
	*string = false;
	return NULL;
}

static const char *op_str(uint32_t op)
{
	switch (op) {
	case AUDIT_EQUAL: return "=";
	case AUDIT_NOT_EQUAL: return "!=";
	case AUDIT_LESS_THAN: return "<";
	case AUDIT_LESS_THAN_OR_EQUAL: return "<=";
	case AUDIT_GREATER_THAN: return ">";
	case AUDIT_GREATER_THAN_OR_EQUAL: return ">=";
	case AUDIT_BIT_MASK: return "&";
	case AUDIT_BIT_TEST: return "&=";
	default: return "?";
	}
}

/* A string value as one shell word: in single quotes, each ' as '\'' */
static size_t put_quoted(char *buf, size_t buflen, size_t at, const char *s, size_t n)
{
	at = sca_appendf(buf, buflen, at, "'");
	for (size_t i = 0; i < n; i++)
		at = s[i] == '\'' ? sca_appendf(buf, buflen, at, "'\\''") :
				    sca_appendf(buf, buflen, at, "%c", s[i] ? s[i] : '?');
	return sca_appendf(buf, buflen, at, "'");
}

int sca_audit_rule__str(const void *rule, size_t len, char *buf, size_t buflen)
{
	const struct audit_rule_data *d = rule_get(rule, len);
	static const char *const actions[] = { "never", "possible", "always" };
	uint32_t list, strat = 0;
	size_t at = 0;

	if (!buflen)
		return -EINVAL;
	buf[0] = 0;
	if (!d)
		return -EINVAL;
	list = d->flags & ~AUDIT_FILTER_PREPEND;
	if (d->action < 3)
		at = sca_appendf(buf, buflen, at, "-a %s,", actions[d->action]);
	else
		at = sca_appendf(buf, buflen, at, "-a action%u,", d->action);
	if (list < sizeof(list_names) / sizeof(list_names[0]) && list_names[list])
		at = sca_appendf(buf, buflen, at, "%s", list_names[list]);
	else
		at = sca_appendf(buf, buflen, at, "list%u", list);
	for (uint32_t i = 0; i < d->field_count; i++) {
		bool string;
		const char *name = field_name(d->fields[i], &string);
		const char *op = op_str(d->fieldflags[i] & AUDIT_OPERATORS);
		if (name)
			at = sca_appendf(buf, buflen, at, " -F %s%s", name, op);
		else
			at = sca_appendf(buf, buflen, at, " -F field%u%s", d->fields[i], op);
		if (string) {
			/* the strings follow the fields in buf, in field order */
			if (d->values[i] > d->buflen - strat)
				return -EINVAL;
			at = put_quoted(buf, buflen, at, d->buf + strat, d->values[i]);
			strat += d->values[i];
		} else if (d->fields[i] == AUDIT_MSGTYPE && d->values[i] == AUDIT_SECCOMP) {
			at = sca_appendf(buf, buflen, at, "SECCOMP");
		} else {
			at = sca_appendf(buf, buflen, at, "%u", d->values[i]);
		}
	}
	/* a rule cut short is no command to give */
	return at + 1 >= buflen ? -ENOSPC : 0;
}
