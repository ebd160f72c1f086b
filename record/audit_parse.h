/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parser for kernel seccomp audit records (AUDIT_SECCOMP, type 1326), as
 * they arrive over audit netlink, in auditd logs and in the kernel log.
 *
 * The kernel writes them in kernel/auditsc.c (audit_seccomp() and
 * audit_log_task()):
 *
 *   audit(SEC.MS:SERIAL): auid=%u uid=%u gid=%u ses=%u[ subj=CTX]
 *   pid=%d comm=STR exe=STR sig=%ld arch=%x syscall=%ld compat=%d
 *   ip=0x%lx code=0x%x
 *
 * where STR is "quoted" when it holds no '"', space, control or non-ASCII
 * byte, and uppercase hex otherwise; exe may also be (null). code= is the
 * last field the kernel writes: whatever a log adds after it is ignored.
 *
 * No allocation, no locale, no libseccomp: this runs once per record on the
 * recording path. (Only a log line's year-less time stamp reads the local
 * time zone.)
 */
#ifndef SCA_RECORD_AUDIT_PARSE_H
#define SCA_RECORD_AUDIT_PARSE_H

#include <stddef.h>

#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where an event's time came from. */
enum sca_audit_time {
	SCA_AUDIT_TIME_RECORD = 0,  /* the record's own audit(SEC.MS:SERIAL) */
	SCA_AUDIT_TIME_PREFIX,      /* the log line's time stamp, date and zone given */
	SCA_AUDIT_TIME_NO_YEAR,     /* "Nov 28 01:02:03": local time, year guessed */
	SCA_AUDIT_TIME_NONE,        /* none on the line: time_ns is 0 */
};

/*
 * Decoded strings of one record, and what the line said around it; the
 * event's comm and exe point here. exe
 * has room for d_path()'s worst case (PATH_MAX + 10 bytes: a 4095-byte path
 * of a deleted file with its " (deleted)" suffix). Longer values, which the
 * kernel does not produce, are cut to fit. subj is "" when the record has
 * none; the event has no field for it.
 */
struct sca_audit_strings {
	char comm[64];
	char exe[4096 + 16];
	char subj[256];
	char host[256];             /* node=HOST, else a syslog prefix's host; "" */
	enum sca_audit_time time_from;
};

/*
 * Parse the text of one seccomp audit record, starting at
 * "audit(SEC.MS:SERIAL): ". TEXT need not be NUL-terminated; parsing stops
 * at LEN or at the first NUL. Fills every field of EV: time_ns, serial,
 * auid, uid, gid, ses, pid, tid (= pid: the record has no tid), comm, exe,
 * signr, arch, syscall, compat, ip and code; ppid is -1 and the rest 0 or
 * NULL. EV->comm and EV->exe point into S; exe is NULL when the record has
 * no exe or exe=(null). Records from kernels without compat= and ip= are
 * accepted (compat false, ip 0); unknown fields are skipped.
 *
 * Returns 0, or -EINVAL for a malformed record, after which EV and S hold
 * nothing usable.
 */
int sca_audit__parse(const char *text, size_t len, struct sca_event *ev,
		     struct sca_audit_strings *s);

/*
 * Classify and parse one line of a log file, with or without its newline:
 *  - auditd raw format: "[node=HOST ]type=SECCOMP msg=audit(...): ...",
 *    also "type=UNKNOWN[1326]" from an auditd that lacks the name; the
 *    enriched tail after a 0x1d byte, or after code= when the byte was
 *    lost, is ignored;
 *  - a kernel log line: "<any prefix> audit: type=1326 audit(...): ...",
 *    as dmesg, journalctl and /var/log/kern.log show it;
 *  - journald's form, which has no audit(...) stamp:
 *    "[PREFIX ]audit[PID]: SECCOMP auid=...", and the message alone
 *    (journalctl -o cat): "SECCOMP auid=..."; "AUDIT1326" for SECCOMP from
 *    a journald without the name. The time is the prefix's, if any.
 * PREFIX is a syslog or journalctl time stamp and host: "Nov 28 01:02:03
 * HOST ", "2023-11-28T01:02:03.123456+01:00 HOST " or "1701129723.123456
 * HOST " (journalctl -o short-unix). S->host gets node=, else the prefix's
 * host; S->time_from says where EV's time came from.
 * Only the first "type=" word of the line counts, so text quoted inside
 * another record cannot pass for a seccomp record. Log files are as
 * trustworthy as whoever can write to them.
 *
 * Returns 1 with EV and S filled for a seccomp record, 0 for any other
 * line, or -EINVAL for a seccomp record that does not parse, and for a
 * line of no known form that names SECCOMP or type=1326, so that no
 * seccomp record is dropped unsaid.
 */
int sca_audit__parse_line(const char *line, size_t len, struct sca_event *ev,
			  struct sca_audit_strings *s);

#ifdef __cplusplus
}
#endif

#endif /* SCA_RECORD_AUDIT_PARSE_H */
