/* decode — Kubernetes objects from document trees into the world: validation as the API
 * server does it (reference §0 and §1: defaults, field rules), workload expansion into pods,
 * and `kind: List` flattening. Every problem is reported as
 * "file:line:column: error: what (object Kind ns/name, field path)". */
#include "sim/world/world_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What is being decoded, for messages. */
typedef struct {
    pn_world *w;
    pn_diags *diags;
    const pn_world_options *opt;
    const char *file;
    const pn_doc_node *obj; /* the object's mapping */
    const char *kind;
    const char *ns; /* NULL for cluster-scoped objects */
    const char *name;
    int pass; /* 1: Namespaces and Nodes; 2: everything else */
} ctx;

static void report(ctx *c, pn_diag_severity sev, const pn_doc_node *at, const char *path,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(ctx *c, pn_diag_severity sev, const pn_doc_node *at, const char *path,
                   const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!at)
        at = c->obj;
    char object[300] = "";
    if (c->kind && c->name)
        snprintf(object, sizeof object, "object %s %s%s%s", c->kind, c->ns ? c->ns : "",
                 c->ns ? "/" : "", c->name);
    else if (c->kind)
        snprintf(object, sizeof object, "object %s", c->kind);
    char field[420] = "";
    if (path)
        snprintf(field, sizeof field, "%sfield %s", object[0] ? ", " : "", path);
    if (object[0] || path)
        pn_diag_add(c->diags, sev, c->file, at ? at->line : 0, at ? at->column : 0, "%s (%s%s)",
                    msg, object, field);
    else
        pn_diag_add(c->diags, sev, c->file, at ? at->line : 0, at ? at->column : 0, "%s", msg);
}

#define ERR(c, at, path, ...) report((c), PN_DIAG_ERROR, (at), (path), __VA_ARGS__)

/* Removes a trailing ", field " when the message has no path: report() prints "field " only
 * with a path, so callers pass NULL for object-level problems. */

static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 40 || m > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* Reports keys of map that are not in allowed (a NULL-terminated list), suggesting the
 * nearest known name. A misspelt field in a NetworkPolicy silently changes what it allows,
 * so unknown fields are errors. */
static void check_fields(ctx *c, const pn_doc_node *map, const char *path,
                         const char *const *allowed)
{
    for (size_t i = 0; map && i + 1 < map->count; i += 2) {
        const pn_doc_node *key = map->items[i];
        const char *const *a = allowed;
        while (*a && strcmp(*a, key->text) != 0)
            a++;
        if (*a)
            continue;
        const char *best = NULL;
        size_t best_d = 3;
        for (a = allowed; *a; a++) {
            size_t d = edit_distance(*a, key->text);
            if (d < best_d) {
                best_d = d;
                best = *a;
            }
        }
        char field[300];
        snprintf(field, sizeof field, "%s%s%s", path ? path : "", path ? "." : "", key->text);
        if (best)
            ERR(c, key, field, "unknown field \"%s\"; did you mean \"%s\"?", key->text, best);
        else
            ERR(c, key, field, "unknown field \"%s\"", key->text);
    }
}

static const pn_doc_node *get_map(ctx *c, const pn_doc_node *parent, const char *key,
                                  const char *path)
{
    const pn_doc_node *n = pn_doc_get(parent, key);
    if (pn_doc_is_null(n))
        return NULL;
    if (n->kind != PN_DOC_MAP) {
        ERR(c, n, path, "must be a mapping, not %s", pn_doc_type_name(n));
        return NULL;
    }
    return n;
}

static const pn_doc_node *get_seq(ctx *c, const pn_doc_node *parent, const char *key,
                                  const char *path)
{
    const pn_doc_node *n = pn_doc_get(parent, key);
    if (pn_doc_is_null(n))
        return NULL;
    if (n->kind != PN_DOC_SEQ) {
        ERR(c, n, path, "must be a list, not %s", pn_doc_type_name(n));
        return NULL;
    }
    return n;
}

/* A string scalar. Plain numbers and booleans are refused as the API server refuses them
 * ("cannot unmarshal number into a string"): quote them. */
static const char *as_string(ctx *c, const pn_doc_node *n, const char *path)
{
    if (pn_doc_is_null(n))
        return NULL;
    if (n->kind != PN_DOC_SCALAR || pn_doc_scalar_type(n) != PN_SCALAR_STRING) {
        ERR(c, n, path, "must be a string, not %s%s", pn_doc_type_name(n),
            n->kind == PN_DOC_SCALAR ? " (quote it)" : "");
        return NULL;
    }
    return n->text;
}

static const char *get_string(ctx *c, const pn_doc_node *parent, const char *key, const char *path)
{
    return as_string(c, pn_doc_get(parent, key), path);
}

static bool get_bool(ctx *c, const pn_doc_node *parent, const char *key, const char *path)
{
    const pn_doc_node *n = pn_doc_get(parent, key);
    if (pn_doc_is_null(n))
        return false;
    if (n->kind == PN_DOC_SCALAR && !n->quoted) {
        if (strcmp(n->text, "true") == 0)
            return true;
        if (strcmp(n->text, "false") == 0)
            return false;
    }
    ERR(c, n, path, "must be true or false");
    return false;
}

/* An integer field in [min, max]; returns dflt when absent. */
static int64_t get_int(ctx *c, const pn_doc_node *parent, const char *key, const char *path,
                       int64_t min, int64_t max, int64_t dflt)
{
    const pn_doc_node *n = pn_doc_get(parent, key);
    if (pn_doc_is_null(n))
        return dflt;
    int64_t v;
    if (pn_doc_int(n, min, max, &v) != 0) {
        if (n->kind == PN_DOC_SCALAR && pn_doc_scalar_type(n) == PN_SCALAR_INT)
            ERR(c, n, path, "%s is out of range %lld..%lld", n->text, (long long)min,
                (long long)max);
        else
            ERR(c, n, path, "must be an integer, not %s", pn_doc_type_name(n));
        return dflt;
    }
    return v;
}

static char *path_join(char *buf, size_t size, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* buf = path + fmt: the field path of a child ("spec" + ".ingress[0]"), truncated to fit.
 * Paths are built for every field decoded, so a plain suffix is copied without printf. */
static char *path_join(char *buf, size_t size, const char *path, const char *fmt, ...)
{
    size_t n = path ? strlen(path) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(buf, path ? path : "", n);
    buf[n] = '\0';
    if (!strchr(fmt, '%')) {
        size_t m = strlen(fmt);
        if (m > size - 1 - n)
            m = size - 1 - n;
        memcpy(buf + n, fmt, m);
        buf[n + m] = '\0';
        return buf;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
    return buf;
}

/* A DNS-1123 subdomain (object names): lowercase alphanumerics, '-' and '.', at most 253. */
static bool dns_subdomain(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!alnum && ch != '-' && ch != '.')
            return false;
        if (!alnum && (i == 0 || i == n - 1))
            return false;
    }
    return true;
}

/* A DNS-1123 label (namespace names): like a subdomain part, at most 63, no dots. */
static bool dns_label(const char *s)
{
    return strlen(s) <= 63 && !strchr(s, '.') && dns_subdomain(s);
}

/* ---- labels and selectors ---- */

static int decode_labels(ctx *c, const pn_doc_node *map, const char *path, pn_labels *out)
{
    *out = (pn_labels){0};
    if (!map)
        return 0;
    pn_arena *a = c->w->arena;
    size_t pairs = map->count / 2;
    out->items = pn_arena_alloc(a, sizeof(pn_label) * (pairs + 1));
    int rc = 0;
    for (size_t i = 0; i < pairs; i++) {
        const pn_doc_node *k = map->items[2 * i], *v = map->items[2 * i + 1];
        char field[400];
        path_join(field, sizeof field, path, ".%s", k->text);
        const char *why = pn_label_key_check(k->text);
        if (why) {
            ERR(c, k, field, "invalid label key \"%s\": %s", k->text, why);
            rc = -1;
            continue;
        }
        const char *value = pn_doc_is_null(v) ? "" : as_string(c, v, field);
        if (!value && !pn_doc_is_null(v)) {
            rc = -1;
            continue;
        }
        why = pn_label_value_check(value);
        if (why) {
            ERR(c, v, field, "invalid label value \"%s\": %s", value, why);
            rc = -1;
            continue;
        }
        out->items[out->count++] = (pn_label){k->text, value};
    }
    const char *dup;
    pn_labels_sort(out, &dup); /* keys are unique: the reader refuses duplicate keys */
    return rc;
}

static const char *const selector_fields[] = {"matchLabels", "matchExpressions", NULL};
static const char *const requirement_fields[] = {"key", "operator", "values", NULL};

