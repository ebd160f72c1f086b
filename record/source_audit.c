/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_audit.c - see source_audit.h.
 *
 * The kernel multicasts every audit record to AUDIT_NLGRP_READLOG. When our
 * receive queue overflows it drops records, flags ENOBUFS on the next read
 * and counts the drop in the socket's sk_drops, which /proc/net/netlink
 * shows by socket inode: that count makes losses exact rather than "some".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_parse.h"
#include "recorder.h"
#include "source_audit.h"

/* An audit record is at most MAX_AUDIT_MESSAGE_LENGTH (8970) bytes; one
 * recvmmsg() takes up to BATCH of them, so a burst costs few syscalls. */
#define MSG_MAX 9216
#define BATCH 64
#define DEFAULT_RCVBUF (64 << 20)

struct sca_audit_source {
	int fd;
	unsigned long ino;
	uint64_t drops_seen;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	char buf[BATCH][MSG_MAX];
	struct sca_audit_strings strs;
};

/* Drops of our socket as the kernel counts them; -1 if unknown. */
static long long read_drops(unsigned long ino)
{
	FILE *f = fopen("/proc/net/netlink", "re");
	char line[512];
	long long drops = -1;

	if (!f)
		return -1;
	/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long sk, inode;
		int eth, locks;
		unsigned pid;
		unsigned groups;
		unsigned long rmem, wmem, dump;
		long long d;
		if (sscanf(line, "%llx %d %u %x %lu %lu %lx %d %lld %llu", &sk, &eth, &pid, &groups, &rmem,
			   &wmem, &dump, &locks, &d, &inode) == 10 &&
		    inode == ino) {
			drops = d;
			break;
		}
	}
	fclose(f);
	return drops;
}

static void audit_close(void *state)
{
	struct sca_audit_source *src = state;

	if (!src)
		return;
	if (src->fd >= 0)
		close(src->fd);
	free(src);
}

static int subscribe(struct sca_audit_source **out, int rcvbuf)
{
	struct sca_audit_source *src = calloc(1, sizeof(*src));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = AUDIT_NLGRP_READLOG };
	struct stat st;
	int err;

	if (!src)
		return -ENOMEM;
	src->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
	if (src->fd < 0) {
		err = -errno;
		goto cleanup;
	}
	if (!rcvbuf)
		rcvbuf = DEFAULT_RCVBUF;
	/* FORCE passes rmem_max when we may; plain SO_RCVBUF is capped by it */
	if (setsockopt(src->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	    setsockopt(src->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf))) {
		err = -errno;
		goto cleanup;
	}
	if (bind(src->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		goto cleanup;
	}
	if (fstat(src->fd, &st) == 0) {
		src->ino = (unsigned long)st.st_ino;
		long long d = read_drops(src->ino);
		src->drops_seen = d > 0 ? (uint64_t)d : 0;
	}
	*out = src;
	return 0;
cleanup:
	audit_close(src);
	return err;
}

static int audit_open(void **state, const struct sca_record_opts *o, char *why, size_t whylen)
{
	struct sca_audit_source *src = NULL;
	int err = subscribe(&src, o->rcvbuf);

	if (!err)
		*state = src;
	else if (err == -EPERM || err == -EACCES)
		snprintf(why, whylen, "reading kernel audit records needs %s", sca_source_audit.caps);
	else if (err == -EPROTONOSUPPORT)
		snprintf(why, whylen, "this kernel has no %s", sca_source_audit.kernel);
	else
		snprintf(why, whylen, "cannot subscribe to audit records: %s", strerror(-err));
	return err;
}

int sca_audit_source__initial_netns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) || stat("/proc/1/ns/net", &init))
		return -1;
	return self.st_dev == init.st_dev && self.st_ino == init.st_ino;
}

static const char *audit_warning(void *state)
{
	(void)state;
	if (sca_audit_source__initial_netns() != 0)
		return NULL;
	return SCA_AUDIT_NETNS_WARNING;
}

static int audit_fd(void *state)
{
	struct sca_audit_source *src = state;

	return src->fd;
}

static int audit_check_drops(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_audit_source *src = state;
	long long d = read_drops(src->ino);

	if (d < 0 || (uint64_t)d <= src->drops_seen)
		return 0;
	uint64_t n = (uint64_t)d - src->drops_seen;
	src->drops_seen = (uint64_t)d;
	return sca_source_cb__lost(cb, ctx, "audit", n);
}

static int handle(struct sca_audit_source *src, char *buf, int n, sca_source_cb cb, void *ctx,
		  int *handled)
{
	/* walk the messages by hand: every length is checked against what arrived */
	for (size_t off = 0; off + NLMSG_HDRLEN <= (size_t)n;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)(buf + off);
		if (nh->nlmsg_len < NLMSG_HDRLEN || nh->nlmsg_len > (size_t)n - off)
			break;
		off += NLMSG_ALIGN(nh->nlmsg_len);
		if (nh->nlmsg_type != AUDIT_SECCOMP)
			continue;
		struct sca_event ev;
		const char *text = NLMSG_DATA(nh);
		size_t len = nh->nlmsg_len - NLMSG_HDRLEN;
		/* the kernel's text may or may not end in NUL */
		len = strnlen(text, len);
		if (sca_audit__parse(text, len, &ev, &src->strs))
			continue;
		(*handled)++;
		int err = sca_source_cb__event(cb, ctx, &ev);
		if (err)
			return err;
	}
	return 0;
}

/* Everything queued now, BATCH messages a syscall. */
static int audit_read(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_audit_source *src = state;
	int handled = 0, err;

	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			src->iov[i] = (struct iovec){ src->buf[i], MSG_MAX };
			src->msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &src->iov[i], .msg_iovlen = 1 };
		}
		int got = recvmmsg(src->fd, src->msgs, BATCH, MSG_DONTWAIT, NULL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == ENOBUFS) {
				if ((err = audit_check_drops(src, cb, ctx)))
					return err;
				continue;
			}
			return -errno;
		}
		for (int i = 0; i < got; i++)
			if ((err = handle(src, src->buf[i], (int)src->msgs[i].msg_len, cb, ctx, &handled)))
				return err;
		if (got < BATCH)
			break;
	}
	return handled;
}

const struct sca_source_ops sca_source_audit = {
	.name = "audit",
	.caps = "root or CAP_AUDIT_READ",
	.kernel = "audit support (NETLINK_AUDIT)",
	.open = audit_open,
	.warning = audit_warning,
	.fd = audit_fd,
	.read = audit_read,
	.check_drops = audit_check_drops,
	.close = audit_close,
};
