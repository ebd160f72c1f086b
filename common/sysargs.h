/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysargs.h - the syscall arguments sca tells apart, in one table: where a
 * syscall's meaning lies in one small value set (a socket's family, the
 * namespaces a clone creates, an ioctl request), the recorder counts calls
 * per value (record/source_syscalls.c) and profile-gen turns the values
 * seen into conditions (profile-gen/args.c). Names resolve per arch with
 * libseccomp; where an arch puts an argument elsewhere (s390's clone), or
 * not in a register at all (i386's old mmap), the table says so.
 */
#ifndef SCA_COMMON_SYSARGS_H
#define SCA_COMMON_SYSARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCA_SYSARG_FIELDS 2        /* arguments one rule tells apart, at most */

/* What profile-gen makes of the values seen. */
enum sca_sysarg_kind {
	SCA_SYSARG_VALUES,         /* allow each value (each tuple of fields) seen */
	SCA_SYSARG_WX,             /* prot: refuse writable+executable unless seen */
};

/* How a value prints: one name per value, or one name per bit. */
struct sca_sysarg_name {
	uint64_t value;
	const char *name;
};

struct sca_sysarg_field {
	unsigned index;            /* the argument, 0..5, on most arches */
	uint64_t mask;             /* the bits that matter */
	const char *what;          /* "address family" */
	bool bits;                 /* names are of bits (flags), not of values */
	const struct sca_sysarg_name *names; /* ended by a NULL name; may be NULL */
};

/* Where an arch differs: FIELD at INDEX, or one of these. */
#define SCA_SYSARG_IN_MEMORY (-1)  /* not in a register on this arch: nothing to record or check */
#define SCA_SYSARG_NO_FILTER (-2)  /* in its usual register, but a filter for this arch cannot check it */
struct sca_sysarg_layout {
	uint32_t arch;             /* SCMP_ARCH_* (the kernel's AUDIT_ARCH_*) */
	unsigned field;
	int index;
};

/* A value that comes with another: where SEEN was, ALSO is allowed (why: WHY). */
struct sca_sysarg_imply {
	uint64_t seen, also;
	const char *why;
};

struct sca_sysarg_rule {
	const char *name;          /* the syscall */
	enum sca_sysarg_kind kind;
	unsigned nfields;
	struct sca_sysarg_field field[SCA_SYSARG_FIELDS];
	unsigned max_values;       /* more distinct values seen: no condition */
	bool deref;                /* field 0 points at a u64 in memory (clone3's flags): the recorder
				    * reads it and writes it in the argument's place; no filter can check it */
	const char *why;           /* what a condition on it keeps out */
	struct sca_sysarg_layout other[8]; /* arch 0 ends the list */
	struct sca_sysarg_imply implies[4]; /* field 0's values; a NULL why ends the list */
};

/* The rule for syscall NAME, or NULL. */
const struct sca_sysarg_rule *sca_sysarg__find(const char *name);
/* The table itself, for the recorder to load; *n set. */
const struct sca_sysarg_rule *sca_sysarg__table(size_t *n);

/* Where FIELD of R sits on ARCH: 0..5, or -1 (in memory there). */
int sca_sysarg__index(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch);
/* The same for a filter's condition: -1 also where a filter for ARCH cannot check it. */
int sca_sysarg__filter_index(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch);

/*
 * FIELD's value (masked) for a call on ARCH with ARGS, of which the bits
 * ARGMASK[i] are known: true with *out set, false when what matters is not
 * known.
 */
bool sca_sysarg__value(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch,
		       const uint64_t args[6], const uint64_t argmask[6], uint64_t *out);

/* V of field F as people read it: "AF_INET (2)", "CLONE_NEWUSER|CLONE_NEWNS", "0x5413". Returns BUF. */
const char *sca_sysarg__value_str(const struct sca_sysarg_field *f, uint64_t v, char *buf, size_t len);

#endif /* SCA_COMMON_SYSARGS_H */
