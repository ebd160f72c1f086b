/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON and YAML documents as one tree of nodes with line numbers.
 *
 * JSON: jansson checks the syntax and reports errors with line and column,
 * but it keeps no positions for values and refuses integers above INT64_MAX
 * (OCI "value" is a uint64). So after jansson accepts a document a small
 * scanner walks the same, now known-good, text to build the tree.
 *
 * YAML: libyaml's events; aliases are expanded, with limits on depth,
 * values and bytes so that a recursive or exponential alias cannot run away.
 * A stream of several documents ("---") gives one tree each; the limits are
 * counted over the whole stream, so each document and all of them together
 * stay under them, and anchors end with their document, as YAML has it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "common/hash.h"
#include "internal.h"

struct tree {
	const char *name;
	char *err;
	size_t errlen;
	size_t nodes, max_nodes;
	size_t text, max_text;     /* YAML: bytes of text, aliases expanded */
};

void tree_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			free(n->keys[i]);
		tree_free(n->kids[i]);
	}
	free(n->keys);
	free(n->kids);
	free(n->s);
	free(n);
}

static struct node *node_new(struct tree *t, enum node_type type, unsigned line)
{
	struct node *n;

	if (++t->nodes > t->max_nodes) {
		profile_err(t->err, t->errlen, -EINVAL, "%s:%u: document too large (%zu values; aliases?)",
			    t->name, line, t->max_nodes);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		profile_err(t->err, t->errlen, -ENOMEM, "%s: out of memory", t->name);
		return NULL;
	}
	n->type = type;
	n->line = line;
	return n;
}

/* Append KID (and KEY for a map; both owned by N afterwards). */
static int node_add(struct tree *t, struct node *n, char *key, struct node *kid)
{
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 4;
		struct node **kids = realloc(n->kids, cap * sizeof(*kids));

		if (kids)
			n->kids = kids;
		if (kids && n->type == NODE_MAP) {
			char **keys = realloc(n->keys, cap * sizeof(*keys));

			if (keys)
				n->keys = keys;
			else
				kids = NULL;
		}
		if (!kids) {
			free(key);
			tree_free(kid);
			return profile_err(t->err, t->errlen, -ENOMEM, "%s: out of memory", t->name);
		}
		n->cap = cap;
	}
	if (n->type == NODE_MAP)
		n->keys[n->n] = key;
	n->kids[n->n++] = kid;
	return 0;
}

static int too_deep(struct tree *t, unsigned line)
{
	return profile_err(t->err, t->errlen, -EINVAL, "%s:%u: nested deeper than %d levels",
			   t->name, line, TREE_MAX_DEPTH);
}

static int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * An integer in S[0..N): decimal, and with YAML on, YAML 1.1's 0x/0o/0b and
 * leading-zero octal and '_' separators (what Kubernetes' YAML reader takes).
 * Returns false if S is no integer; sets N's magnitude, sign and overflow.
 */
static bool parse_int(const char *s, size_t len, bool yaml, struct node *n)
{
	unsigned base = 10;
	size_t i = 0, digits = 0;
	uint64_t u = 0;
	bool big = false, neg = false;

	if (i < len && (s[i] == '-' || (yaml && s[i] == '+')))
		neg = s[i++] == '-';
	if (yaml && i + 1 < len && s[i] == '0') {
		char c = s[i + 1];

		if (c == 'x' || c == 'X')
			base = 16, i += 2;
		else if (c == 'o' || c == 'O')
			base = 8, i += 2;
		else if (c == 'b' || c == 'B')
			base = 2, i += 2;
		else if (c >= '0' && c <= '9')
			base = 8, i += 1;
	}
	for (; i < len; i++) {
		int d = digit_val(s[i]);

		if (yaml && s[i] == '_' && digits)
			continue;
		if (d >= (int)base)
			return false;
		if (u > (UINT64_MAX - (uint64_t)d) / base)
			big = true;
		u = u * base + (uint64_t)d;
		digits++;
	}
	if (!digits)
		return false;
	n->type = NODE_INT;
	n->u = big ? UINT64_MAX : u;
	n->big = big;
	n->neg = neg && u != 0;
	return true;
}

/* ---- JSON ------------------------------------------------------------ */

struct jscan {
	struct tree *t;
	const char *s;
	size_t len, pos;
	unsigned line;
};

static void js_ws(struct jscan *j)
{
	for (; j->pos < j->len; j->pos++) {
		char c = j->s[j->pos];

		if (c == '\n')
			j->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
	}
}

/* Only reached if jansson and this scanner disagree on what JSON is. */
static int js_bad(struct jscan *j)
{
	return profile_err(j->t->err, j->t->errlen, -EBADMSG, "%s:%u: not valid JSON",
			   j->t->name, j->line);
}

static unsigned js_hex4(const char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int d = digit_val(p[i]);

		if (d > 15)
			return 0x110000; /* no code point: refused below */
		v = v << 4 | (unsigned)d;
	}
	return v;
}

