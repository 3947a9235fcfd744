/* fuzz_load — libFuzzer target for everything podnet does with untrusted input: the reader
 * (libyaml and cJSON behind pn_load_buffer), the decoders and validations (pn_world_load),
 * and both reachability engines, which must agree on every world that loads (an AWS world is
 * first settled by the VPC CNI model, so the network walk runs too). Also reads the
 * same documents as expectations, since `podnet check` feeds user files to that decoder.
 *
 * Built and run by tests/fuzz/run.sh. A crash, a sanitizer report, a leak or an abort() here
 * is a bug in podnet (or in this harness); the input that caused it is the reproducer. */
#include "sim/base/arena.h"
#include "sim/base/diag.h"
#include "sim/engine/ipamd.h"
#include "sim/query/expect.h"
#include "sim/input/load.h"
#include "sim/query/reach.h"
#include "sim/world/world.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Worlds bigger than this are loaded but not computed: a short input can ask for a million
 * replicas, and an all-pairs table of those says nothing about correctness, only about time.
 * (That inputs can ask for it at all is reported separately, not hidden here.) */
#define MAX_CELLS ((size_t)1 << 20) /* pods * pods * ports */

/* Where diagnostics and check output go: formatted (so the formatting code runs), then
 * dropped. Opened once; libFuzzer runs inputs one after another in one process. */
static FILE *sink(void)
{
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    return devnull;
}

/* Both engines on every port; aborts when their tables differ. */
static void compare_engines(const pn_world *w)
{
    size_t pod_count, port_count = 0;
    pn_world_pods(w, &pod_count);
    pn_port *ports = pn_reach_declared_ports(w, &port_count);
    pn_port fallback = {80, PN_PROTO_TCP};
    const pn_port *use = port_count ? ports : &fallback;
    size_t use_count = port_count ? port_count : 1;
    if (pod_count * pod_count * use_count <= MAX_CELLS) {
        pn_reach *bitset = pn_reach_compute(w, use, use_count, PN_ENGINE_BITSET);
        pn_reach *naive = pn_reach_compute(w, use, use_count, PN_ENGINE_NAIVE);
        if (!pn_reach_equal(bitset, naive)) {
            fprintf(stderr, "fuzz_load: engines disagree (%zu pods, %zu ports)\n", pod_count,
                    use_count);
            abort();
        }
        pn_reach_free(bitset);
        pn_reach_free(naive);
    }
    free(ports);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The name decides how the text is read: a .json name forces strict JSON even when the
     * text does not start with '{' or '[' (text that does is read as JSON whatever its name).
     * Odd lengths are JSON: the first byte would do too, but YAML manifests nearly all start
     * with 'a', 'k', '#' or '-', so its low bit would send most of them the same way. */
    const char *name = size & 1 ? "in.json" : "in.yaml";
    pn_diags *diags = pn_diags_new();
    pn_world *w = pn_world_new();
    pn_documents docs = {0};
    if (pn_load_buffer(pn_world_arena(w), diags, name, (const char *)data, size, &docs) == 0) {
        /* The expectations decoder reads the same trees (it rejects other kinds). */
        pn_expectations *e = pn_expect_load(&docs, diags);
        pn_world_options opt = {.pod_cidr = NULL, .strict = (size & 2) != 0};
        if (pn_world_load(w, &docs, &opt, diags) == 0) {
            size_t nodes;
            pn_world_nodes(w, &nodes);
            if (pn_world_aws(w) && nodes <= 64)
                pn_ipamd_settle(w, 30 * PN_SECOND);
            compare_engines(w);
            size_t pod_count;
            pn_world_pods(w, &pod_count);
            if (e && pod_count <= 64) { /* expectations may name thousands of ports */
                pn_expect_results results = {0};
                if (pn_expect_check(e, w, PN_ENGINE_BITSET, NULL, -1, &results, diags) == 0)
                    pn_expect_print(sink(), &results, 0, true);
                pn_expect_results_free(&results);
            }
        }
        pn_expect_free(e);
    }
    pn_diags_flush(diags, sink());
    pn_documents_free(&docs);
    pn_diags_free(diags);
    pn_world_free(w);
    return 0;
}
