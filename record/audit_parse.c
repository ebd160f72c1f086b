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
#include <time.h>

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

/*
 * Where code=0x%x's value ends: after its lowercase hex digits (the
 * kernel's %x), at a space, the end, or an uppercase KEY= that an enriched
 * auditd line glued on when its 0x1d separator was lost in transit
 * ("code=0x7ffc0000AUID=..."). NULL for anything else.
 */
static const char *code_end(const char *v, const char *end)
{
	const char *q = v, *k;

	if (starts(q, end, "0x", 2))
		q += 2;
	while (q < end && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')))
		q++;
	if (q == end || *q == ' ')
		return q;
	for (k = q; k < end && ((*k >= 'A' && *k <= 'Z') || *k == '_'); k++)
		;
	return k > q && k < end && *k == '=' ? q : NULL;
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
		} else if (IS(k, (size_t)(v - 1 - k), "code")) {
			vend = code_end(v, end);
			if (!vend)
				return -EINVAL;
		} else {
			vend = memchr(v, ' ', (size_t)(end - v));
			if (!vend)
				vend = end;
		}
		err = field_set(k, (size_t)(v - 1 - k), v, vend, ev, s, &seen);
		if (err)
			return err;
		/* the kernel's last field: what follows is a log's, not the kernel's */
		if (seen & F_CODE)
			break;
		p = vend;
	}
	if ((seen & F_REQUIRED) != F_REQUIRED)
		return -EINVAL;
	return 0;
}

static void record_init(struct sca_event *ev, struct sca_audit_strings *s)
{
	memset(ev, 0, sizeof(*ev));
	ev->ppid = -1;
	s->comm[0] = '\0';
	s->exe[0] = '\0';
	s->subj[0] = '\0';
	s->host[0] = '\0';
	s->time_from = SCA_AUDIT_TIME_RECORD;
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

	record_init(ev, s);
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

/* ---- log line prefixes ------------------------------------------------ */

/* Exactly n decimal digits at *pp, at most 9; advances. */
static int digits_n(const char **pp, const char *end, int n, uint32_t *out)
{
	uint64_t v;

	if (end - *pp < n || dec_u64(*pp, *pp + n, UINT32_MAX, &v))
		return -EINVAL;
	*pp += n;
	*out = (uint32_t)v;
	return 0;
}

/* An optional ".fraction" of a second (1 to 9 digits), as ns. */
static int frac_ns(const char **pp, const char *end, uint64_t *ns)
{
	const char *p = *pp;
	uint64_t v = 0, scale = 100000000;

	*ns = 0;
	if (p == end || *p != '.')
		return 0;
	for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
		if (!scale)
			return -EINVAL;
		v += (uint64_t)(*p - '0') * scale;
		scale /= 10;
	}
	if (p == *pp + 1)
		return -EINVAL;
	*pp = p;
	*ns = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "HH:MM:SS" at *pp; advances. */
static int clock_parse(const char **pp, const char *end, uint32_t *h, uint32_t *mi, uint32_t *sec)
{
	const char *p = *pp;

	if (digits_n(&p, end, 2, h) || !starts(p, end, ":", 1))
		return -EINVAL;
	p++;
	if (digits_n(&p, end, 2, mi) || !starts(p, end, ":", 1))
		return -EINVAL;
	p++;
	if (digits_n(&p, end, 2, sec) || *h > 23 || *mi > 59 || *sec > 60)
		return -EINVAL;
	*pp = p;
	return 0;
}

/* RFC 3339, as rsyslog and journalctl -o short-iso[-precise] write it. */
static int time_iso(const char **pp, const char *end, uint64_t *t)
{
	const char *p = *pp;
	uint32_t y, mo, d, h, mi, sec, oh = 0, om = 0;
	uint64_t ns;
	int64_t secs, off = 0;

	if (digits_n(&p, end, 4, &y) || !starts(p, end, "-", 1))
		return -EINVAL;
	p++;
	if (digits_n(&p, end, 2, &mo) || !starts(p, end, "-", 1))
		return -EINVAL;
	p++;
	if (digits_n(&p, end, 2, &d) || !starts(p, end, "T", 1))
		return -EINVAL;
	p++;
	if (clock_parse(&p, end, &h, &mi, &sec) || frac_ns(&p, end, &ns))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970)
		return -EINVAL;
	if (starts(p, end, "Z", 1)) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int sign = *p++ == '-' ? -1 : 1;

		if (digits_n(&p, end, 2, &oh))
			return -EINVAL;
		if (starts(p, end, ":", 1))
			p++;
		if (digits_n(&p, end, 2, &om) || oh > 23 || om > 59)
			return -EINVAL;
		off = sign * (int64_t)(oh * 3600 + om * 60);
	} else {
		return -EINVAL; /* a local time without its zone: not one we can place */
	}
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	if (secs < 0)
		return -EINVAL;
	*t = (uint64_t)secs * NSEC_PER_SEC + ns;
	*pp = p;
	return 0;
}

