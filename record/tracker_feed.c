/* SPDX-License-Identifier: BSD-2-Clause */
/* tracker_feed.c - see tracker_feed.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "tracker_bpf.h"
#include "tracker_cn.h"
#include "tracker_feed.h"

struct sca_tracker_feed {
	struct sca_tracker_bpf *bpf;  /* one of the two */
	struct sca_tracker_cn *cn;
};

int sca_tracker_feed__open(struct sca_tracker_feed **out, struct sca_tracker *t, sca_tracker_cb *cb,
			   void *ctx, char *why, size_t whylen)
{
	struct sca_tracker_feed *f = calloc(1, sizeof(*f));
	char bwhy[256] = "", cwhy[256] = "";
	int err;

	if (!f)
		return -ENOMEM;
	*why = 0;
	if (sca_tracker_bpf__open(&f->bpf, t, cb, ctx, bwhy, sizeof(bwhy)) == 0)
		goto done;
	if ((err = sca_tracker_cn__open(&f->cn, t, cb, ctx, cwhy, sizeof(cwhy)))) {
		snprintf(why, whylen, "BPF: %s; %s", bwhy, cwhy);
		free(f);
		return err;
	}
	snprintf(why, whylen, "no BPF: %s", bwhy);
done:
	*out = f;
	return 0;
}

void sca_tracker_feed__close(struct sca_tracker_feed *f)
{
	if (!f)
		return;
	sca_tracker_bpf__close(f->bpf);
	sca_tracker_cn__close(f->cn);
	free(f);
}

const char *sca_tracker_feed__name(const struct sca_tracker_feed *f)
{
	return f->bpf ? "the kernel's fork, exec and exit tracepoints" :
			"the proc connector, /proc read at each fork and exec";
}

int sca_tracker_feed__fd(const struct sca_tracker_feed *f)
{
	return !f ? -1 : f->bpf ? sca_tracker_bpf__fd(f->bpf) : sca_tracker_cn__fd(f->cn);
}

int sca_tracker_feed__read(struct sca_tracker_feed *f)
{
	return !f ? 0 : f->bpf ? sca_tracker_bpf__read(f->bpf) : sca_tracker_cn__read(f->cn);
}

void sca_tracker_feed__set_session(struct sca_tracker_feed *f, uint32_t ses)
{
	if (f && f->bpf)
		sca_tracker_bpf__set_session(f->bpf, ses);
}

void sca_tracker_feed__check_drops(struct sca_tracker_feed *f)
{
	if (f && f->bpf)
		sca_tracker_bpf__check_drops(f->bpf);
}
