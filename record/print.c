/* SPDX-License-Identifier: BSD-2-Clause */
/* print.c - see print.h. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "common/action.h"
#include "common/escape.h"
#include "common/json.h"
#include "common/names.h"
#include "print.h"

enum col {
	C_TIME, C_PID, C_TID, C_PPID, C_UID, C_GID, C_AUID, C_SES, C_COMM, C_EXE, C_ARCH,
	C_SYSCALL, C_NR, C_CODE, C_SIG, C_IP, C_CGROUP, C_MNTNS, C_CONTAINER, C_K8S_NS, C_K8S_POD,
	C_K8S_CONTAINER, C_NCOLS,
};

static const struct {
	const char *name, *title;
	int width;            /* negative: left aligned */
} cols[C_NCOLS] = {
	[C_TIME] = { "time", "TIME", -30 },
	[C_PID] = { "pid", "PID", 7 },
	[C_TID] = { "tid", "TID", 7 },
	[C_PPID] = { "ppid", "PPID", 7 },
	[C_UID] = { "uid", "UID", 6 },
	[C_GID] = { "gid", "GID", 6 },
	[C_AUID] = { "auid", "AUID", 10 },
	[C_SES] = { "ses", "SES", 10 },
	[C_COMM] = { "comm", "COMM", -16 },
	[C_EXE] = { "exe", "EXE", -30 },
	[C_ARCH] = { "arch", "ARCH", -7 },
	[C_SYSCALL] = { "syscall", "SYSCALL", -20 },
	[C_NR] = { "nr", "NR", 5 },
	[C_CODE] = { "code", "CODE", -14 },
	[C_SIG] = { "sig", "SIG", 4 },
	[C_IP] = { "ip", "IP", -18 },
	[C_CGROUP] = { "cgroup", "CGROUP", -40 },
	[C_MNTNS] = { "mntns", "MNTNS", 10 },
	[C_CONTAINER] = { "runtime.containername", "RUNTIME.CONTAINERNAME", -24 },
	[C_K8S_NS] = { "k8s.namespace", "K8S.NAMESPACE", -16 },
	[C_K8S_POD] = { "k8s.pod", "K8S.POD", -24 },
	[C_K8S_CONTAINER] = { "k8s.container", "K8S.CONTAINER", -16 },
};

const char *sca_printer__column_names(void)
{
	return "time,pid,tid,ppid,uid,gid,auid,ses,comm,exe,arch,syscall,nr,code,sig,ip,"
	       "cgroup,mntns,runtime.containername,k8s.namespace,k8s.pod,k8s.container";
}

int sca_printer__init(struct sca_printer *p, FILE *out, const char *columns, bool json, char *bad,
		      size_t nbad)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->json = json;
	const char *s = columns ? columns : SCA_PRINT_DEFAULT_COLUMNS;
	while (*s) {
		size_t len = strcspn(s, ",");
		int found = -1;
		for (int c = 0; c < C_NCOLS; c++)
			if (strlen(cols[c].name) == len && strncasecmp(cols[c].name, s, len) == 0)
				found = c;
		if (found < 0 || p->ncols == SCA_PRINT_MAX_COLS) {
			snprintf(bad, nbad, "%.*s", (int)len, s);
			return -EINVAL;
		}
		p->cols[p->ncols++] = found;
		s += len;
		if (*s == ',')
			s++;
	}
	if (!p->ncols) {
		snprintf(bad, nbad, "%s", "");
		return -EINVAL;
	}
	return 0;
}

/* Column C of E into BUF; what the traced process or its runtime named is escaped (escape.h). */
/* COUNT: a CALLS record's (its CODE column says how many calls); 0 for an event. */
static void field(const struct sca_event *e, uint64_t count, int c, char *buf, size_t n)
{
	const struct sca_container *ct = e->container;
	size_t k;

	switch (c) {
	case C_TIME: sca_time_str(e->time_ns, buf, n); return;
	case C_PID: snprintf(buf, n, "%" PRId32, e->pid); return;
	case C_TID: snprintf(buf, n, "%" PRId32, e->tid); return;
	case C_PPID: snprintf(buf, n, "%" PRId32, e->ppid); return;
	case C_UID: snprintf(buf, n, "%" PRIu32, e->uid); return;
	case C_GID: snprintf(buf, n, "%" PRIu32, e->gid); return;
	case C_AUID: snprintf(buf, n, "%" PRIu32, e->auid); return;
	case C_SES: snprintf(buf, n, "%" PRIu32, e->ses); return;
	case C_COMM: sca_esc(buf, n, e->comm ? e->comm : "?"); return;
	case C_EXE: sca_esc(buf, n, e->exe ? e->exe : "?"); return;
	case C_ARCH: {
		char tmp[16];
		snprintf(buf, n, "%s", sca_arch_name(e->arch, tmp, sizeof(tmp)));
		return;
	}
	case C_SYSCALL: {
		char tmp[32];
		snprintf(buf, n, "%s", sca_syscall_name(e->arch, e->syscall, tmp, sizeof(tmp)));
		return;
	}
	case C_NR: snprintf(buf, n, "%" PRId32, e->syscall); return;
	case C_CODE:
		if (count)
			snprintf(buf, n, "calls=%" PRIu64, count);
		else
			sca_code_str(e->code, buf, n);
		return;
	case C_SIG: snprintf(buf, n, "%" PRId32, e->signr); return;
	case C_IP: snprintf(buf, n, "0x%" PRIx64, e->ip); return;
	case C_CGROUP: sca_esc(buf, n, e->cgroup ? e->cgroup : ""); return;
	case C_MNTNS: snprintf(buf, n, "%" PRIu64, e->mnt_ns); return;
	case C_CONTAINER:
		buf[0] = 0;
		if (ct && (ct->runtime || ct->name)) {
			k = sca_esc(buf, n, ct->runtime ? ct->runtime : "?");
			if (k + 1 < n) {
				buf[k++] = '.';
				sca_esc(buf + k, n - k, ct->name ? ct->name : "?");
			}
		}
		return;
	case C_K8S_NS: sca_esc(buf, n, ct && ct->pod_namespace ? ct->pod_namespace : ""); return;
	case C_K8S_POD: sca_esc(buf, n, ct && ct->pod ? ct->pod : ""); return;
	case C_K8S_CONTAINER: sca_esc(buf, n, ct && ct->name && ct->pod ? ct->name : ""); return;
	}
	buf[0] = 0;
}

