/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * names.h - human names for what the kernel reports as numbers: audit
 * architectures, syscalls (per architecture, via libseccomp), wall-clock
 * times, and seccomp actions (common/action.h, included here).
 */
#ifndef SCA_COMMON_NAMES_H
#define SCA_COMMON_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "common/action.h"

/* "x86_64", "i386", "aarch64" ... or "0xXXXXXXXX". */
const char *sca_arch_name(uint32_t audit_arch, char *buf, size_t n);

/*
 * The name of syscall NR on AUDIT_ARCH (i386 39 is mkdir, x86_64 39 is
 * getpid), or its number as text when libseccomp does not know it. The
 * result may point into a cache that stays valid until sca_names__cleanup().
 */
const char *sca_syscall_name(uint32_t audit_arch, int32_t nr, char *buf, size_t n);
/* The number of syscall NAME on AUDIT_ARCH, or -1. */
int sca_syscall_nr(uint32_t audit_arch, const char *name);
void sca_names__cleanup(void);

/* UTC ISO 8601 with nanoseconds: 2026-11-28T01:02:03.123456789Z */
const char *sca_time_str(uint64_t ns, char *buf, size_t n);

#endif /* SCA_COMMON_NAMES_H */
