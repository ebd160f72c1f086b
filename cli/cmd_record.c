/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_record.c - `sca record`: option parsing; the work is in record/, the
 * filters' meaning in filter/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cli.h"
#include "recorder.h"

const char cmd_record_usage[] =
	"usage: sca record [-o FILE [--print] [--force] [--rotate SIZE]\n"
	"                  [--rotate-time D]] [--json] [--columns LIST] [--duration D]\n"
	"                  [--pid PID] [--comm NAME] [--syscall NAME] [--code CODE]\n"
	"                  [--container NAME] [--pod NAME] [-n NS] [--host]\n"
	"                  [--runtime-root RUNTIME=DIR] [--docker-root DIR]\n"
	"                  [--source SOURCE] [--rcvbuf BYTES] [--ringbuf BYTES]\n"
	"                  [--all-syscalls] [--syscall-table N]\n"
	"                  [--learn MODE] [--profile FILE] [-- CMD ARGS...]\n"
	"       sca record --import LOGFILE [-o FILE] [--pid, --comm, --syscall, --code]\n"
	"\n"
	"Capture seccomp audit events (audit record type 1326) from the kernel's\n"
	"audit multicast group, read-only beside any running auditd. Needs root or\n"
	"CAP_AUDIT_READ. Without -o, print events live; with -o, write a trace\n"
	"(flushed at least once a second) and print a summary on stderr.\n"
	"With --all-syscalls or -- CMD, also learn every syscall the selected\n"
	"processes make, counted in the kernel on the sys_enter tracepoint (the\n"
	"syscall source; needs CAP_BPF and CAP_PERFMON, or root).\n"
	"\n"
	"  -o, --output FILE      write the events to the trace FILE; an existing\n"
	"                         FILE is refused before anything starts\n"
	"      --force            with -o, replace an existing FILE (rotating: remove\n"
	"                         an earlier set's files first)\n"
	"      --rotate SIZE      with -o, close the trace once it reaches SIZE bytes\n"
	"                         (K, M, G suffixes; at least 4K; checked at chunk\n"
	"                         boundaries) and go on in a new one: -o BASE.trace\n"
	"                         (or BASE) writes BASE.0001.trace, BASE.0002.trace\n"
	"                         ..., each a complete trace; the summary lists them\n"
	"      --rotate-time D    with -o, the same once a trace has been open for D\n"
	"                         (e.g. 10m, 1h; at least 1s); with --rotate, whichever\n"
	"                         comes first. sca analyze and profile-gen take the\n"
	"                         files' directory as a TRACE\n"
	"      --print            with -o, also print events live\n"
	"      --json             print events as JSON lines\n"
	"      --columns LIST     live columns, comma separated (default\n"
	"                         pid,comm,syscall,code); one of: time, pid, tid,\n"
	"                         ppid, uid, gid, auid, ses, comm, exe, arch,\n"
	"                         syscall, nr, code, sig, ip, cgroup, mntns,\n"
	"                         runtime.containername, k8s.namespace, k8s.pod,\n"
	"                         k8s.container\n"
	"      --duration D       stop after D (e.g. 30, 30s, 500ms, 5m, 1h)\n"
	"      --pid PID          keep events of these processes only\n"
	"      --comm NAME        keep events of these command names only\n"
	"      --syscall NAME     keep these syscalls only (name for the event's arch)\n"
	"      --code CODE        keep these actions only: log, kill_thread,\n"
	"                         kill_process, trap, errno, user_notif, trace, allow\n"
	"      --container NAME   keep events of these containers only (a name or an\n"
	"                         id prefix)\n"
	"      --pod NAME         keep events of these Kubernetes pods only\n"
	"  -n, --namespace NS     keep events of pods in these namespaces only\n"
	"      --host             keep events of processes in no container only\n"
	"                         (filters repeat or take comma lists)\n"
	"      --runtime-root RUNTIME=DIR\n"
	"                         find containers in this OCI runtime state\n"
	"                         directory (repeat); replaces the standard ones:\n"
	"                         runc /run/runc, docker /run/docker/runtime-runc/moby,\n"
	"                         containerd /run/containerd/runc/NAMESPACE, crun\n"
	"                         /run/crun. RUNTIME is the name events get (runc,\n"
	"                         docker, containerd, crun, cri-o ...); CRI-O's\n"
	"                         containers are told by their annotations\n"
	"      --docker-root DIR  Docker's data root, for container names and images\n"
	"                         (default /var/lib/docker)\n"
	"      --source SOURCE    where events come from: auto (default: bpf-fentry,\n"
	"                         then bpf-kprobe, then audit; one line says which\n"
	"                         and why the others failed), audit (the kernel's\n"
	"                         audit multicast; needs CAP_AUDIT_READ and the\n"
	"                         host's network namespace, the only one the\n"
	"                         kernel sends it to), bpf (bpf-fentry, then\n"
	"                         bpf-kprobe), bpf-fentry, bpf-kprobe (a BPF\n"
	"                         program on audit_seccomp: adds thread ids and\n"
	"                         syscall arguments; needs CAP_BPF and CAP_PERFMON,\n"
	"                         or root, and a kernel that allows it)\n"
	"      --rcvbuf BYTES     audit socket receive buffer (default 64 MiB; past\n"
	"                         net.core.rmem_max only with CAP_NET_ADMIN)\n"
	"      --ringbuf BYTES    BPF ring buffer (default 16 MiB)\n"
	"      --import LOGFILE   read auditd audit.log lines (type=SECCOMP) or\n"
	"                         kernel log lines (audit: type=1326) instead of the\n"
	"                         kernel ('-' for stdin); exit 1 if a seccomp line\n"
	"                         was malformed (it is reported and skipped)\n"
	"      --all-syscalls     learn processes already running: every syscall\n"
	"                         of those the filters select (--pid: with their\n"
	"                         descendants; --container, --pod, -n, --comm,\n"
	"                         --host, or all), counted in the kernel and\n"
	"                         written once a second, beside the audit events\n"
	"                         of the event source (refused calls never reach\n"
	"                         sys_enter); containers started meanwhile too\n"
	"      --syscall-table N  entries of the syscall source's table (default\n"
	"                         65536); calls that find it full keep their\n"
	"                         syscall and count but not their process\n"
	"      --learn MODE       how -- CMD is learnt: auto (default: the syscall\n"
	"                         source, else log-all, saying why), syscalls (or\n"
	"                         fail), log-all (a filter that logs every\n"
	"                         syscall: ~4 us per call through the audit path)\n"
	"      --profile FILE     with -- CMD: run CMD under this OCI seccomp JSON\n"
	"                         or SPO SeccompProfile YAML (FILE#NAME: the\n"
	"                         SeccompProfile NAME of a file of several); with\n"
	"                         the syscall source its refusals are logged\n"
	"                         (SECCOMP_FILTER_FLAG_LOG) and its allowed calls\n"
	"                         counted, in one trace\n"
	"  -- CMD ARGS...         run CMD and learn every syscall of its process\n"
	"                         tree (its own audit session), stop when it\n"
	"                         exits, and exit with its status (needs\n"
	"                         CAP_AUDIT_CONTROL too)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Events are attributed to containers by their process's mount namespace or\n"
	"cgroup, from the runtimes' state; a container started during the recording\n"
	"is found within a second. Show them with --columns runtime.containername,...\n"
	"or k8s.namespace,k8s.pod,k8s.container,...\n"
	"\n"
	"Privileges: the audit source needs CAP_AUDIT_READ, the BPF source CAP_BPF\n"
	"and CAP_PERFMON (root has them), -- CMD also CAP_AUDIT_CONTROL. Once the\n"
	"source is open and CMD started, sca keeps only CAP_SYS_PTRACE and\n"
	"CAP_DAC_READ_SEARCH (reading other users' /proc entries and container\n"
	"state), plus CAP_KILL with -- CMD and CAP_DAC_OVERRIDE with --rotate.\n"
	"\n"
	"Stops cleanly on SIGINT, SIGTERM and SIGHUP, the trace closed whole;\n"
	"with -- CMD, the signal is passed to CMD and recording ends when it exits.\n"
	"--import stops reading at such a signal and keeps what it read. If\n"
	"--print's reader goes away (`| head`), printing stops: recording goes on\n"
	"into the -o trace, or ends as on SIGTERM without one. -o FILE is created\n"
	"0600, never through a link; --force replaces a regular file (never one\n"
	"another recording is writing); a FIFO, a terminal or /dev/null is written\n"
	"in place. If the trace cannot be written (a full disk), recording stops\n"
	"at once and the trace keeps every chunk written whole; with -- CMD, the\n"
	"command is not killed for it: sca waits for it (passing on signals) and\n"
	"exits 1.\n"
	"\n"
	"Exit status: 0 ok, 1 failure, 2 usage error; with -- CMD, the command's\n"
	"status (128+N if killed by signal N), or 1 if recording failed.\n";

