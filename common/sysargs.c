/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysargs.c - see sysargs.h. The table, what each entry keeps out, and the
 * names its values print with. 32-bit kernel arguments (int, unsigned int)
 * are masked to their low half: the kernel reads no more, and a caller may
 * leave anything in the register's upper half (a sign-extended int).
 */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "common/sysargs.h"

#define U32 0xffffffffull
#define CLONE_NS 0x7e020000ull     /* CLONE_NEWNS, _NEWCGROUP, _NEWUTS, _NEWIPC, _NEWUSER, _NEWPID, _NEWNET */
#define PROT_WX 0x6ull             /* PROT_WRITE | PROT_EXEC */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MEM SCA_SYSARG_IN_MEMORY
#define NOF SCA_SYSARG_NO_FILTER

static const struct sca_sysarg_name families[] = {
	{ 0, "AF_UNSPEC" },    { 1, "AF_UNIX" },      { 2, "AF_INET" },     { 3, "AF_AX25" },
	{ 4, "AF_IPX" },       { 5, "AF_APPLETALK" }, { 9, "AF_X25" },      { 10, "AF_INET6" },
	{ 15, "AF_KEY" },      { 16, "AF_NETLINK" },  { 17, "AF_PACKET" },  { 21, "AF_RDS" },
	{ 24, "AF_PPPOX" },    { 29, "AF_CAN" },      { 30, "AF_TIPC" },    { 31, "AF_BLUETOOTH" },
	{ 38, "AF_ALG" },      { 40, "AF_VSOCK" },    { 41, "AF_KCM" },     { 42, "AF_QIPCRTR" },
	{ 43, "AF_SMC" },      { 44, "AF_XDP" },      { 45, "AF_MCTP" },    { 0, NULL },
};

static const struct sca_sysarg_name socktypes[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" },     { 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" }, { 10, "SOCK_PACKET" }, { 0, NULL },
};

static const struct sca_sysarg_name socketcalls[] = {
	{ 1, "SYS_SOCKET" },       { 2, "SYS_BIND" },         { 3, "SYS_CONNECT" },
	{ 4, "SYS_LISTEN" },       { 5, "SYS_ACCEPT" },       { 6, "SYS_GETSOCKNAME" },
	{ 7, "SYS_GETPEERNAME" },  { 8, "SYS_SOCKETPAIR" },   { 9, "SYS_SEND" },
	{ 10, "SYS_RECV" },        { 11, "SYS_SENDTO" },      { 12, "SYS_RECVFROM" },
	{ 13, "SYS_SHUTDOWN" },    { 14, "SYS_SETSOCKOPT" },  { 15, "SYS_GETSOCKOPT" },
	{ 16, "SYS_SENDMSG" },     { 17, "SYS_RECVMSG" },     { 18, "SYS_ACCEPT4" },
	{ 19, "SYS_RECVMMSG" },    { 20, "SYS_SENDMMSG" },    { 0, NULL },
};

/* Bit names; the entry of value 0 names "no bit set". */
static const struct sca_sysarg_name ns_bits[] = {
	{ 0, "no namespace" },
	{ 0x00020000, "CLONE_NEWNS" },   { 0x02000000, "CLONE_NEWCGROUP" }, { 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },  { 0x10000000, "CLONE_NEWUSER" },   { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },  { 0x00000080, "CLONE_NEWTIME" },   { 0, NULL },
};

static const struct sca_sysarg_name unshare_bits[] = {
	{ 0, "nothing" },
	{ 0x00020000, "CLONE_NEWNS" },   { 0x02000000, "CLONE_NEWCGROUP" }, { 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },  { 0x10000000, "CLONE_NEWUSER" },   { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },  { 0x00000080, "CLONE_NEWTIME" },   { 0x00000100, "CLONE_VM" },
	{ 0x00000200, "CLONE_FS" },      { 0x00000400, "CLONE_FILES" },     { 0x00000800, "CLONE_SIGHAND" },
	{ 0x00010000, "CLONE_THREAD" },  { 0x00040000, "CLONE_SYSVSEM" },   { 0, NULL },
};

static const struct sca_sysarg_name nstypes[] = {
	{ 0, "any namespace" },
	{ 0x00020000, "CLONE_NEWNS" },   { 0x02000000, "CLONE_NEWCGROUP" }, { 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },  { 0x10000000, "CLONE_NEWUSER" },   { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },  { 0x00000080, "CLONE_NEWTIME" },   { 0, NULL },
};

static const struct sca_sysarg_name personas[] = {
	{ 0, "PER_LINUX" },           { 8, "PER_LINUX32" },   { 0x20000, "UNAME26" },
	{ 0x20008, "UNAME26|PER_LINUX32" }, { 0xffffffff, "query only" }, { 0, NULL },
};

