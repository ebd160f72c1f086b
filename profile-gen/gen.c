/* SPDX-License-Identifier: BSD-2-Clause */
/* gen.c - see gen.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "base.h"
#include "common/action.h"
#include "common/escape.h"
#include "common/hash.h"
#include "common/progress.h"
#include "gen.h"
#include "profile.h"
#include "trace.h"

/* ---- collect ------------------------------------------------------------ */

struct collector {
	struct sca_gen_set *s;
	size_t cap_calls, cap_groups;
	struct sca_hash_slot *slot; /* open addressing over calls (common/hash.h) */
	size_t mask;
};

static int group_of(struct collector *co, const struct sca_event *e)
{
	struct sca_gen_set *s = co->s;
	const struct sca_container *c = e->container;
	const char *key = c ? (c->name && *c->name ? c->name : c->id) : NULL;
	if (!key)
		return 0;
	for (size_t i = 1; i < s->ngroups; i++)
		if (!strcmp(s->groups[i], key))
			return (int)i;
	if (s->ngroups == co->cap_groups) {
		size_t n = co->cap_groups * 2;
		char **g = realloc(s->groups, n * sizeof(*g));
		if (!g)
			return -ENOMEM;
		s->groups = g;
		co->cap_groups = n;
	}
	if (sca_gen_runtime__note(s, (int)s->ngroups, c->runtime) || !(s->groups[s->ngroups] = strdup(key)))
		return -ENOMEM;
	return (int)s->ngroups++;
}

static uint64_t call_hash(int group, uint32_t arch, int32_t nr)
{
	return sca_hash_mix(sca_hash_mix((uint32_t)group, arch), (uint32_t)nr);
}

/* The entry of (group, e's arch and syscall), made if new; NULL: out of memory. */
static struct sca_gen_call *find_call(struct collector *co, const struct sca_event *e, int group)
{
	struct sca_gen_set *s = co->s;
	if (s->ncalls * 2 >= co->mask && sca_hash_slots__grow(&co->slot, &co->mask))
		return NULL;
	uint64_t h = call_hash(group, e->arch, e->syscall);
	size_t j = h & co->mask;
	struct sca_gen_call *c = NULL;
	for (; co->slot[j].idx; j = (j + 1) & co->mask) {
		struct sca_gen_call *x = &s->calls[co->slot[j].idx - 1];
		if (x->group == group && x->arch == e->arch && x->nr == e->syscall) {
			c = x;
			break;
		}
	}
	if (!c) {
		if (s->ncalls == co->cap_calls) {
			size_t n = co->cap_calls ? co->cap_calls * 2 : 256;
			struct sca_gen_call *calls = realloc(s->calls, n * sizeof(*calls));
			if (!calls)
				return NULL;
			s->calls = calls;
			co->cap_calls = n;
		}
		c = &s->calls[s->ncalls];
		memset(c, 0, sizeof(*c));
		c->group = group;
		c->arch = e->arch;
		c->nr = e->syscall;
		/* the number means what the record's own arch says it means */
		c->name = e->arch ? seccomp_syscall_resolve_num_arch(e->arch, e->syscall) : NULL;
		if (sca_gen_args__new(c->name, &c->args)) {
			free(c->name);
			return NULL;
		}
		co->slot[j] = (struct sca_hash_slot){ (uint32_t)++s->ncalls, (uint32_t)h };
	}
	return c;
}

static int add_event(struct collector *co, const struct sca_event *e, int group)
{
	struct sca_gen_call *c = find_call(co, e, group);

	if (!c)
		return -ENOMEM;
	uint32_t act = sca_event__action(e);
	if (c->args)
		sca_gen_args__add_event(c->args, e);
	if (act == SCMP_ACT_LOG || act == SCMP_ACT_ALLOW) {
		c->allowed++;
	} else {
		c->denied++;
		c->deny_code = e->code;
	}
	return 0;
}

/*
 * A CALLS record: its process's group, or none without a process. Calls
 * have no code: the filter reads them as allow (they ran), never as code 0,
 * which is kill_thread.
 */