static char *utf8_put(char *w, unsigned cp)
{
	if (cp < 0x80) {
		*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | cp >> 6);
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | cp >> 12);
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | cp >> 18);
		*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

/* The string at j->pos (its opening quote), unescaped. */
static int js_string(struct jscan *j, char **out)
{
	size_t start = j->pos + 1, end = start;
	char *o, *w;

	while (end < j->len && j->s[end] != '"')
		end += j->s[end] == '\\' ? 2 : 1;
	if (end >= j->len)
		return js_bad(j);
	/* unescaping never makes a JSON string longer */
	o = w = malloc(end - start + 1);
	if (!o)
		return profile_err(j->t->err, j->t->errlen, -ENOMEM, "%s: out of memory", j->t->name);
	for (size_t i = start; i < end;) {
		char c = j->s[i++];
		unsigned cp;

		if (c != '\\') {
			*w++ = c;
			continue;
		}
		switch (c = j->s[i++]) {
		case '"': case '\\': case '/': *w++ = c; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			if (end - i < 4)
				goto bad;
			cp = js_hex4(j->s + i);
			i += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - i >= 6 && j->s[i] == '\\' &&
			    j->s[i + 1] == 'u') {
				unsigned lo = js_hex4(j->s + i + 2);

				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
			}
			/* NUL would cut the C string short; jansson refuses it too */
			if (cp == 0 || cp > 0x10ffff)
				goto bad;
			w = utf8_put(w, cp);
			break;
		default:
			goto bad;
		}
	}
	*w = 0;
	j->pos = end + 1;
	*out = o;
	return 0;
bad:
	free(o);
	return js_bad(j);
}

static int js_value(struct jscan *j, unsigned depth, struct node **out);

/* A '{' or '[' container at j->pos. */
static int js_container(struct jscan *j, unsigned depth, struct node *n)
{
	char close = n->type == NODE_MAP ? '}' : ']';
	int ret;

	j->pos++;
	js_ws(j);
	if (j->pos < j->len && j->s[j->pos] == close) {
		j->pos++;
		return 0;
	}
	for (;;) {
		struct node *kid = NULL;
		char *key = NULL;

		js_ws(j);
		if (n->type == NODE_MAP) {
			if (j->pos >= j->len || j->s[j->pos] != '"')
				return js_bad(j);
			ret = js_string(j, &key);
			if (ret < 0)
				return ret;
			js_ws(j);
			if (j->pos >= j->len || j->s[j->pos] != ':') {
				free(key);
				return js_bad(j);
			}
			j->pos++;
		}
		ret = js_value(j, depth + 1, &kid);
		if (ret < 0) {
			free(key);
			return ret;
		}
		ret = node_add(j->t, n, key, kid);
		if (ret < 0)
			return ret;
		js_ws(j);
		if (j->pos < j->len && j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->pos < j->len && j->s[j->pos] == close) {
			j->pos++;
			return 0;
		}
		return js_bad(j);
	}
}

