/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * enrich.h - what the audit record does not say about a process, read from
 * /proc/PID at receipt: ppid, mount and pid namespaces, cgroup path and id,
 * exe. Cached per pid for a second; a process already gone keeps what its
 * record said.
 */
#ifndef SCA_RECORD_ENRICH_H
#define SCA_RECORD_ENRICH_H

#include <stdint.h>

#include "trace.h"

struct sca_enricher;

int sca_enricher__new(struct sca_enricher **out, const char *proc_root);
void sca_enricher__free(struct sca_enricher *en);
/* Fill what ev lacks; string fields then point into the cache. */
void sca_enricher__fill(struct sca_enricher *en, struct sca_event *ev, uint64_t now_ns);

#endif