static int add_calls(struct collector *co, const struct sca_calls *rc, const struct sca_filter *filter)
{
	struct sca_gen_set *s = co->s;
	struct sca_event e = rc->ev;
	struct sca_gen_call *c;
	int g = SCA_GEN_UNATTRIBUTED;

	e.code = SCMP_ACT_ALLOW;
	if (rc->flags & SCA_CALLS_NO_PROCESS) {
		s->unattributed += rc->count;
	} else {
		if (!sca_filter__keep(filter, &e))
			return 0;
		s->matched++;
		if ((g = group_of(co, &e)) < 0)
			return g;
	}
	if (!(c = find_call(co, &e, g)))
		return -ENOMEM;
	c->calls += rc->count;
	if (c->args)
		sca_gen_args__add_calls(c->args, rc);
	if (rc->flags & SCA_CALLS_FILTERED)
		c->calls_filtered += rc->count;
	return 0;
}

/* One record of a trace into the set. */
static int add_record(struct collector *co, const struct sca_record *rec, const struct sca_filter *filter)
{
	struct sca_gen_set *s = co->s;
	int g;

	switch (rec->kind) {
	case SCA_RECORD_LOST:
		/* calls the kernel did not count are said apart from lost events */
		if (rec->lost.source && !strcmp(rec->lost.source, "syscalls"))
			s->calls_lost += rec->lost.count;
		else
			s->lost += rec->lost.count;
		return 0;
	case SCA_RECORD_CALLS:
		s->call_records++;
		return add_calls(co, &rec->calls, filter);
	case SCA_RECORD_EVENT:
		s->events++;
		if (!sca_filter__keep(filter, &rec->event))
			return 0;
		s->matched++;
		if ((g = group_of(co, &rec->event)) < 0)
			return g;
		return add_event(co, &rec->event, g);
	default:
		return 0;          /* a kind of a newer format: not ours to read */
	}
}

/* The container cut: a group that ran calls under a filter counts only those. */
static int mark_cuts(struct sca_gen_set *s)
{
	if (!(s->cut = calloc(s->ngroups, sizeof(*s->cut))))
		return -ENOMEM;
	for (size_t i = 0; i < s->ncalls; i++)
		if (s->calls[i].group > 0 && s->calls[i].calls_filtered)
			s->cut[s->calls[i].group] = true;
	return 0;
}

/* Damage that lost records: not a header's (its metadata only) nor a missing footer. */
static bool loses_records(enum sca_damage_kind k)
{
	return k != SCA_DAMAGE_HEADER && k != SCA_DAMAGE_NO_FOOTER;
}

/* "reading [trace I of N: ]NAME: P%, R records" */
static void show_read(struct sca_progress *p, struct sca_reader *r, const char *name, int t, int ntraces,
		      uint64_t records)
{
	char of[48] = "", pct[16] = "";
	uint64_t off, size;
	int pc;

	sca_reader__position(r, &off, &size);
	if (ntraces > 1)
		snprintf(of, sizeof(of), "trace %d of %d: ", t + 1, ntraces);
	if ((pc = sca_progress__percent(off, size)) >= 0)
		snprintf(pct, sizeof(pct), "%d%%, ", pc);
	sca_progress__show(p, "reading %s%s: %s%" PRIu64 " records", of, name, pct, records);
}

/* Its damage on NOTES: the first SCA_DAMAGE_LINES regions, then a sum of the rest. */
static void damage_say(struct sca_gen_set *s, struct sca_reader *r, const char *name, FILE *notes)
{
	const struct sca_damage *d;
	size_t nd = sca_reader__damage(r, &d);
	unsigned long long rest_bytes = 0;

	for (size_t i = 0; i < nd; i++) {
		s->damaged += loses_records(d[i].kind);
		if (i < SCA_DAMAGE_LINES)
			fprintf(notes, "sca profile-gen: %s: %s at offset %llu; using what is intact\n",
				name, sca_damage_kind__str(d[i].kind), (unsigned long long)d[i].offset);
		else
			rest_bytes += d[i].length;
	}
	if (nd > SCA_DAMAGE_LINES)
		fprintf(notes, "sca profile-gen: %s: ... and %zu more damaged regions, %llu bytes"
			" (sca inspect --damage lists all)\n", name, nd - SCA_DAMAGE_LINES, rest_bytes);
}

