/* fields — the unknown-field checker every reader of document trees shares (the Kubernetes
 * decoder, expectations, scenarios): a misspelt field silently changes what a file means, so
 * every key must be known, and the nearest known name is suggested ("did you mean"). */
#ifndef PN_FIELDS_H
#define PN_FIELDS_H

#include "sim/base/doc.h"

#include <stddef.h>

/* The name in allowed (NULL-terminated) nearest to key, at an edit distance of at most 2
 * (insertions, deletions, substitutions; the first of equals wins), or NULL when none is that
 * close. Names longer than 40 bytes are never suggested. Returns a pointer into allowed. */
const char *pn_fields_suggest(const char *key, const char *const *allowed);

/* What a reader does with one unknown key: key is the key node (for its position),
 * suggestion the nearest known name or NULL. */
typedef void (*pn_fields_unknown_fn)(void *ctx, const pn_doc_node *key, const char *suggestion);

/* Calls unknown(ctx, …) for every key of map (a mapping; NULL is allowed and has no keys) that
 * is not in allowed (NULL-terminated), in document order. Returns how many there were. */
size_t pn_fields_check(const pn_doc_node *map, const char *const *allowed,
                       pn_fields_unknown_fn unknown, void *ctx);

#endif
