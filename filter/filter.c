/* SPDX-License-Identifier: BSD-2-Clause */
/* filter.c - see filter.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/action.h"
#include "common/names.h"
#include "filter.h"

static const char *const options[] = {
	[SCA_FILTER_PID] = "--pid",             [SCA_FILTER_COMM] = "--comm",
	[SCA_FILTER_EXE] = "--exe",             [SCA_FILTER_SYSCALL] = "--syscall",
	[SCA_FILTER_CODE] = "--code",           [SCA_FILTER_CONTAINER] = "--container",
	[SCA_FILTER_POD] = "--pod",             [SCA_FILTER_NAMESPACE] = "--namespace",
};

const char *sca_filter_key__option(enum sca_filter_key key)
{
	return (unsigned)key < sizeof(options) / sizeof(options[0]) ? options[key] : "?";
}

static int parse_pid(const char *s, int32_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x7fffffff)
		return -EINVAL;
	*pid = (int32_t)v;
	return 0;
}

static int parse_code(const char *s, struct sca_filter_code *c)
{
	uint32_t code;
	int ret = sca_action_parse(s, SCA_ACTION_PARSE_DATA, NULL, &code);

	if (ret < 0)
		return ret;
	c->action = code & SECCOMP_RET_ACTION_FULL;
	c->has_data = ret > 0;
	c->data = code & SECCOMP_RET_DATA;
	return 0;
}

/* The string list KEY fills, or NULL for the keys with typed values. */
static const char **str_list(struct sca_filter *f, enum sca_filter_key key, int **n)
{
	switch (key) {
	case SCA_FILTER_COMM: *n = &f->ncomms; return f->comms;
	case SCA_FILTER_EXE: *n = &f->nexes; return f->exes;
	case SCA_FILTER_SYSCALL: *n = &f->nsyscalls; return f->syscalls;
	case SCA_FILTER_CONTAINER: *n = &f->ncontainers; return f->containers;
	case SCA_FILTER_POD: *n = &f->npods; return f->pods;
	case SCA_FILTER_NAMESPACE: *n = &f->nnamespaces; return f->namespaces;
	default: return NULL;
	}
}

static int add_one(struct sca_filter *f, enum sca_filter_key key, char *v, char *err, size_t errlen)
{
	const char **list;
	int *n, ret = 0;

	if ((list = str_list(f, key, &n))) {
		if (*n == SCA_FILTER_MAX)
			return -E2BIG;
		list[(*n)++] = v;
		return 0;
	}
	if (key == SCA_FILTER_PID) {
		if (f->npids == SCA_FILTER_MAX)
			return -E2BIG;
		if (!(ret = parse_pid(v, &f->pids[f->npids])))
			f->npids++;
	} else if (key == SCA_FILTER_CODE) {
		if (f->ncodes == SCA_FILTER_MAX)
			return -E2BIG;
		if (!(ret = parse_code(v, &f->codes[f->ncodes])))
			f->ncodes++;
	} else {
		ret = -EINVAL;
	}
	if (ret == -EINVAL && err)
		snprintf(err, errlen, key == SCA_FILTER_CODE ? "unknown %s '%s'" : "bad %s '%s'",
			 sca_filter_key__option(key), v);
	return ret;
}

int sca_filter__add(struct sca_filter *f, enum sca_filter_key key, char *arg, char *err,
		    size_t errlen)
{
	char *save = NULL;
	int ret;

	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if ((ret = add_one(f, key, tok, err, errlen))) {
			if (ret == -E2BIG && err)
				snprintf(err, errlen, "too many %s values (at most %d)",
					 sca_filter_key__option(key), SCA_FILTER_MAX);
			return ret;
		}
	}
	return 0;
}

static bool in_list(const char *v, const char *const *list, int n)
{
	for (int i = 0; v && i < n; i++)
		if (!strcmp(v, list[i]))
			return true;
	return false;
}

static bool code_matches(const struct sca_filter *f, uint32_t code)
{
	uint32_t action = code & SECCOMP_RET_ACTION_FULL, data = code & SECCOMP_RET_DATA;

	for (int i = 0; i < f->ncodes; i++)
		if (f->codes[i].action == action && (!f->codes[i].has_data || f->codes[i].data == data))
			return true;
	return false;
}

static bool pid_matches(const struct sca_filter *f, int32_t pid)
{
	for (int i = 0; i < f->npids; i++)
		if (f->pids[i] == pid)
			return true;
	return false;
}

bool sca_filter__keep_event(const struct sca_filter *f, const struct sca_event *e)
{
	if (f->npids && !pid_matches(f, e->pid))
		return false;
	if (f->ncomms && !in_list(e->comm, f->comms, f->ncomms))
		return false;
	if (f->nexes && !in_list(e->exe, f->exes, f->nexes))
		return false;
	if (f->ncodes && !code_matches(f, e->code))
		return false;
	if (f->nsyscalls) {
		char buf[32];
		const char *name = sca_syscall_name(e->arch, e->syscall, buf, sizeof(buf));
		if (!in_list(name, f->syscalls, f->nsyscalls))
			return false;
	}
	return true;
}

bool sca_filter__id_prefix(const char *id, const char *prefix)
{
	return id && !strncasecmp(id, prefix, strlen(prefix));
}

static bool container_matches(const struct sca_filter *f, const struct sca_container *c)
{
	for (int i = 0; c && i < f->ncontainers; i++)
		if ((c->name && !strcmp(c->name, f->containers[i])) ||
		    sca_filter__id_prefix(c->id, f->containers[i]))
			return true;
	return false;
}

bool sca_filter__keep_container(const struct sca_filter *f, const struct sca_container *c)
{
	if (f->host_only)
		return !c;
	if (f->ncontainers && !container_matches(f, c))
		return false;
	if (f->npods && !(c && in_list(c->pod, f->pods, f->npods)))
		return false;
	if (f->nnamespaces && !(c && in_list(c->pod_namespace, f->namespaces, f->nnamespaces)))
		return false;
	return true;
}

bool sca_filter__keep(const struct sca_filter *f, const struct sca_event *e)
{
	return sca_filter__keep_event(f, e) && sca_filter__keep_container(f, e->container);
}

bool sca_filter__has_container_keys(const struct sca_filter *f)
{
	return f->host_only || f->ncontainers || f->npods || f->nnamespaces;
}
