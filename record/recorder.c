/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * recorder.c - see recorder.h. The loop: poll the sources and a signalfd,
 * drain in batches, flush once a second, and after a wrapped command exits
 * settle until the sources have been quiet for a moment. Which sources
 * there are is source.c's business, the files tracefiles.c's, and the log
 * file of --import import.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <seccomp.h>

#include "common/clock.h"
#include "common/cli.h"
#include "common/outfile.h"
#include "common/progress.h"
#include "containers.h"
#include "doctor.h"
#include "caps.h"
#include "enrich.h"
#include "hosttraces.h"
#include "import.h"
#include "learn.h"
#include "tracefiles.h"
#include "proc_event.h"
#include "tracker.h"
#include "tracker_feed.h"
#include "recorder.h"
#include "source.h"

/* After the command exits, its last records may still be in flight in
 * kauditd; wait until the sources have been quiet this long. */
#define SETTLE_NS 300000000ull
#define SETTLE_MAX_NS 3000000000ull
/* 1 ms holds ~250 records at full rate: a 64 MiB socket buffer holds far more. */
#define BATCH_WAIT_NS 1000000
#define FLUSH_NS 1000000000ull

/* What every event goes through, live or imported. */
struct rec_state {
	struct sca_record_opts *o;
	const char *source;          /* the trace header's and lost records' */
	struct sca_tracefiles *out;
	struct sca_enricher *en;     /* NULL for --import */
	struct sca_containers *ct;   /* NULL for --import */
	struct sca_tracker *tr;      /* processes as the kernel saw them; NULL without */
	struct sca_tracker_feed *trf;
	bool session_only;
	bool print_closed;           /* --print's reader went away */
	uint64_t host_mnt;           /* sca's own mount namespace: not a container's */
	uint32_t since_feed;         /* records since the tracker's feed was read */
	uint32_t ses;
	uint64_t events, lost, filtered;
	/* the syscall source's: its records, their calls, and those without a process */
	uint64_t calls, calls_count, calls_no_process, calls_lost, procs_lost;
	struct sca_filter calls_filter;  /* the filter less what the kernel selected */
	bool calls_code_ok;          /* --code lets allowed calls through */
};

/* Set by SIGINT, SIGTERM, SIGHUP during --import, or when --print's reader
 * went away and there is no trace to write: stop as soon as possible. */
static volatile sig_atomic_t stop_requested;

/* The wrapped command's session, then the user's filter (containers aside). */
static bool keep(const struct rec_state *st, const struct sca_event *e)
{
	if (st->session_only && e->ses != st->ses)
		return false;
	return sca_filter__keep_event(&st->o->filter, e);
}

/*
 * `--print | head`: printing stops (EPIPE, SIGPIPE being ignored). With a
 * trace, recording goes on into it; without one, nothing is left to do.
 * Returns true if recording should stop.
 */
static bool print_failed(struct rec_state *st)
{
	FILE *f = st->o->printer.out;

	if (st->print_closed || !ferror(f))
		return false;
	st->print_closed = true;
	if (st->o->out) {
		fprintf(stderr, "sca record: --print: its output was closed; recording goes on into %s\n",
			st->o->out);
		return false;
	}
	fprintf(stderr, "sca record: --print: its output was closed; stopping\n");
	return true;
}

static bool printing(const struct rec_state *st)
{
	return st->o->print && !st->print_closed;
}

/*
 * What the tracker knew of E's process. Its fork and exec are queued before
 * its syscalls, so the feed is read first: with BPF that is a few loads when
 * the ring is empty.
 */
static void tracker_fill(struct rec_state *st, struct sca_event *e)
{
	struct sca_proc_view v;

	/* a pid's new holder may be queued while its old one still matches */
	sca_tracker_feed__read(st->trf);
	if (sca_tracker__find(st->tr, e->pid, e->time_ns, e->comm, &v))
		sca_tracker__apply(&v, e);
}

