/* lint — policy review (see lint.h). The checks, in the order of the codes: selection and
 * ignored rules read each policy against the world's pods and namespaces; DNS, IMDS and
 * exposure ask what pods may open; redundancy evaluates every rule and peer of a policy over
 * the connection space the world can tell apart (pod classes of the reach engine, address
 * intervals of the policy's ipBlocks, port interval classes of sim/query/ports). */
#include "sim/query/lint.h"

#include "sim/base/arena.h"
#include "sim/base/buf.h"
#include "sim/base/strmap.h"
#include "sim/query/path.h"
#include "sim/query/ports.h"
#include "sim/query/reach.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMDS_ADDRESS 0xa9fea9feu /* 169.254.169.254 */
/* The most (subject, peer, port class) cells a policy's redundancy is computed on: 4 million
 * cells of one 64-bit word each is 32 MB. Larger policies are not checked for redundancy. */
#define REDUNDANCY_CELLS_MAX ((size_t)4 << 20)
#define REDUNDANCY_UNITS_MAX 64 /* rules and peers of one direction of one policy */

static const pn_lint_rule rules[PN_LINT_CODE_COUNT] = {
    [PN_LINT_SELECTS_NOTHING] = {"selects-nothing", PN_LINT_WARNING,
                                 "A policy's podSelector, a peer, or a namespaceSelector matches "
                                 "nothing in the input."},
    [PN_LINT_IGNORED_RULES] = {"ignored-rules", PN_LINT_ERROR,
                               "Rules of a direction that spec.policyTypes leaves out: "
                               "Kubernetes ignores them silently."},
    [PN_LINT_EGRESS_WITHOUT_DNS] = {"egress-without-dns", PN_LINT_ERROR,
                                    "Pods isolated for egress cannot reach the cluster DNS pods "
                                    "on 53/UDP (error) or 53/TCP (warning)."},
    [PN_LINT_REDUNDANT_RULE] = {"redundant-rule", PN_LINT_WARNING,
                                "A rule that allows no connection the rest of its policy does "
                                "not allow."},
    [PN_LINT_SHADOWED_PEER] = {"shadowed-peer", PN_LINT_WARNING,
                               "A peer that admits no connection the rest of its policy does "
                               "not admit."},
    [PN_LINT_UNPROTECTED] = {"unprotected", PN_LINT_NOTE,
                             "Pods no NetworkPolicy isolates, per direction, by workload."},
    [PN_LINT_EXPOSED] = {"exposed", PN_LINT_WARNING,
                         "A rule that opens pods to addresses outside the cluster or to every "
                         "namespace."},
    [PN_LINT_IMDS_REACHABLE] = {"imds-reachable", PN_LINT_WARNING,
                                "Pods that can reach the instance metadata service "
                                "(169.254.169.254:80) in an AWS world."},
    [PN_LINT_NAMED_PORT_UNRESOLVED] = {"named-port-unresolved", PN_LINT_WARNING,
                                       "A named port that no pod the rule reaches declares."},
};

const pn_lint_rule *pn_lint_rule_of(pn_lint_code code)
{
    return &rules[code];
}

const char *pn_lint_severity_name(pn_lint_severity s)
{
    return s == PN_LINT_ERROR ? "error" : s == PN_LINT_WARNING ? "warning" : "note";
}

struct pn_lint {
    pn_arena *arena; /* messages, labels, and the documents read for positions */
    pn_lint_finding *findings;
    size_t count, cap;
    pn_lint_exposure *exposures;
    size_t exposure_count;
};

/* An object's mapping in the documents, found by the position the world recorded. */
typedef struct {
    const char *file;
    unsigned line, column;
    const pn_doc_node *node;
} located;

/* The pods of one workload (or one standalone pod), in pod order. */
typedef struct {
    const char *ns, *kind, *name, *label;
    size_t *pods;
    size_t count;
} group;

typedef struct {
    const pn_world *w;
    pn_lint *l;
    const pn_pod *pods;
    size_t pod_count;
    const pn_namespace *nss;
    size_t ns_count;
    const pn_netpol *nps;
    size_t np_count;
    located *objects; /* sorted by file, line, column */
    size_t object_count, object_cap;
    pn_documents extra; /* files read for positions */
    pn_port_space space;
    pn_reach *sets;     /* the world's connection sets (bitset engine) */
    size_t *class_reps; /* one pod-network pod per reach class */
    size_t class_rep_count;
    group *groups;
    size_t group_count;
    size_t *group_of;    /* pod → its group */
    pn_ipv4 *public_ips; /* one address per interval outside private and special blocks */
    size_t public_count;
} lint_ctx;

/* ---- positions ---- */

static void index_objects(lint_ctx *c, const char *file, const pn_doc_node *n)
{
    if (!n)
        return;
    if (n->kind == PN_DOC_MAP && pn_doc_get(n, "kind")) {
        PN_GROW(c->objects, c->object_count, c->object_cap);
        c->objects[c->object_count++] = (located){file, n->line, n->column, n};
    }
    if (n->kind == PN_DOC_SCALAR)
        return;
    for (size_t i = 0; i < n->count; i++)
        index_objects(c, file, n->items[i]);
}

static int located_cmp(const void *a, const void *b)
{
    const located *x = a, *y = b;
    int d = strcmp(x->file, y->file);
    if (d)
        return d;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->column < y->column ? -1 : x->column > y->column;
}

static void index_documents(lint_ctx *c, const pn_documents *docs, size_t from)
{
    for (size_t i = from; docs && i < docs->count; i++)
        index_objects(c, docs->items[i].file, docs->items[i].root);
    pn_sort(c->objects, c->object_count, sizeof *c->objects, located_cmp);
}

static const pn_doc_node *find_object(const lint_ctx *c, pn_origin o)
{
    located key = {o.file, o.line, o.column, NULL};
    if (c->object_count == 0)
        return NULL; /* bsearch must not be given a NULL array */
    const located *hit = bsearch(&key, c->objects, c->object_count, sizeof key, located_cmp);
    return hit ? hit->node : NULL;
}

static bool file_indexed(const lint_ctx *c, const char *file)
{
    for (size_t i = 0; i < c->object_count; i++)
        if (strcmp(c->objects[i].file, file) == 0)
            return true;
    return false;
}

/* The mapping of the object declared at o, reading o's file when no document given holds it
 * (a scenario's world: the world keeps positions, the scenario keeps its documents). */
static const pn_doc_node *object_at(lint_ctx *c, pn_origin o)
{
    if (o.line == 0 || !o.file)
        return NULL;
    const pn_doc_node *n = find_object(c, o);
    if (n || strcmp(o.file, "-") == 0 || file_indexed(c, o.file))
        return n;
    size_t before = c->extra.count;
    pn_diags *ignored = pn_diags_new(); /* the world was read from it: it reads again */
    pn_load_path(c->l->arena, ignored, o.file, &c->extra);
    pn_diags_free(ignored);
    index_documents(c, &c->extra, before);
    return find_object(c, o);
}

static pn_origin origin_of_node(pn_origin object, const pn_doc_node *n)
{
    return n ? (pn_origin){object.file, n->line, n->column} : object;
}

static const pn_doc_node *seq_item(const pn_doc_node *seq, size_t i)
{
    return seq && seq->kind == PN_DOC_SEQ && i < seq->count ? seq->items[i] : NULL;
}

static const char *direction_key(pn_direction d)
{
    return d == PN_INGRESS ? "ingress" : "egress";
}

static const char *peers_key(pn_direction d)
{
    return d == PN_INGRESS ? "from" : "to";
}

