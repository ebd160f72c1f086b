/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_feed.h - where the process tracker's records come from: the BPF
 * programs on the fork, exec and exit tracepoints (tracker_bpf.c), or,
 * where BPF is refused, the proc connector and /proc (tracker_cn.c). One
 * interface for the recorder; open picks the best that works and says why.
 */
#ifndef SCA_RECORD_TRACKER_FEED_H
#define SCA_RECORD_TRACKER_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "tracker.h"

struct sca_proc_event;
struct sca_tracker_feed;

/* Told of each process record after the table took it (V NULL for exits). */
typedef void sca_tracker_cb(void *ctx, const struct sca_proc_event *e, const struct sca_proc_view *v);

/*
 * The best feed for T: BPF, else the proc connector. Returns 0, with WHY
 * empty or saying why BPF is not used; or a negative errno with WHY saying
 * why neither is.
 */
int sca_tracker_feed__open(struct sca_tracker_feed **out, struct sca_tracker *t, sca_tracker_cb *cb,
			   void *ctx, char *why, size_t whylen);
void sca_tracker_feed__close(struct sca_tracker_feed *f);

/* What feeds the tracker, in a few words for the recorder's start line. */
const char *sca_tracker_feed__name(const struct sca_tracker_feed *f);

/* An fd to poll; records taken now, never blocking (NULL F: none). */
int sca_tracker_feed__fd(const struct sca_tracker_feed *f);
int sca_tracker_feed__read(struct sca_tracker_feed *f);

/* Only processes of audit session SES (`record -- CMD`), where the feed can tell. */
void sca_tracker_feed__set_session(struct sca_tracker_feed *f, uint32_t ses);

/* Records the kernel could not queue, into the table's stats. */
void sca_tracker_feed__check_drops(struct sca_tracker_feed *f);

#endif
