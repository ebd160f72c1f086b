/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_audit.h - seccomp audit records from the kernel's audit netlink
 * multicast group (AUDIT_NLGRP_READLOG): read-only, works beside auditd.
 */
#ifndef SCA_RECORD_SOURCE_AUDIT_H
#define SCA_RECORD_SOURCE_AUDIT_H

#include "source.h"

/*
 * The "audit" source. Opening needs CAP_AUDIT_READ; o->rcvbuf is the socket
 * receive buffer in bytes (0: 64 MiB). The kernel multicasts audit records
 * only in the initial network namespace: elsewhere the socket opens and
 * receives nothing, which the source's warning says.
 */
extern const struct sca_source_ops sca_source_audit;

/*
 * Are we in PID 1's network namespace? 1 yes, 0 no, -1 cannot tell. PID 1
 * stands for the initial one, to which alone the kernel sends audit
 * records: it is the host's init unless sca runs in a PID namespace of its
 * own, where this cannot be told reliably either way (so a "no" is only a
 * warning).
 */
int sca_audit_source__initial_netns(void);

#define SCA_AUDIT_NETNS_WARNING                                                                    \
	"not in PID 1's network namespace; the kernel sends audit records only to the initial one, " \
	"so the audit source will likely receive nothing (in a container: use the host's network, " \
	"e.g. hostNetwork: true)"

#endif