enum {
	O_PRINT = 256, O_JSON, O_COLUMNS, O_DURATION, O_PID, O_COMM, O_SYSCALL, O_CODE, O_SOURCE,
	O_RCVBUF, O_RINGBUF, O_IMPORT, O_PROFILE, O_CONTAINER, O_POD, O_HOST, O_RUNTIME_ROOT,
	O_DOCKER_ROOT, O_FORCE, O_ROTATE, O_ROTATE_TIME, O_ALL_SYSCALLS, O_LEARN, O_SYSCALL_TABLE
};

static const struct option record_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "print", no_argument, NULL, O_PRINT },
	{ "json", no_argument, NULL, O_JSON },
	{ "columns", required_argument, NULL, O_COLUMNS },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "pid", required_argument, NULL, O_PID },
	{ "comm", required_argument, NULL, O_COMM },
	{ "syscall", required_argument, NULL, O_SYSCALL },
	{ "code", required_argument, NULL, O_CODE },
	{ "source", required_argument, NULL, O_SOURCE },
	{ "rcvbuf", required_argument, NULL, O_RCVBUF },
	{ "ringbuf", required_argument, NULL, O_RINGBUF },
	{ "import", required_argument, NULL, O_IMPORT },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "container", required_argument, NULL, O_CONTAINER },
	{ "pod", required_argument, NULL, O_POD },
	{ "namespace", required_argument, NULL, 'n' },
	{ "host", no_argument, NULL, O_HOST },
	{ "runtime-root", required_argument, NULL, O_RUNTIME_ROOT },
	{ "docker-root", required_argument, NULL, O_DOCKER_ROOT },
	{ "force", no_argument, NULL, O_FORCE },
	{ "rotate", required_argument, NULL, O_ROTATE },
	{ "rotate-time", required_argument, NULL, O_ROTATE_TIME },
	{ "all-syscalls", no_argument, NULL, O_ALL_SYSCALLS },
	{ "learn", required_argument, NULL, O_LEARN },
	{ "syscall-table", required_argument, NULL, O_SYSCALL_TABLE },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* What the command line fills beside the recorder's options. */
