/* recorder.c - see recorder.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/names.h"
#include "config.h"
#include "containers.h"
#include "audit_parse.h"
#include "caps.h"
#include "enrich.h"
#include "learn.h"
#include "recorder.h"
#include "source.h"
#include "trace.h"

/* After the command exits, its last records may still be in flight in
 * kauditd; wait until the sources have been quiet this long. */
#define SETTLE_NS 300000000ull
#define SETTLE_MAX_NS 3000000000ull
/* 1 ms holds ~250 records at full rate: a 64 MiB socket buffer holds far more. */
#define BATCH_WAIT_NS 1000000

/* A trace file closed, for the summary. */
struct trace_file {
	char *path;
	uint64_t events, lost, bytes;
};

struct rec_state {
	struct sca_record_opts *o;
	const char *source;
	struct sca_writer *w;
	struct sca_enricher *en;
	struct sca_containers *ct;   /* NULL for --import */
	bool session_only;
	uint32_t ses;
	uint64_t events, lost, filtered;
	int err;

	/* the trace: o->out, or rotating, BASE.0001.trace, BASE.0002.trace ... */
	char *base;                  /* rotating: o->out without ".trace" */
	char *path;                  /* the file w writes */
	unsigned seq;                /* its number, rotating */
	uint64_t opened_ns;          /* CLOCK_MONOTONIC when it was opened */
	struct trace_file *files;    /* closed so far */
	size_t nfiles;
	bool write_failed;           /* the trace could not be written: recording stops */
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool keep(const struct rec_state *st, const struct sca_event *e)
{
	const struct sca_record_opts *o = st->o;
	bool ok;

	if (st->session_only && e->ses != st->ses)
		return false;
	if (o->npids) {
		ok = false;
		for (int i = 0; i < o->npids && !ok; i++)
			ok = e->pid == o->pids[i];
		if (!ok)
			return false;
	}
	if (o->ncomms) {
		ok = false;
		for (int i = 0; i < o->ncomms && !ok; i++)
			ok = e->comm && strcmp(e->comm, o->comms[i]) == 0;
		if (!ok)
			return false;
	}
	if (o->ncodes) {
		ok = false;
		for (int i = 0; i < o->ncodes && !ok; i++)
			ok = (e->code & 0xffff0000u) == o->codes[i];
		if (!ok)
			return false;
	}
	if (o->nsyscalls) {
		char buf[32];
		const char *name = sca_syscall_name(e->arch, e->syscall, buf, sizeof(buf));
		ok = false;
		for (int i = 0; i < o->nsyscalls && !ok; i++)
			ok = strcmp(name, o->syscalls[i]) == 0;
		if (!ok)
			return false;
	}
	return true;
}

/* --container, --pod, --namespace, --host: known only after the lookup. */
static bool keep_container(const struct sca_record_opts *o, const struct sca_container *c)
{
	bool ok;

	if (o->host_only)
		return !c;
	if (o->ncontainers) {
		ok = false;
		for (int i = 0; c && i < o->ncontainers && !ok; i++)
			ok = (c->name && !strcmp(c->name, o->containers[i])) ||
			     (c->id && !strncmp(c->id, o->containers[i], strlen(o->containers[i])));
		if (!ok)
			return false;
	}
	if (o->npods) {
		ok = false;
		for (int i = 0; c && c->pod && i < o->npods && !ok; i++)
			ok = !strcmp(c->pod, o->pods[i]);
		if (!ok)
			return false;
	}
	if (o->nnamespaces) {
		ok = false;
		for (int i = 0; c && c->pod_namespace && i < o->nnamespaces && !ok; i++)
			ok = !strcmp(c->pod_namespace, o->namespaces[i]);
		if (!ok)
			return false;
	}
	return true;
}

static bool rotating(const struct sca_record_opts *o)
{
	return o->rotate_size || o->rotate_ns;
}

/* The first write error is reported, as "PATH: problem"; recording stops. */
static int write_error(struct rec_state *st, const char *path, int err)
{
	if (!st->write_failed)
		sca_cmd_err("record", "%s: %s", path, strerror(-err));
	st->write_failed = true;
	if (!st->err)
		st->err = err;
	return err;
}

/* Is NAME a file of the rotated set whose file names start with PREFIX? */
static bool set_member(const char *name, const char *prefix)
{
	size_t n = strlen(prefix), digits = 0;

	if (strncmp(name, prefix, n) || name[n] != '.')
		return false;
	name += n + 1;
	while (name[digits] >= '0' && name[digits] <= '9')
		digits++;
	return digits >= 4 && !strcmp(name + digits, ".trace");
}

/*
 * The files of an earlier set beside st->base: with remove, delete them
 * (--force), else report the first by name as already there.
 */
static int earlier_set(struct rec_state *st, bool remove)
{
	const char *slash = strrchr(st->base, '/');
	const char *prefix = slash ? slash + 1 : st->base;
	int dl = slash ? (int)(slash - st->base) + 1 : 0, err = 0;
	char *dir = dl ? strndup(st->base, (size_t)dl) : strdup("."), *first = NULL;
	struct dirent *de;
	DIR *d;

	if (!dir)
		return write_error(st, st->o->out, -ENOMEM);
	/* a directory that cannot be read holds no set; creating the trace says why */
	if (!(d = opendir(dir))) {
		free(dir);
		return 0;
	}
	while ((de = readdir(d))) {
		if (!set_member(de->d_name, prefix))
			continue;
		if (remove) {
			if (unlinkat(dirfd(d), de->d_name, 0) && errno != ENOENT) {
				err = -errno;
				sca_cmd_err("record", "%.*s%s: %s", dl, st->base, de->d_name, strerror(errno));
				break;
			}
		} else if (!first || strcmp(de->d_name, first) < 0) {
			free(first);
			if (!(first = strdup(de->d_name))) {
				err = -ENOMEM;
				break;
			}
		}
	}
	closedir(d);
	free(dir);
	if (first) {
		sca_cmd_err("record", "%.*s%s: already exists (use --force to replace it)", dl, st->base, first);
		err = -EEXIST;
	}
	free(first);
	return err;
}

/*
 * Before anything starts: an existing trace is refused without --force.
 * Creating it exclusively is what guarantees it; this only says so before
 * a source is opened or a command started.
 */
static int refuse_existing(struct rec_state *st)
{
	struct stat sb;

	if (rotating(st->o))
		return earlier_set(st, false);
	if (lstat(st->o->out, &sb) == 0) {
		sca_cmd_err("record", "%s: already exists (use --force to replace it)", st->o->out);
		return -EEXIST;
	}
	return 0;
}

static struct sca_writer *open_writer(struct rec_state *st)
{
	struct utsname u;
	char recorder[64];
	uint64_t wall = clock_ns(CLOCK_REALTIME), boot = clock_ns(CLOCK_BOOTTIME);

