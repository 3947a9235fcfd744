/* scenario — reading Scenario documents and replaying them on the event engine. Each timeline
 * step becomes one event; world changes happen only inside those handlers. */
#include "sim/run/scenario.h"

#include "sim/base/arena.h"
#include "sim/engine/ipamd.h"
#include "sim/engine/kubelet.h"
#include "sim/input/fields.h"
#include "sim/input/load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    STEP_APPLY,
    STEP_DELETE,
    STEP_SCALE,
    STEP_LABEL,
    STEP_EXPECT,
    STEP_HEALTH
} step_kind;

typedef struct {
    pn_time at;
    step_kind kind;
    const char *note;        /* shown in the narration */
    const pn_doc_node *node; /* the step, for messages */
    pn_documents docs;       /* APPLY */
    const char *kind_name;   /* DELETE, SCALE, LABEL: the object's kind */
    const char *ns, *name;
    int64_t replicas; /* SCALE */
    pn_labels set;    /* LABEL */
    const char **remove;
    size_t remove_count;
    pn_expectations *expect; /* EXPECT */
    bool healthy;            /* HEALTH: what the probes of the pods name matches find */
} step;

struct pn_scenario {
    pn_arena *arena;
    const char *file;
    const char *dir; /* folder of file, for relative paths */
    const char *name;
    const char *description;
    uint64_t seed;
    const char *pod_cidr;
    pn_documents world;
    step *steps;
    size_t step_count;
    pn_expectations *settled; /* spec.expect: checked after the timeline */
    pn_input *inputs;         /* every file read */
    size_t input_count, input_cap;
    pn_time end;     /* time of the last step */
    pn_time settle;  /* how long periodic components run after it (spec.settle) */
    bool has_probes; /* a timeline step changes probe results */

    /* While running. */
    pn_world *w;
    pn_reach_cache *cache; /* reachability work kept between checks */
    pn_ipamd *ipamd;       /* the VPC CNI model, in AWS mode */
    pn_kubelet *kubelet;   /* probes */
    pn_diags *diags;
    const pn_run_options *opt;
    pn_expect_results *results;
    int rc;
};

