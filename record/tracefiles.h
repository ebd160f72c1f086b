/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracefiles.h - the trace files of one `sca record`: -o FILE, or with rotation
 * the set BASE.0001.trace, BASE.0002.trace ...; refusing or (--force)
 * replacing what is already there, and the summary on stderr at the end.
 * Without -o there are no files and only the summary remains. The first
 * write error is reported as "PATH: problem" and ends the writing.
 */
#ifndef SCA_RECORD_TRACEFILES_H
#define SCA_RECORD_TRACEFILES_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

struct sca_record_opts;
struct sca_tracefiles;

/* For o (kept, not copied). Returns 0, or -ENOMEM after saying so. */
int sca_tracefiles__new(struct sca_tracefiles **out, const struct sca_record_opts *o);
/* The host the headers name, instead of this machine's (kept, not copied). */
void sca_tracefiles__set_host(struct sca_tracefiles *out, const char *host);
void sca_tracefiles__free(struct sca_tracefiles *out);

/*
 * Before anything starts: -EEXIST, said, if the trace (or a file of an
 * earlier rotated set) exists. Creating it exclusively is what guarantees
 * it; this only says so before a source is opened or a command started.
 */
int sca_tracefiles__refuse_existing(struct sca_tracefiles *out);

/*
 * With --force, remove an earlier set; then create the first file, whose
 * header names source. Returns 0 or a negative errno, said.
 */
int sca_tracefiles__begin(struct sca_tracefiles *out, const char *source);

int sca_tracefiles__add_event(struct sca_tracefiles *out, const struct sca_event *e);
int sca_tracefiles__add_lost(struct sca_tracefiles *out, const struct sca_lost *l);
int sca_tracefiles__add_calls(struct sca_tracefiles *out, const struct sca_calls *c);
int sca_tracefiles__flush(struct sca_tracefiles *out);

/* Go on in the next file if the current one is due (size, or age at now). */
int sca_tracefiles__rotate_if_due(struct sca_tracefiles *out, uint64_t now);
/* When (CLOCK_MONOTONIC ns) the current file is due by age; 0: never. */
uint64_t sca_tracefiles__rotate_at(const struct sca_tracefiles *out);

/* Nothing was recorded: remove the file just begun. */
void sca_tracefiles__discard(struct sca_tracefiles *out);
/* Recording stopped early: close the file, keeping what it holds. */
void sca_tracefiles__stop(struct sca_tracefiles *out);
/* A write failed (and was said); recording stops. */
bool sca_tracefiles__failed(const struct sca_tracefiles *out);

/*
 * Close the last file and print the summary of the recording (events and
 * lost as counted by the recorder). Returns -EIO if any write failed.
 */
int sca_tracefiles__finish(struct sca_tracefiles *out, uint64_t events, uint64_t lost);

#endif
