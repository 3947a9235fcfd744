/* tool_diff — podnet diff: the connectivity that changed between two worlds (-f, --against),
 * or between two truth tables recorded in --db. */
#include "sim/tool/tool.h"

#include "sim/output/diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* podnet diff --db FILE RUN_A RUN_B: the same comparison between two recorded tables. */
static int diff_runs(const pn_tool_options *o)
{
    if (o->arg_count != 2)
        return pn_tool_usage_error("diff --db FILE takes two run ids (see podnet history)%s", "");
    int64_t ids[2];
    for (int i = 0; i < 2; i++) {
        char *end;
        errno = 0; /* an id past 2^63 - 1 is refused, not clamped */
        long long id = strtoll(o->args[i], &end, 10);
        if (!*o->args[i] || *end || id < 1 || errno == ERANGE)
            return pn_tool_usage_error("\"%s\" is not a run id", o->args[i]);
        ids[i] = id;
    }
    pn_store *st = pn_tool_open_store(o->db);
    if (!st)
        return PN_EXIT_USAGE;
    pn_snapshot snaps[2] = {{0}, {0}};
    int status = PN_EXIT_OK;
    for (int i = 0; i < 2 && status == PN_EXIT_OK; i++) {
        int rc = PN_OK;
        if (!pn_store_has_run(st, ids[i])) {
            fprintf(stderr, "podnet: %s: no run %lld (see podnet history --db %s)\n", o->db,
                    (long long)ids[i], o->db);
            status = PN_EXIT_USAGE;
        } else if ((rc = pn_store_load_snapshot(st, ids[i], &snaps[i])) == PN_ENOTFOUND) {
            fprintf(stderr,
                    "podnet: %s: run %lld has no truth table (record one with podnet "
                    "reach --db)\n",
                    o->db, (long long)ids[i]);
            status = PN_EXIT_USAGE;
        } else if (rc != PN_OK) { /* there is a table, but it does not read back */
            const char *why = pn_store_errmsg(st);
            fprintf(stderr, "podnet: %s: run %lld's truth table cannot be read (%s)\n", o->db,
                    (long long)ids[i],
                    strcmp(why, "not an error") != 0 ? why : "damaged, or not what podnet writes");
            status = PN_EXIT_USAGE;
        }
    }
    if (status == PN_EXIT_OK && snaps[0].sets != snaps[1].sets) {
        fprintf(stderr,
                "podnet: runs %lld and %lld recorded different tables (one over every port, "
                "one on chosen ports): record both alike\n",
                (long long)ids[0], (long long)ids[1]);
        status = PN_EXIT_USAGE;
    }
    if (status == PN_EXIT_OK && snaps[0].sets)
        pn_diff_write_sets(stdout, &snaps[0], &snaps[1], NULL, NULL, o->format);
    else if (status == PN_EXIT_OK)
        pn_diff_write(stdout, &snaps[0], &snaps[1], o->format);
    pn_snapshot_clear(&snaps[0]);
    pn_snapshot_clear(&snaps[1]);
    pn_store_close(st);
    return status;
}

int pn_tool_diff(const pn_tool_options *o)
{
    if (o->format == PN_FORMAT_COUNT || o->text_output)
        return pn_tool_usage_error("diff prints table, csv, json or md%s", "");
    if (o->all_ports && o->port_count)
        return pn_tool_usage_error("--all-ports answers over every port; leave out --port%s", "");
    if (o->db && !o->path_count && !o->against_count)
        return diff_runs(o);
    if (o->path_count == 0 || o->against_count == 0)
        return pn_tool_usage_error("diff needs -f OLD... and --against NEW...%s", "");
    if (o->arg_count)
        return pn_tool_usage_error("unexpected argument \"%s\"", o->args[0]);
    pn_documents old_docs = {0}, new_docs = {0};
    pn_world *worlds[2];
    worlds[0] = pn_tool_load(o, o->paths, o->path_count, &old_docs);
    worlds[1] = worlds[0] ? pn_tool_load(o, o->against, o->against_count, &new_docs) : NULL;
    pn_documents_free(&old_docs);
    pn_documents_free(&new_docs);
    if (!worlds[0] || !worlds[1]) {
        pn_world_free(worlds[0]);
        return PN_EXIT_USAGE;
    }
    /* Whole sets unless ports are named, or the per-port CSV contract is asked for; JSON
     * carries both. */
    bool sets = o->all_ports || (!o->port_count && o->format != PN_FORMAT_CSV);
    bool per_port = !o->all_ports &&
                    (o->port_count || o->format == PN_FORMAT_CSV || o->format == PN_FORMAT_JSON);
    pn_snapshot by_port[2] = {{0}, {0}}, by_set[2] = {{0}, {0}};
    size_t port_count = 0;
    pn_port *ports = per_port ? pn_tool_ports_to_ask(o, worlds, 2, &port_count) : NULL;
    for (int i = 0; i < 2; i++) {
        if (per_port) {
            pn_reach *r = pn_reach_compute(worlds[i], ports, port_count, o->engine);
            pn_snapshot_from_reach(&by_port[i], worlds[i], r);
            pn_reach_free(r);
        }
        if (sets) {
            pn_reach *r = pn_reach_compute_sets(worlds[i], o->engine);
            pn_snapshot_from_reach(&by_set[i], worlds[i], r);
            pn_reach_free(r);
        }
    }
    if (sets)
        pn_diff_write_sets(stdout, &by_set[0], &by_set[1], per_port ? &by_port[0] : NULL,
                           per_port ? &by_port[1] : NULL, o->format);
    else
        pn_diff_write(stdout, &by_port[0], &by_port[1], o->format);
    for (int i = 0; i < 2; i++) {
        pn_snapshot_clear(&by_port[i]);
        pn_snapshot_clear(&by_set[i]);
        pn_world_free(worlds[i]);
    }
    free(ports);
    return PN_EXIT_OK;
}