static void err(pn_scenario *s, const pn_doc_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keeps the record of the files docs read (for the results store). */
static void note_inputs(pn_scenario *s, const pn_documents *docs, size_t from)
{
    for (size_t i = from; i < docs->input_count; i++) {
        PN_GROW(s->inputs, s->input_count, s->input_cap);
        s->inputs[s->input_count++] = docs->inputs[i];
    }
}

static void err(pn_scenario *s, const pn_doc_node *at, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pn_diag_add(s->diags, PN_DIAG_ERROR, s->file, at ? at->line : 0, at ? at->column : 0, "%s",
                msg);
}

static const char *scalar(const pn_doc_node *n)
{
    return n && n->kind == PN_DOC_SCALAR ? n->text : NULL;
}

/* What known_fields reports an unknown key with. */
typedef struct {
    pn_scenario *s;
    const char *what;
} unknown_ctx;

static void unknown_key(void *ctx, const pn_doc_node *key, const char *suggestion)
{
    const unknown_ctx *u = ctx;
    if (suggestion)
        err(u->s, key, "unknown field \"%s\" in %s; did you mean \"%s\"?", key->text, u->what,
            suggestion);
    else
        err(u->s, key, "unknown field \"%s\" in %s", key->text, u->what);
}

static bool known_fields(pn_scenario *s, const pn_doc_node *map, const char *what,
                         const char *const *allowed)
{
    unknown_ctx u = {s, what};
    return pn_fields_check(map, allowed, unknown_key, &u) == 0;
}

static const pn_doc_node *want(pn_scenario *s, const pn_doc_node *map, const char *key,
                               pn_doc_kind kind, const char *what)
{
    const pn_doc_node *n = pn_doc_get(map, key);
    if (pn_doc_is_null(n))
        return NULL;
    if (n->kind != kind || (kind == PN_DOC_SCALAR && pn_doc_scalar_type(n) == PN_SCALAR_NULL)) {
        err(s, n, "%s must be %s", what,
            kind == PN_DOC_MAP   ? "a mapping"
            : kind == PN_DOC_SEQ ? "a list"
                                 : "a scalar");
        return NULL;
    }
    return n;
}

/* files: [...] and objects: [...] into docs; paths relative to the scenario's folder. */
static void read_objects(pn_scenario *s, const pn_doc_node *map, const char *what,
                         pn_documents *docs)
{
    static const char *const fields[] = {"files", "objects", NULL};
    docs->hash = true; /* the record of a run names its inputs by SHA-256 */
    if (!map)
        return;
    if (map->kind != PN_DOC_MAP) {
        err(s, map, "%s must be a mapping with files and/or objects", what);
        return;
    }
    known_fields(s, map, what, fields);
    const pn_doc_node *files = want(s, map, "files", PN_DOC_SEQ, "files");
    for (size_t i = 0; files && i < files->count; i++) {
        const char *p = scalar(files->items[i]);
        if (!p) {
            err(s, files->items[i], "a file entry must be a path");
            continue;
        }
        const char *full = p[0] == '/' ? p : pn_arena_printf(s->arena, "%s/%s", s->dir, p);
        size_t before = pn_diags_errors(s->diags), read = docs->input_count;
        pn_load_path(s->arena, s->diags, full, docs);
        note_inputs(s, docs, read);
        if (pn_diags_errors(s->diags) > before)
            err(s, files->items[i], "while reading \"%s\" (named here)", p);
    }
    const pn_doc_node *objects = want(s, map, "objects", PN_DOC_SEQ, "objects");
    for (size_t i = 0; objects && i < objects->count; i++) {
        PN_GROW(docs->items, docs->count, docs->cap);
        docs->items[docs->count++] = (pn_document){.file = s->file, .root = objects->items[i]};
    }
}

/* "ns/name" into its parts. */
static bool split_pod(pn_scenario *s, const char *text, const char **ns, const char **name)
{
    const char *slash = text ? strchr(text, '/') : NULL;
    if (!slash || slash == text || !slash[1] || strchr(slash + 1, '/'))
        return false;
    *ns = pn_arena_strndup(s->arena, text, (size_t)(slash - text));
    *name = slash + 1;
    return true;
}

static void read_target(pn_scenario *s, const pn_doc_node *n, step *st, const char *what)
{
    st->kind_name = scalar(pn_doc_get(n, "kind"));
    st->ns = scalar(pn_doc_get(n, "namespace"));
    st->name = scalar(pn_doc_get(n, "name"));
    if (!st->kind_name || !st->name)
        err(s, n, "%s needs kind and name (and namespace for namespaced kinds)", what);
    else if (!st->ns && !pn_kind_cluster_scoped(st->kind_name))
        st->ns = "default";
}

static void read_label(pn_scenario *s, const pn_doc_node *n, step *st)
{
    static const char *const fields[] = {"pod", "namespace", "set", "remove", NULL};
    if (n->kind != PN_DOC_MAP) {
        err(s, n, "label must be a mapping");
        return;
    }
    known_fields(s, n, "label", fields);
    const char *pod = scalar(pn_doc_get(n, "pod"));
    const char *ns = scalar(pn_doc_get(n, "namespace"));
    if (!!pod == !!ns) {
        err(s, n, "label needs exactly one of pod (namespace/name) or namespace");
        return;
    }
    if (pod) {
        st->kind_name = "Pod";
        if (!split_pod(s, pod, &st->ns, &st->name))
            err(s, pn_doc_get(n, "pod"), "\"%s\" is not a pod (namespace/name)", pod);
    } else {
        st->kind_name = "Namespace";
        st->name = ns;
    }
    const pn_doc_node *set = want(s, n, "set", PN_DOC_MAP, "set");
    const pn_doc_node *remove = want(s, n, "remove", PN_DOC_SEQ, "remove");
    if (!set && !remove)
        err(s, n, "label needs set and/or remove");
    size_t pairs = set ? set->count / 2 : 0;
    st->set.items = pn_arena_alloc(s->arena, sizeof(pn_label) * (pairs + 1));
    for (size_t i = 0; i < pairs; i++) {
        const pn_doc_node *k = set->items[2 * i], *v = set->items[2 * i + 1];
        const char *why = pn_label_key_check(k->text);
        const char *value =
            v->kind == PN_DOC_SCALAR && pn_doc_scalar_type(v) == PN_SCALAR_STRING ? v->text : NULL;
        if (why)
            err(s, k, "invalid label key \"%s\": %s", k->text, why);
        else if (!value)
            err(s, v, "label values must be strings (quote numbers and booleans)");
        else if ((why = pn_label_value_check(value)))
            err(s, v, "invalid label value \"%s\": %s", value, why);
        else
            st->set.items[st->set.count++] = (pn_label){k->text, value};
    }
    const char *dup;
    pn_labels_sort(&st->set, &dup);
    st->remove_count = remove ? remove->count : 0;
    st->remove = pn_arena_alloc(s->arena, sizeof(char *) * (st->remove_count + 1));
    for (size_t i = 0; i < st->remove_count; i++)
        if (!(st->remove[i] = scalar(remove->items[i])))
            err(s, remove->items[i], "remove takes label keys");
}

static void read_step(pn_scenario *s, const pn_doc_node *n, step *st, pn_time *last)
{
    static const char *const fields[] = {"at",    "note",   "apply",  "delete", "scale",
                                         "label", "expect", "health", NULL};
    *st = (step){.node = n};
    if (n->kind != PN_DOC_MAP) {
        err(s, n, "a timeline step must be a mapping (at: TIME and one action)");
        return;
    }
    known_fields(s, n, "a timeline step", fields);
    const char *at = scalar(pn_doc_get(n, "at"));
    if (!at || pn_time_parse(at, &st->at) != 0) {
        err(s, pn_doc_get(n, "at") ? pn_doc_get(n, "at") : n,
            "at must be a time such as 0s, 1.5s, 250ms or 2m");
        return;
    }
    if (st->at < *last) {
        char a[32], b[32];
        err(s, pn_doc_get(n, "at"), "time goes backwards: %s comes after %s",
            pn_time_format(st->at, a), pn_time_format(*last, b));
        return;
    }
    *last = st->at;
    st->note = scalar(pn_doc_get(n, "note"));
    static const char *const actions[] = {"apply", "delete", "scale", "label", "expect", "health"};
    int found = -1, count = 0;
    for (int i = 0; i < 6; i++)
        if (pn_doc_get(n, actions[i])) {
            found = i;
            count++;
        }
    if (count != 1) {
        err(s, n,
            "a timeline step needs exactly one of apply, delete, scale, label, expect, health");
        return;
    }
    const pn_doc_node *a = pn_doc_get(n, actions[found]);
    st->kind = (step_kind)found;
    static const char *const target_fields[] = {"kind", "namespace", "name", NULL};
    static const char *const scale_fields[] = {"kind", "namespace", "name", "replicas", NULL};
    switch (st->kind) {
    case STEP_APPLY:
        read_objects(s, a, "apply", &st->docs);
        break;
    case STEP_DELETE:
        if (a->kind != PN_DOC_MAP || !known_fields(s, a, "delete", target_fields))
            err(s, a, "delete takes kind, namespace and name");
        else
            read_target(s, a, st, "delete");
        break;
    case STEP_SCALE:
        if (a->kind != PN_DOC_MAP || !known_fields(s, a, "scale", scale_fields)) {
            err(s, a, "scale takes kind, namespace, name and replicas");
            break;
        }
        read_target(s, a, st, "scale");
        if (pn_doc_int(pn_doc_get(a, "replicas"), 0, 1000000, &st->replicas) != 0)
            err(s, pn_doc_get(a, "replicas") ? pn_doc_get(a, "replicas") : a,
                "replicas must be an integer in 0..1000000");
        break;
    case STEP_LABEL:
        read_label(s, a, st);
        break;
    case STEP_EXPECT:
        st->expect = pn_expect_parse(a, s->file, s->diags);
        break;
    case STEP_HEALTH: {
        static const char *const health_fields[] = {"pod", "healthy", NULL};
        if (a->kind != PN_DOC_MAP || !known_fields(s, a, "health", health_fields)) {
            err(s, a, "health takes pod (namespace/name, wildcards) and healthy (true/false)");
            break;
        }
        st->name = scalar(pn_doc_get(a, "pod"));
        const char *h = scalar(pn_doc_get(a, "healthy"));
        if (!st->name || !strchr(st->name, '/'))
            err(s, a, "health needs pod: namespace/name");
        if (!h || (strcmp(h, "true") != 0 && strcmp(h, "false") != 0))
            err(s, pn_doc_get(a, "healthy") ? pn_doc_get(a, "healthy") : a,
                "healthy must be true or false");
        else
            st->healthy = strcmp(h, "true") == 0;
        break;
    }
    }
}

pn_scenario *pn_scenario_load(const char *path, pn_diags *diags)
{
    pn_scenario *s = pn_xcalloc(1, sizeof *s);
    s->arena = pn_arena_new();
    s->diags = diags;
    s->file = pn_arena_strdup(s->arena, path);
    const char *slash = strrchr(path, '/');
    s->dir = slash ? pn_arena_strndup(s->arena, path, (size_t)(slash - path)) : ".";
    s->seed = 1;
    size_t errors = pn_diags_errors(diags);
    pn_documents docs = {.hash = true}; /* scenarios are small; their record wants hashes */
    pn_load_path(s->arena, diags, path, &docs);
    note_inputs(s, &docs, 0);
    const pn_doc_node *root = NULL;
    for (size_t i = 0; i < docs.count; i++) {
        if (pn_doc_is_null(docs.items[i].root))
            continue;
        if (root) {
            err(s, docs.items[i].root, "one Scenario per file");
            break;
        }
        root = docs.items[i].root;
    }
    pn_documents_free(&docs);
    if (pn_diags_errors(diags) > errors) {
        pn_scenario_free(s);
        return NULL;
    }
    static const char *const top_fields[] = {"apiVersion", "kind", "metadata", "spec", NULL};
    static const char *const meta_fields[] = {"name", "labels", "annotations", NULL};
    static const char *const spec_fields[] = {"description", "seed",   "podCIDR", "world",
                                              "timeline",    "expect", "settle",  NULL};
    const char *kind = scalar(pn_doc_get(root, "kind"));
    const char *api = scalar(pn_doc_get(root, "apiVersion"));
    if (!root || root->kind != PN_DOC_MAP || !kind || strcmp(kind, "Scenario") != 0) {
        err(s, root, "expected kind: Scenario (apiVersion podnet.dev/v1alpha1)");
    } else if (!api || strcmp(api, "podnet.dev/v1alpha1") != 0) {
        err(s, pn_doc_get(root, "apiVersion") ? pn_doc_get(root, "apiVersion") : root,
            "a Scenario must be apiVersion podnet.dev/v1alpha1");
    } else {
        known_fields(s, root, "a Scenario", top_fields);
        const pn_doc_node *meta = want(s, root, "metadata", PN_DOC_MAP, "metadata");
        known_fields(s, meta, "metadata", meta_fields);
        s->name = scalar(pn_doc_get(meta, "name"));
        if (!s->name)
            err(s, meta ? meta : root, "metadata.name is required");
        const pn_doc_node *spec = want(s, root, "spec", PN_DOC_MAP, "spec");
        if (!spec)
            err(s, root, "spec is required");
        known_fields(s, spec, "spec", spec_fields);
        s->description = scalar(pn_doc_get(spec, "description"));
        const pn_doc_node *seed = pn_doc_get(spec, "seed");
        int64_t v;
        if (seed && pn_doc_int(seed, 0, INT64_MAX, &v) != 0)
            err(s, seed, "seed must be a non-negative integer");
        else if (seed)
            s->seed = (uint64_t)v;
        s->pod_cidr = scalar(pn_doc_get(spec, "podCIDR"));
        s->settle = 5 * 60 * PN_SECOND;
        const char *settle = scalar(pn_doc_get(spec, "settle"));
        if (settle && pn_time_parse(settle, &s->settle) != 0)
            err(s, pn_doc_get(spec, "settle"), "settle must be a duration such as 2m");
        read_objects(s, pn_doc_get(spec, "world"), "world", &s->world);
        const pn_doc_node *timeline = want(s, spec, "timeline", PN_DOC_SEQ, "timeline");
        pn_time last = 0;
        if (timeline) {
            s->steps = pn_xcalloc(timeline->count ? timeline->count : 1, sizeof *s->steps);
            for (size_t i = 0; i < timeline->count; i++)
                read_step(s, timeline->items[i], &s->steps[s->step_count++], &last);
            for (size_t i = 0; i < s->step_count; i++)
                s->has_probes |= s->steps[i].kind == STEP_HEALTH;
        }
        s->end = last;
        const pn_doc_node *expect = pn_doc_get(spec, "expect");
        if (expect)
            s->settled = pn_expect_parse(expect, s->file, diags);
    }
    if (pn_diags_errors(diags) > errors) {
        pn_scenario_free(s);
        return NULL;
    }
    return s;
}

void pn_scenario_free(pn_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->step_count; i++) {
        pn_documents_free(&s->steps[i].docs);
        pn_expect_free(s->steps[i].expect);
    }
    free(s->steps);
    pn_documents_free(&s->world);
    pn_expect_free(s->settled);
    free(s->inputs);
    pn_arena_free(s->arena);
    free(s);
}