/* journalctl -o short-unix: "SEC.USEC". */
static int time_unix(const char **pp, const char *end, uint64_t *t)
{
	const char *p = *pp, *q = p;
	uint64_t sec, ns;

	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q - p > 11 || !starts(q, end, ".", 1) || dec_u64(p, q, UINT64_MAX, &sec))
		return -EINVAL;
	if (frac_ns(&q, end, &ns))
		return -EINVAL;
	*t = sec * NSEC_PER_SEC + ns;
	*pp = q;
	return 0;
}

/*
 * syslog's and journalctl's default "Nov 28 01:02:03[.123456]": local time
 * and no year, taken as the latest such time not past tomorrow (a log is
 * read after it was written; a day's slack for clocks and zones).
 */
static int time_bsd(const char **pp, const char *end, uint64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = *pp;
	uint32_t d, h, mi, sec;
	uint64_t ns;
	struct tm tm = { .tm_isdst = -1 }, now_tm;
	time_t now = time(NULL), when;
	int mo = -1;

	for (int i = 0; i < 12 && end - p >= 3; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
			mo = i;
	if (mo < 0 || !starts(p + 3, end, " ", 1))
		return -EINVAL;
	p += 4;
	if (starts(p, end, " ", 1))
		p++;
	if (digits_n(&p, end, 2, &d) && digits_n(&p, end, 1, &d))
		return -EINVAL;
	if (!starts(p, end, " ", 1))
		return -EINVAL;
	p++;
	if (d < 1 || d > 31 || clock_parse(&p, end, &h, &mi, &sec) || frac_ns(&p, end, &ns))
		return -EINVAL;
	if (!localtime_r(&now, &now_tm))
		return -EINVAL;
	tm.tm_year = now_tm.tm_year;
	tm.tm_mon = mo;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)sec;
	when = mktime(&tm);
	if (when != (time_t)-1 && when > now + 86400) {
		tm = (struct tm){ .tm_isdst = -1, .tm_year = now_tm.tm_year - 1, .tm_mon = mo,
				  .tm_mday = (int)d, .tm_hour = (int)h, .tm_min = (int)mi,
				  .tm_sec = (int)sec };
		when = mktime(&tm);
	}
	if (when == (time_t)-1 || when < 0)
		return -EINVAL;
	*t = (uint64_t)when * NSEC_PER_SEC + ns;
	*pp = p;
	return 0;
}

/* A line's syslog or journalctl prefix. */
struct line_prefix {
	uint64_t time_ns;
	enum sca_audit_time from;   /* SCA_AUDIT_TIME_NONE: no prefix */
	char host[sizeof(((struct sca_audit_strings *)0)->host)];
};

/*
 * A syslog or journalctl prefix "TIME[ HOST] " into *pf (no host when the
 * next word is already the program's "name:" or "name[pid]:"). Returns
 * where the rest starts, or NULL (*pf untouched) when the line starts with
 * no time stamp we know.
 */
static const char *prefix_parse(const char *line, const char *end, struct line_prefix *pf)
{
	const char *p = line, *h, *he;
	enum sca_audit_time from = SCA_AUDIT_TIME_PREFIX;
	uint64_t t;
	size_t n;

	if (time_iso(&p, end, &t) && time_unix(&p, end, &t)) {
		if (time_bsd(&p, end, &t))
			return NULL;
		from = SCA_AUDIT_TIME_NO_YEAR;
	}
	if (!starts(p, end, " ", 1))
		return NULL;
	while (p < end && *p == ' ')
		p++;
	for (h = he = p; he < end && *he != ' '; he++)
		;
	pf->time_ns = t;
	pf->from = from;
	pf->host[0] = '\0';
	if (he > h && he[-1] == ':')
		return h; /* no host: this is the program */
	n = (size_t)(he - h);
	if (n > sizeof(pf->host) - 1)
		n = sizeof(pf->host) - 1;
	memcpy(pf->host, h, n);
	pf->host[n] = '\0';
	while (he < end && *he == ' ')
		he++;
	return he;
}