/* spec.ingress[i] (or egress) of a policy's mapping, or NULL. */
static const pn_doc_node *rule_node(const pn_doc_node *obj, pn_direction d, size_t i)
{
    return seq_item(pn_doc_get(pn_doc_get(obj, "spec"), direction_key(d)), i);
}

static const pn_doc_node *peer_node(const pn_doc_node *obj, pn_direction d, size_t i, long j)
{
    const pn_doc_node *r = rule_node(obj, d, i);
    return j < 0 ? r : seq_item(pn_doc_get(r, peers_key(d)), (size_t)j);
}

/* "spec.ingress[0]" or "spec.ingress[0].from[1]" (j < 0: the rule). */
static const char *unit_path(lint_ctx *c, pn_direction d, size_t i, long j)
{
    if (j < 0)
        return pn_arena_printf(c->l->arena, "spec.%s[%zu]", direction_key(d), i);
    return pn_arena_printf(c->l->arena, "spec.%s[%zu].%s[%ld]", direction_key(d), i, peers_key(d),
                           j);
}

/* True when the object's PN_LINT_IGNORE_ANNOTATION names code (or "all"). */
static bool silenced(const pn_doc_node *obj, pn_lint_code code)
{
    const pn_doc_node *v = pn_doc_get(pn_doc_get(pn_doc_get(obj, "metadata"), "annotations"),
                                      PN_LINT_IGNORE_ANNOTATION);
    if (!v || v->kind != PN_DOC_SCALAR)
        return false;
    const char *id = rules[code].id, *s = v->text;
    size_t n = strlen(id);
    while (*s) {
        s += strspn(s, " ,");
        size_t len = strcspn(s, " ,");
        if ((len == n && strncmp(s, id, n) == 0) || (len == 3 && strncmp(s, "all", 3) == 0))
            return true;
        s += len;
    }
    return false;
}

/* ---- findings ---- */

typedef struct {
    pn_lint_code code;
    pn_lint_severity severity;
    const char *kind, *ns, *name;
    const pn_doc_node *obj; /* the object's mapping, for the annotation; may be NULL */
    const char *field;
    pn_origin at;
    const char *hint;
} finding_head;

