/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privdir.h - private directories: created mode 0700 (only root, that is
 * sca, can enter them), holding the files sca must name while it builds them
 * (SQLite opens its database by name), and removed with all they hold on
 * every way out: sca_privdir__remove, exit(), and SIGINT, SIGTERM, SIGHUP
 * and SIGPIPE once sca_privdir__catch_signals ran.
 */
#ifndef SCA_COMMON_PRIVDIR_H
#define SCA_COMMON_PRIVDIR_H

struct sca_privdir;

/*
 * Create a private directory ".sca-XXXXXX" in the directory PARENT (a path;
 * NULL for $TMPDIR, else /tmp). Returns 0 or a negative errno; *OUT is freed
 * by sca_privdir__remove.
 */
int sca_privdir__create(struct sca_privdir **out, const char *parent);

/* The directory's path ("PARENT/.sca-XXXXXX") and an fd open on it. */
const char *sca_privdir__path(const struct sca_privdir *d);
int sca_privdir__fd(const struct sca_privdir *d);

/* Remove the directory and every file in it, and free D (NULL is a no-op). */
void sca_privdir__remove(struct sca_privdir *d);

/*
 * The process's own private directory under $TMPDIR, created on first use
 * and removed at exit: for temporary databases and SQLite's sort files.
 * Returns its path, or NULL with errno set.
 */
const char *sca_privdir__tmp(void);

/*
 * On SIGINT, SIGTERM, SIGHUP and SIGPIPE, remove every private directory,
 * then die of the signal as before. Signals that are ignored stay ignored;
 * a command that handles a signal itself installs its handler afterwards
 * and calls sca_privdir__cleanup_all() on its own way out.
 */
void sca_privdir__catch_signals(void);

/* Remove every private directory now; async-signal-safe. */
void sca_privdir__cleanup_all(void);

#endif
