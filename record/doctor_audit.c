/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_audit.c - the checks of the audit path (doctor_int.h): whether
 * the kernel has audit, the audit source subscribing for real, the network
 * namespace, the kernel's audit status and rules, an audit daemon beside
 * sca, and which seccomp actions the kernel logs at all. Read-only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "audit_ctl.h"
#include "common/cli.h"
#include "doctor_int.h"
#include "recorder.h"
#include "source_audit.h"

/* What, on the kernel's command line (before " -- ", init's), turned audit off. */
static const char *boot_audit_off(void)
{
	char cmdline[4096];

	if (sca_doctor__read_text("/proc/cmdline", cmdline, sizeof(cmdline)) <= 0)
		return NULL;
	char *init = strstr(cmdline, " -- ");
	if (init)
		*init = 0;
	for (char *w = strtok(cmdline, " "); w; w = strtok(NULL, " "))
		if (!strcasecmp(w, "audit=0") || !strcasecmp(w, "audit=off"))
			return strncmp(w + 6, "0", 1) ? "audit=off" : "audit=0";
	return NULL;
}

/* The kernel itself says: its audit netlink exists unless audit is not built or booted off. */
void sca_doctor__kernel_audit(struct sca_doctor *d, struct sca_doctor_result *r)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	int err = fd < 0 ? errno : 0;

	if (fd >= 0) {
		close(fd);
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "the kernel makes audit records (its "
				       "NETLINK_AUDIT socket opens)");
		return;
	}
	if (err != EPROTONOSUPPORT) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "cannot tell whether the kernel makes "
				       "audit records: a NETLINK_AUDIT socket: %s", strerror(err));
		r->unasked = true;
		return;
	}
	const char *off = boot_audit_off();
	d->audit_silenced = true;
	if (off)
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "boot without it", "the kernel makes no audit "
				       "records (no NETLINK_AUDIT): it was booted with %s", off);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "a kernel built with CONFIG_AUDIT=y", "the "
				       "kernel makes no audit records (no NETLINK_AUDIT)%s",
				       sca_doctor__kconfig("CONFIG_AUDIT") == 'n' ? ": it was built without "
				       "CONFIG_AUDIT" : "");
}

void sca_doctor__audit_source(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_record_opts o = { .rcvbuf = 1 << 16 };
	char why[256] = "";
	void *state = NULL;
	int err = sca_source_audit.open(&state, &o, why, sizeof(why));

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "run sca as root (or with CAP_AUDIT_READ)",
				       "the audit source cannot subscribe: %s", why);
		return;
	}
	sca_source_audit.close(state);
	d->audit_open = true;
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL,
			       "subscribed to the kernel's audit multicast (NETLINK_AUDIT, group READLOG), "
			       "as record's audit source does");
}

/* Whether sca runs in a PID namespace of its own: NSpid lists more than one pid. */
static bool own_pid_ns(void)
{
	char status[4096];
	unsigned a, b;

	if (sca_doctor__read_text("/proc/self/status", status, sizeof(status)) <= 0)
		return false;
	const char *p = strstr(status, "\nNSpid:");
	return p && sscanf(p, "\nNSpid: %u %u", &a, &b) == 2;
}

void sca_doctor__netns(struct sca_doctor *d, struct sca_doctor_result *r)
{
	const char *why = "the kernel sends audit records to the initial network namespace only";

	(void)d;
	if (own_pid_ns()) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca in the host's PID and network namespaces",
				       "sca runs in a PID namespace of its own, where whether it is in the "
				       "initial network namespace cannot be told; %s", why);
		return;
	}
	int initial = sca_audit_source__initial_netns();
	int err = errno;
	if (initial == 0)
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca in the host's network namespace",
				       "%s", SCA_AUDIT_NETNS_WARNING);
	else if (initial < 0)
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "cannot compare /proc/self/ns/net with "
				       "/proc/1/ns/net (%s); %s, which the BPF sources do not need",
				       strerror(err), why);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "in PID 1's network namespace, the initial "
				       "one: %s", why);
}

/* The status is asked once; audit-status, audit-rules and auditd use it. */
static int audit_status(struct sca_doctor *d, struct sca_audit_status *st)
{
	if (!d->status_asked) {
		d->status_err = sca_audit_ctl__status(&d->status);
		d->status_asked = true;
	}
	*st = d->status;
	return d->status_err;
}

