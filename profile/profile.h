/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sca seccomp profile model.
 *
 * One model for the profiles containers run under: OCI seccomp JSON (runc,
 * crun, podman, Docker with its "archMap" and includes/excludes) and the
 * Security Profiles Operator's SeccompProfile YAML (or JSON). It is parsed,
 * turned into a libseccomp filter for `sca record --profile`, and later
 * refined and written back by `sca profile-gen`.
 *
 * The model is a plain public struct: read it freely. Every string and array
 * it points to is heap memory owned by the profile and released by
 * sca_profile__free(); grow it with the sca_profile__add_* helpers (or
 * malloc()/realloc() the same way) so that stays true. Fields documented as
 * "static" point into constant tables and are never freed.
 *
 * Conventions (libbpf style): functions return 0 on success and a negative
 * errno on failure; names are sca_<object>__<verb>.
 */
#ifndef SCA_PROFILE_PROFILE_H
#define SCA_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <seccomp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCA_PROFILE_MAX_ARGS 6   /* syscall arguments a condition may test: 0..5 */

/* What kind of document a profile came from (and is written back as). */
enum sca_profile_kind {
	SCA_PROFILE_OCI = 0,       /* OCI / Docker seccomp profile */
	SCA_PROFILE_SPO = 1,       /* security-profiles-operator.x-k8s.io SeccompProfile */
};

enum sca_profile_syntax {
	SCA_PROFILE_JSON = 0,
	SCA_PROFILE_YAML = 1,
};

/* One condition on a syscall argument, as in the OCI "args" list. */
struct sca_profile_arg {
	unsigned index;            /* 0..5 */
	uint64_t value;            /* the operand; for SCMP_CMP_MASKED_EQ the mask */
	uint64_t value_two;        /* SCMP_CMP_MASKED_EQ: the value the masked argument must equal */
	enum scmp_compare op;      /* SCMP_CMP_NE ... SCMP_CMP_MASKED_EQ */
};

/*
 * Docker's "includes" / "excludes": when a rule applies. Empty lists and a
 * NULL min_kernel mean "no condition".
 */
struct sca_profile_cond {
	char **caps;               /* "CAP_SYS_ADMIN" ... */
	size_t ncaps;
	char **arches;             /* Docker's arch words: "amd64", "x86", "arm64", "s390x" ... */
	size_t narches;
	char *min_kernel;          /* "4.8"; checked to be "MAJOR.MINOR[.PATCH]" on load */
};

/* One entry of the "syscalls" list. */
struct sca_profile_rule {
	char **names;              /* syscall names as written; unknown names are kept */
	size_t nnames;
	uint32_t action;           /* SCMP_ACT_* without data: SCMP_ACT_ERRNO(0), SCMP_ACT_TRACE(0) ... */
	const char *action_name;   /* static: the spelling read (SCMP_ACT_KILL or _KILL_THREAD); may be NULL */
	bool has_errno_ret;
	uint32_t errno_ret;        /* "errnoRet", 0..65535 */
	struct sca_profile_arg *args;
	size_t nargs;
	struct sca_profile_cond includes;
	struct sca_profile_cond excludes;
	char *comment;             /* Docker's "comment", or NULL */
	unsigned line;             /* where the rule starts in the source; 0 if built in memory */
	unsigned src_index;        /* its place in the source's "syscalls" list + 1; 0 if built in memory */
};

struct sca_profile_arch {
	uint32_t arch;             /* SCMP_ARCH_* (the kernel's AUDIT_ARCH_*) */
	const char *name;          /* static: "SCMP_ARCH_X86_64" */
};

/* One Docker "archMap" entry: an architecture and the ones it can also run. */
struct sca_profile_archmap {
	struct sca_profile_arch arch;
	struct sca_profile_arch *sub;
	size_t nsub;
};

struct sca_profile {
	enum sca_profile_kind kind;
	enum sca_profile_syntax syntax;
	char *source;              /* file name given to load, for messages; may be NULL */

	uint32_t default_action;   /* SCMP_ACT_* without data */
	const char *default_action_name; /* static spelling read, or NULL */
	bool has_default_errno;
	uint32_t default_errno;    /* "defaultErrnoRet" */

