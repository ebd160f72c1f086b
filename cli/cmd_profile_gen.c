/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_profile_gen.c - `sca profile-gen`: traces in, a validated seccomp
 * profile out (profile-gen/, sca_gen__run); --verify then runs the command
 * under it with `sca record` (profile-gen/verify.c) and reports every
 * refusal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/action.h"
#include "common/cli.h"
#include "common/names.h"
#include "common/progress.h"
#include "filter.h"
#include "gen.h"
#include "verify.h"

const char cmd_profile_gen_usage[] =
	"usage: sca profile-gen [TRACE...] [-o FILE] [--format oci|spo] [--name N]\n"
	"                       [--spo-api v1|v1beta1] [--spo-namespace NS]\n"
	"                       [--base PROFILE]\n"
	"                       [--default-action ACTION] [--allow-denied] [filters]\n"
	"                       [--per-container DIR] [--diff OLD_PROFILE] [--strict]\n"
	"                       [--args learn|none] [--explain]\n"
	"                       [--target runtime|docker] [--caps LIST|none] [--kernel X.Y]\n"
	"                       [--no-runtime-needs]\n"
	"                       [--verify -- CMD ARGS...]\n"
	"\n"
	"Turn traces into a seccomp profile that allows exactly the syscalls they\n"
	"show, per architecture; everything else gets the default action. Audit\n"
	"events that were logged or allowed, and the calls the syscall source\n"
	"counted, are allowed; refusals stay refused, calls or not. In a container\n"
	"whose calls ran under a seccomp filter, only those count (not its\n"
	"runtime's before the filter). Without\n"
	"TRACE, reads ./run.trace; a TRACE that is a directory stands for the\n"
	"*.trace files in it, in name order (e.g. the files of sca record\n"
	"--rotate). The profile is validated (compiled with libseccomp for every\n"
	"listed arch) before it is written; output is sorted and stable so it\n"
	"diffs well.\n"
	"\n"
	"  -o, --output FILE        write to FILE (replaced whole) instead of stdout;\n"
	"                           a .yaml/.yml name means --format spo\n"
	"  --format oci|spo         OCI seccomp JSON (runc, crun, podman, Docker's\n"
	"                           --security-opt seccomp=; default) or a Security\n"
	"                           Profiles Operator SeccompProfile (YAML)\n"
	"  --name N                 spo: metadata.name (default sca-profile, or the\n"
	"                           container's name with --per-container)\n"
	"  --spo-api v1|v1beta1     spo: the apiVersion; v1 (default) for the operator\n"
	"                           since 1.0, v1beta1 for older ones\n"
	"  --spo-namespace NS       spo v1beta1: metadata.namespace (default:\n"
	"                           --namespace's); a v1 SeccompProfile is\n"
	"                           cluster-scoped and has none\n"
	"  --base PROFILE           refine this OCI JSON / SPO YAML profile (e.g. the one\n"
	"                           in force while recording): syscalls it logged and\n"
	"                           that were seen become allowed, its deny rules,\n"
	"                           conditions, flags and errno values stay unless the\n"
	"                           events contradict them, a permissive default is\n"
	"                           replaced by --default-action. A YAML file of\n"
	"                           several documents gives its one SeccompProfile;\n"
	"                           of several, name it: --base FILE#NAME\n"
	"  --target runtime|docker  oci: what reads the profile. runtime (default):\n"
	"                           runc or crun, which ignore Docker's includes/\n"
	"                           excludes, so the base's are resolved: a rule\n"
	"                           that holds for --caps, the native arch and\n"
	"                           --kernel loses them, the others are left out;\n"
	"                           docker: Docker or podman, kept as they are.\n"
	"                           spo always resolves them. Arches: those the\n"
	"                           recording used that the base allows for its\n"
	"                           native arch and the target accepts\n"
	"  --caps LIST|none         the container's capabilities, CAP_* names, comma\n"
	"                           separated (default none: a rule that needs a\n"
	"                           capability is not granted)\n"
	"  --kernel X.Y             the kernel minKernel is read against (default:\n"
	"                           this host's, said on stderr)\n"
	"  --default-action ACTION  errno (default, EPERM), errno(N), kill_process,\n"
	"                           kill_thread, trap, log; SCMP_ACT_* names work too\n"
	"  --args learn|none        learn (the default): where the calls show few\n"
	"                           values of an argument that matters (socket's\n"
	"                           family and type, clone's CLONE_NEW* bits, unshare,\n"
	"                           setns, personality, prctl's option, ioctl's\n"
	"                           request, mmap/mprotect W^X), allow only those;\n"
	"                           clone3 then answers ENOSYS so libc uses clone. A\n"
	"                           syscall seen with many values or without known\n"
	"                           arguments (audit events) stays unconditional.\n"
	"                           none: names only\n"
	"  --explain                say on stderr why each condition is there (values\n"
	"                           seen, calls) and why other syscalls have none\n"
	"  --no-runtime-needs       do not add to a container's profile (--container,\n"
	"                           --per-container) what its runtime's init calls\n"
	"                           under the filter before exec (measured for runc\n"
	"                           and crun; both when unknown) and what signal\n"
	"                           delivery needs (rt_sigreturn, restart_syscall,\n"
	"                           sigreturn); added by default, said on stderr, so\n"
	"                           the container starts every time\n"
	"  --allow-denied           allow the syscalls the filter refused, too (by\n"
	"                           default they are listed on stderr and stay denied)\n"
	"  --comm C, --exe E, --pid P, --container C, --pod P, --namespace NS\n"
	"                           only these processes' syscalls (repeat or comma\n"
	"                           lists); --container takes a name or an id prefix\n"
	"  --per-container DIR      one profile per container (and host.json for the\n"
	"                           rest) in DIR\n"
	"  --diff OLD_PROFILE       also print, on stderr, the syscalls the new profile\n"
	"                           allows that OLD does not (+), the reverse (-), and\n"
	"                           those allowed on other argument conditions (~)\n"
	"  --strict                 fail, writing nothing, if the profile may be\n"
	"                           incomplete: the traces lost events or calls, are\n"
	"                           damaged, or hold calls without a process (the\n"
	"                           syscall table was full) of syscalls the profile\n"
	"                           would not allow. Without it these are warnings;\n"
	"                           calls without a process are allowed only with no\n"
	"                           filter and no --per-container\n"
	"  --verify -- CMD ARGS...  then run CMD under the new profile (refusals\n"
	"                           logged), record it, report every refusal; exit 1 if\n"
	"                           there was any besides the profile's own (clone3's\n"
	"                           ENOSYS). A call refused on its arguments names the\n"
	"                           conditions, not the value (audit records carry no\n"
	"                           arguments). Needs root, like sca record.\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 ok, 1 failure (unreadable trace, no events, a profile that\n"
	"would not load, refusals under --verify, --strict and the traces may be\n"
	"incomplete), 2 usage error.\n";

