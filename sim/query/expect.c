/* expect — decoding and checking reachability expectations. */
#include "sim/query/expect.h"

#include "sim/base/arena.h"
#include "sim/base/time.h"
#include "sim/input/fields.h"
#include "sim/query/dns.h"
#include "sim/query/proxy.h"
#include "sim/query/explain.h"
#include "sim/query/trace.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *from, *to;         /* "ns/pod" patterns */
    const char *svc_ns, *svc_name; /* to: svc/ns/name, a Service (single expectations) */
    bool allowed;
    bool partial;            /* allowed: partial (over a set of ports): some but not all */
    const pn_doc_node *node; /* for messages */
    /* Single expectations: a destination outside the cluster's pods, and what the connection
     * must look like (checked by tracing it). */
    char *outside;           /* to: an address, a block's first host, or network/NAME */
    const char *reason;      /* the stable code of why it is refused */
    const char *source_seen; /* "pod-ip", "node-ip" or an address */
    const char *nat;         /* "none", "snat", "dnat", "both" */
} pair_rule;

typedef struct {
    const char *name;
    const char *why;
    const char *file;
    const pn_doc_node *node;
    pn_port *ports;
    size_t port_count;
    bool has_set;   /* single expectations with ports: a set of ports, checked as a whole */
    pn_portset set; /* the ports asked */
    bool is_table;
    bool dflt;        /* table: the answer for pairs no exception names */
    pair_rule *rules; /* table: exceptions in order; single: exactly one */
    size_t rule_count;
    /* State expectations (no port): a pod's phase, a node's or a subnet's figures. */
    enum { EXPECT_REACH, EXPECT_POD, EXPECT_NODE, EXPECT_SUBNET } what;
    const char *target; /* the pod pattern, node name or subnet name */
    bool has_phase;
    pn_pod_phase phase;
    const char *reason; /* substring the pod's reason must contain */
    int64_t count;      /* pods: how many must match (-1: every pod the pattern names) */
    bool has_block;
    pn_cidr block;    /* pods: their addresses must lie in it */
    int ready;        /* pods: -1 any, 0 not Ready, 1 Ready */
    int64_t restarts; /* pods: -1 any, else the container restarts */
    const char *figure_names[4];
    int64_t figures[4]; /* expected values, in the order of figure_names */
    size_t figure_count;
} expectation;

struct pn_expectations {
    expectation *items;
    size_t count, cap;
};

