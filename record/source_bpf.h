/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_bpf.h - seccomp audit events captured in the kernel by a BPF
 * program on audit_seccomp() (bpf/seccomp_audit.bpf.c): fentry where the
 * kernel allows tracing programs, kprobe otherwise.
 */
#ifndef SCA_RECORD_SOURCE_BPF_H
#define SCA_RECORD_SOURCE_BPF_H

#include "source.h"

/*
 * The "bpf-fentry" and "bpf-kprobe" sources: one program, attached one way
 * or the other. o->ringbuf is the ring buffer size in bytes (0: 16 MiB;
 * rounded up to a power of two of at least a page). They filter the
 * `-- CMD` session in the kernel. A build without BPF defines both with an
 * open that fails.
 */
extern const struct sca_source_ops sca_source_bpf_fentry;
extern const struct sca_source_ops sca_source_bpf_kprobe;

#endif
