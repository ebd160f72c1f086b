/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_bpf.c - see source_bpf.h.
 *
 * Times: the program stamps bpf_ktime_get_boot_ns(); the wall clock is that
 * plus (CLOCK_REALTIME - CLOCK_BOOTTIME) taken once at open, which the trace
 * header keeps as boot_offset_ns. The exe path is not reachable in the
 * kernel cheaply: events leave it unknown, and the recorder's /proc
 * enricher (enrich.c, cached per pid) fills it in, as for the audit source.
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "libbpf_log.h"
#include "recorder.h"
#include "sca_event.h"
#include "seccomp_audit.skel.h"
#include "source_bpf.h"

/* The attach point: fentry where the kernel allows tracing programs. */
enum sca_bpf_mode {
	SCA_BPF_FENTRY,
	SCA_BPF_KPROBE,
};

struct sca_bpf_source {
	struct seccomp_audit_bpf *skel;
	struct ring_buffer *rb;
	enum sca_bpf_mode mode;
	int64_t boot_offset;
	uint64_t drops_seen;
	int ncpus;
	sca_source_cb cb;
	void *ctx;
	int cb_err;
	char comm[SCA_TASK_COMM_LEN + 1];
};

static int on_sample(void *ctx, void *data, size_t len)
{
	struct sca_bpf_source *src = ctx;
	const struct sca_bpf_event *b = data;
	struct sca_event e = { 0 };

	if (len < sizeof(*b))
		return 0;
	memcpy(src->comm, b->comm, SCA_TASK_COMM_LEN);
	src->comm[SCA_TASK_COMM_LEN] = 0;
	e.time_ns = b->ts_boot_ns + (uint64_t)src->boot_offset;
	e.pid = (int32_t)b->tgid;
	e.tid = (int32_t)b->tid;
	e.ppid = (int32_t)b->ppid;
	e.uid = b->uid;
	e.gid = b->gid;
	e.auid = b->loginuid;
	e.ses = b->sessionid;
	e.mnt_ns = b->mnt_ns;
	e.pid_ns = b->pid_ns;
	e.cgroup_id = b->cgroup_id;
	e.comm = src->comm;
	e.arch = b->arch;
	e.syscall = b->syscall;
	e.signr = b->signr;
	e.code = b->code;
	e.ip = b->ip;
	e.compat = b->compat;
	e.has_args = true;
	memcpy(e.args, b->args, sizeof(e.args));
	int err = sca_source_cb__event(src->cb, src->ctx, &e);
	if (err) {
		src->cb_err = err;
		return err;    /* stops ring_buffer__consume */
	}
	return 0;
}

static void bpf_close(void *state)
{
	struct sca_bpf_source *src = state;

	if (!src)
		return;
	ring_buffer__free(src->rb);
	seccomp_audit_bpf__destroy(src->skel);
	free(src);
}

