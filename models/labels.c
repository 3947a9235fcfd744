/* labels — label sets and selector matching. */
#include "models/labels.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int label_cmp(const void *a, const void *b)
{
    return strcmp(((const pn_label *)a)->key, ((const pn_label *)b)->key);
}

int pn_labels_sort(pn_labels *labels, const char **dup)
{
    if (labels->count > 1)
        qsort(labels->items, labels->count, sizeof *labels->items, label_cmp);
    for (size_t i = 1; i < labels->count; i++)
        if (strcmp(labels->items[i - 1].key, labels->items[i].key) == 0) {
            *dup = labels->items[i].key;
            return -1;
        }
    return 0;
}

const char *pn_labels_get(const pn_labels *labels, const char *key)
{
    size_t lo = 0, hi = labels->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, labels->items[mid].key);
        if (c == 0)
            return labels->items[mid].value;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static bool value_in(const pn_requirement *req, const char *v)
{
    for (size_t i = 0; i < req->value_count; i++)
        if (strcmp(req->values[i], v) == 0)
            return true;
    return false;
}

bool pn_selector_matches(const pn_selector *sel, const pn_labels *labels)
{
    for (size_t i = 0; i < sel->count; i++) {
        const pn_requirement *req = &sel->reqs[i];
        const char *v = pn_labels_get(labels, req->key);
        bool ok;
        switch (req->op) {
        case PN_SEL_IN:
            ok = v && value_in(req, v);
            break;
        case PN_SEL_NOT_IN: /* an absent key satisfies NotIn */
            ok = !v || !value_in(req, v);
            break;
        case PN_SEL_EXISTS:
            ok = v != NULL;
            break;
        default:
            ok = v == NULL;
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

static const char *const op_names[] = {"In", "NotIn", "Exists", "DoesNotExist"};

int pn_selector_op_parse(const char *s, pn_selector_op *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, op_names[i]) == 0) {
            *out = (pn_selector_op)i;
            return 0;
        }
    return -1;
}

const char *pn_selector_op_name(pn_selector_op op)
{
    return op_names[op];
}

const char *pn_requirement_check(const pn_requirement *req)
{
    bool wants_values = req->op == PN_SEL_IN || req->op == PN_SEL_NOT_IN;
    if (wants_values && req->value_count == 0)
        return "values must be non-empty when operator is In or NotIn";
    if (!wants_values && req->value_count != 0)
        return "values must be empty when operator is Exists or DoesNotExist";
    return NULL;
}

/* A qualified name part: 1..63 of [A-Za-z0-9-_.], alphanumeric at both ends. */
static bool name_part_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}

/* A DNS-1123 subdomain: at most 253 of [a-z0-9-.], labels alphanumeric at both ends. */
static bool dns_subdomain_ok(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (i == start || s[start] == '-' || s[i - 1] == '-')
                return false;
            start = i + 1;
        } else if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-')) {
            return false;
        }
    }
    return true;
}

const char *pn_label_key_check(const char *key)
{
    const char *slash = strchr(key, '/');
    if (slash) {
        if (!dns_subdomain_ok(key, (size_t)(slash - key)))
            return "label key prefix must be a DNS subdomain (lowercase, at most 253 characters)";
        key = slash + 1;
    }
    if (!name_part_ok(key, strlen(key)))
        return "label key name must be 1-63 characters of [A-Za-z0-9-_.], alphanumeric at both "
               "ends";
    return NULL;
}

const char *pn_label_value_check(const char *value)
{
    size_t n = strlen(value);
    if (n != 0 && !name_part_ok(value, n))
        return "label value must be empty or 1-63 characters of [A-Za-z0-9-_.], alphanumeric at "
               "both ends";
    return NULL;
}