/* What /proc and the runtimes' state add, once the tracker has said its part. */
static void describe(struct rec_state *st, struct sca_event *e, uint64_t now)
{
	if (st->en)
		sca_enricher__fill(st->en, e, now);
	if (st->ct && !e->container)
		e->container = sca_containers__lookup(st->ct, e, now);
}

static int on_lost(struct rec_state *st, const struct sca_lost *l)
{
	int err;

	if (l->source && !strcmp(l->source, "syscalls"))
		st->calls_lost += l->count;
	else if (l->source && !strncmp(l->source, "syscalls:", 9))
		st->procs_lost += l->count;
	else
		st->lost += l->count;
	if ((err = sca_tracefiles__add_lost(st->out, l)))
		return err;
	if (printing(st))
		sca_printer__lost(&st->o->printer, l->time_ns, l->count, l->source);
	return 0;
}

/* Written and printed, whatever kind. */
static int emit_calls(struct rec_state *st, const struct sca_calls *c)
{
	int err;

	st->calls++;
	st->calls_count += c->count;
	if (c->flags & SCA_CALLS_NO_PROCESS)
		st->calls_no_process += c->count;
	if ((err = sca_tracefiles__add_calls(st->out, c)))
		return err;
	if (printing(st)) {
		sca_printer__calls(&st->o->printer, c);
		if (print_failed(st))
			stop_requested = 1;
	}
	return 0;
}

/*
 * Syscalls the syscall source counted, up to a second after they were
 * made: the tracker says which process held the pid then (it may be gone),
 * the filter keeps what the options say beyond what the kernel selected.
 * Calls without a process are kept: they are what a full table cost.
 */
static int on_calls(struct rec_state *st, const struct sca_calls *in)
{
	struct sca_calls c = *in;
	struct sca_event *e = &c.ev;
	uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);
	struct sca_proc_view v;

	if (c.flags & SCA_CALLS_NO_PROCESS)
		return emit_calls(st, &c);
	/* forks and execs up to the drain are queued: read before asking */
	sca_tracker_feed__read(st->trf);
	if (st->tr && sca_tracker__find_exact(st->tr, e->pid, e->time_ns, &v)) {
		sca_tracker__apply(&v, e);
		e->comm = v.comm;
		e->ses = v.ses;
	}
	describe(st, e, now);
	if (!st->calls_code_ok || !sca_filter__keep(&st->calls_filter, e)) {
		st->filtered++;
		return 0;
	}
	return emit_calls(st, &c);
}

/* Each record a source delivers: filtered, enriched, written, printed. */
static int on_record(void *ctx, const struct sca_record *rec)
{
	struct rec_state *st = ctx;
	int err;

	if (rec->kind == SCA_RECORD_LOST)
		return on_lost(st, &rec->lost);
	if (rec->kind == SCA_RECORD_CALLS)
		return on_calls(st, &rec->calls);
	const struct sca_event *ev = &rec->event;
	/* the tracker's ring is real time where audit records may lag: read it
	 * within a long batch too, so an exec is seen (and its container learnt)
	 * while the container still exists */
	if (st->trf && (++st->since_feed & 255) == 0) {
		sca_tracker_feed__read(st->trf);
		sca_containers__poll(st->ct, sca_clock_ns(CLOCK_MONOTONIC));
	}
	if (!keep(st, ev)) {
		st->filtered++;
		return 0;
	}
	struct sca_event e = *ev;
	uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);
	if (st->tr)
		tracker_fill(st, &e);
	describe(st, &e, now);
	/* --container, --pod, --namespace, --host: known only after the lookup */
	if (!sca_filter__keep_container(&st->o->filter, e.container)) {
		st->filtered++;
		return 0;
	}
	st->events++;
	if ((err = sca_tracefiles__add_event(st->out, &e)))
		return err;
	if (printing(st)) {
		sca_printer__event(&st->o->printer, &e);
		if (print_failed(st))
			stop_requested = 1;
	}
	return sca_tracefiles__rotate_if_due(st->out, now);
}

static void state_free(struct rec_state *st)
{
	sca_tracker_feed__close(st->trf);
	sca_tracker__free(st->tr);
	st->trf = NULL;
	st->tr = NULL;
	sca_tracefiles__free(st->out);
	sca_enricher__free(st->en);
	sca_containers__free(st->ct);
	st->out = NULL;
	st->en = NULL;
	st->ct = NULL;
}