static void err(pn_diags *d, const char *file, const pn_doc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(pn_diags *d, const char *file, const pn_doc_node *n, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pn_diag_add(d, PN_DIAG_ERROR, file, n ? n->line : 0, n ? n->column : 0, "%s", msg);
}

static const char *scalar(const pn_doc_node *n)
{
    return n && n->kind == PN_DOC_SCALAR ? n->text : NULL;
}

/* What check_keys reports an unknown key with. */
typedef struct {
    pn_diags *d;
    const char *file;
    const char *what;
} unknown_ctx;

static void unknown_key(void *ctx, const pn_doc_node *key, const char *suggestion)
{
    const unknown_ctx *u = ctx;
    if (suggestion)
        err(u->d, u->file, key, "unknown field \"%s\" in %s; did you mean \"%s\"?", key->text,
            u->what, suggestion);
    else
        err(u->d, u->file, key, "unknown field \"%s\" in %s", key->text, u->what);
}

static bool check_keys(pn_diags *d, const char *file, const pn_doc_node *map,
                       const char *const *allowed, const char *what)
{
    unknown_ctx u = {d, file, what};
    return pn_fields_check(map, allowed, unknown_key, &u) == 0;
}

static bool pattern_ok(const char *p)
{
    const char *slash = p ? strchr(p, '/') : NULL;
    return slash && slash != p && slash[1] && !strchr(slash + 1, '/');
}

static int parse_bool(const pn_doc_node *n, bool *out)
{
    const char *s = scalar(n);
    if (!s || n->quoted)
        return -1;
    if (strcmp(s, "true") == 0 || strcmp(s, "allowed") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0 || strcmp(s, "denied") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

static const char *const doc_fields[] = {"apiVersion", "kind", "metadata", "expectations", NULL};
static const char *const single_fields[] = {"name",   "why",        "from",     "to",
                                            "port",   "ports",      "protocol", "allowed",
                                            "reason", "sourceSeen", "nat",      NULL};

/* to: an IPv4 address, a block (its first host stands for it) or network/NAME. Returns the
 * trace destination (malloc'd), or NULL when p is none of them. */
static char *outside_target(const char *p)
{
    pn_ipv4 ip;
    pn_cidr c;
    const char *why;
    char text[32];
    if (strncmp(p, "network/", 8) == 0 && p[8] && !strchr(p + 8, '/'))
        return pn_xstrdup(p);
    if (pn_ipv4_parse(p, &ip) == 0)
        return pn_xstrdup(p);
    if (strchr(p, '/') && pn_cidr_parse(p, &c, &why) == 0 && c.family == 4)
        return pn_xstrdup(pn_ipv4_format(c.len >= 31 ? c.addr : c.addr + 1, text));
    return NULL;
}

static int parse_pair(pn_diags *d, const char *file, const pn_doc_node *n, pair_rule *out,
                      const char *const *fields)
{
    if (!n || n->kind != PN_DOC_MAP) {
        err(d, file, n, "expected a mapping with from, to and allowed");
        return -1;
    }
    if (!check_keys(d, file, n, fields, "an expectation"))
        return -1;
    out->node = n;
    out->from = scalar(pn_doc_get(n, "from"));
    out->to = scalar(pn_doc_get(n, "to"));
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        const char *p = k ? out->to : out->from;
        const char *key = k ? "to" : "from";
        const pn_doc_node *at = pn_doc_get(n, key) ? pn_doc_get(n, key) : n;
        if (!p) {
            err(d, file, at, "\"%s\" is required (a pod as namespace/name; * is a wildcard)", key);
            rc = -1;
        } else if (strncmp(p, "svc/", 4) == 0) {
            /* A Service (the port is the Service's): svc/namespace/name, no wildcards. */
            const char *rest = p + 4, *slash = strchr(rest, '/');
            if (k == 0 || fields != single_fields || !slash || slash == rest || !slash[1] ||
                strchr(slash + 1, '/') || strpbrk(rest, "*?[")) {
                err(d, file, at,
                    k == 0 || fields != single_fields
                        ? "%s: a Service can only be the destination of a single expectation"
                        : "\"%s\" is not a Service (svc/namespace/name)",
                    p);
                rc = -1;
            } else {
                out->svc_ns = pn_xstrndup(rest, (size_t)(slash - rest));
                out->svc_name = slash + 1;
            }
        } else if (k == 1 && fields == single_fields && (out->outside = outside_target(p))) {
            /* an address, a block or a remote network */
        } else if (!pattern_ok(p)) {
            err(d, file, at, "\"%s\" is not a pod (namespace/name, with * as a wildcard)", p);
            rc = -1;
        }
    }
    if (fields == single_fields) {
        static const char *const nats[] = {"none", "snat", "dnat", "both", NULL};
        out->reason = scalar(pn_doc_get(n, "reason"));
        out->source_seen = scalar(pn_doc_get(n, "sourceSeen"));
        out->nat = scalar(pn_doc_get(n, "nat"));
        pn_ipv4 ip;
        if (out->source_seen && strcmp(out->source_seen, "pod-ip") != 0 &&
            strcmp(out->source_seen, "node-ip") != 0 && pn_ipv4_parse(out->source_seen, &ip) != 0) {
            err(d, file, pn_doc_get(n, "sourceSeen"),
                "sourceSeen must be pod-ip, node-ip or an IPv4 address");
            rc = -1;
        }
        bool known = !out->nat;
        for (size_t i = 0; out->nat && nats[i]; i++)
            known |= strcmp(out->nat, nats[i]) == 0;
        if (!known) {
            err(d, file, pn_doc_get(n, "nat"), "nat must be none, snat, dnat or both");
            rc = -1;
        }
    }
    const pn_doc_node *al = pn_doc_get(n, "allowed");
    bool over_set = fields == single_fields && pn_doc_get(n, "ports");
    if (over_set && al && scalar(al) && strcmp(scalar(al), "partial") == 0) {
        out->partial = true;
    } else if (!al || parse_bool(al, &out->allowed) != 0) {
        err(d, file, al ? al : n,
            over_set ? "\"allowed\" must be true, false or partial"
                     : "\"allowed\" must be true or false");
        rc = -1;
    } else if (out->allowed && out->reason) {
        err(d, file, pn_doc_get(n, "reason"), "a reason is for a connection that is refused");
        rc = -1;
    } else if (!out->allowed && (out->source_seen || out->nat)) {
        err(d, file, pn_doc_get(n, out->nat ? "nat" : "sourceSeen"),
            "sourceSeen and nat are for a connection that gets through");
        rc = -1;
    }
    return rc;
}

static int parse_port(pn_diags *d, const char *file, const pn_doc_node *n, const pn_doc_node *proto,
                      pn_port *out)
{
    const char *s = scalar(n);
    if (!s || pn_port_parse(s, out) != 0) {
        err(d, file, n,
            "\"%s\" is not a port (NUMBER or NUMBER/PROTOCOL, 1-65535, TCP, UDP or "
            "SCTP)",
            s ? s : "");
        return -1;
    }
    if (proto) {
        const char *p = scalar(proto);
        if (strchr(s, '/') || !p || pn_proto_parse(p, &out->proto) != 0) {
            err(d, file, proto, "protocol must be TCP, UDP or SCTP (and not also in port)");
            return -1;
        }
    }
    return 0;
}

static const char *const table_fields[] = {"ports", "default", "except", NULL};
static const char *const table_item_fields[] = {"name", "why", "table", NULL};
static const char *const except_fields[] = {"from", "to", "allowed", NULL};

static const char *const pod_fields[] = {"name",  "why",     "pod",   "phase",    "reason",
                                         "count", "address", "ready", "restarts", NULL};
static const char *const node_fields[] = {"name", "why",     "node",        "maxPods",
                                          "enis", "ipsHeld", "ipsAssigned", NULL};
static const char *const subnet_fields[] = {"name",          "why",          "subnet",
                                            "freeAddresses", "freePrefixes", NULL};

/* {node: ..., maxPods: N...} and {subnet: ..., freeAddresses: N...}: the figures given. */
static int parse_figures(pn_diags *d, const char *file, const pn_doc_node *n, expectation *e,
                         const char *const *fields)
{
    for (const char *const *f = fields + 3; *f; f++) {
        const pn_doc_node *v = pn_doc_get(n, *f);
        if (!v)
            continue;
        int64_t x;
        if (pn_doc_int(v, 0, 100000000, &x) != 0) {
            err(d, file, v, "%s must be a whole number", *f);
            return -1;
        }
        e->figure_names[e->figure_count] = *f;
        e->figures[e->figure_count++] = x;
    }
    if (e->figure_count == 0) {
        err(d, file, n, "say which figure to check (%s...)", fields[3]);
        return -1;
    }
    return 0;
}

static int parse_state(pn_diags *d, const char *file, const pn_doc_node *n, expectation *e)
{
    if (pn_doc_get(n, "pod")) {
        e->what = EXPECT_POD;
        e->target = scalar(pn_doc_get(n, "pod"));
        if (!check_keys(d, file, n, pod_fields, "a pod expectation"))
            return -1;
        if (!pattern_ok(e->target)) {
            err(d, file, pn_doc_get(n, "pod"), "pod must be namespace/name (* wildcards)");
            return -1;
        }
        const char *phase = scalar(pn_doc_get(n, "phase"));
        if (phase && pn_pod_phase_parse(phase, &e->phase) != 0) {
            err(d, file, pn_doc_get(n, "phase"),
                "phase must be Running, Pending or ContainerCreating");
            return -1;
        }
        e->has_phase = phase != NULL;
        e->reason = scalar(pn_doc_get(n, "reason"));
        const char *block = scalar(pn_doc_get(n, "address"));
        const char *why;
        if (block && (pn_cidr_parse(block, &e->block, &why) != 0 || e->block.family != 4)) {
            err(d, file, pn_doc_get(n, "address"), "address must be an IPv4 CIDR block");
            return -1;
        }
        e->has_block = block != NULL;
        e->ready = -1;
        e->restarts = -1;
        const pn_doc_node *ready = pn_doc_get(n, "ready");
        bool ready_value;
        if (ready && parse_bool(ready, &ready_value) != 0) {
            err(d, file, ready, "ready must be true or false");
            return -1;
        }
        if (ready)
            e->ready = ready_value;
        const pn_doc_node *restarts = pn_doc_get(n, "restarts");
        if (restarts && pn_doc_int(restarts, 0, 1000000, &e->restarts) != 0) {
            err(d, file, restarts, "restarts must be a whole number");
            return -1;
        }
        e->count = -1;
        const pn_doc_node *count = pn_doc_get(n, "count");
        if (count && pn_doc_int(count, 0, 100000000, &e->count) != 0) {
            err(d, file, count, "count must be a whole number");
            return -1;
        }
        if (!phase && !e->reason && !block && e->ready < 0 && e->restarts < 0) {
            err(d, file, n, "a pod expectation needs phase, reason, address, ready or restarts");
            return -1;
        }
        return 0;
    }
    bool node = pn_doc_get(n, "node") != NULL;
    e->what = node ? EXPECT_NODE : EXPECT_SUBNET;
    e->target = scalar(pn_doc_get(n, node ? "node" : "subnet"));
    const char *const *fields = node ? node_fields : subnet_fields;
    if (!check_keys(d, file, n, fields, node ? "a node expectation" : "a subnet expectation"))
        return -1;
    if (!e->target) {
        err(d, file, n, "%s must name one", node ? "node" : "subnet");
        return -1;
    }
    return parse_figures(d, file, n, e, fields);
}

/* ports: "all", a number, a range or a list ("80 443 8000-8080"), of protocol (TCP by
 * default; "all" without a protocol is every port of every protocol). Pod to pod only. */
static int parse_port_set(pn_diags *d, const char *file, const pn_doc_node *n, expectation *e)
{
    const pn_doc_node *ports = pn_doc_get(n, "ports"), *proto = pn_doc_get(n, "protocol");
    const pair_rule *pr = &e->rules[0];
    if (pn_doc_get(n, "port")) {
        err(d, file, pn_doc_get(n, "port"), "give port or ports, not both");
        return -1;
    }
    if (pr->svc_name || pr->outside || pr->reason || pr->source_seen || pr->nat) {
        err(d, file, ports, "ports (a set of ports) is for connections between pods");
        return -1;
    }
    const char *text = scalar(ports);
    pn_proto p = PN_PROTO_TCP;
    if (proto && (!scalar(proto) || pn_proto_parse(scalar(proto), &p) != 0)) {
        err(d, file, proto, "protocol must be TCP, UDP or SCTP");
        return -1;
    }
    const char *why = NULL;
    e->has_set = true;
    if (text && strcmp(text, "all") == 0 && !proto) {
        pn_portset_add_all(&e->set);
        return 0;
    }
    if (!text || pn_portset_parse_ports(text, p, &e->set, &why) != 0) {
        err(d, file, ports, "ports: %s (\"all\", 80, 8000-8080 or \"80 443\")",
            why ? why : "expected a port list");
        return -1;
    }
    return 0;
}

static int parse_expectation(pn_diags *d, const char *file, const pn_doc_node *n, expectation *e)
{
    *e = (expectation){.file = file, .node = n};
    if (!n || n->kind != PN_DOC_MAP) {
        err(d, file, n, "an expectation must be a mapping");
        return -1;
    }
    e->name = scalar(pn_doc_get(n, "name"));
    e->why = scalar(pn_doc_get(n, "why"));
    if (pn_doc_get(n, "pod") || pn_doc_get(n, "node") || pn_doc_get(n, "subnet"))
        return parse_state(d, file, n, e);
    const pn_doc_node *table = pn_doc_get(n, "table");
    if (!table) {
        e->rules = pn_xcalloc(1, sizeof *e->rules);
        e->rule_count = 1;
        if (parse_pair(d, file, n, e->rules, single_fields) != 0)
            return -1;
        const pn_doc_node *port = pn_doc_get(n, "port");
        if (pn_doc_get(n, "ports"))
            return parse_port_set(d, file, n, e);
        if (!port) {
            err(d, file, n, "\"port\" is required (e.g. 80/TCP)");
            return -1;
        }
        e->ports = pn_xcalloc(1, sizeof *e->ports);
        e->port_count = 1;
        return parse_port(d, file, port, pn_doc_get(n, "protocol"), e->ports);
    }
    if (!check_keys(d, file, n, table_item_fields, "a table expectation"))
        return -1;
    if (table->kind != PN_DOC_MAP || !check_keys(d, file, table, table_fields, "a table"))
        return -1;
    e->is_table = true;
    const pn_doc_node *ports = pn_doc_get(table, "ports");
    if (!ports || ports->kind != PN_DOC_SEQ || ports->count == 0) {
        err(d, file, ports ? ports : table, "\"ports\" must be a non-empty list of ports");
        return -1;
    }
    e->ports = pn_xcalloc(ports->count, sizeof *e->ports);
    for (size_t i = 0; i < ports->count; i++)
        if (parse_port(d, file, ports->items[i], NULL, &e->ports[e->port_count++]) != 0)
            return -1;
    const pn_doc_node *dflt = pn_doc_get(table, "default");
    if (!dflt || parse_bool(dflt, &e->dflt) != 0) {
        err(d, file, dflt ? dflt : table, "\"default\" must be true or false");
        return -1;
    }
    const pn_doc_node *except = pn_doc_get(table, "except");
    if (except && except->kind != PN_DOC_SEQ && !pn_doc_is_null(except)) {
        err(d, file, except, "\"except\" must be a list");
        return -1;
    }
    size_t count = except && except->kind == PN_DOC_SEQ ? except->count : 0;
    e->rules = pn_xcalloc(count ? count : 1, sizeof *e->rules);
    for (size_t i = 0; i < count; i++)
        if (parse_pair(d, file, except->items[i], &e->rules[e->rule_count++], except_fields) != 0)
            return -1;
    return 0;
}

static void append_list(pn_expectations *e, const pn_doc_node *list, const char *file,
                        pn_diags *diags)
{
    for (size_t j = 0; j < list->count; j++) {
        PN_GROW(e->items, e->count, e->cap);
        if (parse_expectation(diags, file, list->items[j], &e->items[e->count]) == 0) {
            e->count++;
        } else {
            for (size_t k = 0; k < e->items[e->count].rule_count; k++) {
                free((char *)e->items[e->count].rules[k].svc_ns);
                free(e->items[e->count].rules[k].outside);
            }
            free(e->items[e->count].rules);
            free(e->items[e->count].ports);
            pn_portset_free(&e->items[e->count].set);
        }
    }
}

pn_expectations *pn_expect_parse(const pn_doc_node *list, const char *file, pn_diags *diags)
{
    if (!list || list->kind != PN_DOC_SEQ) {
        err(diags, file, list, "expectations must be a list");
        return NULL;
    }
    size_t errors = pn_diags_errors(diags);
    pn_expectations *e = pn_xcalloc(1, sizeof *e);
    append_list(e, list, file, diags);
    if (pn_diags_errors(diags) > errors) {
        pn_expect_free(e);
        return NULL;
    }
    return e;
}

size_t pn_expect_count(const pn_expectations *e)
{
    return e->count;
}

pn_expectations *pn_expect_load(const pn_documents *docs, pn_diags *diags)
{
    pn_expectations *e = pn_xcalloc(1, sizeof *e);
    size_t errors = pn_diags_errors(diags);
    for (size_t i = 0; i < docs->count; i++) {
        const pn_doc_node *root = docs->items[i].root;
        const char *file = docs->items[i].file;
        if (pn_doc_is_null(root))
            continue; /* an empty document, e.g. after a trailing "---" */
        const char *kind = scalar(pn_doc_get(root, "kind"));
        const char *api = scalar(pn_doc_get(root, "apiVersion"));
        if (root->kind != PN_DOC_MAP || !kind || strcmp(kind, "Expectations") != 0) {
            err(diags, file, root, "expected kind Expectations (apiVersion podnet.dev/v1alpha1)");
            continue;
        }
        if (!api || strcmp(api, "podnet.dev/v1alpha1") != 0) {
            err(diags, file, pn_doc_get(root, "apiVersion") ? pn_doc_get(root, "apiVersion") : root,
                "Expectations must be apiVersion podnet.dev/v1alpha1");
            continue;
        }
        if (!check_keys(diags, file, root, doc_fields, "Expectations"))
            continue;
        const pn_doc_node *list = pn_doc_get(root, "expectations");
        if (!list || list->kind != PN_DOC_SEQ) {
            err(diags, file, list ? list : root, "\"expectations\" must be a list");
            continue;
        }
        append_list(e, list, file, diags);
    }
    if (pn_diags_errors(diags) > errors) {
        pn_expect_free(e);
        return NULL;
    }
    return e;
}

void pn_expect_free(pn_expectations *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->count; i++) {
        for (size_t j = 0; j < e->items[i].rule_count; j++) {
            free((char *)e->items[i].rules[j].svc_ns);
            free(e->items[i].rules[j].outside);
        }
        free(e->items[i].rules);
        free(e->items[i].ports);
        pn_portset_free(&e->items[i].set);
    }
    free(e->items);
    free(e);
}

/* Every pattern must name at least one pod: a typo would otherwise pass vacuously. */
static int check_patterns(const pn_expectations *e, const pn_world *w, pn_diags *diags)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    int rc = 0;
    for (size_t i = 0; i < e->count; i++) {
        const expectation *x = &e->items[i];
        if (x->what == EXPECT_POD) {
            size_t m = 0;
            while (m < n && !pn_pod_matches(x->target, &pods[m]))
                m++;
            if (m == n) {
                err(diags, x->file, pn_doc_get(x->node, "pod"), "\"%s\" matches no pod", x->target);
                rc = -1;
            }
        } else if (x->what == EXPECT_NODE && !pn_world_find_node(w, x->target)) {
            err(diags, x->file, pn_doc_get(x->node, "node"), "no node named \"%s\"", x->target);
            rc = -1;
        } else if (x->what == EXPECT_SUBNET && !pn_world_find_subnet((pn_world *)w, x->target)) {
            err(diags, x->file, pn_doc_get(x->node, "subnet"), "no subnet named \"%s\"", x->target);
            rc = -1;
        }
        for (size_t j = 0; j < e->items[i].rule_count; j++) {
            const pair_rule *r = &e->items[i].rules[j];
            if (r->svc_name) {
                const pn_service *svc = pn_world_find_service(w, r->svc_ns, r->svc_name);
                const pn_doc_node *at = pn_doc_get(r->node, "to");
                /* A port the Service does not define is an answer (no kube-proxy rule:
                 * dropped), not a mistake in the file. */
                if (!svc) {
                    err(diags, x->file, at, "no Service %s/%s", r->svc_ns, r->svc_name);
                    rc = -1;
                }
            }
            for (int k = 0; k < 2; k++) {
                const char *p = k ? r->to : r->from;
                if (k && (r->svc_name || r->outside))
                    continue;
                size_t m = 0;
                while (m < n && !pn_pod_matches(p, &pods[m]))
                    m++;
                if (m == n) {
                    const pn_doc_node *at = pn_doc_get(r->node, k ? "to" : "from");
                    err(diags, e->items[i].file, at, "\"%s\" matches no pod", p);
                    rc = -1;
                }
            }
        }
    }
    return rc;
}

