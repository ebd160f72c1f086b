/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_bpf.h - seccomp audit events captured in the kernel by a BPF
 * program on audit_seccomp() (bpf/seccomp_audit.bpf.c): fentry where the
 * kernel allows tracing programs, kprobe otherwise.
 */
#ifndef SCA_RECORD_SOURCE_BPF_H
#define SCA_RECORD_SOURCE_BPF_H

#include <stdbool.h>
#include <stddef.h>

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

/*
 * Load and attach the program the one way or the other, then detach it:
 * 0 if it works, else a negative errno and why. Unlike the source's open,
 * the kprobe is tried even where sysfs shows no kprobe support, so the
 * kernel's own answer is what why says (for `sca doctor`).
 */
int sca_source_bpf__try(bool kprobe, char *why, size_t whylen);

#endif
