/* diff — connectivity changes between two snapshots, pod by pod and grouped by workload. */
#include "sim/output/diff.h"

#include "sim/base/arena.h"
#include "sim/base/strmap.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void pn_snapshot_from_reach(pn_snapshot *s, const pn_world *w, const pn_reach *r)
{
    size_t n, port_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_port *ports = pn_reach_ports(r, &port_count);
    *s = (pn_snapshot){.n = n, .port_count = port_count, .classes = pn_reach_class_count(r)};
    s->names = pn_xcalloc(n ? n : 1, sizeof *s->names);
    s->groups = pn_xcalloc(n ? n : 1, sizeof *s->groups);
    s->class_of = pn_xcalloc(n ? n : 1, sizeof *s->class_of);
    for (size_t i = 0; i < n; i++) {
        char buf[700];
        snprintf(buf, sizeof buf, "%s/%s", pods[i].ns_name, pods[i].name);
        s->names[i] = pn_xstrdup(buf);
        if (pods[i].owner)
            snprintf(buf, sizeof buf, "%s/%s", pods[i].ns_name, pods[i].owner);
        s->groups[i] = pn_xstrdup(buf);
        s->class_of[i] = (uint32_t)pn_reach_pod_class(r, i);
    }
    s->ports = pn_xcalloc(port_count ? port_count : 1, sizeof *s->ports);
    if (port_count)
        memcpy(s->ports, ports, port_count * sizeof *ports);
    size_t words = 0;
    if (port_count && s->classes)
        pn_reach_class_row(r, 0, 0, &words);
    s->words = words;
    size_t total = port_count * s->classes * words;
    s->bits = pn_xcalloc(total ? total : 1, sizeof *s->bits);
    for (size_t p = 0; p < port_count; p++)
        for (size_t c = 0; c < s->classes; c++) {
            size_t ww;
            const uint64_t *row = pn_reach_class_row(r, p, c, &ww);
            memcpy(s->bits + (p * s->classes + c) * words, row, words * sizeof *row);
        }
}

void pn_snapshot_clear(pn_snapshot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->names[i]);
        free(s->groups[i]);
    }
    free(s->names);
    free(s->groups);
    free(s->ports);
    free(s->class_of);
    free(s->bits);
    *s = (pn_snapshot){0};
}

bool pn_snapshot_allowed(const pn_snapshot *s, size_t port, size_t src, size_t dst)
{
    if (src == dst)
        return true;
    const uint64_t *row = s->bits + (port * s->classes + s->class_of[src]) * s->words;
    uint32_t d = s->class_of[dst];
    return (row[d >> 6] >> (d & 63)) & 1;
}

/* ---- computing the changes ---- */

typedef struct {
    uint32_t src, dst; /* indexes into the common pods */
    uint16_t port;     /* index into the common ports */
    bool added;
} change;

typedef struct {
    /* Pods on both sides, in the new side's order: old and new indexes. */
    size_t common;
    size_t *old_idx, *new_idx;
    const char **only_old, **only_new;
    size_t only_old_count, only_new_count;
    /* Ports on both sides: indexes into each. */
    size_t ports;
    size_t *old_port, *new_port;
    pn_port *port_values;
    change *changes;
    size_t change_count, change_cap;
    size_t added, removed;
} delta;

