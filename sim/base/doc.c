/* doc — read-only accessors for the document tree. */
#include "sim/base/doc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const pn_doc_node *pn_doc_get(const pn_doc_node *map, const char *key)
{
    if (!map || map->kind != PN_DOC_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (strcmp(map->items[i]->text, key) == 0)
            return map->items[i + 1];
    return NULL;
}

const pn_doc_node *pn_doc_key_of(const pn_doc_node *map, const pn_doc_node *value)
{
    if (!map || map->kind != PN_DOC_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (map->items[i + 1] == value)
            return map->items[i];
    return NULL;
}

static bool all(const char *s, int (*pred)(int))
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!pred((unsigned char)*s))
            return false;
    return true;
}

static bool one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

static bool is_float_text(const char *s)
{
    static const char *const special[] = {".inf",  ".Inf", ".INF", "-.inf", "-.Inf", "-.INF",
                                          "+.inf", ".nan", ".NaN", ".NAN",  NULL};
    if (one_of(s, special))
        return true;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false, dot = false;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (isdigit((unsigned char)*p))
            digits = true;
        else if (*p == '.' && !dot)
            dot = true;
        else if (*p != '_')
            return false;
    }
    if (!digits || (!dot && !*p))
        return false;
    if (*p) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        return all(p, isdigit);
    }
    return true;
}

static bool is_int_text(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return all(p + 2, isxdigit);
    if (p[0] == '0' && (p[1] == 'b'))
        return p[2] && strspn(p + 2, "01_") == strlen(p + 2);
    return *p && strspn(p, "0123456789_") == strlen(p) && isdigit((unsigned char)*p);
}

pn_scalar_type pn_doc_scalar_type(const pn_doc_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {
        "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
        "on",   "On",   "ON",   "off",   "Off",   "OFF",   "y",   "Y",   "n",   "N",  NULL};
    if (n->kind != PN_DOC_SCALAR || n->quoted)
        return PN_SCALAR_STRING;
    /* Most scalars are names: only these first characters can start anything else. */
    if (n->text[0] && !strchr("~nNtTfFyYoO0123456789+-.", n->text[0]))
        return PN_SCALAR_STRING;
    bool numeric = n->text[0] && strchr("0123456789+-.", n->text[0]);
    if (!numeric && one_of(n->text, nulls))
        return PN_SCALAR_NULL;
    if (!numeric && one_of(n->text, bools))
        return PN_SCALAR_BOOL;
    if (is_int_text(n->text))
        return PN_SCALAR_INT;
    if (is_float_text(n->text))
        return PN_SCALAR_FLOAT;
    return PN_SCALAR_STRING;
}

bool pn_doc_is_null(const pn_doc_node *n)
{
    return !n || (n->kind == PN_DOC_SCALAR && pn_doc_scalar_type(n) == PN_SCALAR_NULL);
}

int pn_doc_int(const pn_doc_node *n, int64_t min, int64_t max, int64_t *out)
{
    if (!n || n->kind != PN_DOC_SCALAR || pn_doc_scalar_type(n) != PN_SCALAR_INT)
        return -1;
    if (strchr(n->text, '_') || strchr(n->text, 'x') || strchr(n->text, 'b'))
        return -1; /* YAML 1.1 allows these forms; Kubernetes fields never use them */
    errno = 0;
    char *end;
    long long v = strtoll(n->text, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

const char *pn_doc_type_name(const pn_doc_node *n)
{
    if (!n)
        return "nothing";
    if (n->kind == PN_DOC_MAP)
        return "a mapping";
    if (n->kind == PN_DOC_SEQ)
        return "a list";
    switch (pn_doc_scalar_type(n)) {
    case PN_SCALAR_INT:
        return "an integer";
    case PN_SCALAR_FLOAT:
        return "a number";
    case PN_SCALAR_BOOL:
        return "a boolean";
    case PN_SCALAR_NULL:
        return "null";
    default:
        return "a string";
    }
}