static int js_value(struct jscan *j, unsigned depth, struct node **out)
{
	static const char *const words[] = { "null", "true", "false" };
	struct node *n;
	size_t start;
	char c;
	int ret;

	js_ws(j);
	if (j->pos >= j->len)
		return js_bad(j);
	if (depth > TREE_MAX_DEPTH)
		return too_deep(j->t, j->line);
	n = node_new(j->t, NODE_NULL, j->line);
	if (!n)
		return j->t->nodes > j->t->max_nodes ? -EINVAL : -ENOMEM;

	c = j->s[j->pos];
	if (c == '{' || c == '[') {
		n->type = c == '{' ? NODE_MAP : NODE_SEQ;
		ret = js_container(j, depth, n);
	} else if (c == '"') {
		n->type = NODE_STR;
		ret = js_string(j, &n->s);
	} else {
		start = j->pos;
		/* a number or a literal; jansson vouches for the spelling */
		while (j->pos < j->len && j->s[j->pos] &&
		       strchr("+-.0123456789eEabcdefghijklmnopqrstuvwxyz", j->s[j->pos]))
			j->pos++;
		ret = 0;
		n->s = strndup(j->s + start, j->pos - start);
		if (!n->s) {
			ret = profile_err(j->t->err, j->t->errlen, -ENOMEM, "%s: out of memory", j->t->name);
		} else if (strcmp(n->s, words[0]) == 0) {
			n->type = NODE_NULL;
		} else if (strcmp(n->s, words[1]) == 0 || strcmp(n->s, words[2]) == 0) {
			n->type = NODE_BOOL;
			n->b = n->s[0] == 't';
		} else if (!parse_int(n->s, strlen(n->s), false, n)) {
			/* jansson accepted it, so it is a number with a fraction or exponent */
			if (!*n->s || !strchr("-0123456789", n->s[0]))
				ret = js_bad(j);
			n->type = NODE_REAL;
		}
	}
	if (ret < 0) {
		tree_free(n);
		return ret;
	}
	*out = n;
	return 0;
}

int tree_from_json(const char *buf, size_t len, const char *name, struct node **out,
		   char *err, size_t errlen)
{
	struct tree t = { .name = name, .err = err, .errlen = errlen, .max_nodes = len + 16 };
	struct jscan j = { .t = &t, .s = buf, .len = len, .line = 1 };
	json_error_t jerr;
	json_t *doc;
	int ret;

	*out = NULL;
	/* INT_AS_REAL: the scanner reads integers itself, to 64 unsigned bits */
	doc = json_loadb(buf, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr);
	if (!doc)
		return profile_err(err, errlen, -EBADMSG, "%s:%d:%d: not valid JSON: %s", name,
				   jerr.line, jerr.column, jerr.text);
	json_decref(doc);

	ret = js_value(&j, 0, out);
	if (ret < 0)
		return ret;
	js_ws(&j);
	if (j.pos != len) {
		tree_free(*out);
		*out = NULL;
		return js_bad(&j);
	}
	return 0;
}

/* ---- YAML ------------------------------------------------------------ */

static bool str_in(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(*words, s, len) == 0)
			return true;
	return false;
}

/* YAML 1.1 floats, only so that messages can say "a number". */
static bool yaml_is_real(const char *s, size_t len)
{
	static const char *const special[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
					       "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL };
	size_t i = 0, digits = 0;

	if (str_in(s, len, special))
		return true;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '_' && digits)); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= len)
			return false;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == len;
}

/* A scalar's type: quoted ones are strings, plain ones resolved as YAML 1.1 does. */
static void yaml_resolve(struct node *n, const char *s, size_t len, bool plain)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };

	n->type = NODE_STR;
	if (!plain)
		return;
	if (str_in(s, len, nulls))
		n->type = NODE_NULL;
	else if (str_in(s, len, trues) || str_in(s, len, falses))
		n->type = NODE_BOOL, n->b = s[0] == 't' || s[0] == 'T';
	else if (!parse_int(s, len, true, n) && yaml_is_real(s, len))
		n->type = NODE_REAL;
}