/* Collects the distinct ports all expectations ask about. */
static pn_port *all_ports(const pn_expectations *e, size_t *count)
{
    size_t total = 0;
    for (size_t i = 0; i < e->count; i++)
        total += e->items[i].port_count;
    pn_port *ports = pn_xcalloc(total ? total : 1, sizeof *ports);
    size_t k = 0;
    for (size_t i = 0; i < e->count; i++)
        for (size_t j = 0; j < e->items[i].port_count; j++) {
            size_t m = 0;
            while (m < k && pn_port_compare(&ports[m], &e->items[i].ports[j]) != 0)
                m++;
            if (m == k)
                ports[k++] = e->items[i].ports[j];
        }
    *count = k;
    return ports;
}

static size_t port_index(const pn_port *ports, size_t count, pn_port p)
{
    for (size_t i = 0; i < count; i++)
        if (pn_port_compare(&ports[i], &p) == 0)
            return i;
    return 0;
}

/* The pods' "ns/name", for results that must outlive the world's current state. */
static char *pod_text(const pn_pod *p)
{
    size_t n = strlen(p->ns_name) + strlen(p->name) + 2;
    char *s = pn_xcalloc(n, 1);
    snprintf(s, n, "%s/%s", p->ns_name, p->name);
    return s;
}

