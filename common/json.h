/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.h - JSON string literals, the one way sca writes them (the live
 * printer, analyze's JSON output, OCI profiles), and the UTF-8 decoder
 * they rest on. Whatever bytes come in, the literal is valid JSON: what the
 * kernel reports (comm, paths) need not be UTF-8.
 */
#ifndef SCA_COMMON_JSON_H
#define SCA_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The UTF-8 sequence at S: its length, with the code point in *cp; 0 when S
 * holds none (overlong, surrogate, beyond U+10FFFF, cut short by a NUL).
 */
size_t sca_utf8_decode(const unsigned char *s, uint32_t *cp);

/*
 * True for the characters that are valid UTF-8 yet steer a terminal: C1
 * controls (U+0080..U+009F: U+009B is CSI, U+009D OSC), Unicode's
 * Bidi_Control set, which reorders what follows on the line, and the line
 * and paragraph separators. Every writer escapes them.
 */
bool sca_utf8_steers(uint32_t cp);

/*
 * Write S to F as a JSON string literal, "null" for NULL: '"' and '\' with a
 * backslash, control characters (below 0x20) and the characters that steer
 * a terminal (sca_utf8_steers()) as \uXXXX, other UTF-8 sequences as they
 * are, and every byte that is no part of one as \u00XX (the byte read as
 * Latin-1), so the text stays valid JSON whatever the bytes.
 */
void sca_json_str(FILE *f, const char *s);

#endif /* SCA_COMMON_JSON_H */
