/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the trace reader: any bytes, opened as a trace and
 * read to the end. The reader must never crash, read out of bounds or loop;
 * every record it returns must be self-consistent.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace.h"

/* Touch every string, the container's too: ASan checks they are in bounds. */
static void touch(const struct sca_event *e)
{
	const struct sca_container *c = e->container;
	const char *f[10] = { e->comm, e->exe, e->cgroup };
	volatile size_t len = 0;

	if (c) {
		const char *cf[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace,
				      c->pod_uid };
		memcpy(f + 3, cf, sizeof(cf));
	}
	for (int i = 0; i < 10; i++)
		for (const char *s = f[i]; s && *s; s++)
			len++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("trace", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	struct sca_reader *r = sca_reader__fdopen(fd);
	if (!r)
		return 0;
	const struct sca_record *rec;
	uint64_t n = 0, calls = 0;
	while (sca_reader__next(r, &rec) > 0) {
		if (rec->kind == SCA_RECORD_EVENT) {
			touch(&rec->event);
		} else if (rec->kind == SCA_RECORD_CALLS) {
			const struct sca_calls *c = &rec->calls;
			touch(&c->ev);
			/* what the reader promises of every CALLS record */
			if (!c->count || (c->flags & ~(SCA_CALLS_FILTERED | SCA_CALLS_NO_PROCESS)) ||
			    c->ev.code || c->ev.serial || c->ev.signr || c->ev.ip || !c->ev.proc_key)
				abort();
			if ((c->flags & SCA_CALLS_NO_PROCESS) && (c->ev.pid || c->ev.comm || c->ev.container))
				abort();
			if (!c->ev.has_args)
				for (int i = 0; i < 6; i++)
					if (c->ev.args[i] || c->argmask[i])
						abort();
			calls++;
		} else if (rec->kind != SCA_RECORD_LOST) {
			abort();
		}
		n++;
	}
	struct sca_reader_totals t;
	sca_reader__totals(r, &t);
	if (t.events + t.calls > n || t.calls != calls)
		abort();
	sca_reader__close(r);
	return 0;
}