static void add_mismatch(pn_expect_result *res, const pn_world *w, size_t s, size_t d,
                         bool expected)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_verdict v = pn_reach_evaluate(w, s, d, res->port);
    pn_buf why = {0};
    pn_explain_verdict(w, s, d, &v, &why);
    pn_mismatch *m = &res->shown[res->shown_count++];
    m->from = pod_text(&pods[s]);
    m->to = pod_text(&pods[d]);
    m->expected = expected;
    m->actual = v.allowed;
    m->explanation = pn_buf_take(&why);
}

/* A pod's phase, a node's or a subnet's figures, checked now; the differences go into the
 * result's detail. */
static void check_state(const expectation *x, const pn_world *w, int64_t at, pn_expect_results *out)
{
    PN_GROW(out->items, out->count, out->cap);
    pn_expect_result *res = &out->items[out->count++];
    *res = (pn_expect_result){
        .why = x->why, .file = x->file, .line = x->node->line, .column = x->node->column, .at = at};
    pn_buf detail = {0}; /* the differences found, "; "-separated */
#define NOTE(...) pn_buf_appendf(&detail, __VA_ARGS__)
    char label[300];
    if (x->what == EXPECT_POD) {
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        size_t matching = 0;
        for (size_t i = 0; i < n; i++) {
            const pn_pod *p = &pods[i];
            if (!pn_pod_matches(x->target, p))
                continue;
            res->pairs++;
            bool ok = (!x->has_phase || p->phase == x->phase) &&
                      (!x->reason || (p->reason && strstr(p->reason, x->reason))) &&
                      (!x->has_block || (p->ip && pn_cidr_contains(&x->block, p->ip))) &&
                      (x->ready < 0 || p->ready == (x->ready == 1)) &&
                      (x->restarts < 0 || p->restarts == x->restarts);
            matching += ok;
            if (ok || x->count >= 0)
                continue;
            char ip[16] = "no address";
            if (p->ip)
                pn_ipv4_format(p->ip, ip);
            if (res->wrong++ < PN_EXPECT_MAX_SHOWN)
                NOTE("%s%s/%s is %s%s%s%s, %s, %s, %d restart%s", detail.len ? "; " : "",
                     p->ns_name, p->name, pn_pod_phase_name(p->phase), p->reason ? " (" : "",
                     p->reason ? p->reason : "", p->reason ? ")" : "", ip,
                     p->ready ? "Ready" : "not Ready", p->restarts, p->restarts == 1 ? "" : "s");
        }
        if (x->count >= 0 && (int64_t)matching != x->count) {
            res->wrong = 1;
            NOTE("%zu pod%s of %zu %s", matching, matching == 1 ? "" : "s", res->pairs,
                 matching == 1 ? "is" : "are");
        }
        char count[32] = "";
        if (x->count >= 0)
            snprintf(count, sizeof count, "%lld of ", (long long)x->count);
        char block[64] = "";
        if (x->has_block)
            pn_cidr_format(&x->block, block);
        snprintf(label, sizeof label, "%spods %s %s%s%s%s%s", count, x->target,
                 x->has_phase ? pn_pod_phase_name(x->phase) : "", x->reason ? " with reason " : "",
                 x->reason ? x->reason : "", x->has_block ? " in " : "", block);
    } else {
        int64_t actual[4] = {0};
        if (x->what == EXPECT_NODE) {
            const pn_node *node = pn_world_find_node(w, x->target);
            for (size_t f = 0; f < x->figure_count; f++) {
                const char *name = x->figure_names[f];
                actual[f] = strcmp(name, "maxPods") == 0   ? node->max_pods
                            : strcmp(name, "enis") == 0    ? node->enis
                            : strcmp(name, "ipsHeld") == 0 ? node->ips_held
                                                           : node->ips_assigned;
            }
        } else {
            const pn_subnet *sn = pn_world_find_subnet((pn_world *)w, x->target);
            for (size_t f = 0; f < x->figure_count; f++)
                actual[f] = strcmp(x->figure_names[f], "freeAddresses") == 0
                                ? sn->free
                                : pn_subnet_free_prefixes(sn);
        }
        size_t l = (size_t)snprintf(label, sizeof label, "%s %s",
                                    x->what == EXPECT_NODE ? "node" : "subnet", x->target);
        for (size_t f = 0; f < x->figure_count; f++) {
            res->pairs++;
            if (l < sizeof label)
                l += (size_t)snprintf(label + l, sizeof label - l, " %s=%lld", x->figure_names[f],
                                      (long long)x->figures[f]);
            if (actual[f] != x->figures[f]) {
                res->wrong++;
                NOTE("%s%s is %lld", detail.len ? "; " : "", x->figure_names[f],
                     (long long)actual[f]);
            }
        }
    }
#undef NOTE
    res->name = pn_xstrdup(x->name ? x->name : label);
    res->passed = res->wrong == 0;
    if (!res->passed)
        res->detail = pn_buf_take(&detail);
    pn_buf_free(&detail);
}

