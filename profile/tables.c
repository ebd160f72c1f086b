/* SPDX-License-Identifier: BSD-2-Clause */
/* Names of seccomp actions, arches, operators, flags and capabilities as
 * profiles spell them. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The first spelling of a value is the one written back by default. */
static const struct {
	const char *name;
	uint32_t action;
} actions[] = {
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
};

/*
 * The OCI runtime-spec list. LoongArch is given by value: libseccomp 2.5
 * has no constant for it (and no support: the filter builder skips it).
 */
static const struct {
	const char *name;
	const char *docker;        /* Docker's word for includes/excludes "arches" */
	uint32_t arch;
} arches[] = {
	{ "SCMP_ARCH_X86", "x86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", "amd64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", "x32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", "arm", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", "arm64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", "mips", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", "mips64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", "mips64n32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", "mipsle", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", "mipsel64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", "mips3l64n32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", "ppc", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", "ppc64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", "ppc64le", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", "s390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", "s390x", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", "parisc", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", "parisc64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", "riscv64", SCMP_ARCH_RISCV64 },
	{ "SCMP_ARCH_LOONGARCH64", "loong64", 0xc0000102u },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct {
	const char *name;
	unsigned flag;
} flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

#define CAP(c) { #c, c }
static const struct {
	const char *name;
	unsigned cap;
} caps[] = {
	CAP(CAP_CHOWN), CAP(CAP_DAC_OVERRIDE), CAP(CAP_DAC_READ_SEARCH), CAP(CAP_FOWNER),
	CAP(CAP_FSETID), CAP(CAP_KILL), CAP(CAP_SETGID), CAP(CAP_SETUID), CAP(CAP_SETPCAP),
	CAP(CAP_LINUX_IMMUTABLE), CAP(CAP_NET_BIND_SERVICE), CAP(CAP_NET_BROADCAST),
	CAP(CAP_NET_ADMIN), CAP(CAP_NET_RAW), CAP(CAP_IPC_LOCK), CAP(CAP_IPC_OWNER),
	CAP(CAP_SYS_MODULE), CAP(CAP_SYS_RAWIO), CAP(CAP_SYS_CHROOT), CAP(CAP_SYS_PTRACE),
	CAP(CAP_SYS_PACCT), CAP(CAP_SYS_ADMIN), CAP(CAP_SYS_BOOT), CAP(CAP_SYS_NICE),
	CAP(CAP_SYS_RESOURCE), CAP(CAP_SYS_TIME), CAP(CAP_SYS_TTY_CONFIG), CAP(CAP_MKNOD),
	CAP(CAP_LEASE), CAP(CAP_AUDIT_WRITE), CAP(CAP_AUDIT_CONTROL), CAP(CAP_SETFCAP),
	CAP(CAP_MAC_OVERRIDE), CAP(CAP_MAC_ADMIN), CAP(CAP_SYSLOG), CAP(CAP_WAKE_ALARM),
	CAP(CAP_BLOCK_SUSPEND), CAP(CAP_AUDIT_READ), CAP(CAP_PERFMON), CAP(CAP_BPF),
	CAP(CAP_CHECKPOINT_RESTORE),
};
#undef CAP

int sca_profile_action__parse(const char *name, uint32_t *action)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(actions[i].name, name) == 0) {
			*action = actions[i].action;
			return 0;
		}
	}
	return -ENOENT;
}

const char *sca_profile_action__name(uint32_t action)
{
	action &= 0xffff0000u;
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (actions[i].action == action)
			return actions[i].name;
	return NULL;
}

const char *sca_profile_rule__action_name(const struct sca_profile_rule *r)
{
	uint32_t a;

	if (r->action_name && sca_profile_action__parse(r->action_name, &a) == 0 &&
	    a == (r->action & 0xffff0000u))
		return r->action_name;
	return sca_profile_action__name(r->action);
}