static void print_json(struct sca_printer *p, const struct sca_event *e, uint64_t count)
{
	FILE *f = p->out;
	char t[48], a[16], s[32], c[SCA_CODE_STR_MAX];
	fprintf(f, "{\"time\":");
	sca_json_str(f, sca_time_str(e->time_ns, t, sizeof(t)));
	fprintf(f, ",\"time_ns\":%" PRIu64 ",\"serial\":%" PRIu64 ",\"pid\":%" PRId32 ",\"tid\":%" PRId32
		   ",\"ppid\":%" PRId32 ",\"uid\":%" PRIu32 ",\"gid\":%" PRIu32 ",\"auid\":%" PRIu32
		   ",\"ses\":%" PRIu32 ",\"comm\":",
		e->time_ns, e->serial, e->pid, e->tid, e->ppid, e->uid, e->gid, e->auid, e->ses);
	sca_json_str(f, e->comm);
	fputs(",\"exe\":", f);
	sca_json_str(f, e->exe);
	fputs(",\"arch\":", f);
	sca_json_str(f, sca_arch_name(e->arch, a, sizeof(a)));
	fputs(",\"syscall\":", f);
	sca_json_str(f, sca_syscall_name(e->arch, e->syscall, s, sizeof(s)));
	fprintf(f, ",\"nr\":%" PRId32, e->syscall);
	/* a CALLS record: allowed calls that many times, no audit code */
	if (count)
		fprintf(f, ",\"count\":%" PRIu64, count);
	fputs(",\"code\":", f);
	sca_json_str(f, count ? "allow" : sca_code_str(e->code, c, sizeof(c)));
	fprintf(f, ",\"code_raw\":%" PRIu32 ",\"sig\":%" PRId32 ",\"compat\":%s,\"ip\":%" PRIu64
		   ",\"mntns\":%" PRIu64 ",\"pidns\":%" PRIu64 ",\"cgroup_id\":%" PRIu64 ",\"cgroup\":",
		e->code, e->signr, e->compat ? "true" : "false", e->ip, e->mnt_ns, e->pid_ns, e->cgroup_id);
	sca_json_str(f, e->cgroup);
	if (e->container) {
		fputs(",\"container\":{\"runtime\":", f);
		sca_json_str(f, e->container->runtime);
		fputs(",\"id\":", f);
		sca_json_str(f, e->container->id);
		fputs(",\"name\":", f);
		sca_json_str(f, e->container->name);
		fputs(",\"pod\":", f);
		sca_json_str(f, e->container->pod);
		fputs(",\"namespace\":", f);
		sca_json_str(f, e->container->pod_namespace);
		fputc('}', f);
	}
	if (e->has_args)
		fprintf(f, ",\"args\":[%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]",
			e->args[0], e->args[1], e->args[2], e->args[3], e->args[4], e->args[5]);
	fputs("}\n", f);
}

static void print_row(struct sca_printer *p, const struct sca_event *e, uint64_t count)
{
	/* the longest field escaped whole: a path of PATH_MAX bytes */
	char buf[SCA_ESC_SIZE(4200)];

	if (p->json) {
		print_json(p, e, count);
		return;
	}
	if (!p->header_done) {
		for (int i = 0; i < p->ncols; i++) {
			int c = p->cols[i], w = cols[c].width;
			if (i + 1 < p->ncols)
				fprintf(p->out, "%*s ", w, cols[c].title);
			else
				fputs(cols[c].title, p->out);
		}
		fputc('\n', p->out);
		p->header_done = true;
	}
	for (int i = 0; i < p->ncols; i++) {
		int c = p->cols[i], w = cols[c].width;
		field(e, count, c, buf, sizeof(buf));
		if (i + 1 < p->ncols) {
			/* widths count columns, not bytes */
			sca_esc_pad(p->out, buf, (size_t)(w < 0 ? -w : w), w > 0);
			fputc(' ', p->out);
		} else {
			fputs(buf, p->out);
		}
	}
	fputc('\n', p->out);
}

void sca_printer__event(struct sca_printer *p, const struct sca_event *e)
{
	print_row(p, e, 0);
}

void sca_printer__calls(struct sca_printer *p, const struct sca_calls *c)
{
	print_row(p, &c->ev, c->count);
}

void sca_printer__lost(struct sca_printer *p, uint64_t time_ns, uint64_t count, const char *source)
{
	char t[48];
	if (p->json) {
		fprintf(p->out, "{\"time\":\"%s\",\"lost\":%" PRIu64 ",\"source\":",
			sca_time_str(time_ns, t, sizeof(t)), count);
		sca_json_str(p->out, source);
		fputs("}\n", p->out);
		return;
	}
	fprintf(p->out, "LOST %" PRIu64 " records (source ", count);
	sca_esc_fput(p->out, source);
	fputs(")\n", p->out);
}