/* Decodes a LabelSelector. Returns NULL on error (reported). */
static pn_selector *decode_selector(ctx *c, const pn_doc_node *n, const char *path)
{
    pn_arena *a = c->w->arena;
    pn_selector *sel = pn_arena_alloc(a, sizeof *sel);
    if (pn_doc_is_null(n))
        return sel;
    if (n->kind != PN_DOC_MAP) {
        ERR(c, n, path, "must be a label selector mapping, not %s", pn_doc_type_name(n));
        return NULL;
    }
    check_fields(c, n, path, selector_fields);
    char field[400];
    const pn_doc_node *ml =
        get_map(c, n, "matchLabels", path_join(field, sizeof field, path, ".matchLabels"));
    pn_labels labels;
    bool ok = decode_labels(c, ml, field, &labels) == 0;
    const pn_doc_node *me = get_seq(c, n, "matchExpressions",
                                    path_join(field, sizeof field, path, ".matchExpressions"));
    size_t cap = labels.count + (me ? me->count : 0);
    sel->reqs = pn_arena_alloc(a, sizeof(pn_requirement) * (cap + 1));
    for (size_t i = 0; i < labels.count; i++) {
        pn_requirement *r = &sel->reqs[sel->count++];
        r->key = labels.items[i].key;
        r->op = PN_SEL_IN;
        r->values = pn_arena_alloc(a, sizeof(char *));
        r->values[0] = labels.items[i].value;
        r->value_count = 1;
    }
    for (size_t i = 0; me && i < me->count; i++) {
        const pn_doc_node *e = me->items[i];
        char epath[400];
        path_join(epath, sizeof epath, path, ".matchExpressions[%zu]", i);
        if (e->kind != PN_DOC_MAP) {
            ERR(c, e, epath, "must be a mapping with key, operator and values");
            ok = false;
            continue;
        }
        check_fields(c, e, epath, requirement_fields);
        pn_requirement *r = &sel->reqs[sel->count];
        r->key = get_string(c, e, "key", path_join(field, sizeof field, epath, ".key"));
        const char *op =
            get_string(c, e, "operator", path_join(field, sizeof field, epath, ".operator"));
        if (!r->key) {
            ERR(c, e, epath, "key is required");
            ok = false;
            continue;
        }
        const char *why = pn_label_key_check(r->key);
        if (why) {
            ERR(c, pn_doc_get(e, "key"), epath, "invalid label key \"%s\": %s", r->key, why);
            ok = false;
        }
        if (!op || pn_selector_op_parse(op, &r->op) != 0) {
            ERR(c, op ? pn_doc_get(e, "operator") : e, field,
                "operator must be In, NotIn, Exists or DoesNotExist%s%s%s", op ? ", not \"" : "",
                op ? op : "", op ? "\"" : "");
            ok = false;
            continue;
        }
        const pn_doc_node *vals =
            get_seq(c, e, "values", path_join(field, sizeof field, epath, ".values"));
        r->value_count = vals ? vals->count : 0;
        r->values = pn_arena_alloc(a, sizeof(char *) * (r->value_count + 1));
        for (size_t j = 0; j < r->value_count; j++) {
            char vpath[420];
            r->values[j] =
                as_string(c, vals->items[j], path_join(vpath, sizeof vpath, field, "[%zu]", j));
            if (!r->values[j]) {
                r->values[j] = "";
                ok = false;
            }
        }
        why = pn_requirement_check(r);
        if (why) {
            ERR(c, vals ? vals : e, epath, "%s", why);
            ok = false;
        }
        sel->count++;
    }
    return ok ? sel : NULL;
}

/* ---- metadata ---- */

static const char *const metadata_fields[] = {"name",
                                              "namespace",
                                              "labels",
                                              "annotations",
                                              "uid",
                                              "resourceVersion",
                                              "generation",
                                              "creationTimestamp",
                                              "managedFields",
                                              "ownerReferences",
                                              "finalizers",
                                              "generateName",
                                              "selfLink",
                                              "deletionTimestamp",
                                              "deletionGracePeriodSeconds",
                                              NULL};

typedef struct {
    const char *name;
    const char *ns;
    pn_labels labels;
    const pn_doc_node *node;
} meta;

/* Reads metadata; namespaced objects default to namespace "default". */
static int decode_metadata(ctx *c, const pn_doc_node *obj, bool namespaced, const char *path,
                           meta *m)
{
    *m = (meta){0};
    char field[300];
    const pn_doc_node *md =
        get_map(c, obj, "metadata", path_join(field, sizeof field, path, "metadata"));
    m->node = md;
    if (!md) {
        ERR(c, obj, NULL, "metadata.name is required");
        return -1;
    }
    check_fields(c, md, field, metadata_fields);
    m->name = get_string(c, md, "name", path_join(field, sizeof field, path, "metadata.name"));
    if (!m->name) {
        if (pn_doc_is_null(pn_doc_get(md, "name"))) /* else get_string said what is wrong */
            ERR(c, md, field, "metadata.name is required");
        return -1;
    }
    c->name = m->name;
    if (!dns_subdomain(m->name)) {
        ERR(c, pn_doc_get(md, "name"), field,
            "\"%s\" is not a valid name (lowercase letters, digits, '-' and '.')", m->name);
        return -1;
    }
    if (namespaced) {
        m->ns = get_string(c, md, "namespace",
                           path_join(field, sizeof field, path, "metadata.namespace"));
        if (!m->ns)
            m->ns = "default";
        else if (!dns_label(m->ns)) {
            ERR(c, pn_doc_get(md, "namespace"), field, "\"%s\" is not a valid namespace name",
                m->ns);
            return -1;
        }
        c->ns = m->ns;
    }
    return decode_labels(
        c, get_map(c, md, "labels", path_join(field, sizeof field, path, "metadata.labels")), field,
        &m->labels);
}

static pn_origin origin_of(ctx *c, const pn_doc_node *n)
{
    return (pn_origin){c->file, n ? n->line : 0, n ? n->column : 0};
}

/* Registers the object. A second object of the same kind, namespace and name is an error when
 * loading, and replaces the first when applying. */
static int register_object(ctx *c, const char *kind, const char *ns, const char *name)
{
    pn_origin first;
    if (c->w->replace)
        pn__world_remove(c->w, kind, ns, name);
    if (pn__world_register(c->w, kind, ns, name, origin_of(c, c->obj), &first) != 0) {
        ERR(c, c->obj, NULL, "duplicate %s %s%s%s (first defined at %s:%u:%u)", kind, ns ? ns : "",
            ns ? "/" : "", name, first.file, first.line, first.column);
        return -1;
    }
    return 0;
}

/* ---- Namespace and Node ---- */

static void decode_namespace(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    if (!dns_label(m.name)) {
        ERR(c, m.node, "metadata.name", "\"%s\" is not a valid namespace name", m.name);
        return;
    }
    if (register_object(c, "Namespace", NULL, m.name) != 0)
        return;
    pn_world *w = c->w;
    unsigned idx = pn__world_namespace(w, m.name);
    pn_namespace *ns = &w->namespaces[idx];
    ns->declared = true;
    /* The API server sets kubernetes.io/metadata.name to the name, whatever was written. */
    pn_labels l = {pn_arena_alloc(w->arena, sizeof(pn_label) * (m.labels.count + 1)), 0};
    for (size_t i = 0; i < m.labels.count; i++)
        if (strcmp(m.labels.items[i].key, "kubernetes.io/metadata.name") != 0)
            l.items[l.count++] = m.labels.items[i];
    l.items[l.count++] = (pn_label){"kubernetes.io/metadata.name", ns->name};
    const char *dup;
    pn_labels_sort(&l, &dup);
    ns->labels = l;
}

/* A resource quantity that must be a whole number ("110", 110; for cpu also "2000m"). */
static int quantity(ctx *c, const pn_doc_node *map, const char *key, const char *path, bool millis)
{
    const pn_doc_node *n = pn_doc_get(map, key);
    if (pn_doc_is_null(n))
        return 0;
    const char *text = n->kind == PN_DOC_SCALAR ? n->text : "";
    char *end;
    long v = strtol(text, &end, 10);
    if (millis && *end == 'm' && end[1] == '\0' && v % 1000 == 0) {
        v /= 1000;
        end++;
    }
    if (!*text || *end || v < 0 || v > 100000) {
        ERR(c, n, path, "\"%s\" is not a whole quantity", text);
        return 0;
    }
    return (int)v;
}

static void decode_node(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, false, NULL, &m) != 0 ||
        register_object(c, "Node", NULL, m.name) != 0)
        return;
    pn_world *w = c->w;
    PN_GROW(w->nodes, w->node_count, w->node_cap);
    pn_node *node = &w->nodes[w->node_count++];
    *node = (pn_node){.name = m.name,
                      .labels = m.labels,
                      .file = c->file,
                      .line = c->obj->line,
                      .column = c->obj->column};
    node->instance_type = pn_labels_get(&m.labels, "node.kubernetes.io/instance-type");
    if (!node->instance_type)
        node->instance_type = pn_labels_get(&m.labels, "beta.kubernetes.io/instance-type");
    node->zone = pn_labels_get(&m.labels, "topology.kubernetes.io/zone");
    const pn_doc_node *ann = get_map(c, m.node, "annotations", "metadata.annotations");
    node->subnet = get_string(c, ann, "podnet.dev/subnet", "metadata.annotations");
    node->eni_config = get_string(c, ann, "k8s.amazonaws.com/eniConfig", "metadata.annotations");
    const pn_doc_node *status = get_map(c, c->obj, "status", "status");
    const pn_doc_node *capacity = get_map(c, status, "capacity", "status.capacity");
    node->kubelet_max_pods = quantity(c, capacity, "pods", "status.capacity.pods", false);
    node->vcpus = quantity(c, capacity, "cpu", "status.capacity.cpu", true);
    const pn_doc_node *addrs = get_seq(c, status, "addresses", "status.addresses");
    for (size_t i = 0; addrs && i < addrs->count; i++) {
        const pn_doc_node *a = addrs->items[i];
        const char *type = get_string(c, a, "type", "status.addresses[].type");
        const char *addr = get_string(c, a, "address", "status.addresses[].address");
        if (type && addr && strcmp(type, "InternalIP") == 0 && !strchr(addr, ':')) {
            if (pn_ipv4_parse(addr, &node->ip) != 0)
                ERR(c, pn_doc_get(a, "address"), "status.addresses[].address",
                    "\"%s\" is not an IPv4 address", addr);
            break;
        }
    }
}

/* ---- Pods and workloads ---- */

static const char *const port_fields[] = {"containerPort", "name",   "protocol",
                                          "hostPort",      "hostIP", NULL};

static const char *const probe_fields[] = {"exec",
                                           "httpGet",
                                           "tcpSocket",
                                           "grpc",
                                           "initialDelaySeconds",
                                           "periodSeconds",
                                           "timeoutSeconds",
                                           "successThreshold",
                                           "failureThreshold",
                                           "terminationGracePeriodSeconds",
                                           NULL};

