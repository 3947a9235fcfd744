/* expect — expectations about reachability (kind Expectations, podnet.dev/v1alpha1): single
 * connections and whole truth tables written e2e-style (a default plus exceptions), checked
 * against a world's answers. */
#ifndef PN_EXPECT_H
#define PN_EXPECT_H

#include "sim/reach.h"

#include <stdio.h>

typedef struct pn_expectations pn_expectations;

/* Reads every Expectations document of docs (other kinds are errors here). Strings are
 * borrowed from the documents' arena. Returns NULL when there were errors (in diags). */
pn_expectations *pn_expect_load(const pn_documents *docs, pn_diags *diags);

void pn_expect_free(pn_expectations *e); /* accepts NULL */

typedef struct {
    size_t passed, failed;
} pn_expect_tally;

/* Checks every expectation against world w using engine; prints each failure to out with the
 * actual answer and the deciding rule, and each pass too when verbose. A pod pattern that
 * matches no pod is an input error (in diags): returns -1. Otherwise returns 0 and fills
 * *tally (one count per expectation and port). */
int pn_expect_check(const pn_expectations *e, const pn_world *w, pn_engine engine, FILE *out,
                    bool verbose, pn_diags *diags, pn_expect_tally *tally);

#endif
