/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_inspect.c - `sca inspect`: a trace's metadata, totals and damage, and
 * with --events every record it holds (events, lost records, counted
 * calls). Reads through format/ only.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/action.h"
#include "common/cli.h"
#include "common/escape.h"
#include "common/names.h"
#include "trace.h"

const char cmd_inspect_usage[] =
	"usage: sca inspect [--events] [--damage] TRACE...\n"
	"\n"
	"Read each TRACE and print its recording metadata, totals, and any\n"
	"damage the reader skipped (truncation, checksum mismatches, a missing\n"
	"footer). Every intact chunk is read even when others are damaged.\n"
	"\n"
	"  --events     also print every record: time, pid, tid, comm, arch,\n"
	"               syscall, action; lost-event records; and counted calls\n"
	"               (their number, \"filtered\" when under a seccomp filter)\n"
	"  --damage     list every damaged region, not only the first 10\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 every trace intact, 1 a trace is damaged or unreadable\n"
	"(what could be read is still printed), 2 usage error.\n";

/*
 * What a trace holds came from traced processes and whoever wrote the
 * file: every string of it is printed escaped (escape.h).
 */

/* What an event and counted calls share: time, pid, tid, comm, arch, syscall. */
static void print_head(const struct sca_event *e)
{
	char t[48], a[16], s[64], comm[SCA_ESC_SIZE(16)];
	const char *cm = e->comm ? e->comm : "?";

	printf("%s %7" PRId32 " %7" PRId32 " ", sca_time_str(e->time_ns, t, sizeof(t)), e->pid, e->tid);
	if (sca_esc(comm, sizeof(comm), cm) < sizeof(comm))
		sca_esc_pad(stdout, comm, 16, false);
	else
		sca_esc_fput(stdout, cm);     /* wider than the column anyway */
	printf(" %-7s %-20s", sca_arch_name(e->arch, a, sizeof(a)),
	       sca_syscall_name(e->arch, e->syscall, s, sizeof(s)));
}

/* The container, if the process has a named one, and the line's end. */
static void print_tail(const struct sca_event *e)
{
	if (e->container && e->container->name) {
		fputs(" [", stdout);
		sca_esc_fput(stdout, e->container->name);
		putchar(']');
	}
	putchar('\n');
}

static void print_event(const struct sca_event *e)
{
	char c[SCA_CODE_STR_MAX];

	print_head(e);
	printf(" %s", sca_code_str(e->code, c, sizeof(c)));
	print_tail(e);
}

/* "calls N" where an event has its action: counted on syscall entry, calls have none. */
static void print_calls(const struct sca_calls *c)
{
	print_head(&c->ev);
	printf(" calls %" PRIu64 "%s%s", c->count, c->flags & SCA_CALLS_FILTERED ? " filtered" : "",
	       c->flags & SCA_CALLS_NO_PROCESS ? " (process unknown)" : "");
	print_tail(&c->ev);
}

/* "LABEL V" with V escaped, or "-" when the trace does not say. */
static void meta_line(const char *label, const char *v)
{
	fputs(label, stdout);
	sca_esc_fput(stdout, v ? v : "-");
	putchar('\n');
}

/* The damage of a trace: the first few regions, the rest summed up unless ALL. */
static void print_damage(const struct sca_damage *d, size_t nd, bool all)
{
	size_t shown = all || nd <= SCA_DAMAGE_LINES ? nd : SCA_DAMAGE_LINES;
	uint64_t bytes = 0;
	char ev[64];

	if (!nd)
		printf("damage:       none\n");
	for (size_t i = 0; i < shown; i++) {
		ev[0] = 0;
		if (d[i].events)
			snprintf(ev, sizeof(ev), " (announced %" PRIu64 " events, lost)", d[i].events);
		printf("damage:       %s at offset %" PRIu64 ", %" PRIu64 " bytes skipped%s\n",
		       sca_damage_kind__str(d[i].kind), d[i].offset, d[i].length, ev);
	}
	for (size_t i = shown; i < nd; i++)
		bytes += d[i].length;
	if (shown < nd)
		printf("damage:       ... and %zu more damaged regions, %" PRIu64
		       " bytes (sca inspect --damage lists all)\n", nd - shown, bytes);
}