/* A new result for single expectation x (its one pair of patterns, its one port), named by
 * its name or "from -> to port". */
static pn_expect_result *single_result(const expectation *x, int64_t at, pn_expect_results *out)
{
    const pair_rule *pr = &x->rules[0];
    PN_GROW(out->items, out->count, out->cap);
    pn_expect_result *res = &out->items[out->count++];
    *res = (pn_expect_result){.why = x->why,
                              .file = x->file,
                              .line = x->node->line,
                              .column = x->node->column,
                              .port = x->ports[0],
                              .at = at};
    char label[300];
    snprintf(label, sizeof label, "%s -> %s %u/%s", pr->from, pr->to, x->ports[0].number,
             pn_proto_name(x->ports[0].proto));
    res->name = pn_xstrdup(x->name ? x->name : label);
    return res;
}

/* A connection to a Service port: through kube-proxy to every endpoint it may pick. Allowed
 * means every endpoint is allowed; denied means none is (or there is no endpoint). */
static void check_service(const expectation *x, const pn_world *w, int64_t at,
                          pn_expect_results *out)
{
    const pair_rule *pr = &x->rules[0];
    const pn_service *svc = pn_world_find_service(w, pr->svc_ns, pr->svc_name);
    if (svc->type == PN_SVC_EXTERNAL_NAME) {
        /* A CNAME back into the cluster is followed (trace does the same): the connection
         * is to the target Service. */
        char fqdn[600];
        snprintf(fqdn, sizeof fqdn, "%s.%s.svc." PN_DNS_ZONE, svc->name, svc->ns_name);
        pn_dns_answer a = pn_dns_lookup(w, fqdn);
        if (a.kind == PN_DNS_A && a.service && a.pod < 0)
            svc = a.service;
    }
    const pn_service_port *sp = pn_service_find_port(svc, x->ports[0].number, x->ports[0].proto);
    /* A headless Service without ports: clients connect to the pods on the port they ask. */
    pn_service_port direct = {
        .port = x->ports[0].number, .proto = x->ports[0].proto, .target_port = x->ports[0].number};
    if (!sp && svc->headless && svc->port_count == 0)
        sp = &direct;
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_expect_result *res = single_result(x, at, out);
    pn_path_view *view = pn_path_view_new(w); /* once for every source */
    for (size_t s = 0; s < n; s++) {
        if (!pn_pod_matches(pr->from, &pods[s]))
            continue;
        res->pairs++;
        pn_service_verdict v = {0};
        if (sp)
            v = pn_proxy_evaluate(w, view, s, svc, sp);
        bool all = v.backends > 0 && v.allowed == v.backends;
        if (pr->allowed ? all : v.allowed == 0)
            continue;
        if (res->wrong++ == 0)
            res->shown = pn_xcalloc(PN_EXPECT_MAX_SHOWN, sizeof *res->shown);
        if (res->shown_count == PN_EXPECT_MAX_SHOWN)
            continue;
        pn_mismatch *m = &res->shown[res->shown_count++];
        pn_buf why = {0};
        m->from = pod_text(&pods[s]);
        m->to = pn_xstrdup(pr->to);
        m->expected = pr->allowed;
        m->actual = v.allowed > 0;
        if (svc->type == PN_SVC_EXTERNAL_NAME)
            pn_buf_appendf(&why,
                           "an ExternalName Service is a DNS alias: kube-proxy has no "
                           "endpoints for it%s",
                           pn_ipv4_parse(svc->external_name, &(pn_ipv4){0}) == 0
                               ? " (and this one looks like an IPv4 address: CoreDNS serves no "
                                 "record for it)"
                               : "");
        else if (!sp)
            pn_buf_appendf(&why,
                           "Service %s/%s defines no port %u/%s: no kube-proxy rule matches, "
                           "the connection is dropped (no-rule)",
                           svc->ns_name, svc->name, x->ports[0].number,
                           pn_proto_name(x->ports[0].proto));
        else if (v.backends == 0 && v.local_only && v.cluster > 0)
            pn_buf_appendf(&why,
                           "internalTrafficPolicy Local and none of the %zu ready endpoints is on "
                           "node %s: kube-proxy drops the connection",
                           v.cluster, pods[s].node_name ? pods[s].node_name : "(unscheduled)");
        else if (v.backends == 0)
            pn_buf_append(&why, "the Service has no ready endpoints: kube-proxy rejects "
                                "the connection");
        else {
            char ip[16];
            pn_buf_appendf(&why, "%zu of %zu endpoints allowed; to %s:%u%s%s: ", v.allowed,
                           v.backends, pn_ipv4_format(v.chosen.ip, ip), v.chosen.port,
                           v.chosen.pod >= 0 ? " " : "",
                           v.chosen.pod >= 0 ? pods[v.chosen.pod].name : " (no pod)");
            if (v.chosen.pod >= 0)
                pn_explain_verdict(w, s, (size_t)v.chosen.pod, &v.verdict, &why);
            else
                pn_buf_append(&why, v.verdict.allowed ? "egress allowed" : "egress denied");
        }
        m->explanation = pn_buf_take(&why);
    }
    pn_path_view_free(view);
    res->passed = res->wrong == 0;
}

