/* scenario — a world, a timeline of changes on a virtual clock, and expectations along the
 * way (kind Scenario, podnet.dev/v1alpha1; format in docs/scenario-format.md). */
#ifndef PN_SCENARIO_H
#define PN_SCENARIO_H

#include "sim/engine/engine.h"
#include "sim/query/expect.h"

#include <stdio.h>

typedef struct pn_scenario pn_scenario;

/* Reads the scenario in path and every file it names (relative to path's folder). Returns
 * NULL when anything is wrong (in diags); nothing has run then. */
pn_scenario *pn_scenario_load(const char *path, pn_diags *diags);

void pn_scenario_free(pn_scenario *s); /* accepts NULL */

const char *pn_scenario_name(const pn_scenario *s);
const char *pn_scenario_file(const pn_scenario *s);

/* spec.description, or "" when there is none. */
const char *pn_scenario_description(const pn_scenario *s);
uint64_t pn_scenario_seed(const pn_scenario *s);

/* Every file the scenario read: itself and the files it names. Owned by the scenario. */
const pn_input *pn_scenario_inputs(const pn_scenario *s, size_t *count);

/* Overrides the scenario's seed (--seed). */
void pn_scenario_set_seed(pn_scenario *s, uint64_t seed);

typedef struct {
    FILE *out;    /* narration and failures */
    bool verbose; /* narrate every event and print passes */
    pn_reach_engine engine;
    int64_t pod_limit; /* the most pods in the world; 0: PN_WORLD_POD_LIMIT_DEFAULT */
    /* When set, the replay stops at inspect_at (after every event due then) and hands the
     * world as it is to inspect instead of settling and checking the end (trace --at). */
    void (*inspect)(pn_world *w, void *ctx);
    void *inspect_ctx;
    pn_time inspect_at;
} pn_run_options;

/* Replays the scenario: builds the world, runs the timeline, checks expectations when they
 * are due and after settling, appending to results. Returns 0, or -1 on an input error found
 * while running (an apply that does not decode, a pattern that names no pod...). */
int pn_scenario_run(pn_scenario *s, const pn_run_options *opt, pn_expect_results *results,
                    pn_diags *diags);

#endif
