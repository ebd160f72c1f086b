/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seccomp audit record parser. A hand-written key=value scanner rather than
 * sscanf(): records arrive by the hundred thousand per second, and sscanf()
 * accepts too much (signs, spaces, overflow) to tell a damaged record from a
 * good one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "audit_parse.h"

#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull

/* Fields met so far, to catch missing and repeated ones. */
enum {
	F_AUID = 1u << 0,
	F_UID = 1u << 1,
	F_GID = 1u << 2,
	F_SES = 1u << 3,
	F_SUBJ = 1u << 4,
	F_PID = 1u << 5,
	F_COMM = 1u << 6,
	F_EXE = 1u << 7,
	F_SIG = 1u << 8,
	F_ARCH = 1u << 9,
	F_SYSCALL = 1u << 10,
	F_COMPAT = 1u << 11,
	F_IP = 1u << 12,
	F_CODE = 1u << 13,
};

/* subj needs an LSM; exe a process with an mm; compat and ip a newer kernel. */
#define F_REQUIRED (F_AUID | F_UID | F_GID | F_SES | F_PID | F_COMM | F_SIG | F_ARCH | \
		    F_SYSCALL | F_CODE)

#define IS(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)

static bool starts(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* [p, end) must be all decimal digits, at least one, with a value <= max. */
static int dec_u64(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		unsigned int d = (unsigned int)((unsigned char)*p - '0');

		if (d > 9 || v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int dec_u32(const char *p, const char *end, uint32_t *out)
{
	uint64_t v;
	int err;

	err = dec_u64(p, end, UINT32_MAX, &v);
	if (err)
		return err;
	*out = (uint32_t)v;
	return 0;
}

/* The kernel prints these with %d or %ld; we keep what fits an int32. */
static int dec_s32(const char *p, const char *end, int32_t *out)
{
	bool neg = p < end && *p == '-';
	uint64_t v;
	int err;

	err = dec_u64(p + neg, end, neg ? (uint64_t)INT32_MAX + 1 : INT32_MAX, &v);
	if (err)
		return err;
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return 0;
}

static int hex_u64(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		int d = hex_val(*p);

		if (d < 0 || v > (max - (unsigned int)d) / 16)
			return -EINVAL;
		v = v * 16 + (unsigned int)d;
	}
	*out = v;
	return 0;
}

/* "0x..." as the kernel writes ip and code. */
static int hex0x_u64(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	if (!starts(p, end, "0x", 2))
		return -EINVAL;
	return hex_u64(p + 2, end, max, out);
}

/*
 * An untrusted string (audit_log_n_untrustedstring()): "text" verbatim, or
 * hex when the text has a '"', space, control or non-ASCII byte. Cut to fit
 * dst, but the whole value is checked.
 */
static int untrusted_decode(const char *v, const char *vend, char *dst, size_t cap)
{
	size_t len = (size_t)(vend - v), n = 0;

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		len -= 2;
		if (len > cap - 1)
			len = cap - 1;
		memcpy(dst, v + 1, len);
		dst[len] = '\0';
		return 0;
	}
	if (len == 0 || len % 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_val(v[i]), lo = hex_val(v[i + 1]);

		/* The kernel logs C strings: a NUL in one means a forged record. */
		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -EINVAL;
		if (n < cap - 1)
			dst[n++] = (char)(hi << 4 | lo);
	}
	dst[n] = '\0';
	return 0;
}

/* "audit(SEC.MS:SERIAL): " as audit_log_start() writes it ("%llu.%03lu:%u"). */
static int stamp_parse(const char **pp, const char *end, struct sca_event *ev)
{
	const char *p = *pp, *q;
	uint64_t sec, ms, serial;
	int err;

	if (!starts(p, end, "audit(", 6))
		return -EINVAL;
	p += 6;
	q = memchr(p, '.', (size_t)(end - p));
	if (!q)
		return -EINVAL;
	err = dec_u64(p, q, UINT64_MAX / NSEC_PER_SEC, &sec);
	if (err)
		return err;
	p = q + 1;
	if (end - p < 4 || p[3] != ':')
		return -EINVAL;
	err = dec_u64(p, p + 3, 999, &ms);
	if (err)
		return err;
	p += 4;
	q = memchr(p, ')', (size_t)(end - p));
	if (!q)
		return -EINVAL;
	err = dec_u64(p, q, UINT64_MAX, &serial);
	if (err)
		return err;
	p = q + 1;
	if (!starts(p, end, ": ", 2))
		return -EINVAL;
	if (sec * NSEC_PER_SEC > UINT64_MAX - ms * NSEC_PER_MSEC)
		return -EINVAL;

	ev->time_ns = sec * NSEC_PER_SEC + ms * NSEC_PER_MSEC;
	ev->serial = serial;
	*pp = p + 2;
	return 0;
}

/* Store one field; unknown keys are left alone for forward compatibility. */
static int field_set(const char *k, size_t kn, const char *v, const char *vend,
		     struct sca_event *ev, struct sca_audit_strings *s, uint32_t *seen)
{
	uint64_t u = 0;
	uint32_t bit;
	int err;

	if (IS(k, kn, "auid")) {
		bit = F_AUID;
		err = dec_u32(v, vend, &ev->auid);
	} else if (IS(k, kn, "uid")) {
		bit = F_UID;
		err = dec_u32(v, vend, &ev->uid);
	} else if (IS(k, kn, "gid")) {
		bit = F_GID;
		err = dec_u32(v, vend, &ev->gid);
	} else if (IS(k, kn, "ses")) {
		bit = F_SES;
		err = dec_u32(v, vend, &ev->ses);
	} else if (IS(k, kn, "subj")) {
		size_t n = (size_t)(vend - v);

		bit = F_SUBJ;
		if (n > sizeof(s->subj) - 1)
			n = sizeof(s->subj) - 1;
		memcpy(s->subj, v, n);
		s->subj[n] = '\0';
		err = 0;
	} else if (IS(k, kn, "pid")) {
		bit = F_PID;
		err = dec_s32(v, vend, &ev->pid);
	} else if (IS(k, kn, "comm")) {
		bit = F_COMM;
		err = untrusted_decode(v, vend, s->comm, sizeof(s->comm));
		ev->comm = s->comm;
	} else if (IS(k, kn, "exe")) {
		bit = F_EXE;
		/* audit_log_d_path_exe() when the task has no mm or exe file */
		if (IS(v, (size_t)(vend - v), "(null)")) {
			ev->exe = NULL;
			err = 0;
		} else {
			err = untrusted_decode(v, vend, s->exe, sizeof(s->exe));
			ev->exe = s->exe;
		}
	} else if (IS(k, kn, "sig")) {
		bit = F_SIG;
		err = dec_s32(v, vend, &ev->signr);
	} else if (IS(k, kn, "arch")) {
		bit = F_ARCH;
		err = hex_u64(v, vend, UINT32_MAX, &u);
		ev->arch = (uint32_t)u;
	} else if (IS(k, kn, "syscall")) {
		bit = F_SYSCALL;
		err = dec_s32(v, vend, &ev->syscall);
	} else if (IS(k, kn, "compat")) {
		bit = F_COMPAT;
		if (vend - v != 1 || (*v != '0' && *v != '1'))
			return -EINVAL;
		ev->compat = *v == '1';
		err = 0;
	} else if (IS(k, kn, "ip")) {
		bit = F_IP;
		err = hex0x_u64(v, vend, UINT64_MAX, &ev->ip);
	} else if (IS(k, kn, "code")) {
		bit = F_CODE;
		err = hex0x_u64(v, vend, UINT32_MAX, &u);
		ev->code = (uint32_t)u;
	} else {
		return 0;
	}
	if (err)
		return err;
	if (*seen & bit)
		return -EINVAL;
	*seen |= bit;
	return 0;
}

/* The space-separated key=value list after the time stamp. */
static int fields_parse(const char *p, const char *end, struct sca_event *ev,
			struct sca_audit_strings *s)
{
	uint32_t seen = 0;
	int err;

	while (p < end) {
		const char *k, *v, *vend;

		if (*p == ' ') {
			p++;
			continue;
		}
		k = p;
		while (p < end && *p != '=' && *p != ' ')
			p++;
		if (p == end || *p == ' ')
			continue; /* a word without '=': nothing to store */
		v = ++p;
		if (IS(k, (size_t)(v - 1 - k), "subj")) {
			/*
			 * An LSM context, printed raw ("%s"): AppArmor's may
			 * hold spaces ("prof (enforce)"). pid= always follows.
			 */
			vend = memmem(v, (size_t)(end - v), " pid=", 5);
			if (!vend)
				return -EINVAL;
		} else if (v < end && (*v == '"' || *v == '\'')) {
			vend = memchr(v + 1, *v, (size_t)(end - v - 1));
			if (!vend)
				return -EINVAL; /* cut inside the quotes */
			vend++;
			if (vend < end && *vend != ' ')
				return -EINVAL;
		} else {
			vend = memchr(v, ' ', (size_t)(end - v));
			if (!vend)
				vend = end;
		}
		err = field_set(k, (size_t)(v - 1 - k), v, vend, ev, s, &seen);
		if (err)
			return err;
		p = vend;
	}
	if ((seen & F_REQUIRED) != F_REQUIRED)
		return -EINVAL;
	return 0;
}

int sca_audit__parse(const char *text, size_t len, struct sca_event *ev,
		     struct sca_audit_strings *s)
{
	const char *p = text, *end, *nul;
	int err;

	if (!text || !ev || !s)
		return -EINVAL;
	nul = memchr(text, '\0', len);
	if (nul)
		len = (size_t)(nul - text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	end = text + len;

	memset(ev, 0, sizeof(*ev));
	ev->ppid = -1;
	s->comm[0] = '\0';
	s->exe[0] = '\0';
	s->subj[0] = '\0';

	err = stamp_parse(&p, end, ev);
	if (err)
		return err;
	err = fields_parse(p, end, ev, s);
	if (err)
		return err;
	ev->tid = ev->pid;
	return 0;
}

/*
 * The line's record type: the first "type=" that starts a word. On auditd
 * lines that is the first word (the second after node=); anything later is
 * record text, which in USER_* records is whatever a program sent.
 */
static const char *type_find(const char *line, const char *end)
{
	const char *p = line;

	if (starts(p, end, "node=", 5)) {
		p = memchr(p, ' ', (size_t)(end - p));
		if (!p)
			return NULL;
		while (p < end && *p == ' ')
			p++;
		return starts(p, end, "type=", 5) ? p : NULL;
	}
	while ((p = memmem(p, (size_t)(end - p), "type=", 5))) {
		if (p == line || p[-1] == ' ')
			return p;
		p += 5;
	}
	return NULL;
}

int sca_audit__parse_line(const char *line, size_t len, struct sca_event *ev,
			  struct sca_audit_strings *s)
{
	const char *end, *t, *q;
	int err;

	if (!line || !ev || !s)
		return -EINVAL;
	/* auditd's enriched format appends interpreted fields after 0x1d */
	q = memchr(line, 0x1d, len);
	if (q)
		len = (size_t)(q - line);
	q = memchr(line, '\0', len);
	if (q)
		len = (size_t)(q - line);
	end = line + len;

	t = type_find(line, end);
	if (!t)
		return 0;
	t += 5;
	for (q = t; q < end && *q != ' '; q++)
		;
	/* UNKNOWN[1326]: an auditd older than the record type's name */
	if (!IS(t, (size_t)(q - t), "SECCOMP") && !IS(t, (size_t)(q - t), "1326") &&
	    !IS(t, (size_t)(q - t), "UNKNOWN[1326]"))
		return 0;
	while (q < end && *q == ' ')
		q++;
	if (starts(q, end, "msg=", 4))
		q += 4;
	err = sca_audit__parse(q, (size_t)(end - q), ev, s);
	return err ? err : 1;
}
