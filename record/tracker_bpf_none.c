/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_bpf_none.c - the process tracker's kernel side in a build without
 * BPF (SCA_BPF=OFF): it cannot open, and says why; attribution then reads
 * /proc when a record arrives.
 */
#include <errno.h>
#include <stdio.h>

#include "tracker_bpf.h"

int sca_tracker_bpf__open(struct sca_tracker_bpf **out, struct sca_tracker *t, sca_tracker_cb *cb,
			  void *ctx, char *why, size_t whylen)
{
	(void)out;
	(void)t;
	(void)cb;
	(void)ctx;
	snprintf(why, whylen, "sca was built without BPF (SCA_BPF=OFF)");
	return -ENOTSUP;
}

void sca_tracker_bpf__close(struct sca_tracker_bpf *b)
{
	(void)b;
}

int sca_tracker_bpf__fd(const struct sca_tracker_bpf *b)
{
	(void)b;
	return -1;
}

int sca_tracker_bpf__read(struct sca_tracker_bpf *b)
{
	(void)b;
	return 0;
}

void sca_tracker_bpf__set_session(struct sca_tracker_bpf *b, uint32_t ses)
{
	(void)b;
	(void)ses;
}

void sca_tracker_bpf__check_drops(struct sca_tracker_bpf *b)
{
	(void)b;
}

int sca_tracker_bpf__run_stats(const struct sca_tracker_bpf *b, uint64_t *ns, uint64_t *runs)
{
	(void)b;
	*ns = *runs = 0;
	return -ENOTSUP;
}
