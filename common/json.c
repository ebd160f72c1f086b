/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.c - JSON string literals and UTF-8 decoding (see json.h). DEL (0x7f)
 * is written as it is: JSON allows it, no terminal acts on it, and profiles
 * keep it that way.
 */
#include "common/json.h"

size_t sca_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		/* also stops at the terminating NUL */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return n;
}

bool sca_utf8_steers(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void sca_json_str(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *u; u += n) {
		n = 1;
		if (*u == '"' || *u == '\\') {
			fputc('\\', f);
			fputc(*u, f);
		} else if (*u < 0x20) {
			fprintf(f, "\\u%04x", *u);
		} else if (*u < 0x80) {
			fputc(*u, f);
		} else if ((n = sca_utf8_decode(u, &cp)) && !sca_utf8_steers(cp)) {
			fwrite(u, 1, n, f);
		} else if (n) {
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			n = 1;
			fprintf(f, "\\u%04x", *u);
		}
	}
	fputc('"', f);
}