/* What the process tracker could not keep: those processes may lack a container. */
static void tracker_losses(struct rec_state *st)
{
	struct sca_tracker_stats ts;

	if (!st->tr)
		return;
	sca_tracker_feed__check_drops(st->trf);
	sca_tracker__stats(st->tr, &ts);
	if (ts.drops || ts.evicted || ts.no_room)
		fprintf(stderr, "sca record: warning: the process tracker lost %" PRIu64 " process records "
				"(the kernel could not queue them) and could not keep %" PRIu64 " exited "
				"processes long enough; their events may lack a container\n",
			ts.drops, ts.evicted + ts.no_room);
}

/* What the syscall source counted, and what it could not keep. */
static void calls_summary(const struct rec_state *st)
{
	if (!st->calls && !st->calls_lost && !st->procs_lost)
		return;
	fprintf(stderr, "sca record: syscall source: %" PRIu64 " calls in %" PRIu64 " records\n",
		st->calls_count, st->calls);
	if (st->calls_no_process)
		fprintf(stderr, "sca record: warning: %" PRIu64 " calls found the syscall table full: their "
				"syscalls are kept, not which process made them (a larger --syscall-table "
				"keeps them)\n", st->calls_no_process);
	if (st->calls_lost)
		fprintf(stderr, "sca record: warning: the kernel did not count %" PRIu64 " calls "
				"(the program was busy on their CPU); a profile may miss their syscalls\n",
			st->calls_lost);
	if (st->procs_lost)
		fprintf(stderr, "sca record: warning: %" PRIu64 " processes of --pid's trees were not "
				"followed (the tree's table was full); their syscalls were not counted\n",
			st->procs_lost);
}

/* The last file closed, the summary said; rc, or 1 if the trace failed. */
static int finish(struct rec_state *st, int rc)
{
	tracker_losses(st);
	calls_summary(st);
	if (sca_tracefiles__finish(st->out, st->events, st->lost))
		rc = SCA_EXIT_FAILURE;
	if (printing(st))
		fflush(st->o->printer.out);
	state_free(st);
	return rc;
}