/* Trace T of NTRACES into the set. */
static int collect_one(struct collector *co, const char *const *traces, int t, int ntraces,
		       const struct sca_filter *filter, FILE *notes, struct sca_progress *progress,
		       char *err, size_t errlen)
{
	struct sca_reader *r = sca_reader__open(traces[t]);
	const struct sca_record *rec;
	char name[SCA_ESC_SIZE(256)];
	uint64_t records = 0;
	int n, rc = 0;

	/* a trace's name may come from a directory anyone writes to */
	sca_esc(name, sizeof(name), traces[t]);
	if (!r) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", name, sca_reader__strerror(-rc));
		return rc;
	}
	if (t == 0 && sca_reader__meta(r)->native_arch)
		co->s->native_arch = sca_reader__meta(r)->native_arch;
	while ((n = sca_reader__next(r, &rec)) > 0) {
		if ((rc = add_record(co, rec, filter))) {
			snprintf(err, errlen, "out of memory");
			break;
		}
		records++;
		if (progress && sca_progress__due(progress))
			show_read(progress, r, name, t, ntraces, records);
	}
	if (n < 0 && !rc) {
		rc = n;
		snprintf(err, errlen, "%s: read error: %s", name, strerror(-n));
	}
	/* notes start a clean line */
	sca_progress__clear(progress);
	damage_say(co->s, r, name, notes);
	sca_reader__close(r);
	return rc;
}