struct record_args {
	struct sca_record_opts o;
	const char *columns;
	bool print, json, help, learn_set;
};

/* The filter key an option adds to, or -1 for the other options. */
static int filter_key(int opt)
{
	switch (opt) {
	case O_PID: return SCA_FILTER_PID;
	case O_COMM: return SCA_FILTER_COMM;
	case O_SYSCALL: return SCA_FILTER_SYSCALL;
	case O_CODE: return SCA_FILTER_CODE;
	case O_CONTAINER: return SCA_FILTER_CONTAINER;
	case O_POD: return SCA_FILTER_POD;
	case 'n': return SCA_FILTER_NAMESPACE;
	default: return -1;
	}
}

/* --rcvbuf, --ringbuf: a plain byte count, 4 KiB .. 1 GiB. */
static int parse_buf_bytes(const char *name, const char *arg, long *v)
{
	char *end;

	*v = strtol(arg, &end, 10);
	if (*end || *v < 4096 || *v > (1L << 30))
		return sca_usage_err("record", "bad --%s '%s' (4096 .. 1073741824)", name, arg);
	return 0;
}

/* RUNTIME=DIR: arg is ours to cut (the command line was joined before). */
static int add_root(struct sca_record_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return sca_usage_err("record", "bad --runtime-root '%s' (RUNTIME=DIR, e.g. runc=/run/runc)", arg);
	if (o->nroots == SCA_RECORD_ROOTS_MAX)
		return sca_usage_err("record", "too many --runtime-root values (at most %d)", SCA_RECORD_ROOTS_MAX);
	*eq = 0;
	o->roots[o->nroots++] = (struct sca_runtime_root){ .runtime = arg, .path = eq + 1 };
	return 0;
}