/* A container's probe, with the API's defaults and validation (reference §4.1). */
static int decode_probe(ctx *c, const pn_doc_node *n, const char *path, pn_probe_kind kind,
                        const char *container, pn_probe *out)
{
    char field[460];
    if (n->kind != PN_DOC_MAP) {
        ERR(c, n, path, "a probe must be a mapping");
        return -1;
    }
    check_fields(c, n, path, probe_fields);
    *out = pn_probe_defaults(kind);
    out->container = container;
    static const char *const handlers[] = {"exec", "httpGet", "tcpSocket", "grpc"};
    int found = 0;
    for (int i = 0; i < 4; i++)
        if (!pn_doc_is_null(pn_doc_get(n, handlers[i]))) {
            out->handler = (pn_probe_handler)i;
            found++;
        }
    if (found != 1) {
        ERR(c, n, path, "a probe needs exactly one handler: exec, httpGet, tcpSocket or grpc");
        return -1;
    }
    out->initial_delay_s =
        (int)get_int(c, n, "initialDelaySeconds",
                     path_join(field, sizeof field, path, ".initialDelaySeconds"), 0, 1000000, 0);
    out->period_s =
        (int)get_int(c, n, "periodSeconds", path_join(field, sizeof field, path, ".periodSeconds"),
                     1, 1000000, 10);
    out->timeout_s =
        (int)get_int(c, n, "timeoutSeconds",
                     path_join(field, sizeof field, path, ".timeoutSeconds"), 1, 1000000, 1);
    out->success_threshold =
        (int)get_int(c, n, "successThreshold",
                     path_join(field, sizeof field, path, ".successThreshold"), 1, 1000000, 1);
    out->failure_threshold =
        (int)get_int(c, n, "failureThreshold",
                     path_join(field, sizeof field, path, ".failureThreshold"), 1, 1000000, 3);
    if (kind != PN_PROBE_READINESS && out->success_threshold != 1) {
        ERR(c, pn_doc_get(n, "successThreshold"), path,
            "successThreshold must be 1 for liveness and startup probes");
        return -1;
    }
    if (kind == PN_PROBE_READINESS && pn_doc_get(n, "terminationGracePeriodSeconds")) {
        ERR(c, pn_doc_get(n, "terminationGracePeriodSeconds"), path,
            "terminationGracePeriodSeconds is not allowed on a readiness probe");
        return -1;
    }
    return 0;
}

/* Reads what the network needs from a PodSpec: hostNetwork, nodeName and every container's
 * ports (named ports must be unique within the pod, as validation requires). */
static int decode_pod_spec(ctx *c, const pn_doc_node *spec, const char *path, pn_pod *pod)
{
    char field[400];
    int rc = 0;
    if (!spec) {
        ERR(c, c->obj, path, "spec is required");
        return -1;
    }
    pod->host_network =
        get_bool(c, spec, "hostNetwork", path_join(field, sizeof field, path, ".hostNetwork"));
    pod->node_name =
        get_string(c, spec, "nodeName", path_join(field, sizeof field, path, ".nodeName"));
    const pn_doc_node *containers =
        get_seq(c, spec, "containers", path_join(field, sizeof field, path, ".containers"));
    if (!containers || containers->count == 0) {
        ERR(c, containers ? containers : spec, field, "a pod needs at least one container");
        return -1;
    }
    size_t total = 0;
    for (size_t i = 0; i < containers->count; i++) {
        const pn_doc_node *ports = pn_doc_get(containers->items[i], "ports");
        total += ports && ports->kind == PN_DOC_SEQ ? ports->count : 0;
    }
    pod->ports = pn_arena_alloc(c->w->arena, sizeof(pn_container_port) * (total + 1));
    for (size_t i = 0; i < containers->count; i++) {
        const pn_doc_node *ct = containers->items[i];
        char cpath[400];
        path_join(cpath, sizeof cpath, path, ".containers[%zu]", i);
        if (ct->kind != PN_DOC_MAP) {
            ERR(c, ct, cpath, "must be a mapping");
            rc = -1;
            continue;
        }
        static const char *const probe_keys[] = {"readinessProbe", "livenessProbe", "startupProbe"};
        const char *cname = get_string(c, ct, "name", "name");
        for (int k = 0; k < 3; k++) {
            const pn_doc_node *pr = pn_doc_get(ct, probe_keys[k]);
            if (pn_doc_is_null(pr))
                continue;
            pn_probe probe;
            if (decode_probe(c, pr, path_join(field, sizeof field, cpath, ".%s", probe_keys[k]),
                             (pn_probe_kind)k, cname, &probe) != 0) {
                rc = -1;
                continue;
            }
            pn_probe *grown = pn_arena_alloc(c->w->arena, sizeof *grown * (pod->probe_count + 1));
            if (pod->probe_count)
                memcpy(grown, pod->probes, sizeof *grown * pod->probe_count);
            grown[pod->probe_count++] = probe;
            pod->probes = grown;
        }
        const pn_doc_node *ports =
            get_seq(c, ct, "ports", path_join(field, sizeof field, cpath, ".ports"));
        for (size_t j = 0; ports && j < ports->count; j++) {
            const pn_doc_node *p = ports->items[j];
            char ppath[420];
            path_join(ppath, sizeof ppath, cpath, ".ports[%zu]", j);
            if (p->kind != PN_DOC_MAP) {
                ERR(c, p, ppath, "must be a mapping");
                rc = -1;
                continue;
            }
            check_fields(c, p, ppath, port_fields);
            pn_container_port cp = {0};
            if (!pn_doc_get(p, "containerPort")) {
                ERR(c, p, ppath, "containerPort is required");
                rc = -1;
                continue;
            }
            cp.number = (uint16_t)get_int(c, p, "containerPort",
                                          path_join(field, sizeof field, ppath, ".containerPort"),
                                          1, 65535, 0);
            const char *proto =
                get_string(c, p, "protocol", path_join(field, sizeof field, ppath, ".protocol"));
            if (proto && pn_proto_parse(proto, &cp.proto) != 0) {
                ERR(c, pn_doc_get(p, "protocol"), field,
                    "protocol must be TCP, UDP or SCTP, not \"%s\"", proto);
                rc = -1;
            }
            cp.name = get_string(c, p, "name", path_join(field, sizeof field, ppath, ".name"));
            if (cp.name && !pn_port_name_valid(cp.name)) {
                ERR(c, pn_doc_get(p, "name"), field,
                    "\"%s\" is not a valid port name (at most 15 of a-z, 0-9 and '-', with a "
                    "letter)",
                    cp.name);
                rc = -1;
            }
            for (size_t k = 0; cp.name && k < pod->port_count; k++)
                if (pod->ports[k].name && strcmp(pod->ports[k].name, cp.name) == 0) {
                    ERR(c, pn_doc_get(p, "name"), field, "duplicate port name \"%s\" in the pod",
                        cp.name);
                    rc = -1;
                }
            if (cp.number == 0)
                rc = -1;
            pod->ports[pod->port_count++] = cp;
        }
    }
    return rc;
}

/* The declared address of a Pod, from status.podIP. Returns true when there is one. */
static bool pod_address(ctx *c, const pn_doc_node *status, pn_ipv4 *ip)
{
    const char *text = status ? get_string(c, status, "podIP", "status.podIP") : NULL;
    if (!text)
        return false;
    if (strchr(text, ':'))
        ERR(c, pn_doc_get(status, "podIP"), "status.podIP",
            "IPv6 pod addresses are not supported yet (\"%s\")", text);
    else if (pn_ipv4_parse(text, ip) != 0)
        ERR(c, pn_doc_get(status, "podIP"), "status.podIP", "\"%s\" is not an IPv4 address", text);
    else
        return true;
    return false;
}

/* What a cluster dump says of a pod's life: status.phase, the Ready condition and
 * metadata.deletionTimestamp. A manifest without them describes a pod that runs and is ready. */
static int pod_life(ctx *c, const pn_doc_node *md, const pn_doc_node *status, pn_pod *shape)
{
    static const struct {
        const char *name;
        pn_pod_phase phase;
    } phases[] = {{"Pending", PN_POD_PENDING},
                  {"Running", PN_POD_RUNNING},
                  {"Succeeded", PN_POD_SUCCEEDED},
                  {"Failed", PN_POD_FAILED},
                  {"Unknown", PN_POD_RUNNING}}; /* the node lost touch; the pod may well run */
    shape->phase = PN_POD_RUNNING;
    shape->ready = true;
    shape->terminating = !pn_doc_is_null(pn_doc_get(md, "deletionTimestamp"));
    const char *phase = status ? get_string(c, status, "phase", "status.phase") : NULL;
    if (phase) {
        size_t i = 0;
        while (i < sizeof phases / sizeof phases[0] && strcmp(phases[i].name, phase) != 0)
            i++;
        if (i == sizeof phases / sizeof phases[0]) {
            ERR(c, pn_doc_get(status, "phase"), "status.phase",
                "must be Pending, Running, Succeeded, Failed or Unknown, not \"%s\"", phase);
            return -1;
        }
        shape->phase = phases[i].phase;
        shape->observed = true;
    }
    const pn_doc_node *conds =
        status ? get_seq(c, status, "conditions", "status.conditions") : NULL;
    for (size_t i = 0; conds && i < conds->count; i++) {
        const pn_doc_node *cond = conds->items[i];
        if (cond->kind != PN_DOC_MAP) {
            ERR(c, cond, "status.conditions[]", "must be a mapping, not %s",
                pn_doc_type_name(cond));
            return -1;
        }
        const char *type = get_string(c, cond, "type", "status.conditions[].type");
        if (!type || strcmp(type, "Ready") != 0)
            continue;
        const char *value = get_string(c, cond, "status", "status.conditions[].status");
        if (!value || (strcmp(value, "True") != 0 && strcmp(value, "False") != 0 &&
                       strcmp(value, "Unknown") != 0)) {
            ERR(c, cond, "status.conditions[].status",
                "must be \"True\", \"False\" or \"Unknown\"");
            return -1;
        }
        shape->ready = strcmp(value, "True") == 0;
        shape->observed = true;
    }
    if (shape->phase != PN_POD_RUNNING)
        shape->ready = false;
    return 0;
}