static int tree_oom(struct tree *t)
{
	return profile_err(t->err, t->errlen, -ENOMEM, "%s: out of memory", t->name);
}

/* Charge N bytes of text: aliases repeat text, but only so much of it. */
static int text_charge(struct tree *t, size_t n, unsigned line)
{
	if (n > t->max_text - t->text)
		return profile_err(t->err, t->errlen, -EINVAL,
				   "%s:%u: document too large with its aliases expanded (over %zu bytes)",
				   t->name, line, t->max_text);
	t->text += n;
	return 0;
}

static int yaml_text(struct tree *t, const yaml_char_t *v, size_t len, unsigned line, char **out)
{
	const char *s = (const char *)v;
	int ret;

	if (memchr(s, 0, len))
		return profile_err(t->err, t->errlen, -EINVAL, "%s:%u: string holds a NUL character",
				   t->name, line);
	if ((ret = text_charge(t, len, line)))
		return ret;
	*out = strndup(s, len);
	return *out ? 0 : tree_oom(t);
}

/* A copy of SRC where an alias at LINE, DEPTH levels down, names it. */
static int node_copy(struct tree *t, const struct node *src, unsigned depth, unsigned line,
		     struct node **out)
{
	struct node *n;
	int ret = 0;

	if (depth > TREE_MAX_DEPTH)
		return too_deep(t, line);
	n = node_new(t, src->type, line);
	if (!n)
		return t->nodes > t->max_nodes ? -EINVAL : -ENOMEM;
	n->line = src->line;
	n->b = src->b;
	n->neg = src->neg;
	n->big = src->big;
	n->u = src->u;
	if (src->s && !(ret = text_charge(t, strlen(src->s), line)) && !(n->s = strdup(src->s)))
		ret = tree_oom(t);
	for (size_t i = 0; ret == 0 && i < src->n; i++) {
		struct node *kid;
		char *key = NULL;

		if (src->keys && (ret = text_charge(t, strlen(src->keys[i]), line)))
			break;
		if (src->keys && !(key = strdup(src->keys[i]))) {
			ret = tree_oom(t);
			break;
		}
		ret = node_copy(t, src->kids[i], depth + 1, line, &kid);
		if (ret < 0) {
			free(key);
			break;
		}
		ret = node_add(t, n, key, kid);
	}
	if (ret < 0) {
		tree_free(n);
		return ret;
	}
	*out = n;
	return 0;
}

/*
 * The YAML tree is built from libyaml's events, not by its document
 * loader: the loader looks every anchor and alias up in a list (quadratic
 * in their number), and libyaml's scanner slows down with each open flow
 * level, so it must be stopped at the depth limit rather than after the
 * whole document. An alias is charged, as a copy, where it is used.
 */

/* An anchored node, for the aliases after it. */
struct yanchor {
	char *name;                /* NULL: a free slot */
	struct node *n;
	bool owned;                /* a mapping key's node, kept only for this */
};

/* A collection being read; a mapping alternates keys and values. */
struct yopen {
	struct node *n;
	char *anchor;
	char *key;
	bool has_key;
};

struct ybuild {
	struct tree *t;
	struct yanchor *anc;       /* open addressing, common/hash.h */
	size_t amask, nanc;
	struct yopen open[TREE_MAX_DEPTH + 1];
	unsigned depth;
	struct node *root;         /* the current document's */
	struct node **docs;        /* the documents before it */
	size_t ndocs, capdocs;
};

static uint64_t anchor_hash(const void *e)
{
	return sca_hash_str(0, ((const struct yanchor *)e)->name);
}

static bool anchor_used(const void *e)
{
	return ((const struct yanchor *)e)->name != NULL;
}

/* NAME's entry, or the free slot where it would go; NULL if none yet. */
static struct yanchor *anchor_slot(struct ybuild *b, const char *name)
{
	size_t j;

	if (!b->anc)
		return NULL;
	for (j = sca_hash_str(0, name) & b->amask; b->anc[j].name; j = (j + 1) & b->amask)
		if (strcmp(b->anc[j].name, name) == 0)
			break;
	return &b->anc[j];
}

