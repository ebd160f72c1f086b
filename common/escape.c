/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * escape.c - untrusted strings for a terminal, a CSV cell, a Kubernetes
 * name and a file name (see escape.h). The terminal form is made one unit
 * (a character or an escape) at a time, so a cut never splits one and the
 * buffer, stream and width functions agree on what a unit is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/hash.h"
#include "common/json.h"

static const char hex[] = "0123456789abcdef";

/* The unit at U into OUT (at most 6 bytes, no NUL); *in: bytes of U it stands for. */
static size_t esc_unit(const unsigned char *u, char out[6], size_t *in)
{
	uint32_t cp;
	size_t n;

	*in = 1;
	switch (*u) {
	case '\\': memcpy(out, "\\\\", 2); return 2;
	case '\t': memcpy(out, "\\t", 2); return 2;
	case '\n': memcpy(out, "\\n", 2); return 2;
	case '\r': memcpy(out, "\\r", 2); return 2;
	}
	if (*u >= 0x20 && *u < 0x7f) {
		out[0] = (char)*u;
		return 1;
	}
	if (*u < 0x80 || !(n = sca_utf8_decode(u, &cp))) {
		/* a control byte, or a byte no character holds */
		out[0] = '\\', out[1] = 'x', out[2] = hex[*u >> 4], out[3] = hex[*u & 15];
		return 4;
	}
	*in = n;
	if (sca_utf8_steers(cp)) {
		out[0] = '\\', out[1] = 'u';
		for (int i = 0; i < 4; i++)
			out[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
		return 6;
	}
	memcpy(out, u, n);
	return n;
}

/* Bytes at the start of S that stand for themselves: the common case, copied whole. */
static size_t plain_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\')
		i++;
	return i;
}

size_t sca_esc(char *dst, size_t n, const char *s)
{
	size_t len = plain_len(s), in, k;
	const unsigned char *u = (const unsigned char *)s + len;
	bool full = n == 0;
	char unit[6];

	if (!full && len < n) {
		memcpy(dst, s, len);
	} else if (!full) {
		/* plain bytes are units of one: cut anywhere */
		memcpy(dst, s, n - 1);
		dst[n - 1] = 0;
		full = true;
	}
	for (; *u; u += in) {
		k = esc_unit(u, unit, &in);
		if (!full && len + k < n)
			memcpy(dst + len, unit, k);
		else if (!full) {
			dst[len] = 0;
			full = true;
		}
		len += k;
	}
	if (!full)
		dst[len] = 0;
	return len;
}

char *sca_esc_dup(const char *s)
{
	size_t n = sca_esc(NULL, 0, s) + 1;
	char *d = malloc(n);

	if (d)
		sca_esc(d, n, s);
	return d;
}

void sca_esc_fput(FILE *f, const char *s)
{
	size_t len = plain_len(s), in, k;
	const unsigned char *u = (const unsigned char *)s + len;
	char unit[6];

	fwrite(s, 1, len, f);
	for (; *u; u += in) {
		k = esc_unit(u, unit, &in);
		if (k == 1)
			putc(unit[0], f);
		else
			fwrite(unit, 1, k, f);
	}
}

/* Bytes of the unit at E (escaped), and the columns it fills in *cols. */
static size_t unit_len(const char *e, size_t *cols)
{
	unsigned char c = (unsigned char)*e;
	size_t n;

	if (c == '\\')
		n = e[1] == 'x' ? 4 : e[1] == 'u' ? 6 : 2;
	else
		n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	/* never past the end, whatever E holds */
	for (size_t i = 1; i < n; i++)
		if (!e[i]) {
			n = i;
			break;
		}
	*cols = c == '\\' ? n : 1;
	return n;
}

size_t sca_esc_width(const char *e)
{
	size_t w = 0;

	/* escapes are ASCII: one column per byte that starts a character */
	for (const unsigned char *u = (const unsigned char *)e; *u; u++)
		w += (*u & 0xc0) != 0x80;
	return w;
}

size_t sca_esc_cut(const char *e, size_t cols, size_t *filled)
{
	size_t i = 0, w = 0, n, c;

	while (e[i]) {
		n = unit_len(e + i, &c);
		if (w + c > cols)
			break;
		w += c;
		i += n;
	}
	if (filled)
		*filled = w;
	return i;
}

void sca_esc_pad(FILE *f, const char *e, size_t width, bool right)
{
	size_t w = sca_esc_width(e);

	if (right)
		for (; w < width; w++)
			putc(' ', f);
	fputs(e, f);
	if (!right)
		for (; w < width; w++)
			putc(' ', f);
}

void sca_csv_cell(FILE *f, const char *s, bool text)
{
	bool formula = text && *s && strchr("=+-@\t\r", *s);

	if (!formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* 8 hex digits of S's hash, and a NUL, at DST. */
static void put_hash(char *dst, const char *s)
{
	uint32_t h = (uint32_t)sca_hash_str(0, s);

	for (int i = 0; i < 8; i++)
		dst[i] = hex[(h >> (28 - 4 * i)) & 15];
	dst[8] = 0;
}

static bool label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* IsDNS1123Subdomain, at most MAX bytes. */
static bool is_subdomain(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (!len || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		bool edge = i == 0 || i + 1 == len || s[i - 1] == '.' || s[i + 1] == '.';
		if (s[i] == '.' ? edge : !label_char((unsigned char)s[i]) || (edge && s[i] == '-'))
			return false;
	}
	return true;
}

void sca_dns_name(char *dst, const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = 0;

	if (is_subdomain(s, max < SCA_DNS_SUBDOMAIN_MAX ? max : SCA_DNS_SUBDOMAIN_MAX)) {
		strcpy(dst, s);
		return;
	}
	/* room for the hash suffix */
	for (; *u && k < SCA_DNS_LABEL_MAX - 9; u++) {
		if (*u >= 'A' && *u <= 'Z')
			dst[k++] = (char)(*u - 'A' + 'a');
		else if (label_char(*u) && *u != '-')
			dst[k++] = (char)*u;
		else if (k && dst[k - 1] != '-')   /* '-' too: one per run */
			dst[k++] = '-';
	}
	while (k && dst[k - 1] == '-')
		k--;
	if (k)
		dst[k++] = '-';
	put_hash(dst + k, s);
}

static bool file_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

void sca_file_name(char *dst, const char *s)
{
	size_t len = strlen(s), keep = len > SCA_FILE_NAME_MAX ? SCA_FILE_NAME_MAX - 9 : len;

	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[i] = file_char(c) && !(i == 0 && (c == '.' || c == '-')) ? (char)c : '_';
	}
	if (!len)
		dst[keep++] = '_';
	dst[keep] = 0;
	if (len > SCA_FILE_NAME_MAX) {
		dst[keep] = '-';
		put_hash(dst + keep + 1, s);
	}
}