static void decode_pod(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    pn_pod_source src = {.kind = "Pod",
                         .ns_name = m.ns,
                         .name = m.name,
                         .labels = m.labels,
                         .replicas = 1,
                         .origin = origin_of(c, c->obj)};
    if (decode_pod_spec(c, get_map(c, c->obj, "spec", "spec"), "spec", &src.shape) != 0)
        return;
    const pn_doc_node *status = get_map(c, c->obj, "status", "status");
    src.has_ip = pod_address(c, status, &src.shape.ip);
    if (pod_life(c, m.node, status, &src.shape) != 0)
        return;
    if (register_object(c, "Pod", m.ns, m.name) != 0)
        return;
    pn__world_namespace(c->w, m.ns);
    pn__world_add_source(c->w, &src);
}

/* The pod template of a workload (for CronJob, under spec.jobTemplate.spec). */
typedef struct {
    pn_labels labels;
    pn_pod shape;
    pn_labels node_selector;
} template;

static int decode_template(ctx *c, const pn_doc_node *spec, const char *path, template *t)
{
    char field[300];
    const pn_doc_node *tpl =
        get_map(c, spec, "template", path_join(field, sizeof field, path, ".template"));
    if (!tpl) {
        ERR(c, spec ? spec : c->obj, field, "a pod template is required");
        return -1;
    }
    char lpath[300];
    const pn_doc_node *md =
        get_map(c, tpl, "metadata", path_join(lpath, sizeof lpath, field, ".metadata"));
    if (decode_labels(
            c, get_map(c, md, "labels", path_join(lpath, sizeof lpath, field, ".metadata.labels")),
            lpath, &t->labels) != 0)
        return -1;
    char spath[300];
    path_join(spath, sizeof spath, field, ".spec");
    const pn_doc_node *pspec = get_map(c, tpl, "spec", spath);
    char npath[320];
    path_join(npath, sizeof npath, spath, ".nodeSelector");
    if (decode_labels(c, get_map(c, pspec, "nodeSelector", npath), npath, &t->node_selector) != 0)
        return -1;
    t->shape = (pn_pod){0};
    return decode_pod_spec(c, pspec, spath, &t->shape);
}

/* spec.selector must select the template's labels, as apps/v1 validation requires. */
static int check_workload_selector(ctx *c, const pn_doc_node *spec, const template *t,
                                   bool required)
{
    const pn_doc_node *sn = pn_doc_get(spec, "selector");
    if (pn_doc_is_null(sn)) {
        if (required)
            ERR(c, spec, "spec.selector", "spec.selector is required");
        return required ? -1 : 0;
    }
    pn_selector *sel;
    if (sn->kind == PN_DOC_MAP && c->kind && strcmp(c->kind, "ReplicationController") == 0) {
        pn_labels l;
        if (decode_labels(c, sn, "spec.selector", &l) != 0)
            return -1;
        for (size_t i = 0; i < l.count; i++) {
            const char *v = pn_labels_get(&t->labels, l.items[i].key);
            if (!v || strcmp(v, l.items[i].value) != 0) {
                ERR(c, sn, "spec.selector", "selector does not match template labels");
                return -1;
            }
        }
        return 0;
    }
    sel = decode_selector(c, sn, "spec.selector");
    if (!sel)
        return -1;
    if (sel->count == 0 && required) {
        ERR(c, sn, "spec.selector", "empty selector is invalid for a workload");
        return -1;
    }
    if (!pn_selector_matches(sel, &t->labels)) {
        ERR(c, sn, "spec.selector", "selector does not match template labels");
        return -1;
    }
    return 0;
}

static void decode_aws_node_env(ctx *c, const pn_doc_node *spec);

/* A workload becomes a pod source; pn__world_finish expands it into pods named
 * <name>-<ordinal> (DaemonSets: <name>-<node>) with the template's labels and ports. */
static void decode_workload(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    const char *kind = c->kind;
    const pn_doc_node *pod_parent = spec;
    const char *tpath = "spec";
    if (strcmp(kind, "CronJob") == 0) {
        const pn_doc_node *jt = get_map(c, spec, "jobTemplate", "spec.jobTemplate");
        pod_parent = get_map(c, jt, "spec", "spec.jobTemplate.spec");
        tpath = "spec.jobTemplate.spec";
        if (!pod_parent) {
            ERR(c, spec, "spec.jobTemplate.spec", "a job template is required");
            return;
        }
    }
    template t;
    if (decode_template(c, pod_parent, tpath, &t) != 0)
        return;
    bool is_job = strcmp(kind, "Job") == 0 || strcmp(kind, "CronJob") == 0;
    bool needs_selector = !is_job && strcmp(kind, "ReplicationController") != 0;
    if (check_workload_selector(c, pod_parent, &t, needs_selector) != 0)
        return;
    if (strcmp(kind, "DaemonSet") == 0 && strcmp(m.name, "aws-node") == 0)
        decode_aws_node_env(c, spec);
    pn_pod_source src = {.kind = kind,
                         .ns_name = m.ns,
                         .name = m.name,
                         .labels = t.labels,
                         .shape = t.shape,
                         .node_selector = t.node_selector,
                         .daemon = strcmp(kind, "DaemonSet") == 0,
                         .origin = origin_of(c, c->obj)};
    if (is_job)
        src.replicas = get_int(c, pod_parent, "parallelism", "spec.parallelism", 0, 100000, 1);
    else
        src.replicas = get_int(c, spec, "replicas", "spec.replicas", 0, 1000000, 1);
    if (register_object(c, kind, m.ns, m.name) != 0)
        return;
    pn__world_namespace(c->w, m.ns);
    pn__world_add_source(c->w, &src);
}

/* ---- NetworkPolicy ---- */

static const char *const np_top_fields[] = {"apiVersion", "kind",   "metadata",
                                            "spec",       "status", NULL};
static const char *const np_spec_fields[] = {"podSelector", "policyTypes", "ingress", "egress",
                                             NULL};
static const char *const np_ingress_fields[] = {"from", "ports", NULL};
static const char *const np_egress_fields[] = {"to", "ports", NULL};
static const char *const np_peer_fields[] = {"podSelector", "namespaceSelector", "ipBlock", NULL};
static const char *const np_ipblock_fields[] = {"cidr", "except", NULL};
static const char *const np_port_fields[] = {"protocol", "port", "endPort", NULL};

static int decode_ipblock(ctx *c, const pn_doc_node *ib, const char *path, pn_netpol_peer *peer)
{
    char field[400];
    check_fields(c, ib, path, np_ipblock_fields);
    const char *cidr = get_string(c, ib, "cidr", path_join(field, sizeof field, path, ".cidr"));
    if (!cidr) {
        ERR(c, ib, field, "ipBlock.cidr is required");
        return -1;
    }
    const char *why;
    if (pn_cidr_parse(cidr, &peer->cidr, &why) != 0) {
        ERR(c, pn_doc_get(ib, "cidr"), field, "invalid CIDR \"%s\": %s", cidr, why);
        return -1;
    }
    peer->has_ipblock = true;
    const pn_doc_node *ex =
        get_seq(c, ib, "except", path_join(field, sizeof field, path, ".except"));
    if (!ex)
        return pn_doc_get(ib, "except") && !pn_doc_is_null(pn_doc_get(ib, "except")) ? -1 : 0;
    peer->except = pn_arena_alloc(c->w->arena, sizeof(pn_cidr) * (ex->count + 1));
    int rc = 0;
    for (size_t i = 0; i < ex->count; i++) {
        char epath[420];
        path_join(epath, sizeof epath, field, "[%zu]", i);
        const char *e = as_string(c, ex->items[i], epath);
        pn_cidr ec;
        if (!e) {
            rc = -1;
        } else if (pn_cidr_parse(e, &ec, &why) != 0) {
            ERR(c, ex->items[i], epath, "invalid CIDR \"%s\": %s", e, why);
            rc = -1;
        } else if (!pn_cidr_strict_subset(&ec, &peer->cidr)) {
            ERR(c, ex->items[i], epath, "except %s must be a strict subset of cidr %s", e, cidr);
            rc = -1;
        } else {
            peer->except[peer->except_count++] = ec;
        }
    }
    return rc;
}

static int decode_peer(ctx *c, const pn_doc_node *p, const char *path, pn_netpol_peer *peer)
{
    char field[400];
    if (p->kind != PN_DOC_MAP) {
        ERR(c, p, path, "a peer must be a mapping with podSelector, namespaceSelector or ipBlock");
        return -1;
    }
    check_fields(c, p, path, np_peer_fields);
    const pn_doc_node *ps = pn_doc_get(p, "podSelector");
    const pn_doc_node *ns = pn_doc_get(p, "namespaceSelector");
    const pn_doc_node *ib = pn_doc_get(p, "ipBlock");
    bool has_ps = !pn_doc_is_null(ps), has_ns = !pn_doc_is_null(ns), has_ib = !pn_doc_is_null(ib);
    if (!has_ps && !has_ns && !has_ib) {
        ERR(c, p, path, "must specify a peer (podSelector, namespaceSelector or ipBlock)");
        return -1;
    }
    if (has_ib && (has_ps || has_ns)) {
        ERR(c, ib, path, "ipBlock may not be combined with podSelector or namespaceSelector");
        return -1;
    }
    if (has_ib) {
        if (ib->kind != PN_DOC_MAP) {
            ERR(c, ib, path, "ipBlock must be a mapping");
            return -1;
        }
        return decode_ipblock(c, ib, path_join(field, sizeof field, path, ".ipBlock"), peer);
    }
    int rc = 0;
    if (has_ps && !(peer->pod_selector = decode_selector(
                        c, ps, path_join(field, sizeof field, path, ".podSelector"))))
        rc = -1;
    if (has_ns && !(peer->ns_selector = decode_selector(
                        c, ns, path_join(field, sizeof field, path, ".namespaceSelector"))))
        rc = -1;
    return rc;
}