static bool kprobes_possible(void)
{
	return !access("/sys/bus/event_source/devices/kprobe", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static int bpf_open(void **out, enum sca_bpf_mode mode, size_t ringbuf, bool force, char *why, size_t whylen)
{
	struct sca_bpf_source *src = calloc(1, sizeof(*src));
	int err;

	if (!src)
		return -ENOMEM;
	sca_libbpf_log__quiet();
	src->mode = mode;
	/* no kprobe PMU and no tracefs kprobe_events: attaching cannot work,
	 * so do not spend a BTF read and a verification finding that out */
	if (mode == SCA_BPF_KPROBE && !force && !kprobes_possible()) {
		err = -ENOENT;
		snprintf(why, whylen, "this kernel has no kprobe support");
		goto cleanup;
	}
	src->ncpus = libbpf_num_possible_cpus();
	if (src->ncpus <= 0) {
		err = -ENOMEM;
		snprintf(why, whylen, "out of memory");
		goto cleanup;
	}
	src->skel = seccomp_audit_bpf__open();
	if (!src->skel) {
		err = -errno;
		snprintf(why, whylen, "opening the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	/* one attach point: the other program must not even load */
	bpf_program__set_autoload(src->skel->progs.sca_fentry, mode == SCA_BPF_FENTRY);
	bpf_program__set_autoload(src->skel->progs.sca_kprobe, mode == SCA_BPF_KPROBE);
	if (ringbuf) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE), sz = page;
		while (sz < ringbuf && sz < (1u << 30))
			sz <<= 1;
		bpf_map__set_max_entries(src->skel->maps.events, (uint32_t)sz);
	}
	if ((err = seccomp_audit_bpf__load(src->skel))) {
		snprintf(why, whylen, "loading the %s program: %s",
			 mode == SCA_BPF_FENTRY ? "fentry (tracing)" : "kprobe", strerror(-err));
		goto cleanup;
	}
	if ((err = seccomp_audit_bpf__attach(src->skel))) {
		snprintf(why, whylen, "attaching to audit_seccomp: %s%s", strerror(-err),
			 mode == SCA_BPF_KPROBE && access("/sys/bus/event_source/devices/kprobe", F_OK) ?
				 " (this kernel has no kprobe support)" : "");
		goto cleanup;
	}
	src->rb = ring_buffer__new(bpf_map__fd(src->skel->maps.events), on_sample, src, NULL);
	if (!src->rb) {
		err = -errno;
		snprintf(why, whylen, "ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	src->boot_offset = sca_clock_boot_offset();
	*out = src;
	return 0;
cleanup:
	bpf_close(src);
	return err ? err : -EINVAL;
}

static int bpf_open_fentry(void **state, const struct sca_record_opts *o, char *why, size_t whylen)
{
	return bpf_open(state, SCA_BPF_FENTRY, o->ringbuf, false, why, whylen);
}

static int bpf_open_kprobe(void **state, const struct sca_record_opts *o, char *why, size_t whylen)
{
	return bpf_open(state, SCA_BPF_KPROBE, o->ringbuf, false, why, whylen);
}

int sca_source_bpf__try(bool kprobe, char *why, size_t whylen)
{
	void *state = NULL;
	/* a small ring: nothing is read from it */
	int err = bpf_open(&state, kprobe ? SCA_BPF_KPROBE : SCA_BPF_FENTRY, 1 << 16, true, why, whylen);

	if (!err)
		bpf_close(state);
	return err;
}

static int bpf_fd(void *state)
{
	struct sca_bpf_source *src = state;

	return ring_buffer__epoll_fd(src->rb);
}

static void bpf_set_session(void *state, uint32_t ses)
{
	struct sca_bpf_source *src = state;

	src->skel->bss->target_ses = ses;
}

static int bpf_read(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_bpf_source *src = state;

	src->cb = cb;
	src->ctx = ctx;
	src->cb_err = 0;
	int n = ring_buffer__consume(src->rb);
	if (src->cb_err)
		return src->cb_err;
	return n;
}

static int bpf_check_drops(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_bpf_source *src = state;
	uint64_t *vals = calloc((size_t)src->ncpus, sizeof(*vals)), total = 0;
	uint32_t zero = 0;
	int err = 0;

	if (!vals)
		return -ENOMEM;
	/* once a second: a stepped wall clock moves the events' times with it,
	 * as the process tracker's lookups expect */
	src->boot_offset = sca_clock_boot_offset();
	if (bpf_map_lookup_elem(bpf_map__fd(src->skel->maps.drops), &zero, vals) == 0) {
		for (int i = 0; i < src->ncpus; i++)
			total += vals[i];
		if (total > src->drops_seen) {
			uint64_t n = total - src->drops_seen;
			src->drops_seen = total;
			err = sca_source_cb__lost(cb, ctx, src->mode == SCA_BPF_FENTRY ? "bpf-fentry" : "bpf-kprobe", n);
		}
	}
	free(vals);
	return err;
}

#define BPF_CAPS "CAP_BPF and CAP_PERFMON, or root"

const struct sca_source_ops sca_source_bpf_fentry = {
	.name = "bpf-fentry",
	.caps = BPF_CAPS,
	.kernel = "BPF tracing programs (fentry) on audit_seccomp",
	.open = bpf_open_fentry,
	.fd = bpf_fd,
	.read = bpf_read,
	.check_drops = bpf_check_drops,
	.set_session = bpf_set_session,
	.close = bpf_close,
};

const struct sca_source_ops sca_source_bpf_kprobe = {
	.name = "bpf-kprobe",
	.caps = BPF_CAPS,
	.kernel = "kprobe support",
	.open = bpf_open_kprobe,
	.fd = bpf_fd,
	.read = bpf_read,
	.check_drops = bpf_check_drops,
	.set_session = bpf_set_session,
	.close = bpf_close,
};
