/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON and YAML documents as one tree of nodes with line numbers.
 *
 * JSON: jansson checks the syntax and reports errors with line and column,
 * but it keeps no positions for values and refuses integers above INT64_MAX
 * (OCI "value" is a uint64). So after jansson accepts a document a small
 * scanner walks the same, now known-good, text to build the tree.
 *
 * YAML: libyaml's document loader; aliases are expanded, with limits on
 * depth and size so that a recursive or exponential alias cannot run away.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "internal.h"

struct tree {
	const char *name;
	char *err;
	size_t errlen;
	size_t nodes, max_nodes;
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

static int yaml_text(struct tree *t, const yaml_node_t *yn, char **out)
{
	const char *s = (const char *)yn->data.scalar.value;
	size_t len = yn->data.scalar.length;

	if (memchr(s, 0, len))
		return profile_err(t->err, t->errlen, -EINVAL, "%s:%zu: string holds a NUL character",
				   t->name, yn->start_mark.line + 1);
	*out = strndup(s, len);
	if (!*out)
		return profile_err(t->err, t->errlen, -ENOMEM, "%s: out of memory", t->name);
	return 0;
}

static int yaml_build(struct tree *t, yaml_document_t *doc, yaml_node_t *yn, unsigned depth,
		      struct node **out)
{
	unsigned line = yn ? (unsigned)yn->start_mark.line + 1 : 0;
	struct node *n;
	int ret = 0;

	if (!yn)
		return profile_err(t->err, t->errlen, -EBADMSG, "%s: not valid YAML", t->name);
	/* a recursive alias ends here too */
	if (depth > TREE_MAX_DEPTH)
		return too_deep(t, line);
	n = node_new(t, NODE_NULL, line);
	if (!n)
		return t->nodes > t->max_nodes ? -EINVAL : -ENOMEM;

	switch (yn->type) {
	case YAML_SCALAR_NODE:
		ret = yaml_text(t, yn, &n->s);
		if (ret == 0)
			yaml_resolve(n, n->s, yn->data.scalar.length,
				     yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
		break;
	case YAML_SEQUENCE_NODE:
		n->type = NODE_SEQ;
		for (yaml_node_item_t *it = yn->data.sequence.items.start;
		     ret == 0 && it < yn->data.sequence.items.top; it++) {
			struct node *kid;

			ret = yaml_build(t, doc, yaml_document_get_node(doc, *it), depth + 1, &kid);
			if (ret == 0)
				ret = node_add(t, n, NULL, kid);
		}
		break;
	case YAML_MAPPING_NODE:
		n->type = NODE_MAP;
		for (yaml_node_pair_t *pr = yn->data.mapping.pairs.start;
		     ret == 0 && pr < yn->data.mapping.pairs.top; pr++) {
			yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
			struct node *kid;
			char *key;

			if (!kn || kn->type != YAML_SCALAR_NODE) {
				ret = profile_err(t->err, t->errlen, -EINVAL,
						  "%s:%zu: mapping key is not a string", t->name,
						  kn ? kn->start_mark.line + 1 : (size_t)line);
				break;
			}
			ret = yaml_text(t, kn, &key);
			if (ret < 0)
				break;
			ret = yaml_build(t, doc, yaml_document_get_node(doc, pr->value), depth + 1, &kid);
			if (ret < 0) {
				free(key);
				break;
			}
			ret = node_add(t, n, key, kid);
		}
		break;
	default:
		ret = profile_err(t->err, t->errlen, -EBADMSG, "%s:%u: not valid YAML", t->name, line);
		break;
	}
	if (ret < 0) {
		tree_free(n);
		return ret;
	}
	*out = n;
	return 0;
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

int tree_from_yaml(const char *buf, size_t len, const char *name, struct node **out,
		   char *err, size_t errlen)
{
	struct tree t = { .name = name, .err = err, .errlen = errlen };
	yaml_document_t doc, next;
	yaml_parser_t ps;
	yaml_node_t *root;
	bool have_doc = false;
	int ret;

	*out = NULL;
	if (!yaml_parser_initialize(&ps))
		return profile_err(err, errlen, -ENOMEM, "%s: out of memory", name);
	yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&ps, &doc)) {
		ret = yaml_syntax_err(&ps, name, err, errlen);
		goto cleanup;
	}
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ret = profile_err(err, errlen, -EINVAL, "%s: empty document, no profile", name);
		goto cleanup;
	}
	/* a profile is one document; a stream of several is a different thing */
	if (!yaml_parser_load(&ps, &next)) {
		ret = yaml_syntax_err(&ps, name, err, errlen);
		goto cleanup;
	}
	root = yaml_document_get_root_node(&next);
	/* a trailing "---" makes an empty second document: no profile, no harm */
	if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		ret = profile_err(err, errlen, -EINVAL, "%s:%zu: more than one YAML document", name,
				  root->start_mark.line + 1);
		yaml_document_delete(&next);
		goto cleanup;
	}
	yaml_document_delete(&next);
	root = yaml_document_get_root_node(&doc);

	/* aliases may repeat nodes, but not without bound */
	t.max_nodes = (size_t)(doc.nodes.top - doc.nodes.start) * 16 + 10000;
	ret = yaml_build(&t, &doc, root, 0, out);

cleanup:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	return ret;
}