void sca_doctor__audit_status(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_audit_status st;
	int err = audit_status(d, &st);
	char fix[96];

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root (or with CAP_AUDIT_CONTROL)",
				       "cannot ask the kernel its audit status: %s", strerror(-err));
		r->unasked = true;
		return;
	}
	const char *locked = st.enabled == 2 ? " (locked: rules cannot change until reboot)" : "";
	if (st.rate_limit) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, st.enabled == 2 ? NULL : "auditctl -r 0",
				       "rate_limit %u: the kernel drops audit records past %u a second "
				       "(enabled %u%s, backlog_limit %u)", st.rate_limit, st.rate_limit,
				       st.enabled, locked, st.backlog_limit);
		return;
	}
	if (st.lost) {
		snprintf(fix, sizeof(fix), "a larger backlog, e.g. auditctl -b %u",
			 st.backlog_limit * 4 > 8192 ? st.backlog_limit * 4 : 8192);
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, st.enabled == 2 ? NULL : fix,
				       "the kernel has dropped %u audit records (its count since boot or "
				       "auditctl --reset-lost; backlog_limit %u, backlog %u now, enabled %u%s): "
				       "a burst can lose seccomp records too", st.lost, st.backlog_limit,
				       st.backlog, st.enabled, locked);
		return;
	}
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "enabled %u%s, rate_limit 0, backlog_limit %u, "
			       "lost 0", st.enabled, locked, st.backlog_limit);
}

struct rules_seen {
	int n, all, some;
	bool stopped;            /* an exclude rule ended the list for every seccomp record */
	int all_err, some_err;   /* sca_audit_rule__str()'s, for the first of each */
	char first_all[512], first_some[512];
};

static int on_rule(void *ctx, const void *rule, size_t len)
{
	struct rules_seen *s = ctx;
	enum sca_audit_drop drop = s->stopped ? SCA_AUDIT_DROP_NONE : sca_audit_rule__drops_seccomp(rule, len);

	s->n++;
	if (drop == SCA_AUDIT_DROP_STOP)
		s->stopped = true;
	if (drop == SCA_AUDIT_DROP_ALL && !s->all++)
		s->all_err = sca_audit_rule__str(rule, len, s->first_all, sizeof(s->first_all));
	if (drop == SCA_AUDIT_DROP_SOME && !s->some++)
		s->some_err = sca_audit_rule__str(rule, len, s->first_some, sizeof(s->first_some));
	return 0;
}

/* How to remove RULE: auditctl -d takes it as -a does, unless the rules are locked. */
static void rule_fix(char *fix, size_t len, const char *rule, int str_err, bool locked)
{
	if (locked)
		snprintf(fix, len, "the rules are locked (enabled 2): remove it from /etc/audit/rules.d/ "
			 "(or audit.rules) and reboot");
	else if (str_err)
		snprintf(fix, len, "find it in auditctl -l, remove it with auditctl -d and from "
			 "/etc/audit/rules.d/ (or audit.rules)");
	else
		snprintf(fix, len, "auditctl -d %s, and remove it from /etc/audit/rules.d/ (or audit.rules)",
			 rule + 3);
}

void sca_doctor__audit_rules(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct rules_seen s = { 0 };
	struct sca_audit_status st;
	char fix[600], more[64] = "";
	int err = sca_audit_ctl__rules(on_rule, &s);

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root (or with CAP_AUDIT_CONTROL), or "
				       "look at auditctl -l", "cannot list the kernel's audit rules: %s; an "
				       "exclude rule there would drop seccomp records unseen", strerror(-err));
		r->unasked = true;
		return;
	}
	if (!s.all && !s.some) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%d audit rules, none drops seccomp records", s.n);
		return;
	}
	const char *rule = s.all ? s.first_all : s.first_some;
	int count = s.all ? s.all : s.some;
	if (count > 1)
		snprintf(more, sizeof(more), " (and %d more)", count - 1);
	bool locked = audit_status(d, &st) == 0 && st.enabled == 2;
	rule_fix(fix, sizeof(fix), rule, s.all ? s.all_err : s.some_err, locked);
	if (s.all) {
		d->audit_silenced = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, fix, "the exclude rule \"%s\"%s drops every "
				       "seccomp record before any reader (sca, auditd) sees it", rule, more);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "the exclude rule \"%s\"%s drops the "
				       "seccomp records of the processes it matches", rule, more);
	}
}

