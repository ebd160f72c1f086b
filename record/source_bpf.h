/*
 * source_bpf.h - seccomp audit events captured in the kernel by a BPF
 * program on audit_seccomp() (bpf/seccomp_audit.bpf.c): fentry where the
 * kernel allows tracing programs, kprobe otherwise.
 */
#ifndef SCA_RECORD_SOURCE_BPF_H
#define SCA_RECORD_SOURCE_BPF_H

#include <stddef.h>
#include <stdint.h>

#include "source_audit.h"   /* sca_audit_cb: one callback shape for both */

enum sca_bpf_mode {
	SCA_BPF_FENTRY,
	SCA_BPF_KPROBE,
};

struct sca_bpf_source;

/*
 * Load and attach in MODE. ringbuf: ring buffer bytes (0: 16 MiB; rounded up
 * to a power of two of at least a page). On failure returns a negative
 * errno and a short reason in why ("loading the fentry program: ...").
 */
int sca_bpf_source__open(struct sca_bpf_source **out, enum sca_bpf_mode mode, size_t ringbuf,
			 char *why, size_t whylen);
void sca_bpf_source__close(struct sca_bpf_source *src);
int sca_bpf_source__fd(const struct sca_bpf_source *src);
/* Deliver what the ring holds now; returns events handled or -errno. */
int sca_bpf_source__drain(struct sca_bpf_source *src, sca_audit_cb cb, void *ctx);
/* Report ring buffer drops counted in the kernel since the last check. */
int sca_bpf_source__check_drops(struct sca_bpf_source *src, sca_audit_cb cb, void *ctx);
/* Keep only audit session ses's events, dropping the rest in the kernel
 * (0: everyone). Set after open: `record -- CMD` learns the session late. */
void sca_bpf_source__set_session(struct sca_bpf_source *src, uint32_t ses);
const char *sca_bpf_mode__name(enum sca_bpf_mode mode);

#endif