static pn_lint_finding *add(lint_ctx *c, const finding_head *h, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a finding unless its object silences the code; returns it (NULL when silenced). */
static pn_lint_finding *add(lint_ctx *c, const finding_head *h, const char *fmt, ...)
{
    if (silenced(h->obj, h->code))
        return NULL;
    pn_buf b;
    pn_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    pn_buf_vappendf(&b, fmt, ap);
    va_end(ap);
    pn_lint *l = c->l;
    PN_GROW(l->findings, l->count, l->cap);
    pn_lint_finding *f = &l->findings[l->count++];
    *f = (pn_lint_finding){.code = h->code,
                           .severity = h->severity,
                           .kind = h->kind,
                           .ns = h->ns,
                           .name = h->name,
                           .field = h->field ? h->field : "",
                           .at = h->at,
                           .message = pn_arena_strdup(l->arena, pn_buf_str(&b)),
                           .hint = h->hint};
    pn_buf_free(&b);
    return f;
}

static int finding_cmp(const void *a, const void *b)
{
    const pn_lint_finding *x = a, *y = b;
    int d = strcmp(x->at.file ? x->at.file : "", y->at.file ? y->at.file : "");
    if (d)
        return d;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    if (x->at.column != y->at.column)
        return x->at.column < y->at.column ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    if ((d = strcmp(x->message, y->message)))
        return d;
    return strcmp(x->field, y->field);
}

/* The head of a finding about policy p: kind, names, its mapping and position. */
static finding_head policy_head(lint_ctx *c, size_t p, pn_lint_code code)
{
    const pn_netpol *np = &c->nps[p];
    pn_origin o = pn_world_object_origin(c->w, "NetworkPolicy", np->ns_name, np->name);
    return (finding_head){.code = code,
                          .severity = rules[code].severity,
                          .kind = "NetworkPolicy",
                          .ns = np->ns_name,
                          .name = np->name,
                          .obj = object_at(c, o),
                          .at = o};
}

/* The same for a finding about workload g, at the workload's declaration. */
static finding_head group_head(lint_ctx *c, const group *g, pn_lint_code code)
{
    pn_origin o = pn_world_pod_origin(c->w, g->pods[0]);
    return (finding_head){.code = code,
                          .severity = rules[code].severity,
                          .kind = g->kind,
                          .ns = g->ns,
                          .name = g->name,
                          .obj = object_at(c, o),
                          .at = o};
}

/* ---- the world's pods, by workload ---- */

static bool on_pod_network(const pn_pod *p)
{
    return !p->host_network;
}

static pn_endpoint pod_endpoint(const lint_ctx *c, size_t i)
{
    const pn_pod *p = &c->pods[i];
    return (pn_endpoint){p, &c->nss[p->ns].labels, p->ip};
}

static void build_groups(lint_ctx *c)
{
    pn_strmap *seen = pn_strmap_new();
    c->group_of = pn_xcalloc(c->pod_count + 1, sizeof *c->group_of);
    c->groups = pn_xcalloc(c->pod_count + 1, sizeof *c->groups);
    for (size_t i = 0; i < c->pod_count; i++) { /* the groups and their sizes */
        const pn_pod *p = &c->pods[i];
        c->group_of[i] = (size_t)-1;
        if (!on_pod_network(p))
            continue;
        const char *slash = p->owner ? strchr(p->owner, '/') : NULL;
        char key[600];
        snprintf(key, sizeof key, "%s/%s", p->ns_name, p->owner ? p->owner : p->name);
        size_t g;
        if (pn_strmap_get(seen, key, &g) != 0) {
            g = c->group_count++;
            pn_strmap_set(seen, key, g);
            c->groups[g] = (group){
                .ns = p->ns_name,
                .kind = slash ? pn_arena_strndup(c->l->arena, p->owner, (size_t)(slash - p->owner))
                              : "Pod",
                .name = slash ? slash + 1 : p->name};
        }
        c->groups[g].count++;
        c->group_of[i] = g;
    }
    for (size_t g = 0; g < c->group_count; g++) {
        group *gr = &c->groups[g];
        gr->label = pn_arena_printf(c->l->arena, "%s/%s (%s, %zu pod%s)", gr->ns, gr->name,
                                    gr->kind, gr->count, gr->count == 1 ? "" : "s");
        gr->pods = pn_xcalloc(gr->count, sizeof *gr->pods);
        gr->count = 0;
    }
    for (size_t i = 0; i < c->pod_count; i++) /* their pods, in pod order */
        if (c->group_of[i] != (size_t)-1) {
            group *gr = &c->groups[c->group_of[i]];
            gr->pods[gr->count++] = i;
        }
    pn_strmap_free(seen);
}

/* One pod-network pod per class of the reach engine: pods of a class are told apart by no
 * rule of any policy (labels, namespace labels, address interval, named ports). */
static void build_class_reps(lint_ctx *c)
{
    size_t classes = pn_reach_class_count(c->sets);
    bool *seen = pn_xcalloc(classes + 1, sizeof *seen);
    c->class_reps = pn_xcalloc(c->pod_count + 1, sizeof *c->class_reps);
    for (size_t i = 0; i < c->pod_count; i++) {
        size_t k = pn_reach_pod_class(c->sets, i);
        if (!on_pod_network(&c->pods[i]) || seen[k])
            continue;
        seen[k] = true;
        c->class_reps[c->class_rep_count++] = i;
    }
    free(seen);
}

/* Blocks no address on the internet is in: private, shared, loopback, link-local,
 * "this network", multicast and reserved. */
static const char *const special_blocks[] = {"0.0.0.0/8",      "10.0.0.0/8",     "100.64.0.0/10",
                                             "127.0.0.0/8",    "169.254.0.0/16", "172.16.0.0/12",
                                             "192.168.0.0/16", "224.0.0.0/3"};

static bool special_address(pn_ipv4 ip)
{
    for (size_t i = 0; i < sizeof special_blocks / sizeof special_blocks[0]; i++) {
        pn_cidr b;
        const char *why;
        if (pn_cidr_parse(special_blocks[i], &b, &why) == 0 && pn_cidr_contains(&b, ip))
            return true;
    }
    return false;
}

/* Adds the boundaries of every ipBlock of policy np's rules in direction d. */
static void add_ipblock_bounds(pn_bounds *b, const pn_netpol *np, pn_direction d)
{
    for (size_t i = 0; i < np->rule_count[d]; i++)
        for (size_t j = 0; j < np->rules[d][i].peer_count; j++) {
            const pn_netpol_peer *peer = &np->rules[d][i].peers[j];
            if (!peer->has_ipblock)
                continue;
            pn_bounds_add(b, &peer->cidr);
            for (size_t k = 0; k < peer->except_count; k++)
                pn_bounds_add(b, &peer->except[k]);
        }
}

/* The first address of every interval the world's ipBlocks and the special blocks cut the
 * address space into, keeping those on the internet: no policy tells two addresses of one
 * interval apart, so these stand for every address outside the cluster. */
static void build_public_ips(lint_ctx *c)
{
    pn_bounds b = {0};
    for (size_t i = 0; i < sizeof special_blocks / sizeof special_blocks[0]; i++) {
        pn_cidr block;
        const char *why;
        if (pn_cidr_parse(special_blocks[i], &block, &why) == 0)
            pn_bounds_add(&b, &block);
    }
    for (size_t p = 0; p < c->np_count; p++)
        for (int d = 0; d < 2; d++)
            add_ipblock_bounds(&b, &c->nps[p], (pn_direction)d);
    pn_bounds_finish(&b);
    c->public_ips = pn_xcalloc(b.count + 2, sizeof *c->public_ips);
    for (size_t i = 0; i < b.count; i++)
        if (!special_address(b.at[i]) && pn_world_pod_by_ip(c->w, b.at[i]) < 0)
            c->public_ips[c->public_count++] = b.at[i];
    pn_bounds_free(&b);
}

/* ---- what rules admit ---- */

static bool rule_ports_match(const pn_netpol_rule *r, const pn_pod *dst, pn_port port)
{
    if (r->port_count == 0)
        return true;
    for (size_t k = 0; k < r->port_count; k++)
        if (pn_netpol_port_matches(&r->ports[k], dst, port))
            return true;
    return false;
}

/* Whether peer j of rule r (j < 0: a rule without peers) admits a connection in direction d
 * between the policy's pod subject and the far end ep, on port. */
static bool unit_matches(const pn_netpol *np, pn_direction d, const pn_netpol_rule *r, long j,
                         const pn_pod *subject, const pn_endpoint *ep, pn_port port)
{
    const pn_pod *dst = d == PN_INGRESS ? subject : ep->pod;
    if (!rule_ports_match(r, dst, port))
        return false;
    return j < 0 || pn_netpol_peer_matches(np, &r->peers[j], ep);
}

static bool isolated(const lint_ctx *c, const pn_pod *pod, pn_direction d)
{
    for (size_t p = 0; p < c->np_count; p++)
        if (pn_netpol_applies(&c->nps[p], pod, d))
            return true;
    return false;
}

/* Whether the policies allow dst's ingress from ep on port (a pod not isolated allows all). */
static bool ingress_allows(const lint_ctx *c, const pn_pod *dst, const pn_endpoint *ep,
                           pn_port port)
{
    bool governed = false;
    for (size_t p = 0; p < c->np_count; p++) {
        const pn_netpol *np = &c->nps[p];
        if (!pn_netpol_applies(np, dst, PN_INGRESS))
            continue;
        governed = true;
        for (size_t i = 0; i < np->rule_count[PN_INGRESS]; i++)
            if (pn_netpol_rule_matches(np, &np->rules[PN_INGRESS][i], ep, dst, port))
                return true;
    }
    return !governed;
}

/* Whether src's egress policies allow a connection to ep on port. */
static bool egress_allows(const lint_ctx *c, const pn_pod *src, const pn_endpoint *ep, pn_port port)
{
    bool governed = false;
    for (size_t p = 0; p < c->np_count; p++) {
        const pn_netpol *np = &c->nps[p];
        if (!pn_netpol_applies(np, src, PN_EGRESS))
            continue;
        governed = true;
        for (size_t i = 0; i < np->rule_count[PN_EGRESS]; i++)
            if (pn_netpol_rule_matches(np, &np->rules[PN_EGRESS][i], ep, ep->pod, port))
                return true;
    }
    return !governed;
}

/* Adds the port ranges of interval class k to s. */
static void add_port_class(const lint_ctx *c, size_t k, pn_portset *s)
{
    const pn_port_space *sp = &c->space;
    for (size_t m = sp->class_start[k]; m < sp->class_start[k + 1]; m++) {
        const pn_port_range *r = &sp->interval[sp->members[m]];
        pn_portset_add(s, r->proto, r->lo, r->hi);
    }
}

static void portset_union(pn_portset *into, const pn_portset *s)
{
    for (size_t i = 0; i < s->count; i++)
        pn_portset_add(into, s->r[i].proto, s->r[i].lo, s->r[i].hi);
}

/* "shop/web (Deployment, 2 pods), shop/api (...)" for the groups of pods, at most three named. */
static const char *groups_text(lint_ctx *c, const size_t *pods, size_t count)
{
    bool *named = pn_xcalloc(c->group_count + 1, sizeof *named);
    pn_buf b;
    pn_buf_init(&b);
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < count; i++) {
        size_t g = c->group_of[pods[i]];
        if (g == (size_t)-1 || named[g])
            continue;
        named[g] = true;
        if (shown == 3) {
            more++;
            continue;
        }
        pn_buf_appendf(&b, "%s%s", shown ? ", " : "", c->groups[g].label);
        shown++;
    }
    if (more)
        pn_buf_appendf(&b, " and %zu more", more);
    const char *s = pn_arena_strdup(c->l->arena, pn_buf_str(&b));
    pn_buf_free(&b);
    free(named);
    return s;
}

/* ---- selects-nothing, ignored-rules, named-port-unresolved ---- */

/* The pods policy p governs in direction d (any direction when all is set). Caller frees. */
static size_t *policy_subjects(const lint_ctx *c, size_t p, int d, size_t *count)
{
    size_t *out = pn_xcalloc(c->pod_count + 1, sizeof *out);
    *count = 0;
    for (size_t i = 0; i < c->pod_count; i++) {
        const pn_netpol *np = &c->nps[p];
        bool yes = d < 0 ? pn_netpol_applies(np, &c->pods[i], PN_INGRESS) ||
                               pn_netpol_applies(np, &c->pods[i], PN_EGRESS)
                         : pn_netpol_applies(np, &c->pods[i], (pn_direction)d);
        if (yes)
            out[(*count)++] = i;
    }
    return out;
}

static void check_selection(lint_ctx *c, size_t p)
{
    const pn_netpol *np = &c->nps[p];
    size_t n;
    free(policy_subjects(c, p, -1, &n));
    if (n > 0)
        return;
    finding_head h = policy_head(c, p, PN_LINT_SELECTS_NOTHING);
    const pn_doc_node *spec = pn_doc_get(h.obj, "spec"), *ps = pn_doc_get(spec, "podSelector");
    h.field = "spec.podSelector";
    h.at = origin_of_node(h.at, ps ? ps : pn_doc_key_of(h.obj, spec));
    h.hint = "compare the selector with the pods' labels (kubectl get pods -n NAMESPACE "
             "--show-labels), or delete the policy";
    add(c, &h, "podSelector selects no pod in namespace %s: the policy has no effect", np->ns_name);
}