void sca_doctor__auditd(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_audit_status st;
	char path[64], comm[64] = "?";
	int err = audit_status(d, &st);

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "cannot tell whether an audit daemon runs: %s",
				       strerror(-err));
		return;
	}
	if (!st.pid) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "no audit daemon is registered: the kernel "
				       "passes records to sca's multicast and to its own log");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%u/comm", st.pid);
	sca_doctor__read_text(path, comm, sizeof(comm));
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "the audit daemon %s (pid %u) runs beside sca: both "
			       "receive every record, and it writes each one to its log, which slows a burst",
			       comm, st.pid);
}

/* ---- seccomp's logging ---------------------------------------------------- */

static const char *const logged_always[] = { "kill_process", "kill_thread", "log", NULL };
static const char *const logged_flagged[] = { "errno", "trap", "trace", "user_notif", NULL };

/* Actions of LIST in avail but not in logged, " " separated, into out; how many. */
static int missing(const char *const *list, const char *avail, const char *logged, char *out, size_t len)
{
	size_t at = 0;
	int n = 0;

	out[0] = 0;
	for (; *list; list++)
		if (sca_doctor__has_word(avail, *list) && !sca_doctor__has_word(logged, *list))
			at = sca_appendf(out, len, at, "%s%s", n++ ? " " : "", *list);
	return n;
}

/* Whether LOGGED holds any action the kernel audits a filter for. */
static bool any_logged(const char *logged)
{
	for (const char *const *a = logged_always; *a; a++)
		if (sca_doctor__has_word(logged, *a))
			return true;
	for (const char *const *a = logged_flagged; *a; a++)
		if (sca_doctor__has_word(logged, *a))
			return true;
	return false;
}

/* The sysctl that logs every available action but allow, which is never logged. */
static void logged_fix(char *fix, size_t len, const char *avail)
{
	size_t at = sca_appendf(fix, len, 0, "sysctl kernel.seccomp.actions_logged='");
	const char *sep = "";

	for (const char *p = avail; *p;) {
		size_t wl = strcspn(p, " ");
		if (wl && !(wl == 5 && !strncmp(p, "allow", 5))) {
			at = sca_appendf(fix, len, at, "%s%.*s", sep, (int)wl, p);
			sep = " ";
		}
		p += wl + (p[wl] == ' ');
	}
	sca_appendf(fix, len, at, "'");
}

void sca_doctor__seccomp_actions(struct sca_doctor *d, struct sca_doctor_result *r)
{
	char avail[256], logged[256], fix[320], m1[128], m2[128];

	if (sca_doctor__read_text("/proc/sys/kernel/seccomp/actions_avail", avail, sizeof(avail)) < 0 ||
	    sca_doctor__read_text("/proc/sys/kernel/seccomp/actions_logged", logged, sizeof(logged)) < 0) {
		d->none_logged = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "a kernel of 4.14 or later",
				       "no /proc/sys/kernel/seccomp/actions_logged: this kernel logs no "
				       "seccomp action sca can use (SCMP_ACT_LOG came in 4.14)");
		return;
	}
	int n1 = missing(logged_always, avail, logged, m1, sizeof(m1));
	int n2 = missing(logged_flagged, avail, logged, m2, sizeof(m2));
	logged_fix(fix, sizeof(fix), avail);
	if (!any_logged(logged)) {
		d->none_logged = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, fix, "actions_logged is \"%s\": the kernel "
				       "logs no seccomp action, so no event reaches any source", logged);
	} else if (n1 || n2) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "actions_logged is \"%s\": filters' %s%s%s "
				       "actions are never logged", logged, m1, n1 && n2 ? " " : "", m2);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "actions_logged is \"%s\" (all but allow); "
				       "errno, trap, trace and user_notif are logged only for filters with "
				       "SECCOMP_FILTER_FLAG_LOG", logged);
	}
}
