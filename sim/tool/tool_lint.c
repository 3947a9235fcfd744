/* tool_lint — podnet lint: the policy review of a world (sim/query/lint) in text, JSON or
 * SARIF, with the exit status CI gates on. */
#include "sim/tool/tool.h"

#include <string.h>

/* Reviews w and prints the review. docs are the documents -f read (positions come from them);
 * NULL with --scenario, where lint reads the files the world's origins name. */
static int lint_world(const pn_tool_options *o, const pn_world *w, const pn_documents *docs)
{
    pn_lint *l = pn_lint_run(w, docs);
    const char *format = o->output ? o->output : "text";
    if (strcmp(format, "json") == 0)
        pn_lint_report_json(stdout, l, true, true);
    else if (strcmp(format, "sarif") == 0)
        pn_lint_report_sarif(stdout, l, PN_VERSION);
    else
        pn_lint_report_text(stdout, l, true);
    pn_lint_severity fail_on = o->fail_on_set ? (pn_lint_severity)o->fail_on : PN_LINT_ERROR;
    int status = pn_lint_count_at_least(l, fail_on) ? PN_EXIT_FAILED : PN_EXIT_OK;
    pn_lint_free(l);
    return status;
}

static int lint_in(const pn_tool_options *o, pn_world *w)
{
    return lint_world(o, w, NULL);
}

int pn_tool_lint(const pn_tool_options *o)
{
    if (o->arg_count)
        return pn_tool_usage_error("unexpected argument \"%s\" (inputs are given with -f)",
                                   o->args[0]);
    if (o->scenario)
        return pn_tool_at_moment(o, lint_in);
    if (o->path_count == 0)
        return pn_tool_usage_error(
            "lint needs at least one -f PATH (or --scenario FILE --at TIME)%s", "");
    pn_documents docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
    int status = PN_EXIT_USAGE;
    if (w)
        status = lint_world(o, w, &docs);
    pn_documents_free(&docs);
    pn_world_free(w);
    return status;
}
