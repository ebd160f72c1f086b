/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_bpf.c - see tracker_bpf.h. The ring buffer is read without a
 * system call (libbpf maps it), so the recorder drains it before every
 * batch of audit records, and again when a record's process is unknown:
 * a process's fork and exec are always queued before any syscall it makes.
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_event.h"
#include "proc_track.skel.h"
#include "libbpf_log.h"
#include "tracker_bpf.h"

struct sca_tracker_bpf {
	struct proc_track_bpf *skel;
	struct ring_buffer *rb;
	struct sca_tracker *t;
	sca_tracker_cb *cb;
	void *ctx;
	int ncpus;
	uint64_t drops_seen;
};

static int on_record(void *ctx, void *data, size_t len)
{
	struct sca_tracker_bpf *b = ctx;
	struct sca_proc_event e;

	if (len < SCA_PROC_EVENT_EXIT)
		return 0;
	/* fork records end before exe, exit records after tgid */
	memset(&e, 0, sizeof(e));
	memcpy(&e, data, len < sizeof(e) ? len : sizeof(e));
	e.exe[sizeof(e.exe) - 1] = 0;
	const struct sca_proc_view *v = sca_tracker__add(b->t, &e);
	if (b->cb)
		b->cb(b->ctx, &e, v);
	return 0;
}

int sca_tracker_bpf__open(struct sca_tracker_bpf **out, struct sca_tracker *t, sca_tracker_cb *cb,
			  void *ctx, char *why, size_t whylen)
{
	struct sca_tracker_bpf *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	*b = (struct sca_tracker_bpf){ .t = t, .cb = cb, .ctx = ctx, .ncpus = libbpf_num_possible_cpus() };
	sca_libbpf_log__quiet();
	if (!(b->skel = proc_track_bpf__open())) {
		err = -errno;
		snprintf(why, whylen, "opening the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	if ((err = proc_track_bpf__load(b->skel))) {
		snprintf(why, whylen, "loading the tracepoint programs: %s", strerror(-err));
		goto cleanup;
	}
	if ((err = proc_track_bpf__attach(b->skel))) {
		snprintf(why, whylen, "attaching to sched_process_fork/exec/exit: %s", strerror(-err));
		goto cleanup;
	}
	b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.proc_events), on_record, b, NULL);
	if (!b->rb) {
		err = -errno;
		snprintf(why, whylen, "ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	*out = b;
	return 0;
cleanup:
	sca_tracker_bpf__close(b);
	return err ? err : -EINVAL;
}

void sca_tracker_bpf__close(struct sca_tracker_bpf *b)
{
	if (!b)
		return;
	ring_buffer__free(b->rb);
	proc_track_bpf__destroy(b->skel);
	free(b);
}

int sca_tracker_bpf__fd(const struct sca_tracker_bpf *b)
{
	return ring_buffer__epoll_fd(b->rb);
}

int sca_tracker_bpf__read(struct sca_tracker_bpf *b)
{
	return b ? ring_buffer__consume(b->rb) : 0;
}

void sca_tracker_bpf__set_session(struct sca_tracker_bpf *b, uint32_t ses)
{
	if (b)
		b->skel->bss->target_ses = ses;
}

void sca_tracker_bpf__check_drops(struct sca_tracker_bpf *b)
{
	uint64_t *vals, total = 0;
	uint32_t zero = 0;

	if (!b || b->ncpus <= 0 || !(vals = calloc((size_t)b->ncpus, sizeof(*vals))))
		return;
	if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.proc_drops), &zero, vals) == 0) {
		for (int i = 0; i < b->ncpus; i++)
			total += vals[i];
		if (total > b->drops_seen) {
			sca_tracker__add_drops(b->t, total - b->drops_seen);
			b->drops_seen = total;
		}
	}
	free(vals);
}

int sca_tracker_bpf__run_stats(const struct sca_tracker_bpf *b, uint64_t *ns, uint64_t *runs)
{
	const struct bpf_program *progs[] = { b->skel->progs.sca_proc_fork, b->skel->progs.sca_proc_exec,
					      b->skel->progs.sca_proc_exit };

	*ns = *runs = 0;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len))
			return -errno;
		*ns += info.run_time_ns;
		*runs += info.run_cnt;
	}
	return 0;
}
