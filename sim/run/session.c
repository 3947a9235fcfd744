/* session — inputs to a settled world, a scenario replayed to a moment, runs recorded in the
 * results store: the policy every front end shares (see session.h). */
#include "sim/run/session.h"

#include "sim/base/arena.h"
#include "sim/engine/ipamd.h"
#include "sim/run/scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One trial of pn_session_ipam_fit: the scale-out applied as a step would be. */
typedef struct {
    pn_world *w;
    pn_ipamd *ipamd;
    const pn_world_options *wo;
    long pods;
    pn_diags *diags;
    int rc;
} scale_out;

static void apply_scale_out(pn_engine *e, void *ctx, uint64_t arg)
{
    scale_out *so = ctx;
    char text[512];
    int n = snprintf(text, sizeof text,
                     "apiVersion: apps/v1\n"
                     "kind: Deployment\n"
                     "metadata: {name: " PN_SESSION_FIT_DEPLOYMENT
                     ", namespace: " PN_SESSION_FIT_NAMESPACE "}\n"
                     "spec:\n"
                     "  replicas: %ld\n"
                     "  selector: {matchLabels: {app: " PN_SESSION_FIT_DEPLOYMENT "}}\n"
                     "  template:\n"
                     "    metadata: {labels: {app: " PN_SESSION_FIT_DEPLOYMENT "}}\n"
                     "    spec: {containers: [{name: pod, image: pause}]}\n",
                     so->pods);
    pn_documents docs = {0};
    so->rc = pn_load_buffer(pn_world_arena(so->w), so->diags, "(ipam plan scale-out)", text,
                            (size_t)n, &docs);
    if (so->rc == 0)
        so->rc = pn_world_apply(so->w, &docs, so->wo, so->diags);
    pn_documents_free(&docs);
    if (so->rc == 0)
        pn_ipamd_sync(so->ipamd);
}

static bool is_scale_out_pod(const pn_pod *p)
{
    return strcmp(p->ns_name, PN_SESSION_FIT_NAMESPACE) == 0 &&
           strncmp(p->name, PN_SESSION_FIT_DEPLOYMENT "-", strlen(PN_SESSION_FIT_DEPLOYMENT "-")) ==
               0;
}

/* Loads docs into a new world, runs ipamd for settle, scales out by pods (none: 0) and runs it
 * for a scenario's default settle time after that. *waits is set when a pod of the scale-out
 * does not run, and then, when next is not NULL, the first such pod (in name order) is
 * described in it (copied: pod reasons are the components' and go with them). Returns the
 * world (caller frees; its pods' reasons must not be read), or NULL with the problems in
 * diags. */
static pn_world *try_scale_out(const pn_documents *docs, const pn_session_options *opt,
                               pn_time settle, long pods, bool *waits, pn_ipam_fit *next,
                               pn_diags *diags)
{
    pn_world_options wo = {
        .pod_cidr = opt->pod_cidr, .strict = opt->strict, .pod_limit = opt->pod_limit};
    pn_world *w = pn_world_new();
    if (pn_world_load(w, docs, &wo, diags) != 0) {
        pn_world_free(w);
        return NULL;
    }
    pn_engine *e = pn_engine_new(1);
    scale_out so = {w, pn_ipamd_new(w, e, NULL), &wo, pods, diags, 0};
    if (pods > 0) /* scheduled first, it runs before the pool checks due at the same moment */
        pn_engine_schedule(e, settle, apply_scale_out, &so, 0);
    pn_engine_run(e, pods > 0 ? settle + PN_SESSION_AWS_SETTLE_DEFAULT : settle);
    *waits = false;
    size_t count;
    const pn_pod *all = pn_world_pods(w, &count);
    for (size_t i = 0; i < count && !*waits && so.rc == 0; i++) {
        const pn_pod *p = &all[i];
        if (!is_scale_out_pod(p) || p->phase == PN_POD_RUNNING)
            continue;
        *waits = true;
        if (next) {
            next->next_known = true;
            next->next_node = p->node_name ? pn_xstrdup(p->node_name) : NULL;
            next->next_phase = p->phase;
            next->next_reason = p->reason ? pn_xstrdup(p->reason) : NULL;
            const pn_node *n = p->node_name ? pn_world_find_node(w, p->node_name) : NULL;
            next->next_node_assigned = n ? n->ips_assigned : 0;
        }
    }
    pn_ipamd_free(so.ipamd);
    pn_engine_free(e);
    if (so.rc != 0) {
        pn_world_free(w);
        return NULL;
    }
    return w;
}

/* The pods of the scale-out each node of w runs, into per (node order; zeroed first). */
static void scale_out_pods_per_node(const pn_world *w, int *per, size_t node_count)
{
    size_t pod_count, count;
    const pn_pod *pods = pn_world_pods(w, &pod_count);
    const pn_node *nodes = pn_world_nodes(w, &count);
    memset(per, 0, node_count * sizeof *per);
    for (size_t i = 0; i < pod_count; i++)
        for (size_t k = 0; k < count && k < node_count && is_scale_out_pod(&pods[i]); k++)
            if (pods[i].phase == PN_POD_RUNNING && pods[i].node_name &&
                strcmp(pods[i].node_name, nodes[k].name) == 0)
                per[k]++;
}

/* Whether ipamd's scheduler counts p against its node's max-pods (pn_ipamd_sync: hostNetwork
 * pods and pods with declared addresses are not its, nor observed pods that do not run). */
static bool counts_for_scheduler(const pn_pod *p)
{
    return !p->host_network && !p->ip_declared && !(p->observed && p->phase != PN_POD_RUNNING);
}

