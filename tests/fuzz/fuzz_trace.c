/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the trace reader: any bytes, opened as a trace and
 * read to the end. The reader must never crash, read out of bounds or loop;
 * every record it returns must be self-consistent.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("trace", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	struct sca_reader *r = sca_reader__fdopen(fd);
	if (!r)
		return 0;
	const struct sca_record *rec;
	uint64_t n = 0;
	while (sca_reader__next(r, &rec) > 0) {
		if (rec->kind == SCA_RECORD_EVENT) {
			/* touch every string: ASan checks they are in bounds */
			const struct sca_event *e = &rec->event;
			volatile size_t len = 0;
			for (const char *s = e->comm; s && *s; s++)
				len++;
			for (const char *s = e->exe; s && *s; s++)
				len++;
			for (const char *s = e->cgroup; s && *s; s++)
				len++;
			if (e->container && e->container->name)
				for (const char *s = e->container->name; *s; s++)
					len++;
		} else if (rec->kind != SCA_RECORD_LOST) {
			abort();
		}
		n++;
	}
	struct sca_reader_totals t;
	sca_reader__totals(r, &t);
	if (t.events > n)
		abort();
	sca_reader__close(r);
	return 0;
}
