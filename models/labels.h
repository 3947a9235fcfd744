/* labels — label sets and label selectors (matchLabels and matchExpressions), with the
 * Kubernetes validation rules for keys and values. */
#ifndef PN_LABELS_H
#define PN_LABELS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *key;   /* borrowed; lives in the world's arena */
    const char *value; /* borrowed; may be "" */
} pn_label;

/* A set of labels, sorted by key with unique keys (pn_labels_sort makes it so). */
typedef struct {
    pn_label *items; /* borrowed array of count entries */
    size_t count;
} pn_labels;

typedef enum { PN_SEL_IN, PN_SEL_NOT_IN, PN_SEL_EXISTS, PN_SEL_DOES_NOT_EXIST } pn_selector_op;

typedef struct {
    const char *key;
    pn_selector_op op;
    const char **values; /* In and NotIn: at least one; Exists and DoesNotExist: none */
    size_t value_count;
} pn_requirement;

/* A label selector. matchLabels {k: v} is stored as the requirement k In (v), exactly as
 * metav1.LabelSelectorAsSelector does; an empty selector matches every label set. */
typedef struct {
    pn_requirement *reqs; /* borrowed array */
    size_t count;
} pn_selector;

/* Sorts by key. Returns 0, or -1 when a key appears twice (then *dup names it). */
int pn_labels_sort(pn_labels *labels, const char **dup);

/* The value of key, or NULL when absent. labels must be sorted. */
const char *pn_labels_get(const pn_labels *labels, const char *key);

/* True when labels (sorted) satisfy every requirement of sel. */
bool pn_selector_matches(const pn_selector *sel, const pn_labels *labels);

/* Parses "In", "NotIn", "Exists", "DoesNotExist". Returns 0 or -1. */
int pn_selector_op_parse(const char *s, pn_selector_op *out);

const char *pn_selector_op_name(pn_selector_op op);

/* Checks a requirement's shape: In/NotIn need values, Exists/DoesNotExist must have none.
 * Returns NULL when valid, else a static message. */
const char *pn_requirement_check(const pn_requirement *req);

/* Validates a label key ([prefix/]name: name at most 63 characters of alphanumerics, '-', '_'
 * and '.', starting and ending alphanumeric; prefix a DNS subdomain of at most 253).
 * Returns NULL when valid, else a static message. */
const char *pn_label_key_check(const char *key);

/* Validates a label value (empty, or at most 63 characters like a key's name part).
 * Returns NULL when valid, else a static message. */
const char *pn_label_value_check(const char *value);

#endif
