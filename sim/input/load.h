/* load — reads files, folders and standard input into document trees. The one file that talks
 * to libyaml (both YAML and JSON are read through it, for line and column of every node) and,
 * for input, to cJSON (which checks that a JSON file is strict JSON). */
#ifndef PN_LOAD_H
#define PN_LOAD_H

#include "sim/base/arena.h"
#include "sim/base/diag.h"
#include "sim/base/doc.h"
#include "sim/base/error.h"

#define PN_LOAD_MAX_BYTES ((size_t)1 << 30) /* one input file at most 1 GiB */
#define PN_LOAD_MAX_DEPTH 100               /* nesting of mappings and sequences */

/* A file that was read, for the record of a run. */
typedef struct {
    const char *path; /* as read ("-" for standard input); lives in the arena */
    char sha256[65];  /* hex digest of the content */
    size_t bytes;
} pn_input;

typedef struct {
    pn_document *items;
    size_t count, cap;
    pn_input *inputs; /* every file read, in reading order */
    size_t input_count, input_cap;
    bool hash; /* set by the caller: compute each input's SHA-256 (for --db) */
} pn_documents;

/* Reads path: "-" is standard input; a folder is walked recursively for *.yaml, *.yml and
 * *.json in byte order of names, each real folder once (by device and inode, so link loops
 * end); "-" and regular files are read, anything else (a FIFO, a device) is refused unread.
 * Documents are appended to docs and live in arena. Problems are recorded in diags. Returns PN_OK,
 * or PN_EINPUT when something could not be read or parsed (the documents read before the problem
 * are kept). */
int pn_load_path(pn_arena *arena, pn_diags *diags, const char *path, pn_documents *docs);

/* Parses len bytes of text (need not be NUL-terminated) as YAML or, when name ends in .json or
 * the text starts with '{' or '[', strict JSON. name is used in diagnostics. Returns PN_OK, or
 * PN_EINPUT. */
int pn_load_buffer(pn_arena *arena, pn_diags *diags, const char *name, const char *text, size_t len,
                   pn_documents *docs);

/* Frees the documents and inputs arrays (the nodes live in the arena). */
void pn_documents_free(pn_documents *docs);

#endif
