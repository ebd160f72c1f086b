/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker.h - the process tracker: what each process was (parent, mount and
 * pid namespaces, cgroup, program) from its fork, exec and exit as the
 * kernel reported them at that moment (bpf/proc_track.bpf.c), kept for a
 * while after it exited. An audit record that arrives after its process
 * died and was reaped is still matched to it, by pid and time, so it keeps
 * its container. The table is bounded; what it had to evict is counted.
 *
 * tracker.c holds the table and is fed struct sca_proc_event records by
 * whatever produced them; tracker_bpf.c loads the BPF program that does.
 */
#ifndef SCA_RECORD_TRACKER_H
#define SCA_RECORD_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

struct sca_tracker;
struct sca_proc_event;           /* bpf/proc_event.h */

/* A process as the tracker saw it at one moment; strings owned by the tracker. */
struct sca_proc_view {
	int32_t pid, ppid;
	uint32_t ses;
	uint64_t mnt_ns, pid_ns, cgroup_id;
	const char *cgroup;           /* cgroup v2 path, or NULL if not resolved */
	const char *exe;              /* or NULL before its first exec was seen */
	const char *comm;
	uint64_t start_ns, end_ns;    /* boot clock; end 0 while it runs */
};

struct sca_tracker_stats {
	uint64_t events;              /* fork, exec and exit records taken */
	uint64_t drops;               /* records the kernel could not queue */
	uint64_t evicted;             /* exited processes dropped within KEEP of their exit */
	uint64_t no_room;             /* records not kept: their pid's index window was full */
	uint64_t found, missed;       /* lookups */
};

/* An empty table; BOOT_OFFSET_NS is CLOCK_REALTIME - CLOCK_BOOTTIME. */
int sca_tracker__new(struct sca_tracker **out, int64_t boot_offset_ns);
void sca_tracker__free(struct sca_tracker *t);

/* The clocks' offset again: a stepped wall clock must not misplace records. */
void sca_tracker__set_offset(struct sca_tracker *t, int64_t boot_offset_ns);

/* The processes running now, from PROC_ROOT (/proc), so that they too are known. */
int sca_tracker__seed(struct sca_tracker *t, const char *proc_root);

/*
 * PID as /proc (PROC_ROOT) shows it now, as a fork record with its exe, for
 * the feeds that have no kernel records. -ESRCH if it is gone.
 */
int sca_tracker__read_proc(struct sca_tracker *t, const char *proc_root, int pid,
			   struct sca_proc_event *e);

/*
 * A fork record for a child of PARENT made at TS_BOOT_NS (boot clock), as
 * the table knew PARENT then: for a feed that found both already gone from
 * /proc (a container's shell that exits right after its last child). 0 with
 * E filled but for its tgid, or -ESRCH when the table never saw PARENT.
 */
int sca_tracker__fork_of(struct sca_tracker *t, int32_t parent, uint64_t ts_boot_ns, struct sca_proc_event *e);
/* Take one record (a fork record's exe, when set, is kept). Returns the process as it now is, or NULL (a thread, no room). */
const struct sca_proc_view *sca_tracker__add(struct sca_tracker *t, const struct sca_proc_event *e);

/* The kernel lost N records (ring buffer full). */
void sca_tracker__add_drops(struct sca_tracker *t, uint64_t n);

/*
 * Process PID as it was at TIME_NS (wall clock, as records carry it; audit
 * stamps lag by up to a tick of the coarse clock and a millisecond, so a
 * holder that began that much after still counts). COMM chooses between
 * holders, then how much of that window each could have made the record in. Returns 2 when the one found has that comm, 1
 * when none around has it (its exec may still be queued: read the feed and
 * ask again), 0 when PID is unknown then.
 */
int sca_tracker__find(struct sca_tracker *t, int32_t pid, uint64_t time_ns, const char *comm,
		      struct sca_proc_view *out);

/*
 * Process PID as it was at TIME_NS (wall clock) exactly: a kernel stamp
 * taken at the call (the syscall source's), which does not lag. Returns 1
 * when found, 0 when PID is unknown then.
 */
int sca_tracker__find_exact(struct sca_tracker *t, int32_t pid, uint64_t time_ns, struct sca_proc_view *out);

/* Fill what EV lacks from V. */
void sca_tracker__apply(const struct sca_proc_view *v, struct sca_event *ev);

void sca_tracker__stats(const struct sca_tracker *t, struct sca_tracker_stats *st);

#endif