int sca_gen__collect(const char *const *traces, int ntraces, const struct sca_filter *filter,
		     FILE *notes, struct sca_progress *progress, struct sca_gen_set **out, char *err,
		     size_t errlen)
{
	struct sca_gen_set *s = calloc(1, sizeof(*s));
	struct collector co = { .s = s, .cap_groups = 8 };
	int rc = 0;

	if (!s || !(s->groups = calloc(co.cap_groups, sizeof(*s->groups))) || !(s->groups[0] = strdup("host"))) {
		sca_gen_set__free(s);
		return -ENOMEM;
	}
	s->ngroups = 1;
	s->native_arch = seccomp_arch_native();
	for (int t = 0; t < ntraces && !rc; t++)
		rc = collect_one(&co, traces, t, ntraces, filter, notes, progress, err, errlen);
	free(co.slot);
	if (!rc && (rc = mark_cuts(s)))
		snprintf(err, errlen, "out of memory");
	if (rc) {
		sca_gen_set__free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sca_gen_set__free(struct sca_gen_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ngroups; i++)
		free(s->groups[i]);
	for (size_t i = 0; i < s->ncalls; i++) {
		free(s->calls[i].name);
		sca_gen_args__free(s->calls[i].args);
	}
	sca_gen_runtime__free(s);
	free(s->groups);
	free(s->cut);
	free(s->calls);
	free(s);
}

/* ---- generate ------------------------------------------------------------- */

static int cmp_call_name(const void *a, const void *b)
{
	return strcmp(((const struct sca_gen_call *)a)->name, ((const struct sca_gen_call *)b)->name);
}

static int add_arch_once(struct sca_profile *p, uint32_t arch)
{
	for (size_t i = 0; i < p->narches; i++)
		if (p->arches[i].arch == arch)
			return 0;
	if (p->narch_map) {
		/* an archMap already says which arches the runtime adds */
		return 0;
	}
	return sca_profile__add_arch(p, arch);
}

/* In GROUP's profile: every group's (-1) takes calls without a process only when O says. */
static bool in_group(const struct sca_gen_call *c, int group, const struct sca_gen_opts *o)
{
	if (c->group == SCA_GEN_UNATTRIBUTED)
		return group < 0 && o->unattributed;
	return group < 0 || c->group == group;
}

/* The calls of C that count: in a cut container, those made under its filter. */
static uint64_t counted_calls(const struct sca_gen_set *s, const struct sca_gen_call *c)
{
	return c->group > 0 && s->cut[c->group] ? c->calls_filtered : c->calls;
}

/* Does C show anything: an event, or calls that count? */
static bool observed(const struct sca_gen_set *s, const struct sca_gen_call *c)
{
	return c->allowed || c->denied || counted_calls(s, c);
}

/*
 * The profile to refine: the base (a permissive default replaced), or a new
 * one. CALLS: the traces hold the syscall source's calls, which show what
 * ran whatever the base logged.
 */
static int profile_start(const struct sca_gen_opts *o, bool calls, FILE *notes, struct sca_profile **out,
			 char *err, size_t errlen)
{
	struct sca_profile *p;
	int rc;

	if (!o->base) {
		if (!(p = sca_profile__new(o->default_action))) {
			snprintf(err, errlen, "building the profile: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
		p->has_default_errno = o->has_default_errno;
		p->default_errno = o->default_errno;
		*out = p;
		return 0;
	}
	if ((rc = sca_profile__load(o->base, &p, err, errlen)))
		return rc;
	if (p->default_action == SCMP_ACT_ALLOW && !calls) {
		fputs("sca profile-gen: note: ", notes);
		sca_esc_fput(notes, o->base);
		fputs(" lets unlisted syscalls through without logging them "
		      "(defaultAction SCMP_ACT_ALLOW), so the trace cannot show which of them the workload "
		      "made; the refined profile would refuse them. Record every syscall of the "
		      "workload instead: sca record -o run.trace -- CMD\n",
		      notes);
	}
	if (sca_profile_action__permissive(p->default_action)) {
		p->default_action = o->default_action;
		p->default_action_name = NULL;
		p->has_default_errno = o->has_default_errno;
		p->default_errno = o->default_errno;
	}
	*out = p;
	return 0;
}

/* Arches the target refuses: runc 1.1 knows no RISCV64 or LOONGARCH64, the SPO CRD lists its own. */
static bool target_refuses(enum sca_gen_target t, uint32_t arch)
{
	static const uint32_t runc[] = {
		SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64,
		SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,
		SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
		SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X,
	};
	static const uint32_t spo_more[] = { SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64 };

	if (t == SCA_GEN_DOCKER)
		return false;
	for (size_t i = 0; i < sizeof(runc) / sizeof(runc[0]); i++)
		if (runc[i] == arch)
			return false;
	for (size_t i = 0; t == SCA_GEN_SPO && i < sizeof(spo_more) / sizeof(spo_more[0]); i++)
		if (spo_more[i] == arch)
			return false;
	return true;
}

static bool arch_in(const uint32_t *v, size_t n, uint32_t arch)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == arch)
			return true;
	return false;
}

static bool profile_has_arch(const struct sca_profile *p, uint32_t arch)
{
	for (size_t i = 0; i < p->narches; i++)
		if (p->arches[i].arch == arch)
			return true;
	return false;
}

static void arch_list_add(char *buf, size_t len, uint32_t arch)
{
	const char *name = sca_profile_arch__name(arch);
	char hex[16];

	if (!name)
		snprintf(hex, sizeof(hex), "0x%08x", arch);
	sca_gen__list_add(buf, len, name ? name : hex);
}

/* How many arches P names in "architectures" or anywhere in its archMap, each once. */
static size_t base_arch_count(const struct sca_profile *p)
{
	uint32_t seen[64];
	size_t n = 0;

	for (size_t i = 0; i < p->narches; i++)
		if (n < 64 && !arch_in(seen, n, p->arches[i].arch))
			seen[n++] = p->arches[i].arch;
	for (size_t i = 0; i < p->narch_map; i++) {
		const struct sca_profile_archmap *m = &p->arch_map[i];
		if (n < 64 && !arch_in(seen, n, m->arch.arch))
			seen[n++] = m->arch.arch;
		for (size_t j = 0; j < m->nsub; j++)
			if (n < 64 && !arch_in(seen, n, m->sub[j].arch))
				seen[n++] = m->sub[j].arch;
	}
	return n;
}

/* Add ARCH unless the base (BASE_ARCHES, native aside) or the target refuses it; say which. */
static int add_arch_checked(struct sca_profile *p, const struct sca_gen_opts *o, uint32_t native,
			    const uint32_t *base_arches, size_t nbase, uint32_t arch, char *not_base,
			    char *refused, size_t len)
{
	if (o->base && arch != native && !arch_in(base_arches, nbase, arch)) {
		arch_list_add(not_base, len, arch);
		return 0;
	}
	if (target_refuses(o->target, arch)) {
		arch_list_add(refused, len, arch);
		return 0;
	}
	return add_arch_once(p, arch);
}

/*
 * Native first, then each compat arch the events and calls of GROUP used;
 * with a base only those it allows for the native arch ("architectures",
 * or its archMap entry), never its whole archMap: a runtime refuses arches
 * it does not know, and the filter needs none the workload did not use.
 */
static int add_arches(struct sca_profile *p, const struct sca_gen_set *s, int group,
		      const struct sca_gen_opts *o, FILE *notes)
{
	uint32_t base_arches[64];
	size_t nbase = 0, total = 0;
	char not_base[256] = "", refused[256] = "", unused[256] = "";
	int rc;

	if (o->base) {
		total = sca_profile__filter_arches(p, s->native_arch, base_arches, 64);
		nbase = total < 64 ? total : 64;
		total = base_arch_count(p);
		sca_profile__clear_arches(p);
	}
	if ((rc = add_arch_checked(p, o, s->native_arch, base_arches, nbase, s->native_arch, not_base, refused,
				   sizeof(refused))))
		return rc;
	for (size_t i = 0; i < s->ncalls; i++)
		if (in_group(&s->calls[i], group, o) && observed(s, &s->calls[i]) && s->calls[i].arch &&
		    (rc = add_arch_checked(p, o, s->native_arch, base_arches, nbase, s->calls[i].arch, not_base,
					   refused, sizeof(refused))) && rc != -ENOENT)
			return rc;
	for (size_t i = 0; i < nbase; i++)
		if (!profile_has_arch(p, base_arches[i]))
			arch_list_add(unused, sizeof(unused), base_arches[i]);
	if (o->base && total > p->narches)
		fprintf(notes, "sca profile-gen: note: architectures: %zu of the base's %zu written (those the "
			       "recording used)%s%s\n", p->narches, total, *unused ? "; not used: " : "", unused);
	if (*not_base)
		fprintf(notes, "sca profile-gen: warning: the recording used %s, which the base does not allow for "
			       "its native arch: left out\n", not_base);
	if (*refused)
		fprintf(notes, "sca profile-gen: warning: %s refuses %s: left out\n",
			o->target == SCA_GEN_SPO ? "the SeccompProfile CRD" : "runc", refused);
	return 0;
}

static bool seen_allowed(const struct sca_gen_set *s, int group, const struct sca_gen_opts *o,
			 const char *name)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sca_gen_call *c = &s->calls[i];
		if (in_group(c, group, o) && (c->allowed || counted_calls(s, c)) && c->name &&
		    !strcmp(c->name, name))
			return true;
	}
	return false;
}

