/* fuzz_scenario — libFuzzer target for scenario files: the input is read as a scenario
 * (pn_scenario_load) and, when it loads, replayed (pn_scenario_run: steps, scale, labels,
 * deletes, the engine with ipamd and kubelet, expectations at moments), its narration
 * formatted and dropped.
 *
 * The input is written into a private folder and read from there. The seeds are the shipped
 * scenarios with the files they name inlined (world and apply `objects:`), so they load without
 * their folders. Inputs that could name a path outside the folder (an absolute path, "..") are
 * skipped: walking the machine's file system is not podnet's input handling (folders are tested
 * by the CLI cases: link loops, FIFOs, devices).
 *
 * Built and run by tests/fuzz/run.sh, from the repository's root. */
#include "sim/base/diag.h"
#include "sim/run/scenario.h"
#include "tests/fuzz/fuzzkit.h"

#include <string.h>
#include <unistd.h>

/* Worlds much bigger than the labs' say nothing more about correctness, only about time. */
#define POD_LIMIT 512

/* Whether text could name a file outside the private folder: "..", or a '/' that starts a
 * value (after a space, a quote, a bracket, a comma, a colon or a line's start). YAML and
 * JSON escapes (\x2f, \u002f, \/) are refused wholesale for the same reason. */
static bool may_leave_folder(const uint8_t *text, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (text[i] == '\\' || (text[i] == '.' && i + 1 < size && text[i + 1] == '.'))
            return true;
        if (text[i] == '/' && (i == 0 || strchr(" \t\r\n\"'[{,:-?|>", text[i - 1])))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (may_leave_folder(data, size))
        return 0;
    const char *path = fuzz_path(size & 1 ? "scenario.json" : "scenario.yaml");
    fuzz_write_file(path, data, size);
    pn_diags *diags = pn_diags_new();
    pn_scenario *s = pn_scenario_load(path, diags);
    if (s) {
        pn_expect_results results = {0};
        pn_run_options ro = {.out = fuzz_sink(),
                             .verbose = (size & 2) != 0,
                             .engine = size & 4 ? PN_ENGINE_NAIVE : PN_ENGINE_BITSET,
                             .pod_limit = POD_LIMIT};
        pn_scenario_run(s, &ro, &results, diags);
        pn_expect_print(fuzz_sink(), &results, 0, true);
        pn_expect_results_free(&results);
    }
    pn_diags_flush(diags, fuzz_sink());
    pn_scenario_free(s);
    pn_diags_free(diags);
    unlink(path);
    return 0;
}
