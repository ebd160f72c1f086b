/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_cn.h - the process tracker fed by the kernel's proc connector and
 * /proc, for where BPF is refused (see tracker_feed.h, which picks).
 */
#ifndef SCA_RECORD_TRACKER_CN_H
#define SCA_RECORD_TRACKER_CN_H

#include <stddef.h>

#include "tracker_feed.h"

struct sca_tracker_cn;

int sca_tracker_cn__open(struct sca_tracker_cn **out, struct sca_tracker *t, sca_tracker_cb *cb, void *ctx,
			 char *why, size_t whylen);
void sca_tracker_cn__close(struct sca_tracker_cn *c);
int sca_tracker_cn__fd(const struct sca_tracker_cn *c);
/* Take every announcement queued now; never blocks. Returns how many. */
int sca_tracker_cn__read(struct sca_tracker_cn *c);

#endif
