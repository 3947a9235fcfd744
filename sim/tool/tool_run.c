/* tool_run — podnet run: replays scenarios on the virtual clock and checks their
 * expectations; text or JSON, JUnit XML, --db recording. Exit 1 when any fails. */
#include "sim/tool/tool.h"

#include "sim/base/arena.h"
#include "sim/run/scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Records every scenario's inputs and results in --db (when given). Returns 0, or -1 after a
 * message. */
static int run_record(const pn_tool_options *o, pn_scenario **scenarios, const pn_suite *suites,
                      const pn_expect_results *results, size_t passed, size_t failed)
{
    bool one_seed = o->seed_set || o->arg_count == 1;
    uint64_t seed = o->seed_set ? o->seed : pn_scenario_seed(scenarios[0]);
    pn_session_record rec;
    if (pn_tool_record_begin(o, "run", one_seed, seed, &rec) != 0)
        return -1;
    if (!rec.store)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < o->arg_count && rc == 0; i++) {
        size_t count;
        const pn_input *inputs = pn_scenario_inputs(scenarios[i], &count);
        rc = pn_store_add_inputs(rec.store, rec.run, inputs, count);
        if (rc == 0)
            rc = pn_store_add_results(rec.store, rec.run, suites[i].name, &results[i]);
    }
    return pn_tool_record_end(&rec, rc, passed, failed);
}

/* Replays each scenario. A scenario's narration is buffered and shown only when the scenario
 * had no input error, so bad input never mixes with results. */
int pn_tool_run(const pn_tool_options *o)
{
    if (o->arg_count == 0)
        return pn_tool_usage_error("run needs at least one scenario file%s", "");
    if (o->path_count)
        return pn_tool_usage_error("run takes scenario files as arguments, not -f%s", "");
    if (!o->text_output && o->format != PN_FORMAT_TABLE && o->format != PN_FORMAT_JSON)
        return pn_tool_usage_error("run prints text or json%s", "");
    bool json = o->format == PN_FORMAT_JSON && !o->text_output;
    pn_diags *diags = pn_diags_new();
    pn_expect_results *results = pn_xcalloc(o->arg_count, sizeof *results);
    pn_scenario **scenarios = pn_xcalloc(o->arg_count, sizeof *scenarios);
    pn_suite *suites = pn_xcalloc(o->arg_count, sizeof *suites);
    int status = PN_EXIT_OK;
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < o->arg_count && status != PN_EXIT_USAGE; i++) {
        pn_scenario *s = scenarios[i] = pn_scenario_load(o->args[i], diags);
        if (!s) {
            status = PN_EXIT_USAGE;
            break;
        }
        if (o->seed_set)
            pn_scenario_set_seed(s, o->seed);
        char *text = NULL;
        size_t len = 0;
        FILE *buf = open_memstream(&text, &len);
        pn_run_options ro = {
            .out = buf, .verbose = o->verbose, .engine = o->engine, .pod_limit = o->pod_limit};
        int rc = buf ? pn_scenario_run(s, &ro, &results[i], diags) : -1;
        if (buf)
            fclose(buf);
        if (rc != 0) {
            status = PN_EXIT_USAGE;
        } else if (!json) {
            fwrite(text, 1, len, stdout);
        }
        free(text);
        suites[i] =
            (pn_suite){pn_scenario_name(s), pn_scenario_file(s), pn_scenario_seed(s), &results[i]};
        size_t p, f;
        pn_expect_tally_results(&results[i], &p, &f);
        passed += p;
        failed += f;
    }
    pn_diags_flush(diags, stderr);
    if (status != PN_EXIT_USAGE) {
        if (json)
            pn_report_results_json(stdout, suites, o->arg_count);
        else
            printf("%zu passed, %zu failed\n", passed, failed);
        status = failed ? PN_EXIT_FAILED : PN_EXIT_OK;
        if (run_record(o, scenarios, suites, results, passed, failed) != 0)
            status = PN_EXIT_USAGE;
        if (o->junit) {
            FILE *f = fopen(o->junit, "w");
            if (f)
                pn_report_junit(f, suites, o->arg_count);
            bool ok = f && fflush(f) == 0 && !ferror(f);
            int saved = errno;
            if (f && fclose(f) != 0 && ok) {
                ok = false;
                saved = errno;
            }
            if (!ok) {
                fprintf(stderr, "podnet: cannot write %s: %s\n", o->junit,
                        strerror(saved ? saved : EIO));
                status = PN_EXIT_USAGE;
            }
        }
    }
    for (size_t i = 0; i < o->arg_count; i++) {
        pn_expect_results_free(&results[i]);
        pn_scenario_free(scenarios[i]);
    }
    free(results);
    free(scenarios);
    free(suites);
    pn_diags_free(diags);
    return status;
}
