/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_bpf_none.c - source_bpf.h in a build without the BPF source
 * (SCA_BPF=OFF: no clang or bpftool, or a processor the BPF programs do not
 * support yet). Opening fails with the reason, so `--source auto` falls back
 * to the audit source and says why, and `--source bpf` fails with it. No
 * source is ever opened, so the other functions are never given one.
 */
#include <errno.h>
#include <stdio.h>

#include "source_bpf.h"

int sca_bpf_source__open(struct sca_bpf_source **out, enum sca_bpf_mode mode, size_t ringbuf,
			 char *why, size_t whylen)
{
	(void)mode;
	(void)ringbuf;
	*out = NULL;
	snprintf(why, whylen, "sca was built without the BPF source (SCA_BPF=OFF)");
	return -EOPNOTSUPP;
}

void sca_bpf_source__close(struct sca_bpf_source *src)
{
	(void)src;
}

int sca_bpf_source__fd(const struct sca_bpf_source *src)
{
	(void)src;
	return -EBADF;
}

int sca_bpf_source__drain(struct sca_bpf_source *src, sca_audit_cb cb, void *ctx)
{
	(void)src;
	(void)cb;
	(void)ctx;
	return -EOPNOTSUPP;
}

int sca_bpf_source__check_drops(struct sca_bpf_source *src, sca_audit_cb cb, void *ctx)
{
	(void)src;
	(void)cb;
	(void)ctx;
	return -EOPNOTSUPP;
}

void sca_bpf_source__set_session(struct sca_bpf_source *src, uint32_t ses)
{
	(void)src;
	(void)ses;
}

const char *sca_bpf_mode__name(enum sca_bpf_mode mode)
{
	return mode == SCA_BPF_FENTRY ? "bpf-fentry" : "bpf-kprobe";
}