static void on_stop_requested(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* No SA_RESTART: a read waiting on a pipe returns, and the loop sees the flag. */
static void catch_stop_requested(void)
{
	struct sigaction sa = { .sa_handler = on_stop_requested };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* An import's records, each into its host's trace (hosttraces.h). */
struct import_ctx {
	struct rec_state *st;
	struct sca_import *im;
	struct sca_hosttraces *hosts;
};

static int on_import_record(void *ctx, const struct sca_record *rec)
{
	struct import_ctx *ic = ctx;
	struct rec_state *st = ic->st;
	struct sca_tracefiles *own = st->out;
	int err = 0;
	struct sca_tracefiles *t = sca_hosttraces__get(ic->hosts, sca_import__host(ic->im), &err);

	if (err)
		return err;
	if (!t || t == own)
		return on_record(st, rec);
	uint64_t before = st->events;
	st->out = t;
	err = on_record(st, rec);
	st->out = own;
	sca_hosttraces__count(ic->hosts, t, st->events - before);
	return err;
}

static int run_import(struct rec_state *st)
{
	struct import_ctx ic = { .st = st };
	struct sca_progress *progress = NULL;
	uint64_t elsewhere = 0;
	int err;

	if (sca_import__open(&ic.im, st->o->import))
		return finish(st, SCA_EXIT_FAILURE);
	/* the log is readable: only now create the trace, never over the log */
	if (st->o->out && sca_outfile__same_file(st->o->import, st->o->out)) {
		sca_cmd_err("record", "%s: is the log being imported; not replaced", st->o->out);
		sca_import__close(ic.im);
		state_free(st);
		return SCA_EXIT_FAILURE;
	}
	/* -o's trace begins with the first record, as its host's (hosttraces.h) */
	if (sca_hosttraces__new(&ic.hosts, st->o, st->o->out ? st->out : NULL, st->source)) {
		sca_import__close(ic.im);
		state_free(st);
		return SCA_EXIT_FAILURE;
	}
	catch_stop_requested();
	sca_import__set_stop(ic.im, &stop_requested);
	sca_import__set_per_host(ic.im, st->o->out != NULL);
	/* events printed to a terminal are the progress: no line across them */
	if (!st->o->print || !isatty(fileno(st->o->printer.out)))
		progress = sca_progress__new(stderr, "record");
	sca_import__set_progress(ic.im, progress);
	err = sca_import__read(ic.im, on_import_record, &ic);
	sca_progress__free(progress);
	sca_import__close(ic.im);
	if (sca_hosttraces__begin_main(ic.hosts))
		err = -EIO;
	if (sca_hosttraces__finish(ic.hosts, &elsewhere))
		err = -EIO;
	sca_hosttraces__free(ic.hosts);
	/* -o's own summary counts what it holds */
	st->events -= elsewhere;
	return finish(st, err ? SCA_EXIT_FAILURE : SCA_EXIT_OK);
}

/* ---- live ------------------------------------------------------------- */

struct live {
	struct rec_state *st;
	struct sca_sources src;      /* none once recording stopped */
	struct sca_doctor *doc;      /* the quick checks, taken at start */
	const char *events_source;   /* the event source's name, or NULL */
	int sfd;                     /* SIGINT, SIGTERM, SIGHUP, SIGCHLD */
	sigset_t old_mask;
	pid_t child;                 /* -- CMD */
	int child_status;
	bool child_done, recording, stop, drain_now;
	int rc;
	uint64_t start, last_flush, settle_from, last_event;   /* CLOCK_MONOTONIC */
};

/* A container's process runs its program: learn the container while its
 * runtime's state still exists (a short one is gone before its records). */
static void on_proc(void *ctx, const struct sca_proc_event *pe, const struct sca_proc_view *v)
{
	struct rec_state *st = ctx;

	/* the host's execs, by far the most, need no second look */
	if (!st->ct || !v || pe->kind != SCA_PROC_EXEC || v->mnt_ns == st->host_mnt)
		return;
	struct sca_event e = { .pid = v->pid, .mnt_ns = v->mnt_ns, .cgroup = v->cgroup };
	sca_containers__learn(st->ct, &e, sca_clock_ns(CLOCK_MONOTONIC));
}

/*
 * The process tracker, or why not: one line either way (into msg, said
 * once the sources opened beside it), since it decides whether a process
 * that is gone before its record keeps its container.
 */
struct tracker_job {
	struct rec_state *st;
	char msg[800];
};

static void *tracker_open(void *arg)
{
	struct tracker_job *j = arg;
	struct rec_state *st = j->st;
	int64_t off = sca_clock_boot_offset();
	char why[600] = "out of memory";
	struct stat sb;
	int err;

	if (stat("/proc/self/ns/mnt", &sb) == 0)
		st->host_mnt = sb.st_ino;
	if ((err = sca_tracker__new(&st->tr, off)) ||
	    (err = sca_tracker_feed__open(&st->trf, st->tr, on_proc, st, why, sizeof(why)))) {
		sca_tracker__free(st->tr);
		st->tr = NULL;
		snprintf(j->msg, sizeof(j->msg), "sca record: attribution: /proc when each record arrives "
			 "(no process tracker: %s); a process gone by then has no container\n", why);
		return NULL;
	}
	/* -- CMD: its whole tree begins after this */
	if (!st->o->cmd)
		sca_tracker__seed(st->tr, "/proc");
	snprintf(j->msg, sizeof(j->msg), "sca record: attribution: process tracker on %s%s%s%s\n",
		 sca_tracker_feed__name(st->trf), *why ? " (" : "", why, *why ? ")" : "");
	return NULL;
}

/*
 * Before the first event, in this order: the runtimes' state (before the
 * first event waits on it), the sources and the tracker, then the trace
 * (only now: a missing privilege must not touch an existing file). The
 * tracker loads on a thread of its own beside the sources: each BPF
 * object reads the kernel's BTF and is verified, tens of ms that
 * `record -- CMD` would otherwise add to every run.
 */
static int live_open(struct live *l)
{
	struct rec_state *st = l->st;
	const struct sca_record_opts *o = st->o;
	struct tracker_job job = { .st = st };
	pthread_t th;
	int err;

	if ((err = sca_enricher__new(&st->en, NULL)))
		return err;
	if ((err = sca_containers__new(&st->ct, o->roots, (size_t)o->nroots, o->docker_root))) {
		sca_cmd_err("record", "container state: %s", strerror(-err));
		return err;
	}
	bool threaded = pthread_create(&th, NULL, tracker_open, &job) == 0;
	if (!threaded)
		tracker_open(&job);
	err = sca_sources__open(&l->src, o);
	if (threaded)
		pthread_join(th, NULL);
	if (err)
		return err;
	fputs(job.msg, stderr);
	st->source = sca_sources__name(&l->src);
	if (l->src.n > (l->src.syscalls ? 1 : 0))
		l->events_source = sca_source__name(l->src.src[l->src.n - 1]);
	/* now, while the kernel may still be asked: privileges go at start */
	if (sca_doctor__run(&l->doc, SCA_DOCTOR_RECORD) == 0)
		sca_doctor__warn_record(l->doc, l->events_source);
	return sca_tracefiles__begin(st->out, st->source);
}

/* The command's session is known: every source and the tracker select it now. */
static void on_session(void *ctx, uint32_t ses)
{
	struct live *l = ctx;

	for (int i = 0; i < l->src.n; i++)
		sca_source__set_session(l->src.src[i], ses);
	sca_tracker_feed__set_session(l->st->trf, ses);
}

/* How -- CMD is learnt, in the line that starts it. */
static void say_learning(const struct live *l)
{
	const struct sca_record_opts *o = l->st->o;
	const char *events = l->src.n > (l->src.syscalls ? 1 : 0) ? sca_source__name(l->src.src[l->src.n - 1]) : NULL;

	fprintf(stderr, "sca record: recording %s (pid %d, audit session %u): ", o->cmd[0], (int)l->child,
		l->st->ses);
	if (l->src.syscalls && o->profile)
		fprintf(stderr, "under %s; allowed calls from the sys_enter tracepoint, refusals from the %s source\n",
			o->profile, events ? events : "(none)");
	else if (l->src.syscalls)
		fprintf(stderr, "every syscall from the sys_enter tracepoint, no filter added%s%s%s\n",
			events ? "; refusals of its own filters from the " : "", events ? events : "",
			events ? " source" : "");
	else if (o->profile)
		fprintf(stderr, "under %s, from the %s source\n", o->profile, events);
	else
		fprintf(stderr, "under a filter that logs every syscall, from the %s source%s%s%s\n", events,
			l->src.why_not_syscalls[0] ? " (the syscall source cannot run here: " : "",
			l->src.why_not_syscalls, l->src.why_not_syscalls[0] ? ")" : "");
}

/* Start -- CMD in its session, the sources selecting it before it goes on. */
static int start_command(struct live *l)
{
	struct rec_state *st = l->st;
	const struct sca_record_opts *o = st->o;
	struct sca_learn_opts lo = {
		.profile = o->profile, .log_all = !l->src.syscalls, .on_session = on_session, .ctx = l,
	};
	char why[256];
	int err;

	if ((err = sca_learn__spawn(o->cmd, &lo, &l->child, &st->ses, why, sizeof(why)))) {
		sca_cmd_err("record", "%s", why);
		/* nothing was recorded: leave no empty trace behind */
		sca_tracefiles__discard(st->out);
		return err;
	}
	st->session_only = true;
	say_learning(l);
	return 0;
}

/* Signals to a signalfd, then the command; then privileges go. */
static int live_start(struct live *l)
{
	struct rec_state *st = l->st;
	const struct sca_record_opts *o = st->o;
	sigset_t mask;
	int err;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);    /* a dropped ssh session stops sca as Ctrl-C would */
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &l->old_mask);
	l->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	if (o->cmd) {
		if ((err = start_command(l)))
			return err;
	} else if (l->src.syscalls) {
		fprintf(stderr, "sca record: recording every syscall of the selected processes from the "
				"sys_enter tracepoint%s%s%s%s; stop with Ctrl-C\n",
			l->src.n > 1 ? ", refusals from the " : "", l->src.n > 1 ? sca_source__name(l->src.src[1]) : "",
			l->src.n > 1 ? " source" : "", o->duration_ns ? ", for the given duration" : "");
	} else {
		fprintf(stderr, "sca record: recording from the %s source%s; stop with Ctrl-C\n", st->source,
			o->duration_ns ? " for the given duration" : "");
	}

	/* The source is open and the command started: from here on the loop
	 * needs only what caps.h lists. */
	if ((err = sca_caps__drop(o->cmd != NULL, o->rotate_size || o->rotate_ns)))
		fprintf(stderr, "sca record: warning: could not drop capabilities: %s\n", strerror(-err));
	return 0;
}