/* A first guess at the answer, for the engine to confirm: the pods ipamd's scheduler places
 * one by one (on the node with the fewest pods that is below its max-pods, ties in node order)
 * before one lands on a node already running as many of them as it did when every node was
 * asked for all it could take (cap). load is what each node runs before the scale-out. */
static long guess_fit(size_t node_count, const int *max_pods, const int *load, const int *cap,
                      long most)
{
    int *placed = pn_xcalloc(node_count ? node_count : 1, sizeof *placed);
    long k = 0;
    for (; k < most; k++) {
        long best = -1;
        for (size_t i = 0; i < node_count; i++)
            if (load[i] + placed[i] < max_pods[i] &&
                (best < 0 || load[i] + placed[i] < load[best] + placed[best]))
                best = (long)i;
        if (best < 0 || placed[best] >= cap[best])
            break;
        placed[best]++;
    }
    free(placed);
    return k;
}

int pn_session_ipam_fit(const pn_documents *docs, const pn_session_options *opt, pn_ipam_fit *fit,
                        pn_diags *diags)
{
    pn_session_options defaults = {0};
    if (!opt)
        opt = &defaults;
    *fit = (pn_ipam_fit){0};
    pn_time settle = opt->aws_settle > 0 ? opt->aws_settle : PN_SESSION_AWS_SETTLE_DEFAULT;
    bool waits;
    pn_world *best = try_scale_out(docs, opt, settle, 0, &waits, NULL, diags); /* of low */
    if (!best)
        return -1;
    /* What each node runs now (the scheduler's starting point) and may run (max-pods, and the
     * addresses its ENIs can hold): no scale-out runs more than that leaves, nor more than the
     * pod limit allows. */
    size_t node_count, pod_count;
    const pn_node *nodes = pn_world_nodes(best, &node_count);
    const pn_pod *pods = pn_world_pods(best, &pod_count);
    size_t n = node_count ? node_count : 1;
    int *load = pn_xcalloc(n, sizeof *load), *cap = pn_xcalloc(n, sizeof *cap);
    int *max_pods = pn_xcalloc(n, sizeof *max_pods);
    long most = 0;
    for (size_t k = 0; k < node_count; k++) {
        for (size_t i = 0; i < pod_count; i++)
            if (counts_for_scheduler(&pods[i]) && pods[i].node_name &&
                strcmp(pods[i].node_name, nodes[k].name) == 0)
                load[k]++;
        max_pods[k] = nodes[k].max_pods;
        const pn_instance_type *t = pn_instance_find(nodes[k].instance_type);
        int by_kubelet = max_pods[k] - load[k];
        int by_enis = t ? pn_ipam_pod_addresses_max(t, pn_world_cni(best)) - nodes[k].ips_assigned
                        : by_kubelet;
        int room = by_enis < by_kubelet ? by_enis : by_kubelet;
        most += room > 0 ? room : 0;
    }
    int64_t limit = opt->pod_limit > 0 ? opt->pod_limit : PN_WORLD_POD_LIMIT_DEFAULT;
    long allowed = limit > (int64_t)pod_count ? (long)(limit - (int64_t)pod_count) : 0;
    if (most > allowed)
        most = allowed;
    /* The answer lies in [low, high): low is known to fit, high not to (or not allowed). A
     * trial replays the whole world, so there are few: everything the nodes may take (which
     * also says what each can take), a guess from that, one more than the guess, and only
     * when the guess was wrong, bisection. */
    long low = 0, high = most + 1, guess = -1;
    pn_ipam_fit at_high = {0}; /* what became of the first pod that waited in the trial of high */
    int rc = 0;
    for (int round = 0; high - low > 1; round++) {
        long mid = low + (high - low) / 2;
        if (round == 0)
            mid = most;
        else if (round == 1 && guess > low && guess < high)
            mid = guess;
        else if (round == 2 && guess == low && guess + 1 < high)
            mid = guess + 1;
        pn_ipam_fit tried = {0};
        pn_world *t = try_scale_out(docs, opt, settle, mid, &waits, &tried, diags);
        if (!t) {
            rc = -1;
            break;
        }
        if (round == 0) {
            scale_out_pods_per_node(t, cap, node_count);
            guess = guess_fit(node_count, max_pods, load, cap, most);
        }
        if (waits) {
            high = mid;
            pn_ipam_fit_clear(&at_high);
            at_high = tried;
            pn_world_free(t);
        } else {
            low = mid;
            pn_world_free(best);
            best = t;
        }
    }
    free(load);
    free(cap);
    free(max_pods);
    if (rc == 0) {
        fit->pods = low;
        fit->node_count = node_count;
        fit->node_pods = pn_xcalloc(n, sizeof *fit->node_pods);
        scale_out_pods_per_node(best, fit->node_pods, node_count);
        if (at_high.next_known) { /* one pod more was tried: what stops it */
            fit->next_known = true;
            fit->next_node = at_high.next_node;
            fit->next_phase = at_high.next_phase;
            fit->next_reason = at_high.next_reason;
            fit->next_node_assigned = at_high.next_node_assigned;
            at_high = (pn_ipam_fit){0};
        } else if (low + 1 <= allowed) { /* high was known from max-pods, not tried */
            pn_world *t = try_scale_out(docs, opt, settle, low + 1, &waits, fit, diags);
            rc = t ? 0 : -1;
            pn_world_free(t);
        }
    }
    pn_ipam_fit_clear(&at_high);
    pn_world_free(best);
    if (rc != 0)
        pn_ipam_fit_clear(fit);
    return rc;
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
