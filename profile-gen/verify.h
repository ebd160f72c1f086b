/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.h - `sca profile-gen --verify`: run a command under a new profile
 * with every refusal logged, record it (record/), and report what the
 * filter refused. A library of its own (sca_gen_verify), so that the
 * generator does not depend on the recorder.
 */
#ifndef SCA_PROFILE_GEN_VERIFY_H
#define SCA_PROFILE_GEN_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"

/*
 * Run CMD (NULL-terminated argv) under P, refusals logged, and record it
 * into a temporary trace; say on NOTES that it runs, the refusals
 * (sca_gen__report_refusals), and the command's status. Needs root, like sca record. Returns 0 with *refused
 * set, or a negative errno with a message in err, left empty when the
 * recorder has said why already (nothing was recorded).
 */
int sca_gen__verify(const struct sca_profile *p, char **cmd, FILE *notes, uint64_t *refused, char *err,
		    size_t errlen);

/*
 * Say on NOTES what P refused in TRACE, a recording of a run under P. A
 * refusal the profile gives on purpose (the syscall's own unconditional
 * rule refuses it with the code audited, and no rule allows it, e.g.
 * clone3 with errno(38)) is counted in *expected and listed once per
 * syscall; every other one is a line of its own, counted in *refused, and
 * names the conditions of a syscall the profile allows only under them
 * (audit records carry no argument values: the failing one is not known).
 * Events the recording lost are warned about. Returns 0, -EIO when TRACE
 * cannot be read, or -ENOMEM.
 */
int sca_gen__report_refusals(const struct sca_profile *p, const char *trace, FILE *notes, uint64_t *refused,
			     uint64_t *expected);

#endif /* SCA_PROFILE_GEN_VERIFY_H */