static int decode_np_port(ctx *c, const pn_doc_node *p, const char *path, pn_netpol_port *out)
{
    char field[400];
    if (p->kind != PN_DOC_MAP) {
        ERR(c, p, path, "a port entry must be a mapping with protocol, port and endPort");
        return -1;
    }
    check_fields(c, p, path, np_port_fields);
    *out = (pn_netpol_port){.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_ALL};
    const char *proto =
        get_string(c, p, "protocol", path_join(field, sizeof field, path, ".protocol"));
    if (proto && pn_proto_parse(proto, &out->proto) != 0) {
        ERR(c, pn_doc_get(p, "protocol"), field, "protocol must be TCP, UDP or SCTP, not \"%s\"",
            proto);
        return -1;
    }
    const pn_doc_node *port = pn_doc_get(p, "port");
    const pn_doc_node *end = pn_doc_get(p, "endPort");
    path_join(field, sizeof field, path, ".port");
    if (!pn_doc_is_null(port)) {
        pn_scalar_type t = port->kind == PN_DOC_SCALAR ? pn_doc_scalar_type(port) : PN_SCALAR_NULL;
        if (t == PN_SCALAR_INT) {
            int64_t v;
            if (pn_doc_int(port, 1, 65535, &v) != 0) {
                ERR(c, port, field, "port %s is out of range 1..65535", port->text);
                return -1;
            }
            out->kind = PN_NP_PORT_NUMBER;
            out->port = out->end_port = (uint16_t)v;
        } else if (t == PN_SCALAR_STRING) {
            if (!pn_port_name_valid(port->text)) {
                ERR(c, port, field,
                    "\"%s\" is not a valid port name (at most 15 of a-z, 0-9 and '-', with a "
                    "letter; numbers must not be quoted)",
                    port->text);
                return -1;
            }
            out->kind = PN_NP_PORT_NAMED;
            out->name = port->text;
        } else {
            ERR(c, port, field, "port must be a number or a port name, not %s",
                pn_doc_type_name(port));
            return -1;
        }
    }
    if (!pn_doc_is_null(end)) {
        path_join(field, sizeof field, path, ".endPort");
        if (out->kind != PN_NP_PORT_NUMBER) {
            ERR(c, end, field, "endPort requires a numeric port%s",
                out->kind == PN_NP_PORT_NAMED ? " (it cannot be used with a named port)" : "");
            return -1;
        }
        int64_t v;
        if (pn_doc_int(end, 1, 65535, &v) != 0) {
            ERR(c, end, field, "endPort must be an integer in 1..65535");
            return -1;
        }
        if (v < out->port) {
            ERR(c, end, field, "endPort %lld must be greater than or equal to port %u",
                (long long)v, out->port);
            return -1;
        }
        out->end_port = (uint16_t)v;
    }
    return 0;
}

static int decode_rules(ctx *c, const pn_doc_node *spec, pn_direction dir, pn_netpol *np)
{
    const char *key = dir == PN_INGRESS ? "ingress" : "egress";
    const char *peers_key = dir == PN_INGRESS ? "from" : "to";
    const pn_doc_node *list =
        get_seq(c, spec, key, dir == PN_INGRESS ? "spec.ingress" : "spec.egress");
    if (!list)
        return pn_doc_is_null(pn_doc_get(spec, key)) ? 0 : -1;
    pn_arena *a = c->w->arena;
    np->rules[dir] = pn_arena_alloc(a, sizeof(pn_netpol_rule) * (list->count + 1));
    np->rule_count[dir] = list->count;
    int rc = 0;
    for (size_t i = 0; i < list->count; i++) {
        const pn_doc_node *r = list->items[i];
        pn_netpol_rule *rule = &np->rules[dir][i];
        char rpath[200], field[300];
        path_join(rpath, sizeof rpath, "spec", ".%s[%zu]", key, i);
        if (pn_doc_is_null(r))
            continue; /* "- {}" and "-" both mean an empty rule */
        if (r->kind != PN_DOC_MAP) {
            ERR(c, r, rpath, "a rule must be a mapping");
            rc = -1;
            continue;
        }
        check_fields(c, r, rpath, dir == PN_INGRESS ? np_ingress_fields : np_egress_fields);
        const pn_doc_node *peers =
            get_seq(c, r, peers_key, path_join(field, sizeof field, rpath, ".%s", peers_key));
        if (peers) {
            rule->peers = pn_arena_alloc(a, sizeof(pn_netpol_peer) * (peers->count + 1));
            for (size_t j = 0; j < peers->count; j++) {
                char ppath[320];
                path_join(ppath, sizeof ppath, field, "[%zu]", j);
                if (decode_peer(c, peers->items[j], ppath, &rule->peers[rule->peer_count++]) != 0)
                    rc = -1;
            }
        } else if (!pn_doc_is_null(pn_doc_get(r, peers_key))) {
            rc = -1;
        }
        const pn_doc_node *ports =
            get_seq(c, r, "ports", path_join(field, sizeof field, rpath, ".ports"));
        if (ports) {
            rule->ports = pn_arena_alloc(a, sizeof(pn_netpol_port) * (ports->count + 1));
            for (size_t j = 0; j < ports->count; j++) {
                char ppath[320];
                path_join(ppath, sizeof ppath, field, "[%zu]", j);
                if (decode_np_port(c, ports->items[j], ppath, &rule->ports[rule->port_count++]) !=
                    0)
                    rc = -1;
            }
        } else if (!pn_doc_is_null(pn_doc_get(r, "ports"))) {
            rc = -1;
        }
    }
    return rc;
}

