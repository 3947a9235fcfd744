/* tool_session — the helpers the commands share: loading -f into a world, answering at a
 * moment of a scenario, the ports to ask about, recording in --db. The policy itself lives in
 * sim/run/session.c; this file turns its answers into messages and exit statuses. */
#include "sim/tool/tool.h"

#include "sim/base/arena.h"

#include <stdlib.h>
#include <string.h>

const char pn_tool_cluster_path[] = "(cluster)";

static int load_cluster(void *ctx, pn_arena *arena, pn_diags *diags, pn_documents *docs)
{
    return pn_tool_cluster_load(ctx, arena, diags, docs);
}

pn_world *pn_tool_load(const pn_tool_options *o, const char *const *paths, size_t count,
                       pn_documents *docs)
{
    pn_diags *diags = pn_diags_new();
    pn_session_options so = {.pod_cidr = o->pod_cidr,
                             .strict = o->strict,
                             .hash_inputs = o->db != NULL,
                             .pod_limit = o->pod_limit,
                             .aws_settle = o->aws_settle};
    /* --from-cluster stands among the paths (so "needs -f" checks see it); it is read in
     * memory after the files. */
    const char **files = pn_xcalloc(count + 1, sizeof *files);
    size_t file_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (paths[i] == pn_tool_cluster_path) {
            so.load_more = load_cluster;
            so.load_more_ctx = (void *)o;
        } else {
            files[file_count++] = paths[i];
        }
    }
    pn_world *w = pn_session_load(files, file_count, &so, docs, diags);
    free(files);
    pn_diags_flush(diags, stderr);
    pn_diags_free(diags);
    return w;
}

typedef struct {
    const pn_tool_options *o;
    pn_tool_world_command fn;
    int status;
} moment;

static void at_moment_world(pn_world *w, void *ctx)
{
    moment *m = ctx;
    m->status = m->fn(m->o, w);
}

int pn_tool_at_moment(const pn_tool_options *o, pn_tool_world_command fn)
{
    pn_time at;
    if (o->path_count || o->db)
        return pn_tool_usage_error("--scenario replaces -f and cannot be recorded with --db%s", "");
    if (!o->at || pn_time_parse(o->at, &at) != 0)
        return pn_tool_usage_error("--scenario needs --at TIME (30s, 2m), not %s",
                                   o->at ? o->at : "nothing");
    pn_diags *diags = pn_diags_new();
    moment m = {o, fn, PN_EXIT_USAGE};
    int rc = pn_session_at_moment(o->scenario, at, o->engine, at_moment_world, &m, diags);
    pn_diags_flush(diags, stderr);
    pn_diags_free(diags);
    return rc != 0 ? PN_EXIT_USAGE : m.status;
}

int pn_tool_with_world(const pn_tool_options *o, pn_tool_world_command fn)
{
    if (o->scenario)
        return pn_tool_at_moment(o, fn);
    pn_documents docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
    pn_documents_free(&docs);
    if (!w)
        return PN_EXIT_USAGE;
    int status = fn(o, w);
    pn_world_free(w);
    return status;
}

pn_port *pn_tool_ports_to_ask(const pn_tool_options *o, pn_world *const *worlds, size_t world_count,
                              size_t *count)
{
    if (o->port_count) {
        pn_port *ports = pn_xcalloc(o->port_count, sizeof *ports);
        memcpy(ports, o->ports, o->port_count * sizeof *ports);
        *count = o->port_count;
        return ports;
    }
    pn_port *all = NULL;
    size_t total = 0;
    for (size_t i = 0; i < world_count; i++) {
        size_t n;
        pn_port *some = pn_reach_declared_ports(worlds[i], &n);
        all = pn_xrealloc(all, total + n + 1, sizeof *all);
        memcpy(all + total, some, n * sizeof *some);
        total += n;
        free(some);
    }
    /* Union, ordered by number then protocol. */
    size_t u = 0;
    for (size_t i = 0; i < total; i++) {
        size_t j = 0;
        while (j < u && pn_port_compare(&all[j], &all[i]) != 0)
            j++;
        if (j == u)
            all[u++] = all[i];
    }
    for (size_t i = 1; i < u; i++) /* insertion sort: a handful of ports */
        for (size_t j = i; j > 0 && pn_port_compare(&all[j - 1], &all[j]) > 0; j--) {
            pn_port t = all[j];
            all[j] = all[j - 1];
            all[j - 1] = t;
        }
    *count = u;
    return all;
}

pn_store *pn_tool_open_store(const char *path)
{
    char *err = NULL;
    pn_store *st = pn_store_open_existing(path, &err);
    if (!st) {
        fprintf(stderr, "podnet: %s\n", err);
        free(err);
    }
    return st;
}

int pn_tool_record_begin(const pn_tool_options *o, const char *command, bool has_seed,
                         uint64_t seed, pn_session_record *rec)
{
    *rec = (pn_session_record){.run = -1};
    if (!o->db)
        return 0;
    char *err;
    if (pn_session_record_begin(rec, o->db, command, has_seed, seed, &err) != 0) {
        fprintf(stderr, "podnet: %s\n", err);
        free(err);
        return -1;
    }
    return 0;
}

int pn_tool_record_end(pn_session_record *rec, int rc, size_t passed, size_t failed)
{
    char *err;
    if (pn_session_record_end(rec, rc, passed, failed, &err) != 0) {
        fprintf(stderr, "podnet: %s\n", err);
        free(err);
        return -1;
    }
    return 0;
}