const pn_input *pn_scenario_inputs(const pn_scenario *s, size_t *count)
{
    *count = s->input_count;
    return s->inputs;
}

const char *pn_scenario_name(const pn_scenario *s)
{
    return s->name;
}

const char *pn_scenario_file(const pn_scenario *s)
{
    return s->file;
}

const char *pn_scenario_description(const pn_scenario *s)
{
    return s->description ? s->description : "";
}

uint64_t pn_scenario_seed(const pn_scenario *s)
{
    return s->seed;
}

void pn_scenario_set_seed(pn_scenario *s, uint64_t seed)
{
    s->seed = seed;
}

/* ---- replay ---- */

/* What the narration reports after each change. */
typedef struct {
    size_t pods, policies, isolated_in, isolated_out;
} census;

static census take_census(const pn_world *w)
{
    census c = {0};
    const pn_pod *pods = pn_world_pods(w, &c.pods);
    const pn_netpol *pols = pn_world_policies(w, &c.policies);
    for (size_t i = 0; i < c.pods; i++) {
        bool in = false, out = false;
        for (size_t p = 0; p < c.policies && !(in && out); p++) {
            in = in || pn_netpol_applies(&pols[p], &pods[i], PN_INGRESS);
            out = out || pn_netpol_applies(&pols[p], &pods[i], PN_EGRESS);
        }
        c.isolated_in += in;
        c.isolated_out += out;
    }
    return c;
}

