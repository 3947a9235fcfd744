/* tool_check — podnet check: expectations (--expect) checked against a world without a
 * timeline. Exit 1 when any fails. */
#include "sim/tool/tool.h"

#include "sim/query/expect.h"

/* Records the check in --db (when given). Returns 0, or -1 after a message. */
static int check_record(const pn_tool_options *o, const pn_documents *docs,
                        const pn_documents *expect_docs, const pn_expect_results *results,
                        size_t passed, size_t failed)
{
    pn_session_record rec;
    if (pn_tool_record_begin(o, "check", false, 0, &rec) != 0)
        return -1;
    if (!rec.store)
        return 0;
    int rc = pn_store_add_inputs(rec.store, rec.run, docs->inputs, docs->input_count);
    if (rc == 0)
        rc = pn_store_add_inputs(rec.store, rec.run, expect_docs->inputs, expect_docs->input_count);
    if (rc == 0)
        rc = pn_store_add_results(rec.store, rec.run, NULL, results);
    return pn_tool_record_end(&rec, rc, passed, failed);
}

int pn_tool_check(const pn_tool_options *o)
{
    if (o->arg_count)
        return pn_tool_usage_error("unexpected argument \"%s\" (inputs are given with -f)",
                                   o->args[0]);
    if (o->path_count == 0 || !o->expect)
        return pn_tool_usage_error("check needs -f PATH... and --expect FILE%s", "");
    pn_documents docs = {0}, expect_docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
    if (!w) {
        pn_documents_free(&docs);
        return PN_EXIT_USAGE;
    }
    pn_diags *diags = pn_diags_new();
    int status = PN_EXIT_USAGE;
    pn_expectations *e = NULL;
    expect_docs.hash = o->db != NULL;
    if (pn_load_path(pn_world_arena(w), diags, o->expect, &expect_docs) == 0)
        e = pn_expect_load(&expect_docs, diags);
    if (e && pn_expect_count(e) == 0) {
        /* An empty file would pass in CI whatever the cluster does. */
        pn_diag_add(diags, PN_DIAG_ERROR, o->expect, 0, 0,
                    "no expectations: a check of nothing would always pass");
        pn_expect_free(e);
        e = NULL;
    }
    pn_expect_results results = {0};
    if (e && pn_expect_check(e, w, o->engine, NULL, -1, &results, diags) == 0) {
        size_t passed, failed;
        pn_expect_print(stdout, &results, 0, o->verbose);
        pn_expect_tally_results(&results, &passed, &failed);
        printf("%zu passed, %zu failed\n", passed, failed);
        status = failed ? PN_EXIT_FAILED : PN_EXIT_OK;
        if (check_record(o, &docs, &expect_docs, &results, passed, failed) != 0)
            status = PN_EXIT_USAGE;
    }
    pn_expect_results_free(&results);
    pn_diags_flush(diags, stderr);
    pn_expect_free(e);
    pn_documents_free(&docs);
    pn_documents_free(&expect_docs);
    pn_diags_free(diags);
    pn_world_free(w);
    return status;
}
