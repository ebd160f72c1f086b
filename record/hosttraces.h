/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hosttraces.h - an import's traces per host. A trace has one host, in its
 * header; records of a log that name another host (auditd's node=, a syslog
 * host) go to a trace of their own beside -o's, BASE.HOST.trace (-o
 * BASE.trace), each with that host in its header, so that a fleet's merged
 * logs stay apart in `sca analyze --by host`. The rest stay in -o's.
 */
#ifndef SCA_RECORD_HOSTTRACES_H
#define SCA_RECORD_HOSTTRACES_H

#include <stdint.h>

#include "tracefiles.h"

/* Hosts beyond this many keep -o's trace (and are said). */
#define SCA_HOSTTRACES_MAX 64

struct sca_record_opts;
struct sca_hosttraces;

/*
 * For O's -o (kept, not copied), written by MAIN (not yet begun; NULL
 * without -o), and the header's SOURCE. 0 or -ENOMEM, said.
 */
int sca_hosttraces__new(struct sca_hosttraces **out, const struct sca_record_opts *o,
			struct sca_tracefiles *main, const char *source);
void sca_hosttraces__free(struct sca_hosttraces *h);

/*
 * The trace of HOST's records ("": this machine's), begun on first use:
 * MAIN for the first host and past SCA_HOSTTRACES_MAX hosts, NULL without
 * -o. A trace that cannot begin (said) sets *ERR.
 */
struct sca_tracefiles *sca_hosttraces__get(struct sca_hosttraces *h, const char *host, int *err);

/* At the end: begin MAIN if no record came, as this machine's (an empty trace). 0 or an error, said. */
int sca_hosttraces__begin_main(struct sca_hosttraces *h);

/* EVENTS more were written to T (one of get's). */
void sca_hosttraces__count(struct sca_hosttraces *h, struct sca_tracefiles *t, uint64_t events);

/*
 * Close each and print its summary; *EVENTS: how many went to them.
 * Returns -EIO if any write failed.
 */
int sca_hosttraces__finish(struct sca_hosttraces *h, uint64_t *events);

#endif
