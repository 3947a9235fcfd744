/* k8s — the Kubernetes kinds: Namespace, Node, Pod, the workloads (expanded into pods by the
 * world), NetworkPolicy, Service and EndpointSlice, validated as the API server does it
 * (reference §0 and §1: defaults, field rules). */
#include "sim/input/decode_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Namespace and Node ---- */

void pn__decode_namespace(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    if (!pn__dns_label(m.name)) {
        ERR(c, m.node, "metadata.name", "\"%s\" is not a valid namespace name", m.name);
        return;
    }
    /* The API server sets kubernetes.io/metadata.name to the name, whatever was written. */
    pn_labels l = {pn_arena_alloc(c->arena, sizeof(pn_label) * (m.labels.count + 1)), 0};
    for (size_t i = 0; i < m.labels.count; i++)
        if (strcmp(m.labels.items[i].key, "kubernetes.io/metadata.name") != 0)
            l.items[l.count++] = m.labels.items[i];
    l.items[l.count++] = (pn_label){"kubernetes.io/metadata.name", m.name};
    const char *dup;
    pn_labels_sort(&l, &dup);
    pn_decl *d = pn__decode_declare(c, PN_DECL_NAMESPACE, "Namespace", NULL, m.name);
    d->u.namespace_ = (pn_namespace){.name = m.name, .labels = l, .declared = true};
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

void pn__decode_node(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    pn_node *node = &pn__decode_declare(c, PN_DECL_NODE, "Node", NULL, m.name)->u.node;
    *node = (pn_node){.name = m.name,
                      .labels = m.labels,
                      .file = c->file,
                      .line = c->obj->line,
                      .column = c->obj->column};
    node->instance_type = pn_labels_get(&m.labels, "node.kubernetes.io/instance-type");
    if (!node->instance_type)
        node->instance_type = pn_labels_get(&m.labels, "beta.kubernetes.io/instance-type");
    node->zone = pn_labels_get(&m.labels, "topology.kubernetes.io/zone");
    const pn_doc_node *ann = pn__decode_map(c, m.node, "annotations", "metadata.annotations");
    node->subnet = pn__decode_string(c, ann, "podnet.dev/subnet", "metadata.annotations");
    node->eni_config =
        pn__decode_string(c, ann, "k8s.amazonaws.com/eniConfig", "metadata.annotations");
    node->provider_id = pn__decode_string(c, pn__decode_map(c, c->obj, "spec", "spec"),
                                          "providerID", "spec.providerID");
    const pn_doc_node *status = pn__decode_map(c, c->obj, "status", "status");
    const pn_doc_node *capacity = pn__decode_map(c, status, "capacity", "status.capacity");
    node->kubelet_max_pods = quantity(c, capacity, "pods", "status.capacity.pods", false);
    node->vcpus = quantity(c, capacity, "cpu", "status.capacity.cpu", true);
    const pn_doc_node *addrs = pn__decode_seq(c, status, "addresses", "status.addresses");
    for (size_t i = 0; addrs && i < addrs->count; i++) {
        const pn_doc_node *a = addrs->items[i];
        const char *type = pn__decode_string(c, a, "type", "status.addresses[].type");
        const char *addr = pn__decode_string(c, a, "address", "status.addresses[].address");
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
    pn__decode_check_fields(c, n, path, probe_fields);
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
    out->initial_delay_s = (int)pn__decode_int(
        c, n, "initialDelaySeconds",
        pn__path_join(field, sizeof field, path, ".initialDelaySeconds"), 0, 1000000, 0);
    out->period_s = (int)pn__decode_int(c, n, "periodSeconds",
                                        pn__path_join(field, sizeof field, path, ".periodSeconds"),
                                        1, 1000000, 10);
    out->timeout_s = (int)pn__decode_int(
        c, n, "timeoutSeconds", pn__path_join(field, sizeof field, path, ".timeoutSeconds"), 1,
        1000000, 1);
    out->success_threshold = (int)pn__decode_int(
        c, n, "successThreshold", pn__path_join(field, sizeof field, path, ".successThreshold"), 1,
        1000000, 1);
    out->failure_threshold = (int)pn__decode_int(
        c, n, "failureThreshold", pn__path_join(field, sizeof field, path, ".failureThreshold"), 1,
        1000000, 3);
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
    pod->host_network = pn__decode_bool(c, spec, "hostNetwork",
                                        pn__path_join(field, sizeof field, path, ".hostNetwork"));
    pod->node_name = pn__decode_string(c, spec, "nodeName",
                                       pn__path_join(field, sizeof field, path, ".nodeName"));
    /* The pod's DNS identity (a DNS-1123 label each, as validation requires): with a
     * subdomain naming a Service, its endpoint carries the hostname, and CoreDNS serves
     * hostname.subdomain.ns.svc (kubernetes.md §3). */
    static const char *const identity[] = {"hostname", "subdomain"};
    for (int k = 0; k < 2; k++) {
        const char *v = pn__decode_string(
            c, spec, identity[k], pn__path_join(field, sizeof field, path, ".%s", identity[k]));
        if (v && !pn__dns_label(v)) {
            ERR(c, pn_doc_get(spec, identity[k]), field,
                "\"%s\" is not a DNS label (lowercase letters, digits and '-', at most 63)", v);
            rc = -1;
        }
        *(k ? &pod->subdomain : &pod->hostname) = v && *v ? v : NULL;
    }
    const pn_doc_node *containers = pn__decode_seq(
        c, spec, "containers", pn__path_join(field, sizeof field, path, ".containers"));
    if (!containers || containers->count == 0) {
        ERR(c, containers ? containers : spec, field, "a pod needs at least one container");
        return -1;
    }
    size_t total = 0;
    for (size_t i = 0; i < containers->count; i++) {
        const pn_doc_node *ports = pn_doc_get(containers->items[i], "ports");
        total += ports && ports->kind == PN_DOC_SEQ ? ports->count : 0;
    }
    pod->ports = pn_arena_alloc(c->arena, sizeof(pn_container_port) * (total + 1));
    for (size_t i = 0; i < containers->count; i++) {
        const pn_doc_node *ct = containers->items[i];
        char cpath[400];
        pn__path_join(cpath, sizeof cpath, path, ".containers[%zu]", i);
        if (ct->kind != PN_DOC_MAP) {
            ERR(c, ct, cpath, "must be a mapping");
            rc = -1;
            continue;
        }
        static const char *const probe_keys[] = {"readinessProbe", "livenessProbe", "startupProbe"};
        const char *cname = pn__decode_string(c, ct, "name", "name");
        for (int k = 0; k < 3; k++) {
            const pn_doc_node *pr = pn_doc_get(ct, probe_keys[k]);
            if (pn_doc_is_null(pr))
                continue;
            pn_probe probe;
            if (decode_probe(c, pr, pn__path_join(field, sizeof field, cpath, ".%s", probe_keys[k]),
                             (pn_probe_kind)k, cname, &probe) != 0) {
                rc = -1;
                continue;
            }
            pn_probe *grown = pn_arena_alloc(c->arena, sizeof *grown * (pod->probe_count + 1));
            if (pod->probe_count)
                memcpy(grown, pod->probes, sizeof *grown * pod->probe_count);
            grown[pod->probe_count++] = probe;
            pod->probes = grown;
        }
        const pn_doc_node *ports =
            pn__decode_seq(c, ct, "ports", pn__path_join(field, sizeof field, cpath, ".ports"));
        for (size_t j = 0; ports && j < ports->count; j++) {
            const pn_doc_node *p = ports->items[j];
            char ppath[420];
            pn__path_join(ppath, sizeof ppath, cpath, ".ports[%zu]", j);
            if (p->kind != PN_DOC_MAP) {
                ERR(c, p, ppath, "must be a mapping");
                rc = -1;
                continue;
            }
            pn__decode_check_fields(c, p, ppath, port_fields);
            pn_container_port cp = {0};
            if (!pn_doc_get(p, "containerPort")) {
                ERR(c, p, ppath, "containerPort is required");
                rc = -1;
                continue;
            }
            cp.number = (uint16_t)pn__decode_int(
                c, p, "containerPort", pn__path_join(field, sizeof field, ppath, ".containerPort"),
                1, 65535, 0);
            const char *proto = pn__decode_string(
                c, p, "protocol", pn__path_join(field, sizeof field, ppath, ".protocol"));
            if (proto && pn_proto_parse(proto, &cp.proto) != 0) {
                ERR(c, pn_doc_get(p, "protocol"), field,
                    "protocol must be TCP, UDP or SCTP, not \"%s\"", proto);
                rc = -1;
            }
            cp.name =
                pn__decode_string(c, p, "name", pn__path_join(field, sizeof field, ppath, ".name"));
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
    const char *text = status ? pn__decode_string(c, status, "podIP", "status.podIP") : NULL;
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
    const char *phase = status ? pn__decode_string(c, status, "phase", "status.phase") : NULL;
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
        status ? pn__decode_seq(c, status, "conditions", "status.conditions") : NULL;
    for (size_t i = 0; conds && i < conds->count; i++) {
        const pn_doc_node *cond = conds->items[i];
        if (cond->kind != PN_DOC_MAP) {
            ERR(c, cond, "status.conditions[]", "must be a mapping, not %s",
                pn_doc_type_name(cond));
            return -1;
        }
        const char *type = pn__decode_string(c, cond, "type", "status.conditions[].type");
        if (!type || strcmp(type, "Ready") != 0)
            continue;
        const char *value = pn__decode_string(c, cond, "status", "status.conditions[].status");
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

void pn__decode_pod(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    pn_pod_source src = {.kind = "Pod",
                         .ns_name = m.ns,
                         .name = m.name,
                         .labels = m.labels,
                         .replicas = 1,
                         .origin = pn__decode_origin(c, c->obj)};
    if (decode_pod_spec(c, pn__decode_map(c, c->obj, "spec", "spec"), "spec", &src.shape) != 0)
        return;
    const pn_doc_node *status = pn__decode_map(c, c->obj, "status", "status");
    src.has_ip = pod_address(c, status, &src.shape.ip);
    if (pod_life(c, m.node, status, &src.shape) != 0)
        return;
    pn__decode_declare(c, PN_DECL_POD_SOURCE, "Pod", m.ns, m.name)->u.source = src;
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
        pn__decode_map(c, spec, "template", pn__path_join(field, sizeof field, path, ".template"));
    if (!tpl) {
        ERR(c, spec ? spec : c->obj, field, "a pod template is required");
        return -1;
    }
    char lpath[300];
    const pn_doc_node *md =
        pn__decode_map(c, tpl, "metadata", pn__path_join(lpath, sizeof lpath, field, ".metadata"));
    if (pn__decode_labels(
            c,
            pn__decode_map(c, md, "labels",
                           pn__path_join(lpath, sizeof lpath, field, ".metadata.labels")),
            lpath, &t->labels) != 0)
        return -1;
    char spath[300];
    pn__path_join(spath, sizeof spath, field, ".spec");
    const pn_doc_node *pspec = pn__decode_map(c, tpl, "spec", spath);
    char npath[320];
    pn__path_join(npath, sizeof npath, spath, ".nodeSelector");
    if (pn__decode_labels(c, pn__decode_map(c, pspec, "nodeSelector", npath), npath,
                          &t->node_selector) != 0)
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
        if (pn__decode_labels(c, sn, "spec.selector", &l) != 0)
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
    sel = pn__decode_selector(c, sn, "spec.selector");
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

/* A workload becomes a pod source; pn__world_finish expands it into pods named
 * <name>-<ordinal> (DaemonSets: <name>-<node>) with the template's labels and ports. */
void pn__decode_workload(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    const char *kind = c->kind;
    const pn_doc_node *pod_parent = spec;
    const char *tpath = "spec";
    if (strcmp(kind, "CronJob") == 0) {
        const pn_doc_node *jt = pn__decode_map(c, spec, "jobTemplate", "spec.jobTemplate");
        pod_parent = pn__decode_map(c, jt, "spec", "spec.jobTemplate.spec");
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
        pn__decode_aws_node_env(c, spec);
    /* The StatefulSet controller gives each pod its own name as hostname and the set's
     * serviceName as subdomain, whatever the template says. */
    if (strcmp(kind, "StatefulSet") == 0) {
        t.shape.subdomain = pn__decode_string(c, spec, "serviceName", "spec.serviceName");
        if (t.shape.subdomain && !*t.shape.subdomain)
            t.shape.subdomain = NULL;
        t.shape.hostname = NULL;
    }
    pn_pod_source src = {.kind = kind,
                         .ns_name = m.ns,
                         .name = m.name,
                         .labels = t.labels,
                         .shape = t.shape,
                         .node_selector = t.node_selector,
                         .daemon = strcmp(kind, "DaemonSet") == 0,
                         .origin = pn__decode_origin(c, c->obj)};
    if (is_job)
        src.replicas =
            pn__decode_int(c, pod_parent, "parallelism", "spec.parallelism", 0, 100000, 1);
    else
        src.replicas = pn__decode_int(c, spec, "replicas", "spec.replicas", 0, 1000000, 1);
    pn__decode_declare(c, PN_DECL_POD_SOURCE, kind, m.ns, m.name)->u.source = src;
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
    pn__decode_check_fields(c, ib, path, np_ipblock_fields);
    const char *cidr =
        pn__decode_string(c, ib, "cidr", pn__path_join(field, sizeof field, path, ".cidr"));
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
        pn__decode_seq(c, ib, "except", pn__path_join(field, sizeof field, path, ".except"));
    if (!ex)
        return pn_doc_get(ib, "except") && !pn_doc_is_null(pn_doc_get(ib, "except")) ? -1 : 0;
    peer->except = pn_arena_alloc(c->arena, sizeof(pn_cidr) * (ex->count + 1));
    int rc = 0;
    for (size_t i = 0; i < ex->count; i++) {
        char epath[420];
        pn__path_join(epath, sizeof epath, field, "[%zu]", i);
        const char *e = pn__decode_as_string(c, ex->items[i], epath);
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
    pn__decode_check_fields(c, p, path, np_peer_fields);
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
        return decode_ipblock(c, ib, pn__path_join(field, sizeof field, path, ".ipBlock"), peer);
    }
    int rc = 0;
    if (has_ps && !(peer->pod_selector = pn__decode_selector(
                        c, ps, pn__path_join(field, sizeof field, path, ".podSelector"))))
        rc = -1;
    if (has_ns && !(peer->ns_selector = pn__decode_selector(
                        c, ns, pn__path_join(field, sizeof field, path, ".namespaceSelector"))))
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
    pn__decode_check_fields(c, p, path, np_port_fields);
    *out = (pn_netpol_port){.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_ALL};
    const char *proto =
        pn__decode_string(c, p, "protocol", pn__path_join(field, sizeof field, path, ".protocol"));
    if (proto && pn_proto_parse(proto, &out->proto) != 0) {
        ERR(c, pn_doc_get(p, "protocol"), field, "protocol must be TCP, UDP or SCTP, not \"%s\"",
            proto);
        return -1;
    }
    const pn_doc_node *port = pn_doc_get(p, "port");
    const pn_doc_node *end = pn_doc_get(p, "endPort");
    pn__path_join(field, sizeof field, path, ".port");
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
        pn__path_join(field, sizeof field, path, ".endPort");
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
        pn__decode_seq(c, spec, key, dir == PN_INGRESS ? "spec.ingress" : "spec.egress");
    if (!list)
        return pn_doc_is_null(pn_doc_get(spec, key)) ? 0 : -1;
    pn_arena *a = c->arena;
    np->rules[dir] = pn_arena_alloc(a, sizeof(pn_netpol_rule) * (list->count + 1));
    np->rule_count[dir] = list->count;
    int rc = 0;
    for (size_t i = 0; i < list->count; i++) {
        const pn_doc_node *r = list->items[i];
        pn_netpol_rule *rule = &np->rules[dir][i];
        char rpath[200], field[300];
        pn__path_join(rpath, sizeof rpath, "spec", ".%s[%zu]", key, i);
        if (pn_doc_is_null(r))
            continue; /* "- {}" and "-" both mean an empty rule */
        if (r->kind != PN_DOC_MAP) {
            ERR(c, r, rpath, "a rule must be a mapping");
            rc = -1;
            continue;
        }
        pn__decode_check_fields(c, r, rpath,
                                dir == PN_INGRESS ? np_ingress_fields : np_egress_fields);
        const pn_doc_node *peers = pn__decode_seq(
            c, r, peers_key, pn__path_join(field, sizeof field, rpath, ".%s", peers_key));
        if (peers) {
            rule->peers = pn_arena_alloc(a, sizeof(pn_netpol_peer) * (peers->count + 1));
            for (size_t j = 0; j < peers->count; j++) {
                char ppath[320];
                pn__path_join(ppath, sizeof ppath, field, "[%zu]", j);
                if (decode_peer(c, peers->items[j], ppath, &rule->peers[rule->peer_count++]) != 0)
                    rc = -1;
            }
        } else if (!pn_doc_is_null(pn_doc_get(r, peers_key))) {
            rc = -1;
        }
        const pn_doc_node *ports =
            pn__decode_seq(c, r, "ports", pn__path_join(field, sizeof field, rpath, ".ports"));
        if (ports) {
            rule->ports = pn_arena_alloc(a, sizeof(pn_netpol_port) * (ports->count + 1));
            for (size_t j = 0; j < ports->count; j++) {
                char ppath[320];
                pn__path_join(ppath, sizeof ppath, field, "[%zu]", j);
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

void pn__decode_netpol(ctx *c)
{
    pn__decode_check_fields(c, c->obj, NULL, np_top_fields);
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    pn__decode_check_fields(c, spec, "spec", np_spec_fields);
    pn_netpol np = {.name = m.name, .ns_name = m.ns};
    int rc = 0;
    const pn_doc_node *ps = pn_doc_get(spec, "podSelector");
    const pn_selector *sel = pn__decode_selector(c, ps, "spec.podSelector");
    if (sel)
        np.pod_selector = *sel;
    else
        rc = -1;
    if (decode_rules(c, spec, PN_INGRESS, &np) != 0)
        rc = -1;
    if (decode_rules(c, spec, PN_EGRESS, &np) != 0) /* report both lists' problems */
        rc = -1;
    const pn_doc_node *types = pn__decode_seq(c, spec, "policyTypes", "spec.policyTypes");
    if (types && types->count > 0) {
        if (types->count > 2) {
            ERR(c, types, "spec.policyTypes", "at most two policyTypes (Ingress and Egress)");
            rc = -1;
        }
        for (size_t i = 0; i < types->count; i++) {
            const char *t = pn__decode_as_string(c, types->items[i], "spec.policyTypes");
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
    if (rc != 0)
        return;
    pn__decode_declare(c, PN_DECL_NETPOL, "NetworkPolicy", m.ns, m.name)->u.policy = np;
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
    *out = pn_arena_alloc(c->arena, sizeof(pn_service_port) * ((list ? list->count : 0) + 1));
    int rc = 0;
    for (size_t i = 0; list && i < list->count; i++) {
        const pn_doc_node *p = list->items[i];
        char ppath[200], field[260];
        pn__path_join(ppath, sizeof ppath, path, "[%zu]", i);
        if (p->kind != PN_DOC_MAP) {
            ERR(c, p, ppath, "a port must be a mapping");
            rc = -1;
            continue;
        }
        pn__decode_check_fields(c, p, ppath, service_port_fields);
        pn_service_port sp = {.proto = PN_PROTO_TCP};
        sp.name =
            pn__decode_string(c, p, "name", pn__path_join(field, sizeof field, ppath, ".name"));
        const char *proto = pn__decode_string(
            c, p, "protocol", pn__path_join(field, sizeof field, ppath, ".protocol"));
        if (proto && pn_proto_parse(proto, &sp.proto) != 0) {
            ERR(c, pn_doc_get(p, "protocol"), field, "protocol must be TCP, UDP or SCTP");
            rc = -1;
        }
        if (!pn_doc_get(p, "port")) {
            ERR(c, p, ppath, "port is required");
            rc = -1;
            continue;
        }
        sp.port = (uint16_t)pn__decode_int(
            c, p, "port", pn__path_join(field, sizeof field, ppath, ".port"), 1, 65535, 0);
        sp.target_port = sp.port;
        const pn_doc_node *target = pn_doc_get(p, "targetPort");
        pn__path_join(field, sizeof field, ppath, ".targetPort");
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
            sp.target_port = (uint16_t)pn__decode_int(c, p, "targetPort", field, 1, 65535, sp.port);
        }
        const pn_doc_node *np = pn_doc_get(p, "nodePort");
        if (!pn_doc_is_null(np))
            sp.node_port = (uint16_t)pn__decode_int(
                c, p, "nodePort", pn__path_join(field, sizeof field, ppath, ".nodePort"), 30000,
                32767, 0);
        if (sp.port == 0)
            rc = -1;
        /* The API server's rule: a Service's ports differ in port and protocol, and in name. */
        for (size_t k = 0; !slice && sp.port && k < *count; k++) {
            const pn_service_port *before = &(*out)[k];
            if (before->port == sp.port && before->proto == sp.proto) {
                ERR(c, pn_doc_get(p, "port"), pn__path_join(field, sizeof field, ppath, ".port"),
                    "duplicate port %u/%s (an earlier port has it)", sp.port,
                    pn_proto_name(sp.proto));
                rc = -1;
            }
            if (before->name && sp.name && strcmp(before->name, sp.name) == 0) {
                ERR(c, pn_doc_get(p, "name"), pn__path_join(field, sizeof field, ppath, ".name"),
                    "duplicate port name \"%s\" (an earlier port has it)", sp.name);
                rc = -1;
            }
        }
        (*out)[(*count)++] = sp;
    }
    return rc;
}

/* An ExternalName is a DNS-1123 subdomain, optionally with the final dot (the API server's
 * rule). An IPv4 address is one too, and the API server takes it (*address set): it is a name
 * made of digits, which CoreDNS does not serve. */
static bool external_name_valid(const char *name, bool *address)
{
    char copy[300];
    size_t n = strlen(name);
    *address = false;
    if (n == 0 || n > 254)
        return false;
    snprintf(copy, sizeof copy, "%s", name);
    if (copy[n - 1] == '.')
        copy[n - 1] = '\0';
    pn_ipv4 ip;
    *address = pn_ipv4_parse(copy, &ip) == 0;
    return pn__dns_subdomain(copy) && (pn_dns_name_valid(copy) || *address);
}

void pn__decode_service(ctx *c)
{
    pn_cidr service_range;
    const char *bad;
    pn_cidr_parse(PN_SERVICE_RANGE, &service_range, &bad);
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    pn__decode_check_fields(c, spec, "spec", service_spec_fields);
    pn_service svc = {.name = m.name, .ns_name = m.ns, .type = PN_SVC_CLUSTER_IP};
    int rc = 0;
    const char *type = pn__decode_string(c, spec, "type", "spec.type");
    if (type && pn_service_type_parse(type, &svc.type) != 0) {
        ERR(c, pn_doc_get(spec, "type"), "spec.type",
            "type must be ClusterIP, NodePort, LoadBalancer or ExternalName, not \"%s\"", type);
        rc = -1;
    }
    const char *ip = pn__decode_string(c, spec, "clusterIP", "spec.clusterIP");
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
    } else if (svc.cluster_ip && !pn_cidr_contains(&service_range, svc.cluster_ip)) {
        ERR(c, pn_doc_get(spec, "clusterIP"), "spec.clusterIP",
            "%s is outside the service range " PN_SERVICE_RANGE, ip);
        rc = -1;
    }
    svc.external_name = pn__decode_string(c, spec, "externalName", "spec.externalName");
    if (svc.type == PN_SVC_EXTERNAL_NAME && !svc.external_name) {
        ERR(c, spec, "spec.externalName", "an ExternalName Service needs spec.externalName");
        rc = -1;
    } else if (svc.type == PN_SVC_EXTERNAL_NAME) {
        bool address;
        if (!external_name_valid(svc.external_name, &address)) {
            ERR(c, pn_doc_get(spec, "externalName"), "spec.externalName",
                "\"%s\" is not a DNS name (lowercase letters, digits, '-' and '.', at most 253)",
                svc.external_name);
            rc = -1;
        } else if (address) {
            /* The Service documentation's warning, as a warning: the API server accepts it. */
            pn__decode_report(c, PN_DIAG_WARNING, pn_doc_get(spec, "externalName"),
                              "spec.externalName",
                              "\"%s\" looks like an IPv4 address: an ExternalName is a DNS "
                              "name, and CoreDNS serves no record for this one (NXDOMAIN); to "
                              "give an address a name, use a headless Service with an "
                              "EndpointSlice",
                              svc.external_name);
        }
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
        pn__decode_string(c, spec, "internalTrafficPolicy", "spec.internalTrafficPolicy");
    if (itp_text && strcmp(itp_text, "Local") != 0 && strcmp(itp_text, "Cluster") != 0) {
        ERR(c, itp, "spec.internalTrafficPolicy", "must be Cluster or Local, not \"%s\"", itp_text);
        rc = -1;
    }
    svc.internal_local = itp_text && strcmp(itp_text, "Local") == 0;
    const char *affinity = pn__decode_string(c, spec, "sessionAffinity", "spec.sessionAffinity");
    const pn_doc_node *affinity_config = pn_doc_get(spec, "sessionAffinityConfig");
    if (affinity && strcmp(affinity, "None") != 0 && strcmp(affinity, "ClientIP") != 0) {
        ERR(c, pn_doc_get(spec, "sessionAffinity"), "spec.sessionAffinity",
            "must be None or ClientIP, not \"%s\"", affinity);
        rc = -1;
    } else if (affinity && strcmp(affinity, "ClientIP") == 0) {
        const pn_doc_node *client_ip = pn__decode_map(
            c, pn__decode_map(c, spec, "sessionAffinityConfig", "spec.sessionAffinityConfig"),
            "clientIP", "spec.sessionAffinityConfig.clientIP");
        svc.affinity_seconds = (int)pn__decode_int(
            c, client_ip, "timeoutSeconds", "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 1,
            86400, 10800);
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
        pn__decode_bool(c, spec, "publishNotReadyAddresses", "spec.publishNotReadyAddresses");
    const pn_doc_node *sel = pn__decode_map(c, spec, "selector", "spec.selector");
    if (sel && pn__decode_labels(c, sel, "spec.selector", &svc.selector) != 0)
        rc = -1;
    svc.has_selector = sel && svc.selector.count > 0;
    const pn_doc_node *ports = pn__decode_seq(c, spec, "ports", "spec.ports");
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
    if (rc != 0)
        return;
    pn__decode_declare(c, PN_DECL_SERVICE, "Service", m.ns, m.name)->u.service = svc;
}

static const char *const slice_fields[] = {"apiVersion", "kind",  "metadata", "addressType",
                                           "endpoints",  "ports", NULL};

void pn__decode_endpointslice(ctx *c)
{
    pn__decode_check_fields(c, c->obj, NULL, slice_fields);
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    pn_endpoint_slice sl = {.name = m.name, .ns_name = m.ns};
    sl.service = pn_labels_get(&m.labels, "kubernetes.io/service-name");
    const char *type = pn__decode_string(c, c->obj, "addressType", "addressType");
    if (type && strcmp(type, "IPv4") != 0) {
        /* IPv6 and FQDN slices are read and set aside */
        pn__decode_declare(c, PN_DECL_SET_ASIDE, "EndpointSlice", m.ns, m.name);
        return;
    }
    int rc = 0;
    const pn_doc_node *eps = pn__decode_seq(c, c->obj, "endpoints", "endpoints");
    sl.endpoints =
        pn_arena_alloc(c->arena, sizeof(pn_slice_endpoint) * ((eps ? eps->count : 0) * 4 + 1));
    for (size_t i = 0; eps && i < eps->count; i++) {
        const pn_doc_node *ep = eps->items[i];
        const pn_doc_node *addrs = pn__decode_seq(c, ep, "addresses", "endpoints[].addresses");
        const pn_doc_node *cond = pn__decode_map(c, ep, "conditions", "endpoints[].conditions");
        /* Absent conditions: ready means ready, serving follows ready, terminating is false. */
        const pn_doc_node *ready = pn_doc_get(cond, "ready");
        bool is_ready = pn_doc_is_null(ready) ||
                        pn__decode_bool(c, cond, "ready", "endpoints[].conditions.ready");
        const pn_doc_node *serving = pn_doc_get(cond, "serving");
        bool is_serving =
            pn_doc_is_null(serving)
                ? is_ready
                : pn__decode_bool(c, cond, "serving", "endpoints[].conditions.serving");
        bool is_terminating =
            pn__decode_bool(c, cond, "terminating", "endpoints[].conditions.terminating");
        const char *node = pn__decode_string(c, ep, "nodeName", "endpoints[].nodeName");
        for (size_t k = 0; addrs && k < addrs->count && k < 4; k++) {
            const char *a = pn__decode_as_string(c, addrs->items[k], "endpoints[].addresses");
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
    if (decode_service_ports(c, pn__decode_seq(c, c->obj, "ports", "ports"), "ports", &sl.ports,
                             &sl.port_count, true) != 0)
        rc = -1;
    if (rc != 0)
        return;
    pn__decode_declare(c, PN_DECL_ENDPOINTSLICE, "EndpointSlice", m.ns, m.name)->u.slice = sl;
}
