/* tool_reach — podnet reach: the truth table of a world (or of a scenario at a moment), with
 * --stats timings and --db recording. */
#include "sim/tool/tool.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What one reach answers with: the table on ports (--port, or every declared port, for the
 * per-port contracts) and the connection sets over the whole space (--all-ports, and the
 * default for the matrix forms and JSON). */
typedef struct {
    pn_port *ports;
    size_t port_count;
    pn_reach *per_port; /* or NULL */
    pn_reach *sets;     /* or NULL */
} reach_answer;

/* --stats: wall time per phase and peak memory, on standard error (never in results). */
static void print_stats(double t0, double t_load, double t_compute, double t_out, size_t pods,
                        size_t policies, const reach_answer *a)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    const pn_reach *r = a->per_port ? a->per_port : a->sets;
    size_t interval_classes = 0;
    if (a->sets)
        pn_reach_ports(a->sets, &interval_classes);
    fprintf(stderr,
            "stats: pods=%zu policies=%zu ports=%zu load_s=%.4f compute_s=%.4f output_s=%.4f "
            "peak_rss_mb=%.1f classes=%zu intervals=%zu interval_classes=%zu\n",
            pods, policies, a->port_count, t_load - t0, t_compute - t_load, t_out - t_compute,
            (double)ru.ru_maxrss / 1024.0, pn_reach_class_count(r),
            a->sets ? pn_reach_interval_count(a->sets) : 0, interval_classes);
}

static bool wants_sets(const pn_tool_options *o)
{
    return o->all_ports ||
           (o->port_count == 0 && o->format != PN_FORMAT_CSV && o->format != PN_FORMAT_COUNT);
}

static bool wants_ports(const pn_tool_options *o)
{
    return !o->all_ports && (o->port_count || o->format == PN_FORMAT_CSV ||
                             o->format == PN_FORMAT_COUNT || o->format == PN_FORMAT_JSON);
}

static void reach_compute(const pn_tool_options *o, pn_world *w, reach_answer *a)
{
    *a = (reach_answer){0};
    if (wants_ports(o)) {
        a->ports = pn_tool_ports_to_ask(o, &w, 1, &a->port_count);
        if (a->port_count == 0 && !wants_sets(o))
            fputs("podnet: no pod declares a port; pass --port to choose one, or --all-ports\n",
                  stderr);
        a->per_port = pn_reach_compute(w, a->ports, a->port_count, o->engine);
    }
    if (wants_sets(o))
        a->sets = pn_reach_compute_sets(w, o->engine);
}

static void reach_answer_free(reach_answer *a)
{
    pn_reach_free(a->per_port);
    pn_reach_free(a->sets);
    free(a->ports);
}

static void reach_print(const pn_tool_options *o, const pn_world *w, const reach_answer *a)
{
    pn_pair_filter filter = {o->from, o->to};
    if (a->sets)
        pn_report_reach_sets(stdout, w, a->sets, a->per_port, o->format, &filter, o->explain);
    else
        pn_report_reach(stdout, w, a->per_port, a->ports, a->port_count, o->format, &filter,
                        o->explain);
    fflush(stdout);
}

/* A --from or --to pattern that matches no pod is a mistake (a typo in a name), not an empty
 * table. Returns PN_EXIT_OK, or PN_EXIT_USAGE after naming the pattern. */
static int check_patterns(const pn_tool_options *o, const pn_world *w)
{
    const char *patterns[2] = {o->from, o->to}, *flags[2] = {"--from", "--to"};
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    for (int k = 0; k < 2; k++) {
        if (!patterns[k])
            continue;
        size_t i = 0;
        while (i < n && !pn_pod_matches(patterns[k], &pods[i]))
            i++;
        if (i == n) {
            fprintf(stderr, "podnet: %s \"%s\" matches no pod\n", flags[k], patterns[k]);
            return PN_EXIT_USAGE;
        }
    }
    return PN_EXIT_OK;
}

