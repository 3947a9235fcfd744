/* fuzz_expect — libFuzzer target for expectations files (podnet check --expect FILE): the
 * input is read (libyaml or cJSON), decoded as expectations and checked against a loaded
 * world — the three-tier shop with its Services, or the subnet-exhaustion cluster settled by
 * ipamd (for node and subnet expectations) — and the results are printed and dropped.
 * fuzz_load also reads its inputs as expectations, but against the world they themselves
 * describe, which is nearly always empty; here the names, ports and Services they ask about
 * exist.
 *
 * Built and run by tests/fuzz/run.sh, from the repository's root (the worlds are read by
 * path once, at start). */
#include "sim/base/arena.h"
#include "sim/base/diag.h"
#include "sim/engine/ipamd.h"
#include "sim/input/load.h"
#include "sim/query/expect.h"
#include "sim/world/world.h"
#include "tests/fuzz/fuzzkit.h"

static const char *const world_paths[][3] = {
    {"scenarios/ci/three-tier/manifests", "scenarios/labs/services/services.yaml", NULL},
    {"scenarios/labs/subnet-exhaustion/cluster.yaml", NULL},
};
#define WORLD_COUNT (sizeof world_paths / sizeof world_paths[0])
static pn_world *worlds[WORLD_COUNT];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (size_t i = 0; i < WORLD_COUNT; i++) {
        pn_diags *diags = pn_diags_new();
        pn_documents docs = {0};
        worlds[i] = pn_world_new();
        for (size_t k = 0; world_paths[i][k]; k++)
            if (pn_load_path(pn_world_arena(worlds[i]), diags, world_paths[i][k], &docs) != 0)
                abort();
        pn_world_options opt = {0};
        if (pn_world_load(worlds[i], &docs, &opt, diags) != 0) {
            pn_diags_flush(diags, stderr);
            abort();
        }
        if (pn_world_aws(worlds[i]))
            pn_ipamd_settle(worlds[i], 5 * 60 * PN_SECOND);
        pn_documents_free(&docs);
        pn_diags_free(diags);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As fuzz_load: odd lengths are read as JSON, even ones as YAML (JSON text is JSON). */
    const char *name = size & 1 ? "expect.json" : "expect.yaml";
    const pn_world *w = worlds[(size >> 1) % WORLD_COUNT];
    pn_arena *arena = pn_arena_new();
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    if (pn_load_buffer(arena, diags, name, (const char *)data, size, &docs) == 0) {
        pn_expectations *e = pn_expect_load(&docs, diags);
        if (e) {
            pn_expect_results results = {0};
            pn_reach_engine engine = size & 4 ? PN_ENGINE_NAIVE : PN_ENGINE_BITSET;
            if (pn_expect_check(e, w, engine, NULL, -1, &results, diags) == 0)
                pn_expect_print(fuzz_sink(), &results, 0, true);
            pn_expect_results_free(&results);
        }
        pn_expect_free(e);
    }
    pn_diags_flush(diags, fuzz_sink());
    pn_documents_free(&docs);
    pn_diags_free(diags);
    pn_arena_free(arena);
    return 0;
}