static void decode_netpol(ctx *c)
{
    check_fields(c, c->obj, NULL, np_top_fields);
    meta m;
    if (decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    check_fields(c, spec, "spec", np_spec_fields);
    pn_netpol np = {.name = m.name, .ns_name = m.ns};
    int rc = 0;
    const pn_doc_node *ps = pn_doc_get(spec, "podSelector");
    const pn_selector *sel = decode_selector(c, ps, "spec.podSelector");
    if (sel)
        np.pod_selector = *sel;
    else
        rc = -1;
    if (decode_rules(c, spec, PN_INGRESS, &np) != 0)
        rc = -1;
    if (decode_rules(c, spec, PN_EGRESS, &np) != 0) /* report both lists' problems */
        rc = -1;
    const pn_doc_node *types = get_seq(c, spec, "policyTypes", "spec.policyTypes");
    if (types && types->count > 0) {
        if (types->count > 2) {
            ERR(c, types, "spec.policyTypes", "at most two policyTypes (Ingress and Egress)");
            rc = -1;
        }
        for (size_t i = 0; i < types->count; i++) {
            const char *t = as_string(c, types->items[i], "spec.policyTypes");
            if (!t) { /* as_string said what is wrong */
                rc = -1;
                continue;
            }
            unsigned bit = 0;
            if (t && strcmp(t, "Ingress") == 0)
                bit = PN_TYPE_INGRESS;
            else if (t && strcmp(t, "Egress") == 0)
                bit = PN_TYPE_EGRESS;
            if (!bit) {
                ERR(c, types->items[i], "spec.policyTypes",
                    "policyTypes entries must be Ingress or Egress%s%s%s", t ? ", not \"" : "",
                    t ? t : "", t ? "\"" : "");
                rc = -1;
            } else if (np.types & bit) {
                ERR(c, types->items[i], "spec.policyTypes", "duplicate policyType \"%s\"", t);
                rc = -1;
            }
            np.types |= bit;
        }
    } else {
        np.types = pn_netpol_default_types(np.rule_count[PN_EGRESS]);
    }
    if (rc != 0 || register_object(c, "NetworkPolicy", m.ns, m.name) != 0)
        return;
    np.ns = pn__world_namespace(c->w, m.ns);
    pn_world *w = c->w;
    PN_GROW(w->policies, w->policy_count, w->policy_cap);
    w->policies[w->policy_count++] = np;
}

/* ---- Services and EndpointSlices ---- */

static const char *const service_spec_fields[] = {"type",
                                                  "clusterIP",
                                                  "clusterIPs",
                                                  "ports",
                                                  "selector",
                                                  "externalName",
                                                  "sessionAffinity",
                                                  "sessionAffinityConfig",
                                                  "internalTrafficPolicy",
                                                  "externalTrafficPolicy",
                                                  "publishNotReadyAddresses",
                                                  "ipFamilies",
                                                  "ipFamilyPolicy",
                                                  "externalIPs",
                                                  "loadBalancerIP",
                                                  "loadBalancerSourceRanges",
                                                  "loadBalancerClass",
                                                  "allocateLoadBalancerNodePorts",
                                                  "healthCheckNodePort",
                                                  "trafficDistribution",
                                                  NULL};
static const char *const service_port_fields[] = {
    "name", "port", "targetPort", "protocol", "nodePort", "appProtocol", NULL};

static int decode_service_ports(ctx *c, const pn_doc_node *list, const char *path,
                                pn_service_port **out, size_t *count, bool slice)
{
    *count = 0;
    *out = pn_arena_alloc(c->w->arena, sizeof(pn_service_port) * ((list ? list->count : 0) + 1));
    int rc = 0;
    for (size_t i = 0; list && i < list->count; i++) {
        const pn_doc_node *p = list->items[i];
        char ppath[200], field[260];
        path_join(ppath, sizeof ppath, path, "[%zu]", i);
        if (p->kind != PN_DOC_MAP) {
            ERR(c, p, ppath, "a port must be a mapping");
            rc = -1;
            continue;
        }
        check_fields(c, p, ppath, service_port_fields);
        pn_service_port sp = {.proto = PN_PROTO_TCP};
        sp.name = get_string(c, p, "name", path_join(field, sizeof field, ppath, ".name"));
        const char *proto =
            get_string(c, p, "protocol", path_join(field, sizeof field, ppath, ".protocol"));
        if (proto && pn_proto_parse(proto, &sp.proto) != 0) {
            ERR(c, pn_doc_get(p, "protocol"), field, "protocol must be TCP, UDP or SCTP");
            rc = -1;
        }
        if (!pn_doc_get(p, "port")) {
            ERR(c, p, ppath, "port is required");
            rc = -1;
            continue;
        }
        sp.port = (uint16_t)get_int(c, p, "port", path_join(field, sizeof field, ppath, ".port"), 1,
                                    65535, 0);
        sp.target_port = sp.port;
        const pn_doc_node *target = pn_doc_get(p, "targetPort");
        path_join(field, sizeof field, ppath, ".targetPort");
        if (slice) {
            /* nothing: an EndpointSlice port is the endpoints' port itself */
        } else if (target && target->kind == PN_DOC_SCALAR &&
                   pn_doc_scalar_type(target) == PN_SCALAR_STRING) {
            if (!pn_port_name_valid(target->text)) {
                ERR(c, target, field, "\"%s\" is not a valid port name", target->text);
                rc = -1;
            }
            sp.target_name = target->text;
        } else if (!pn_doc_is_null(target)) {
            sp.target_port = (uint16_t)get_int(c, p, "targetPort", field, 1, 65535, sp.port);
        }
        const pn_doc_node *np = pn_doc_get(p, "nodePort");
        if (!pn_doc_is_null(np))
            sp.node_port = (uint16_t)get_int(c, p, "nodePort",
                                             path_join(field, sizeof field, ppath, ".nodePort"),
                                             30000, 32767, 0);
        if (sp.port == 0)
            rc = -1;
        (*out)[(*count)++] = sp;
    }
    return rc;
}

static void decode_service(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    check_fields(c, spec, "spec", service_spec_fields);
    pn_service svc = {.name = m.name, .ns_name = m.ns, .type = PN_SVC_CLUSTER_IP};
    int rc = 0;
    const char *type = get_string(c, spec, "type", "spec.type");
    if (type && pn_service_type_parse(type, &svc.type) != 0) {
        ERR(c, pn_doc_get(spec, "type"), "spec.type",
            "type must be ClusterIP, NodePort, LoadBalancer or ExternalName, not \"%s\"", type);
        rc = -1;
    }
    const char *ip = get_string(c, spec, "clusterIP", "spec.clusterIP");
    if (ip && strcmp(ip, "None") == 0) {
        svc.headless = true;
        if (svc.type != PN_SVC_CLUSTER_IP) {
            ERR(c, pn_doc_get(spec, "clusterIP"), "spec.clusterIP",
                "clusterIP: None (headless) is only for type ClusterIP");
            rc = -1;
        }
    } else if (ip && *ip && pn_ipv4_parse(ip, &svc.cluster_ip) != 0) {
        ERR(c, pn_doc_get(spec, "clusterIP"), "spec.clusterIP", "\"%s\" is not an IPv4 address",
            ip);
        rc = -1;
    }
    svc.external_name = get_string(c, spec, "externalName", "spec.externalName");
    if (svc.type == PN_SVC_EXTERNAL_NAME && !svc.external_name) {
        ERR(c, spec, "spec.externalName", "an ExternalName Service needs spec.externalName");
        rc = -1;
    }
    const pn_doc_node *etp = pn_doc_get(spec, "externalTrafficPolicy");
    const char *etp_text = etp && etp->kind == PN_DOC_SCALAR ? etp->text : NULL;
    if (etp_text && strcmp(etp_text, "Local") != 0 && strcmp(etp_text, "Cluster") != 0) {
        ERR(c, etp, "spec.externalTrafficPolicy", "must be Cluster or Local, not \"%s\"", etp_text);
        rc = -1;
    }
    svc.external_local = etp_text && strcmp(etp_text, "Local") == 0;
    const pn_doc_node *itp = pn_doc_get(spec, "internalTrafficPolicy");
    const char *itp_text =
        get_string(c, spec, "internalTrafficPolicy", "spec.internalTrafficPolicy");
    if (itp_text && strcmp(itp_text, "Local") != 0 && strcmp(itp_text, "Cluster") != 0) {
        ERR(c, itp, "spec.internalTrafficPolicy", "must be Cluster or Local, not \"%s\"", itp_text);
        rc = -1;
    }
    svc.internal_local = itp_text && strcmp(itp_text, "Local") == 0;
    const char *affinity = get_string(c, spec, "sessionAffinity", "spec.sessionAffinity");
    const pn_doc_node *affinity_config = pn_doc_get(spec, "sessionAffinityConfig");
    if (affinity && strcmp(affinity, "None") != 0 && strcmp(affinity, "ClientIP") != 0) {
        ERR(c, pn_doc_get(spec, "sessionAffinity"), "spec.sessionAffinity",
            "must be None or ClientIP, not \"%s\"", affinity);
        rc = -1;
    } else if (affinity && strcmp(affinity, "ClientIP") == 0) {
        const pn_doc_node *client_ip =
            get_map(c, get_map(c, spec, "sessionAffinityConfig", "spec.sessionAffinityConfig"),
                    "clientIP", "spec.sessionAffinityConfig.clientIP");
        svc.affinity_seconds =
            (int)get_int(c, client_ip, "timeoutSeconds",
                         "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 1, 86400, 10800);
    } else if (!pn_doc_is_null(affinity_config)) {
        ERR(c, affinity_config, "spec.sessionAffinityConfig",
            "must not be set when sessionAffinity is None");
        rc = -1;
    }
    const pn_doc_node *eips = pn_doc_get(spec, "externalIPs");
    bool external = svc.type == PN_SVC_NODE_PORT || svc.type == PN_SVC_LOAD_BALANCER ||
                    (eips && eips->kind == PN_DOC_SEQ && eips->count > 0);
    if (etp && !pn_doc_is_null(etp) && !external) {
        ERR(c, etp, "spec.externalTrafficPolicy",
            "may only be set for externally-accessible services");
        rc = -1;
    }
    svc.publish_not_ready =
        get_bool(c, spec, "publishNotReadyAddresses", "spec.publishNotReadyAddresses");
    const pn_doc_node *sel = get_map(c, spec, "selector", "spec.selector");
    if (sel && decode_labels(c, sel, "spec.selector", &svc.selector) != 0)
        rc = -1;
    svc.has_selector = sel && svc.selector.count > 0;
    const pn_doc_node *ports = get_seq(c, spec, "ports", "spec.ports");
    if (decode_service_ports(c, ports, "spec.ports", &svc.ports, &svc.port_count, false) != 0)
        rc = -1;
    if (svc.port_count > 1)
        for (size_t i = 0; i < svc.port_count; i++)
            if (!svc.ports[i].name) {
                ERR(c, ports->items[i], "spec.ports",
                    "every port needs a name when a Service "
                    "has several");
                rc = -1;
                break;
            }
    if (svc.type != PN_SVC_EXTERNAL_NAME && !svc.headless && svc.port_count == 0) {
        ERR(c, spec, "spec.ports", "a Service needs at least one port");
        rc = -1;
    }
    if (rc != 0 || register_object(c, "Service", m.ns, m.name) != 0)
        return;
    pn__world_namespace(c->w, m.ns);
    pn_world *w = c->w;
    size_t cap = w->service_cap;
    PN_GROW(w->services, w->service_count, w->service_cap);
    if (cap != w->service_cap)
        w->service_origins = pn_xrealloc(w->service_origins, w->service_cap, sizeof(pn_origin));
    w->service_origins[w->service_count] = origin_of(c, c->obj);
    w->services[w->service_count++] = svc;
}

static const char *const slice_fields[] = {"apiVersion", "kind",  "metadata", "addressType",
                                           "endpoints",  "ports", NULL};

static void decode_endpointslice(ctx *c)
{
    check_fields(c, c->obj, NULL, slice_fields);
    meta m;
    if (decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    pn_endpoint_slice sl = {.name = m.name, .ns_name = m.ns};
    sl.service = pn_labels_get(&m.labels, "kubernetes.io/service-name");
    const char *type = get_string(c, c->obj, "addressType", "addressType");
    if (type && strcmp(type, "IPv4") != 0) {
        /* IPv6 and FQDN slices are read and set aside */
        register_object(c, "EndpointSlice", m.ns, m.name);
        return;
    }
    int rc = 0;
    const pn_doc_node *eps = get_seq(c, c->obj, "endpoints", "endpoints");
    sl.endpoints =
        pn_arena_alloc(c->w->arena, sizeof(pn_slice_endpoint) * ((eps ? eps->count : 0) * 4 + 1));
    for (size_t i = 0; eps && i < eps->count; i++) {
        const pn_doc_node *ep = eps->items[i];
        const pn_doc_node *addrs = get_seq(c, ep, "addresses", "endpoints[].addresses");
        const pn_doc_node *cond = get_map(c, ep, "conditions", "endpoints[].conditions");
        /* Absent conditions: ready means ready, serving follows ready, terminating is false. */
        const pn_doc_node *ready = pn_doc_get(cond, "ready");
        bool is_ready =
            pn_doc_is_null(ready) || get_bool(c, cond, "ready", "endpoints[].conditions.ready");
        const pn_doc_node *serving = pn_doc_get(cond, "serving");
        bool is_serving = pn_doc_is_null(serving)
                              ? is_ready
                              : get_bool(c, cond, "serving", "endpoints[].conditions.serving");
        bool is_terminating =
            get_bool(c, cond, "terminating", "endpoints[].conditions.terminating");
        const char *node = get_string(c, ep, "nodeName", "endpoints[].nodeName");
        for (size_t k = 0; addrs && k < addrs->count && k < 4; k++) {
            const char *a = as_string(c, addrs->items[k], "endpoints[].addresses");
            pn_ipv4 ip;
            if (!a || pn_ipv4_parse(a, &ip) != 0) {
                ERR(c, addrs->items[k], "endpoints[].addresses", "not an IPv4 address");
                rc = -1;
                continue;
            }
            sl.endpoints[sl.endpoint_count++] =
                (pn_slice_endpoint){ip, is_ready, is_serving, is_terminating, node};
        }
    }
    if (decode_service_ports(c, get_seq(c, c->obj, "ports", "ports"), "ports", &sl.ports,
                             &sl.port_count, true) != 0)
        rc = -1;
    if (rc != 0 || register_object(c, "EndpointSlice", m.ns, m.name) != 0)
        return;
    pn_world *w = c->w;
    PN_GROW(w->slices, w->endpointslice_count, w->slice_cap);
    w->slices[w->endpointslice_count++] = sl;
}

/* ---- AWS: VPCs, subnets, route tables (EC2 API shapes), VPC CNI settings ---- */

/* The EC2 shapes (describe-vpcs, describe-subnets, describe-route-tables) are read as they are
 * printed, inside a podnet kind's spec or from the CLI's JSON ({"Vpcs": [...]}). */
static const char *const vpc_fields[] = {"VpcId",
                                         "CidrBlock",
                                         "CidrBlockAssociationSet",
                                         "State",
                                         "OwnerId",
                                         "InstanceTenancy",
                                         "IsDefault",
                                         "DhcpOptionsId",
                                         "Tags",
                                         "Ipv6CidrBlockAssociationSet",
                                         "BlockPublicAccessStates",
                                         NULL};

/* Name from metadata.name, else a Tags entry Name, else the id. */
static const char *aws_name(ctx *c, const pn_doc_node *meta_name, const pn_doc_node *item,
                            const char *id)
{
    if (meta_name)
        return meta_name->text;
    const pn_doc_node *tags = pn_doc_get(item, "Tags");
    for (size_t i = 0; tags && tags->kind == PN_DOC_SEQ && i < tags->count; i++) {
        const char *k = get_string(c, tags->items[i], "Key", "Tags[].Key");
        const char *v = get_string(c, tags->items[i], "Value", "Tags[].Value");
        if (k && v && strcmp(k, "Name") == 0)
            return v;
    }
    return id;
}

static bool parse_block(ctx *c, const pn_doc_node *n, const char *path, pn_cidr *out)
{
    const char *text = as_string(c, n, path);
    const char *why;
    if (!text) {
        if (!n)
            ERR(c, c->obj, path, "a CIDR block is required");
        return false;
    }
    if (pn_cidr_parse(text, out, &why) != 0) {
        ERR(c, n, path, "invalid CIDR \"%s\": %s", text, why);
        return false;
    }
    if (out->family != 4) {
        ERR(c, n, path, "%s: only IPv4 blocks are modelled", text);
        return false;
    }
    return true;
}

static void decode_vpc_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a VPC must be a mapping");
        return;
    }
    check_fields(c, item, NULL, vpc_fields);
    pn_vpc v = {0};
    v.id = get_string(c, item, "VpcId", "VpcId");
    v.name = aws_name(c, meta_name, item, v.id);
    c->kind = "VPC";
    c->name = v.name;
    if (!v.name) {
        ERR(c, item, NULL, "a VPC needs metadata.name or VpcId");
        return;
    }
    pn_cidr block;
    if (parse_block(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", &block))
        v.cidrs[v.cidr_count++] = block;
    const pn_doc_node *set = get_seq(c, item, "CidrBlockAssociationSet", "CidrBlockAssociationSet");
    for (size_t i = 0; set && i < set->count; i++) {
        if (!parse_block(c, pn_doc_get(set->items[i], "CidrBlock"),
                         "CidrBlockAssociationSet[].CidrBlock", &block))
            continue;
        bool seen = false;
        for (size_t k = 0; k < v.cidr_count; k++)
            seen |= v.cidrs[k].addr == block.addr && v.cidrs[k].len == block.len;
        if (!seen && v.cidr_count < PN_VPC_MAX_CIDRS)
            v.cidrs[v.cidr_count++] = block;
    }
    if (register_object(c, "VPC", NULL, v.name) != 0)
        return;
    pn_world *w = c->w;
    PN_GROW(w->vpcs, w->vpc_count, w->vpc_cap);
    w->vpcs[w->vpc_count++] = v;
}

static const char *const subnet_fields[] = {"SubnetId",
                                            "VpcId",
                                            "CidrBlock",
                                            "AvailabilityZone",
                                            "AvailabilityZoneId",
                                            "Tags",
                                            "State",
                                            "AvailableIpAddressCount",
                                            "DefaultForAz",
                                            "MapPublicIpOnLaunch",
                                            "OwnerId",
                                            "SubnetArn",
                                            "AssignIpv6AddressOnCreation",
                                            "Ipv6CidrBlockAssociationSet",
                                            "EnableDns64",
                                            "Ipv6Native",
                                            "PrivateDnsNameOptionsOnLaunch",
                                            "MapCustomerOwnedIpOnLaunch",
                                            "EnableLniAtDeviceIndex",
                                            "BlockPublicAccessStates",
                                            "Allocated",
                                            NULL};

static void decode_subnet_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a subnet must be a mapping");
        return;
    }
    check_fields(c, item, NULL, subnet_fields);
    pn_subnet sn = {0};
    sn.id = get_string(c, item, "SubnetId", "SubnetId");
    sn.name = aws_name(c, meta_name, item, sn.id);
    c->kind = "Subnet";
    c->name = sn.name;
    if (!sn.name) {
        ERR(c, item, NULL, "a subnet needs metadata.name or SubnetId");
        return;
    }
    sn.vpc = get_string(c, item, "VpcId", "VpcId");
    sn.zone = get_string(c, item, "AvailabilityZone", "AvailabilityZone");
    if (!parse_block(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", &sn.cidr))
        return;
    const char *why = pn_subnet_cidr_check(&sn.cidr);
    if (why) {
        ERR(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", "%s", why);
        return;
    }
    const pn_doc_node *allocated = get_seq(c, item, "Allocated", "Allocated");
    if (register_object(c, "Subnet", NULL, sn.name) != 0)
        return;
    pn_world *w = c->w;
    size_t cap = w->subnet_cap;
    PN_GROW(w->subnets, w->subnet_count, w->subnet_cap);
    if (cap != w->subnet_cap) {
        w->subnet_origins = pn_xrealloc(w->subnet_origins, w->subnet_cap, sizeof(pn_origin));
        w->subnet_allocated =
            pn_xrealloc(w->subnet_allocated, w->subnet_cap, sizeof(pn_doc_node *));
    }
    w->subnet_origins[w->subnet_count] = origin_of(c, item);
    w->subnet_allocated[w->subnet_count] = allocated;
    w->subnets[w->subnet_count++] = sn;
}

static void decode_route_table_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a route table must be a mapping");
        return;
    }
    pn_route_table rt = {0};
    rt.id = get_string(c, item, "RouteTableId", "RouteTableId");
    rt.name = aws_name(c, meta_name, item, rt.id);
    rt.vpc = get_string(c, item, "VpcId", "VpcId");
    c->kind = "RouteTable";
    c->name = rt.name;
    if (!rt.name) {
        ERR(c, item, NULL, "a route table needs metadata.name or RouteTableId");
        return;
    }
    pn_arena *a = c->w->arena;
    const pn_doc_node *routes = get_seq(c, item, "Routes", "Routes");
    rt.routes = pn_arena_alloc(a, sizeof(pn_route) * ((routes ? routes->count : 0) + 1));
    for (size_t i = 0; routes && i < routes->count; i++) {
        const pn_doc_node *r = routes->items[i];
        pn_route route = {0};
        const pn_doc_node *dest = pn_doc_get(r, "DestinationCidrBlock");
        if (!dest)
            continue; /* IPv6 or prefix-list routes are not modelled */
        if (!parse_block(c, dest, "Routes[].DestinationCidrBlock", &route.destination))
            continue;
        const char *gw = get_string(c, r, "GatewayId", "Routes[].GatewayId");
        const char *nat = get_string(c, r, "NatGatewayId", "Routes[].NatGatewayId");
        const char *pcx =
            get_string(c, r, "VpcPeeringConnectionId", "Routes[].VpcPeeringConnectionId");
        if (gw && strcmp(gw, "local") == 0)
            route.target = PN_ROUTE_LOCAL;
        else if (gw && strncmp(gw, "igw-", 4) == 0)
            route.target = PN_ROUTE_IGW, route.target_id = gw;
        else if (nat)
            route.target = PN_ROUTE_NAT, route.target_id = nat;
        else if (pcx)
            route.target = PN_ROUTE_PEERING, route.target_id = pcx;
        else
            route.target = PN_ROUTE_OTHER, route.target_id = gw;
        rt.routes[rt.route_count++] = route;
    }
    const pn_doc_node *assoc = get_seq(c, item, "Associations", "Associations");
    rt.subnets = pn_arena_alloc(a, sizeof(char *) * ((assoc ? assoc->count : 0) + 1));
    for (size_t i = 0; assoc && i < assoc->count; i++) {
        const char *sub = get_string(c, assoc->items[i], "SubnetId", "Associations[].SubnetId");
        if (sub)
            rt.subnets[rt.subnet_count++] = sub;
    }
    if (register_object(c, "RouteTable", NULL, rt.name) != 0)
        return;
    pn_world *w = c->w;
    PN_GROW(w->route_tables, w->route_table_count, w->route_table_cap);
    w->route_tables[w->route_table_count++] = rt;
}

/* podnet kinds VPC, Subnet and RouteTable: metadata plus an EC2-shaped spec. */
static void decode_aws_kind(ctx *c, void (*item)(ctx *, const pn_doc_node *, const pn_doc_node *))
{
    const pn_doc_node *md = get_map(c, c->obj, "metadata", "metadata");
    const pn_doc_node *name = pn_doc_get(md, "name");
    if (name && (name->kind != PN_DOC_SCALAR || pn_doc_scalar_type(name) != PN_SCALAR_STRING)) {
        ERR(c, name, "metadata.name", "must be a string");
        return;
    }
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    item(c, spec, name);
}

static void decode_vpc(ctx *c)
{
    decode_aws_kind(c, decode_vpc_item);
}

static void decode_subnet(ctx *c)
{
    decode_aws_kind(c, decode_subnet_item);
}

static void decode_route_table(ctx *c)
{
    decode_aws_kind(c, decode_route_table_item);
}

/* The output of aws ec2 describe-vpcs / describe-subnets / describe-route-tables. */
static bool decode_describe_output(ctx *c, const pn_doc_node *obj)
{
    static const struct {
        const char *key;
        void (*item)(ctx *, const pn_doc_node *, const pn_doc_node *);
    } lists[] = {{"Vpcs", decode_vpc_item},
                 {"Subnets", decode_subnet_item},
                 {"RouteTables", decode_route_table_item}};
    bool found = false;
    for (size_t k = 0; k < 3; k++) {
        const pn_doc_node *list = pn_doc_get(obj, lists[k].key);
        if (!list)
            continue;
        found = true;
        if (c->pass != 1)
            continue;
        if (list->kind != PN_DOC_SEQ) {
            ERR(c, list, lists[k].key, "must be a list");
            continue;
        }
        for (size_t i = 0; i < list->count; i++) {
            c->obj = list->items[i];
            lists[k].item(c, list->items[i], NULL);
        }
    }
    return found;
}

/* The VPC CNI's environment: one setting. */
static void cni_setting(ctx *c, const char *name, const pn_doc_node *value, const char *path)
{
    const char *text = value && value->kind == PN_DOC_SCALAR ? value->text : NULL;
    const char *why;
    int rc = pn_cni_setting(&c->w->cni, name, text, &why);
    if (rc < 0)
        ERR(c, value ? value : c->obj, path, "%s=%s: %s", name, text ? text : "", why);
    if (rc == 0) {
        c->w->cni_origin = origin_of(c, c->obj);
        if (strcmp(name, "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS") == 0)
            c->w->cni.exclude_snat_cidrs = text;
    }
}

/* kind VpcCniConfig: spec.env is a mapping of the aws-node variables. */
static void decode_cni_config(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, false, NULL, &m) != 0 ||
        register_object(c, "VpcCniConfig", NULL, m.name) != 0)
        return;
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    const pn_doc_node *env = get_map(c, spec, "env", "spec.env");
    for (size_t i = 0; env && i + 1 < env->count; i += 2)
        cni_setting(c, env->items[i]->text, env->items[i + 1], "spec.env");
}

