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

#endif
