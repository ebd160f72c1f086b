/*
 * hash.h - the small hashing helpers of sca's interning tables (processes,
 * containers, roll-ups). Not cryptographic: spread, fast, deterministic.
 */
#ifndef SCA_COMMON_HASH_H
#define SCA_COMMON_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Mix v into h. */
static inline uint64_t sca_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* Mix a string (NULL differs from "") into h. */
static inline uint64_t sca_hash_str(uint64_t h, const char *s)
{
	if (!s)
		return sca_hash_mix(h, 0x5a5a5a5a);
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return sca_hash_mix(h, 1);
}

/*
 * Grow an open-addressing table of *mask + 1 entries of esize bytes each
 * (a power of two; 0 entries when *mask is 0) to twice its size, or to
 * `first` entries, a power of two, when it has none: every entry for which
 * used() is true is placed again by hash_of() with linear probing. Returns
 * 0 or -ENOMEM (the old table is then kept).
 */
int sca_table__grow(void **tab, size_t *mask, size_t esize, size_t first,
		    uint64_t (*hash_of)(const void *), bool (*used)(const void *));

/* Equal strings, NULL equal only to NULL. */
static inline bool sca_str_eq(const char *a, const char *b)
{
	return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

#endif