/* The base's rules: LOG names seen become ALLOW, LOG names never seen go. */
static void refine_base_rules(struct sca_profile *p, const struct sca_gen_set *s, int group,
			      const struct sca_gen_opts *o, FILE *notes)
{
	unsigned dropped = 0, silent = 0;

	for (size_t r = 0; r < p->nrules; r++) {
		struct sca_profile_rule *rule = &p->rules[r];
		if (rule->action == SCMP_ACT_ALLOW && !rule->nargs)
			silent += (unsigned)rule->nnames;
		if (rule->action != SCMP_ACT_LOG)
			continue;
		for (size_t k = 0; k < rule->nnames;) {
			if (seen_allowed(s, group, o, rule->names[k])) {
				k++;
				continue;
			}
			dropped++;
			sca_profile_rule__drop_name(rule, rule->names[k]);
		}
		rule->action = SCMP_ACT_ALLOW;
		rule->action_name = NULL;
	}
	if (dropped)
		fprintf(notes, "sca profile-gen: note: %u syscalls the base profile logged were never seen; "
			       "left out\n", dropped);
	if (silent && s->call_records)
		fprintf(notes, "sca profile-gen: note: the base profile allows %u syscalls without logging "
			       "them; kept as they are\n", silent);
	else if (silent)
		fprintf(notes, "sca profile-gen: note: the base profile allows %u syscalls without logging "
			       "them; kept as they are (the trace cannot tell whether they are used)\n", silent);
}

static void free_agg(struct sca_gen_call *agg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sca_gen_args__free(agg[i].args);
	free(agg);
}

