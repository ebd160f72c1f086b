/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compat: make an i386 syscall from a 64-bit process (int $0x80) and a
 * native one, under a filter that logs mkdir on both arches and logs
 * unshare with its flags, so a recorder sees:
 *   - i386 mkdir (arch 40000003, number 39; x86_64 39 would be getpid)
 *   - x86_64 unshare with args[0] = CLONE_NEWUTS (0x04000000)
 * Prints its pid.   compat DIR
 */
#define _GNU_SOURCE
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: compat DIR\n");
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_arch_add(ctx, SCMP_ARCH_X86) ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(mkdir), 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(unshare), 0) || seccomp_load(ctx)) {
		fprintf(stderr, "compat: cannot install the filter\n");
		return 1;
	}
	seccomp_release(ctx);   /* loaded into the kernel; the copy here is done */
	printf("%d\n", getpid());
	fflush(stdout);
	/* i386 mkdir(DIR, 0700): eax = 39, ebx = path (must be below 4 GiB:
	 * argv lives on the stack, so copy the path into a low static buffer
	 * is not possible portably; the kernel reads ebx as a 32-bit pointer,
	 * and the call may fail with EFAULT - it is still audited) */
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(39), "b"(argv[1]), "c"(0700) : "memory");
	(void)ret;
	unshare(CLONE_NEWUTS);
	return 0;
}
