/* recorder.c - see recorder.h. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/names.h"
#include "config.h"
#include "containers.h"
#include "enrich.h"
#include "learn.h"
#include "recorder.h"
#include "source_audit.h"
#include "source_bpf.h"
#include "trace.h"

/* After the command exits, its last records may still be in flight in
 * kauditd; wait until the socket has been quiet this long. */
#define SETTLE_NS 300000000ull
#define SETTLE_MAX_NS 3000000000ull
/* 1 ms holds ~250 records at full rate: a 64 MiB socket buffer holds far more. */
#define BATCH_WAIT_NS 1000000

/* The source the loop reads: audit netlink or BPF ring buffer. */
struct source {
	const char *name;            /* "audit", "bpf-fentry", "bpf-kprobe" */
	struct sca_audit_source *audit;
	struct sca_bpf_source *bpf;
};

static int source_fd(const struct source *s)
{
	return s->bpf ? sca_bpf_source__fd(s->bpf) : sca_audit_source__fd(s->audit);
}

static int source_drain(struct source *s, sca_audit_cb cb, void *ctx)
{
	return s->bpf ? sca_bpf_source__drain(s->bpf, cb, ctx) : sca_audit_source__drain(s->audit, cb, ctx);
}

static int source_check_drops(struct source *s, sca_audit_cb cb, void *ctx)
{
	return s->bpf ? sca_bpf_source__check_drops(s->bpf, cb, ctx) :
			sca_audit_source__check_drops(s->audit, cb, ctx);
}

static void source_close(struct source *s)
{
	sca_bpf_source__close(s->bpf);
	sca_audit_source__close(s->audit);
	s->bpf = NULL;
	s->audit = NULL;
}

/*
 * Open what o->source asks for. auto: fentry, then kprobe, then audit, and
 * one line says what was chosen and why the others were not.
 */
static int source_open(struct source *s, const struct sca_record_opts *o)
{
	char why[2][256] = { "", "" };
	enum sca_record_source want = o->source;
	int err = -ENOENT;

	if (want == SCA_SOURCE_AUTO || want == SCA_SOURCE_BPF || want == SCA_SOURCE_BPF_FENTRY) {
		err = sca_bpf_source__open(&s->bpf, SCA_BPF_FENTRY, o->ringbuf, why[0], sizeof(why[0]));
		if (!err) {
			s->name = "bpf-fentry";
			goto chosen;
		}
	}
	if (want == SCA_SOURCE_AUTO || want == SCA_SOURCE_BPF || want == SCA_SOURCE_BPF_KPROBE) {
		err = sca_bpf_source__open(&s->bpf, SCA_BPF_KPROBE, o->ringbuf, why[1], sizeof(why[1]));
		if (!err) {
			s->name = "bpf-kprobe";
			goto chosen;
		}
	}
	if (want != SCA_SOURCE_AUTO && want != SCA_SOURCE_AUDIT) {
		sca_cmd_err("record", "the BPF source cannot run here: %s%s%s%s%s",
			    why[0][0] ? "bpf-fentry: " : "", why[0], why[0][0] && why[1][0] ? "; " : "",
			    why[1][0] ? "bpf-kprobe: " : "", why[1]);
		return err;
	}
	if ((err = sca_audit_source__open(&s->audit, o->rcvbuf))) {
		if (err == -EPERM || err == -EACCES)
			sca_cmd_err("record", "reading kernel audit records needs root or CAP_AUDIT_READ");
		else if (err == -EPROTONOSUPPORT)
			sca_cmd_err("record", "this kernel has no audit support (NETLINK_AUDIT)");
		else
			sca_cmd_err("record", "cannot subscribe to audit records: %s", strerror(-err));
		return err;
	}
	s->name = "audit";
	if (want == SCA_SOURCE_AUTO)
		fprintf(stderr, "sca record: source audit (bpf-fentry: %s; bpf-kprobe: %s)\n", why[0], why[1]);
	return 0;
chosen:
	if (want == SCA_SOURCE_AUTO && s->bpf && why[0][0])
		fprintf(stderr, "sca record: source %s (bpf-fentry: %s)\n", s->name, why[0]);
	else if (want == SCA_SOURCE_AUTO)
		fprintf(stderr, "sca record: source %s\n", s->name);
	return 0;
}

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

