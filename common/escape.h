/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * escape.h - strings sca did not choose (comm, exe, cgroup paths, container,
 * pod and namespace names, a trace's host and command line: whatever a
 * traced process or a trace file says) made safe for where they go: a
 * terminal, a CSV cell, a Kubernetes object name, a file name. One form per
 * destination, each here; JSON string literals are json.h's. The trace
 * itself keeps the bytes as they came.
 */
#ifndef SCA_COMMON_ESCAPE_H
#define SCA_COMMON_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * The terminal form: printable ASCII and UTF-8 characters as they are;
 * '\' as "\\"; TAB, LF, CR as "\t", "\n", "\r"; every other C0 control,
 * DEL and each byte that is no part of a UTF-8 sequence (overlong,
 * surrogate, beyond U+10FFFF, cut short) as "\xHH"; C1 controls
 * (U+0080..U+009F), Unicode's Bidi_Control characters and the line and
 * paragraph separators as "\uHHHH". The form is reversible, holds no
 * control character, and is valid UTF-8. At most SCA_ESC_SIZE(strlen(s))
 * bytes with the NUL.
 */
#define SCA_ESC_SIZE(len) (4 * (len) + 1)

/*
 * S's terminal form into DST (N bytes, NUL-terminated when N > 0), cut
 * before an escape or character that does not fit whole. Returns the
 * length of the whole form, as snprintf() does.
 */
size_t sca_esc(char *dst, size_t n, const char *s);

/* S's terminal form, malloc'd; NULL on ENOMEM. */
char *sca_esc_dup(const char *s);

/* Write S's terminal form to F. */
void sca_esc_fput(FILE *f, const char *s);

/* Terminal columns of an escaped string E: one per character. */
size_t sca_esc_width(const char *e);

/*
 * Bytes of the longest start of E (escaped) that fills at most COLS
 * columns and ends between two escapes or characters; the columns it
 * fills in *filled (when not NULL).
 */
size_t sca_esc_cut(const char *e, size_t cols, size_t *filled);

/* Write E (escaped) to F, padded with spaces to WIDTH columns, on the left when RIGHT. */
void sca_esc_pad(FILE *f, const char *e, size_t width, bool right);

/*
 * Write S to F as one CSV cell (RFC 4180): in double quotes when it holds
 * ',', '"', CR or LF. A TEXT cell that starts with '=', '+', '-', '@', TAB
 * or CR, which a spreadsheet would run as a formula, is quoted with a "'"
 * put first (OWASP's advice); numbers (TEXT false) are written as they are,
 * so -1 stays a number.
 */
void sca_csv_cell(FILE *f, const char *s, bool text);

/*
 * S as a Kubernetes object name (a SeccompProfile's metadata.name). Kept
 * when it is a DNS-1123 subdomain (Kubernetes' IsDNS1123Subdomain:
 * lowercase ASCII letters, digits, '-' and '.', each dot-separated part
 * starting and ending with a letter or digit) of at most MAX bytes
 * (SCA_DNS_SUBDOMAIN_MAX at most). Anything else becomes a DNS-1123 label,
 * which is such a name too: letters lowercased, each run of other bytes
 * and '-' one '-', no '-' first or last, cut to leave room for "-" and 8 hex digits
 * of a hash of the whole of S put last (the hash alone when nothing is
 * left), so two names that become alike stay apart; at most
 * SCA_DNS_LABEL_MAX bytes. DST holds SCA_DNS_SUBDOMAIN_MAX + 1 bytes.
 */
#define SCA_DNS_LABEL_MAX 63
#define SCA_DNS_SUBDOMAIN_MAX 253
void sca_dns_name(char *dst, const char *s, size_t max);

/*
 * S as a file name: ASCII letters, digits, '.', '_', '-'; every other byte,
 * and a '.' or '-' first, as '_'; "" as "_". Longer than SCA_FILE_NAME_MAX,
 * it is cut and "-" and 8 hex digits of a hash of the whole of S are put
 * last. DST holds SCA_FILE_NAME_MAX + 1 bytes; the caller's suffixes
 * (".json", "-2") stay far below NAME_MAX.
 */
#define SCA_FILE_NAME_MAX 100
void sca_file_name(char *dst, const char *s);

#endif /* SCA_COMMON_ESCAPE_H */