/* One option from getopt; WORD is its argv word. Returns 0 or SCA_EXIT_USAGE (reported). */
static int parse_opt(struct record_args *a, int opt, char *arg, const char *word)
{
	struct sca_record_opts *o = &a->o;
	int key = filter_key(opt);
	char err[128];
	long v;

	if (key >= 0) {
		if (sca_filter__add(&o->filter, key, arg, err, sizeof(err)))
			return sca_usage_err("record", "%s", err);
		return 0;
	}
	switch (opt) {
	case 'o': o->out = arg; break;
	case O_PRINT: a->print = true; break;
	case O_JSON: a->json = true; break;
	case O_COLUMNS: a->columns = arg; break;
	case O_DURATION:
		if (sca_parse_duration(arg, 1, &o->duration_ns) || !o->duration_ns)
			return sca_usage_err("record", "bad --duration '%s'", arg);
		break;
	case O_SOURCE:
		if (!(o->source = sca_source_choice__find(arg)))
			return sca_usage_err("record", "unknown --source '%s' (%s)", arg, sca_source_choice__names());
		break;
	case O_RINGBUF:
		if (parse_buf_bytes("ringbuf", arg, &v))
			return SCA_EXIT_USAGE;
		o->ringbuf = (size_t)v;
		break;
	case O_RCVBUF:
		if (parse_buf_bytes("rcvbuf", arg, &v))
			return SCA_EXIT_USAGE;
		o->rcvbuf = (int)v;
		break;
	case O_IMPORT: o->import = arg; break;
	case O_HOST: o->filter.host_only = true; break;
	case O_DOCKER_ROOT: o->docker_root = arg; break;
	case O_RUNTIME_ROOT: return add_root(o, arg);
	case O_PROFILE: o->profile = arg; break;
	case O_FORCE: o->force = true; break;
	case O_ROTATE:
		/* below a few chunks' worth, every file would be one chunk */
		if (sca_parse_size(arg, &o->rotate_size) || o->rotate_size < 4096)
			return sca_usage_err("record", "bad --rotate '%s' (bytes, or with K, M, G; at least 4K)", arg);
		break;
	case O_ROTATE_TIME:
		/* the trace is flushed once a second: shorter makes no sense */
		if (sca_parse_duration(arg, 1, &o->rotate_ns) || o->rotate_ns < 1000000000ull)
			return sca_usage_err("record", "bad --rotate-time '%s' (e.g. 30s, 10m, 1h; at least 1s)", arg);
		break;
	case O_ALL_SYSCALLS: o->all_syscalls = true; break;
	case O_LEARN:
		if (!strcmp(arg, "auto"))
			o->learn = SCA_LEARN_AUTO;
		else if (!strcmp(arg, "syscalls"))
			o->learn = SCA_LEARN_SYSCALLS;
		else if (!strcmp(arg, "log-all"))
			o->learn = SCA_LEARN_LOG_ALL;
		else
			return sca_usage_err("record", "bad --learn '%s' (auto, syscalls, log-all)", arg);
		a->learn_set = true;
		break;
	case O_SYSCALL_TABLE: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);
		/* below a few hundred, a single process's syscalls do not fit */
		if (*end || *arg == '-' || n < 256 || n > (1ul << 22))
			return sca_usage_err("record", "bad --syscall-table '%s' (256 .. 4194304 entries)", arg);
		o->syscall_table = (uint32_t)n;
		break;
	}
	case 'h': a->help = true; break;
	default: return sca_usage_err("record", "unknown option '%s'", word);
	}
	return 0;
}