static int on_record(void *ctx, const struct sca_event *ev, uint64_t lost)
{
	struct rec_state *st = ctx;
	int err;

	if (!ev) {
		struct sca_lost l = { .time_ns = clock_ns(CLOCK_REALTIME), .count = lost, .source = st->source };
		st->lost += lost;
		if (st->w && (err = sca_writer__add_lost(st->w, &l)))
			return err;
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
		return err;
	if (st->o->print)
		sca_printer__event(&st->o->printer, &e);
	return 0;
}

static struct sca_writer *open_writer(struct sca_record_opts *o, const char *source)
{
	struct utsname u;
	char recorder[64];
	uint64_t wall = clock_ns(CLOCK_REALTIME), boot = clock_ns(CLOCK_BOOTTIME);

	uname(&u);
	snprintf(recorder, sizeof(recorder), "sca %s", SCA_VERSION);
	struct sca_trace_meta meta = {
		.host = u.nodename, .kernel = u.release, .source = source, .recorder = recorder,
		.cmdline = o->cmdline, .native_arch = seccomp_arch_native(), .wall_base_ns = wall,
		.boot_offset_ns = (int64_t)(wall - boot),
	};
	return sca_writer__create(o->out, &meta, NULL);
}

static int finish(struct rec_state *st, int rc)
{
	struct sca_writer_stats ws = { 0 };

	if (st->w) {
		sca_writer__stats(st->w, &ws);
		int err = sca_writer__close(st->w);
		st->w = NULL;
		if (err && !st->err) {
			sca_cmd_err("record", "%s: %s", st->o->out, strerror(-err));
			rc = SCA_EXIT_FAILURE;
		}
		FILE *f = fopen(st->o->out, "re");
		if (f) {
			fseek(f, 0, SEEK_END);
			ws.bytes = (uint64_t)ftell(f);
			fclose(f);
		}
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64
				" bytes (%.1f bytes/event) written to %s\n",
			st->events, st->lost, ws.bytes,
			st->events ? (double)ws.bytes / (double)st->events : 0.0, st->o->out);
	} else {
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost\n", st->events, st->lost);
	}
	if (st->lost)
		fprintf(stderr, "sca record: warning: the kernel dropped %" PRIu64
				" audit records for this recorder (socket buffer overrun)\n",
			st->lost);
	fflush(st->o->printer.out);
	sca_enricher__free(st->en);
	sca_containers__free(st->ct);
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
	int rc = SCA_EXIT_OK, err;

	if (!f) {
		sca_cmd_err("record", "%s: %s", o->import, strerror(errno));
		return finish(st, SCA_EXIT_FAILURE);
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
		if ((err = on_record(st, &ev, 0))) {
			sca_cmd_err("record", "%s: %s", o->out ? o->out : "output", strerror(-err));
			st->err = err;
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

int sca_record__run(struct sca_record_opts *o)
{
	struct rec_state st = { .o = o };
	struct source src = { 0 };
	sigset_t mask, old;
	int sfd = -1, err, rc = SCA_EXIT_OK;
	pid_t child = 0;
	int child_status = 0;
	bool child_done = false;

	if (sca_enricher__new(&st.en, NULL))
		return SCA_EXIT_FAILURE;
	if (o->import) {
		/* a log file's processes are long gone: /proc would describe others */
		sca_enricher__free(st.en);
		st.en = NULL;
		if (o->out && !(st.w = open_writer(o, "import"))) {
			sca_cmd_err("record", "%s: %s", o->out, strerror(errno));
			return SCA_EXIT_FAILURE;
		}
		return run_import(&st);
	}

	/* read the runtimes' state now, before the first event waits on it */
	if ((err = sca_containers__new(&st.ct, o->roots, (size_t)o->nroots, o->docker_root))) {
		sca_cmd_err("record", "container state: %s", strerror(-err));
		sca_enricher__free(st.en);
		return SCA_EXIT_FAILURE;
	}
	if ((err = source_open(&src, o))) {
		sca_enricher__free(st.en);
		sca_containers__free(st.ct);
		return SCA_EXIT_FAILURE;
	}
	st.source = src.name;
	/* only now: a missing privilege must not truncate an existing file */
	if (o->out && !(st.w = open_writer(o, src.name))) {
		sca_cmd_err("record", "%s: %s", o->out, strerror(errno));
		source_close(&src);
		sca_enricher__free(st.en);
		sca_containers__free(st.ct);
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
				unlink(o->out);
			}
			rc = SCA_EXIT_FAILURE;
			goto cleanup;
		}
		st.session_only = true;
		if (src.bpf)
			sca_bpf_source__set_session(src.bpf, st.ses);
		fprintf(stderr, "sca record: recording %s (pid %d, audit session %u) from the %s source\n",
			o->cmd[0], (int)child, st.ses, src.name);
	} else {
		fprintf(stderr, "sca record: recording from the %s source%s; stop with Ctrl-C\n", src.name,
			o->duration_ns ? " for the given duration" : "");
	}

	uint64_t start = clock_ns(CLOCK_MONOTONIC), last_flush = start, settle_from = 0, last_event = 0;
	bool stop = false;
	while (!stop) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		int timeout = 1000 - (int)((now - last_flush) / 1000000ull);
		if (timeout < 0)
			timeout = 0;
		if (child_done)
			timeout = 50;
		if (o->duration_ns) {
			uint64_t end = start + o->duration_ns;
			if (now >= end)
				break;
			int left = (int)((end - now) / 1000000ull) + 1;
			if (left < timeout)
				timeout = left;
		}
		struct pollfd pfd[2] = { { source_fd(&src), POLLIN, 0 }, { sfd, POLLIN, 0 } };
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
			sca_cmd_err("record", "poll: %s", strerror(errno));
			rc = SCA_EXIT_FAILURE;
			break;
		}
		if (pfd[0].revents) {
			uint64_t before = st.events + st.filtered;
			err = source_drain(&src, on_record, &st);
			if (err < 0) {
				sca_cmd_err("record", "%s", strerror(-err));
				st.err = err;
				rc = SCA_EXIT_FAILURE;
				break;
			}
			if (st.events + st.filtered != before) {
				last_event = clock_ns(CLOCK_MONOTONIC);
				/* Busy: let records pile up for a moment, so the next
				 * drain takes them in batches instead of one wakeup each. */
				if (err > 8)
					nanosleep(&(struct timespec){ 0, BATCH_WAIT_NS }, NULL);
			}
		}
		if (pfd[1].revents) {
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
		if (child_done) {
			uint64_t quiet_since = last_event > settle_from ? last_event : settle_from;
			if (now - quiet_since >= SETTLE_NS || now - settle_from >= SETTLE_MAX_NS)
				stop = true;
		}
		if (now - last_flush >= 1000000000ull || stop) {
			last_flush = now;
			if ((err = source_check_drops(&src, on_record, &st)) ||
			    (st.w && (err = sca_writer__flush(st.w)))) {
				sca_cmd_err("record", "%s: %s", o->out, strerror(-err));
				st.err = err;
				rc = SCA_EXIT_FAILURE;
				break;
			}
			if (o->print)
				fflush(o->printer.out);
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
	source_close(&src);
	return finish(&st, rc);
}
