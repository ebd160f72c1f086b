/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * clock.h - a clock read as nanoseconds, for timestamps (CLOCK_REALTIME) and
 * intervals (CLOCK_MONOTONIC, CLOCK_BOOTTIME). Header-only.
 */
#ifndef SCA_COMMON_CLOCK_H
#define SCA_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t sca_clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME now: a boot-clock stamp plus it is wall time. */
static inline int64_t sca_clock_boot_offset(void)
{
	return (int64_t)(sca_clock_ns(CLOCK_REALTIME) - sca_clock_ns(CLOCK_BOOTTIME));
}

/*
 * Milliseconds from now to END_NS (CLOCK_MONOTONIC), rounded up, for a
 * poll() that must not pass a deadline; 0 once it has passed.
 */
static inline int sca_clock_ms_until(uint64_t end_ns)
{
	uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);

	return now >= end_ns ? 0 : (int)((end_ns - now) / 1000000) + 1;
}

#endif /* SCA_COMMON_CLOCK_H */
