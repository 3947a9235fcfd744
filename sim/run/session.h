/* session — the policy a command line (or any other front end) applies around the library:
 * how inputs become a settled world (the AWS settle time), how a scenario is replayed to one
 * moment of its timeline, and how a run is recorded in the results store. Kept here, not in
 * sim/tool, so that it has one definition and a unit test. */
#ifndef PN_SESSION_H
#define PN_SESSION_H

#include "sim/base/diag.h"
#include "sim/base/time.h"
#include "sim/input/load.h"
#include "sim/output/report.h"
#include "sim/output/store.h"
#include "sim/query/reach.h"
#include "sim/world/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* podnet's version, as recorded with every run. */
#define PN_VERSION "0.1.0"

/* How long ipamd runs on a freshly read AWS world before anything is asked of it, so that pods
 * hold their VPC addresses (warm pools filled, ENIs attached). */
#define PN_SESSION_AWS_SETTLE_DEFAULT (5 * 60 * PN_SECOND)

typedef struct {
    const char *pod_cidr; /* addresses for pods without status.podIP; NULL: 10.244.0.0/16 */
    bool strict;          /* kinds podnet does not model are errors, not warnings */
    int64_t pod_limit;    /* the most pods in the world; 0: PN_WORLD_POD_LIMIT_DEFAULT */
    bool hash_inputs;     /* compute each input's SHA-256 (needed to record the run) */
    pn_time aws_settle;   /* AWS worlds: 0 settles PN_SESSION_AWS_SETTLE_DEFAULT, < 0 not at all */
    /* Documents that are not files (a live cluster read in memory): called after the paths
     * are read, with the world's arena; returns 0, or -1 with the problem reported. NULL: none. */
    int (*load_more)(void *ctx, pn_arena *arena, pn_diags *diags, pn_documents *docs);
    void *load_more_ctx;
} pn_session_options;

/* Reads count paths (files, folders or "-", see pn_load_path) into a new world and, when the
 * world describes AWS, lets ipamd settle for opt->aws_settle. The documents read are appended
 * to docs (caller frees with pn_documents_free; its inputs are what a record stores); problems
 * go to diags (not printed). opt may be NULL (the defaults). Returns the world (caller frees),
 * or NULL when any input is wrong. */
pn_world *pn_session_load(const char *const *paths, size_t count, const pn_session_options *opt,
                          pn_documents *docs, pn_diags *diags);

/* The namespace and Deployment of the pods pn_session_ipam_fit tries (unlikely to be taken). */
#define PN_SESSION_FIT_NAMESPACE "podnet-ipam-plan"
#define PN_SESSION_FIT_DEPLOYMENT "scale-out"

/* ipam plan's "how many more pods fit", asked of the engine rather than worked out beside it:
 * the documents are loaded into trial worlds (as pn_session_load does with opt, so the same
 * settle time and pod limit), ipamd runs for the settle time, then a Deployment of n plain pods
 * (PN_SESSION_FIT_NAMESPACE/PN_SESSION_FIT_DEPLOYMENT) is applied, as a scenario's step at that
 * moment would, and ipamd runs for PN_SESSION_AWS_SETTLE_DEFAULT more (a scenario's settle). The
 * largest n whose pods all run is found by bisection between 0 and what the nodes' max-pods leave
 * (fewer pods are taken never to fare worse than more); fit gets it, the pods per node, and what
 * becomes of one pod more. docs must outlive the call (they are read, not kept). Returns 0 (caller
 * clears fit with pn_ipam_fit_clear), or -1 with the problems in diags. */
int pn_session_ipam_fit(const pn_documents *docs, const pn_session_options *opt, pn_ipam_fit *fit,
                        pn_diags *diags);

/* What a caller does with the world of a moment; ctx is passed through. */
typedef void (*pn_session_visit)(pn_world *w, void *ctx);

/* Replays the scenario at path up to at — every step, probe and ipamd event due by then — and
 * calls visit once with the world as it is at that moment. The replay's own narration and
 * expectations are discarded. Returns 0 when visit was called and nothing was wrong, or -1
 * with the problems in diags (visit was not called, or an error was found while replaying). */
int pn_session_at_moment(const char *path, pn_time at, pn_reach_engine engine,
                         pn_session_visit visit, void *ctx, pn_diags *diags);

/* A run being recorded in a results store. */
typedef struct {
    pn_store *store; /* open while recording; NULL when nothing is recorded */
    int64_t run;     /* the run's id, or -1 */
    char *db;        /* the database path (owned) */
} pn_session_record;

/* Opens (creating) the store at db and starts a run of command ("run", "check", "reach") with
 * PN_VERSION and the seed when has_seed. Returns 0, or -1 with a message in *err (caller frees);
 * rec is then empty and pn_session_record_end on it does nothing. */
int pn_session_record_begin(pn_session_record *rec, const char *db, const char *command,
                            bool has_seed, uint64_t seed, char **err);

/* Ends the run: when rc is 0 writes the totals and commits, otherwise rolls everything of the
 * run back. Closes the store and empties rec (accepts an empty rec: returns 0). Returns 0, or
 * -1 with a message in *err (caller frees) when the run could not be committed. */
int pn_session_record_end(pn_session_record *rec, int rc, size_t passed, size_t failed, char **err);

#endif