static const struct sca_sysarg_name prctls[] = {
	{ 1, "PR_SET_PDEATHSIG" },        { 2, "PR_GET_PDEATHSIG" },       { 3, "PR_GET_DUMPABLE" },
	{ 4, "PR_SET_DUMPABLE" },         { 8, "PR_SET_KEEPCAPS" },        { 15, "PR_SET_NAME" },
	{ 16, "PR_GET_NAME" },            { 21, "PR_GET_SECCOMP" },        { 22, "PR_SET_SECCOMP" },
	{ 23, "PR_CAPBSET_READ" },        { 24, "PR_CAPBSET_DROP" },       { 27, "PR_GET_SECUREBITS" },
	{ 28, "PR_SET_SECUREBITS" },      { 29, "PR_SET_TIMERSLACK" },     { 35, "PR_SET_MM" },
	{ 36, "PR_SET_CHILD_SUBREAPER" }, { 37, "PR_GET_CHILD_SUBREAPER" }, { 38, "PR_SET_NO_NEW_PRIVS" },
	{ 39, "PR_GET_NO_NEW_PRIVS" },    { 41, "PR_SET_THP_DISABLE" },    { 47, "PR_CAP_AMBIENT" },
	{ 0x53564d41, "PR_SET_VMA" },     { 0, NULL },
};

static const struct sca_sysarg_name ioctls[] = {
	{ 0x5401, "TCGETS" },     { 0x5402, "TCSETS" },     { 0x5403, "TCSETSW" },    { 0x540e, "TIOCSCTTY" },
	{ 0x540f, "TIOCGPGRP" },  { 0x5410, "TIOCSPGRP" },  { 0x5412, "TIOCSTI" },    { 0x5413, "TIOCGWINSZ" },
	{ 0x5414, "TIOCSWINSZ" }, { 0x541b, "FIONREAD" },   { 0x5421, "FIONBIO" },    { 0x5422, "TIOCNOTTY" },
	{ 0x5441, "TIOCGPTPEER" }, { 0x5450, "FIONCLEX" },  { 0x5451, "FIOCLEX" },    { 0x5452, "FIOASYNC" },
	{ 0x40045431, "TIOCSPTLCK" }, { 0x80045430, "TIOCGPTN" }, { 0, NULL },
};

static const struct sca_sysarg_name prot_bits[] = {
	{ 0, "PROT_NONE" }, { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" }, { 0, NULL },
};

#define FIELD(i, m, w, b, n) { .index = (i), .mask = (m), .what = (w), .bits = (b), .names = (n) }
#define ONE(i, m, w, b, n) .nfields = 1, .field = { FIELD(i, m, w, b, n) }
/* prot, where mmap is the old one (its arguments in memory) */
#define PROT(nm) { .name = nm, .kind = SCA_SYSARG_WX, ONE(2, 0x7, "prot", true, prot_bits), \
	.why = "injected code cannot be written and then run" }

static const struct sca_sysarg_rule table[] = {
	{ .name = "socket", .kind = SCA_SYSARG_VALUES, .nfields = 2,
	  .field = { FIELD(0, U32, "family", false, families),
		     FIELD(1, 0xf, "type", false, socktypes) },   /* without SOCK_NONBLOCK, SOCK_CLOEXEC */
	  .max_values = 16,
	  /* where socket is also reached through socketcall, libseccomp's rule for that form
	   * puts the call number in arg0 and tests the other conditions against socketcall's
	   * arguments, a pointer: only the family can be written for these arches */
	  .other = { { SCMP_ARCH_X86, 1, NOF }, { SCMP_ARCH_S390, 1, NOF }, { SCMP_ARCH_S390X, 1, NOF },
		     { SCMP_ARCH_PPC, 1, NOF }, { SCMP_ARCH_PPC64, 1, NOF }, { SCMP_ARCH_PPC64LE, 1, NOF } },
	  .why = "address families and types never used stay refused: raw and packet sockets, "
		 "AF_VSOCK, AF_ALG ..." },
	{ .name = "socketcall", .kind = SCA_SYSARG_VALUES, ONE(0, U32, "call", false, socketcalls),
	  .max_values = 20,
	  .why = "i386 makes every socket call through it; which one it is, is in a register, the rest in memory" },
	{ .name = "clone", .kind = SCA_SYSARG_VALUES, ONE(0, CLONE_NS, "namespaces", true, ns_bits),
	  .max_values = 8,
	  .why = "no namespaces but those seen are created; a user namespace opens much of the kernel to an "
		 "unprivileged process",
	  .other = { { SCMP_ARCH_S390X, 0, 1 }, { SCMP_ARCH_S390, 0, 1 } } },   /* clone(stack, flags, ...) */
	/* clone_args.flags: namespaces, and what clone cannot do (CLONE_NEWTIME, bits 32..63) */
	{ .name = "clone3", .kind = SCA_SYSARG_VALUES,
	  ONE(0, CLONE_NS | 0x80 | 0xffffffff00000000ull, "flags", true, ns_bits),
	  .max_values = 8, .deref = true,
	  .why = "its flags are in memory, out of a filter's reach: it answers ENOSYS so that libc uses clone" },
	{ .name = "unshare", .kind = SCA_SYSARG_VALUES, ONE(0, U32, "flags", true, unshare_bits),
	  .max_values = 8, .why = "no namespaces but those seen, no other change of what is shared" },
	{ .name = "setns", .kind = SCA_SYSARG_VALUES, ONE(1, U32, "nstype", true, nstypes),
	  .max_values = 8, .why = "only the kinds of namespace joined before" },
	{ .name = "personality", .kind = SCA_SYSARG_VALUES, ONE(0, U32, "persona", false, personas),
	  .max_values = 8,
	  .why = "no other execution domain: READ_IMPLIES_EXEC and ADDR_NO_RANDOMIZE weaken exploit defences" },
	{ .name = "prctl", .kind = SCA_SYSARG_VALUES, ONE(0, U32, "option", false, prctls),
	  .max_values = 16,
	  .why = "no process control but those used: PR_SET_MM, PR_SET_DUMPABLE, PR_SET_SECUREBITS ... stay refused" },
	{ .name = "ioctl", .kind = SCA_SYSARG_VALUES, ONE(1, U32, "request", false, ioctls),
	  .max_values = 16, .why = "no device request but those used: TIOCSTI would type into the terminal",
	  /* isatty() asks TCGETS of every descriptor; one that is a terminal then gets asked these
	   * read-only questions: learnt with output to a pipe, run on a terminal, they must pass */
	  .implies = { { 0x5401, 0x5413, "TCGETS was; a program that finds a terminal then asks its size" },
		       { 0x5401, 0x540f, "TCGETS was; a program that finds a terminal then asks its foreground group" } } },
	{ .name = "mmap", .kind = SCA_SYSARG_WX, ONE(2, 0x7, "prot", true, prot_bits),
	  .why = "injected code cannot be written and then run",
	  .other = { { SCMP_ARCH_X86, 0, MEM }, { SCMP_ARCH_S390, 0, MEM }, { SCMP_ARCH_S390X, 0, MEM } } },
	PROT("mmap2"),
	PROT("mprotect"),
	PROT("pkey_mprotect"),
};

