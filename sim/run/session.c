/* session — inputs to a settled world, a scenario replayed to a moment, runs recorded in the
 * results store: the policy every front end shares (see session.h). */
#include "sim/run/session.h"

#include "sim/base/arena.h"
#include "sim/engine/ipamd.h"
#include "sim/run/scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

pn_world *pn_session_load(const char *const *paths, size_t count, const pn_session_options *opt,
                          pn_documents *docs, pn_diags *diags)
{
    pn_session_options defaults = {0};
    if (!opt)
        opt = &defaults;
    docs->hash = opt->hash_inputs;
    pn_world *w = pn_world_new();
    int rc = 0;
    for (size_t i = 0; i < count; i++)
        if (pn_load_path(pn_world_arena(w), diags, paths[i], docs) != 0)
            rc = -1;
    if (opt->load_more && opt->load_more(opt->load_more_ctx, pn_world_arena(w), diags, docs) != 0)
        rc = -1;
    pn_world_options wo = {
        .pod_cidr = opt->pod_cidr, .strict = opt->strict, .pod_limit = opt->pod_limit};
    if (rc == 0)
        rc = pn_world_load(w, docs, &wo, diags);
    if (rc == 0 && pn_world_aws(w) && opt->aws_settle >= 0) /* pods get their VPC addresses */
        pn_ipamd_settle(w, opt->aws_settle ? opt->aws_settle : PN_SESSION_AWS_SETTLE_DEFAULT);
    if (rc != 0) {
        pn_world_free(w);
        return NULL;
    }
    return w;
}

typedef struct {
    pn_session_visit visit;
    void *ctx;
    bool visited;
} moment;

static void visit_moment(pn_world *w, void *ctx)
{
    moment *m = ctx;
    m->visited = true;
    m->visit(w, m->ctx);
}

int pn_session_at_moment(const char *path, pn_time at, pn_reach_engine engine,
                         pn_session_visit visit, void *ctx, pn_diags *diags)
{
    size_t errors_before = pn_diags_errors(diags);
    pn_scenario *s = pn_scenario_load(path, diags);
    moment m = {visit, ctx, false};
    char *quiet = NULL;
    size_t quiet_len;
    FILE *sink = s ? open_memstream(&quiet, &quiet_len) : NULL;
    pn_expect_results results = {0};
    pn_run_options ro = {.out = sink,
                         .engine = engine,
                         .inspect = visit_moment,
                         .inspect_ctx = &m,
                         .inspect_at = at};
    int rc = s && sink ? pn_scenario_run(s, &ro, &results, diags) : -1;
    if (sink)
        fclose(sink);
    free(quiet);
    pn_expect_results_free(&results);
    pn_scenario_free(s);
    return rc == 0 && m.visited && pn_diags_errors(diags) == errors_before ? 0 : -1;
}

/* A malloc'd message, for *err. */
static char *message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = pn_xcalloc((size_t)(n > 0 ? n : 0) + 1, 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return text;
}

static void record_clear(pn_session_record *rec)
{
    pn_store_close(rec->store);
    free(rec->db);
    rec->store = NULL;
    rec->run = -1;
    rec->db = NULL;
}

int pn_session_record_begin(pn_session_record *rec, const char *db, const char *command,
                            bool has_seed, uint64_t seed, char **err)
{
    *rec = (pn_session_record){.run = -1};
    *err = NULL;
    if (!(rec->store = pn_store_open(db, err)))
        return -1;
    rec->db = pn_xstrdup(db);
    pn_run_info info = {command, PN_VERSION, has_seed, seed};
    if ((rec->run = pn_store_begin_run(rec->store, &info)) < 0) {
        *err = message("%s: %s", db, pn_store_errmsg(rec->store));
        record_clear(rec);
        return -1;
    }
    return 0;
}

int pn_session_record_end(pn_session_record *rec, int rc, size_t passed, size_t failed, char **err)
{
    *err = NULL;
    if (!rec->store)
        return 0;
    if (rc == 0)
        rc = pn_store_end_run(rec->store, rec->run, passed, failed);
    else
        pn_store_abort_run(rec->store);
    if (rc != 0)
        *err = message("%s: cannot record the run: %s", rec->db, pn_store_errmsg(rec->store));
    record_clear(rec);
    return rc != 0 ? -1 : 0;
}
