/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_bpf_none.c - the BPF sources of source_bpf.h in a build without
 * them (SCA_BPF=OFF: no clang or bpftool, or a processor the BPF programs do
 * not support yet). Opening fails with the reason, so `--source auto` falls
 * back to the audit source and says why, and `--source bpf` fails with it.
 * Nothing else is called on a source that did not open.
 */
#include <errno.h>
#include <stdio.h>

#include "source_bpf.h"
#include "source_syscalls.h"

static int none_open(void **state, const struct sca_record_opts *o, char *why, size_t whylen)
{
	(void)o;
	*state = NULL;
	snprintf(why, whylen, "sca was built without the BPF source (SCA_BPF=OFF)");
	return -EOPNOTSUPP;
}

int sca_source_bpf__try(bool kprobe, char *why, size_t whylen)
{
	(void)kprobe;
	return none_open(&(void *){ NULL }, NULL, why, whylen);
}

const struct sca_source_ops sca_source_bpf_fentry = { .name = "bpf-fentry", .open = none_open };
const struct sca_source_ops sca_source_bpf_kprobe = { .name = "bpf-kprobe", .open = none_open };
const struct sca_source_ops sca_source_syscalls = { .name = "syscalls", .open = none_open };
