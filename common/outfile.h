/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * outfile.h - the files sca writes for the user (databases, profiles).
 * A regular file is built whole in a private directory beside PATH, then
 * renamed over it, so a reader never sees half of it and nothing is written
 * through a link planted at PATH or at a temporary name. A FIFO, a terminal
 * or /dev/null (also behind a link such as /dev/stdout) is written in place
 * when the writer is a stream; any other kind of file is refused.
 */
#ifndef SCA_COMMON_OUTFILE_H
#define SCA_COMMON_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum sca_outfile_flags {
	SCA_OUTFILE_FORCE = 1 << 0,  /* replace an existing regular file */
	SCA_OUTFILE_STREAM = 1 << 1, /* a sequential writer: FIFOs, ttys and /dev/null will do */
	SCA_OUTFILE_SYNC = 1 << 2,   /* fsync before the rename */
};

struct sca_outfile;

/*
 * Begin writing PATH. Returns 0, or a negative errno with ERR holding one
 * line "PATH: problem" (-EEXIST: exists and no SCA_OUTFILE_FORCE).
 */
int sca_outfile__open(struct sca_outfile **out, const char *path, unsigned flags, mode_t mode,
		      char *err, size_t errlen);

/* Where to write: an fd open for reading and writing (write-only in place). */
int sca_outfile__fd(const struct sca_outfile *o);

/* The file being built, for libraries that open by name; NULL in place. */
const char *sca_outfile__tmp_path(const struct sca_outfile *o);

/* Put the file in place (rename) and free O. Returns 0 or a negative errno. */
int sca_outfile__commit(struct sca_outfile *o, char *err, size_t errlen);

/* Drop what was written (nothing replaces PATH) and free O; NULL is a no-op. */
void sca_outfile__discard(struct sca_outfile *o);

struct stat;
/* True for what is written in place: a FIFO, a terminal, /dev/null. */
bool sca_outfile__is_sink(const struct stat *st);

/* True if paths A and B name one file (one inode), e.g. an output and an input. */
bool sca_outfile__same_file(const char *a, const char *b);

#endif