/* "none", "snat", "dnat" or "both". */
static const char *nat_name(bool snat, bool dnat)
{
    return snat && dnat ? "both" : snat ? "snat" : dnat ? "dnat" : "none";
}

/* What one traced connection looked like, against what the expectation says. Returns true
 * when it matches; else writes the difference. */
static bool connection_matches(const pair_rule *pr, const pn_world *w, const pn_pod *src,
                               const pn_trace_outcome *o, pn_buf *why)
{
    char a[16], b[16];
    if (o->delivered != pr->allowed) {
        pn_buf_appendf(why, "the trace says %s%s%s%s", o->verdict, o->reason ? " (" : "",
                       o->reason ? o->reason : "", o->reason ? ")" : "");
        return false;
    }
    if (!pr->allowed && pr->reason && (!o->reason || strcmp(o->reason, pr->reason) != 0)) {
        pn_buf_appendf(why, "refused for %s, not %s", o->reason ? o->reason : "no stated reason",
                       pr->reason);
        return false;
    }
    if (pr->allowed && pr->source_seen) {
        pn_ipv4 want = 0;
        const char *what = pr->source_seen;
        if (strcmp(what, "pod-ip") == 0) {
            want = src->ip;
        } else if (strcmp(what, "node-ip") == 0) {
            const pn_node *node = src->node_name ? pn_world_find_node(w, src->node_name) : NULL;
            want = node ? node->ip : 0;
        } else {
            pn_ipv4_parse(what, &want);
        }
        if (o->received_src != want) {
            pn_buf_appendf(why, "the receiver sees %s, not %s (%s)",
                           pn_ipv4_format(o->received_src, a), what, pn_ipv4_format(want, b));
            return false;
        }
    }
    if (pr->allowed && pr->nat) {
        const char *got = nat_name(o->source_nat, o->destination_nat);
        if (strcmp(got, pr->nat) != 0) {
            pn_buf_appendf(why, "nat is %s, not %s", got, pr->nat);
            return false;
        }
    }
    return true;
}

/* A single expectation that says more than allowed or denied (a reason, the source seen, the
 * NAT), or whose destination is outside the pods (an address, a block, a remote network):
 * each connection is traced, as `podnet trace` would. */
static void check_connection(const expectation *x, const pn_world *w, int64_t at,
                             pn_expect_results *out)
{
    const pair_rule *pr = &x->rules[0];
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_expect_result *res = single_result(x, at, out);
    for (size_t s = 0; s < n; s++) {
        if (!pn_pod_matches(pr->from, &pods[s]))
            continue;
        for (size_t d = 0; d < (pr->outside || pr->svc_name ? 1 : n); d++) {
            char from[600], to[600];
            snprintf(from, sizeof from, "%s/%s", pods[s].ns_name, pods[s].name);
            if (pr->outside)
                snprintf(to, sizeof to, "%s", pr->outside);
            else if (pr->svc_name)
                snprintf(to, sizeof to, "%s", pr->to);
            else if (d == s || !pn_pod_matches(pr->to, &pods[d]))
                continue;
            else
                snprintf(to, sizeof to, "%s/%s", pods[d].ns_name, pods[d].name);
            res->pairs++;
            pn_trace_request req = {.from = from, .to = to, .port = x->ports[0]};
            pn_trace_outcome o = {0};
            const char *fail = NULL;
            pn_buf why = {0};
            bool ok = pn_trace_collect((pn_world *)w, &req, &o, &fail) >= 0;
            if (!ok)
                pn_buf_append(&why, fail ? fail : "cannot be traced");
            else
                ok = connection_matches(pr, w, &pods[s], &o, &why);
            if (ok) {
                pn_buf_free(&why);
                continue;
            }
            if (res->wrong++ == 0)
                res->shown = pn_xcalloc(PN_EXPECT_MAX_SHOWN, sizeof *res->shown);
            if (res->shown_count == PN_EXPECT_MAX_SHOWN) {
                pn_buf_free(&why);
                continue;
            }
            pn_mismatch *m = &res->shown[res->shown_count++];
            m->from = pn_xstrdup(from);
            m->to = pn_xstrdup(to);
            m->expected = pr->allowed;
            m->actual = ok ? pr->allowed : o.delivered;
            m->explanation = pn_buf_take(&why);
        }
    }
    res->passed = res->wrong == 0;
}

