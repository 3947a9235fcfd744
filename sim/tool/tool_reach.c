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

/* --stats: wall time per phase and peak memory, on standard error (never in results). */
static void print_stats(double t0, double t_load, double t_compute, double t_out, size_t pods,
                        size_t policies, size_t ports, size_t classes)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "stats: pods=%zu policies=%zu ports=%zu load_s=%.4f compute_s=%.4f output_s=%.4f "
            "peak_rss_mb=%.1f classes=%zu\n",
            pods, policies, ports, t_load - t0, t_compute - t_load, t_out - t_compute,
            (double)ru.ru_maxrss / 1024.0, classes);
}

/* The truth table of w on --port (or every declared port); *ports is the array to free. */
static pn_reach *reach_table(const pn_tool_options *o, pn_world *w, pn_port **ports,
                             size_t *port_count)
{
    *ports = pn_tool_ports_to_ask(o, &w, 1, port_count);
    if (*port_count == 0)
        fputs("podnet: no pod declares a port; pass --port to choose one\n", stderr);
    return pn_reach_compute(w, *ports, *port_count, o->engine);
}

static void reach_print(const pn_tool_options *o, const pn_world *w, const pn_reach *r)
{
    size_t port_count;
    const pn_port *ports = pn_reach_ports(r, &port_count);
    pn_pair_filter filter = {o->from, o->to};
    pn_report_reach(stdout, w, r, ports, port_count, o->format, &filter, o->explain);
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

static int reach_in(const pn_tool_options *o, pn_world *w)
{
    if (check_patterns(o, w) != PN_EXIT_OK)
        return PN_EXIT_USAGE;
    pn_port *ports;
    size_t port_count;
    pn_reach *r = reach_table(o, w, &ports, &port_count);
    reach_print(o, w, r);
    pn_reach_free(r);
    free(ports);
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
    if (o->scenario)
        return pn_tool_at_moment(o, reach_in);
    if (o->path_count == 0)
        return pn_tool_usage_error(
            "reach needs at least one -f PATH (or --scenario FILE --at TIME)%s", "");
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
    pn_port *ports;
    size_t port_count;
    pn_reach *r = reach_table(o, w, &ports, &port_count);
    double t_compute = now_seconds();
    reach_print(o, w, r);
    if (o->stats) {
        size_t pods, policies;
        pn_world_pods(w, &pods);
        pn_world_policies(w, &policies);
        print_stats(t0, t_load, t_compute, now_seconds(), pods, policies, port_count,
                    pn_reach_class_count(r));
    }
    int status = reach_record(o, w, r, &docs) == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
    pn_documents_free(&docs);
    pn_reach_free(r);
    free(ports);
    pn_world_free(w);
    return status;
}
