/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libbpf_log.h - one voice for libbpf in every BPF user (the BPF source,
 * the syscall source, the process tracker): libbpf explains failures at
 * length on stderr, sca says them in one line, so its messages are kept
 * for SCA_DEBUG=1.
 */
#ifndef SCA_RECORD_LIBBPF_LOG_H
#define SCA_RECORD_LIBBPF_LOG_H

/* Route libbpf's messages: warnings to stderr with SCA_DEBUG set, else nowhere. */
void sca_libbpf_log__quiet(void);

#endif