	/* "architectures" and Docker's "archMap"; a profile has at most one of them. */
	struct sca_profile_arch *arches;
	size_t narches;
	struct sca_profile_archmap *arch_map;
	size_t narch_map;

	unsigned flags;            /* SECCOMP_FILTER_FLAG_{TSYNC,LOG,SPEC_ALLOW,WAIT_KILLABLE_RECV} */
	char *listener_path;       /* NULL when absent */
	char *listener_metadata;

	struct sca_profile_rule *rules;
	size_t nrules;

	/* SeccompProfile only (NULL / false otherwise). */
	char *api_version;         /* "security-profiles-operator.x-k8s.io/v1beta1" */
	char *spo_name;            /* metadata.name */
	char *spo_namespace;       /* metadata.namespace */
	char *base_profile_name;   /* spec.baseProfileName */
	bool disabled;             /* spec.disabled */
};

/* ---- load ------------------------------------------------------------ */

/*
 * Parse PATH: OCI seccomp JSON or an SPO SeccompProfile (YAML or JSON),
 * told apart by content; a .json/.yaml/.yml extension is a hint when the
 * content could be either. Unknown syscall names are kept (profiles list the
 * syscalls of other kernels and arches); unknown keys are ignored.
 *
 * Returns 0 with *out set, or a negative errno with *out NULL and a one-line
 * message in ERR (if not NULL) that names the file and, where known, the line
 * and field, e.g.
 *   profile.json:3: syscalls[2].action: unknown action "SCMP_ACT_FOO"
 * -EBADMSG: neither JSON nor YAML; -EINVAL: not a valid profile;
 * -ENOMEM; -EFBIG: over 64 MiB; other: the error reading PATH.
 *
 * A YAML file of several documents ("---") is read for its one
 * SeccompProfile, whatever other objects it holds; of several, PATH names
 * the one to read as FILE#NAME (metadata.name), used when no file PATH
 * exists. A name that matches none or several is -EINVAL, with a message
 * that lists the SeccompProfiles the file holds.
 */
int sca_profile__load(const char *path, struct sca_profile **out, char *err, size_t errlen);

/* The same for LEN bytes at BUF; NAME stands for the file in messages. */
int sca_profile__load_buf(const char *buf, size_t len, const char *name,
			  struct sca_profile **out, char *err, size_t errlen);
/* ... and read the SeccompProfile named DOC (NULL: the only document, or the only SeccompProfile). */
int sca_profile__load_doc_buf(const char *buf, size_t len, const char *name, const char *doc,
			      struct sca_profile **out, char *err, size_t errlen);

void sca_profile__free(struct sca_profile *p);

/* ---- build a libseccomp filter --------------------------------------- */

/*
 * What the rules of a Docker profile are evaluated against (includes,
 * excludes, the archMap entry to use).
 */
struct sca_profile_env {
	uint32_t native_arch;      /* SCMP_ARCH_* */
	uint64_t caps;             /* bounding set, bit N = capability N */
	unsigned kernel[3];        /* running kernel version: 6, 1, 0 */
};

/* This host: seccomp_arch_native(), this process's bounding set, uname(). */
int sca_profile_env__host(struct sca_profile_env *env);

/* Docker's minKernel form "MAJOR.MINOR[.PATCH]" into V; -EINVAL if S is not one. */
int sca_profile_kernel__parse(const char *s, unsigned v[3]);

/* Whether R has Docker's includes or excludes (it holds only where they do). */
bool sca_profile_rule__has_includes(const struct sca_profile_rule *r);

/* Whether R's includes/excludes let it apply in ENV (Docker's rules). */
bool sca_profile_rule__applies(const struct sca_profile_rule *r, const struct sca_profile_env *env);

/*
 * The architectures a filter for P covers besides the native one, in profile
 * order: "architectures", or for an archMap the entry of NATIVE and its
 * sub-architectures (what Docker does). Writes up to MAX into OUT and returns
 * how many there are.
 */
size_t sca_profile__filter_arches(const struct sca_profile *p, uint32_t native,
				  uint32_t *out, size_t max);

