/*
 * cmd_profile_gen.c - `sca profile-gen`: traces in, a validated seccomp
 * profile out (profile-gen/gen.c); --verify runs the command under it with
 * `sca record` (record/) and reports every refusal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/action.h"
#include "common/cli.h"
#include "common/names.h"
#include "gen.h"
#include "recorder.h"
#include "trace.h"

const char cmd_profile_gen_usage[] =
	"usage: sca profile-gen [TRACE...] [-o FILE] [--format oci|spo] [--name N]\n"
	"                       [--spo-namespace NS] [--base PROFILE]\n"
	"                       [--default-action ACTION] [--allow-denied] [filters]\n"
	"                       [--per-container DIR] [--diff OLD_PROFILE]\n"
	"                       [--verify -- CMD ARGS...]\n"
	"\n"
	"Turn traces into a seccomp profile that allows exactly the syscalls they\n"
	"show, per architecture; everything else gets the default action. Without\n"
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
	"  --spo-namespace NS       spo: metadata.namespace (default: --namespace's)\n"
	"  --base PROFILE           refine this OCI JSON / SPO YAML profile (e.g. the one\n"
	"                           in force while recording): syscalls it logged and\n"
	"                           that were seen become allowed, its deny rules,\n"
	"                           conditions, flags and errno values stay unless the\n"
	"                           events contradict them, a permissive default is\n"
	"                           replaced by --default-action\n"
	"  --default-action ACTION  errno (default, EPERM), errno(N), kill_process,\n"
	"                           kill_thread, trap, log; SCMP_ACT_* names work too\n"
	"  --allow-denied           allow the syscalls the filter refused, too (by\n"
	"                           default they are listed on stderr and stay denied)\n"
	"  --comm C, --exe E, --pid P, --container C, --pod P, --namespace NS\n"
	"                           only these processes' syscalls (repeat or comma\n"
	"                           lists); --container takes a name or an id prefix\n"
	"  --per-container DIR      one profile per container (and host.json for the\n"
	"                           rest) in DIR\n"
	"  --diff OLD_PROFILE       also print, on stderr, the syscalls the new profile\n"
	"                           allows that OLD does not (+) and the reverse (-)\n"
	"  --verify -- CMD ARGS...  then run CMD under the new profile (refusals\n"
	"                           logged), record it, report every refusal; exit 1 if\n"
	"                           there was any. Needs root, like sca record.\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 ok, 1 failure (unreadable trace, no events, a profile that\n"
	"would not load, refusals under --verify), 2 usage error.\n";

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

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* Write P to PATH (NULL: stdout) whole: into PATH.tmp, then renamed. */
static int write_profile(const struct sca_profile *p, const char *path, bool spo, const char *name,
			 const char *ns)
{
	char *tmp = NULL;
	FILE *f = stdout;
	int rc;

	if (path) {
		if (asprintf(&tmp, "%s.tmp", path) < 0)
			return -ENOMEM;
		if (!(f = fopen(tmp, "we"))) {
			rc = -errno;
			sca_cmd_err("profile-gen", "%s: %s", tmp, strerror(errno));
			free(tmp);
			return rc;
		}
	}
	rc = spo ? sca_profile__write_spo(p, name, ns, f) : sca_profile__write_oci(p, f);
	if (path) {
		if (fclose(f) && !rc)
			rc = -errno;
		if (!rc && rename(tmp, path))
			rc = -errno;
		if (rc) {
			unlink(tmp);
			sca_cmd_err("profile-gen", "%s: %s", path, strerror(-rc));
		}
		free(tmp);
	} else if (fflush(stdout) && !rc) {
		rc = -errno;
	}
	return rc;
}

static void print_diff(const struct sca_profile *np, const char *old_path)
{
	struct sca_profile *old = NULL;
	char err[512];
	if (sca_profile__load(old_path, &old, err, sizeof(err))) {
		sca_cmd_err("profile-gen", "--diff: %s", err);
		return;
	}
	size_t na, nb, i = 0, j = 0, add = 0, del = 0;
	char **a = sca_gen__allowed_names(np, &na), **b = sca_gen__allowed_names(old, &nb);
	while (a && b && (i < na || j < nb)) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c < 0) {
			fprintf(stderr, "+ %s\n", a[i++]);
			add++;
		} else if (c > 0) {
			fprintf(stderr, "- %s\n", b[j++]);
			del++;
		} else {
			i++;
			j++;
		}
	}
	fprintf(stderr, "sca profile-gen: against %s: %zu syscalls added, %zu removed\n", old_path, add, del);
	sca_gen__free_names(a, na);
	sca_gen__free_names(b, nb);
	sca_profile__free(old);
}