static void check_ignored(lint_ctx *c, size_t p)
{
    const pn_netpol *np = &c->nps[p];
    for (int d = 0; d < 2; d++) {
        unsigned bit = d == PN_INGRESS ? PN_TYPE_INGRESS : PN_TYPE_EGRESS;
        if (np->rule_count[d] == 0 || (np->types & bit))
            continue;
        finding_head h = policy_head(c, p, PN_LINT_IGNORED_RULES);
        const pn_doc_node *spec = pn_doc_get(h.obj, "spec");
        h.field = pn_arena_printf(c->l->arena, "spec.%s", direction_key((pn_direction)d));
        h.at = origin_of_node(h.at, pn_doc_key_of(spec, pn_doc_get(spec, direction_key(d))));
        h.hint = d == PN_INGRESS ? "add Ingress to spec.policyTypes, or delete the ingress rules"
                                 : "add Egress to spec.policyTypes, or delete the egress rules";
        add(c, &h,
            "spec.policyTypes leaves out %s: its %zu %s rule%s %s ignored (Kubernetes does not "
            "say so)",
            d == PN_INGRESS ? "Ingress" : "Egress", np->rule_count[d],
            direction_key((pn_direction)d), np->rule_count[d] == 1 ? "" : "s",
            np->rule_count[d] == 1 ? "is" : "are");
    }
}

static bool some_namespace_matches(const lint_ctx *c, const pn_selector *sel)
{
    for (size_t i = 0; i < c->ns_count; i++)
        if (pn_selector_matches(sel, &c->nss[i].labels))
            return true;
    return false;
}

static bool some_pod_matches(const lint_ctx *c, const pn_netpol *np, const pn_netpol_peer *peer)
{
    for (size_t i = 0; i < c->pod_count; i++) {
        pn_endpoint ep = pod_endpoint(c, i);
        if (on_pod_network(&c->pods[i]) && pn_netpol_peer_matches(np, peer, &ep))
            return true;
    }
    return false;
}

static void check_peers(lint_ctx *c, size_t p, pn_direction d)
{
    const pn_netpol *np = &c->nps[p];
    for (size_t i = 0; i < np->rule_count[d]; i++)
        for (size_t j = 0; j < np->rules[d][i].peer_count; j++) {
            const pn_netpol_peer *peer = &np->rules[d][i].peers[j];
            if (peer->has_ipblock || some_pod_matches(c, np, peer))
                continue;
            finding_head h = policy_head(c, p, PN_LINT_SELECTS_NOTHING);
            const pn_doc_node *pn = peer_node(h.obj, d, i, (long)j);
            h.field = unit_path(c, d, i, (long)j);
            if (peer->ns_selector && !some_namespace_matches(c, peer->ns_selector)) {
                const pn_doc_node *nsn = pn_doc_get(pn, "namespaceSelector");
                h.at = origin_of_node(h.at, nsn ? nsn : pn);
                h.field = pn_arena_printf(c->l->arena, "%s.namespaceSelector", h.field);
                h.hint = "compare the selector with the namespaces' labels (kubectl get ns "
                         "--show-labels; every namespace has kubernetes.io/metadata.name)";
                add(c, &h, "namespaceSelector matches no namespace: this peer admits nothing");
                continue;
            }
            h.at = origin_of_node(h.at, pn);
            h.hint = "compare the selectors with the pods' labels and namespaces (a podSelector "
                     "alone means the policy's own namespace)";
            add(c, &h, "%s selects no pod: this peer admits nothing", h.field);
        }
}

/* The pods rule i of policy p in direction d can connect to (its destinations): for ingress
 * the policy's pods, for egress the pods its peers admit (every pod without peers). */
static size_t *rule_destinations(const lint_ctx *c, size_t p, pn_direction d, size_t i,
                                 size_t *count)
{
    if (d == PN_INGRESS)
        return policy_subjects(c, p, PN_INGRESS, count);
    const pn_netpol *np = &c->nps[p];
    const pn_netpol_rule *r = &np->rules[d][i];
    size_t *out = pn_xcalloc(c->pod_count + 1, sizeof *out);
    *count = 0;
    for (size_t k = 0; k < c->pod_count; k++) {
        pn_endpoint ep = pod_endpoint(c, k);
        bool admitted = r->peer_count == 0;
        for (size_t j = 0; !admitted && j < r->peer_count; j++)
            admitted = pn_netpol_peer_matches(np, &r->peers[j], &ep);
        if (admitted && on_pod_network(&c->pods[k]))
            out[(*count)++] = k;
    }
    return out;
}

static bool only_ipblocks(const pn_netpol_rule *r)
{
    for (size_t j = 0; j < r->peer_count; j++)
        if (!r->peers[j].has_ipblock)
            return false;
    return r->peer_count > 0;
}

static void check_named_ports(lint_ctx *c, size_t p, pn_direction d)
{
    const pn_netpol *np = &c->nps[p];
    for (size_t i = 0; i < np->rule_count[d]; i++) {
        const pn_netpol_rule *r = &np->rules[d][i];
        size_t n;
        size_t *dst = NULL;
        for (size_t k = 0; k < r->port_count; k++) {
            const pn_netpol_port *e = &r->ports[k];
            if (e->kind != PN_NP_PORT_NAMED)
                continue;
            if (!dst)
                dst = rule_destinations(c, p, d, i, &n);
            /* No destination at all is selects-nothing's to say, unless the rule can reach
             * only addresses, where a named port never resolves. */
            if (n == 0 && !(d == PN_EGRESS && only_ipblocks(r)))
                continue;
            size_t m = 0;
            uint16_t number;
            while (m < n && pn_pod_named_port(&c->pods[dst[m]], e->name, e->proto, &number) != 0)
                m++;
            if (m < n)
                continue;
            finding_head h = policy_head(c, p, PN_LINT_NAMED_PORT_UNRESOLVED);
            const pn_doc_node *pe = seq_item(pn_doc_get(rule_node(h.obj, d, i), "ports"), k);
            const pn_doc_node *pv = pn_doc_get(pe, "port");
            h.at = origin_of_node(h.at, pv ? pv : pe);
            h.field = pn_arena_printf(c->l->arena, "spec.%s[%zu].ports[%zu].port", direction_key(d),
                                      i, k);
            h.hint = "name a port the pods declare (containers[].ports[].name, with this "
                     "protocol), or use the number";
            if (n == 0)
                add(c, &h,
                    "named port \"%s\"/%s can never resolve: the rule's peers are ipBlocks, and "
                    "only pods declare port names",
                    e->name, pn_proto_name(e->proto));
            else if (n == 1)
                add(c, &h,
                    "named port \"%s\"/%s is not declared by the one pod the rule reaches (%s): "
                    "the entry allows nothing",
                    e->name, pn_proto_name(e->proto), groups_text(c, dst, n));
            else
                add(c, &h,
                    "named port \"%s\"/%s is declared by none of the %zu pods the rule reaches "
                    "(%s): the entry allows nothing",
                    e->name, pn_proto_name(e->proto), n, groups_text(c, dst, n));
        }
        free(dst);
    }
}

/* ---- redundant-rule, shadowed-peer ---- */

/* One rule (peer < 0: as a whole, for a rule without peers) or one peer of a rule. */
typedef struct {
    size_t rule;
    long peer;
} unit;