/* How long poll may wait: until the next flush, the end, or the next rotation. */
static int loop_timeout(const struct live *l, uint64_t now)
{
	const struct sca_record_opts *o = l->st->o;
	uint64_t due = sca_tracefiles__rotate_at(l->st->out);
	int timeout = 1000 - (int)((now - l->last_flush) / 1000000ull);

	if (timeout < 0)
		timeout = 0;
	if (l->child_done)
		timeout = 50;
	if (!l->recording)
		timeout = 1000;    /* only waiting for the command: SIGCHLD wakes us */
	if (o->duration_ns && l->recording) {
		int left = (int)((l->start + o->duration_ns - now) / 1000000ull) + 1;
		if (left < timeout)
			timeout = left;
	}
	if (due) {
		int left = now >= due ? 0 : (int)((due - now) / 1000000ull) + 1;
		if (left < timeout)
			timeout = left;
	}
	return timeout;
}

/* A source failed: say so, unless it was a write error, said where it happened. */
static void source_failed(const struct live *l, const struct sca_source *s, int err)
{
	if (!sca_tracefiles__failed(l->st->out))
		sca_cmd_err("record", "reading the %s source: %s", sca_source__name(s), strerror(-err));
}

/* Drain the sources poll found ready; false if one failed. */
static bool loop_read(struct live *l, const struct pollfd *pfd)
{
	struct rec_state *st = l->st;
	uint64_t before = st->events + st->filtered;
	bool busy = false;

	for (int i = 0; i < l->src.n; i++) {
		if (!pfd[i].revents)
			continue;
		int n = sca_source__read(l->src.src[i], on_record, st);
		if (n < 0) {
			source_failed(l, l->src.src[i], n);
			return false;
		}
		busy = busy || n > 8;
	}
	if (st->events + st->filtered != before) {
		l->last_event = sca_clock_ns(CLOCK_MONOTONIC);
		/* Busy: let records pile up for a moment, so the next
		 * drain takes them in batches instead of one wakeup each. */
		if (busy)
			nanosleep(&(struct timespec){ 0, BATCH_WAIT_NS }, NULL);
	}
	return true;
}

