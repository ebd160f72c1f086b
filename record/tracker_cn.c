/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_cn.c - the process tracker's feed where BPF is refused: the
 * kernel's proc connector (NETLINK_CONNECTOR, CN_IDX_PROC) announces each
 * fork, exec and exit, and the process is read from /proc at once. A child
 * that is already gone by then (killed by its filter in a microsecond) is
 * described by its parent, which forked it in its own namespaces and
 * cgroup: for a container's shell, the container; and when the parent is
 * gone too, by what the table knew of the parent. Needs CAP_NET_ADMIN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "proc_event.h"
#include "tracker_cn.h"

struct sca_tracker_cn {
	int fd;
	struct sca_tracker *t;
	sca_tracker_cb *cb;
	void *ctx;
};

/* The connector stamps CLOCK_MONOTONIC, which stops in a suspend; boot does not. */
static int64_t mono_to_boot(void)
{
	return (int64_t)(sca_clock_ns(CLOCK_BOOTTIME) - sca_clock_ns(CLOCK_MONOTONIC));
}

static int listen_msg(int fd, enum proc_cn_mcast_op op)
{
	/* header, connector message, operation: laid out by hand (cn_msg ends in a flexible array) */
	char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(op))] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nl = (struct nlmsghdr *)buf;
	struct cn_msg *cn = NLMSG_DATA(nl);

	memset(buf, 0, sizeof(buf));
	nl->nlmsg_len = NLMSG_LENGTH(sizeof(*cn) + sizeof(op));
	nl->nlmsg_type = NLMSG_DONE;
	nl->nlmsg_pid = (__u32)getpid();
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	return send(fd, buf, nl->nlmsg_len, 0) == (ssize_t)nl->nlmsg_len ? 0 : -errno;
}

int sca_tracker_cn__open(struct sca_tracker_cn **out, struct sca_tracker *t, sca_tracker_cb *cb, void *ctx,
			 char *why, size_t whylen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	struct sca_tracker_cn *c = calloc(1, sizeof(*c));
	int err, sz = 8 << 20;

	if (!c)
		return -ENOMEM;
	*c = (struct sca_tracker_cn){ .t = t, .cb = cb, .ctx = ctx };
	c->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (err = listen_msg(c->fd, PROC_CN_MCAST_LISTEN))) {
		err = -errno;
		snprintf(why, whylen, "the proc connector: %s%s", strerror(errno),
			 errno == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		sca_tracker_cn__close(c);
		return err;
	}
	/* a fork storm must not overrun it while the recorder is busy */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	*out = c;
	return 0;
}

void sca_tracker_cn__close(struct sca_tracker_cn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

int sca_tracker_cn__fd(const struct sca_tracker_cn *c)
{
	return c->fd;
}

static void feed(struct sca_tracker_cn *c, const struct sca_proc_event *e)
{
	const struct sca_proc_view *v = sca_tracker__add(c->t, e);
	if (c->cb)
		c->cb(c->ctx, e, v);
}

/* A fork: the child as /proc shows it, else as its parent does. */
static void on_fork(struct sca_tracker_cn *c, const struct proc_event *pe, uint64_t ts)
{
	struct sca_proc_event e;
	int child = pe->event_data.fork.child_tgid, parent = pe->event_data.fork.parent_tgid;

	if (pe->event_data.fork.child_pid != child)
		return;                 /* a thread */
	/* the child, else its parent, as /proc shows them; else the parent as seen before */
	if (sca_tracker__read_proc(c->t, "/proc", child, &e) &&
	    sca_tracker__read_proc(c->t, "/proc", parent, &e) &&
	    sca_tracker__fork_of(c->t, parent, ts, &e))
		return;
	e.kind = SCA_PROC_FORK;
	e.tgid = (uint32_t)child;
	e.ppid = e.forker = (uint32_t)parent;
	e.ts_boot_ns = ts;
	feed(c, &e);
}

static void on_exec_exit(struct sca_tracker_cn *c, const struct proc_event *pe, uint64_t ts)
{
	struct sca_proc_event e = { .kind = SCA_PROC_EXIT };
	bool exec = pe->what == PROC_EVENT_EXEC;
	int pid = exec ? pe->event_data.exec.process_tgid : pe->event_data.exit.process_tgid;

	if (!exec && pe->event_data.exit.process_pid != pid)
		return;                 /* a thread */
	/* an exec that is gone already: its fork record stands */
	if (exec && sca_tracker__read_proc(c->t, "/proc", pid, &e))
		return;
	e.kind = exec ? SCA_PROC_EXEC : SCA_PROC_EXIT;
	e.tgid = (uint32_t)pid;
	e.ts_boot_ns = ts;
	feed(c, &e);
}

/* One netlink message: a proc_event, copied out (it sits unaligned in the buffer). */
static void on_message(struct sca_tracker_cn *c, const struct nlmsghdr *h, int64_t off)
{
	const struct cn_msg *cn = NLMSG_DATA(h);
	struct proc_event pe;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn)) || cn->id.idx != CN_IDX_PROC ||
	    cn->id.val != CN_VAL_PROC || cn->len < offsetof(struct proc_event, event_data) ||
	    NLMSG_LENGTH(sizeof(*cn) + cn->len) > h->nlmsg_len)
		return;
	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, cn->data, cn->len < sizeof(pe) ? cn->len : sizeof(pe));
	uint64_t ts = pe.timestamp_ns + (uint64_t)off;
	if (pe.what == PROC_EVENT_FORK)
		on_fork(c, &pe, ts);
	else if (pe.what == PROC_EVENT_EXEC || pe.what == PROC_EVENT_EXIT)
		on_exec_exit(c, &pe, ts);
}

int sca_tracker_cn__read(struct sca_tracker_cn *c)
{
	char buf[8192] __attribute__((aligned(8)));
	bool overrun = false;
	int n = 0;
	ssize_t len;

	if (!c)
		return 0;
	int64_t off = mono_to_boot();
	while ((len = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		if (len < 0) {
			if (errno == ENOBUFS) {
				/* announcements were lost; the kernel does not say how many */
				sca_tracker__add_drops(c->t, 1);
				overrun = true;
			}
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			break;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			on_message(c, h, off);
			n++;
		}
	}
	/* what was lost may still run: take it from /proc */
	if (overrun)
		sca_tracker__seed(c->t, "/proc");
	return n;
}