/* An expectation over a set of ports: for every pair the patterns match, the part of the
 * asked ports the pair may open must be all of them (allowed: true), none (false) or some but
 * not all (partial). */
static void check_set(const expectation *x, const pn_world *w, pn_reach *sets, int64_t at,
                      pn_expect_results *out)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pair_rule *pr = &x->rules[0];
    PN_GROW(out->items, out->count, out->cap);
    pn_expect_result *res = &out->items[out->count++];
    *res = (pn_expect_result){
        .why = x->why, .file = x->file, .line = x->node->line, .column = x->node->column, .at = at};
    char asked[2048], label[2400];
    pn_portset_format_short(&x->set, asked, sizeof asked);
    if (x->name)
        snprintf(label, sizeof label, "%s", x->name);
    else
        snprintf(label, sizeof label, "%s -> %s %s", pr->from, pr->to, asked);
    res->name = pn_xstrdup(label);
    const char *want = pr->partial ? "some but not all of" : pr->allowed ? "all of" : "none of";
    const char *asked_text = strcmp(asked, "all") == 0 ? "every port" : asked;
    pn_portset allowed = {0}, missing = {0}, got = {0};
    for (size_t s = 0; s < n; s++) {
        if (!pn_pod_matches(pr->from, &pods[s]))
            continue;
        for (size_t d = 0; d < n; d++) {
            if (!pn_pod_matches(pr->to, &pods[d]))
                continue;
            res->pairs++;
            pn_reach_pair_set(sets, s, d, &allowed);
            pn_portset_minus(&x->set, &allowed, &missing); /* asked, not allowed */
            pn_portset_minus(&x->set, &missing, &got);     /* asked and allowed */
            bool all = pn_portset_empty(&missing), none = pn_portset_empty(&got);
            bool ok = pr->partial ? !all && !none : pr->allowed ? all : none;
            if (ok)
                continue;
            if (res->wrong++ == 0)
                res->shown = pn_xcalloc(PN_EXPECT_MAX_SHOWN, sizeof *res->shown);
            if (res->shown_count == PN_EXPECT_MAX_SHOWN)
                continue;
            pn_mismatch *m = &res->shown[res->shown_count++];
            char text[2048];
            pn_buf b = {0};
            pn_buf_appendf(&b, "expected %s %s; allowed: %s", want, asked_text,
                           pn_portset_format_short(&got, text, sizeof text));
            m->from = pod_text(&pods[s]);
            m->to = pod_text(&pods[d]);
            m->expected = pr->allowed || pr->partial;
            m->actual = !none;
            m->sets = pn_buf_take(&b);
            m->explanation = pn_xstrdup("");
        }
    }
    res->passed = res->wrong == 0;
    pn_portset_free(&allowed);
    pn_portset_free(&missing);
    pn_portset_free(&got);
}

/* A result for expectation x on its p-th port, named after it. */
static pn_expect_result *port_result(const expectation *x, size_t p, int64_t at,
                                     pn_expect_results *out)
{
    PN_GROW(out->items, out->count, out->cap);
    pn_expect_result *res = &out->items[out->count++];
    *res = (pn_expect_result){.why = x->why,
                              .file = x->file,
                              .line = x->node->line,
                              .column = x->node->column,
                              .port = x->ports[p],
                              .at = at};
    char label[300];
    if (x->name && x->port_count == 1)
        snprintf(label, sizeof label, "%s", x->name);
    else
        snprintf(label, sizeof label, "%s%s%u/%s", x->name ? x->name : "", x->name ? " @ " : "",
                 x->ports[p].number, pn_proto_name(x->ports[p].proto));
    res->name = pn_xstrdup(label);
    return res;
}

static void judge(pn_expect_result *res, const pn_world *w, const pn_reach *r, size_t pi, size_t s,
                  size_t d, bool expected)
{
    res->pairs++;
    if (pn_reach_allowed(r, pi, s, d) == expected)
        return;
    if (res->wrong++ == 0)
        res->shown = pn_xcalloc(PN_EXPECT_MAX_SHOWN, sizeof *res->shown);
    if (res->shown_count < PN_EXPECT_MAX_SHOWN)
        add_mismatch(res, w, s, d, expected);
}

/* The pods a pattern names, in world order; returns how many (into idx, n long). The same
 * answers as pn_pod_matches, but the namespace part is matched once per namespace (pods are
 * sorted by namespace) and a name without wildcards is compared, not matched. */
static size_t matching(const pn_world *w, const char *pattern, size_t *idx)
{
    size_t n, k = 0;
    const pn_pod *pods = pn_world_pods(w, &n);
    const char *slash = strchr(pattern, '/');
    if (!slash || (size_t)(slash - pattern) >= 256)
        return 0;
    char ns[256];
    memcpy(ns, pattern, (size_t)(slash - pattern));
    ns[slash - pattern] = '\0';
    const char *name = slash + 1;
    bool literal = !strpbrk(name, "*?[\\");
    long ns_seen = -1;
    bool ns_ok = false;
    for (size_t i = 0; i < n; i++) {
        if ((long)pods[i].ns != ns_seen) {
            ns_seen = (long)pods[i].ns;
            ns_ok = fnmatch(ns, pods[i].ns_name, 0) == 0;
        }
        if (ns_ok &&
            (literal ? strcmp(name, pods[i].name) == 0 : fnmatch(name, pods[i].name, 0) == 0))
            idx[k++] = i;
    }
    return k;
}

/* One pair rule between pods: only the pairs its patterns name are looked at, so an
 * expectation about one connection costs one lookup, not a sweep of every pair. */
static void check_single(const expectation *x, const pn_world *w, const pn_reach *r,
                         const pn_port *ports, size_t port_count, int64_t at,
                         pn_expect_results *out, size_t *from_match, size_t *to_match)
{
    const pair_rule *pr = &x->rules[0];
    size_t nf = matching(w, pr->from, from_match), nt = matching(w, pr->to, to_match);
    for (size_t p = 0; p < x->port_count; p++) {
        size_t pi = port_index(ports, port_count, x->ports[p]);
        pn_expect_result *res = port_result(x, p, at, out);
        for (size_t a = 0; a < nf; a++)
            for (size_t b = 0; b < nt; b++)
                judge(res, w, r, pi, from_match[a], to_match[b], pr->allowed);
        res->passed = res->wrong == 0;
    }
}