/* A stop signal: the command is asked to end (we follow), or we stop. */
static void loop_stop(struct live *l, int sig)
{
	if (l->child && !l->child_done)
		kill(l->child, sig);
	else
		l->stop = true;
}

static void loop_signals(struct live *l)
{
	struct signalfd_siginfo si;

	while (read(l->sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			loop_stop(l, (int)si.ssi_signo);
}

static void loop_reap(struct live *l)
{
	if (l->child && !l->child_done && waitpid(l->child, &l->child_status, WNOHANG) == l->child) {
		l->child_done = true;
		l->settle_from = sca_clock_ns(CLOCK_MONOTONIC);
		/* the tree is done: its counts now, and whether any audit record
		 * can still come (only a thread under a filter makes one) */
		if (l->src.syscalls && l->recording)
			l->drain_now = true;
	}
}

/*
 * The command ended: stop once the sources are quiet, or at the latest. The
 * syscall source is drained at the end whatever happens; only records of
 * the audit path lag, and only a thread under a filter makes them.
 */
static void loop_settle(struct live *l, uint64_t now)
{
	if (!l->child_done)
		return;
	if (l->src.syscalls && !sca_source__lags(l->src.syscalls)) {
		l->stop = true;
		return;
	}
	uint64_t quiet_since = l->last_event > l->settle_from ? l->last_event : l->settle_from;
	if (!l->recording || now - quiet_since >= SETTLE_NS || now - l->settle_from >= SETTLE_MAX_NS)
		l->stop = true;
}

/* Once a second and at the end: losses, the trace to disk, the live view. */
static bool loop_flush(struct live *l, uint64_t now)
{
	struct rec_state *st = l->st;
	bool ok = true;
	int err;

	l->last_flush = now;
	sca_tracker_feed__check_drops(st->trf);
	if (st->tr)
		sca_tracker__set_offset(st->tr, sca_clock_boot_offset());
	for (int i = 0; i < l->src.n && ok; i++)
		if ((err = sca_source__check_drops(l->src.src[i], on_record, st))) {
			source_failed(l, l->src.src[i], err);
			ok = false;
		}
	if (ok && sca_tracefiles__flush(st->out))
		ok = false;
	if (printing(st) && fflush(st->o->printer.out) == EOF && print_failed(st))
		stop_requested = 1;
	return ok;
}

/*
 * Stop recording at once, the trace kept up to the error. A command is not
 * killed for it: it runs on (signals still reach it) and sca exits 1 when
 * it ends. True if there is nothing left to wait for.
 */
static bool stop_recording(struct live *l)
{
	l->rc = SCA_EXIT_FAILURE;
	sca_tracefiles__stop(l->st->out);
	sca_sources__close(&l->src);
	l->recording = false;
	if (!l->child || l->child_done)
		return true;
	fprintf(stderr, "sca record: no longer recording; waiting for %s (pid %d) to exit\n",
		l->st->o->cmd[0], (int)l->child);
	return false;
}

static void live_loop(struct live *l)
{
	const struct sca_record_opts *o = l->st->o;
	struct pollfd pfd[SCA_SOURCES_MAX + 3];
	int trfd = sca_tracker_feed__fd(l->st->trf), ctfd = sca_containers__watch_fd(l->st->ct);

	l->start = l->last_flush = sca_clock_ns(CLOCK_MONOTONIC);
	while (!l->stop) {
		uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);
		int n = l->src.n;
		bool ok = true;

		if (o->duration_ns && l->recording && now >= l->start + o->duration_ns)
			break;
		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ sca_source__fd(l->src.src[i]), POLLIN, 0 };
		pfd[n] = (struct pollfd){ l->sfd, POLLIN, 0 };
		pfd[n + 1] = (struct pollfd){ trfd, POLLIN, 0 };   /* ignored when -1 */
		pfd[n + 2] = (struct pollfd){ ctfd, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n + 3, loop_timeout(l, now)) < 0 && errno != EINTR) {
			sca_cmd_err("record", "poll: %s", strerror(errno));
			l->rc = SCA_EXIT_FAILURE;
			break;
		}
		/* processes and containers first: the records of this batch are about them */
		sca_tracker_feed__read(l->st->trf);
		sca_containers__poll(l->st->ct, now);
		if (l->recording)
			ok = loop_read(l, pfd);
		if (pfd[n].revents)
			loop_signals(l);
		if (stop_requested) {
			/* --print's reader left and no trace is written: as SIGTERM */
			stop_requested = 0;
			loop_stop(l, SIGTERM);
		}
		loop_reap(l);
		now = sca_clock_ns(CLOCK_MONOTONIC);
		if (l->drain_now && ok) {
			int err = sca_source__finish(l->src.syscalls, on_record, l->st);
			l->drain_now = false;
			if (err) {
				source_failed(l, l->src.syscalls, err);
				ok = false;
			}
		}
		loop_settle(l, now);
		if (l->recording && ok && (now - l->last_flush >= FLUSH_NS || l->stop))
			ok = loop_flush(l, now);
		if (l->recording && ok && !l->stop && sca_tracefiles__rotate_if_due(l->st->out, now))
			ok = false;
		if (!ok && stop_recording(l))
			break;
	}
}

