/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor.c - see doctor.h. The table of checks (their code is in
 * doctor_audit.c, doctor_kernel.c and doctor_runtime.c), run in order; what
 * they found printed (text or JSON: every string escaped); the verdict; and
 * the findings turned into record's warnings and its "no events" reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/json.h"
#include "doctor_int.h"

static const char *const status_names[] = { "ok", "warning", "problem" };

struct sca_doctor_check {
	const char *name;
	sca_doctor_check_fn *run;
	bool quick;              /* record's too: no BPF loads, no programs run */
	bool audit_only;         /* bears on the audit source alone */
	bool explains;           /* can be why a recording saw no events */
	bool start_warns;        /* a warning at record's start (else the source gives its own) */
};

/* In the order they print. */
static const struct sca_doctor_check checks[] = {
	{ "kernel-audit", sca_doctor__kernel_audit, true, true, true, true },
	{ "audit-source", sca_doctor__audit_source, false, true, false, false },
	{ "network-namespace", sca_doctor__netns, true, true, true, false },
	{ "audit-status", sca_doctor__audit_status, true, true, false, true },
	{ "audit-rules", sca_doctor__audit_rules, true, true, true, true },
	{ "auditd", sca_doctor__auditd, false, true, false, false },
	{ "seccomp-actions", sca_doctor__seccomp_actions, true, false, true, true },
	{ "capabilities", sca_doctor__capabilities, false, false, false, false },
	{ "btf", sca_doctor__btf, false, false, false, false },
	{ "lockdown", sca_doctor__lockdown, false, false, false, false },
	{ "bpf-fentry", sca_doctor__bpf_fentry, false, false, false, false },
	{ "bpf-kprobe", sca_doctor__bpf_kprobe, false, false, false, false },
	{ "tracepoint-sys-enter", sca_doctor__sys_enter, false, false, false, false },
	{ "tracepoint-sched", sca_doctor__sched, false, false, false, false },
	{ "runtime-runc", sca_doctor__runc, false, false, false, false },
	{ "runtime-crun", sca_doctor__crun, false, false, false, false },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))
_Static_assert(NCHECKS <= SCA_DOCTOR_MAX, "SCA_DOCTOR_MAX holds every check");

void sca_doctor_result__set(struct sca_doctor_result *r, enum sca_doctor_status status, const char *fix,
			    const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	snprintf(r->fix, sizeof(r->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(r->evidence, sizeof(r->evidence), fmt, ap);
	va_end(ap);
}

int sca_doctor__run(struct sca_doctor **out, enum sca_doctor_set set)
{
	struct sca_doctor *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < NCHECKS; i++) {
		const struct sca_doctor_check *c = &checks[i];
		if (set == SCA_DOCTOR_RECORD && !c->quick)
			continue;
		d->check[d->n] = c;
		struct sca_doctor_result *r = &d->res[d->n++];
		r->name = c->name;
		c->run(d, r);
	}
	*out = d;
	return 0;
}

void sca_doctor__free(struct sca_doctor *d)
{
	free(d);
}

/* The result of the check NAME, or NULL if it did not run. */
static const struct sca_doctor_result *find(const struct sca_doctor *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->res[i].name, name))
			return &d->res[i];
	return NULL;
}

/* The first problem among NAMES (NULL-terminated), if any. */
static const struct sca_doctor_result *first_problem(const struct sca_doctor *d, const char *const *names)
{
	for (; *names; names++) {
		const struct sca_doctor_result *r = find(d, *names);
		if (r && r->status == SCA_DOCTOR_PROBLEM)
			return r;
	}
	return NULL;
}

bool sca_doctor__can_record(const struct sca_doctor *d, char *why, size_t whylen)
{
	static const char *const audit[] = { "kernel-audit", "audit-source", "audit-rules", NULL };
	static const char *const bpf[] = { "bpf-fentry", "bpf-kprobe", NULL };
	static const char *const logged[] = { "seccomp-actions", NULL };
	const struct sca_doctor_result *r;

	why[0] = 0;
	if (d->none_logged && (r = first_problem(d, logged))) {
		snprintf(why, whylen, "%s: %s", r->name, r->evidence);
		return false;
	}
	if ((d->audit_open && !d->audit_silenced) || d->bpf_open)
		return true;
	if ((r = first_problem(d, audit)) || (r = first_problem(d, bpf)))
		snprintf(why, whylen, "%s: %s", r->name, r->evidence);
	else
		snprintf(why, whylen, "no event source can run here");
	return false;
}

