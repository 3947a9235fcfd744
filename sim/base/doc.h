/* doc — the document tree every input is read into: mappings, sequences and scalars, each
 * with the line and column it came from. YAML and JSON both land here (sim/load), and the
 * decoders (sim/input/decode, sim/query/expect, sim/run/scenario) read only this. */
#ifndef PN_DOC_H
#define PN_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PN_DOC_SCALAR, PN_DOC_MAP, PN_DOC_SEQ } pn_doc_kind;

/* How a plain scalar resolves (YAML 1.1, as the Kubernetes YAML reader resolves it). Quoted
 * scalars are always strings. */
typedef enum {
    PN_SCALAR_STRING,
    PN_SCALAR_INT,
    PN_SCALAR_FLOAT,
    PN_SCALAR_BOOL,
    PN_SCALAR_NULL
} pn_scalar_type;

typedef struct pn_doc_node {
    pn_doc_kind kind;
    bool quoted;   /* scalar written quoted (or as a block scalar): never a number */
    unsigned line; /* 1-based position of the node's first character */
    unsigned column;
    const char *text; /* scalar text, NUL-terminated */
    size_t len;
    struct pn_doc_node **items; /* SEQ: count items; MAP: count/2 pairs, key then value */
    size_t count;
} pn_doc_node;

/* One document of a file (a YAML `---` section, or a whole JSON file). */
typedef struct {
    const char *file;  /* the path as the user gave it ("-" for standard input) */
    pn_doc_node *root; /* NULL for an empty document */
} pn_document;

/* The value stored under key in a mapping, or NULL (also when map is NULL or not a map). */
const pn_doc_node *pn_doc_get(const pn_doc_node *map, const char *key);

/* The key node of the pair whose value is value (for error positions), or NULL. */
const pn_doc_node *pn_doc_key_of(const pn_doc_node *map, const pn_doc_node *value);

pn_scalar_type pn_doc_scalar_type(const pn_doc_node *n);

/* True for an absent node or a null scalar ("null", "~", empty). */
bool pn_doc_is_null(const pn_doc_node *n);

/* Parses an integer scalar (plain decimal, optional sign). Returns 0, or -1 when the node is
 * not an integer or is outside [min, max]. */
int pn_doc_int(const pn_doc_node *n, int64_t min, int64_t max, int64_t *out);

/* The YAML/JSON type name of a node for messages: "string", "integer", "mapping"... */
const char *pn_doc_type_name(const pn_doc_node *n);

#endif