/* The command's end, and its status as ours unless recording failed. */
static void live_wait(struct live *l)
{
	if (!l->child)
		return;
	if (!l->child_done) {
		/* we are stopping with the command still running: end it */
		kill(l->child, SIGTERM);
		waitpid(l->child, &l->child_status, 0);
		l->child_done = true;
	}
	if (l->rc == SCA_EXIT_OK) {
		if (WIFEXITED(l->child_status))
			l->rc = WEXITSTATUS(l->child_status);
		else if (WIFSIGNALED(l->child_status))
			l->rc = 128 + WTERMSIG(l->child_status);
	}
}

/* Recording ends: what the sources still hold, into the trace. */
static int live_finish(struct live *l)
{
	int err;

	for (int i = 0; i < l->src.n; i++)
		if ((err = sca_source__finish(l->src.src[i], on_record, l->st))) {
			source_failed(l, l->src.src[i], err);
			return err;
		}
	return 0;
}

/* No events: the likeliest reason, from what was seen and checked at start. */
static void live_quiet(const struct live *l)
{
	const struct rec_state *st = l->st;
	struct sca_doctor_quiet q = {
		.source = l->events_source, .filtered = st->filtered, .calls = st->calls_count,
		.syscalls = l->src.syscalls != NULL, .cmd = st->o->cmd != NULL,
		.log_all = st->o->cmd && !l->src.syscalls && !st->o->profile,
		.profile = st->o->cmd && st->o->profile,
	};

	sca_doctor__say_quiet(l->doc, &q);
}

