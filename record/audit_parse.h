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
 * byte, and uppercase hex otherwise; exe may also be (null).
 *
 * No allocation, no locale, no libseccomp: this runs once per record on the
 * recording path.
 */
#ifndef SCA_RECORD_AUDIT_PARSE_H
#define SCA_RECORD_AUDIT_PARSE_H

#include <stddef.h>

#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Decoded strings of one record; the event's comm and exe point here. exe
 * has room for d_path()'s worst case (PATH_MAX + 10 bytes: a 4095-byte path
 * of a deleted file with its " (deleted)" suffix). Longer values, which the
 * kernel does not produce, are cut to fit. subj is "" when the record has
 * none; the event has no field for it.
 */
struct sca_audit_strings {
	char comm[64];
	char exe[4096 + 16];
	char subj[256];
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
 *    enriched tail after a 0x1d byte is ignored;
 *  - a kernel log line: "<any prefix> audit: type=1326 audit(...): ...",
 *    as dmesg, journalctl and /var/log/kern.log show it.
 * Only the first "type=" word of the line counts, so text quoted inside
 * another record cannot pass for a seccomp record. Log files are as
 * trustworthy as whoever can write to them.
 *
 * Returns 1 with EV and S filled for a seccomp record, 0 for any other
 * line, or -EINVAL for a seccomp record that does not parse.
 */
int sca_audit__parse_line(const char *line, size_t len, struct sca_event *ev,
			  struct sca_audit_strings *s);

#ifdef __cplusplus
}
#endif

#endif /* SCA_RECORD_AUDIT_PARSE_H */