static int parse_action(const char *s, struct sca_gen_opts *o)
{
	uint32_t code, action;
	/* sca's names with errno(N), or the profile's SCMP_ACT_* ones */
	int rc = sca_action_parse(s, SCA_ACTION_PARSE_DATA | SCA_ACTION_PARSE_NOCASE, sca_profile_action__parse,
				  &code);

	if (rc < 0)
		return rc;
	action = code & SECCOMP_RET_ACTION_FULL;
	if (action == SCMP_ACT_ALLOW)
		return -EINVAL;    /* a default of allow is no profile at all */
	o->default_action = action;
	o->has_default_errno = action == SCMP_ACT_ERRNO(0);
	o->default_errno = rc ? code & SECCOMP_RET_DATA : 1;   /* EPERM unless given */
	return 0;
}

/* --caps: "none" or CAP_* names, comma separated, into a bit set. */
static int parse_caps(const char *s, uint64_t *caps)
{
	char name[64];

	*caps = 0;
	if (!strcmp(s, "none"))
		return 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned cap;

		if (!n || n >= sizeof(name))
			return -EINVAL;
		memcpy(name, s, n);
		name[n] = '\0';
		if (sca_profile_cap__parse(name, &cap) || cap >= 64)
			return -EINVAL;
		*caps |= 1ull << cap;
		s += n + (s[n] == ',');
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

struct args {
	struct sca_filter filter;
	struct sca_gen_job job;
	const char *format;
	bool spo_api;              /* --spo-api given */
	const char *target;
	bool verify;
	bool help;
	bool no_runtime_needs;
	char **cmd;                /* after the first "--": --verify's command */
};

enum { O_FORMAT = 256, O_NAME, O_SPO_NS, O_SPO_API, O_BASE, O_DEFAULT, O_ALLOW_DENIED, O_PER_CONTAINER, O_DIFF,
       O_VERIFY, O_STRICT, O_ARGS, O_EXPLAIN, O_TARGET, O_CAPS, O_KERNEL, O_NO_RUNTIME_NEEDS,
       O_FILTER = 512 /* + enum sca_filter_key */ };

static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "name", required_argument, NULL, O_NAME },
	{ "spo-namespace", required_argument, NULL, O_SPO_NS },
	{ "spo-api", required_argument, NULL, O_SPO_API },
	{ "base", required_argument, NULL, O_BASE },
	{ "default-action", required_argument, NULL, O_DEFAULT },
	{ "allow-denied", no_argument, NULL, O_ALLOW_DENIED },
	{ "comm", required_argument, NULL, O_FILTER + SCA_FILTER_COMM },
	{ "exe", required_argument, NULL, O_FILTER + SCA_FILTER_EXE },
	{ "pid", required_argument, NULL, O_FILTER + SCA_FILTER_PID },
	{ "container", required_argument, NULL, O_FILTER + SCA_FILTER_CONTAINER },
	{ "pod", required_argument, NULL, O_FILTER + SCA_FILTER_POD },
	{ "namespace", required_argument, NULL, O_FILTER + SCA_FILTER_NAMESPACE },
	{ "per-container", required_argument, NULL, O_PER_CONTAINER },
	{ "diff", required_argument, NULL, O_DIFF },
	{ "verify", no_argument, NULL, O_VERIFY },
	{ "strict", no_argument, NULL, O_STRICT },
	{ "args", required_argument, NULL, O_ARGS },
	{ "explain", no_argument, NULL, O_EXPLAIN },
	{ "target", required_argument, NULL, O_TARGET },
	{ "caps", required_argument, NULL, O_CAPS },
	{ "kernel", required_argument, NULL, O_KERNEL },
	{ "no-runtime-needs", no_argument, NULL, O_NO_RUNTIME_NEEDS },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/*
 * Fill A from ARGV. Options and traces may mix (getopt permutes them);
 * everything after the first "--" is --verify's command and is never
 * parsed here. Returns 0, or SCA_EXIT_USAGE (said on stderr).
 */