static void compute_delta(const pn_snapshot *o, const pn_snapshot *nw, delta *d)
{
    *d = (delta){0};
    pn_strmap *old_by_name = pn_strmap_new(), *new_by_name = pn_strmap_new();
    for (size_t i = 0; i < o->n; i++)
        pn_strmap_put(old_by_name, o->names[i], i, NULL);
    for (size_t i = 0; i < nw->n; i++)
        pn_strmap_put(new_by_name, nw->names[i], i, NULL);
    d->old_idx = pn_xcalloc(nw->n ? nw->n : 1, sizeof *d->old_idx);
    d->new_idx = pn_xcalloc(nw->n ? nw->n : 1, sizeof *d->new_idx);
    d->only_new = pn_xcalloc(nw->n ? nw->n : 1, sizeof *d->only_new);
    d->only_old = pn_xcalloc(o->n ? o->n : 1, sizeof *d->only_old);
    for (size_t i = 0; i < nw->n; i++) {
        size_t oi;
        if (pn_strmap_get(old_by_name, nw->names[i], &oi) == 0) {
            d->old_idx[d->common] = oi;
            d->new_idx[d->common++] = i;
        } else {
            d->only_new[d->only_new_count++] = nw->names[i];
        }
    }
    for (size_t i = 0; i < o->n; i++) {
        size_t ni;
        if (pn_strmap_get(new_by_name, o->names[i], &ni) != 0)
            d->only_old[d->only_old_count++] = o->names[i];
    }
    pn_strmap_free(old_by_name);
    pn_strmap_free(new_by_name);

    d->old_port = pn_xcalloc(nw->port_count ? nw->port_count : 1, sizeof *d->old_port);
    d->new_port = pn_xcalloc(nw->port_count ? nw->port_count : 1, sizeof *d->new_port);
    d->port_values = pn_xcalloc(nw->port_count ? nw->port_count : 1, sizeof *d->port_values);
    for (size_t p = 0; p < nw->port_count; p++)
        for (size_t q = 0; q < o->port_count; q++)
            if (pn_port_compare(&nw->ports[p], &o->ports[q]) == 0) {
                d->old_port[d->ports] = q;
                d->new_port[d->ports] = p;
                d->port_values[d->ports++] = nw->ports[p];
                break;
            }

    for (size_t a = 0; a < d->common; a++)
        for (size_t b = 0; b < d->common; b++)
            for (size_t p = 0; p < d->ports; p++) {
                bool before = pn_snapshot_allowed(o, d->old_port[p], d->old_idx[a], d->old_idx[b]);
                bool after = pn_snapshot_allowed(nw, d->new_port[p], d->new_idx[a], d->new_idx[b]);
                if (before == after)
                    continue;
                PN_GROW(d->changes, d->change_count, d->change_cap);
                d->changes[d->change_count++] =
                    (change){(uint32_t)a, (uint32_t)b, (uint16_t)p, after};
                after ? d->added++ : d->removed++;
            }
}

static void free_delta(delta *d)
{
    free(d->old_idx);
    free(d->new_idx);
    free(d->only_old);
    free(d->only_new);
    free(d->old_port);
    free(d->new_port);
    free(d->port_values);
    free(d->changes);
}

/* ---- grouping by workload ---- */

/* A line of grouped output: all pairs between two groups on one port changed alike, or one
 * pair of pods. */
typedef struct {
    const char *from, *to;     /* group or pod names */
    size_t from_pods, to_pods; /* pods in each group; 0 when the line is about one pod */
    const char *from_kind, *to_kind;
    size_t port;
    bool added;
} line;

typedef struct {
    size_t added, removed, first;
} tally;

/* "ns/Kind/name" → display pieces. */
static void group_parts(const char *group, char *name, size_t size, const char **kind)
{
    const char *a = strchr(group, '/');
    const char *b = a ? strchr(a + 1, '/') : NULL;
    if (!b) {
        snprintf(name, size, "%s", group);
        *kind = NULL;
        return;
    }
    snprintf(name, size, "%.*s/%s", (int)(a - group), group, b + 1);
    static const char *const kinds[] = {
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController",
        "Job",        "CronJob",    NULL};
    *kind = NULL;
    for (const char *const *k = kinds; *k; k++)
        if ((size_t)(b - a - 1) == strlen(*k) && strncmp(a + 1, *k, strlen(*k)) == 0)
            *kind = *k;
}

typedef struct {
    line *lines;
    size_t count, cap;
    char **owned; /* strings the lines point to */
    size_t owned_count, owned_cap;
} grouped;

static const char *keep(grouped *g, const char *s)
{
    PN_GROW(g->owned, g->owned_count, g->owned_cap);
    return g->owned[g->owned_count++] = pn_xstrdup(s);
}