static int inspect_one(const char *path, bool events, bool all_damage)
{
	struct sca_reader *r = sca_reader__open(path);
	const struct sca_record *rec;
	char t1[48], t2[48], a[16], epath[SCA_ESC_SIZE(256)];
	int rc;

	/* a file name is anyone's choice too (a directory of traces) */
	sca_esc(epath, sizeof(epath), path);
	if (!r) {
		sca_cmd_err("inspect", "%s: %s", epath, sca_reader__strerror(errno));
		return SCA_EXIT_FAILURE;
	}
	while ((rc = sca_reader__next(r, &rec)) > 0) {
		if (!events)
			continue;
		if (rec->kind == SCA_RECORD_EVENT) {
			print_event(&rec->event);
		} else if (rec->kind == SCA_RECORD_CALLS) {
			print_calls(&rec->calls);
		} else {
			printf("%s LOST %" PRIu64 " events (source ",
			       sca_time_str(rec->lost.time_ns, t1, sizeof(t1)), rec->lost.count);
			sca_esc_fput(stdout, rec->lost.source ? rec->lost.source : "?");
			puts(")");
		}
	}
	if (rc < 0) {
		sca_cmd_err("inspect", "%s: read error: %s", epath, strerror(-rc));
		sca_reader__close(r);
		return SCA_EXIT_FAILURE;
	}

	const struct sca_trace_meta *m = sca_reader__meta(r);
	struct sca_reader_totals tot;
	const struct sca_damage *d;
	unsigned major, minor;
	size_t nd = sca_reader__damage(r, &d);

	sca_reader__totals(r, &tot);
	sca_reader__version(r, &major, &minor);
	meta_line("trace:        ", path);
	printf("format:       %u.%u\n", major, minor);
	meta_line("host:         ", m->host);
	meta_line("kernel:       ", m->kernel);
	printf("native arch:  %s\n", m->native_arch ? sca_arch_name(m->native_arch, a, sizeof(a)) : "-");
	meta_line("source:       ", m->source);
	meta_line("recorder:     ", m->recorder);
	meta_line("command:      ", m->cmdline);
	printf("started:      %s\n", m->wall_base_ns ? sca_time_str(m->wall_base_ns, t1, sizeof(t1)) : "-");
	printf("events:       %" PRIu64 "\n", tot.events);
	printf("lost events:  %" PRIu64 "\n", tot.lost);
	printf("calls:        %" PRIu64 " (%" PRIu64 " CALLS records)\n", tot.calls_count, tot.calls);
	printf("chunks:       %" PRIu64 " read, %" PRIu64 " skipped\n", tot.chunks, tot.chunks_skipped);
	if (tot.events || tot.calls)
		printf("time span:    %s .. %s (%.3f s)\n", sca_time_str(tot.time_min, t1, sizeof(t1)),
		       sca_time_str(tot.time_max, t2, sizeof(t2)),
		       (double)(tot.time_max - tot.time_min) / 1e9);
	if (tot.clean_close)
		printf("closed:       cleanly (footer: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64
		       " chunks, %" PRIu64 " CALLS records)\n",
		       tot.footer_events, tot.footer_lost, tot.footer_chunks, tot.footer_calls);
	else
		printf("closed:       no (no footer found)\n");
	print_damage(d, nd, all_damage);
	sca_reader__close(r);
	return nd ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", no_argument, NULL, 'e' },
		{ "damage", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool events = false, all_damage = false;
	int opt, rc = SCA_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			events = true;
			break;
		case 'd':
			all_damage = true;
			break;
		case 'h':
			return sca_print_usage(stdout, cmd_inspect_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
		default:
			return sca_usage_err("inspect", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return sca_usage_err("inspect", "no TRACE given");
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			putchar('\n');
		if (inspect_one(argv[i], events, all_damage) != SCA_EXIT_OK)
			rc = SCA_EXIT_FAILURE;
	}
	return fflush(stdout) ? SCA_EXIT_FAILURE : rc;
}