static int run_live(struct rec_state *st)
{
	struct live l = { .st = st, .sfd = -1, .recording = true, .rc = SCA_EXIT_OK };

	if (live_open(&l)) {
		sca_sources__close(&l.src);
		sca_doctor__free(l.doc);
		state_free(st);
		return SCA_EXIT_FAILURE;
	}
	if (live_start(&l)) {
		l.rc = SCA_EXIT_FAILURE;
	} else {
		live_loop(&l);
		live_wait(&l);
		/* a recording that failed has said why: no guess beside it */
		if (l.recording && live_finish(&l))
			l.rc = SCA_EXIT_FAILURE;
		else if (l.recording && !st->events)
			live_quiet(&l);
	}
	sca_doctor__free(l.doc);
	if (l.sfd >= 0)
		close(l.sfd);
	sigprocmask(SIG_SETMASK, &l.old_mask, NULL);
	sca_sources__close(&l.src);
	return finish(st, l.rc);
}

/*
 * The filter for CALLS records: the kernel selected --pid's trees and the
 * session already, and they are allowed calls, which --code keeps only if
 * it names allow.
 */
static void calls_filter_init(struct rec_state *st)
{
	const struct sca_filter *f = &st->o->filter;

	st->calls_filter = *f;
	st->calls_filter.npids = 0;
	st->calls_filter.ncodes = 0;
	st->calls_code_ok = f->ncodes == 0;
	for (int i = 0; i < f->ncodes; i++)
		st->calls_code_ok |= f->codes[i].action == SCMP_ACT_ALLOW;
}

int sca_record__run(struct sca_record_opts *o)
{
	struct rec_state st = { .o = o };

	/* a closed --print reader is EPIPE, handled; the command gets SIG_DFL back */
	signal(SIGPIPE, SIG_IGN);
	calls_filter_init(&st);
	if (sca_tracefiles__new(&st.out, o))
		return SCA_EXIT_FAILURE;
	/* first of all: an existing trace is not overwritten behind one's back */
	if (!o->force && sca_tracefiles__refuse_existing(st.out)) {
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}
	if (o->import) {
		/* a log file's processes are long gone: /proc would describe others,
		 * so no enricher, and no containers */
		st.source = "import";
		return run_import(&st);
	}
	return run_live(&st);
}