static void say_change(FILE *out, const char *what, size_t before, size_t after, bool *first)
{
    if (before == after)
        return;
    fprintf(out, "%s%s %zu -> %zu", *first ? ": " : ", ", what, before, after);
    *first = false;
}

static void narrate(pn_scenario *s, const step *st, const char *action, census before)
{
    if (!s->opt->verbose)
        return;
    FILE *out = s->opt->out;
    char t[32];
    census after = take_census(s->w);
    fprintf(out, "t=%-6s %s", pn_time_format(st->at, t), action);
    bool first = true;
    say_change(out, "pods", before.pods, after.pods, &first);
    say_change(out, "policies", before.policies, after.policies, &first);
    say_change(out, "pods isolated for ingress", before.isolated_in, after.isolated_in, &first);
    say_change(out, "pods isolated for egress", before.isolated_out, after.isolated_out, &first);
    fputc('\n', out);
    if (st->note)
        fprintf(out, "         (%s)\n", st->note);
}

static void check(pn_scenario *s, const pn_expectations *e, pn_time at)
{
    size_t first = s->results->count;
    if (pn_expect_check(e, s->w, s->opt->engine, s->cache, at, s->results, s->diags) != 0) {
        s->rc = -1;
        return;
    }
    pn_expect_print(s->opt->out, s->results, first, s->opt->verbose);
}