static void group_changes(const pn_snapshot *nw, const delta *d, grouped *g)
{
    *g = (grouped){0};
    /* Group ids over the common pods, by the new side's group names. */
    pn_strmap *ids = pn_strmap_new();
    size_t *group_of = pn_xcalloc(d->common ? d->common : 1, sizeof *group_of);
    size_t *group_size = pn_xcalloc(d->common ? d->common : 1, sizeof *group_size);
    const char **group_name = pn_xcalloc(d->common ? d->common : 1, sizeof *group_name);
    size_t groups = 0;
    for (size_t a = 0; a < d->common; a++) {
        const char *gname = nw->groups[d->new_idx[a]];
        size_t id;
        if (pn_strmap_put(ids, gname, groups, &id) == 0) {
            id = groups;
            group_name[groups++] = gname;
        }
        group_of[a] = id;
        group_size[id]++;
    }
    /* Count changes per (port, source group, destination group). */
    pn_strmap *cells = pn_strmap_new();
    tally *tallies = NULL;
    size_t tally_count = 0, tally_cap = 0;
    char **cell_keys = NULL;
    size_t key_count = 0, key_cap = 0;
    size_t *cell_of = pn_xcalloc(d->change_count ? d->change_count : 1, sizeof *cell_of);
    for (size_t i = 0; i < d->change_count; i++) {
        const change *c = &d->changes[i];
        char key[80];
        snprintf(key, sizeof key, "%u|%zu|%zu", c->port, group_of[c->src], group_of[c->dst]);
        size_t t;
        if (pn_strmap_get(cells, key, &t) != 0) {
            PN_GROW(cell_keys, key_count, key_cap);
            cell_keys[key_count] = pn_xstrdup(key);
            t = tally_count;
            pn_strmap_put(cells, cell_keys[key_count++], t, NULL);
            PN_GROW(tallies, tally_count, tally_cap);
            tallies[tally_count++] = (tally){0, 0, i};
        }
        c->added ? tallies[t].added++ : tallies[t].removed++;
        cell_of[i] = t;
    }
    /* A cell where every pair of the two groups changed the same way becomes one line;
     * otherwise each changed pair is a line. Lines keep the order of their first change. */
    bool *emitted = pn_xcalloc(tally_count ? tally_count : 1, sizeof *emitted);
    for (size_t i = 0; i < d->change_count; i++) {
        const change *c = &d->changes[i];
        size_t t = cell_of[i];
        size_t sg = group_of[c->src], dg = group_of[c->dst];
        size_t pairs = group_size[sg] * group_size[dg] - (sg == dg ? group_size[sg] : 0);
        bool uniform = (tallies[t].added == pairs || tallies[t].removed == pairs) &&
                       (group_size[sg] > 1 || group_size[dg] > 1);
        if (uniform && emitted[t])
            continue;
        PN_GROW(g->lines, g->count, g->cap);
        line *l = &g->lines[g->count++];
        *l = (line){.port = c->port, .added = c->added};
        char name[700];
        if (uniform) {
            emitted[t] = true;
            group_parts(group_name[sg], name, sizeof name, &l->from_kind);
            l->from = keep(g, name);
            l->from_pods = group_size[sg];
            group_parts(group_name[dg], name, sizeof name, &l->to_kind);
            l->to = keep(g, name);
            l->to_pods = group_size[dg];
        } else {
            l->from = nw->names[d->new_idx[c->src]];
            l->to = nw->names[d->new_idx[c->dst]];
        }
    }
    free(emitted);
    for (size_t i = 0; i < key_count; i++)
        free(cell_keys[i]);
    free(cell_keys);
    free(cell_of);
    free(tallies);
    pn_strmap_free(cells);
    pn_strmap_free(ids);
    free(group_of);
    free(group_size);
    free(group_name);
}

static void free_grouped(grouped *g)
{
    for (size_t i = 0; i < g->owned_count; i++)
        free(g->owned[i]);
    free(g->owned);
    free(g->lines);
}

/* "shop/web (Deployment, 3 pods)" or "shop/db-0". */
static void endpoint_text(const char *name, const char *kind, size_t pods, char *buf, size_t size)
{
    if (pods == 0)
        snprintf(buf, size, "%s", name);
    else if (kind)
        snprintf(buf, size, "%s (%s, %zu pod%s)", name, kind, pods, pods == 1 ? "" : "s");
    else
        snprintf(buf, size, "%s (%zu pod%s)", name, pods, pods == 1 ? "" : "s");
}

static void summary(FILE *out, const delta *d, const char *bold)
{
    fprintf(out, "%spodnet diff%s: %zu connection%s added, %zu removed on %zu port%s", bold, bold,
            d->added, d->added == 1 ? "" : "s", d->removed, d->ports, d->ports == 1 ? "" : "s");
    if (d->only_new_count || d->only_old_count)
        fprintf(out, "; %zu pod%s only in the new world, %zu only in the old", d->only_new_count,
                d->only_new_count == 1 ? "" : "s", d->only_old_count);
    fputs("\n", out);
}

static void write_pods_only(FILE *out, const delta *d, bool markdown)
{
    for (int side = 0; side < 2; side++) {
        const char **names = side ? d->only_old : d->only_new;
        size_t count = side ? d->only_old_count : d->only_new_count;
        if (!count)
            continue;
        fprintf(out, "%s%s:", markdown ? "\n**" : "\n",
                side ? "Pods only in the old world" : "Pods only in the new world");
        if (markdown)
            fputs("**", out);
        for (size_t i = 0; i < count; i++)
            fprintf(out, "%s%s%s%s", i ? "," : "", markdown ? " `" : " ", names[i],
                    markdown ? "`" : "");
        fputc('\n', out);
    }
}

