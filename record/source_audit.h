/*
 * source_audit.h - seccomp audit records from the kernel's audit netlink
 * multicast group (AUDIT_NLGRP_READLOG): read-only, works beside auditd.
 */
#ifndef SCA_RECORD_SOURCE_AUDIT_H
#define SCA_RECORD_SOURCE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "audit_parse.h"
#include "trace.h"

struct sca_audit_source;

/*
 * Subscribe to audit records. rcvbuf is the socket receive buffer in bytes
 * (0: 64 MiB). Needs CAP_AUDIT_READ: returns -EPERM without it.
 */
int sca_audit_source__open(struct sca_audit_source **out, int rcvbuf);

/*
 * 1 if this process shares PID 1's network namespace, 0 if it does not,
 * negative errno if that cannot be told. The kernel multicasts audit records
 * only in the initial network namespace: elsewhere the socket opens and
 * receives nothing.
 */
int sca_audit_source__netns_check(void);
void sca_audit_source__close(struct sca_audit_source *src);
int sca_audit_source__fd(const struct sca_audit_source *src);

/*
 * Called for each seccomp record (ev and its strings valid during the call),
 * and for records the socket dropped (ev NULL, lost > 0). A non-zero return
 * stops the drain and is passed up.
 */
typedef int (*sca_audit_cb)(void *ctx, const struct sca_event *ev, uint64_t lost);

/*
 * Read everything queued now without blocking. Returns records handled,
 * or a negative errno.
 */
int sca_audit_source__drain(struct sca_audit_source *src, sca_audit_cb cb, void *ctx);

/* Report drops the kernel counted since the last check (call once a second). */
int sca_audit_source__check_drops(struct sca_audit_source *src, sca_audit_cb cb, void *ctx);

struct sca_audit_source_stats {
	uint64_t records;       /* seccomp records parsed */
	uint64_t other;         /* audit records of other types, ignored */
	uint64_t malformed;     /* seccomp records that did not parse */
	uint64_t dropped;       /* records the kernel dropped for this socket */
};
void sca_audit_source__stats(const struct sca_audit_source *src, struct sca_audit_source_stats *st);

#endif