/* NAME (owned afterwards) stands for N; a later anchor of that name wins. */
static int anchor_set(struct ybuild *b, char *name, struct node *n, bool owned)
{
	struct yanchor *a;

	if ((!b->anc || b->nanc * 2 >= b->amask) &&
	    sca_table__grow((void **)&b->anc, &b->amask, sizeof(*b->anc), 64, anchor_hash, anchor_used)) {
		free(name);
		if (owned)
			tree_free(n);
		return tree_oom(b->t);
	}
	a = anchor_slot(b, name);
	if (a->name) {
		free(a->name);
		if (a->owned)
			tree_free(a->n);
	} else {
		b->nanc++;
	}
	*a = (struct yanchor){ name, n, owned };
	return 0;
}

/* N is complete: the root, or a key or an item of the innermost collection. */
static int yb_put(struct ybuild *b, struct node *n, char *anchor)
{
	struct yopen *o = b->depth ? &b->open[b->depth - 1] : NULL;
	struct tree *t = b->t;
	int ret;

	if (o && o->n->type == NODE_MAP && !o->has_key) {
		if (n->type == NODE_MAP || n->type == NODE_SEQ) {
			ret = profile_err(t->err, t->errlen, -EINVAL, "%s:%u: mapping key is not a string",
					  t->name, n->line);
			free(anchor);
			tree_free(n);
			return ret;
		}
		o->has_key = true;
		if (!anchor) {
			o->key = n->s;
			n->s = NULL;
			tree_free(n);
			return 0;
		}
		if (!(o->key = strdup(n->s))) {
			free(anchor);
			tree_free(n);
			return tree_oom(t);
		}
		return anchor_set(b, anchor, n, true);
	}
	if (o) {
		ret = node_add(t, o->n, o->key, n);
		o->key = NULL;
		o->has_key = false;
	} else {
		b->root = n;
		ret = 0;
	}
	if (ret < 0) {
		free(anchor);
		return ret;
	}
	return anchor ? anchor_set(b, anchor, n, false) : 0;
}

