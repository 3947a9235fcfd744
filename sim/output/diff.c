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
    s->sets = pn_reach_is_sets(r);
    s->range_start = pn_xcalloc(port_count + 1, sizeof *s->range_start);
    for (size_t p = 0; p < port_count; p++) {
        size_t count;
        pn_reach_column_ranges(r, p, &count);
        s->range_start[p + 1] = s->range_start[p] + count;
    }
    size_t ranges = s->range_start[port_count];
    s->ranges = pn_xcalloc(ranges ? ranges : 1, sizeof *s->ranges);
    for (size_t p = 0; p < port_count; p++) {
        size_t count;
        const pn_port_range *col = pn_reach_column_ranges(r, p, &count);
        memcpy(s->ranges + s->range_start[p], col, count * sizeof *col);
    }
}

void pn_snapshot_port_columns(pn_snapshot *s)
{
    free(s->ranges);
    free(s->range_start);
    s->sets = false;
    s->ranges = pn_xcalloc(s->port_count ? s->port_count : 1, sizeof *s->ranges);
    s->range_start = pn_xcalloc(s->port_count + 1, sizeof *s->range_start);
    for (size_t p = 0; p < s->port_count; p++) {
        s->ranges[p] = (pn_port_range){s->ports[p].proto, s->ports[p].number, s->ports[p].number};
        s->range_start[p + 1] = p + 1;
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
    free(s->ranges);
    free(s->range_start);
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
    uint32_t port;     /* index into the common ports (sets: into the transitions) */
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

/* The pods on both sides, and those on one side only. */
static void match_pods(const pn_snapshot *o, const pn_snapshot *nw, delta *d)
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
}

static void compute_delta(const pn_snapshot *o, const pn_snapshot *nw, delta *d)
{
    match_pods(o, nw, d);
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
                    (change){(uint32_t)a, (uint32_t)b, (uint32_t)p, after};
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

/* A change line's ends: from and to, with their pod counts when the line is about groups. */
static cJSON *line_json(const line *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", l->from);
    if (l->from_pods)
        cJSON_AddNumberToObject(o, "fromPods", (double)l->from_pods);
    cJSON_AddStringToObject(o, "to", l->to);
    if (l->to_pods)
        cJSON_AddNumberToObject(o, "toPods", (double)l->to_pods);
    return o;
}

/* podsOnlyNew and podsOnlyOld. */
static void pods_only_json(cJSON *root, const delta *d)
{
    cJSON *on = cJSON_AddArrayToObject(root, "podsOnlyNew");
    for (size_t i = 0; i < d->only_new_count; i++)
        cJSON_AddItemToArray(on, cJSON_CreateString(d->only_new[i]));
    cJSON *oo = cJSON_AddArrayToObject(root, "podsOnlyOld");
    for (size_t i = 0; i < d->only_old_count; i++)
        cJSON_AddItemToArray(oo, cJSON_CreateString(d->only_old[i]));
}

/* The per-port changes as JSON (the documented contract). */
static cJSON *ports_json(const delta *d, const grouped *g)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "added", (double)d->added);
    cJSON_AddNumberToObject(root, "removed", (double)d->removed);
    cJSON *ports = cJSON_AddArrayToObject(root, "ports");
    for (size_t p = 0; p < d->ports; p++) {
        char port[32];
        snprintf(port, sizeof port, "%u/%s", d->port_values[p].number,
                 pn_proto_name(d->port_values[p].proto));
        cJSON_AddItemToArray(ports, cJSON_CreateString(port));
    }
    pods_only_json(root, d);
    cJSON *changes = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < g->count; i++) {
        const line *l = &g->lines[i];
        cJSON *o = line_json(l);
        cJSON_AddNumberToObject(o, "port", d->port_values[l->port].number);
        cJSON_AddStringToObject(o, "protocol", pn_proto_name(d->port_values[l->port].proto));
        cJSON_AddStringToObject(o, "change", l->added ? "added" : "removed");
        cJSON_AddItemToArray(changes, o);
    }
    return root;
}

