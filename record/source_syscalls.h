/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_syscalls.h - every syscall of the selected processes, counted in
 * the kernel on sys_enter (bpf/syscalls.bpf.c) and delivered once a second
 * as CALLS records: what `record --all-syscalls` and `record -- CMD` learn
 * from. Refused calls never reach sys_enter (seccomp decides first), so a
 * recording pairs it with an event source for those.
 */
#ifndef SCA_RECORD_SOURCE_SYSCALLS_H
#define SCA_RECORD_SOURCE_SYSCALLS_H

#include "source.h"

/*
 * The "syscalls" source. Selects in the kernel what o asks for: -- CMD's
 * audit session (set_session; nobody before it), --pid's trees, processes
 * in containers for --container/--pod/--namespace, --comm's names; the
 * recorder's filter then keeps exactly what the options say. A build
 * without BPF defines it with an open that fails.
 */
extern const struct sca_source_ops sca_source_syscalls;

#endif