/* Run CMD under P (refusals logged) and report what the filter refused. */
static int verify(const struct sca_profile *p, char **cmd)
{
	char dir[] = "/tmp/sca-verify-XXXXXX", prof[64], trace[64];
	struct sca_record_opts o = { 0 };
	char bad[64];
	int rc;

	if (!mkdtemp(dir)) {
		sca_cmd_err("profile-gen", "--verify: %s", strerror(errno));
		return SCA_EXIT_FAILURE;
	}
	snprintf(prof, sizeof(prof), "%s/profile.json", dir);
	snprintf(trace, sizeof(trace), "%s/verify.trace", dir);
	/* the same profile, but every refusal is logged so the trace sees it */
	struct sca_profile *v = (struct sca_profile *)p;
	unsigned flags = v->flags;
	v->flags |= SECCOMP_FILTER_FLAG_LOG;
	rc = write_profile(v, prof, false, NULL, NULL);
	v->flags = flags;
	if (rc)
		goto cleanup;
	o.out = trace;
	o.cmd = cmd;
	o.profile = prof;
	o.cmdline = "sca profile-gen --verify";
	sca_printer__init(&o.printer, stderr, NULL, false, bad, sizeof(bad));
	fprintf(stderr, "sca profile-gen: --verify: running %s under the new profile\n", cmd[0]);
	int status = sca_record__run(&o);

	struct sca_reader *r = sca_reader__open(trace);
	const struct sca_record *rec;
	uint64_t refused = 0;
	while (r && sca_reader__next(r, &rec) > 0) {
		if (rec->kind != SCA_RECORD_EVENT)
			continue;
		uint32_t act = rec->event.code & 0xffff0000u;
		if (act == SCMP_ACT_LOG || act == SCMP_ACT_ALLOW)
			continue;
		char nb[32], cb[32];
		fprintf(stderr, "sca profile-gen: --verify: refused: pid %d %s %s (%s)\n", rec->event.pid,
			rec->event.comm ? rec->event.comm : "?",
			sca_syscall_name(rec->event.arch, rec->event.syscall, nb, sizeof(nb)),
			sca_action_name(rec->event.code, cb, sizeof(cb)));
		refused++;
	}
	sca_reader__close(r);
	if (!r) {
		rc = -EIO;
		goto cleanup;
	}
	fprintf(stderr, "sca profile-gen: --verify: %s exited with status %d; %llu refusal%s\n", cmd[0],
		status, (unsigned long long)refused, refused == 1 ? "" : "s");
	rc = refused ? -EPERM : 0;
cleanup:
	unlink(prof);
	unlink(trace);
	rmdir(dir);
	return rc ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
}

