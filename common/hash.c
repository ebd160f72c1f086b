/*
 * hash.c - growing the open-addressing tables that hash.h's helpers key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

int sca_table__grow(void **tab, size_t *mask, size_t esize, size_t first,
		    uint64_t (*hash_of)(const void *), bool (*used)(const void *))
{
	size_t n = *mask ? (*mask + 1) * 2 : first;
	char *nt = calloc(n, esize);

	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; *mask && i <= *mask; i++) {
		const char *e = (const char *)*tab + i * esize;
		if (!used(e))
			continue;
		size_t j = hash_of(e) & (n - 1);
		while (used(nt + j * esize))
			j = (j + 1) & (n - 1);
		memcpy(nt + j * esize, e, esize);
	}
	free(*tab);
	*tab = nt;
	*mask = n - 1;
	return 0;
}
