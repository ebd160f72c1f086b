/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * synth_trace: write N events of the synthetic workload (synth.h) to a
 * trace, for demos and for benchmarks of the tools that read traces.
 *
 *   synth_trace [-n EVENTS] [-s SEED] [-H HOST] [-C NAME] -o FILE
 *
 * -C renames the "web" container to NAME (tests of names that collide).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "synth.h"
#include "trace.h"

int main(int argc, char **argv)
{
	long n = 100000;
	unsigned long long seed = 42;
	const char *out = NULL, *host = "synthetic-host", *cname = NULL;
	struct sca_container renamed;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:o:H:C:h")) != -1) {
		switch (opt) {
		case 'H': host = optarg; break;
		case 'C': cname = optarg; break;
		case 'n': n = atol(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		default:
			fprintf(stderr, "usage: synth_trace [-n EVENTS] [-s SEED] [-H HOST] [-C NAME] -o FILE\n");
			return 2;
		}
	}
	if (!out || n < 0) {
		fprintf(stderr, "usage: synth_trace [-n EVENTS] [-s SEED] [-H HOST] [-C NAME] -o FILE\n");
		return 2;
	}
	const struct sca_trace_meta meta = {
		.host = host, .kernel = "6.18.0", .source = "synthetic",
		.recorder = "synth_trace", .cmdline = "synth_trace", .native_arch = 0xc000003e,
		.wall_base_ns = 1700000000000000000ull,
	};
	struct sca_writer *w = sca_writer__create(out, &meta, NULL);
	if (!w) {
		fprintf(stderr, "synth_trace: %s: %s\n", out, strerror(errno));
		return 1;
	}
	struct synth s;
	struct sca_event e;
	int err = 0;
	synth__init(&s, seed, meta.wall_base_ns);
	for (int i = 0; cname && i < SYNTH_PROCS; i++) {
		const struct sca_container *c = s.procs[i].container;
		if (c && !strcmp(c->name, "web")) {
			renamed = *c;
			renamed.name = cname;
			s.procs[i].container = &renamed;
		}
	}
	for (long i = 0; i < n && !err; i++) {
		synth__next(&s, &e);
		err = sca_writer__add_event(w, &e);
	}
	int cerr = sca_writer__close(w);
	if (err || cerr) {
		fprintf(stderr, "synth_trace: %s: %s\n", out, strerror(-(err ? err : cerr)));
		unlink(out);
		return 1;
	}
	return 0;
}