/* node=HOST as the word before the record's type= word, if there is one. */
static void node_find(const char *line, const char *type, struct sca_audit_strings *s)
{
	const char *e = type, *b;
	size_t n;

	while (e > line && e[-1] == ' ')
		e--;
	for (b = e; b > line && b[-1] != ' '; b--)
		;
	if (e - b <= 5 || memcmp(b, "node=", 5) != 0)
		return;
	n = (size_t)(e - b - 5);
	if (n > sizeof(s->host) - 1)
		n = sizeof(s->host) - 1;
	memcpy(s->host, b + 5, n);
	s->host[n] = '\0';
}

/* ---- journald's form ------------------------------------------------- */

#define NOT_JOURNALD 2

/* An audit record type as journald names it: SECCOMP, USER_AVC, AUDIT1326. */
static const char *type_word_end(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
		q++;
	return q > p && q < end && *q == ' ' && *p >= 'A' && *p <= 'Z' ? q : NULL;
}

/*
 * journald's MESSAGE of an audit record, "TYPE key=value ...", after its
 * "audit[PID]: " (or "audit: ") identifier, or alone at the start of the
 * line (journalctl -o cat). Returns as sca_audit__parse_line(), or
 * NOT_JOURNALD for a line of another form.
 */
static int journald_parse(const char *p, const char *end, bool alone, struct sca_event *ev,
			  struct sca_audit_strings *s)
{
	const char *w, *we, *q;

	if (starts(p, end, "audit[", 6)) {
		for (q = p + 6; q < end && *q >= '0' && *q <= '9'; q++)
			;
		if (q == p + 6 || !starts(q, end, "]: ", 3))
			return NOT_JOURNALD;
		w = q + 3;
	} else if (starts(p, end, "audit: ", 7) && type_word_end(p + 7, end)) {
		w = p + 7; /* no _PID; the kernel's own "audit: type=" is not this */
	} else if (alone) {
		w = p;
	} else {
		return NOT_JOURNALD;
	}
	we = type_word_end(w, end);
	if (!we)
		return alone ? NOT_JOURNALD : 0;
	/* alone, a line is journald's only if a key=value follows the type */
	q = we + 1;
	if (alone) {
		const char *k = q;

		while (k < end && *k != ' ' && *k != '=')
			k++;
		if (k == end || *k != '=')
			return NOT_JOURNALD;
	}
	if (!IS(w, (size_t)(we - w), "SECCOMP") && !IS(w, (size_t)(we - w), "AUDIT1326"))
		return 0;
	return fields_parse(q, end, ev, s) ? -EINVAL : 1;
}

/* A line that names a seccomp record: the word SECCOMP, AUDIT1326 or type=1326. */
static bool names_seccomp(const char *line, const char *end)
{
	static const char *const words[] = { "SECCOMP", "AUDIT1326", "type=1326" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		for (const char *p = line; (p = memmem(p, (size_t)(end - p), words[i], n)); p += n) {
			bool left = p == line || !((p[-1] >= 'A' && p[-1] <= 'Z') ||
						   (p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_');
			const char *r = p + n;
			bool right = r == end || !((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z') ||
						   (*r >= '0' && *r <= '9') || *r == '_');

			if (left && right)
				return true;
		}
	}
	return false;
}

int sca_audit__parse_line(const char *line, size_t len, struct sca_event *ev,
			  struct sca_audit_strings *s)
{
	struct line_prefix pf = { .from = SCA_AUDIT_TIME_NONE };
	const char *end, *t, *q, *rest;
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
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	end = line + len;

	rest = prefix_parse(line, end, &pf);
	record_init(ev, s);
	err = journald_parse(rest ? rest : line, end, !rest, ev, s);
	if (err != NOT_JOURNALD) {
		/* no audit(...) stamp: the prefix's time, or none */
		ev->tid = ev->pid;
		ev->time_ns = pf.time_ns;
		s->time_from = pf.from;
		memcpy(s->host, pf.host, sizeof(s->host));
		return err;
	}

	t = type_find(line, end);
	if (!t)
		return names_seccomp(line, end) ? -EINVAL : 0;
	rest = t;
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
	if (err)
		return err;
	memcpy(s->host, pf.host, sizeof(s->host));
	node_find(line, rest, s);
	return 1;
}
