/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.h - which events a command keeps. One meaning for every command:
 * `record` matches live events, `profile-gen` trace events, and `analyze`
 * compiles the same filter to SQL (analyze/query.c). Empty lists match
 * everything; values of one key are alternatives, keys combine with AND.
 *
 *   pid        the process id (1 .. 2^31-1)
 *   comm, exe  equal strings
 *   syscall    the name for the event's own arch (i386 39 is mkdir)
 *   code       an action (log, kill_thread, errno ...), or errno(N)
 *   container  a container name, or a prefix of its id (any case: ids are
 *              hex)
 *   pod, namespace  the Kubernetes pod and its namespace
 *   host       only events of processes in no container
 */
#ifndef SCA_FILTER_FILTER_H
#define SCA_FILTER_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define SCA_FILTER_MAX 64

enum sca_filter_key {
	SCA_FILTER_PID,
	SCA_FILTER_COMM,
	SCA_FILTER_EXE,
	SCA_FILTER_SYSCALL,
	SCA_FILTER_CODE,
	SCA_FILTER_CONTAINER,
	SCA_FILTER_POD,
	SCA_FILTER_NAMESPACE,
};

/* An action, with its data (errno(1)) or for any data (errno). */
struct sca_filter_code {
	uint32_t action;           /* SECCOMP_RET_* action bits */
	bool has_data;
	uint32_t data;
};

struct sca_filter {
	int32_t pids[SCA_FILTER_MAX];
	int npids;
	const char *comms[SCA_FILTER_MAX];
	int ncomms;
	const char *exes[SCA_FILTER_MAX];
	int nexes;
	const char *syscalls[SCA_FILTER_MAX];
	int nsyscalls;
	struct sca_filter_code codes[SCA_FILTER_MAX];
	int ncodes;
	const char *containers[SCA_FILTER_MAX];
	int ncontainers;
	const char *pods[SCA_FILTER_MAX];
	int npods;
	const char *namespaces[SCA_FILTER_MAX];
	int nnamespaces;
	bool host_only;
};

/*
 * Add the comma list ARG to KEY. ARG is split in place and referenced, so
 * it must outlive F (argv does). Returns 0; -E2BIG past SCA_FILTER_MAX
 * values; -EINVAL for a bad pid or an unknown code, with a one-line
 * message ("bad --pid 'x'") in err.
 */
int sca_filter__add(struct sca_filter *f, enum sca_filter_key key, char *arg, char *err,
		    size_t errlen);

/* The option a key is set by, for messages: "--pid", "--namespace" ... */
const char *sca_filter_key__option(enum sca_filter_key key);

/* Does the event's process, syscall and code pass (container keys aside)? */
bool sca_filter__keep_event(const struct sca_filter *f, const struct sca_event *e);

/* Does container C (NULL: none) pass --container, --pod, --namespace, --host? */
bool sca_filter__keep_container(const struct sca_filter *f, const struct sca_container *c);

/* Both of the above, for events that carry their container. */
bool sca_filter__keep(const struct sca_filter *f, const struct sca_event *e);

/* Any of --container, --pod, --namespace, --host given? */
bool sca_filter__has_container_keys(const struct sca_filter *f);

/* Does container C's id start with PREFIX (any case)? The one rule analyze's SQL follows too. */
bool sca_filter__id_prefix(const char *id, const char *prefix);

#endif /* SCA_FILTER_FILTER_H */