/* The aws-node DaemonSet of a cluster dump carries the settings in its container's env. */
static void decode_aws_node_env(ctx *c, const pn_doc_node *spec)
{
    const pn_doc_node *tpl = pn_doc_get(pn_doc_get(spec, "template"), "spec");
    const pn_doc_node *containers = pn_doc_get(tpl, "containers");
    for (size_t i = 0; containers && containers->kind == PN_DOC_SEQ && i < containers->count; i++) {
        const pn_doc_node *name = pn_doc_get(containers->items[i], "name");
        if (!name || name->kind != PN_DOC_SCALAR || strcmp(name->text, "aws-node") != 0)
            continue;
        const pn_doc_node *env = pn_doc_get(containers->items[i], "env");
        for (size_t k = 0; env && env->kind == PN_DOC_SEQ && k < env->count; k++) {
            const pn_doc_node *n = pn_doc_get(env->items[k], "name");
            const pn_doc_node *v = pn_doc_get(env->items[k], "value");
            if (n && n->kind == PN_DOC_SCALAR && v)
                cni_setting(c, n->text, v, "spec.template.spec.containers[].env");
        }
    }
}

/* crd.k8s.amazonaws.com/v1alpha1 ENIConfig: the pod subnet of custom networking. */
static void decode_eni_config(ctx *c)
{
    meta m;
    if (decode_metadata(c, c->obj, false, NULL, &m) != 0 ||
        register_object(c, "ENIConfig", NULL, m.name) != 0)
        return;
    const pn_doc_node *spec = get_map(c, c->obj, "spec", "spec");
    const char *subnet = get_string(c, spec, "subnet", "spec.subnet");
    if (!subnet) {
        ERR(c, spec ? spec : c->obj, "spec.subnet", "an ENIConfig needs spec.subnet");
        return;
    }
    pn_world *w = c->w;
    PN_GROW(w->eni_configs, w->eni_config_count, w->eni_config_cap);
    w->eni_configs[w->eni_config_count++] = (pn_eni_config){m.name, subnet};
}