typedef struct {
    size_t units;
    unit u[REDUNDANCY_UNITS_MAX];
    uint64_t rule_mask[REDUNDANCY_UNITS_MAX]; /* per rule: its units */
    uint64_t *cell;                           /* per cell: the units that admit it */
    size_t cells;
} unit_table;

/* Every far end a policy's rules in direction d can tell apart: one pod per reach class, and
 * one address per interval of the policy's ipBlocks (pods' addresses are pods). */
static pn_endpoint *far_ends(const lint_ctx *c, const pn_netpol *np, pn_direction d, size_t *count)
{
    pn_bounds b = {0};
    add_ipblock_bounds(&b, np, d);
    pn_bounds_finish(&b);
    pn_endpoint *out = pn_xcalloc(c->class_rep_count + b.count + 2, sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < c->class_rep_count; i++)
        out[n++] = pod_endpoint(c, c->class_reps[i]);
    out[n++] = (pn_endpoint){NULL, NULL, 0};
    for (size_t i = 0; i < b.count; i++)
        if (b.at[i] != 0)
            out[n++] = (pn_endpoint){NULL, NULL, b.at[i]};
    pn_bounds_free(&b);
    *count = n;
    return out;
}

/* Fills t with what each unit of policy np in direction d admits, cell by cell (subject class
 * × far end × port class). Returns false when the policy is too large to check. */
static bool unit_table_build(const lint_ctx *c, const pn_netpol *np, pn_direction d,
                             const size_t *subjects, size_t subject_count, unit_table *t)
{
    *t = (unit_table){0};
    for (size_t i = 0; i < np->rule_count[d]; i++) {
        const pn_netpol_rule *r = &np->rules[d][i];
        size_t n = r->peer_count ? r->peer_count : 1;
        if (t->units + n > REDUNDANCY_UNITS_MAX)
            return false;
        for (size_t j = 0; j < n; j++) {
            t->rule_mask[i] |= (uint64_t)1 << t->units;
            t->u[t->units++] = (unit){i, r->peer_count ? (long)j : -1};
        }
    }
    size_t ends;
    pn_endpoint *ep = far_ends(c, np, d, &ends);
    size_t classes = c->space.classes;
    if (subject_count * ends * classes > REDUNDANCY_CELLS_MAX) {
        free(ep);
        return false;
    }
    t->cells = subject_count * ends * classes;
    t->cell = pn_xcalloc(t->cells + 1, sizeof *t->cell);
    size_t cell = 0;
    for (size_t s = 0; s < subject_count; s++)
        for (size_t e = 0; e < ends; e++)
            for (size_t k = 0; k < classes; k++, cell++)
                for (size_t u = 0; u < t->units; u++)
                    if (unit_matches(np, d, &np->rules[d][t->u[u].rule], t->u[u].peer,
                                     &c->pods[subjects[s]], &ep[e], c->space.rep[k]))
                        t->cell[cell] |= (uint64_t)1 << u;
    free(ep);
    return true;
}

/* True when every cell some unit of mask admits is admitted by a unit of by. */
static bool covered(const unit_table *t, uint64_t mask, uint64_t by)
{
    for (size_t i = 0; i < t->cells; i++)
        if ((t->cell[i] & mask) && !(t->cell[i] & by))
            return false;
    return true;
}

static bool admits_something(const unit_table *t, uint64_t mask)
{
    for (size_t i = 0; i < t->cells; i++)
        if (t->cell[i] & mask)
            return true;
    return false;
}

/* The first active unit (or rule, when rules is set) that alone covers mask, or -1. */
static long single_cover(const unit_table *t, const pn_netpol *np, pn_direction d, uint64_t mask,
                         uint64_t active, bool by_rule)
{
    if (by_rule) {
        for (size_t i = 0; i < np->rule_count[d]; i++) {
            uint64_t m = t->rule_mask[i] & active & ~mask;
            if (m && covered(t, mask, m))
                return (long)i;
        }
        return -1;
    }
    for (size_t u = 0; u < t->units; u++) {
        uint64_t m = ((uint64_t)1 << u) & active & ~mask;
        if (m && covered(t, mask, m))
            return (long)u;
    }
    return -1;
}

/* Rules first, from the last: a rule everything of which the policy's other rules (those not
 * already found redundant) admit is redundant; then, in the rules left, peers likewise. Going
 * from the last names the later of two equal rules, and removing every rule and peer found
 * leaves the policy's allowed set as it was. */
static void check_redundancy(lint_ctx *c, size_t p, pn_direction d)
{
    const pn_netpol *np = &c->nps[p];
    size_t n;
    size_t *subjects = policy_subjects(c, p, d, &n);
    /* One subject per reach class: pods of a class are alike to every rule. */
    size_t reps = 0;
    bool *seen = pn_xcalloc(pn_reach_class_count(c->sets) + 1, sizeof *seen);
    for (size_t i = 0; i < n; i++) {
        size_t k = pn_reach_pod_class(c->sets, subjects[i]);
        if (!seen[k]) {
            seen[k] = true;
            subjects[reps++] = subjects[i];
        }
    }
    free(seen);
    unit_table t;
    if (reps == 0 || np->rule_count[d] < 1 || !unit_table_build(c, np, d, subjects, reps, &t)) {
        free(subjects);
        return;
    }
    uint64_t active = t.units == 64 ? ~(uint64_t)0 : (((uint64_t)1 << t.units) - 1);
    for (size_t i = np->rule_count[d]; i-- > 0;) {
        uint64_t mine = t.rule_mask[i];
        if (!admits_something(&t, mine) || !covered(&t, mine, active & ~mine))
            continue;
        active &= ~mine;
        long by = single_cover(&t, np, d, mine, active, true);
        finding_head h = policy_head(c, p, PN_LINT_REDUNDANT_RULE);
        h.at = origin_of_node(h.at, rule_node(h.obj, d, i));
        h.field = unit_path(c, d, i, -1);
        h.hint = "delete the rule (or, if it was meant to allow more, fix what it says)";
        if (by >= 0)
            add(c, &h, "%s allows nothing the rest of the policy does not: %s allows all of it",
                h.field, unit_path(c, d, (size_t)by, -1));
        else
            add(c, &h, "%s allows nothing the policy's other rules do not allow together", h.field);
    }
    for (size_t u = t.units; u-- > 0;) {
        uint64_t bit = (uint64_t)1 << u;
        const unit *x = &t.u[u];
        if (x->peer < 0 || !(active & bit) || !admits_something(&t, bit) ||
            !covered(&t, bit, active & ~bit))
            continue;
        active &= ~bit;
        long by = single_cover(&t, np, d, bit, active, false);
        finding_head h = policy_head(c, p, PN_LINT_SHADOWED_PEER);
        h.at = origin_of_node(h.at, peer_node(h.obj, d, x->rule, x->peer));
        h.field = unit_path(c, d, x->rule, x->peer);
        h.hint = "delete the peer (or, if it was meant to admit more, fix its selectors)";
        if (by >= 0)
            add(c, &h, "%s admits nothing the rest of the policy does not: %s admits all of it",
                h.field, unit_path(c, d, t.u[by].rule, t.u[by].peer));
        else
            add(c, &h, "%s admits nothing the rest of the policy does not admit", h.field);
    }
    free(t.cell);
    free(subjects);
}

/* ---- exposed ---- */

/* A pod without labels in a namespace the input does not have: what "every namespace" means
 * to a selector (netpol-analyzer's representative peer). Its address is one of the pod
 * network's (the first pod's): ipBlocks match pod addresses too. */
typedef struct {
    pn_pod pod;
    pn_label ns_label;
    pn_labels ns_labels;
} stranger;

