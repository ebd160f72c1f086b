/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hash.h - the hashing of sca's interning tables (trace writer and reader,
 * analyze, profile-gen, enrichment, benchmarks): one mixer family and one
 * open-addressing grow. Not cryptographic: spread, fast, deterministic.
 *
 * Header-only on purpose: format/ uses it and links zstd alone.
 */
#ifndef SCA_COMMON_HASH_H
#define SCA_COMMON_HASH_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Mix v into h. */
static inline uint64_t sca_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/*
 * A 64-bit key on its own (murmur3's finalizer): unlike sca_hash_mix(0, v),
 * every bit of v reaches the low bits a table index is made of.
 */
static inline uint64_t sca_hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
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
static inline int sca_table__grow(void **tab, size_t *mask, size_t esize, size_t first,
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

/*
 * A slot of an index over an array of entries that must not move: the
 * entry's index + 1 (0: empty) and the low half of its hash, which places
 * the slot again when the index grows and spares most mismatched entries a
 * look.
 */
struct sca_hash_slot {
	uint32_t idx;
	uint32_t hash;
};

static inline uint64_t sca_hash_slot__hash(const void *s)
{
	return ((const struct sca_hash_slot *)s)->hash;
}

static inline bool sca_hash_slot__used(const void *s)
{
	return ((const struct sca_hash_slot *)s)->idx != 0;
}

/* Grow an index of sca_hash_slot (see sca_table__grow; first size 1024). */
static inline int sca_hash_slots__grow(struct sca_hash_slot **slot, size_t *mask)
{
	return sca_table__grow((void **)slot, mask, sizeof(**slot), 1024, sca_hash_slot__hash,
			       sca_hash_slot__used);
}

/* Equal strings, NULL equal only to NULL. */
static inline bool sca_str_eq(const char *a, const char *b)
{
	return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

#endif