int sca_profile_arch__parse(const char *name, uint32_t *arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++) {
		if (strcmp(arches[i].name, name) == 0) {
			*arch = arches[i].arch;
			return 0;
		}
	}
	return -ENOENT;
}

const char *sca_profile_arch__name(uint32_t arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (arches[i].arch == arch)
			return arches[i].name;
	return NULL;
}

const char *sca_profile_arch__docker_name(uint32_t arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (arches[i].arch == arch)
			return arches[i].docker;
	return NULL;
}

int sca_profile_op__parse(const char *name, enum scmp_compare *op)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		if (strcmp(ops[i].name, name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	}
	return -ENOENT;
}

const char *sca_profile_op__name(enum scmp_compare op)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (ops[i].op == op)
			return ops[i].name;
	return NULL;
}

static const char *const op_signs[] = {
	[SCMP_CMP_NE] = "!=", [SCMP_CMP_LT] = "<",  [SCMP_CMP_LE] = "<=",
	[SCMP_CMP_EQ] = "==", [SCMP_CMP_GE] = ">=", [SCMP_CMP_GT] = ">",
};

/* Small numbers read best in decimal, flags and masks in hex. */
static const char *num_str(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, v < 65536 ? "%llu" : "0x%llx", (unsigned long long)v);
	return buf;
}

const char *sca_profile_arg__str(const struct sca_profile_arg *a, char *buf, size_t len)
{
	char v1[24], v2[24];

	if (a->op == SCMP_CMP_MASKED_EQ)
		snprintf(buf, len, "arg%u & 0x%llx == %s", a->index, (unsigned long long)a->value,
			 num_str(a->value_two, v2, sizeof(v2)));
	else if ((unsigned)a->op < ARRAY_SIZE(op_signs) && op_signs[a->op])
		snprintf(buf, len, "arg%u %s %s", a->index, op_signs[a->op], num_str(a->value, v1, sizeof(v1)));
	else
		snprintf(buf, len, "arg%u ?(%d) %s", a->index, (int)a->op, num_str(a->value, v1, sizeof(v1)));
	return buf;
}

const char *sca_profile_rule__args_str(const struct sca_profile_rule *r, char *buf, size_t len)
{
	size_t used = 0;
	char one[96];

	if (len)
		buf[0] = '\0';
	if (!r->nargs) {
		snprintf(buf, len, "any arguments");
		return buf;
	}
	for (size_t i = 0; i < r->nargs && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " && " : "",
					 sca_profile_arg__str(&r->args[i], one, sizeof(one)));
	return buf;
}

int sca_profile_flag__parse(const char *name, unsigned *flag)
{
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		if (strcmp(flags[i].name, name) == 0) {
			*flag = flags[i].flag;
			return 0;
		}
	}
	return -ENOENT;
}

const char *sca_profile_flag__name(unsigned flag)
{
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (flags[i].flag == flag)
			return flags[i].name;
	return NULL;
}

int sca_profile_cap__parse(const char *name, unsigned *cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(caps); i++) {
		if (strcmp(caps[i].name, name) == 0) {
			*cap = caps[i].cap;
			return 0;
		}
	}
	return -ENOENT;
}

static const char *kernel_num(const char *s, unsigned *v)
{
	unsigned long x = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++) {
		x = x * 10 + (unsigned long)(*s - '0');
		if (x > 1000000)
			return NULL;
	}
	*v = (unsigned)x;
	return s;
}

int profile_kernel_parse(const char *s, unsigned v[3])
{
	/* Docker wants MAJOR.MINOR; a patch level and any suffix ("-rc1") may follow */
	v[0] = v[1] = v[2] = 0;
	s = kernel_num(s, &v[0]);
	if (!s || *s != '.')
		return -EINVAL;
	s = kernel_num(s + 1, &v[1]);
	if (!s)
		return -EINVAL;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9')
		kernel_num(s + 1, &v[2]);
	return 0;
}