/* A table: every ordered pair, the default unless an exception (the last that names the
 * pair) says otherwise. */
static void check_table(const expectation *x, const pn_world *w, const pn_reach *r,
                        const pn_port *ports, size_t port_count, int64_t at, pn_expect_results *out,
                        size_t *from_match, size_t *to_match)
{
    size_t n;
    pn_world_pods(w, &n);
    size_t cells = n * n;
    bool *expected = pn_xcalloc(cells ? cells : 1, sizeof *expected);
    for (size_t k = 0; k < cells; k++)
        expected[k] = x->dflt;
    for (size_t j = 0; j < x->rule_count; j++) {
        const pair_rule *pr = &x->rules[j];
        size_t nf = matching(w, pr->from, from_match), nt = matching(w, pr->to, to_match);
        for (size_t a = 0; a < nf; a++)
            for (size_t b = 0; b < nt; b++)
                expected[from_match[a] * n + to_match[b]] = pr->allowed;
    }
    for (size_t p = 0; p < x->port_count; p++) {
        size_t pi = port_index(ports, port_count, x->ports[p]);
        pn_expect_result *res = port_result(x, p, at, out);
        for (size_t k = 0; k < cells; k++)
            judge(res, w, r, pi, k / n, k % n, expected[k]);
        res->passed = res->wrong == 0;
    }
    free(expected);
}

int pn_expect_check(const pn_expectations *e, const pn_world *w, pn_reach_engine engine,
                    pn_reach_cache *cache, int64_t at, pn_expect_results *out, pn_diags *diags)
{
    if (check_patterns(e, w, diags) != 0)
        return -1;
    size_t n, port_count;
    pn_world_pods(w, &n);
    pn_port *ports = all_ports(e, &port_count);
    pn_reach *r = engine == PN_ENGINE_BITSET && cache
                      ? pn_reach_cache_compute(cache, w, ports, port_count)
                      : pn_reach_compute(w, ports, port_count, engine);
    size_t *from_match = pn_xcalloc(n ? n : 1, sizeof *from_match);
    size_t *to_match = pn_xcalloc(n ? n : 1, sizeof *to_match);
    pn_reach *sets = NULL; /* made when an expectation asks about a set of ports */
    for (size_t i = 0; i < e->count; i++) {
        const expectation *x = &e->items[i];
        const pair_rule *one = x->rules; /* the first pair rule; NULL for state expectations */
        if (x->what != EXPECT_REACH) {
            check_state(x, w, at, out);
        } else if (x->has_set) {
            if (!sets)
                sets = engine == PN_ENGINE_BITSET && cache ? pn_reach_cache_compute_sets(cache, w)
                                                           : pn_reach_compute_sets(w, engine);
            check_set(x, w, sets, at, out);
        } else if (!x->is_table && (one->outside || one->reason || one->source_seen || one->nat)) {
            check_connection(x, w, at, out);
        } else if (x->rule_count == 1 && x->rules[0].svc_name) {
            check_service(x, w, at, out);
        } else if (x->is_table) {
            check_table(x, w, r, ports, port_count, at, out, from_match, to_match);
        } else {
            check_single(x, w, r, ports, port_count, at, out, from_match, to_match);
        }
    }
    free(from_match);
    free(to_match);
    free(ports);
    pn_reach_free(r);
    pn_reach_free(sets);
    return 0;
}

void pn_expect_tally_results(const pn_expect_results *res, size_t *passed, size_t *failed)
{
    *passed = *failed = 0;
    for (size_t i = 0; i < res->count; i++)
        (res->items[i].passed ? passed : failed)[0]++;
}

void pn_expect_print(FILE *out, const pn_expect_results *res, size_t first, bool verbose)
{
    for (size_t i = first; i < res->count; i++) {
        const pn_expect_result *x = &res->items[i];
        char at[40] = "";
        if (x->at >= 0) {
            char t[32];
            snprintf(at, sizeof at, "t=%-6s ", pn_time_format(x->at, t));
        }
        if (x->passed) {
            if (verbose)
                fprintf(out, "%sPASS %s\n", at, x->name);
            continue;
        }
        if (x->detail) {
            fprintf(out, "%sFAIL %s (%s:%u:%u): %s\n", at, x->name, x->file, x->line, x->column,
                    x->detail);
            if (x->why)
                fprintf(out, "  why: %s\n", x->why);
            continue;
        }
        fprintf(out, "%sFAIL %s (%s:%u:%u): %zu pair%s differ%s\n", at, x->name, x->file, x->line,
                x->column, x->wrong, x->wrong == 1 ? "" : "s", x->wrong == 1 ? "s" : "");
        if (x->why)
            fprintf(out, "  why: %s\n", x->why);
        for (size_t k = 0; k < x->shown_count; k++) {
            const pn_mismatch *m = &x->shown[k];
            if (m->sets)
                fprintf(out, "    %s -> %s: %s\n", m->from, m->to, m->sets);
            else if (m->expected == m->actual) /* the answer is right, a detail is not */
                fprintf(out, "    %s -> %s %u/%s: %s as expected, but\n      %s\n", m->from, m->to,
                        x->port.number, pn_proto_name(x->port.proto),
                        m->actual ? "allowed" : "denied", m->explanation);
            else
                fprintf(out, "    %s -> %s %u/%s: expected %s, got %s\n      %s\n", m->from, m->to,
                        x->port.number, pn_proto_name(x->port.proto),
                        m->expected ? "allowed" : "denied", m->actual ? "allowed" : "denied",
                        m->explanation);
        }
        if (x->wrong > x->shown_count)
            fprintf(out, "    ... and %zu more\n", x->wrong - x->shown_count);
    }
}

void pn_expect_results_free(pn_expect_results *res)
{
    for (size_t i = 0; i < res->count; i++) {
        pn_expect_result *x = &res->items[i];
        for (size_t k = 0; k < x->shown_count; k++) {
            free(x->shown[k].from);
            free(x->shown[k].to);
            free(x->shown[k].explanation);
            free(x->shown[k].sets);
        }
        free(x->shown);
        free((char *)x->name);
        free(x->detail);
    }
    free(res->items);
    *res = (pn_expect_results){0};
}