static int parse_args(int argc, char **argv, struct args *a)
{
	char msg[512];
	int opt;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			a->cmd = &argv[i + 1];
			argc = i;
			break;
		}
	opterr = 0;
	optind = 1;
	while (!a->help && (opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (opt >= O_FILTER) {
			if (sca_filter__add(&a->filter, opt - O_FILTER, optarg, msg, sizeof(msg)))
				return sca_usage_err("profile-gen", "%s", msg);
			continue;
		}
		switch (opt) {
		case 'o': a->job.path = optarg; break;
		case O_FORMAT: a->format = optarg; break;
		case O_NAME: a->job.output.name = optarg; break;
		case O_SPO_NS: a->job.output.ns = optarg; break;
		case O_SPO_API:
			if (sca_profile_spo_api__parse(optarg, &a->job.output.spo_api))
				return sca_usage_err("profile-gen", "bad --spo-api '%s' (v1, v1beta1)", optarg);
			a->spo_api = true;
			break;
		case O_BASE: a->job.gen.base = optarg; break;
		case O_DEFAULT:
			if (parse_action(optarg, &a->job.gen))
				return sca_usage_err("profile-gen", "bad --default-action '%s'", optarg);
			break;
		case O_ALLOW_DENIED: a->job.gen.allow_denied = true; break;
		case O_PER_CONTAINER: a->job.per_container = optarg; break;
		case O_DIFF: a->job.diff = optarg; break;
		case O_VERIFY: a->verify = true; break;
		case O_STRICT: a->job.strict = true; break;
		case O_ARGS:
			if (strcmp(optarg, "learn") && strcmp(optarg, "none"))
				return sca_usage_err("profile-gen", "bad --args '%s' (learn, none)", optarg);
			a->job.gen.no_args = !strcmp(optarg, "none");
			break;
		case O_EXPLAIN: a->job.gen.explain = stderr; break;
		case O_TARGET:
			if (strcmp(optarg, "runtime") && strcmp(optarg, "docker"))
				return sca_usage_err("profile-gen", "bad --target '%s' (runtime, docker)", optarg);
			a->target = optarg;
			break;
		case O_CAPS:
			if (parse_caps(optarg, &a->job.gen.caps))
				return sca_usage_err("profile-gen", "bad --caps '%s' (CAP_* names, comma "
						     "separated, or none)", optarg);
			break;
		case O_KERNEL:
			if (sca_profile_kernel__parse(optarg, a->job.gen.kernel))
				return sca_usage_err("profile-gen", "bad --kernel '%s' (X.Y, e.g. 5.10)", optarg);
			a->job.gen.has_kernel = true;
			break;
		case O_NO_RUNTIME_NEEDS: a->no_runtime_needs = true; break;
		case 'h': a->help = true; break;
		default:
			return sca_usage_err("profile-gen", "unknown option '%s'", argv[optind - 1]);
		}
	}
	a->job.traces = (const char *const *)&argv[optind];
	a->job.ntraces = argc - optind;
	return SCA_EXIT_OK;
}

