/* SPDX-License-Identifier: BSD-2-Clause */
/* caps.c - see caps.h. Raw capget/capset: no libcap dependency for this. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

static void add(struct __user_cap_data_struct d[2], int cap)
{
	d[cap / 32].effective |= 1u << (cap % 32);
	d[cap / 32].permitted |= 1u << (cap % 32);
}

int sca_caps__drop(bool kill_child, bool new_files)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct cur[2] = { 0 }, want[2] = { 0 };

	if (syscall(SYS_capget, &h, cur))
		return -errno;
	if (!cur[0].permitted && !cur[1].permitted)
		return 0;
	add(want, CAP_SYS_PTRACE);
	add(want, CAP_DAC_READ_SEARCH);
	if (kill_child)
		add(want, CAP_KILL);
	if (new_files)
		add(want, CAP_DAC_OVERRIDE);
	/* never more than we have */
	for (int i = 0; i < 2; i++) {
		want[i].permitted &= cur[i].permitted;
		want[i].effective &= want[i].permitted;
	}
	if (syscall(SYS_capset, &h, want))
		return -errno;
	return 0;
}