/* R's evidence, and its fix after OPEN and before CLOSE, escaped; no newline. */
static void put_finding(FILE *f, const struct sca_doctor_result *r, const char *open, const char *close)
{
	sca_esc_fput(f, r->evidence);
	if (r->fix[0]) {
		fputs(open, f);
		sca_esc_fput(f, r->fix);
		fputs(close, f);
	}
}

static void print_text(const struct sca_doctor *d, FILE *f)
{
	size_t width = 0;

	for (size_t i = 0; i < d->n; i++)
		if (strlen(d->res[i].name) > width)
			width = strlen(d->res[i].name);
	for (size_t i = 0; i < d->n; i++) {
		const struct sca_doctor_result *r = &d->res[i];
		fprintf(f, "%-7s %-*s  ", status_names[r->status], (int)width, r->name);
		put_finding(f, r, "; fix: ", "");
		fputc('\n', f);
	}
}

static void print_json(const struct sca_doctor *d, FILE *f, bool can, const char *why)
{
	fputs("{\"can_record\":", f);
	fputs(can ? "true" : "false", f);
	fputs(",\"reason\":", f);
	sca_json_str(f, can ? NULL : why);
	fputs(",\"checks\":[", f);
	for (size_t i = 0; i < d->n; i++) {
		const struct sca_doctor_result *r = &d->res[i];
		fprintf(f, "%s{\"name\":", i ? "," : "");
		sca_json_str(f, r->name);
		fprintf(f, ",\"status\":\"%s\",\"evidence\":", status_names[r->status]);
		sca_json_str(f, r->evidence);
		fputs(",\"fix\":", f);
		sca_json_str(f, r->fix[0] ? r->fix : NULL);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

int sca_doctor__print(const struct sca_doctor *d, FILE *f, bool json)
{
	char why[1024];
	bool can = sca_doctor__can_record(d, why, sizeof(why));

	if (json) {
		print_json(d, f, can, why);
	} else {
		print_text(d, f);
		if (can)
			fputs("verdict: sca can record seccomp audit events here\n", f);
		else {
			fputs("verdict: sca cannot record seccomp audit events here: ", f);
			sca_esc_fput(f, why);
			fputc('\n', f);
		}
	}
	return fflush(f) == EOF ? -EIO : 0;
}

/* Whether result I bears on a recording from SOURCE (NULL: none). */
static bool bears_on(const struct sca_doctor *d, size_t i, const char *source)
{
	/* a BPF program on audit_seccomp() runs before any audit rule */
	return !d->check[i]->audit_only || (source && !strcmp(source, "audit"));
}

static void say(const char *what, const struct sca_doctor_result *r)
{
	fprintf(stderr, "sca record: %s", what);
	put_finding(stderr, r, " (fix: ", ")");
	fputc('\n', stderr);
}

void sca_doctor__warn_record(const struct sca_doctor *d, const char *source)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (d->res[i].status != SCA_DOCTOR_OK && d->check[i]->start_warns && bears_on(d, i, source))
			say("warning: ", &d->res[i]);
}

void sca_doctor__say_quiet(const struct sca_doctor *d, const struct sca_doctor_quiet *q)
{
	/* counted calls and no refusal, or a profile of sca's that refused
	 * nothing: nothing was refused, nothing is wrong */
	if ((q->syscalls && q->calls) || (q->cmd && q->profile))
		return;
	if (q->filtered) {
		fprintf(stderr, "sca record: no events, likely because %" PRIu64 " events arrived and none "
				"matched the filters given\n", q->filtered);
		return;
	}
	/* only what can silence a source, problems before warnings */
	for (int pass = SCA_DOCTOR_PROBLEM; pass >= SCA_DOCTOR_WARNING; pass--)
		for (size_t i = 0; d && i < d->n; i++)
			if ((int)d->res[i].status == pass && d->check[i]->explains && !d->res[i].unasked &&
			    bears_on(d, i, q->source)) {
				say("no events, likely because: ", &d->res[i]);
				return;
			}
	if (!q->source)
		fputs("sca record: no events: no event source ran\n", stderr);
	else if (q->cmd && q->log_all)
		fputs("sca record: no events, although the command ran under a filter that logs every "
		      "syscall: its records were lost on the way (see sca doctor)\n", stderr);
	else
		fputs("sca record: no events, likely because no seccomp filter logged anything: filters log "
		      "SCMP_ACT_LOG and SCMP_ACT_KILL*, and other refusals only with "
		      "SECCOMP_FILTER_FLAG_LOG (runc before 1.2 cannot set it); \"grep Seccomp "
		      "/proc/PID/status\" says whether a process runs under a filter (2)\n", stderr);
}