struct sca_profile_build_stats {
	unsigned names_unknown;     /* syscall names libseccomp knows on no arch: skipped */
	unsigned rules_default;     /* rules whose action is the default action: skipped */
	unsigned rules_excluded;    /* rules whose includes/excludes do not hold: skipped */
	unsigned arches_unsupported;/* arches this libseccomp does not know: skipped */
};

/*
 * Build a filter for P: seccomp_init(default action), every arch of
 * sca_profile__filter_arches() (the native one is always there), the
 * flags as filter attributes, and each applicable rule for each of its
 * names with seccomp_rule_add_array(). As runc does, a rule with several
 * conditions on one argument is added once per condition (libseccomp refuses
 * them together), and ERRNO/TRACE without errnoRet mean EPERM. libseccomp's
 * default of setting no_new_privs on load is kept.
 *
 * ENV NULL means this host. On success *ctx holds the filter (release it
 * with seccomp_release()) and ST (may be NULL) what was skipped. Returns 0 or
 * a negative errno with a one-line message in ERR.
 */
int sca_profile__build_env(const struct sca_profile *p, const struct sca_profile_env *env,
			   scmp_filter_ctx *ctx, struct sca_profile_build_stats *st,
			   char *err, size_t errlen);

/* The same for this host; *SKIPPED (may be NULL) = unknown names skipped. */
int sca_profile__build(const struct sca_profile *p, scmp_filter_ctx *ctx, unsigned *skipped,
		       char *err, size_t errlen);

/* ---- actions, arches, operators, flags ------------------------------- */

/* The full libseccomp action: ERRNO/TRACE carry errnoRet (EPERM if unset). */
uint32_t sca_profile__default_scmp_action(const struct sca_profile *p);
uint32_t sca_profile_rule__scmp_action(const struct sca_profile_rule *r);

/* "SCMP_ACT_LOG" <-> SCMP_ACT_LOG; parse returns -ENOENT for an unknown name. */
int sca_profile_action__parse(const char *name, uint32_t *action);
const char *sca_profile_action__name(uint32_t action); /* NULL if unknown; data bits ignored */
/* The spelling to write R's action with: the one read if still valid, else the canonical one. */
const char *sca_profile_rule__action_name(const struct sca_profile_rule *r);

int sca_profile_arch__parse(const char *name, uint32_t *arch);   /* "SCMP_ARCH_X86_64" */
const char *sca_profile_arch__name(uint32_t arch);
/* Docker's word for ARCH in includes/excludes ("amd64"), or NULL. */
const char *sca_profile_arch__docker_name(uint32_t arch);

int sca_profile_op__parse(const char *name, enum scmp_compare *op); /* "SCMP_CMP_EQ" */
const char *sca_profile_op__name(enum scmp_compare op);

/*
 * A condition as people read it: "arg0 == 2", "arg1 != 40",
 * "arg0 & 0x7e020000 == 0" (SCMP_CMP_MASKED_EQ: value is the mask). Values
 * below 65536 are decimal, the rest and masks hex. Returns BUF.
 */
const char *sca_profile_arg__str(const struct sca_profile_arg *a, char *buf, size_t len);
/* R's conditions joined with " && ", or "any arguments" when it has none. Returns BUF. */
const char *sca_profile_rule__args_str(const struct sca_profile_rule *r, char *buf, size_t len);

/* "SECCOMP_FILTER_FLAG_LOG" <-> SECCOMP_FILTER_FLAG_LOG (one bit). */
int sca_profile_flag__parse(const char *name, unsigned *flag);
const char *sca_profile_flag__name(unsigned flag);

/* "CAP_SYS_ADMIN" -> 21; -ENOENT if unknown. */
int sca_profile_cap__parse(const char *name, unsigned *cap);

/* ---- building a profile in memory ------------------------------------ */

/* An empty OCI profile with DEFAULT_ACTION; NULL with errno ENOMEM. */
struct sca_profile *sca_profile__new(uint32_t default_action);

/*
 * Append an empty rule with ACTION; NULL on ENOMEM. The pointer is valid
 * until the next rule is added.
 */