/*
 * One entry and one decision per syscall name of GROUP, whatever arches
 * and containers it came from, in name order so notes are stable too.
 */
static int aggregate(const struct sca_gen_set *s, int group, const struct sca_gen_opts *o, FILE *notes,
		     struct sca_gen_call **out, size_t *n)
{
	struct sca_gen_call *agg = calloc(s->ncalls + 1, sizeof(*agg));
	size_t nagg = 0;

	if (!agg)
		return -ENOMEM;
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sca_gen_call *c = &s->calls[i];
		if (!in_group(c, group, o) || !observed(s, c))
			continue;
		if (!c->name) {
			fprintf(notes, "sca profile-gen: note: syscall %d on arch 0x%08x has no name in "
				       "libseccomp; a profile cannot list it\n", c->nr, c->arch);
			continue;
		}
		size_t k = 0;
		while (k < nagg && strcmp(agg[k].name, c->name))
			k++;
		if (k == nagg)
			agg[nagg++] = (struct sca_gen_call){ .name = c->name };
		agg[k].allowed += c->allowed;
		agg[k].denied += c->denied;
		agg[k].calls += counted_calls(s, c);
		if (c->denied)
			agg[k].deny_code = c->deny_code;
		if (sca_gen_args__merge(&agg[k].args, c->args, c->group > 0 && s->cut[c->group])) {
			free_agg(agg, nagg);
			return -ENOMEM;
		}
	}
	qsort(agg, nagg, sizeof(*agg), cmp_call_name);
	*out = agg;
	*n = nagg;
	return 0;
}

/* Base rules with includes/excludes hold only where those do (Docker profiles). */
static bool cond_rule(const struct sca_profile_rule *r)
{
	return r->nargs || sca_profile_rule__has_includes(r);
}

enum base_allow { BASE_NONE, BASE_ANY, BASE_COND };

/* How the base's rules (those before ALLOW_IDX) let NAME through. */
static enum base_allow base_allows(const struct sca_profile *p, size_t allow_idx, const char *name)
{
	enum base_allow how = BASE_NONE;

	for (size_t r = 0; r < allow_idx; r++) {
		const struct sca_profile_rule *rule = &p->rules[r];
		if (!sca_profile_action__permissive(rule->action) || !sca_profile_rule__has_name(rule, name))
			continue;
		if (!cond_rule(rule))
			return BASE_ANY;
		how = BASE_COND;
	}
	return how;
}

/* What generate keeps across decisions: where to allow, for which arches. */
struct decider {
	struct sca_profile *p;
	size_t allow_idx;
	const struct sca_gen_opts *o;
	FILE *notes;
	const uint32_t *arches;
	size_t narches;
	unsigned nconds;            /* syscalls allowed under conditions */
	char conds[256];            /* their names, for the summary */
};

/* Allow C: under the base's conditions if it has any, else learnt ones, else with any arguments. */
static int allow_call(struct decider *d, const struct sca_gen_call *c)
{
	struct sca_profile *p = d->p;
	bool done = false;
	int rc;

	switch (base_allows(p, d->allow_idx, c->name)) {
	case BASE_ANY:
		return 0;
	case BASE_COND:
		if (d->o->explain)
			fprintf(d->o->explain, "sca profile-gen: explain: %s: the base allows it only under its "
					       "own conditions; kept as they are\n", c->name);
		return 0;
	case BASE_NONE:
		break;
	}
	if (!d->o->no_args &&
	    (rc = sca_gen_args__allow(p, c->name, c->args, d->arches, d->narches, d->o->explain, &done)))
		return rc;
	if (done) {
		sca_gen__list_add(d->conds, sizeof(d->conds), c->name);
		d->nconds++;
		return 0;
	}
	struct sca_profile_rule *allow = &p->rules[d->allow_idx];
	return sca_profile_rule__has_name(allow, c->name) ? 0 : sca_profile_rule__add_name(allow, c->name);
}

/*
 * Say what the filter refused of C, and allow C when it should be: seen
 * allowed by an event, or counted running and never refused. A refusal
 * outweighs calls: they may have passed under other arguments, or before
 * the filter.
 */