const struct sca_sysarg_rule *sca_sysarg__table(size_t *n)
{
	*n = ARRAY_SIZE(table);
	return table;
}

const struct sca_sysarg_rule *sca_sysarg__find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

/* FIELD's layout entry for ARCH, or NULL: as on most arches. */
static const struct sca_sysarg_layout *layout(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->other) && r->other[i].arch; i++)
		if (r->other[i].arch == arch && r->other[i].field == field)
			return &r->other[i];
	return NULL;
}

int sca_sysarg__index(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch)
{
	const struct sca_sysarg_layout *l = layout(r, field, arch);

	if (!l || l->index == NOF)
		return (int)r->field[field].index;
	return l->index < 0 ? -1 : l->index;
}

int sca_sysarg__filter_index(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch)
{
	const struct sca_sysarg_layout *l = layout(r, field, arch);

	if (!l)
		return (int)r->field[field].index;
	return l->index < 0 ? -1 : l->index;
}

bool sca_sysarg__value(const struct sca_sysarg_rule *r, unsigned field, uint32_t arch,
		       const uint64_t args[6], const uint64_t argmask[6], uint64_t *out)
{
	int i = sca_sysarg__index(r, field, arch);
	uint64_t m = r->field[field].mask;

	if (i < 0 || i > 5 || (argmask[i] & m) != m)
		return false;
	*out = args[i] & m;
	return true;
}

static const char *name_of(const struct sca_sysarg_name *n, uint64_t v)
{
	for (; n && n->name; n++)
		if (n->value == v)
			return n->name;
	return NULL;
}

/* Each named bit of V, then what is left in hex: "CLONE_NEWUSER|CLONE_NEWNS|0x1". */
static void bits_str(const struct sca_sysarg_name *names, uint64_t v, char *buf, size_t len)
{
	size_t used = 0;
	uint64_t left = v;

	buf[0] = '\0';
	for (const struct sca_sysarg_name *n = names; n && n->name && used < len; n++) {
		if (!n->value || (left & n->value) != n->value)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "", n->name);
		left &= ~n->value;
	}
	if (left && used < len)
		snprintf(buf + used, len - used, "%s0x%llx", used ? "|" : "", (unsigned long long)left);
}

const char *sca_sysarg__value_str(const struct sca_sysarg_field *f, uint64_t v, char *buf, size_t len)
{
	const char *name = name_of(f->names, v);

	if (!len)
		return buf;
	if (f->bits && !v)
		snprintf(buf, len, "%s", name ? name : "0");
	else if (f->bits)
		bits_str(f->names, v, buf, len);
	else if (name)
		snprintf(buf, len, "%s (%llu)", name, (unsigned long long)v);
	else
		snprintf(buf, len, v < 65536 ? "%llu" : "0x%llx", (unsigned long long)v);
	return buf;
}