static void run_step(pn_engine *e, void *ctx, uint64_t index)
{
    pn_scenario *s = ctx;
    const step *st = &s->steps[index];
    if (s->rc != 0)
        return;
    /* The census costs pods × policies selector checks: only narration needs it. */
    census before = s->opt->verbose ? take_census(s->w) : (census){0};
    char action[700];
    const char *why = NULL;
    int rc = 0;
    switch (st->kind) {
    case STEP_APPLY: {
        pn_world_options wo = {0};
        rc = pn_world_apply(s->w, &st->docs, &wo, s->diags);
        snprintf(action, sizeof action, "apply %zu object%s", st->docs.count,
                 st->docs.count == 1 ? "" : "s");
        if (rc != 0)
            why = "the objects could not be applied";
        break;
    }
    case STEP_DELETE:
        rc = pn_world_delete(s->w, st->kind_name, st->ns, st->name, &why);
        snprintf(action, sizeof action, "delete %s %s%s%s", st->kind_name, st->ns ? st->ns : "",
                 st->ns ? "/" : "", st->name);
        break;
    case STEP_SCALE:
        rc = pn_world_scale(s->w, st->kind_name, st->ns, st->name, st->replicas, &why);
        snprintf(action, sizeof action, "scale %s %s/%s to %lld", st->kind_name, st->ns, st->name,
                 (long long)st->replicas);
        break;
    case STEP_LABEL: {
        rc = pn_world_label(s->w, st->kind_name, st->ns, st->name, &st->set, st->remove,
                            st->remove_count, &why);
        size_t used = (size_t)snprintf(action, sizeof action, "label %s %s%s%s", st->kind_name,
                                       st->ns ? st->ns : "", st->ns ? "/" : "", st->name);
        for (size_t i = 0; i < st->set.count && used < sizeof action; i++)
            used += (size_t)snprintf(action + used, sizeof action - used, " %s=%s",
                                     st->set.items[i].key, st->set.items[i].value);
        for (size_t i = 0; i < st->remove_count && used < sizeof action; i++)
            used += (size_t)snprintf(action + used, sizeof action - used, " %s-", st->remove[i]);
        break;
    }
    case STEP_EXPECT:
        check(s, st->expect, pn_engine_now(e));
        return;
    case STEP_HEALTH:
        snprintf(action, sizeof action, "health %s: probes now %s", st->name,
                 st->healthy ? "succeed" : "fail");
        if (pn_kubelet_set_health(s->kubelet, st->name, st->healthy) == 0) {
            why = "no pod with probes matches";
            rc = -1;
        }
        break;
    }
    if (rc != 0) {
        err(s, st->node, "%s: %s", action, why ? why : "failed");
        s->rc = -1;
        return;
    }
    if (s->ipamd)
        pn_ipamd_sync(s->ipamd);
    pn_kubelet_sync(s->kubelet);
    narrate(s, st, action, before);
}