static void stranger_init(stranger *s)
{
    *s = (stranger){.pod = {.name = "any", .ns_name = "podnet-any-namespace", .ns = (unsigned)-1}};
    s->ns_label = (pn_label){"kubernetes.io/metadata.name", "podnet-any-namespace"};
    s->ns_labels = (pn_labels){&s->ns_label, 1};
}

static pn_endpoint stranger_endpoint(const lint_ctx *c, stranger *s)
{
    pn_ipv4 ip = 0;
    for (size_t i = 0; !ip && i < c->pod_count; i++)
        if (on_pod_network(&c->pods[i]))
            ip = c->pods[i].ip;
    return (pn_endpoint){&s->pod, &s->ns_labels, ip};
}

/* Whether the unit admits some address on the internet (first) or a stranger. */
static bool unit_from_outside(const lint_ctx *c, const pn_netpol *np, const pn_netpol_rule *r,
                              long j)
{
    if (j < 0)
        return true;
    for (size_t k = 0; k < c->public_count; k++) {
        pn_endpoint ep = {NULL, NULL, c->public_ips[k]};
        if (pn_netpol_peer_matches(np, &r->peers[j], &ep))
            return true;
    }
    return false;
}

static void check_exposed(lint_ctx *c, size_t p)
{
    const pn_netpol *np = &c->nps[p];
    size_t n;
    size_t *subjects = policy_subjects(c, p, PN_INGRESS, &n);
    stranger st;
    stranger_init(&st);
    pn_endpoint any = stranger_endpoint(c, &st);
    for (size_t i = 0; n && i < np->rule_count[PN_INGRESS]; i++) {
        const pn_netpol_rule *r = &np->rules[PN_INGRESS][i];
        size_t units = r->peer_count ? r->peer_count : 1;
        for (size_t jj = 0; jj < units; jj++) {
            long j = r->peer_count ? (long)jj : -1;
            bool outside = unit_from_outside(c, np, r, j);
            bool every_ns = !outside && pn_netpol_peer_matches(np, &r->peers[j], &any);
            if (!outside && !every_ns)
                continue;
            pn_portset ports = {0};
            for (size_t s = 0; s < n; s++)
                for (size_t k = 0; k < c->space.classes; k++)
                    if (rule_ports_match(r, &c->pods[subjects[s]], c->space.rep[k]))
                        add_port_class(c, k, &ports);
            if (pn_portset_empty(&ports)) {
                pn_portset_free(&ports);
                continue;
            }
            char set[512], cidr[64];
            pn_portset_format_short(&ports, set, sizeof set);
            finding_head h = policy_head(c, p, PN_LINT_EXPOSED);
            h.at = origin_of_node(h.at, peer_node(h.obj, PN_INGRESS, i, j));
            h.field = unit_path(c, PN_INGRESS, i, j);
            h.hint =
                "narrow the peer to the sources that need it (a load balancer's block, a "
                "namespace and pod selector), or annotate the policy " PN_LINT_IGNORE_ANNOTATION
                ": exposed";
            const char *who = j < 0 ? "every address, inside the cluster and out (no peers)"
                              : outside
                                  ? pn_arena_printf(c->l->arena, "outside the cluster (ipBlock %s)",
                                                    pn_cidr_format(&r->peers[j].cidr, cidr))
                              : r->peers[j].has_ipblock
                                  ? pn_arena_printf(c->l->arena,
                                                    "every namespace (ipBlock %s holds the pod "
                                                    "network's addresses)",
                                                    pn_cidr_format(&r->peers[j].cidr, cidr))
                                  : "every namespace (future ones included)";
            pn_lint_finding *f = add(c, &h, "%s opens %s to %s on %s", h.field,
                                     groups_text(c, subjects, n), who, set);
            if (f)
                f->ports = ports;
            else
                pn_portset_free(&ports);
        }
    }
    free(subjects);
}

/* ---- unprotected ---- */

static void check_unprotected(lint_ctx *c)
{
    for (size_t g = 0; g < c->group_count; g++) {
        const group *gr = &c->groups[g];
        size_t open[2] = {0, 0};
        for (size_t k = 0; k < gr->count; k++)
            for (int d = 0; d < 2; d++)
                if (!isolated(c, &c->pods[gr->pods[k]], (pn_direction)d))
                    open[d]++;
        if (!open[PN_INGRESS] && !open[PN_EGRESS])
            continue;
        const char *what = open[PN_INGRESS] && open[PN_EGRESS] ? "ingress or egress"
                           : open[PN_INGRESS]                  ? "ingress"
                                                               : "egress";
        size_t most = open[PN_INGRESS] > open[PN_EGRESS] ? open[PN_INGRESS] : open[PN_EGRESS];
        finding_head h = group_head(c, gr, PN_LINT_UNPROTECTED);
        h.hint = "select these pods with a NetworkPolicy (a namespace's default deny: "
                 "podSelector: {} with policyTypes [Ingress, Egress]) and allow what they need";
        if (most == gr->count)
            add(c, &h, "no NetworkPolicy isolates %s for %s",
                gr->count == 1 ? "its pod" : "its pods", what);
        else
            add(c, &h, "no NetworkPolicy isolates %zu of its %zu pods for %s", most, gr->count,
                what);
    }
}

/* ---- egress-without-dns ---- */

/* The cluster DNS pods: labelled k8s-app=kube-dns, as CoreDNS is on kubeadm and EKS. Without
 * any, a CoreDNS pod of kube-system the input does not have stands in. */
static bool dns_pod(const pn_pod *p)
{
    const char *v = pn_labels_get(&p->labels, "k8s-app");
    return v && strcmp(v, "kube-dns") == 0 && on_pod_network(p);
}

typedef struct {
    pn_pod pod;
    pn_label label, ns_label;
    pn_container_port ports[2];
    pn_labels ns_labels;
} stand_in_dns;

static void stand_in_init(stand_in_dns *s)
{
    *s = (stand_in_dns){.label = {"k8s-app", "kube-dns"},
                        .ns_label = {"kubernetes.io/metadata.name", "kube-system"},
                        .ports = {{"dns", 53, PN_PROTO_UDP}, {"dns-tcp", 53, PN_PROTO_TCP}}};
    s->pod = (pn_pod){.name = "coredns",
                      .ns_name = "kube-system",
                      .ns = (unsigned)-1,
                      .labels = {&s->label, 1},
                      .ports = s->ports,
                      .port_count = 2};
    s->ns_labels = (pn_labels){&s->ns_label, 1};
}

/* Which of 53/UDP (bit 0) and 53/TCP (bit 1) pod src may not open to the cluster DNS: to
 * every DNS pod when the input has them (kube-proxy picks any), else to the stand-in at some
 * address of the pod network (it would hold one like any pod's). */
static unsigned dns_blocked(const lint_ctx *c, const pn_pod *src, const pn_endpoint *dns,
                            size_t dns_count, bool stand_in)
{
    unsigned blocked = 0, allowed = 0;
    for (size_t k = 0; k < dns_count; k++)
        for (unsigned bit = 1; bit <= 2; bit <<= 1) {
            pn_port port = {53, bit == 1 ? PN_PROTO_UDP : PN_PROTO_TCP};
            if (egress_allows(c, src, &dns[k], port))
                allowed |= bit;
            else
                blocked |= bit;
        }
    return stand_in ? 3u & ~allowed : blocked;
}