/* --exposure: per workload, who may reach it from outside (sim/query/lint's section). */
static int reach_exposure(const pn_tool_options *o, const pn_world *w, const pn_documents *docs)
{
    pn_lint *l = pn_lint_run(w, docs);
    if (o->format == PN_FORMAT_JSON)
        pn_lint_report_json(stdout, l, false, true);
    else
        pn_lint_report_exposure_text(stdout, l);
    pn_lint_free(l);
    return PN_EXIT_OK;
}

static int reach_in(const pn_tool_options *o, pn_world *w)
{
    if (o->exposure)
        return reach_exposure(o, w, NULL);
    if (check_patterns(o, w) != PN_EXIT_OK)
        return PN_EXIT_USAGE;
    reach_answer a;
    reach_compute(o, w, &a);
    reach_print(o, w, &a);
    reach_answer_free(&a);
    return PN_EXIT_OK;
}

/* Records the table in --db (when given). Returns 0, or -1 after a message. */
static int reach_record(const pn_tool_options *o, const pn_world *w, const pn_reach *r,
                        const pn_documents *docs)
{
    pn_session_record rec;
    if (pn_tool_record_begin(o, "reach", false, 0, &rec) != 0)
        return -1;
    if (!rec.store)
        return 0;
    pn_snapshot snap;
    pn_snapshot_from_reach(&snap, w, r);
    int rc = pn_store_add_inputs(rec.store, rec.run, docs->inputs, docs->input_count);
    if (rc == 0)
        rc = pn_store_add_snapshot(rec.store, rec.run, &snap);
    pn_snapshot_clear(&snap);
    return pn_tool_record_end(&rec, rc, 0, 0);
}

int pn_tool_reach(const pn_tool_options *o)
{
    if (o->arg_count)
        return pn_tool_usage_error("unexpected argument \"%s\" (inputs are given with -f)",
                                   o->args[0]);
    if (o->all_ports && o->port_count)
        return pn_tool_usage_error("--all-ports answers over every port; leave out --port%s", "");
    if (o->all_ports && o->explain)
        return pn_tool_usage_error("--explain names the rule per port: ask with --port%s", "");
    if (o->exposure && (o->port_count || o->all_ports || o->explain || o->from || o->to || o->db ||
                        o->stats || (o->format != PN_FORMAT_TABLE && o->format != PN_FORMAT_JSON)))
        return pn_tool_usage_error("--exposure takes -f (or --scenario) and -o table or json "
                                   "only%s",
                                   "");
    if (o->scenario)
        return pn_tool_at_moment(o, reach_in);
    if (o->path_count == 0)
        return pn_tool_usage_error(
            "reach needs at least one -f PATH (or --scenario FILE --at TIME)%s", "");
    if (o->exposure) {
        pn_documents docs = {0};
        pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
        int status = w ? reach_exposure(o, w, &docs) : PN_EXIT_USAGE;
        pn_documents_free(&docs);
        pn_world_free(w);
        return status;
    }
    double t0 = now_seconds();
    pn_documents docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
    if (!w) {
        pn_documents_free(&docs);
        return PN_EXIT_USAGE;
    }
    double t_load = now_seconds();
    if (check_patterns(o, w) != PN_EXIT_OK) {
        pn_documents_free(&docs);
        pn_world_free(w);
        return PN_EXIT_USAGE;
    }
    reach_answer a;
    reach_compute(o, w, &a);
    double t_compute = now_seconds();
    reach_print(o, w, &a);
    if (o->stats) {
        size_t pods, policies;
        pn_world_pods(w, &pods);
        pn_world_policies(w, &policies);
        print_stats(t0, t_load, t_compute, now_seconds(), pods, policies, &a);
    }
    int status = reach_record(o, w, a.per_port ? a.per_port : a.sets, &docs) == 0 ? PN_EXIT_OK
                                                                                  : PN_EXIT_USAGE;
    pn_documents_free(&docs);
    reach_answer_free(&a);
    pn_world_free(w);
    return status;
}
