/* SPDX-License-Identifier: BSD-2-Clause */
/* names.c - see names.h. */
#define _GNU_SOURCE
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hash.h"
#include "common/names.h"

const char *sca_arch_name(uint32_t audit_arch, char *buf, size_t n)
{
	/* libseccomp's SCMP_ARCH_* values are the kernel's AUDIT_ARCH_* */
	static const struct {
		uint32_t arch;
		const char *name;
	} tab[] = {
		{ SCMP_ARCH_X86_64, "x86_64" }, { SCMP_ARCH_X86, "i386" },
		{ SCMP_ARCH_X32, "x32" }, { SCMP_ARCH_AARCH64, "aarch64" },
		{ SCMP_ARCH_ARM, "arm" }, { SCMP_ARCH_RISCV64, "riscv64" },
		{ SCMP_ARCH_PPC64LE, "ppc64le" }, { SCMP_ARCH_PPC64, "ppc64" },
		{ SCMP_ARCH_S390X, "s390x" }, { SCMP_ARCH_S390, "s390" },
		{ SCMP_ARCH_MIPS, "mips" }, { SCMP_ARCH_MIPSEL, "mipsel" },
		{ SCMP_ARCH_MIPS64, "mips64" }, { SCMP_ARCH_MIPSEL64, "mipsel64" },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].arch == audit_arch)
			return tab[i].name;
	snprintf(buf, n, "0x%08x", audit_arch);
	return buf;
}

/*
 * libseccomp resolves a number by a linear search and returns a copy; at
 * 250k events/s that matters, so names are cached per (arch, nr).
 */
#define NAME_CACHE 4096
static struct name_ent {
	uint32_t arch;
	int32_t nr;
	char *name;          /* NULL: slot empty */
	bool known;
} name_cache[NAME_CACHE];

const char *sca_syscall_name(uint32_t audit_arch, int32_t nr, char *buf, size_t n)
{
	struct name_ent *e = &name_cache[sca_hash_mix(audit_arch, (uint32_t)nr) % NAME_CACHE];

	if (!e->name || e->arch != audit_arch || e->nr != nr) {
		char *name = audit_arch ? seccomp_syscall_resolve_num_arch(audit_arch, nr) : NULL;
		free(e->name);
		e->arch = audit_arch;
		e->nr = nr;
		e->known = name != NULL;
		if (!name && asprintf(&name, "%d", nr) < 0)
			name = NULL;
		e->name = name;
		if (!name) {
			snprintf(buf, n, "%d", nr);
			return buf;
		}
	}
	return e->name;
}

int sca_syscall_nr(uint32_t audit_arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(audit_arch, name);
	return nr == __NR_SCMP_ERROR ? -1 : nr;
}

void sca_names__cleanup(void)
{
	for (size_t i = 0; i < NAME_CACHE; i++) {
		free(name_cache[i].name);
		name_cache[i].name = NULL;
	}
}

const char *sca_time_str(uint64_t ns, char *buf, size_t n)
{
	time_t s = (time_t)(ns / 1000000000ull);
	struct tm tm;
	char date[32];
	gmtime_r(&s, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, n, "%s.%09lluZ", date, (unsigned long long)(ns % 1000000000ull));
	return buf;
}