static int decide(struct decider *d, const struct sca_gen_call *c)
{
	const struct sca_gen_opts *o = d->o;
	FILE *notes = d->notes;
	char buf[32];

	if (c->denied) {
		fprintf(notes, "sca profile-gen: denied: %s (%s) %llu time%s", c->name,
			sca_code_str(c->deny_code, buf, sizeof(buf)), (unsigned long long)c->denied,
			c->denied == 1 ? "" : "s");
		if (o->allow_denied)
			fputs("; allowed by --allow-denied\n", notes);
		else if (c->allowed)
			fputs("; also seen allowed, so allowed\n", notes);
		else if (c->calls)
			fprintf(notes, "; stays denied, though %llu call%s of it ran (a refusal wins)\n",
				(unsigned long long)c->calls, c->calls == 1 ? "" : "s");
		else
			fputs("; stays denied\n", notes);
	}
	if (!c->allowed && !o->allow_denied && (c->denied || !c->calls))
		return 0;
	/* allowing a name the base denies outright would contradict it:
	 * the events win, the name leaves the deny rule */
	for (size_t r = 0; o->base && r < d->allow_idx; r++) {
		struct sca_profile_rule *rule = &d->p->rules[r];
		if (!sca_profile_action__permissive(rule->action) && !rule->nargs &&
		    sca_profile_rule__drop_name(rule, c->name))
			fprintf(notes, "sca profile-gen: note: %s was seen allowed; removed from the "
				       "base's %s rule\n", c->name, sca_profile_rule__action_name(rule));
	}
	return allow_call(d, c);
}

/* Decide each syscall of AGG into P (clone3's calls folded into clone's first, which may add an entry), then clone3. */
static int decide_all(struct decider *d, struct sca_gen_call *agg, size_t *nagg)
{
	int rc = 0;

	bool enosys = false;

	if (!d->o->no_args)
		rc = sca_gen_args__fold_clone3(agg, nagg, d->o->explain, &enosys);
	for (size_t i = 0; i < *nagg && !rc; i++)
		rc = decide(d, &agg[i]);
	if (!rc && !d->o->no_args)
		rc = sca_gen_args__clone3(d->p, enosys, d->o->explain);
	if (!rc && d->nconds)
		fprintf(d->notes, "sca profile-gen: argument conditions on %u syscall%s: %s (--explain says why, "
				  "--args none leaves them out)\n", d->nconds, d->nconds == 1 ? "" : "s", d->conds);
	return rc;
}

int sca_gen__profile(const struct sca_gen_set *s, int group, const struct sca_gen_opts *o,
		     FILE *notes, struct sca_profile **out, char *err, size_t errlen)
{
	struct sca_profile *p = NULL;
	struct sca_gen_call *agg = NULL;
	size_t nagg = 0, allow_idx;
	uint64_t matched = 0;
	int rc;

	for (size_t i = 0; i < s->ncalls; i++)
		if (in_group(&s->calls[i], group, o))
			matched += observed(s, &s->calls[i]);
	if (!matched) {
		snprintf(err, errlen, "no events%s%s: nothing to build a profile from",
			 s->call_records ? " or calls" : "",
			 s->events || s->call_records ? " match the filters" : " in the traces");
		return -ENODATA;
	}
	if ((rc = profile_start(o, s->call_records > 0, notes, &p, err, errlen)))
		return rc;
	if (o->base && (rc = sca_gen_base__resolve(p, s, o, notes, err, errlen))) {
		sca_profile__free(p);
		return rc;
	}
	if ((rc = add_arches(p, s, group, o, notes)))
		goto fail;
	if (o->base)
		refine_base_rules(p, s, group, o, notes);
	if (!sca_profile__add_rule(p, SCMP_ACT_ALLOW)) {
		rc = -ENOMEM;
		goto fail;
	}
	allow_idx = p->nrules - 1;
	if ((rc = aggregate(s, group, o, notes, &agg, &nagg)))
		goto fail;
	uint32_t arches[32] = { s->native_arch };
	size_t narches = 1 + sca_profile__filter_arches(p, s->native_arch, arches + 1, 31);
	struct decider d = { .p = p, .allow_idx = allow_idx, .o = o, .notes = notes, .arches = arches,
			     .narches = narches < 32 ? narches : 32 };
	rc = decide_all(&d, agg, &nagg);
	free_agg(agg, nagg);
	if (!rc)
		rc = sca_gen_runtime__add(p, allow_idx, s, group, o, notes);
	if (rc)
		goto fail;
	/* drop rules emptied above */
	sca_profile__drop_empty_rules(p);
	sca_profile__normalize(p);
	*out = p;
	return 0;
fail:
	snprintf(err, errlen, "building the profile: %s", strerror(-rc));
	sca_profile__free(p);
	return rc;
}

