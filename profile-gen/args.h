/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * args.h - argument conditions learnt from what ran. For the syscalls of
 * common/sysargs.h, collect keeps the values their calls were made with
 * (per call class, so the container cut can apply later); generate turns a
 * small value set into conditional rules, or says why the syscall stays
 * unconditional: too many values, values not known (audit events carry
 * none), or an arch of the profile that puts the argument elsewhere.
 * Internal to profile-gen.
 */
#ifndef SCA_PROFILE_GEN_ARGS_H
#define SCA_PROFILE_GEN_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gen.h"
#include "profile.h"
#include "trace.h"

struct sca_gen_argset;

/* The set for syscall NAME: *A NULL when common/sysargs.h has no rule for it. 0 or -ENOMEM. */
int sca_gen_args__new(const char *name, struct sca_gen_argset **a);
/* Fold a CALLS record / an event of A's syscall into A. */
void sca_gen_args__add_calls(struct sca_gen_argset *a, const struct sca_calls *rc);
void sca_gen_args__add_event(struct sca_gen_argset *a, const struct sca_event *e);

/* Merge what counts of SRC into *DST: with CUT, not the calls made before the filter. */
int sca_gen_args__merge(struct sca_gen_argset **dst, const struct sca_gen_argset *src, bool cut);

void sca_gen_args__free(struct sca_gen_argset *a);

/*
 * Allow NAME in P under conditions learnt from A, for a filter of ARCHES:
 * *done true when conditional rules were added, false when NAME must be
 * allowed with any arguments (said on EXPLAIN, if not NULL, either way).
 */
int sca_gen_args__allow(struct sca_profile *p, const char *name, const struct sca_gen_argset *a,
			const uint32_t *arches, size_t narches, FILE *explain, bool *done);

/*
 * Before the decisions, on AGG (one entry per name, room for one more):
 * clone3's flags are in memory, out of a filter's reach, but the recorder
 * read them. When every clone3 call's flags are known and clone could have
 * made it (no CLONE_NEWTIME, nothing above bit 31), its values join
 * clone's (an entry is made if there is none) and *ENOSYS is set: clone3
 * may answer ENOSYS, since libc then makes the same call as clone.
 */
int sca_gen_args__fold_clone3(struct sca_gen_call *agg, size_t *nagg, FILE *explain, bool *enosys);

/*
 * After them: with ENOSYS and clone allowed only under conditions, clone3
 * answers ENOSYS and leaves every permissive rule. Nothing when P allows
 * clone with any arguments, or already refuses clone3 outright.
 */
int sca_gen_args__clone3(struct sca_profile *p, bool enosys, FILE *explain);

#endif