static void check_dns(lint_ctx *c)
{
    stand_in_dns s;
    stand_in_init(&s);
    pn_endpoint *dns = pn_xcalloc(c->pod_count + 1, sizeof *dns);
    size_t dns_count = 0;
    for (size_t i = 0; i < c->pod_count; i++)
        if (dns_pod(&c->pods[i]))
            dns[dns_count++] = pod_endpoint(c, i);
    /* The stand-in at one pod address per interval the policies' egress ipBlocks cut the
     * address space into: no rule tells two addresses of one interval apart. */
    bool stand_in = dns_count == 0;
    pn_bounds b = {0};
    for (size_t p = 0; stand_in && p < c->np_count; p++)
        add_ipblock_bounds(&b, &c->nps[p], PN_EGRESS);
    pn_bounds_finish(&b);
    bool *taken = pn_xcalloc(b.count + 2, sizeof *taken);
    for (size_t i = 0; stand_in && i < c->pod_count; i++) {
        pn_ipv4 ip = c->pods[i].ip;
        size_t k = pn_bounds_interval(&b, ip);
        if (!on_pod_network(&c->pods[i]) || !ip || taken[k])
            continue;
        taken[k] = true;
        dns[dns_count++] = (pn_endpoint){&s.pod, &s.ns_labels, ip};
    }
    free(taken);
    pn_bounds_free(&b);
    /* Per pod: the first policy that isolates it for egress (np_count: none) and what it
     * misses, asked once per reach class (pods of a class are alike to every policy). */
    size_t *first = pn_xcalloc(c->pod_count + 1, sizeof *first);
    unsigned *blocked = pn_xcalloc(c->pod_count + 1, sizeof *blocked);
    size_t classes = pn_reach_class_count(c->sets);
    unsigned *class_blocked = pn_xcalloc(classes + 1, sizeof *class_blocked);
    bool *class_done = pn_xcalloc(classes + 1, sizeof *class_done);
    for (size_t i = 0; i < c->pod_count; i++) {
        const pn_pod *pod = &c->pods[i];
        first[i] = c->np_count;
        if (!on_pod_network(pod) || dns_pod(pod))
            continue;
        for (size_t p = 0; p < c->np_count && first[i] == c->np_count; p++)
            if (pn_netpol_applies(&c->nps[p], pod, PN_EGRESS))
                first[i] = p;
        if (first[i] == c->np_count)
            continue;
        size_t k = pn_reach_pod_class(c->sets, i);
        if (!class_done[k]) {
            class_blocked[k] = dns_blocked(c, pod, dns, dns_count, stand_in);
            class_done[k] = true;
        }
        blocked[i] = class_blocked[k];
    }
    free(class_blocked);
    free(class_done);
    /* Per policy, the pods it is the first to isolate for egress, by what they miss. */
    size_t *pods = pn_xcalloc(c->pod_count + 1, sizeof *pods);
    for (size_t p = 0; p < c->np_count; p++)
        for (unsigned miss = 1; miss <= 2; miss++) {
            size_t n = 0;
            for (size_t i = 0; i < c->pod_count; i++)
                if (first[i] == p && (miss == 1 ? (blocked[i] & 1) : blocked[i] == 2))
                    pods[n++] = i;
            if (n == 0)
                continue;
            finding_head h = policy_head(c, p, PN_LINT_EGRESS_WITHOUT_DNS);
            const pn_doc_node *spec = pn_doc_get(h.obj, "spec");
            const pn_doc_node *types = pn_doc_get(spec, "policyTypes");
            const pn_doc_node *egress = pn_doc_get(spec, "egress");
            h.at = origin_of_node(h.at, egress  ? pn_doc_key_of(spec, egress)
                                        : types ? pn_doc_key_of(spec, types)
                                                : NULL);
            h.field = egress ? "spec.egress" : types ? "spec.policyTypes" : "";
            h.severity = miss == 1 ? PN_LINT_ERROR : PN_LINT_WARNING;
            h.hint = "allow egress to namespaceSelector {kubernetes.io/metadata.name: "
                     "kube-system} with podSelector {k8s-app: kube-dns} on 53/UDP and 53/TCP";
            add(c, &h, "%s cannot reach the cluster DNS (%s) on %s: %s", groups_text(c, pods, n),
                stand_in ? "no k8s-app=kube-dns pod in the input: CoreDNS in kube-system"
                         : "the k8s-app=kube-dns pods",
                miss == 1 ? "53/UDP" : "53/TCP",
                miss == 1 ? "every name lookup fails" : "answers too large for UDP fail");
        }
    free(pods);
    free(first);
    free(blocked);
    free(dns);
}

/* ---- imds-reachable ---- */

/* Whether pod's node has a declared Instance: only then are its metadata options (HttpTokens,
 * the hop limit) known; without one the network walk assumes the service answers. */
static bool node_instance_known(const lint_ctx *c, const pn_pod *pod)
{
    size_t n;
    const pn_node *nodes = pn_world_nodes(c->w, &n);
    for (size_t i = 0; pod->node_name && i < n; i++)
        if (strcmp(nodes[i].name, pod->node_name) == 0)
            return pn_world_node_instance(c->w, i) != NULL;
    return false;
}

static void check_imds(lint_ctx *c)
{
    pn_path_view *v = pn_path_view_new(c->w);
    if (!v)
        return;
    pn_port http = {80, PN_PROTO_TCP};
    for (size_t g = 0; g < c->group_count; g++) {
        const group *gr = &c->groups[g];
        size_t reach = 0;
        for (size_t k = 0; k < gr->count; k++) {
            size_t i = gr->pods[k];
            if (c->pods[i].phase != PN_POD_RUNNING || !node_instance_known(c, &c->pods[i]) ||
                !pn_reach_evaluate_address(c->w, i, IMDS_ADDRESS, http).egress.allowed)
                continue;
            pn_path path;
            pn_path_walk(v, &(pn_path_from){.pod = (long)i}, IMDS_ADDRESS, http, 0, false, NULL,
                         &path);
            if (path.verdict == PN_PATH_DELIVERED)
                reach++;
            pn_path_release(&path);
        }
        if (reach == 0)
            continue;
        finding_head h = group_head(c, gr, PN_LINT_IMDS_REACHABLE);
        h.hint = "require IMDSv2 with HttpPutResponseHopLimit 1 on the nodes, or deny "
                 "169.254.169.254/32 in an egress policy (an ipBlock except)";
        add(c, &h,
            "%s can reach the instance metadata service (169.254.169.254:80), and with it the "
            "node role's credentials",
            reach == gr->count
                ? (reach == 1 ? "its pod"
                              : pn_arena_printf(c->l->arena, "all %zu of its pods", reach))
                : pn_arena_printf(c->l->arena, "%zu of its %zu pods", reach, gr->count));
    }
    pn_path_view_free(v);
}

/* ---- exposure ---- */

/* The distinct set ids one (workload, namespace) entry has taken, sorted. */
typedef struct {
    uint32_t *ids;
    uint32_t count, cap;
} id_set;

/* Adds id to s; true when it was not there. */
static bool id_set_add(id_set *s, uint32_t id)
{
    uint32_t lo = 0, hi = s->count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->count && s->ids[lo] == id)
        return false;
    PN_GROW(s->ids, s->count, s->cap);
    memmove(&s->ids[lo + 1], &s->ids[lo], (s->count - lo) * sizeof *s->ids);
    s->ids[lo] = id;
    s->count++;
    return true;
}

/* What pods of each other namespace may open to each workload, one entry per (workload,
 * namespace). A pair's set depends on the source's reach class and the destination, so each
 * class is asked once (its first pod: the sets are computed a source class at a time), and
 * each distinct set (by id) is added once per entry. */