static void print_json(FILE *out, cJSON *root)
{
    char *text = cJSON_Print(root);
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(root);
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
        print_json(out, ports_json(&d, &g));
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

/* ---- connection sets ----
 *
 * Over the whole space a pair's answer is a set, so a change is a transition from the set
 * before to the set after. Pairs are compared through their interned sets on each side
 * (sim/query/reach's pn_reach_sets), and each distinct transition (old set id, new set id) is
 * worked out once: equal or not, what it adds and removes. */

typedef struct {
    size_t before, after; /* set ids in the old and the new side's pn_reach_sets */
    pn_portset added, removed;
    bool changed;
    bool to_all; /* after holds every port of a protocol that before did not */
} transition;

typedef struct {
    delta d; /* common pods and changes; a change's port is its transition */
    pn_reach_sets *old_sets, *new_sets;
    transition *kinds;
    size_t kind_count, kind_cap;
    uint64_t *slot_key; /* open addressing: (old id + 1) << 32 | new id → kind */
    uint32_t *slot_kind;
    size_t slots;
    size_t widened, narrowed; /* pairs that gained, lost something */
} set_delta;

static pn_reach_columns snapshot_columns(const pn_snapshot *s)
{
    return (pn_reach_columns){.classes = s->classes,
                              .words = s->words,
                              .columns = s->port_count,
                              .bits = s->bits,
                              .class_of = s->class_of,
                              .ranges = s->ranges,
                              .range_start = s->range_start};
}

static void grow_slots(set_delta *sd);

/* The transition from old set id a to new set id b, worked out on first sight. */
static uint32_t transition_of(set_delta *sd, size_t a, size_t b)
{
    uint64_t key = ((uint64_t)a + 1) << 32 | (uint64_t)b;
    size_t mask = sd->slots - 1, i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & mask;
    while (sd->slot_key[i] && sd->slot_key[i] != key)
        i = (i + 1) & mask;
    if (sd->slot_key[i])
        return sd->slot_kind[i];
    PN_GROW(sd->kinds, sd->kind_count, sd->kind_cap);
    transition *t = &sd->kinds[sd->kind_count];
    *t = (transition){.before = a, .after = b};
    const pn_portset *before = pn_reach_sets_get(sd->old_sets, a);
    const pn_portset *after = pn_reach_sets_get(sd->new_sets, b);
    pn_portset_minus(after, before, &t->added);
    pn_portset_minus(before, after, &t->removed);
    t->changed = !pn_portset_empty(&t->added) || !pn_portset_empty(&t->removed);
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        t->to_all |= pn_portset_full(after, (pn_proto)p) && !pn_portset_full(before, (pn_proto)p);
    sd->slot_key[i] = key;
    sd->slot_kind[i] = (uint32_t)sd->kind_count;
    if (++sd->kind_count * 2 > sd->slots)
        grow_slots(sd);
    return (uint32_t)(sd->kind_count - 1);
}

static void grow_slots(set_delta *sd)
{
    size_t old = sd->slots;
    uint64_t *keys = sd->slot_key;
    uint32_t *kinds = sd->slot_kind;
    sd->slots = old ? old * 2 : 256;
    sd->slot_key = pn_xcalloc(sd->slots, sizeof *sd->slot_key);
    sd->slot_kind = pn_xcalloc(sd->slots, sizeof *sd->slot_kind);
    size_t mask = sd->slots - 1;
    for (size_t j = 0; j < old; j++) {
        if (!keys[j])
            continue;
        size_t i = (size_t)((keys[j] * 0x9e3779b97f4a7c15ull) >> 20) & mask;
        while (sd->slot_key[i])
            i = (i + 1) & mask;
        sd->slot_key[i] = keys[j];
        sd->slot_kind[i] = kinds[j];
    }
    free(keys);
    free(kinds);
}

static const pn_portset *before_of(const set_delta *sd, const transition *t)
{
    return pn_reach_sets_get(sd->old_sets, t->before);
}

static const pn_portset *after_of(const set_delta *sd, const transition *t)
{
    return pn_reach_sets_get(sd->new_sets, t->after);
}

static void compute_set_delta(const pn_snapshot *o, const pn_snapshot *nw, set_delta *sd)
{
    *sd = (set_delta){0};
    delta *d = &sd->d;
    match_pods(o, nw, d);
    pn_reach_columns oc = snapshot_columns(o), nc = snapshot_columns(nw);
    sd->old_sets = pn_reach_sets_new_columns(&oc);
    sd->new_sets = pn_reach_sets_new_columns(&nc);
    grow_slots(sd);
    /* Pairs by old source, so each side loads a source class once per run of equal ones. */
    for (size_t a = 0; a < d->common; a++)
        for (size_t b = 0; b < d->common; b++) {
            size_t before = pn_reach_sets_pair_id(sd->old_sets, d->old_idx[a], d->old_idx[b]);
            size_t after = pn_reach_sets_pair_id(sd->new_sets, d->new_idx[a], d->new_idx[b]);
            uint32_t k = transition_of(sd, before, after);
            const transition *t = &sd->kinds[k];
            if (!t->changed)
                continue;
            PN_GROW(d->changes, d->change_count, d->change_cap);
            d->changes[d->change_count++] = (change){(uint32_t)a, (uint32_t)b, k, true};
            sd->widened += !pn_portset_empty(&t->added);
            sd->narrowed += !pn_portset_empty(&t->removed);
        }
}

static void free_set_delta(set_delta *sd)
{
    for (size_t i = 0; i < sd->kind_count; i++) {
        pn_portset_free(&sd->kinds[i].added);
        pn_portset_free(&sd->kinds[i].removed);
    }
    free(sd->kinds);
    free(sd->slot_key);
    free(sd->slot_kind);
    pn_reach_sets_free(sd->old_sets);
    pn_reach_sets_free(sd->new_sets);
    free_delta(&sd->d);
}

/* True when a line's source lies in another namespace than its destination and could reach it
 * on nothing before: a new way in from outside the namespace. */
static bool new_outside_source(const set_delta *sd, const line *l, const transition *t)
{
    const char *a = strchr(l->from, '/'), *b = strchr(l->to, '/');
    bool same_ns =
        a && b && a - l->from == b - l->to && strncmp(l->from, l->to, (size_t)(a - l->from)) == 0;
    return !same_ns && pn_portset_empty(before_of(sd, t)) && !pn_portset_empty(after_of(sd, t));
}

static void set_summary(FILE *out, const set_delta *sd, const char *bold)
{
    const delta *d = &sd->d;
    fprintf(out, "%spodnet diff%s (all ports): %zu pair%s widened, %zu narrowed", bold, bold,
            sd->widened, sd->widened == 1 ? "" : "s", sd->narrowed);
    if (d->only_new_count || d->only_old_count)
        fprintf(out, "; %zu pod%s only in the new world, %zu only in the old", d->only_new_count,
                d->only_new_count == 1 ? "" : "s", d->only_old_count);
    fputs("\n", out);
}

/* "+" gained only, "-" lost only, "~" both. */
static char change_mark(const transition *t)
{
    bool added = !pn_portset_empty(&t->added), removed = !pn_portset_empty(&t->removed);
    return added && removed ? '~' : added ? '+' : '-';
}

/* "added TCP 1-79,81-65535; removed UDP 53" */
static void added_removed(const transition *t, char *buf, size_t size)
{
    char a[2048], r[2048];
    pn_portset_format_short(&t->added, a, sizeof a);
    pn_portset_format_short(&t->removed, r, sizeof r);
    if (!pn_portset_empty(&t->added) && !pn_portset_empty(&t->removed))
        snprintf(buf, size, "added %s; removed %s", a, r);
    else if (!pn_portset_empty(&t->added))
        snprintf(buf, size, "added %s", a);
    else
        snprintf(buf, size, "removed %s", r);
}

static void sets_csv(FILE *out, const pn_snapshot *nw, const set_delta *sd)
{
    const delta *d = &sd->d;
    fputs("from,to,protocol,before,after,added,removed\n", out);
    char before[4096], after[4096], added[4096], removed[4096];
    for (size_t i = 0; i < d->change_count; i++) {
        const change *c = &d->changes[i];
        const transition *t = &sd->kinds[c->port];
        for (int p = 0; p < PN_PROTO_COUNT; p++) {
            pn_proto proto = (pn_proto)p;
            if (!pn_portset_size(&t->added, proto) && !pn_portset_size(&t->removed, proto))
                continue;
            fprintf(out, "%s,%s,%s,%s,%s,%s,%s\n", nw->names[d->new_idx[c->src]],
                    nw->names[d->new_idx[c->dst]], pn_proto_name(proto),
                    pn_portset_format_ports(before_of(sd, t), proto, before, sizeof before),
                    pn_portset_format_ports(after_of(sd, t), proto, after, sizeof after),
                    pn_portset_format_ports(&t->added, proto, added, sizeof added),
                    pn_portset_format_ports(&t->removed, proto, removed, sizeof removed));
        }
    }
}

static cJSON *ranges_json(const pn_portset *s)
{
    cJSON *list = cJSON_CreateArray();
    char text[4096];
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        if (!pn_portset_size(s, (pn_proto)p))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "protocol", pn_proto_name((pn_proto)p));
        cJSON_AddStringToObject(o, "ports",
                                pn_portset_format_ports(s, (pn_proto)p, text, sizeof text));
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static void sets_json(cJSON *root, const set_delta *sd, const grouped *g)
{
    const delta *d = &sd->d;
    cJSON_AddNumberToObject(root, "widened", (double)sd->widened);
    cJSON_AddNumberToObject(root, "narrowed", (double)sd->narrowed);
    if (!cJSON_GetObjectItem(root, "podsOnlyNew")) /* not already there from the ports */
        pods_only_json(root, d);
    cJSON *changes = cJSON_AddArrayToObject(root, "connectionChanges");
    char text[4096];
    for (size_t i = 0; i < g->count; i++) {
        const line *l = &g->lines[i];
        const transition *t = &sd->kinds[l->port];
        cJSON *o = line_json(l);
        cJSON_AddStringToObject(o, "before",
                                pn_portset_format_short(before_of(sd, t), text, sizeof text));
        cJSON_AddStringToObject(o, "after",
                                pn_portset_format_short(after_of(sd, t), text, sizeof text));
        cJSON_AddItemToObject(o, "added", ranges_json(&t->added));
        cJSON_AddItemToObject(o, "removed", ranges_json(&t->removed));
        cJSON_AddBoolToObject(o, "toEveryPort", t->to_all);
        cJSON_AddBoolToObject(o, "newSourceFromOutsideNamespace", new_outside_source(sd, l, t));
        cJSON_AddItemToArray(changes, o);
    }
}

/* One md table of the lines that pass keep (NULL: all). Returns the rows written. */
static size_t sets_md_table(FILE *out, const set_delta *sd, const grouped *g, const char *title,
                            bool (*wanted)(const set_delta *, const line *, const transition *))
{
    size_t rows = 0;
    char from[800], to[800], before[2048], after[2048], what[4200];
    for (size_t i = 0; i < g->count; i++) {
        const line *l = &g->lines[i];
        const transition *t = &sd->kinds[l->port];
        if (wanted && !wanted(sd, l, t))
            continue;
        if (rows++ == 0)
            fprintf(out, "\n%s\n\n| from | to | before | after | change |\n|---|---|---|---|---|\n",
                    title);
        endpoint_text(l->from, l->from_kind, l->from_pods, from, sizeof from);
        endpoint_text(l->to, l->to_kind, l->to_pods, to, sizeof to);
        added_removed(t, what, sizeof what);
        fprintf(out, "| `%s` | `%s` | %s | %s | %s %s |\n", from, to,
                pn_portset_format_short(before_of(sd, t), before, sizeof before),
                pn_portset_format_short(after_of(sd, t), after, sizeof after),
                !pn_portset_empty(&t->added) ? "➕" : "➖", what);
    }
    return rows;
}

static bool opened_to_every_port(const set_delta *sd, const line *l, const transition *t)
{
    (void)sd;
    (void)l;
    return t->to_all;
}

void pn_diff_write_sets(FILE *out, const pn_snapshot *old_sets, const pn_snapshot *new_sets,
                        const pn_snapshot *old_ports, const pn_snapshot *new_ports,
                        pn_format format)
{
    set_delta sd;
    compute_set_delta(old_sets, new_sets, &sd);
    if (format == PN_FORMAT_CSV) {
        sets_csv(out, new_sets, &sd);
        free_set_delta(&sd);
        return;
    }
    grouped g;
    group_changes(new_sets, &sd.d, &g);
    char from[800], to[800], before[2048], after[2048], what[4200];
    if (format == PN_FORMAT_JSON) {
        cJSON *root = NULL;
        if (old_ports && new_ports) {
            delta d;
            grouped pg;
            compute_delta(old_ports, new_ports, &d);
            group_changes(new_ports, &d, &pg);
            root = ports_json(&d, &pg);
            free_grouped(&pg);
            free_delta(&d);
        } else {
            root = cJSON_CreateObject();
        }
        sets_json(root, &sd, &g);
        print_json(out, root);
    } else if (format == PN_FORMAT_MD) {
        set_summary(out, &sd, "**");
        write_pods_only(out, &sd.d, true);
        /* What a reviewer must see first: a port range opened whole, a namespace let in. */
        sets_md_table(out, &sd, &g, "**⚠️ Opened to every port of a protocol**",
                      opened_to_every_port);
        sets_md_table(out, &sd, &g, "**⚠️ New sources from outside the namespace**",
                      new_outside_source);
        sets_md_table(out, &sd, &g, "**All changes**", NULL);
    } else {
        set_summary(out, &sd, "");
        write_pods_only(out, &sd.d, false);
        if (g.count)
            fputc('\n', out);
        for (size_t i = 0; i < g.count; i++) {
            const line *l = &g.lines[i];
            const transition *t = &sd.kinds[l->port];
            endpoint_text(l->from, l->from_kind, l->from_pods, from, sizeof from);
            endpoint_text(l->to, l->to_kind, l->to_pods, to, sizeof to);
            added_removed(t, what, sizeof what);
            fprintf(out, "%c %s -> %s: %s => %s (%s)\n", change_mark(t), from, to,
                    pn_portset_format_short(before_of(&sd, t), before, sizeof before),
                    pn_portset_format_short(after_of(&sd, t), after, sizeof after), what);
        }
    }
    free_grouped(&g);
    free_set_delta(&sd);
}