int cmd_profile_gen(int argc, char **argv)
{
	enum { O_FORMAT = 256, O_NAME, O_SPO_NS, O_BASE, O_DEFAULT, O_ALLOW_DENIED, O_PER_CONTAINER,
	       O_DIFF, O_VERIFY, O_FILTER = 512 /* + enum sca_filter_key */ };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "name", required_argument, NULL, O_NAME },
		{ "spo-namespace", required_argument, NULL, O_SPO_NS },
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
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct sca_filter f = { 0 };
	struct sca_gen_opts go = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				   .default_errno = 1 };
	const char *out = NULL, *format = NULL, *name = NULL, *spo_ns = NULL, *per_dir = NULL;
	const char *diff = NULL;
	char msg[512];
	int opt, err;
	bool do_verify = false;
	char **used = NULL;	/* --per-container: the paths written so far */
	size_t nused = 0;

	/* Options and traces may mix (getopt permutes them); everything after
	 * the first "--" is --verify's command and is never parsed here. */
	char **cmd = NULL;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			cmd = &argv[i + 1];
			argc = i;
			break;
		}
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (opt >= O_FILTER) {
			if (sca_filter__add(&f, opt - O_FILTER, optarg, msg, sizeof(msg)))
				return sca_usage_err("profile-gen", "%s", msg);
			continue;
		}
		switch (opt) {
		case 'o': out = optarg; break;
		case O_FORMAT: format = optarg; break;
		case O_NAME: name = optarg; break;
		case O_SPO_NS: spo_ns = optarg; break;
		case O_BASE: go.base = optarg; break;
		case O_DEFAULT:
			if (parse_action(optarg, &go))
				return sca_usage_err("profile-gen", "bad --default-action '%s'", optarg);
			break;
		case O_ALLOW_DENIED: go.allow_denied = true; break;
		case O_PER_CONTAINER: per_dir = optarg; break;
		case O_DIFF: diff = optarg; break;
		case O_VERIFY: do_verify = true; break;
		case 'h':
			return sca_print_usage(stdout, cmd_profile_gen_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
		default:
			return sca_usage_err("profile-gen", "unknown option '%s'", argv[optind - 1]);
		}
	}
	bool spo = false;
	if (format) {
		if (!strcmp(format, "spo"))
			spo = true;
		else if (strcmp(format, "oci"))
			return sca_usage_err("profile-gen", "unknown --format '%s' (oci, spo)", format);
	} else if (out && (ends_with(out, ".yaml") || ends_with(out, ".yml"))) {
		spo = true;
	}
	if (!spo_ns && f.nnamespaces == 1)
		spo_ns = f.namespaces[0];

	const char *const *traces = (const char *const *)&argv[optind];
	int ntraces = argc - optind;
	if (cmd && !*cmd)
		return sca_usage_err("profile-gen", "no command after --");
	if (cmd && !do_verify)
		return sca_usage_err("profile-gen", "a command after -- needs --verify");
	if (do_verify && !cmd)
		return sca_usage_err("profile-gen", "--verify needs a command: --verify -- CMD ARGS...");
	if (per_dir && (out || do_verify || diff))
		return sca_usage_err("profile-gen", "--per-container writes files of its own: drop -o, --diff, --verify");
	static const char *const default_trace[] = { "run.trace" };
	if (!ntraces) {
		if (access("run.trace", F_OK)) {
			sca_cmd_err("profile-gen", "no TRACE given and ./run.trace does not exist "
						   "(record one: sca record -o run.trace -- CMD)");
			return SCA_EXIT_FAILURE;
		}
		traces = default_trace;
		ntraces = 1;
	}

	struct sca_gen_set *set = NULL;
	struct sca_profile *p = NULL;
	char **paths;
	int npaths, rc = SCA_EXIT_FAILURE;
	if (sca_trace_paths(traces, ntraces, &paths, &npaths, msg, sizeof(msg))) {
		sca_cmd_err("profile-gen", "%s", msg);
		return SCA_EXIT_FAILURE;
	}
	err = sca_gen__collect((const char *const *)paths, npaths, &f, stderr, &set, msg, sizeof(msg));
	sca_trace_paths_free(paths);
	if (err) {
		sca_cmd_err("profile-gen", "%s", msg);
		return SCA_EXIT_FAILURE;
	}
	if (set->lost)
		fprintf(stderr, "sca profile-gen: warning: the traces lost %llu events; syscalls only they "
				"held are missing from the profile\n", (unsigned long long)set->lost);

	if (per_dir) {
		if (mkdir(per_dir, 0755) && errno != EEXIST) {
			sca_cmd_err("profile-gen", "%s: %s", per_dir, strerror(errno));
			goto cleanup;
		}
		int written = 0;
		if (!(used = calloc(set->ngroups, sizeof(*used)))) {
			sca_cmd_err("profile-gen", "out of memory");
			goto cleanup;
		}
		for (size_t g = 0; g < set->ngroups; g++) {
			struct sca_profile *gp = NULL;
			char path[4096], safe[256];
			size_t k = 0;
			for (const char *c = set->groups[g]; *c && k + 1 < sizeof(safe); c++, k++)
				safe[k] = (*c == '/' || (*c == '.' && k == 0)) ? '_' : *c;
			safe[k] = 0;
			int e = sca_gen__profile(set, (int)g, &go, stderr, &gp, msg, sizeof(msg));
			if (e == -ENODATA)
				continue;
			if (e || sca_gen__validate(gp, msg, sizeof(msg))) {
				sca_cmd_err("profile-gen", "%s: %s", set->groups[g], msg);
				sca_profile__free(gp);
				goto cleanup;
			}
			/* A container called "host", or two names that differ only in
			 * characters replaced above, must not overwrite another's file:
			 * the later one gets a -2, -3 ... suffix, said in the message. */
			int dup = 1;
			for (;;) {
				if (dup == 1)
					snprintf(path, sizeof(path), "%s/%s.%s", per_dir, safe, spo ? "yaml" : "json");
				else
					snprintf(path, sizeof(path), "%s/%s-%d.%s", per_dir, safe, dup,
						 spo ? "yaml" : "json");
				size_t u = 0;
				while (u < nused && strcmp(used[u], path))
					u++;
				if (u == nused)
					break;
				dup++;
			}
			if (!(used[nused] = strdup(path))) {
				sca_profile__free(gp);
				sca_cmd_err("profile-gen", "out of memory");
				goto cleanup;
			}
			nused++;
			e = write_profile(gp, path, spo, name ? name : set->groups[g], spo_ns);
			sca_profile__free(gp);
			if (e)
				goto cleanup;
			if (dup > 1)
				fprintf(stderr, "sca profile-gen: wrote %s (%s %s; its name was taken)\n", path,
					g ? "container" : "processes in no container", set->groups[g]);
			else
				fprintf(stderr, "sca profile-gen: wrote %s\n", path);
			written++;
		}
		if (!written) {
			sca_cmd_err("profile-gen", "no events%s: nothing to build a profile from",
				    set->events ? " match the filters" : " in the traces");
			goto cleanup;
		}
		rc = SCA_EXIT_OK;
		goto cleanup;
	}

	if (sca_gen__profile(set, -1, &go, stderr, &p, msg, sizeof(msg)) ||
	    sca_gen__validate(p, msg, sizeof(msg))) {
		sca_cmd_err("profile-gen", "%s", msg);
		goto cleanup;
	}
	if (write_profile(p, out, spo, name ? name : "sca-profile", spo_ns))
		goto cleanup;
	if (diff)
		print_diff(p, diff);
	rc = do_verify ? verify(p, cmd) : SCA_EXIT_OK;
cleanup:
	for (size_t u = 0; u < nused; u++)
		free(used[u]);
	free(used);
	sca_profile__free(p);
	sca_gen_set__free(set);
	sca_names__cleanup();
	return rc;
}