/* ---- dispatch ---- */

typedef struct {
    const char *kind;
    const char *api_version;
    int pass;
    void (*decode)(ctx *c);
} kind_entry;

static const kind_entry kinds[] = {
    {"Namespace", "v1", 1, decode_namespace},
    {"Node", "v1", 1, decode_node},
    {"Pod", "v1", 2, decode_pod},
    {"Deployment", "apps/v1", 2, decode_workload},
    {"ReplicaSet", "apps/v1", 2, decode_workload},
    {"StatefulSet", "apps/v1", 2, decode_workload},
    {"DaemonSet", "apps/v1", 2, decode_workload},
    {"ReplicationController", "v1", 2, decode_workload},
    {"Job", "batch/v1", 2, decode_workload},
    {"CronJob", "batch/v1", 2, decode_workload},
    {"NetworkPolicy", "networking.k8s.io/v1", 2, decode_netpol},
    {"Service", "v1", 2, decode_service},
    {"EndpointSlice", "discovery.k8s.io/v1", 2, decode_endpointslice},
    {"VPC", "podnet.dev/v1alpha1", 1, decode_vpc},
    {"Subnet", "podnet.dev/v1alpha1", 1, decode_subnet},
    {"RouteTable", "podnet.dev/v1alpha1", 1, decode_route_table},
    {"VpcCniConfig", "podnet.dev/v1alpha1", 1, decode_cni_config},
    {"ENIConfig", "crd.k8s.amazonaws.com/v1alpha1", 1, decode_eni_config},
};

static void decode_object(ctx *c, const pn_doc_node *obj, const char *list_kind,
                          const char *list_api, int depth);

/* kind: List and typed lists (PodList...): each item is an object; typed lists' items may
 * omit kind and apiVersion. */
static void decode_list(ctx *c, const pn_doc_node *obj, const char *kind, const char *api,
                        int depth)
{
    const pn_doc_node *items = get_seq(c, obj, "items", "items");
    if (!items) {
        if (!pn_doc_get(obj, "items"))
            ERR(c, obj, "items", "a %s needs items", kind);
        return;
    }
    char item_kind[128] = "";
    if (strcmp(kind, "List") != 0)
        snprintf(item_kind, sizeof item_kind, "%.*s", (int)(strlen(kind) - 4), kind);
    for (size_t i = 0; i < items->count; i++)
        decode_object(c, items->items[i], item_kind[0] ? item_kind : NULL, api, depth + 1);
}

static void decode_object(ctx *c, const pn_doc_node *obj, const char *list_kind,
                          const char *list_api, int depth)
{
    c->obj = obj;
    c->kind = NULL;
    c->ns = NULL;
    c->name = NULL;
    if (obj->kind != PN_DOC_MAP) {
        if (c->pass == 2)
            ERR(c, obj, NULL, "a Kubernetes object must be a mapping, not %s",
                pn_doc_type_name(obj));
        return;
    }
    const char *kind = NULL, *api = NULL;
    const pn_doc_node *kn = pn_doc_get(obj, "kind"), *an = pn_doc_get(obj, "apiVersion");
    if (kn && kn->kind == PN_DOC_SCALAR)
        kind = kn->text;
    if (an && an->kind == PN_DOC_SCALAR)
        api = an->text;
    if (!kind)
        kind = list_kind;
    if (!api && list_kind)
        api = list_api;
    if ((!kind || !*kind) && decode_describe_output(c, obj))
        return;
    if (!kind || !*kind) {
        if (c->pass == 2)
            ERR(c, obj, NULL, "missing \"kind\"");
        return;
    }
    size_t klen = strlen(kind);
    if (strcmp(kind, "List") == 0 || (klen > 4 && strcmp(kind + klen - 4, "List") == 0)) {
        if (depth > 4) {
            if (c->pass == 2)
                ERR(c, obj, NULL, "lists nested too deeply");
            return;
        }
        decode_list(c, obj, kind, api, depth);
        return;
    }
    c->kind = kind;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kinds[i].kind, kind) != 0)
            continue;
        if (kinds[i].pass != c->pass)
            return;
        if (!api) {
            ERR(c, obj, NULL, "missing \"apiVersion\" (expected %s)", kinds[i].api_version);
            return;
        }
        if (strcmp(api, kinds[i].api_version) != 0) {
            ERR(c, an, "apiVersion", "%s must be apiVersion %s, not \"%s\"", kind,
                kinds[i].api_version, api);
            return;
        }
        if (kinds[i].decode != decode_netpol && kinds[i].decode != decode_service &&
            kinds[i].decode != decode_endpointslice)
            c->w->pods_dirty = true;
        kinds[i].decode(c);
        return;
    }
    if (c->pass != 2)
        return;
    const pn_doc_node *md = pn_doc_get(obj, "metadata");
    const pn_doc_node *nm = pn_doc_get(md, "name");
    c->name = nm && nm->kind == PN_DOC_SCALAR ? nm->text : NULL;
    pn_diag_severity sev = c->opt && c->opt->strict ? PN_DIAG_ERROR : PN_DIAG_WARNING;
    if (api && strncmp(api, "podnet.dev/", 11) == 0)
        report(c, sev, kn, NULL,
               "%s is not a cluster object; skipped here (pass it where that "
               "kind is read, e.g. --expect, or podnet run for a Scenario)",
               kind);
    else
        report(c, sev, kn, NULL, "kind %s is not modelled%s", kind,
               sev == PN_DIAG_ERROR ? " (--strict)" : "; skipped");
}

int pn__decode_documents(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                         pn_diags *diags)
{
    size_t errors = pn_diags_errors(diags);
    for (int pass = 1; pass <= 2; pass++)
        for (size_t i = 0; i < docs->count; i++) {
            if (pn_doc_is_null(docs->items[i].root))
                continue; /* an empty document, e.g. after a trailing "---" */
            ctx c = {.w = w, .diags = diags, .opt = opt, .file = docs->items[i].file, .pass = pass};
            decode_object(&c, docs->items[i].root, NULL, NULL, 0);
        }
    return pn_diags_errors(diags) > errors ? -1 : 0;
}