	uname(&u);
	snprintf(recorder, sizeof(recorder), "sca %s", SCA_VERSION);
	struct sca_trace_meta meta = {
		.host = u.nodename, .kernel = u.release, .source = st->source, .recorder = recorder,
		.cmdline = st->o->cmdline, .native_arch = seccomp_arch_native(), .wall_base_ns = wall,
		.boot_offset_ns = (int64_t)(wall - boot),
	};
	struct sca_writer_opts wo = { .sz = sizeof(wo), .exclusive = true };
	return sca_writer__create(st->path, &meta, &wo);
}

/* Begin the next trace file: o->out, or the set's next one. */
static int open_trace(struct rec_state *st)
{
	const struct sca_record_opts *o = st->o;
	char *path = NULL;

	if (rotating(o) ? asprintf(&path, "%s.%04u.trace", st->base, st->seq + 1) < 0 :
			  !(path = strdup(o->out)))
		return write_error(st, o->out, -ENOMEM);
	st->seq++;
	free(st->path);
	st->path = path;
	/* replaced, not truncated: a new file is 0600 whatever the old one was */
	if (o->force && unlink(path) && errno != ENOENT)
		return write_error(st, path, -errno);
	if (!(st->w = open_writer(st))) {
		int err = -errno;
		if (err == -EEXIST) {
			sca_cmd_err("record", "%s: already exists (use --force to replace it)", path);
			st->write_failed = true;
			st->err = err;
			return err;
		}
		return write_error(st, path, err);
	}
	st->opened_ns = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/* Close the current file (footer, unless a write failed) and list it. */
static int close_trace(struct rec_state *st)
{
	struct sca_writer_stats ws;
	struct stat sb;
	int err;

	if (!st->w)
		return 0;
	sca_writer__stats(st->w, &ws);
	err = sca_writer__close(st->w);
	st->w = NULL;
	if (err)
		write_error(st, st->path, err);
	struct trace_file *f = realloc(st->files, (st->nfiles + 1) * sizeof(*f));
	if (f) {
		st->files = f;
		f[st->nfiles++] = (struct trace_file){
			.path = st->path, .events = ws.events, .lost = ws.lost,
			.bytes = stat(st->path, &sb) == 0 ? (uint64_t)sb.st_size : ws.bytes,
		};
		st->path = NULL;
	}
	return err;
}

static bool rotate_due(const struct rec_state *st, uint64_t now)
{
	const struct sca_record_opts *o = st->o;
	struct sca_writer_stats ws;

	if (!st->w || !rotating(o))
		return false;
	if (o->rotate_ns && now - st->opened_ns >= o->rotate_ns)
		return true;
	if (!o->rotate_size)
		return false;
	/* what is on disk: a file ends at the first chunk boundary past the size */
	sca_writer__stats(st->w, &ws);
	return ws.bytes >= o->rotate_size;
}

static int rotate(struct rec_state *st)
{
	int err = close_trace(st);
	return err ? err : open_trace(st);
}

static int on_record(void *ctx, const struct sca_event *ev, uint64_t lost)
{
	struct rec_state *st = ctx;
	int err;

	if (!ev) {
		struct sca_lost l = { .time_ns = clock_ns(CLOCK_REALTIME), .count = lost, .source = st->source };
		st->lost += lost;
		if (st->w && (err = sca_writer__add_lost(st->w, &l)))
			return write_error(st, st->path, err);
		if (st->o->print)
			sca_printer__lost(&st->o->printer, l.time_ns, lost, st->source);
		return 0;
	}
	if (!keep(st, ev)) {
		st->filtered++;
		return 0;
	}
	struct sca_event e = *ev;
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	if (st->en)
		sca_enricher__fill(st->en, &e, now);
	if (st->ct && !e.container)
		e.container = sca_containers__lookup(st->ct, &e, now);
	if (!keep_container(st->o, e.container)) {
		st->filtered++;
		return 0;
	}
	st->events++;
	if (st->w && (err = sca_writer__add_event(st->w, &e)))
		return write_error(st, st->path, err);
	if (st->o->print)
		sca_printer__event(&st->o->printer, &e);
	if (rotate_due(st, now) && (err = rotate(st)))
		return err;
	return 0;
}

/* With --force, an earlier set goes first; then the first file. */
static int begin_trace(struct rec_state *st)
{
	int err;

	if (rotating(st->o) && st->o->force && (err = earlier_set(st, true))) {
		st->write_failed = true;
		return err;
	}
	return open_trace(st);
}

static void state_free(struct rec_state *st)
{
	for (size_t i = 0; i < st->nfiles; i++)
		free(st->files[i].path);
	free(st->files);
	free(st->path);
	free(st->base);
	sca_enricher__free(st->en);
	sca_containers__free(st->ct);
	st->en = NULL;
	st->ct = NULL;
}

static int finish(struct rec_state *st, int rc)
{
	const struct sca_record_opts *o = st->o;
	uint64_t bytes = 0;

	if (close_trace(st) || st->write_failed)
		rc = SCA_EXIT_FAILURE;
	for (size_t i = 0; i < st->nfiles; i++)
		bytes += st->files[i].bytes;
	if (st->write_failed && st->nfiles)
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost; recording stopped, "
				"%s keeps its complete chunks\n",
			st->events, st->lost, st->files[st->nfiles - 1].path);
	else if (st->nfiles)
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64
				" bytes (%.1f bytes/event) written to %s%s\n",
			st->events, st->lost, bytes, st->events ? (double)bytes / (double)st->events : 0.0,
			rotating(o) ? "" : st->files[0].path, rotating(o) ? "these files:" : "");
	else
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost\n", st->events, st->lost);
	for (size_t i = 0; rotating(o) && i < st->nfiles; i++)
		fprintf(stderr, "sca record:   %s: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64 " bytes\n",
			st->files[i].path, st->files[i].events, st->files[i].lost, st->files[i].bytes);
	if (st->lost)
		fprintf(stderr, "sca record: warning: the kernel dropped %" PRIu64
				" audit records for this recorder (socket buffer overrun)\n",
			st->lost);
	fflush(o->printer.out);
	state_free(st);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

static int run_import(struct rec_state *st)
{
	struct sca_record_opts *o = st->o;
	FILE *f = strcmp(o->import, "-") ? fopen(o->import, "re") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t lineno = 0, skipped = 0, malformed = 0;
	struct sca_audit_strings strs;
	int rc = SCA_EXIT_OK;

	if (!f) {
		sca_cmd_err("record", "%s: %s", o->import, strerror(errno));
		return finish(st, SCA_EXIT_FAILURE);
	}
	/* the log is readable: only now create the trace */
	if (o->out && begin_trace(st)) {
		if (f != stdin)
			fclose(f);
		state_free(st);
		return SCA_EXIT_FAILURE;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		struct sca_event ev;
		lineno++;
		int k = sca_audit__parse_line(line, (size_t)len, &ev, &strs);
		if (k == 0) {
			skipped++;
			continue;
		}
		if (k < 0) {
			malformed++;
			sca_cmd_err("record", "%s:%" PRIu64 ": malformed seccomp record, skipped", o->import, lineno);
			continue;
		}
		if (on_record(st, &ev, 0)) {
			/* a write error, reported where it happened */
			rc = SCA_EXIT_FAILURE;
			break;
		}
	}
	if (ferror(f)) {
		sca_cmd_err("record", "%s: read error", o->import);
		rc = SCA_EXIT_FAILURE;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	fprintf(stderr, "sca record: %s: %" PRIu64 " lines, %" PRIu64 " seccomp records, %" PRIu64
			" other lines skipped, %" PRIu64 " malformed\n",
		o->import, lineno, lineno - skipped - malformed, skipped, malformed);
	if (malformed && rc == SCA_EXIT_OK)
		rc = SCA_EXIT_FAILURE;
	return finish(st, rc);
}

/* ---- live ------------------------------------------------------------- */

/* The trace or the source failed: stop reading, keep what was written. */
static void stop_recording(struct rec_state *st, struct sca_sources *src)
{
	close_trace(st);
	sca_sources__close(src);
}

int sca_record__run(struct sca_record_opts *o)
{
	struct rec_state st = { .o = o };
	struct sca_sources src = { 0 };
	sigset_t mask, old;
	int sfd = -1, err, rc = SCA_EXIT_OK;
	pid_t child = 0;
	int child_status = 0;
	bool child_done = false, recording = true;

	if (o->out && rotating(o)) {
		size_t n = strlen(o->out);
		if (n > 6 && !strcmp(o->out + n - 6, ".trace"))
			n -= 6;
		if (!(st.base = strndup(o->out, n))) {
			sca_cmd_err("record", "%s: %s", o->out, strerror(ENOMEM));
			return SCA_EXIT_FAILURE;
		}
	}
	/* first of all: an existing trace is not overwritten behind one's back */
	if (o->out && !o->force && refuse_existing(&st)) {
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}
	if (sca_enricher__new(&st.en, NULL)) {
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}
	if (o->import) {
		/* a log file's processes are long gone: /proc would describe others */
		sca_enricher__free(st.en);
		st.en = NULL;
		st.source = "import";
		return run_import(&st);
	}

	/* read the runtimes' state now, before the first event waits on it */
	if ((err = sca_containers__new(&st.ct, o->roots, (size_t)o->nroots, o->docker_root))) {
		sca_cmd_err("record", "container state: %s", strerror(-err));
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}
	if ((err = sca_sources__open(&src, o))) {
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}
	st.source = sca_source__name(src.src[0]);
	/* only now: a missing privilege must not touch an existing file */
	if (o->out && begin_trace(&st)) {
		sca_sources__close(&src);
		state_free(&st);
		return SCA_EXIT_FAILURE;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	if (o->cmd) {
		char why[256];
		if ((err = sca_learn__spawn(o->cmd, o->profile, &child, &st.ses, why, sizeof(why)))) {
			sca_cmd_err("record", "%s", why);
			/* nothing was recorded: leave no empty trace behind */
			if (st.w) {
				sca_writer__close(st.w);
				st.w = NULL;
				unlink(st.path);
			}
			rc = SCA_EXIT_FAILURE;
			goto cleanup;
		}
		st.session_only = true;
		for (int i = 0; i < src.n; i++)
			sca_source__set_session(src.src[i], st.ses);
		fprintf(stderr, "sca record: recording %s (pid %d, audit session %u) from the %s source\n",
			o->cmd[0], (int)child, st.ses, st.source);
	} else {
		fprintf(stderr, "sca record: recording from the %s source%s; stop with Ctrl-C\n", st.source,
			o->duration_ns ? " for the given duration" : "");
	}

	/* The source is open and the command started: from here on the loop
	 * needs only what caps.h lists. */
	if ((err = sca_caps__drop(o->cmd != NULL, o->rotate_size || o->rotate_ns)))
		fprintf(stderr, "sca record: warning: could not drop capabilities: %s\n", strerror(-err));

	uint64_t start = clock_ns(CLOCK_MONOTONIC), last_flush = start, settle_from = 0, last_event = 0;
	bool stop = false;
	while (!stop) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		bool failed = false;
		int timeout = 1000 - (int)((now - last_flush) / 1000000ull);
		if (timeout < 0)
			timeout = 0;
		if (child_done)
			timeout = 50;
		if (!recording)
			timeout = 1000;    /* only waiting for the command: SIGCHLD wakes us */
		if (o->duration_ns && recording) {
			uint64_t end = start + o->duration_ns;
			if (now >= end)
				break;
			int left = (int)((end - now) / 1000000ull) + 1;
			if (left < timeout)
				timeout = left;
		}
		if (o->rotate_ns && st.w) {
			uint64_t due = st.opened_ns + o->rotate_ns;
			int left = now >= due ? 0 : (int)((due - now) / 1000000ull) + 1;
			if (left < timeout)
				timeout = left;
		}
		/* the sources first (none once recording stopped), then the signals */
		struct pollfd pfd[SCA_SOURCES_MAX + 1];
		int n = src.n;
		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ sca_source__fd(src.src[i]), POLLIN, 0 };
		pfd[n] = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n + 1, timeout) < 0 && errno != EINTR) {
			sca_cmd_err("record", "poll: %s", strerror(errno));
			rc = SCA_EXIT_FAILURE;
			break;
		}
		uint64_t before = st.events + st.filtered;
		bool busy = false;
		for (int i = 0; i < n && !failed; i++) {
			if (!pfd[i].revents)
				continue;
			err = sca_source__read(src.src[i], on_record, &st);
			if (err < 0) {
				/* write errors were reported where they happened */
				if (!st.write_failed)
					sca_cmd_err("record", "reading the %s source: %s",
						    sca_source__name(src.src[i]), strerror(-err));
				failed = true;
			}
			busy = busy || err > 8;
		}
		if (!failed && st.events + st.filtered != before) {
			last_event = clock_ns(CLOCK_MONOTONIC);
			/* Busy: let records pile up for a moment, so the next
			 * drain takes them in batches instead of one wakeup each. */
			if (busy)
				nanosleep(&(struct timespec){ 0, BATCH_WAIT_NS }, NULL);
		}
		if (pfd[n].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				if (child && !child_done)
					kill(child, (int)si.ssi_signo);   /* let it end; we follow */
				else
					stop = true;
			}
		}
		if (child && !child_done && waitpid(child, &child_status, WNOHANG) == child) {
			child_done = true;
			settle_from = clock_ns(CLOCK_MONOTONIC);
		}
		now = clock_ns(CLOCK_MONOTONIC);
		if (child_done && !recording)
			stop = true;
		if (child_done) {
			uint64_t quiet_since = last_event > settle_from ? last_event : settle_from;
			if (now - quiet_since >= SETTLE_NS || now - settle_from >= SETTLE_MAX_NS)
				stop = true;
		}
		if (recording && !failed && (now - last_flush >= 1000000000ull || stop)) {
			last_flush = now;
			for (int i = 0; i < src.n && !failed; i++)
				if ((err = sca_source__check_drops(src.src[i], on_record, &st))) {
					if (!st.write_failed)
						sca_cmd_err("record", "reading the %s source: %s",
							    sca_source__name(src.src[i]), strerror(-err));
					failed = true;
				}
			if (!failed && st.w && (err = sca_writer__flush(st.w))) {
				write_error(&st, st.path, err);
				failed = true;
			}
			if (o->print)
				fflush(o->printer.out);
		}
		if (recording && !failed && !stop && rotate_due(&st, now) && rotate(&st))
			failed = true;
		if (failed) {
			/* Stop recording at once, the trace kept up to the error. A
			 * command is not killed for it: it runs on (signals still
			 * reach it) and sca exits 1 when it ends. */
			rc = SCA_EXIT_FAILURE;
			stop_recording(&st, &src);
			recording = false;
			if (!child || child_done)
				break;
			fprintf(stderr, "sca record: no longer recording; waiting for %s (pid %d) to exit\n",
				o->cmd[0], (int)child);
		}
	}
	if (child && !child_done) {
		/* we are stopping with the command still running: end it */
		kill(child, SIGTERM);
		waitpid(child, &child_status, 0);
		child_done = true;
	}
	if (child && rc == SCA_EXIT_OK) {
		if (WIFEXITED(child_status))
			rc = WEXITSTATUS(child_status);
		else if (WIFSIGNALED(child_status))
			rc = 128 + WTERMSIG(child_status);
	}
cleanup:
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	sca_sources__close(&src);
	return finish(&st, rc);
}
