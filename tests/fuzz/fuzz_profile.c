/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the profile parsers (OCI JSON, SPO YAML): any input
 * must give a profile or a one-line message, never a crash or a leak. A
 * parsed profile is also built into a filter, which walks the whole model.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the name's extension steers the JSON/YAML guess; cover all three cases */
	static const char *const names[] = { "fuzz.json", "fuzz.yaml", "fuzz" };
	static const struct sca_profile_env env = {
		.native_arch = SCMP_ARCH_X86_64, .caps = 1ull << 21, .kernel = { 6, 1, 0 },
	};
	struct sca_profile *p = NULL;
	scmp_filter_ctx ctx;
	char err[512];
	int ret;

	err[0] = 0;
	ret = sca_profile__load_buf((const char *)data, size, names[size % 3], &p, err, sizeof(err));
	if (ret < 0) {
		if (p || !err[0] || strchr(err, '\n'))
			__builtin_trap();
		return 0;
	}
	if (!p)
		__builtin_trap();
	if (sca_profile__build_env(p, &env, &ctx, NULL, err, sizeof(err)) == 0)
		seccomp_release(ctx);
	sca_profile__free(p);
	return 0;
}