/* The options, up to --help, and -- CMD. Returns 0 or SCA_EXIT_USAGE (reported). */
static int parse_args(struct record_args *a, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	/* '+': stop at the first non-option, so `-- CMD -x` keeps CMD's options */
	while ((opt = getopt_long(argc, argv, "+o:n:h", record_options, NULL)) != -1) {
		if ((rc = parse_opt(a, opt, optarg, argv[optind - 1])) || a->help)
			return rc;
	}
	if (optind < argc) {
		/* getopt with '+' leaves "--" consumed; anything left is CMD */
		if (strcmp(argv[optind - 1], "--") != 0)
			return sca_usage_err("record", "unexpected argument '%s' (put a command after --)", argv[optind]);
		a->o.cmd = &argv[optind];
	}
	return 0;
}

/* Options that cannot go together. Returns 0 or SCA_EXIT_USAGE (reported). */
static int check_args(const struct record_args *a)
{
	const struct sca_record_opts *o = &a->o;
	const struct sca_filter *f = &o->filter;

	if (o->all_syscalls && (o->cmd || o->import))
		return sca_usage_err("record", "--all-syscalls is for processes already running; "
					       "-- CMD learns every syscall of CMD already, --import reads a log");
	if (a->learn_set && !o->cmd)
		return sca_usage_err("record", "--learn goes with -- CMD");
	if (o->syscall_table && !o->all_syscalls && !o->cmd)
		return sca_usage_err("record", "--syscall-table goes with --all-syscalls or -- CMD");

	if (o->profile && !o->cmd)
		return sca_usage_err("record", "--profile needs a command: sca record --profile FILE -- CMD");
	if (o->import && o->cmd)
		return sca_usage_err("record", "--import and -- CMD cannot be combined");
	if (o->import && (sca_filter__has_container_keys(f) || o->nroots || o->docker_root))
		return sca_usage_err("record", "container options need live events: an imported log names no containers");
	if (f->host_only && (f->ncontainers || f->npods || f->nnamespaces))
		return sca_usage_err("record", "--host keeps events outside containers: drop --container, --pod, --namespace");
	if (!o->out && (o->force || o->rotate_size || o->rotate_ns))
		return sca_usage_err("record", "%s goes with -o FILE",
				     o->force ? "--force" : o->rotate_size ? "--rotate" : "--rotate-time");
	return 0;
}

int cmd_record(int argc, char **argv)
{
	struct record_args a = { 0 };
	/* NULL (out of memory) only leaves the trace header without it */
	char *cmdline = sca_cli_join("sca", argc, argv);
	char bad[64];
	int rc;

	a.o.cmdline = cmdline;
	if ((rc = parse_args(&a, argc, argv)))
		goto cleanup;
	if (a.help) {
		rc = sca_print_usage(stdout, cmd_record_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
		goto cleanup;
	}
	if ((rc = check_args(&a)))
		goto cleanup;
	a.o.print = a.print || !a.o.out;
	if (sca_printer__init(&a.o.printer, stdout, a.columns, a.json, bad, sizeof(bad))) {
		rc = sca_usage_err("record", "unknown column '%s' in --columns", bad);
		goto cleanup;
	}
	rc = sca_record__run(&a.o);
cleanup:
	free(cmdline);
	return rc;
}
