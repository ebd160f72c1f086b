/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.c - see verify.h. The profile goes to a private directory under
 * /tmp with SECCOMP_FILTER_FLAG_LOG added, so that the trace of the run
 * shows every refusal as an audit event, and the recorder runs the command
 * under it. Only refusals matter here: the calls the profile let through
 * are not counted, and the event source must open (a syscall source beside
 * an event source that failed would report no refusal at all). Refusals
 * are read back against the profile: the ones it gives on purpose are not
 * the profile's failures, and a call it allows only under conditions is
 * told apart from one it never allows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/action.h"
#include "common/escape.h"
#include "common/names.h"
#include "common/privdir.h"
#include "gen.h"
#include "recorder.h"
#include "trace.h"
#include "verify.h"

/* P as OCI JSON at PATH, with every refusal logged. */
static int write_logging(const struct sca_profile *p, const char *path, char *err, size_t errlen)
{
	struct sca_profile v = *p;     /* a shallow copy: only the flags differ */
	const struct sca_gen_output oci = { .spo = false };

	v.flags |= SECCOMP_FILTER_FLAG_LOG;
	return sca_gen__write(&v, path, &oci, err, errlen);
}

/* Run CMD under PROFILE, recorded into TRACE; the recorder's exit code. */
static int record(char **cmd, const char *profile, const char *trace, FILE *notes)
{
	struct sca_record_opts o = { 0 };
	char bad[64];

	o.out = trace;
	o.cmd = cmd;
	o.profile = profile;
	o.learn = SCA_LEARN_LOG_ALL;
	o.cmdline = "sca profile-gen --verify";
	sca_printer__init(&o.printer, stderr, NULL, false, bad, sizeof(bad));
	fprintf(notes, "sca profile-gen: --verify: running %s under the new profile\n", cmd[0]);
	return sca_record__run(&o);
}

enum refusal {
	REFUSED,                   /* by the default action, or a rule that is not NAME's */
	REFUSED_ARGS,              /* NAME is allowed only under conditions, and met none */
	AS_PROFILE_SAYS,           /* NAME's own unconditional rule refuses it with CODE */
};

/*
 * Why P refused NAME with CODE, as far as an audit record tells (it holds
 * no arguments). Only the rules that apply on this host count, as in the
 * filter the recorder built. For REFUSED_ARGS, the conditions of NAME's
 * permissive rules go to CONDS, one rule's joined by " && ", rules by ", or ".
 */
static enum refusal classify(const struct sca_profile *p, const struct sca_profile_env *env,
			     const char *name, uint32_t code, uint32_t *rule_code, char *conds, size_t len)
{
	bool allowed_if = false, refused_so = false;
	size_t used = 0;
	char one[512];

	conds[0] = '\0';
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sca_profile_rule *r = &p->rules[i];

		if (!sca_profile_rule__has_name(r, name) || !sca_profile_rule__applies(r, env))
			continue;
		if (!sca_profile_action__permissive(r->action)) {
			/* the kernel logs the action without its data (the errno): compare actions */
			uint32_t rc = sca_profile_rule__scmp_action(r);
			if (!r->nargs && (rc & SECCOMP_RET_ACTION_FULL) == (code & SECCOMP_RET_ACTION_FULL)) {
				refused_so = true;
				*rule_code = rc;
			}
			continue;
		}
		if (!r->nargs)
			return REFUSED;    /* allowed outright: not this profile's refusal */
		allowed_if = true;
		if (used < len)
			used += (size_t)snprintf(conds + used, len - used, "%s%s", used ? ", or " : "",
						 sca_profile_rule__args_str(r, one, sizeof(one)));
	}
	if (allowed_if)
		return REFUSED_ARGS;
	return refused_so ? AS_PROFILE_SAYS : REFUSED;
}

/* Refusals the profile gives on purpose, counted per syscall and code. */
struct expected {
	char *name;
	uint32_t code;
	uint64_t count;
};

static int expected_add(struct expected **v, size_t *n, const char *name, uint32_t code)
{
	struct expected *grown;

	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].code == code && !strcmp((*v)[i].name, name)) {
			(*v)[i].count++;
			return 0;
		}
	grown = realloc(*v, (*n + 1) * sizeof(**v));
	if (!grown)
		return -ENOMEM;
	*v = grown;
	grown[*n] = (struct expected){ .name = strdup(name), .code = code, .count = 1 };
	if (!grown[*n].name)
		return -ENOMEM;
	(*n)++;
	return 0;
}

