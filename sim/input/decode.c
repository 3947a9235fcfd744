/* decode — the pure decoder's entry point and shared helpers: document trees into a batch of
 * declarations (sim/input/decode.h), with `kind: List` flattening and dispatch by kind to
 * k8s.c and aws.c. Every problem is reported as
 * "file:line:column: error: what (object Kind ns/name, field path)". */
#include "sim/input/decode_int.h"

#include "sim/base/error.h"
#include "sim/input/fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What pn__decode_check_fields passes to its callback. */
typedef struct {
    ctx *c;
    const char *path;
} unknown_ctx;

void pn__decode_report(ctx *c, pn_diag_severity sev, const pn_doc_node *at, const char *path,
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

/* Reports one unknown key (pn_fields_check's callback). */
static void unknown_field(void *ctxp, const pn_doc_node *key, const char *suggestion)
{
    unknown_ctx *u = ctxp;
    char field[300];
    snprintf(field, sizeof field, "%s%s%s", u->path ? u->path : "", u->path ? "." : "", key->text);
    if (suggestion)
        ERR(u->c, key, field, "unknown field \"%s\"; did you mean \"%s\"?", key->text, suggestion);
    else
        ERR(u->c, key, field, "unknown field \"%s\"", key->text);
}

void pn__decode_check_fields(ctx *c, const pn_doc_node *map, const char *path,
                             const char *const *allowed)
{
    unknown_ctx u = {c, path};
    pn_fields_check(map, allowed, unknown_field, &u);
}

const pn_doc_node *pn__decode_map(ctx *c, const pn_doc_node *parent, const char *key,
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

const pn_doc_node *pn__decode_seq(ctx *c, const pn_doc_node *parent, const char *key,
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
const char *pn__decode_as_string(ctx *c, const pn_doc_node *n, const char *path)
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

const char *pn__decode_string(ctx *c, const pn_doc_node *parent, const char *key, const char *path)
{
    return pn__decode_as_string(c, pn_doc_get(parent, key), path);
}

bool pn__decode_bool(ctx *c, const pn_doc_node *parent, const char *key, const char *path)
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
int64_t pn__decode_int(ctx *c, const pn_doc_node *parent, const char *key, const char *path,
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

/* buf = path + fmt: the field path of a child ("spec" + ".ingress[0]"), truncated to fit.
 * Paths are built for every field decoded, so a plain suffix is copied without printf. */
char *pn__path_join(char *buf, size_t size, const char *path, const char *fmt, ...)
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
bool pn__dns_subdomain(const char *s)
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
bool pn__dns_label(const char *s)
{
    return strlen(s) <= 63 && !strchr(s, '.') && pn__dns_subdomain(s);
}

/* ---- labels and selectors ---- */

int pn__decode_labels(ctx *c, const pn_doc_node *map, const char *path, pn_labels *out)
{
    *out = (pn_labels){0};
    if (!map)
        return 0;
    pn_arena *a = c->arena;
    size_t pairs = map->count / 2;
    out->items = pn_arena_alloc(a, sizeof(pn_label) * (pairs + 1));
    int rc = 0;
    for (size_t i = 0; i < pairs; i++) {
        const pn_doc_node *k = map->items[2 * i], *v = map->items[2 * i + 1];
        char field[400];
        pn__path_join(field, sizeof field, path, ".%s", k->text);
        const char *why = pn_label_key_check(k->text);
        if (why) {
            ERR(c, k, field, "invalid label key \"%s\": %s", k->text, why);
            rc = -1;
            continue;
        }
        const char *value = pn_doc_is_null(v) ? "" : pn__decode_as_string(c, v, field);
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
pn_selector *pn__decode_selector(ctx *c, const pn_doc_node *n, const char *path)
{
    pn_arena *a = c->arena;
    pn_selector *sel = pn_arena_alloc(a, sizeof *sel);
    if (pn_doc_is_null(n))
        return sel;
    if (n->kind != PN_DOC_MAP) {
        ERR(c, n, path, "must be a label selector mapping, not %s", pn_doc_type_name(n));
        return NULL;
    }
    pn__decode_check_fields(c, n, path, selector_fields);
    char field[400];
    const pn_doc_node *ml = pn__decode_map(
        c, n, "matchLabels", pn__path_join(field, sizeof field, path, ".matchLabels"));
    pn_labels labels;
    bool ok = pn__decode_labels(c, ml, field, &labels) == 0;
    const pn_doc_node *me = pn__decode_seq(
        c, n, "matchExpressions", pn__path_join(field, sizeof field, path, ".matchExpressions"));
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
        pn__path_join(epath, sizeof epath, path, ".matchExpressions[%zu]", i);
        if (e->kind != PN_DOC_MAP) {
            ERR(c, e, epath, "must be a mapping with key, operator and values");
            ok = false;
            continue;
        }
        pn__decode_check_fields(c, e, epath, requirement_fields);
        pn_requirement *r = &sel->reqs[sel->count];
        r->key = pn__decode_string(c, e, "key", pn__path_join(field, sizeof field, epath, ".key"));
        const char *op = pn__decode_string(c, e, "operator",
                                           pn__path_join(field, sizeof field, epath, ".operator"));
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
            pn__decode_seq(c, e, "values", pn__path_join(field, sizeof field, epath, ".values"));
        r->value_count = vals ? vals->count : 0;
        r->values = pn_arena_alloc(a, sizeof(char *) * (r->value_count + 1));
        for (size_t j = 0; j < r->value_count; j++) {
            char vpath[420];
            r->values[j] = pn__decode_as_string(
                c, vals->items[j], pn__path_join(vpath, sizeof vpath, field, "[%zu]", j));
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

/* Reads metadata; namespaced objects default to namespace "default". */
int pn__decode_metadata(ctx *c, const pn_doc_node *obj, bool namespaced, const char *path,
                        pn__meta *m)
{
    *m = (pn__meta){0};
    char field[300];
    const pn_doc_node *md =
        pn__decode_map(c, obj, "metadata", pn__path_join(field, sizeof field, path, "metadata"));
    m->node = md;
    if (!md) {
        ERR(c, obj, NULL, "metadata.name is required");
        return -1;
    }
    pn__decode_check_fields(c, md, field, metadata_fields);
    m->name =
        pn__decode_string(c, md, "name", pn__path_join(field, sizeof field, path, "metadata.name"));
    if (!m->name) {
        if (pn_doc_is_null(pn_doc_get(md, "name"))) /* else get_string said what is wrong */
            ERR(c, md, field, "metadata.name is required");
        return -1;
    }
    c->name = m->name;
    if (!pn__dns_subdomain(m->name)) {
        ERR(c, pn_doc_get(md, "name"), field,
            "\"%s\" is not a valid name (lowercase letters, digits, '-' and '.')", m->name);
        return -1;
    }
    if (namespaced) {
        m->ns = pn__decode_string(c, md, "namespace",
                                  pn__path_join(field, sizeof field, path, "metadata.namespace"));
        if (!m->ns)
            m->ns = "default";
        else if (!pn__dns_label(m->ns)) {
            ERR(c, pn_doc_get(md, "namespace"), field, "\"%s\" is not a valid namespace name",
                m->ns);
            return -1;
        }
        c->ns = m->ns;
    }
    return pn__decode_labels(
        c,
        pn__decode_map(c, md, "labels",
                       pn__path_join(field, sizeof field, path, "metadata.labels")),
        field, &m->labels);
}

pn_origin pn__decode_origin(ctx *c, const pn_doc_node *n)
{
    return (pn_origin){c->file, n ? n->line : 0, n ? n->column : 0};
}

/* Appends a declaration of kind/ns/name at the current object and returns it for its payload
 * (valid until the next declaration). Duplicates are the world's to find. */
pn_decl *pn__decode_declare(ctx *c, pn_decl_kind kind, const char *object_kind, const char *ns,
                            const char *name)
{
    PN_GROW(c->decls->items, c->decls->count, c->decls->cap);
    pn_decl *d = &c->decls->items[c->decls->count++];
    *d = (pn_decl){.kind = kind,
                   .object_kind = object_kind,
                   .ns = ns,
                   .name = name,
                   .origin = pn__decode_origin(c, c->obj)};
    return d;
}

/* ---- dispatch ---- */

typedef struct {
    const char *kind;
    const char *api_version;
    int pass;
    void (*decode)(ctx *c);
} kind_entry;

static const kind_entry kinds[] = {
    {"Namespace", "v1", 1, pn__decode_namespace},
    {"Node", "v1", 1, pn__decode_node},
    {"Pod", "v1", 2, pn__decode_pod},
    {"Deployment", "apps/v1", 2, pn__decode_workload},
    {"ReplicaSet", "apps/v1", 2, pn__decode_workload},
    {"StatefulSet", "apps/v1", 2, pn__decode_workload},
    {"DaemonSet", "apps/v1", 2, pn__decode_workload},
    {"ReplicationController", "v1", 2, pn__decode_workload},
    {"Job", "batch/v1", 2, pn__decode_workload},
    {"CronJob", "batch/v1", 2, pn__decode_workload},
    {"NetworkPolicy", "networking.k8s.io/v1", 2, pn__decode_netpol},
    {"Service", "v1", 2, pn__decode_service},
    {"EndpointSlice", "discovery.k8s.io/v1", 2, pn__decode_endpointslice},
    {"VPC", "podnet.dev/v1alpha1", 1, pn__decode_vpc},
    {"Subnet", "podnet.dev/v1alpha1", 1, pn__decode_subnet},
    {"RouteTable", "podnet.dev/v1alpha1", 1, pn__decode_route_table},
    {"VpcCniConfig", "podnet.dev/v1alpha1", 1, pn__decode_cni_config},
    {"ENIConfig", "crd.k8s.amazonaws.com/v1alpha1", 1, pn__decode_eni_config},
    {"SecurityGroup", "podnet.dev/v1alpha1", 1, pn__decode_security_group},
    {"NetworkAcl", "podnet.dev/v1alpha1", 1, pn__decode_network_acl},
    {"NatGateway", "podnet.dev/v1alpha1", 1, pn__decode_nat_gateway},
    {"InternetGateway", "podnet.dev/v1alpha1", 1, pn__decode_internet_gateway},
    {"Instance", "podnet.dev/v1alpha1", 1, pn__decode_instance},
    {"RemoteNetwork", "podnet.dev/v1alpha1", 1, pn__decode_remote_network},
    {"SecurityGroupPolicy", "vpcresources.k8s.aws/v1beta1", 2, pn__decode_sg_policy},
};

static void decode_object(ctx *c, const pn_doc_node *obj, const char *list_kind,
                          const char *list_api, int depth);

/* kind: List and typed lists (PodList...): each item is an object; typed lists' items may
 * omit kind and apiVersion. */
static void decode_list(ctx *c, const pn_doc_node *obj, const char *kind, const char *api,
                        int depth)
{
    const pn_doc_node *items = pn__decode_seq(c, obj, "items", "items");
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
    if ((!kind || !*kind) && pn__decode_describe_output(c, obj))
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
        kinds[i].decode(c);
        return;
    }
    if (c->pass != 2)
        return;
    const pn_doc_node *md = pn_doc_get(obj, "metadata");
    const pn_doc_node *nm = pn_doc_get(md, "name");
    c->name = nm && nm->kind == PN_DOC_SCALAR ? nm->text : NULL;
    pn_diag_severity sev = c->strict ? PN_DIAG_ERROR : PN_DIAG_WARNING;
    if (api && strncmp(api, "podnet.dev/", 11) == 0)
        pn__decode_report(c, sev, kn, NULL,
                          "%s is not a cluster object; skipped here (pass it where that "
                          "kind is read, e.g. --expect, or podnet run for a Scenario)",
                          kind);
    else
        pn__decode_report(c, sev, kn, NULL, "kind %s is not modelled%s", kind,
                          sev == PN_DIAG_ERROR ? " (--strict)" : "; skipped");
}

int pn_decode_documents(const pn_documents *docs, const pn_decode_options *opt, pn_arena *arena,
                        pn_decls *decls, pn_diags *diags)
{
    size_t errors = pn_diags_errors(diags);
    for (int pass = 1; pass <= 2; pass++)
        for (size_t i = 0; i < docs->count; i++) {
            if (pn_doc_is_null(docs->items[i].root))
                continue; /* an empty document, e.g. after a trailing "---" */
            ctx c = {.arena = arena,
                     .decls = decls,
                     .diags = diags,
                     .strict = opt && opt->strict,
                     .file = docs->items[i].file,
                     .pass = pass};
            decode_object(&c, docs->items[i].root, NULL, NULL, 0);
        }
    return pn_diags_errors(diags) > errors ? PN_EINPUT : PN_OK;
}

void pn_decls_free(pn_decls *decls)
{
    if (!decls)
        return;
    free(decls->items);
    *decls = (pn_decls){0};
}

bool pn_kind_cluster_scoped(const char *kind)
{
    static const char *const cluster_kinds[] = {
        "Namespace",       "Node",      "VPC",           "Subnet",     "RouteTable",
        "VpcCniConfig",    "ENIConfig", "SecurityGroup", "NetworkAcl", "NatGateway",
        "InternetGateway", "Instance",  "RemoteNetwork"};
    for (size_t i = 0; i < sizeof cluster_kinds / sizeof cluster_kinds[0]; i++)
        if (strcmp(kind, cluster_kinds[i]) == 0)
            return true;
    return false;
}
