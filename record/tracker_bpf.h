/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker_bpf.h - the process tracker's best feed (tracker_feed.h): loads
 * bpf/proc_track.bpf.c on the scheduler's fork, exec and exit tracepoints
 * and feeds what its ring buffer brings into a struct sca_tracker. Built
 * without BPF (SCA_BPF=OFF), open fails and says so.
 */
#ifndef SCA_RECORD_TRACKER_BPF_H
#define SCA_RECORD_TRACKER_BPF_H

#include <stddef.h>
#include <stdint.h>

#include "tracker_feed.h"

struct sca_tracker_bpf;

/*
 * Load and attach the program, feeding T (and CB, unless NULL). Returns 0,
 * or a negative errno with WHY saying what the kernel refused, in a few
 * words.
 */
int sca_tracker_bpf__open(struct sca_tracker_bpf **out, struct sca_tracker *t, sca_tracker_cb *cb,
			  void *ctx, char *why, size_t whylen);
void sca_tracker_bpf__close(struct sca_tracker_bpf *b);

/* An fd to poll for records. */
int sca_tracker_bpf__fd(const struct sca_tracker_bpf *b);

/* Take every record queued now; never blocks. Returns how many. */
int sca_tracker_bpf__read(struct sca_tracker_bpf *b);

/* Only processes of audit session SES from now on (`record -- CMD`). */
void sca_tracker_bpf__set_session(struct sca_tracker_bpf *b, uint32_t ses);

/* Records the kernel could not queue since the last call, into the table's stats. */
void sca_tracker_bpf__check_drops(struct sca_tracker_bpf *b);

/*
 * The programs' own cost so far, from the kernel's BPF statistics (on only
 * while the caller holds bpf_enable_stats(BPF_STATS_RUN_TIME)): nanoseconds
 * and runs summed over fork, exec and exit. -errno when unavailable.
 */
int sca_tracker_bpf__run_stats(const struct sca_tracker_bpf *b, uint64_t *ns, uint64_t *runs);

#endif