int pn_scenario_run(pn_scenario *s, const pn_run_options *opt, pn_expect_results *results,
                    pn_diags *diags)
{
    s->opt = opt;
    s->results = results;
    s->diags = diags;
    s->rc = 0;
    s->w = pn_world_new();
    pn_world_options wo = {.pod_cidr = s->pod_cidr, .pod_limit = opt->pod_limit};
    if (pn_world_load(s->w, &s->world, &wo, diags) != 0) {
        pn_world_free(s->w);
        s->w = NULL;
        return -1;
    }
    if (opt->verbose) {
        census c = take_census(s->w);
        fprintf(opt->out, "scenario %s (%s), seed %llu\n", s->name, s->file,
                (unsigned long long)s->seed);
        if (s->description)
            fprintf(opt->out, "  %s\n", s->description);
        fprintf(opt->out,
                "t=0s     world: %zu pods, %zu policies; %zu pods isolated for ingress, %zu for "
                "egress\n",
                c.pods, c.policies, c.isolated_in, c.isolated_out);
    }
    s->cache = pn_reach_cache_new();
    pn_engine *e = pn_engine_new(s->seed);
    if (pn_world_aws(s->w))
        s->ipamd = pn_ipamd_new(s->w, e, opt->verbose ? opt->out : NULL);
    s->kubelet = pn_kubelet_new(s->w, e, opt->verbose ? opt->out : NULL);
    for (size_t i = 0; i < s->step_count; i++)
        pn_engine_schedule(e, s->steps[i].at, run_step, s, i);
    /* Periodic components never run out of events: run them for the settle time after the
     * last step. */
    bool periodic = s->ipamd || pn_kubelet_active(s->kubelet) || s->has_probes;
    if (opt->inspect) {
        pn_engine_run(e, opt->inspect_at);
        if (s->rc == 0)
            opt->inspect(s->w, opt->inspect_ctx);
    } else {
        pn_engine_run(e, periodic ? s->end + s->settle : PN_TIME_NEVER);
    }
    if (!opt->inspect && s->rc == 0 && s->settled) {
        if (opt->verbose) {
            char t[32];
            fprintf(opt->out, "t=%-6s settled\n", pn_time_format(pn_engine_now(e), t));
        }
        check(s, s->settled, -1);
    }
    pn_ipamd_free(s->ipamd);
    s->ipamd = NULL;
    pn_kubelet_free(s->kubelet);
    s->kubelet = NULL;
    pn_engine_free(e);
    pn_reach_cache_free(s->cache);
    s->cache = NULL;
    pn_world_free(s->w);
    s->w = NULL;
    return s->rc;
}