/*
 * What follows from the options together (the format, the SPO namespace),
 * and what they may not ask together. Returns 0, or SCA_EXIT_USAGE.
 */
static int check_args(struct args *a)
{
	struct sca_gen_output *o = &a->job.output;
	const char *path = a->job.path;

	if (a->format) {
		if (!strcmp(a->format, "spo"))
			o->spo = true;
		else if (strcmp(a->format, "oci"))
			return sca_usage_err("profile-gen", "unknown --format '%s' (oci, spo)", a->format);
	} else if (path && (ends_with(path, ".yaml") || ends_with(path, ".yml"))) {
		o->spo = true;
	}
	if (a->spo_api && !o->spo)
		return sca_usage_err("profile-gen", "--spo-api is for --format spo");
	/* the CRD makes a v1 SeccompProfile cluster-scoped */
	if (o->spo && o->ns && o->spo_api == SCA_PROFILE_SPO_V1)
		return sca_usage_err("profile-gen", "--spo-namespace: a v1 SeccompProfile is cluster-scoped; "
				     "--spo-api v1beta1 writes a namespaced one");
	if (o->spo && a->target)
		return sca_usage_err("profile-gen", "--target is for --format oci (spo always resolves "
				     "includes/excludes)");
	a->job.gen.target = o->spo ? SCA_GEN_SPO : a->target && !strcmp(a->target, "docker") ? SCA_GEN_DOCKER
											  : SCA_GEN_RUNTIME;
	if (!o->ns && a->filter.nnamespaces == 1 && o->spo_api != SCA_PROFILE_SPO_V1)
		o->ns = a->filter.namespaces[0];
	if (a->cmd && !*a->cmd)
		return sca_usage_err("profile-gen", "no command after --");
	if (a->cmd && !a->verify)
		return sca_usage_err("profile-gen", "a command after -- needs --verify");
	if (a->verify && !a->cmd)
		return sca_usage_err("profile-gen", "--verify needs a command: --verify -- CMD ARGS...");
	/* a container's profile: one per container, or the one of --container */
	a->job.gen.runtime_needs = !a->no_runtime_needs && (a->job.per_container || a->filter.ncontainers);
	if (a->job.per_container && (path || a->verify || a->job.diff))
		return sca_usage_err("profile-gen", "--per-container writes files of its own: drop -o, --diff, --verify");
	return SCA_EXIT_OK;
}

int cmd_profile_gen(int argc, char **argv)
{
	static const char *const default_trace[] = { "run.trace" };
	struct args a = { .job.gen = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				       .default_errno = 1 } };
	struct sca_profile *p = NULL;
	uint64_t refused = 0;
	char msg[512];
	int rc;

	if ((rc = parse_args(argc, argv, &a)))
		return rc;
	if (a.help)
		return sca_print_usage(stdout, cmd_profile_gen_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
	if ((rc = check_args(&a)))
		return rc;
	if (!a.job.ntraces) {
		if (access("run.trace", F_OK)) {
			sca_cmd_err("profile-gen", "no TRACE given and ./run.trace does not exist "
						   "(record one: sca record -o run.trace -- CMD)");
			return SCA_EXIT_FAILURE;
		}
		a.job.traces = default_trace;
		a.job.ntraces = 1;
	}
	a.job.filter = &a.filter;
	/* a terminal's stderr shows the traces being read */
	a.job.progress = sca_progress__new(stderr, "profile-gen");
	rc = sca_gen__run(&a.job, stderr, &p, msg, sizeof(msg));
	sca_progress__free(a.job.progress);
	if (!rc && a.verify)
		rc = sca_gen__verify(p, a.cmd, stderr, &refused, msg, sizeof(msg));
	if (rc && *msg)
		sca_cmd_err("profile-gen", "%s", msg);
	sca_profile__free(p);
	sca_names__cleanup();
	return (rc || refused) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
}