void pn_diff_write(FILE *out, const pn_snapshot *old_side, const pn_snapshot *new_side,
                   pn_format format)
{
    delta d;
    compute_delta(old_side, new_side, &d);
    if (format == PN_FORMAT_CSV) {
        fputs("from,to,port,protocol,change\n", out);
        for (size_t i = 0; i < d.change_count; i++) {
            const change *c = &d.changes[i];
            fprintf(out, "%s,%s,%u,%s,%s\n", new_side->names[d.new_idx[c->src]],
                    new_side->names[d.new_idx[c->dst]], d.port_values[c->port].number,
                    pn_proto_name(d.port_values[c->port].proto), c->added ? "added" : "removed");
        }
        free_delta(&d);
        return;
    }
    grouped g;
    group_changes(new_side, &d, &g);
    char from[800], to[800];
    if (format == PN_FORMAT_JSON) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "added", (double)d.added);
        cJSON_AddNumberToObject(root, "removed", (double)d.removed);
        cJSON *ports = cJSON_AddArrayToObject(root, "ports");
        for (size_t p = 0; p < d.ports; p++) {
            char port[32];
            snprintf(port, sizeof port, "%u/%s", d.port_values[p].number,
                     pn_proto_name(d.port_values[p].proto));
            cJSON_AddItemToArray(ports, cJSON_CreateString(port));
        }
        cJSON *on = cJSON_AddArrayToObject(root, "podsOnlyNew");
        for (size_t i = 0; i < d.only_new_count; i++)
            cJSON_AddItemToArray(on, cJSON_CreateString(d.only_new[i]));
        cJSON *oo = cJSON_AddArrayToObject(root, "podsOnlyOld");
        for (size_t i = 0; i < d.only_old_count; i++)
            cJSON_AddItemToArray(oo, cJSON_CreateString(d.only_old[i]));
        cJSON *changes = cJSON_AddArrayToObject(root, "changes");
        for (size_t i = 0; i < g.count; i++) {
            const line *l = &g.lines[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "from", l->from);
            if (l->from_pods)
                cJSON_AddNumberToObject(o, "fromPods", (double)l->from_pods);
            cJSON_AddStringToObject(o, "to", l->to);
            if (l->to_pods)
                cJSON_AddNumberToObject(o, "toPods", (double)l->to_pods);
            cJSON_AddNumberToObject(o, "port", d.port_values[l->port].number);
            cJSON_AddStringToObject(o, "protocol", pn_proto_name(d.port_values[l->port].proto));
            cJSON_AddStringToObject(o, "change", l->added ? "added" : "removed");
            cJSON_AddItemToArray(changes, o);
        }
        char *text = cJSON_Print(root);
        fprintf(out, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(root);
    } else if (format == PN_FORMAT_MD) {
        summary(out, &d, "**");
        write_pods_only(out, &d, true);
        if (g.count) {
            fputs("\n| from | to | port | change |\n|---|---|---|---|\n", out);
            for (size_t i = 0; i < g.count; i++) {
                const line *l = &g.lines[i];
                endpoint_text(l->from, l->from_kind, l->from_pods, from, sizeof from);
                endpoint_text(l->to, l->to_kind, l->to_pods, to, sizeof to);
                fprintf(out, "| `%s` | `%s` | %u/%s | %s |\n", from, to,
                        d.port_values[l->port].number, pn_proto_name(d.port_values[l->port].proto),
                        l->added ? "➕ added" : "➖ removed");
            }
        }
    } else {
        summary(out, &d, "");
        write_pods_only(out, &d, false);
        if (g.count)
            fputc('\n', out);
        for (size_t i = 0; i < g.count; i++) {
            const line *l = &g.lines[i];
            endpoint_text(l->from, l->from_kind, l->from_pods, from, sizeof from);
            endpoint_text(l->to, l->to_kind, l->to_pods, to, sizeof to);
            fprintf(out, "%c %s -> %s %u/%s %s\n", l->added ? '+' : '-', from, to,
                    d.port_values[l->port].number, pn_proto_name(d.port_values[l->port].proto),
                    l->added ? "added" : "removed");
        }
    }
    free_grouped(&g);
    free_delta(&d);
}