static void build_sources(lint_ctx *c, pn_reach_sets *rs)
{
    size_t classes = pn_reach_class_count(c->sets), nsc = c->ns_count;
    size_t *rep = pn_xcalloc(classes + 1, sizeof *rep);
    bool *has = pn_xcalloc(classes + 1, sizeof *has);
    bool *in_ns = pn_xcalloc(classes * nsc + 1, sizeof *in_ns);
    size_t *ns_pods = pn_xcalloc(nsc + 1, sizeof *ns_pods);
    for (size_t i = 0; i < c->pod_count; i++) {
        if (!on_pod_network(&c->pods[i]))
            continue;
        size_t k = pn_reach_pod_class(c->sets, i);
        if (!has[k])
            rep[k] = i;
        has[k] = true;
        in_ns[k * nsc + c->pods[i].ns] = true;
        ns_pods[c->pods[i].ns]++;
    }
    id_set *taken = pn_xcalloc(c->group_count * nsc + 1, sizeof *taken);
    pn_portset *sets = pn_xcalloc(c->group_count * nsc + 1, sizeof *sets);
    for (size_t k = 0; k < classes; k++) {
        if (!has[k])
            continue;
        for (size_t b = 0; b < c->pod_count; b++) {
            size_t g = c->group_of[b];
            if (g == (size_t)-1 || b == rep[k])
                continue;
            size_t id = (size_t)-1;
            for (size_t ns = 0; ns < nsc; ns++) {
                if (!in_ns[k * nsc + ns] || ns == c->pods[b].ns)
                    continue;
                if (id == (size_t)-1)
                    id = pn_reach_sets_pair_id(rs, rep[k], b);
                if (id_set_add(&taken[g * nsc + ns], (uint32_t)id))
                    portset_union(&sets[g * nsc + ns], pn_reach_sets_get(rs, id));
            }
        }
    }
    for (size_t g = 0; g < c->group_count; g++) {
        pn_lint_exposure *x = &c->l->exposures[g];
        x->sources = pn_xcalloc(nsc + 1, sizeof *x->sources);
        for (size_t ns = 0; ns < nsc; ns++) {
            pn_portset *set = &sets[g * nsc + ns];
            free(taken[g * nsc + ns].ids);
            if (pn_portset_empty(set)) {
                pn_portset_free(set);
                continue;
            }
            const char *name = c->nss[ns].name;
            x->sources[x->source_count++] =
                (pn_lint_source){pn_arena_printf(c->l->arena, "namespace %s (%zu pod%s)", name,
                                                 ns_pods[ns], ns_pods[ns] == 1 ? "" : "s"),
                                 name, ns_pods[ns], *set};
        }
    }
    free(sets);
    free(taken);
    free(ns_pods);
    free(in_ns);
    free(has);
    free(rep);
}

/* What an address on the internet and a pod of a namespace not in the input may open to pod,
 * computed once per reach class (pods of a class are alike to every rule). */
typedef struct {
    bool done;
    pn_portset outside, any_ns;
} class_exposure;

static const class_exposure *pod_exposure(lint_ctx *c, class_exposure *cache, size_t i,
                                          const pn_endpoint *any)
{
    class_exposure *e = &cache[pn_reach_pod_class(c->sets, i)];
    if (e->done)
        return e;
    e->done = true;
    const pn_pod *pod = &c->pods[i];
    for (size_t q = 0; q < c->space.classes; q++) {
        pn_port port = c->space.rep[q];
        if (ingress_allows(c, pod, any, port))
            add_port_class(c, q, &e->any_ns);
        for (size_t a = 0; a < c->public_count; a++) {
            pn_endpoint ep = {NULL, NULL, c->public_ips[a]};
            if (ingress_allows(c, pod, &ep, port)) {
                add_port_class(c, q, &e->outside);
                break;
            }
        }
    }
    return e;
}

static void build_exposures(lint_ctx *c)
{
    pn_lint *l = c->l;
    l->exposures = pn_xcalloc(c->group_count + 1, sizeof *l->exposures);
    pn_reach_sets *rs = pn_reach_sets_new(c->sets);
    size_t classes = pn_reach_class_count(c->sets);
    class_exposure *cache = pn_xcalloc(classes + 1, sizeof *cache);
    stranger st;
    stranger_init(&st);
    pn_endpoint any = stranger_endpoint(c, &st);
    for (size_t g = 0; g < c->group_count; g++) {
        const group *gr = &c->groups[g];
        pn_lint_exposure *x = &l->exposures[l->exposure_count++];
        *x = (pn_lint_exposure){.label = gr->label,
                                .ns = gr->ns,
                                .kind = gr->kind,
                                .name = gr->name,
                                .pods = gr->count,
                                .isolated = true};
        for (size_t k = 0; k < gr->count; k++) {
            const pn_pod *pod = &c->pods[gr->pods[k]];
            if (!isolated(c, pod, PN_INGRESS))
                x->isolated = false;
            const class_exposure *e = pod_exposure(c, cache, gr->pods[k], &any);
            portset_union(&x->from_outside, &e->outside);
            portset_union(&x->from_any_ns, &e->any_ns);
        }
    }
    build_sources(c, rs);
    for (size_t k = 0; k < classes; k++) {
        pn_portset_free(&cache[k].outside);
        pn_portset_free(&cache[k].any_ns);
    }
    free(cache);
    pn_reach_sets_free(rs);
}

/* ---- the review ---- */

pn_lint *pn_lint_run(const pn_world *w, const pn_documents *docs)
{
    pn_lint *l = pn_xcalloc(1, sizeof *l);
    l->arena = pn_arena_new();
    lint_ctx c = {.w = w, .l = l};
    c.pods = pn_world_pods(w, &c.pod_count);
    c.nss = pn_world_namespaces(w, &c.ns_count);
    c.nps = pn_world_policies(w, &c.np_count);
    index_documents(&c, docs, 0);
    pn_port_space_build(w, &c.space);
    c.sets = pn_reach_compute_sets(w, PN_ENGINE_BITSET);
    build_groups(&c);
    build_class_reps(&c);
    build_public_ips(&c);

    for (size_t p = 0; p < c.np_count; p++) {
        check_selection(&c, p);
        check_ignored(&c, p);
        for (int d = 0; d < 2; d++) {
            unsigned bit = d == PN_INGRESS ? PN_TYPE_INGRESS : PN_TYPE_EGRESS;
            if (!(c.nps[p].types & bit))
                continue; /* ignored-rules says it */
            check_peers(&c, p, (pn_direction)d);
            check_named_ports(&c, p, (pn_direction)d);
            check_redundancy(&c, p, (pn_direction)d);
        }
        check_exposed(&c, p);
    }
    check_dns(&c);
    check_unprotected(&c);
    check_imds(&c);
    build_exposures(&c);
    pn_sort(l->findings, l->count, sizeof *l->findings, finding_cmp);

    for (size_t g = 0; g < c.group_count; g++)
        free(c.groups[g].pods);
    free(c.groups);
    free(c.group_of);
    free(c.class_reps);
    free(c.public_ips);
    free(c.objects);
    pn_documents_free(&c.extra);
    pn_port_space_free(&c.space);
    pn_reach_free(c.sets);
    return l;
}

void pn_lint_free(pn_lint *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        pn_portset_free(&l->findings[i].ports);
    for (size_t i = 0; i < l->exposure_count; i++) {
        pn_lint_exposure *x = &l->exposures[i];
        pn_portset_free(&x->from_outside);
        pn_portset_free(&x->from_any_ns);
        for (size_t k = 0; k < x->source_count; k++)
            pn_portset_free(&x->sources[k].set);
        free(x->sources);
    }
    free(l->exposures);
    free(l->findings);
    pn_arena_free(l->arena);
    free(l);
}

const pn_lint_finding *pn_lint_findings(const pn_lint *l, size_t *count)
{
    *count = l->count;
    return l->findings;
}

const pn_lint_exposure *pn_lint_exposures(const pn_lint *l, size_t *count)
{
    *count = l->exposure_count;
    return l->exposures;
}