void sca_gen__list_add(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf), n = strlen(word);
	const char *at = buf;

	while ((at = strstr(at, word))) {
		if ((at == buf || at[-1] == ' ') && (at[n] == ',' || at[n] == '\0'))
			return;
		at += n;
	}
	if (strstr(buf, "..."))
		return;
	if (used + n + 8 < len)
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "", word);
	else
		snprintf(buf + used, len - used, "%s...", used ? ", " : "");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool listed(char **names, size_t n, const char *name)
{
	return bsearch(&name, names, n, sizeof(*names), cmp_str) != NULL;
}

/* NAMES as "a, b, c", or as many as fit and "...". */
static void join_names(const char **names, size_t n, char *out, size_t len)
{
	size_t used = 0;

	if (len)
		out[0] = '\0';
	for (size_t i = 0; i < n && len; i++) {
		const char *sep = i ? ", " : "";
		if (used + strlen(sep) + strlen(names[i]) + 5 > len) {
			snprintf(out + used, len - used, "%s...", sep);
			return;
		}
		used += (size_t)snprintf(out + used, len - used, "%s%s", sep, names[i]);
	}
}

uint64_t sca_gen__unattributed(const struct sca_gen_set *s, const struct sca_profile *p, char *names,
			       size_t len)
{
	const char **list = calloc(s->ncalls + 1, sizeof(*list));
	char **allowed = NULL;
	size_t nallowed = 0, nlist = 0;
	uint64_t n = 0;

	if (p && !(allowed = sca_gen__allowed_names(p, &nallowed)))
		nallowed = 0;
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sca_gen_call *c = &s->calls[i];
		/* a syscall without a name cannot be in a profile: it is missing */
		if (c->group != SCA_GEN_UNATTRIBUTED || (p && c->name && listed(allowed, nallowed, c->name)))
			continue;
		n += c->calls;
		if (list)
			list[nlist++] = c->name ? c->name : "(syscalls without a name)";
	}
	if (list) {
		qsort(list, nlist, sizeof(*list), cmp_str);
		size_t u = 0;
		for (size_t i = 0; i < nlist; i++)
			if (!u || strcmp(list[u - 1], list[i]))
				list[u++] = list[i];
		join_names(list, u, names, len);
	} else if (len) {
		snprintf(names, len, "...");
	}
	free(list);
	sca_gen__free_names(allowed, nallowed);
	return n;
}

int sca_gen__validate(const struct sca_profile *p, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = NULL;
	int rc = sca_profile__build(p, &ctx, NULL, err, errlen);
	if (rc)
		return rc;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
	} else {
		rc = seccomp_export_bpf(ctx, fd);
		if (rc)
			snprintf(err, errlen, "the profile does not compile to a seccomp filter: %s",
				 strerror(-rc));
		close(fd);
	}
	seccomp_release(ctx);
	return rc;
}

char **sca_gen__allowed_names(const struct sca_profile *p, size_t *n)
{
	size_t total = 0, k = 0;
	for (size_t r = 0; r < p->nrules; r++)
		if (sca_profile_action__permissive(p->rules[r].action))
			total += p->rules[r].nnames;
	char **names = calloc(total + 1, sizeof(*names));
	if (!names)
		return NULL;
	for (size_t r = 0; r < p->nrules; r++) {
		if (!sca_profile_action__permissive(p->rules[r].action))
			continue;
		for (size_t i = 0; i < p->rules[r].nnames; i++)
			names[k++] = strdup(p->rules[r].names[i]);
	}
	qsort(names, k, sizeof(*names), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < k; i++) {
		if (u && !strcmp(names[u - 1], names[i])) {
			free(names[i]);
			continue;
		}
		names[u++] = names[i];
	}
	*n = u;
	return names;
}

void sca_gen__free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}
