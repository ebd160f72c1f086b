/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * containers.h - the container an event's process runs in, for `sca record`.
 *
 * A table of the containers that OCI runtimes list in their state
 * directories (runc-style <root>/<id>/state.json, crun-style
 * <root>/<id>/status), each known by its init process's mount namespace and
 * cgroup v2 path, and named from the bundle's annotations (containerd CRI,
 * CRI-O) or Docker's own config. An event is matched by its mount namespace,
 * else by its cgroup path being at or below a container's.
 */
#ifndef SCA_RECORD_CONTAINERS_H
#define SCA_RECORD_CONTAINERS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

/* At most this many containers are kept; beyond it the oldest exited go. */
#define SCA_CONTAINERS_MAX 4096

struct sca_containers;

/* One state directory and the runtime it belongs to, e.g. {"runc", "/run/runc"}. */
struct sca_runtime_root {
	const char *runtime;   /* "runc", "crun", "docker", "containerd", "cri-o" ... */
	const char *path;
};

/*
 * Scan ROOTS (N of them) once. ROOTS NULL or N 0: the standard ones, those
 * missing skipped: runc /run/runc (also CRI-O's, told apart by its
 * annotations), docker /run/docker/runtime-runc/moby, containerd
 * /run/containerd/runc/<namespace>, crun /run/crun. A root whose entries
 * are directories without state (containerd's namespaces) is searched one
 * level deeper. DOCKER_ROOT: Docker's data root, for container names and
 * images (NULL: /var/lib/docker). Returns 0 or a negative errno.
 */
int sca_containers__new(struct sca_containers **out, const struct sca_runtime_root *roots, size_t n,
			const char *docker_root);
void sca_containers__free(struct sca_containers *c);

/*
 * The container of E's process (by E's mnt_ns and cgroup), or NULL for the
 * host or unknown. A miss rescans the roots, at most once a second
 * (NOW_NS, CLOCK_MONOTONIC), and is remembered until the next rescan, so a
 * burst of host events costs no more than one scan a second. A container
 * whose init is gone keeps what was known, and still matches for a few
 * seconds (its last events may arrive late). The result stays valid while
 * C lives, unless more than SCA_CONTAINERS_MAX containers were seen: then a
 * later rescan may free the oldest exited ones.
 */
const struct sca_container *sca_containers__lookup(struct sca_containers *c, const struct sca_event *e,
						   uint64_t now_ns);

/*
 * A process just began to run a program in E's mount namespace and cgroup
 * (the process tracker saw its exec): learn its container now, while the
 * runtime's state still exists, even if a lookup missed a moment ago
 * (during `runc create`, before the state was written). Rate-limited like
 * lookups of namespaces never seen.
 */
void sca_containers__learn(struct sca_containers *c, const struct sca_event *e, uint64_t now_ns);

/*
 * The runtimes' state as it changes: an fd to poll (inotify on the roots),
 * and the reading of what it says, rescanning when a state file was written,
 * so a container is known from its creation on, even one that is deleted
 * milliseconds after its start. Never blocks; true if it rescanned.
 */
int sca_containers__watch_fd(const struct sca_containers *c);
bool sca_containers__poll(struct sca_containers *c, uint64_t now_ns);

struct sca_containers_stats {
	uint64_t scans;        /* scans of the roots, the first included */
	size_t known;          /* containers in the table */
	size_t live;           /* of those, with their init still running */
};
void sca_containers__stats(const struct sca_containers *c, struct sca_containers_stats *st);

#endif