int sca_gen__report_refusals(const struct sca_profile *p, const char *trace, FILE *notes, uint64_t *refused,
			     uint64_t *expected)
{
	struct sca_reader *r = sca_reader__open(trace);
	const struct sca_record *rec;
	struct sca_profile_env env;
	struct expected *exp = NULL;
	size_t nexp = 0;
	char nb[32], cb[SCA_CODE_STR_MAX], conds[1024];
	uint64_t lost = 0;
	bool args_missed = false;
	int rc = 0;

	*refused = *expected = 0;
	if (!r)
		return -EIO;
	/* the recorder built the filter for this host: its rules apply here or nowhere */
	(void)sca_profile_env__host(&env);
	while (sca_reader__next(r, &rec) > 0) {
		if (rec->kind == SCA_RECORD_LOST && !(rec->lost.source && !strcmp(rec->lost.source, "syscalls")))
			lost += rec->lost.count;
		if (rec->kind != SCA_RECORD_EVENT)
			continue;
		const struct sca_event *e = &rec->event;
		uint32_t act = sca_event__action(e);
		if (act == SCMP_ACT_LOG || act == SCMP_ACT_ALLOW)
			continue;
		const char *name = sca_syscall_name(e->arch, e->syscall, nb, sizeof(nb));
		uint32_t rule_code = e->code;
		enum refusal why = classify(p, &env, name, e->code, &rule_code, conds, sizeof(conds));
		if (why == AS_PROFILE_SAYS) {
			if ((rc = expected_add(&exp, &nexp, name, rule_code)))
				goto cleanup;
			(*expected)++;
			continue;
		}
		/* comm is the workload's choice: escaped, like every printed name */
		char comm[SCA_ESC_SIZE(16)];
		sca_esc(comm, sizeof(comm), e->comm ? e->comm : "?");
		fprintf(notes, "sca profile-gen: --verify: refused: pid %d %s %s (%s)", e->pid, comm, name,
			sca_action_name(e->code, cb, sizeof(cb)));
		if (why == REFUSED_ARGS)
			fprintf(notes, ": its arguments met none of the profile's conditions: %s", conds);
		fputc('\n', notes);
		args_missed |= why == REFUSED_ARGS;
		(*refused)++;
	}
	if (args_missed)
		fprintf(notes, "sca profile-gen: --verify: note: audit records carry no argument values, so the "
			       "values that failed are not shown\n");
	for (size_t i = 0; i < nexp; i++)
		fprintf(notes, "sca profile-gen: --verify: as the profile says: %s (%s) %llu time%s\n", exp[i].name,
			sca_code_str(exp[i].code, cb, sizeof(cb)), (unsigned long long)exp[i].count,
			exp[i].count == 1 ? "" : "s");
	if (lost)
		fprintf(notes, "sca profile-gen: --verify: warning: the recording lost %llu events; refusals "
			       "among them are not listed\n", (unsigned long long)lost);
cleanup:
	for (size_t i = 0; i < nexp; i++)
		free(exp[i].name);
	free(exp);
	sca_reader__close(r);
	return rc;
}

int sca_gen__verify(const struct sca_profile *p, char **cmd, FILE *notes, uint64_t *refused, char *err,
		    size_t errlen)
{
	struct sca_privdir *dir = NULL;
	char *prof = NULL, *trace = NULL;
	uint64_t expected;
	int rc, status;

	if (errlen)
		*err = 0;
	/* private: the profile and the trace of the run are removed on every way out */
	if ((rc = sca_privdir__create(&dir, NULL))) {
		snprintf(err, errlen, "--verify: cannot create a private directory: %s", strerror(-rc));
		return rc;
	}
	if (asprintf(&prof, "%s/profile.json", sca_privdir__path(dir)) < 0 ||
	    asprintf(&trace, "%s/verify.trace", sca_privdir__path(dir)) < 0) {
		prof = trace = NULL;
		rc = -ENOMEM;
		snprintf(err, errlen, "--verify: out of memory");
		goto cleanup;
	}
	if ((rc = write_logging(p, prof, err, errlen)))
		goto cleanup;
	status = record(cmd, prof, trace, notes);
	if ((rc = sca_gen__report_refusals(p, trace, notes, refused, &expected)))
		goto cleanup;
	fprintf(notes, "sca profile-gen: --verify: %s exited with status %d; %llu refusal%s, %llu as the profile says\n",
		cmd[0], status, (unsigned long long)*refused, *refused == 1 ? "" : "s",
		(unsigned long long)expected);
cleanup:
	free(prof);
	free(trace);
	sca_privdir__remove(dir);
	return rc;
}
