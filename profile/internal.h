/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the profile model's sources; not installed, not public. */
#ifndef SCA_PROFILE_INTERNAL_H
#define SCA_PROFILE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* Profiles bigger than this are refused rather than read. */
#define SCA_PROFILE_MAX_SIZE (64u << 20)

/* Write a one-line message into ERR (if any); returns RET for `return`. */
int profile_err(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void profile_cond_free(struct sca_profile_cond *c);
void profile_rule_free(struct sca_profile_rule *r);

/* Docker's "MAJOR.MINOR[.PATCH]"; -EINVAL if S is not one. */
int profile_kernel_parse(const char *s, unsigned v[3]);

/* ---- document tree (tree.c) ----------------------------------------- */

/*
 * JSON and YAML both become this tree, so one decoder serves both and every
 * value knows its source line.
 */
enum node_type {
	NODE_NULL,
	NODE_BOOL,
	NODE_INT,
	NODE_REAL,
	NODE_STR,
	NODE_MAP,
	NODE_SEQ,
};

struct node {
	enum node_type type;
	unsigned line;             /* 1-based */
	bool b;                    /* NODE_BOOL */
	bool neg;                  /* NODE_INT: below zero */
	bool big;                  /* NODE_INT: magnitude beyond 64 bits */
	uint64_t u;                /* NODE_INT: magnitude */
	char *s;                   /* NODE_STR: the text; other scalars: the source text */
	size_t n, cap;             /* NODE_MAP / NODE_SEQ entries */
	char **keys;               /* NODE_MAP */
	struct node **kids;
};

/* Deeper documents are refused (profiles need about 8 levels). */
#define TREE_MAX_DEPTH 64
/*
 * Text of a YAML document with its aliases expanded, at most: a small
 * multiple of the file (JSON has no aliases: never more than the file).
 */
#define TREE_MAX_TEXT(len) (2 * (size_t)(len) + ((size_t)1 << 20))

/*
 * Parse BUF as JSON / YAML (tree_from_yaml_docs()) into *out. On failure a message prefixed with
 * NAME (and the line) is in ERR: -EBADMSG for a syntax error, -EINVAL for
 * a document the tree refuses (too deep, NUL in a string), -ENOMEM.
 */
int tree_from_json(const char *buf, size_t len, const char *name, struct node **out,
		   char *err, size_t errlen);
void tree_free(struct node *n);

/*
 * Every document of a YAML stream into DOCS[0..*NDOCS) (free them with
 * tree_free_docs()); empty ones ("---" at the end) are left out, none at
 * all is an error. Lines count from the start of the stream.
 */
int tree_from_yaml_docs(const char *buf, size_t len, const char *name, struct node ***docs,
			size_t *ndocs, char *err, size_t errlen);
void tree_free_docs(struct node **docs, size_t n);

#endif /* SCA_PROFILE_INTERNAL_H */
