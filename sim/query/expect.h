/* expect — expectations about reachability: single connections and whole truth tables
 * written e2e-style (a default plus exceptions), read from `kind: Expectations` documents or
 * from a scenario's lists, and checked against the world as it is at a moment. */
#ifndef PN_EXPECT_H
#define PN_EXPECT_H

#include "sim/query/reach.h"

#include <stdio.h>

#define PN_EXPECT_MAX_SHOWN 20 /* differing pairs kept (and printed) per failed expectation */

typedef struct pn_expectations pn_expectations;

/* Reads every Expectations document of docs (other kinds are errors here). Strings are
 * borrowed from the documents. Returns NULL when there were errors (in diags). */
pn_expectations *pn_expect_load(const pn_documents *docs, pn_diags *diags);

/* Reads a list of expectations (a scenario's `expect:`) from file. Returns NULL on errors. */
pn_expectations *pn_expect_parse(const pn_doc_node *list, const char *file, pn_diags *diags);

void pn_expect_free(pn_expectations *e); /* accepts NULL */

/* Number of expectations (each may cover several ports). */
size_t pn_expect_count(const pn_expectations *e);

/* One pair whose answer differed, with names and the explanation of the actual verdict as
 * they were when checked (the world may change afterwards). */
typedef struct {
    char *from, *to;
    bool expected, actual;
    char *explanation;
    char *sets; /* an expectation over a set of ports: what was asked and found, else NULL */
} pn_mismatch;

/* The outcome of one expectation on one port (state expectations and expectations over a
 * set of ports: port is 0; for states pairs counts the pods or figures checked). */
typedef struct {
    const char *name; /* owned: the expectation's name, with the port when it has several */
    const char *why;  /* borrowed; NULL when not given */
    const char *file;
    unsigned line, column; /* where the expectation is written */
    pn_port port;
    int64_t at; /* virtual time of the check in ns, or -1 outside a timeline */
    bool passed;
    size_t pairs;       /* pairs the expectation covers */
    size_t wrong;       /* pairs whose answer differed */
    pn_mismatch *shown; /* the first PN_EXPECT_MAX_SHOWN of them */
    size_t shown_count;
    char *detail; /* state expectations that failed: what was found instead */
} pn_expect_result;

typedef struct {
    pn_expect_result *items;
    size_t count, cap;
} pn_expect_results;

/* Checks every expectation against world w as it is now (time at, -1 when there is no clock)
 * and appends one result per expectation and port to out. With the bitset engine, cache (may
 * be NULL) carries work over from the previous check of the same world. A pod pattern that
 * matches no pod is an input error (in diags): returns -1, appending nothing. */
int pn_expect_check(const pn_expectations *e, const pn_world *w, pn_reach_engine engine,
                    pn_reach_cache *cache, int64_t at, pn_expect_results *out, pn_diags *diags);

/* Counts passes and failures. */
void pn_expect_tally_results(const pn_expect_results *res, size_t *passed, size_t *failed);

/* Prints results from index first on: a FAIL block per failure (the differing pairs with the
 * deciding rules), and PASS lines when verbose. */
void pn_expect_print(FILE *out, const pn_expect_results *res, size_t first, bool verbose);

void pn_expect_results_free(pn_expect_results *res);

#endif
