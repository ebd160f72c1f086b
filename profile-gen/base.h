/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * base.h - a base profile resolved for what reads the refined profile
 * (sca_gen_opts.target): what the target cannot read is evaluated, never
 * dropped, so that a refinement allows nothing its base did not. Internal
 * to profile-gen.
 */
#ifndef SCA_PROFILE_GEN_BASE_H
#define SCA_PROFILE_GEN_BASE_H

#include <stddef.h>
#include <stdio.h>

#include "gen.h"

/*
 * Resolve P, the base as loaded, for O's target, reading conditions against
 * S's native arch, --caps and --kernel; what was resolved is said on NOTES.
 * Returns 0, or a negative errno with a one-line message in ERR.
 */
int sca_gen_base__resolve(struct sca_profile *p, const struct sca_gen_set *s, const struct sca_gen_opts *o,
			  FILE *notes, char *err, size_t errlen);

#endif