/* A scalar, or the start of a collection, at LINE. */
static int yb_node(struct ybuild *b, const yaml_event_t *ev, unsigned line)
{
	const yaml_char_t *aname = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.anchor :
				   ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor :
				   ev->data.mapping_start.anchor;
	struct tree *t = b->t;
	char *anchor = NULL;
	struct node *n;
	int ret;

	if (b->depth > TREE_MAX_DEPTH)
		return too_deep(t, line);
	/* aliases may repeat nodes, but not without bound */
	t->max_nodes += 16;
	n = node_new(t, NODE_NULL, line);
	if (!n)
		return t->nodes > t->max_nodes ? -EINVAL : -ENOMEM;
	if (aname && !(anchor = strdup((const char *)aname))) {
		tree_free(n);
		return tree_oom(t);
	}
	if (ev->type == YAML_SCALAR_EVENT) {
		ret = yaml_text(t, ev->data.scalar.value, ev->data.scalar.length, line, &n->s);
		if (ret < 0) {
			free(anchor);
			tree_free(n);
			return ret;
		}
		yaml_resolve(n, n->s, ev->data.scalar.length,
			     ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
		return yb_put(b, n, anchor);
	}
	n->type = ev->type == YAML_MAPPING_START_EVENT ? NODE_MAP : NODE_SEQ;
	b->open[b->depth++] = (struct yopen){ .n = n, .anchor = anchor };
	return 0;
}

/* Forget every anchor: an alias names a node of its own document only. */
static void anchors_clear(struct ybuild *b)
{
	for (size_t i = 0; b->anc && i <= b->amask; i++) {
		free(b->anc[i].name);
		if (b->anc[i].owned)
			tree_free(b->anc[i].n);
		b->anc[i] = (struct yanchor){ 0 };
	}
	b->nanc = 0;
}

/* The document is complete: keep it, unless empty ("---" at the end, or twice). */
static int yb_doc_end(struct ybuild *b)
{
	struct node *n = b->root;

	anchors_clear(b);
	b->root = NULL;
	if (!n || n->type == NODE_NULL) {
		tree_free(n);
		return 0;
	}
	if (b->ndocs == b->capdocs) {
		size_t cap = b->capdocs ? b->capdocs * 2 : 4;
		struct node **v = realloc(b->docs, cap * sizeof(*v));

		if (!v) {
			tree_free(n);
			return tree_oom(b->t);
		}
		b->docs = v;
		b->capdocs = cap;
	}
	b->docs[b->ndocs++] = n;
	return 0;
}

static int yb_event(struct ybuild *b, const yaml_event_t *ev)
{
	unsigned line = (unsigned)ev->start_mark.line + 1;
	struct tree *t = b->t;
	struct yanchor *a;
	struct yopen o;
	struct node *n;
	int ret;

	switch (ev->type) {
	case YAML_DOCUMENT_END_EVENT:
		return yb_doc_end(b);
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
	case YAML_ALIAS_EVENT:
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		o = b->open[--b->depth];
		return yb_put(b, o.n, o.anchor);
	default:
		return 0;
	}
	if (ev->type != YAML_ALIAS_EVENT)
		return yb_node(b, ev, line);
	a = anchor_slot(b, (const char *)ev->data.alias.anchor);
	/* an alias inside its own anchor (recursion) finds nothing yet */
	if (!a || !a->name)
		return profile_err(t->err, t->errlen, -EINVAL, "%s:%u: alias *%s names no complete node",
				   t->name, line, (const char *)ev->data.alias.anchor);
	if ((ret = node_copy(t, a->n, b->depth, line, &n)))
		return ret;
	return yb_put(b, n, NULL);
}

static void yb_free(struct ybuild *b)
{
	anchors_clear(b);
	free(b->anc);
	tree_free_docs(b->docs, b->ndocs);
	while (b->depth--) {
		tree_free(b->open[b->depth].n);
		free(b->open[b->depth].anchor);
		free(b->open[b->depth].key);
	}
	tree_free(b->root);
}

static int yaml_syntax_err(const yaml_parser_t *ps, const char *name, char *err, size_t errlen)
{
	if (ps->error == YAML_MEMORY_ERROR)
		return profile_err(err, errlen, -ENOMEM, "%s: out of memory", name);
	return profile_err(err, errlen, -EBADMSG, "%s:%zu:%zu: not valid YAML: %s%s%s", name,
			   ps->problem_mark.line + 1, ps->problem_mark.column + 1,
			   ps->problem ? ps->problem : "syntax error",
			   ps->context ? " " : "", ps->context ? ps->context : "");
}

void tree_free_docs(struct node **docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tree_free(docs[i]);
	free(docs);
}

int tree_from_yaml_docs(const char *buf, size_t len, const char *name, struct node ***docs,
			size_t *ndocs, char *err, size_t errlen)
{
	struct tree t = { .name = name, .err = err, .errlen = errlen, .max_nodes = 10000,
			  .max_text = TREE_MAX_TEXT(len) };
	struct ybuild b = { .t = &t };
	yaml_parser_t ps;
	yaml_event_t ev;
	bool end = false;
	int ret = 0;

	*docs = NULL;
	*ndocs = 0;
	if (!yaml_parser_initialize(&ps))
		return profile_err(err, errlen, -ENOMEM, "%s: out of memory", name);
	yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
	while (!ret && !end) {
		if (!yaml_parser_parse(&ps, &ev)) {
			ret = yaml_syntax_err(&ps, name, err, errlen);
			break;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		ret = yb_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	if (!ret && !b.ndocs)
		ret = profile_err(err, errlen, -EINVAL, "%s: empty document, no profile", name);
	if (!ret) {
		*docs = b.docs;
		*ndocs = b.ndocs;
		b.docs = NULL;
		b.ndocs = 0;
	}
	yb_free(&b);
	yaml_parser_delete(&ps);
	return ret;
}
