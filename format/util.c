/* SPDX-License-Identifier: BSD-2-Clause */
/* CRC-32C, the growable buffer and the IP prediction table shared by writer and reader. */
#include <errno.h>
#include <stdlib.h>

#include "common/hash.h"
#include "internal.h"

/* Castagnoli polynomial, reflected; slicing-by-8 tables built once. */
static uint32_t crc_tab[8][256];
static int crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
	__atomic_store_n(&crc_ready, 1, __ATOMIC_RELEASE);
}

uint32_t sca_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
		crc_init();
	crc = ~crc;
	while (len >= 8) {
		uint32_t lo = crc ^ sca_get_le32(p);
		uint32_t hi = sca_get_le32(p + 4);
		crc = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
		      crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
		      crc_tab[3][hi & 0xff] ^ crc_tab[2][(hi >> 8) & 0xff] ^
		      crc_tab[1][(hi >> 16) & 0xff] ^ crc_tab[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int sca_buf__reserve(struct sca_buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < extra)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void sca_buf__free(struct sca_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static uint64_t ip_hash_of(const void *e)
{
	return sca_hash_u64(((const struct sca_ip_ent *)e)->key);
}

static bool ip_used(const void *e)
{
	return ((const struct sca_ip_ent *)e)->key != 0;
}

uint64_t *sca_ip_table__slot(struct sca_ip_table *t, uint64_t proc, int32_t syscall, uint32_t arch)
{
	uint64_t key = sca_ip_key(proc, syscall, arch) + 1;

	if ((!t->mask || t->n * 2 >= t->mask) &&
	    sca_table__grow((void **)&t->ent, &t->mask, sizeof(*t->ent), 1024, ip_hash_of, ip_used))
		return NULL;
	size_t j = sca_hash_u64(key) & t->mask;
	for (; t->ent[j].key; j = (j + 1) & t->mask)
		if (t->ent[j].key == key)
			return &t->ent[j].ip;
	t->ent[j] = (struct sca_ip_ent){ key, 0 };
	t->n++;
	return &t->ent[j].ip;
}

void sca_ip_table__clear(struct sca_ip_table *t)
{
	if (t->ent)
		memset(t->ent, 0, (t->mask + 1) * sizeof(*t->ent));
	t->n = 0;
}

void sca_ip_table__free(struct sca_ip_table *t)
{
	free(t->ent);
	memset(t, 0, sizeof(*t));
}