struct sca_profile_rule *sca_profile__add_rule(struct sca_profile *p, uint32_t action);
int sca_profile_rule__add_name(struct sca_profile_rule *r, const char *name);
/* Whether R names NAME; remove NAME from R (true if it was there). */
bool sca_profile_rule__has_name(const struct sca_profile_rule *r, const char *name);
bool sca_profile_rule__drop_name(struct sca_profile_rule *r, const char *name);
/* Whether ACTION (without data) lets a call through: allow or log. */
bool sca_profile_action__permissive(uint32_t action);
int sca_profile_rule__add_arg(struct sca_profile_rule *r, const struct sca_profile_arg *arg);
int sca_profile__add_arch(struct sca_profile *p, uint32_t arch); /* -ENOENT: no such arch */

/* ---- writing profiles (emit.c) ---------------------------------------- */

/*
 * Both writers check P first and write nothing if it holds what the parser
 * would refuse: -EINVAL for an unknown action, arch, operator or flag, an
 * arg index beyond 5, both "architectures" and "archMap", a missing name;
 * -ERANGE for an errno above 65535; -EILSEQ for a string that is not UTF-8.
 * Write errors are found with ferror() after a final fflush() and returned
 * as a negative errno (-ENOSPC ...). The output is the same bytes for the
 * same model and reads back with sca_profile__load_buf().
 */

/* Write p as OCI seccomp JSON (what runc, crun, podman and Docker's --security-opt seccomp= accept). */
int sca_profile__write_oci(const struct sca_profile *p, FILE *f);
/* The SeccompProfile API versions written. */
enum sca_profile_spo_api {
	SCA_PROFILE_SPO_V1 = 0,      /* SPO 1.0 and later; the object is cluster-scoped */
	SCA_PROFILE_SPO_V1BETA1 = 1, /* older operators; namespaced there */
};

/* "v1" / "v1beta1" <-> the version; parse returns -ENOENT for another word. */
int sca_profile_spo_api__parse(const char *word, enum sca_profile_spo_api *api);
const char *sca_profile_spo_api__name(enum sca_profile_spo_api api);

/* Write p as a Security Profiles Operator SeccompProfile of version API
 * (apiVersion security-profiles-operator.x-k8s.io/v1 or v1beta1, kind
 * SeccompProfile, metadata.name = name, metadata.namespace = ns when not NULL
 * and API is v1beta1: the CRD makes a v1 SeccompProfile cluster-scoped, so
 * NS is left out there). Only fields of the CRD's schema for API are
 * written: a disabled profile says "state: Disabled".
 * NAME NULL means p->spo_name. SeccompProfile has no defaultErrnoRet, archMap,
 * includes/excludes or comment: defaultErrnoRet is left out (runtimes then
 * return EPERM), an archMap becomes the list of all its arches, rules are
 * written without their includes/excludes (a YAML comment marks each place
 * where that changes what the profile does), and a rule's comment becomes a
 * YAML comment line above it. */
int sca_profile__write_spo_api(const struct sca_profile *p, enum sca_profile_spo_api api,
			       const char *name, const char *ns, FILE *f);
/* The same as version v1. */
int sca_profile__write_spo(const struct sca_profile *p, const char *name, const char *ns, FILE *f);
/* Sort every rule's names and drop duplicates, order the rules (by action, then errno, then args, then first name),
 * merge rules that differ only by their names (same action, errno, args, includes/excludes), so equal profiles print
 * byte-identical: deterministic output that diffs well in git.
 * Actions sort by the kernel's precedence (kill first, allow last); a rule's
 * args are sorted too, and includes/excludes caps and arches sorted and
 * deduplicated. Rules with different comments are not merged. */
void sca_profile__normalize(struct sca_profile *p);

/* Remove the rules that name no syscall (left empty by a refinement). */
void sca_profile__drop_empty_rules(struct sca_profile *p);
/* Remove rule I (later rules move down one). */
void sca_profile__remove_rule(struct sca_profile *p, size_t i);
/* Forget R's includes and excludes: R then applies everywhere. */
void sca_profile_rule__clear_conds(struct sca_profile_rule *r);
/* Forget P's "architectures" and "archMap". */
void sca_profile__clear_arches(struct sca_profile *p);

#ifdef __cplusplus
}
#endif

#endif /* SCA_PROFILE_PROFILE_H */
