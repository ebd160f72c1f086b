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
 * into a temporary trace; say on NOTES that it runs, each refusal, and the
 * command's status. Needs root, like sca record. Returns 0 with *refused
 * set, or a negative errno with a message in err, left empty when the
 * recorder has said why already (nothing was recorded).
 */
int sca_gen__verify(const struct sca_profile *p, char **cmd, FILE *notes, uint64_t *refused, char *err,
		    size_t errlen);

#endif /* SCA_PROFILE_GEN_VERIFY_H */
