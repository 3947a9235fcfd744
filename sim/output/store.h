/* store — the results store in SQLite: runs (when, podnet version, inputs with SHA-256, seed),
 * every expectation with its verdict, and the truth tables asked for, kept compact (a bitset
 * blob per equivalence class and port). The one file that talks to SQLite. */
#ifndef PN_STORE_H
#define PN_STORE_H

#include "sim/output/diff.h"
#include "sim/query/expect.h"
#include "sim/input/load.h"

#include <stdio.h>

#define PN_STORE_SCHEMA_VERSION 3

typedef struct pn_store pn_store;

/* Opens (creating) the database at path and migrates its schema forward to the current
 * version. A file that is not podnet's (another application_id, or tables without podnet's
 * mark) is refused untouched. Returns NULL with a message in *err (caller frees) on failure. */
pn_store *pn_store_open(const char *path, char **err);

/* Like pn_store_open for the commands that only read (history, diff): a file that does not
 * exist, or is empty, is an error and is not created. */
pn_store *pn_store_open_existing(const char *path, char **err);

/* True when run is recorded in s. */
bool pn_store_has_run(pn_store *s, int64_t run);

/* Like pn_store_open, but migrates only up to version (for testing migrations). */
pn_store *pn_store_open_at(const char *path, int version, char **err);

void pn_store_close(pn_store *s); /* accepts NULL */

/* The schema version of the open database. */
int pn_store_version(pn_store *s);

typedef struct {
    const char *command; /* "run", "check" or "reach" */
    const char *version; /* podnet's version */
    bool has_seed;
    uint64_t seed;
} pn_run_info;

/* Starts recording a run: everything until pn_store_end_run is one transaction, so a run that
 * is killed midway leaves the database as it was. Returns the run's id, or PN_EIO (see
 * errmsg). */
int64_t pn_store_begin_run(pn_store *s, const pn_run_info *info);

/* Records the files a run read (path, SHA-256, size). */
int pn_store_add_inputs(pn_store *s, int64_t run, const pn_input *inputs, size_t count);

/* Records results (scenario is NULL for check). These writers return PN_OK, or PN_EIO with the
 * database's words in pn_store_errmsg. */
int pn_store_add_results(pn_store *s, int64_t run, const char *scenario,
                         const pn_expect_results *res);

/* Records a truth table. */
int pn_store_add_snapshot(pn_store *s, int64_t run, const pn_snapshot *snap);

/* Writes the pass/fail totals and commits. pn_store_abort_run rolls back instead. */
int pn_store_end_run(pn_store *s, int64_t run, size_t passed, size_t failed);
void pn_store_abort_run(pn_store *s);

/* Reads the truth table of a run back. Returns PN_OK, PN_ENOTFOUND (no such run or no table),
 * or PN_EIO. */
int pn_store_load_snapshot(pn_store *s, int64_t run, pn_snapshot *out);

/* Prints the newest count runs (all when count is 0), newest first. */
int pn_store_history(pn_store *s, FILE *out, size_t count);

/* The last error, for messages. */
const char *pn_store_errmsg(pn_store *s);

#endif
