/* trace — a connection's hops, as records, then printed. */
#include "sim/query/trace.h"

#include "sim/base/arena.h"
#include "sim/base/buf.h"
#include "sim/query/dns.h"
#include "sim/query/proxy.h"
#include "sim/query/explain.h"
#include "sim/query/path.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a hop does to the connection. The verdict is the outcome of the last hop. */
typedef enum {
    HOP_ONWARD,   /* the packet goes on to the next hop */
    HOP_STOPS,    /* dropped or refused here */
    HOP_DELIVERS, /* the receiving pod gets it */
    HOP_LEAVES,   /* it leaves the cluster, where podnet follows it no further */
} hop_outcome;

typedef struct {
    char where[128];  /* who acts: a pod, kube-proxy, a policy, the network; cut at 120 bytes
                         to keep the text columns (the detail says everything in full) */
    const char *what; /* static: sends, DNAT, allowed, denied, routes, receives... */
    pn_buf detail;    /* as long as it needs to be */
    hop_outcome outcome;
    pn_path_hop net; /* the network's structured fields (node, table, group...), when it is a
                        network hop; strings in the path's arena */
} hop;

/* One end of the connection as seen at a point: addresses and ports. */
typedef struct {
    bool set;
    pn_ipv4 src, dst;
    uint16_t sport, dport; /* sport 0: any of the client's (or SNAT's) ports */
    pn_proto proto;
} tuple;

/* One endpoint a connection to a Service may land on. */
typedef struct {
    char endpoint[300]; /* "ns/pod", or the address when it is no pod's */
    pn_ipv4 ip;
    uint16_t port;
} candidate;

/* The hops so far, in order; grows as the walk goes on. With them what the summary says:
 * why it stopped, what was sent and what arrived, and the endpoint. */
typedef struct {
    hop *items;
    size_t count, cap;
    const char *reason;    /* why it was dropped or refused: a stable code */
    tuple sent, received;  /* at the sender; at the receiver (leaving AWS, for the internet) */
    const char *endpoint;  /* "ns/pod", "network/NAME", an address; NULL when none was reached */
    pn_arena *arena;       /* the network walk's strings */
    candidate *candidates; /* every endpoint kube-proxy (or a headless name's A records) may
                              pick, in the order it would number them */
    size_t candidate_count, candidate_cap;
} path;

/* Appends a hop that lets the packet on; the pointer is valid until the next add. */
static hop *add(path *p, const char *where, const char *what)
{
    PN_GROW(p->items, p->count, p->cap);
    hop *h = &p->items[p->count++];
    memset(h, 0, sizeof *h);
    snprintf(h->where, sizeof h->where, "%.120s", where);
    h->what = what;
    return h;
}

/* Sets a hop's detail (replacing what it said). */
static void detail(hop *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void detail(hop *h, const char *fmt, ...)
{
    pn_buf_reset(&h->detail);
    va_list ap;
    va_start(ap, fmt);
    pn_buf_vappendf(&h->detail, fmt, ap);
    va_end(ap);
}

static void path_free(path *p)
{
    for (size_t i = 0; i < p->count; i++)
        pn_buf_free(&p->items[i].detail);
    free(p->items);
    free(p->candidates);
    pn_arena_free(p->arena);
    *p = (path){0};
}

/* The arena for the path's strings, made on first use. */
static pn_arena *path_arena(path *p)
{
    if (!p->arena)
        p->arena = pn_arena_new();
    return p->arena;
}

/* Records one endpoint the connection may land on. */
static void add_candidate(path *p, const pn_world *w, long pod, pn_ipv4 ip, uint16_t port)
{
    PN_GROW(p->candidates, p->candidate_count, p->candidate_cap);
    candidate *c = &p->candidates[p->candidate_count++];
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    char text[16];
    if (pod >= 0)
        snprintf(c->endpoint, sizeof c->endpoint, "%s/%s", pods[pod].ns_name, pods[pod].name);
    else
        snprintf(c->endpoint, sizeof c->endpoint, "%s", pn_ipv4_format(ip, text));
    c->ip = ip;
    c->port = port;
}

/* Marks the last hop as the one that stopped the connection, for reason. */
static void stopped(path *p, const char *reason)
{
    if (p->count)
        p->items[p->count - 1].outcome = HOP_STOPS;
    p->reason = reason;
}

static void sent(path *p, pn_ipv4 src, uint16_t sport, pn_ipv4 dst, uint16_t dport, pn_proto proto)
{
    p->sent = (tuple){true, src, dst, sport, dport, proto};
    p->received = p->sent;
}

typedef enum { VERDICT_DROPPED, VERDICT_REJECTED, VERDICT_DELIVERED, VERDICT_LEFT } trace_verdict;

/* The verdict, decided by where the walk stopped: its last hop. A stop that answers the
 * client (ICMP port unreachable: no endpoint) is a rejection. */
static trace_verdict path_verdict(const path *p)
{
    hop_outcome last = p->count ? p->items[p->count - 1].outcome : HOP_STOPS;
    if (last == HOP_STOPS && p->count && strcmp(p->items[p->count - 1].what, "REJECTED") == 0)
        return VERDICT_REJECTED;
    return last == HOP_DELIVERS ? VERDICT_DELIVERED
           : last == HOP_LEAVES ? VERDICT_LEFT
                                : VERDICT_DROPPED;
}

/* Appends the network walk's hops; returns its verdict. The last hop of a walk that was
 * dropped stops the path, and one that left leaves it. */
static pn_path_verdict append_walk(path *p, const pn_path *np)
{
    for (size_t i = 0; i < np->hop_count; i++) {
        const pn_path_hop *nh = &np->hops[i];
        hop *h = add(p, nh->where, nh->what);
        detail(h, "%s", nh->detail);
        h->net = *nh;
        h->outcome = nh->stop ? HOP_STOPS : HOP_ONWARD;
    }
    if (np->verdict == PN_PATH_DROPPED) {
        if (p->count)
            p->items[p->count - 1].outcome = HOP_STOPS;
        p->reason = pn_net_reason_name(np->reason);
    }
    if (np->verdict == PN_PATH_LEFT && p->count)
        p->items[p->count - 1].outcome = HOP_LEAVES;
    p->received.src = np->recv_src;
    p->received.dst = np->recv_dst;
    p->received.dport = np->recv_dport;
    if (np->snat)
        p->received.sport = np->recv_sport;
    return np->verdict;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Where a pod is in its life, with the kubelet's or CNI's words: "ContainerCreating (failed to
 * assign an IP address to container)". */
static const char *pod_life(const pn_pod *pod, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s", pn_pod_phase_name(pod->phase), pod->reason ? " (" : "",
             pod->reason ? pod->reason : "", pod->reason ? ")" : "");
    return buf;
}

/* The last hop of a connection from or to a pod that does not run. */
static void not_running(path *p, const pn_pod *pod, const char *consequence)
{
    char who[600], life[400];
    snprintf(who, sizeof who, "%s/%s", pod->ns_name, pod->name);
    hop *h = add(p, who, "NOT RUNNING");
    detail(h, "the pod is %s: %s", pod_life(pod, life, sizeof life), consequence);
    stopped(p, "not-running");
}

static void policy_hop(path *p, const pn_world *w, const pn_pod *pod, pn_direction dir,
                       const pn_direction_verdict *d)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    hop *h = add(p, dir == PN_EGRESS ? "egress policy" : "ingress policy",
                 d->allowed ? "allowed" : "DROPPED");
    const char *name = dir == PN_EGRESS ? "egress" : "ingress";
    switch (d->why) {
    case PN_WHY_RULE:
        detail(h, "at %s/%s by %s/%s %s[%ld]", pod->ns_name, pod->name, pols[d->policy].ns_name,
               pols[d->policy].name, name, d->rule);
        break;
    case PN_WHY_NO_RULE:
        detail(h, "at %s/%s: isolated for %s by %zu polic%s and no rule matches", pod->ns_name,
               pod->name, name, d->isolating, d->isolating == 1 ? "y" : "ies");
        break;
    case PN_WHY_NOT_ISOLATED:
        detail(h, "at %s/%s: no policy isolates it for %s", pod->ns_name, pod->name, name);
        break;
    case PN_WHY_NODE:
        detail(h, "traffic with the pod's own node is always allowed");
        break;
    case PN_WHY_HOST_NETWORK:
        detail(h, "a hostNetwork pod's traffic is node traffic");
        break;
    case PN_WHY_NOT_RUNNING: {
        char life[400];
        detail(h, "at %s/%s: the pod is %s: nothing listens", pod->ns_name, pod->name,
               pod_life(pod, life, sizeof life));
        break;
    }
    default:
        detail(h, "a pod always reaches itself");
        break;
    }
    h->outcome = d->allowed ? HOP_ONWARD : HOP_STOPS;
    if (!d->allowed)
        p->reason = d->why == PN_WHY_NOT_RUNNING ? "not-running" : "network-policy";
}

/* True when some egress rule of the policies isolating pod could admit an address outside
 * the cluster on port: a rule for the port whose peers are none (every address) or include an
 * ipBlock (which may cover it). Selector peers admit pods only. *isolating counts the
 * policies. */
static bool outside_egress_possible(const pn_world *w, const pn_pod *pod, pn_port port,
                                    size_t *isolating)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    bool possible = false;
    *isolating = 0;
    for (size_t i = 0; i < count; i++) {
        if (!pn_netpol_applies(&pols[i], pod, PN_EGRESS))
            continue;
        (*isolating)++;
        for (size_t r = 0; r < pols[i].rule_count[PN_EGRESS]; r++) {
            const pn_netpol_rule *rule = &pols[i].rules[PN_EGRESS][r];
            bool port_ok = rule->port_count == 0;
            for (size_t k = 0; k < rule->port_count && !port_ok; k++)
                port_ok = pn_netpol_port_matches(&rule->ports[k], NULL, port);
            bool peer_ok = rule->peer_count == 0;
            for (size_t k = 0; k < rule->peer_count && !peer_ok; k++)
                peer_ok = rule->peers[k].has_ipblock;
            possible = possible || (port_ok && peer_ok);
        }
    }
    return *isolating == 0 || possible;
}

/* For a hop that leaves the cluster for an address podnet does not know (a name forwarded
 * upstream, an ExternalName's CNAME): when the source's egress policies admit no outside
 * address on port at all, the connection is dropped there, and a DROPPED egress hop is added
 * (returns true). Otherwise a note on h says what the policies make of it. */
static bool outside_egress_note(path *p, hop *h, const pn_world *w, size_t src, pn_port port)
{
    size_t n, isolating;
    const pn_pod *pod = &pn_world_pods(w, &n)[src];
    if (pod->host_network)
        return false;
    if (!outside_egress_possible(w, pod, port, &isolating)) {
        h->outcome = HOP_ONWARD;
        hop *e = add(p, "egress policy", "DROPPED");
        detail(e,
               "at %s/%s: isolated for egress by %zu polic%s and no rule admits an address "
               "outside the cluster on %u/%s (only an ipBlock rule covering it could)",
               pod->ns_name, pod->name, isolating, isolating == 1 ? "y" : "ies", port.number,
               pn_proto_name(port.proto));
        e->outcome = HOP_STOPS;
        p->reason = "network-policy";
        return true;
    }
    pn_verdict v = pn_reach_evaluate_address(w, src, 0, port);
    if (v.egress.isolating == 0)
        return false;
    pn_buf_appendf(&h->detail,
                   " (%s/%s is isolated for egress by %zu polic%s: only an ipBlock rule covering "
                   "the outside address lets it out)",
                   pod->ns_name, pod->name, v.egress.isolating,
                   v.egress.isolating == 1 ? "y" : "ies");
    return false;
}

/* The network between two addresses: same node, across nodes on the pod network, or the VPC.
 * Returns true when the source address is translated on the way (leaving the VPC or the
 * cluster). */
static bool network_hop(path *p, pn_world *w, const pn_pod *src, const pn_pod *dst, pn_ipv4 ip)
{
    hop *h = add(p, "network", "routes");
    char a[16], b[16];
    if (dst && src->node_name && dst->node_name && strcmp(src->node_name, dst->node_name) == 0) {
        detail(h, "on node %s, veth to veth: no NAT", src->node_name);
        return false;
    }
    if (pn_world_aws(w)) {
        size_t nv;
        const pn_vpc *vpcs = pn_world_vpcs(w, &nv);
        for (size_t v = 0; v < nv; v++)
            for (size_t k = 0; k < vpcs[v].cidr_count; k++)
                if (pn_cidr_contains(&vpcs[v].cidrs[k], ip)) {
                    char block[64];
                    detail(h,
                           "%s -> %s through VPC %s, local route %s: pod addresses are VPC "
                           "addresses, no NAT",
                           src->node_name ? src->node_name : "?",
                           dst && dst->node_name ? dst->node_name : pn_ipv4_format(ip, b),
                           vpcs[v].name, pn_cidr_format(&vpcs[v].cidrs[k], block));
                    return false;
                }
        const pn_cni_settings *cni = pn_world_cni(w);
        detail(h, "%s leaves the VPC%s", pn_ipv4_format(ip, b),
               cni->external_snat ? " with the pod's address (AWS_VPC_K8S_CNI_EXTERNALSNAT)"
                                  : ", SNAT to the node's primary address (the CNI's "
                                    "AWS-SNAT-CHAIN)");
        return !cni->external_snat;
    }
    if (dst && src->node_name && dst->node_name)
        detail(h, "node %s -> node %s over the pod network: no NAT", src->node_name,
               dst->node_name);
    else if (dst)
        detail(h, "over the pod network: no NAT");
    else
        detail(h, "%s leaves the cluster (%s)", pn_ipv4_format(ip, a),
               "masquerade to the node's address is typical");
    return !dst;
}

/* Where a finished path goes: printed (text or JSON), or summed up for a caller. */
typedef struct {
    FILE *out;
    bool json;
    pn_trace_outcome *capture; /* when set, nothing is printed */
} sink;

static int print_path(const sink *o, const pn_trace_request *req, path *p, bool nat, bool snat);

/* A client outside the cluster to a NodePort or LoadBalancer Service: the node's kube-proxy
 * DNATs to an endpoint (Cluster: any ready one, and SNATs to the node's address so the reply
 * comes back through it; Local: only endpoints on that node, and the client's address is
 * kept). The endpoint's ingress policy sees whichever source arrives. */
static int trace_external(const sink *o, pn_world *w, const pn_trace_request *req, pn_ipv4 client,
                          const char **why)
{
    size_t n, node_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_node *nodes = pn_world_nodes(w, &node_count);
    const char *rest = strncmp(req->to, "svc/", 4) == 0 ? req->to + 4 : NULL;
    const char *slash = rest ? strchr(rest, '/') : NULL;
    char sns[256];
    if (!slash || (size_t)(slash - rest) >= sizeof sns) {
        *why = "from outside the cluster, --to must be a NodePort or LoadBalancer Service "
               "(svc/namespace/name)";
        return -1;
    }
    snprintf(sns, sizeof sns, "%.*s", (int)(slash - rest), rest);
    const pn_service *svc = pn_world_find_service(w, sns, slash + 1);
    if (!svc || (svc->type != PN_SVC_NODE_PORT && svc->type != PN_SVC_LOAD_BALANCER)) {
        *why = "--to must be a Service of type NodePort or LoadBalancer";
        return -1;
    }
    const pn_service_port *sp = pn_service_find_port(svc, req->port.number, req->port.proto);
    if (!sp) {
        *why = "the Service has no such port";
        return -1;
    }
    if (node_count == 0) {
        *why = "the cluster has no Node objects for the traffic to arrive at";
        return -1;
    }
    pn_backend *backends;
    size_t count = pn_proxy_route(w, svc, sp, NULL, false, &backends);
    /* The node: --via, else the first node that can serve it (a load balancer's health check
     * skips nodes without a local endpoint under Local). */
    const pn_node *via = NULL;
    for (size_t i = 0; i < node_count && !via; i++) {
        if (req->via) {
            if (strcmp(nodes[i].name, req->via) == 0)
                via = &nodes[i];
            continue;
        }
        bool local = false;
        for (size_t b = 0; b < count && !local; b++)
            local = backends[b].node && strcmp(backends[b].node, nodes[i].name) == 0;
        if (!svc->external_local || local)
            via = &nodes[i];
    }
    if (!via)
        via = req->via ? NULL : &nodes[0];
    if (!via) {
        free(backends);
        *why = "--via names no node";
        return -1;
    }
    uint64_t r = mix(req->seed);
    uint16_t sport = (uint16_t)(32768 + r % 28232);
    uint16_t node_port = sp->node_port ? sp->node_port : (uint16_t)(30000 + sp->port % 2768);
    path p = {0};
    char a[16], b[16], c[16];
    bool snat = false;
    hop *h = add(&p, pn_ipv4_format(client, c), "sends");
    sent(&p, client, sport, via->ip, node_port, sp->proto);
    if (svc->type == PN_SVC_LOAD_BALANCER) {
        detail(h, "%s:%u -> the load balancer:%u/%s", c, sport, sp->port, pn_proto_name(sp->proto));
        h = add(&p, "load balancer", "forwards");
        detail(h, "to node %s (%s) on node port %u%s", via->name,
               via->ip ? pn_ipv4_format(via->ip, a) : "address unknown", node_port,
               svc->external_local ? " (Local: only nodes with a ready endpoint pass the "
                                     "health check)"
                                   : "");
    } else {
        detail(h, "%s:%u -> node %s (%s):%u/%s", c, sport, via->name,
               via->ip ? pn_ipv4_format(via->ip, a) : "address unknown", node_port,
               pn_proto_name(sp->proto));
    }
    /* kube-proxy on that node. */
    size_t eligible = count;
    if (svc->external_local) {
        free(backends);
        eligible = pn_proxy_route(w, svc, sp, via->name, true, &backends);
    }
    for (size_t i = 0; i < eligible; i++)
        add_candidate(&p, w, backends[i].pod, backends[i].ip, backends[i].port);
    h = add(&p, "kube-proxy", "DNAT");
    if (eligible == 0) {
        h->what = svc->external_local ? "DROPPED" : "REJECTED";
        stopped(&p, svc->external_local ? "no-local-endpoint" : "no-endpoints");
        detail(h,
               svc->external_local ? "externalTrafficPolicy Local and no ready endpoint on node "
                                     "%s: dropped"
                                   : "no ready endpoint: the connection is refused (%s)",
               svc->external_local ? via->name : "ICMP port unreachable");
        free(backends);
        return print_path(o, req, &p, false, false);
    }
    const pn_backend *be = &backends[mix(r) % eligible];
    snat = !svc->external_local;
    char endpoint[600] = "an address that is no pod's";
    if (be->pod >= 0)
        snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
    detail(h, "node port %u -> %s:%u (%s, %zu eligible)%s", node_port, pn_ipv4_format(be->ip, b),
           be->port, endpoint, eligible,
           snat ? "; SNAT to the node's address (externalTrafficPolicy Cluster)"
                : "; the client's address is kept (externalTrafficPolicy Local)");
    pn_ipv4 source = snat ? via->ip : client;
    p.received = (tuple){true, source, be->ip, snat ? 0 : sport, be->port, sp->proto};
    p.endpoint = be->pod >= 0 ? pn_arena_strdup(path_arena(&p), endpoint)
                              : pn_arena_strdup(path_arena(&p), pn_ipv4_format(be->ip, b));
    if (be->pod < 0) {
        h = add(&p, pn_ipv4_format(be->ip, b), "leaves");
        h->outcome = HOP_LEAVES;
        detail(h, "the endpoint is outside the cluster");
        free(backends);
        return print_path(o, req, &p, true, snat);
    }
    const pn_pod *dst = &pods[be->pod];
    h = add(&p, "network", "routes");
    if (dst->node_name && strcmp(dst->node_name, via->name) == 0)
        detail(h, "on node %s to the pod's veth", via->name);
    else
        detail(h, "node %s -> node %s", via->name,
               dst->node_name ? dst->node_name : "(unscheduled)");
    pn_port port = {be->port, sp->proto};
    pn_verdict v;
    if (snat && dst->node_name && strcmp(dst->node_name, via->name) == 0) {
        v.ingress =
            (pn_direction_verdict){.allowed = true, .why = PN_WHY_NODE, .policy = -1, .rule = -1};
        v.allowed = true;
    } else {
        v = pn_reach_evaluate_from_address(w, source, (size_t)be->pod, port);
    }
    policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
    if (v.ingress.allowed) {
        h = add(&p, endpoint, "receives");
        h->outcome = HOP_DELIVERS;
        detail(h, "%s:%u -> %s:%u/%s; the pod sees %s",
               source ? pn_ipv4_format(source, a) : "(node address)", sport,
               pn_ipv4_format(be->ip, b), be->port, pn_proto_name(sp->proto),
               snat ? "the node's address, not the client's" : "the client's own address");
    }
    free(backends);
    return print_path(o, req, &p, true, snat);
}

/* A sender in a declared remote network to a pod (or an address) in the VPC: it arrives by the
 * network's gateway, crosses the destination subnet's ACL and the ENI's groups, and the answer
 * must have a route back by the same gateway. Then the pod's ingress policy sees the address. */
static int trace_from_network(const sink *o, pn_world *w, const pn_trace_request *req,
                              const char *network, const char **why)
{
    pn_path_view *view = pn_path_view_new(w);
    pn_ipv4 src = view ? pn_path_network_address(view, network) : 0;
    if (!src) {
        pn_path_view_free(view);
        *why = "--from network/ names no RemoteNetwork (and needs an AWS world)";
        return -1;
    }
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_ipv4 dst_ip;
    long di = -1;
    const char *slash = strchr(req->to, '/');
    if (pn_ipv4_parse(req->to, &dst_ip) == 0) {
        di = pn_world_pod_by_ip(w, dst_ip);
    } else if (slash && strncmp(req->to, "svc/", 4) != 0 && strncmp(req->to, "network/", 8) != 0) {
        char ns[256];
        snprintf(ns, sizeof ns, "%.*s", (int)(slash - req->to), req->to);
        di = pn_world_find_pod(w, ns, slash + 1);
        dst_ip = di >= 0 ? pods[di].ip : 0;
    }
    if (di < 0 && !dst_ip) {
        pn_path_view_free(view);
        *why = "from a remote network, --to must be a pod (namespace/name) or an address";
        return -1;
    }
    path p = {0};
    char a[16], b[16];
    uint16_t sport = (uint16_t)(32768 + mix(req->seed) % 28232);
    hop *h = add(&p, req->from, "sends");
    detail(h, "%s:%u -> %s:%u/%s", pn_ipv4_format(src, a), sport, pn_ipv4_format(dst_ip, b),
           req->port.number, pn_proto_name(req->port.proto));
    sent(&p, src, sport, dst_ip, req->port.number, req->port.proto);
    if (di >= 0 && pods[di].phase != PN_POD_RUNNING) {
        not_running(&p, &pods[di], "it has no address, nothing can reach it");
    } else {
        pn_path np;
        pn_path_from from = {.pod = -1, .network = network, .ip = src};
        pn_path_walk(view, &from, dst_ip, req->port, 0, true, path_arena(&p), &np);
        pn_path_verdict nv = append_walk(&p, &np);
        p.received.sport = sport;
        pn_path_release(&np);
        if (nv == PN_PATH_DELIVERED && di >= 0) {
            pn_verdict v = pn_reach_evaluate_from_address(w, src, (size_t)di, req->port);
            policy_hop(&p, w, &pods[di], PN_INGRESS, &v.ingress);
            if (v.ingress.allowed) {
                char receiver[600];
                snprintf(receiver, sizeof receiver, "%s/%s", pods[di].ns_name, pods[di].name);
                p.endpoint = pn_arena_strdup(path_arena(&p), receiver);
                h = add(&p, receiver, "receives");
                h->outcome = HOP_DELIVERS;
                detail(h, "%s:%u -> %s:%u/%s; the pod sees the remote address", a, sport, b,
                       req->port.number, pn_proto_name(req->port.proto));
            }
        } else if (nv == PN_PATH_DELIVERED && p.count) {
            p.items[p.count - 1].outcome = HOP_DELIVERS;
            p.endpoint = pn_arena_strdup(path_arena(&p), b);
        }
    }
    pn_path_view_free(view);
    return print_path(o, req, &p, false, false);
}

/* The client's egress verdict for a lookup to kubeadm's CoreDNS pods when the input does not
 * declare them: a pod in kube-system labelled k8s-app=kube-dns with the ports dns (53/UDP),
 * dns-tcp (53/TCP) and metrics (9153/TCP) (reference §3), at an address podnet does not
 * know. */
static pn_direction_verdict stand_in_dns_egress(const pn_world *w, const pn_pod *client,
                                                pn_port port)
{
    pn_label label = {"k8s-app", "kube-dns"};
    pn_label ns_label = {"kubernetes.io/metadata.name", "kube-system"};
    pn_labels ns_labels = {&ns_label, 1};
    pn_container_port ports[] = {
        {"dns", 53, PN_PROTO_UDP}, {"dns-tcp", 53, PN_PROTO_TCP}, {"metrics", 9153, PN_PROTO_TCP}};
    pn_pod dns = {.name = "coredns",
                  .ns_name = "kube-system",
                  .ns = UINT_MAX,
                  .labels = {&label, 1},
                  .ports = ports,
                  .port_count = 3,
                  .ready = true};
    size_t nn;
    const pn_namespace *nss = pn_world_namespaces(w, &nn);
    for (size_t i = 0; i < nn; i++)
        if (strcmp(nss[i].name, "kube-system") == 0) {
            dns.ns = (unsigned)i;
            ns_labels = nss[i].labels;
        }
    pn_endpoint peer = {.pod = &dns, .ns_labels = &ns_labels, .ip = 0};
    pn_direction_verdict d = {
        .allowed = true, .why = PN_WHY_NOT_ISOLATED, .policy = -1, .rule = -1};
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    for (size_t i = 0; i < count; i++) {
        if (!pn_netpol_applies(&pols[i], client, PN_EGRESS))
            continue;
        if (d.isolating++ == 0)
            d = (pn_direction_verdict){
                .why = PN_WHY_NO_RULE, .policy = -1, .rule = -1, .isolating = 1};
        for (size_t r = 0; r < pols[i].rule_count[PN_EGRESS] && !d.allowed; r++)
            if (pn_netpol_rule_matches(&pols[i], &pols[i].rules[PN_EGRESS][r], &peer, &dns, port))
                d = (pn_direction_verdict){.allowed = true,
                                           .why = PN_WHY_RULE,
                                           .policy = (long)i,
                                           .rule = (long)r,
                                           .isolating = d.isolating};
    }
    return d;
}

/* A CoreDNS pod as kubeadm deploys it (kube-system, k8s-app=kube-dns), ready, with an address. */
static bool cluster_dns_pod(const pn_pod *p)
{
    const char *app = pn_labels_get(&p->labels, "k8s-app");
    return strcmp(p->ns_name, "kube-system") == 0 && app && strcmp(app, "kube-dns") == 0 && p->ip &&
           pn_pod_serving(p) && !p->host_network;
}

/* A name is looked up before the connection: a UDP query to port 53 of the cluster DNS
 * (kube-system/kube-dns through kube-proxy; without it the CoreDNS pods the input declares;
 * without those, kubeadm's CoreDNS pods stood in), with its own policy hops. Returns true when
 * policy lets it through; else the path stops with unresolved-name. A hostNetwork client's lookup
 * is node traffic. */
static bool dns_lookup_allowed(path *p, const pn_world *w, const pn_path_view *view, size_t si,
                               uint64_t r)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *client = &pods[si];
    if (client->host_network || !client->ip || client->phase != PN_POD_RUNNING)
        return true; /* node traffic; a pod that does not run stops at its own hop */
    pn_port port = {53, PN_PROTO_UDP};
    const pn_service *svc = pn_world_find_service(w, "kube-system", "kube-dns");
    const pn_service_port *sp = svc ? pn_service_find_port(svc, 53, PN_PROTO_UDP) : NULL;
    pn_backend *backends = NULL;
    size_t count = sp && !svc->headless ? pn_proxy_route(w, svc, sp, NULL, false, &backends) : 0;
    char a[16], b[16], c[16];
    uint16_t sport = (uint16_t)(32768 + mix(r ^ 53) % 28232);
    hop *h = add(p, "DNS lookup", "sends");
    pn_verdict v = {0};
    const pn_pod *server = NULL;
    /* Without the Service, the CoreDNS pods the input declares (kubeadm's labels), ready and
     * with an address, are the servers. */
    size_t declared = 0, chosen = 0;
    for (size_t i = 0; i < n && !count; i++)
        declared += cluster_dns_pod(&pods[i]);
    for (size_t i = 0, k = declared ? mix(r ^ 53) % declared : 0; i < n && declared; i++)
        if (cluster_dns_pod(&pods[i]) && k-- == 0) {
            chosen = i;
            break;
        }
    if (!count && declared) {
        server = &pods[chosen];
        detail(h, "%s:%u -> %s:53/UDP (%s/%s, one of %zu CoreDNS pods labelled k8s-app=kube-dns)",
               pn_ipv4_format(client->ip, a), sport, pn_ipv4_format(server->ip, b), server->ns_name,
               server->name, declared);
        v = pn_reach_evaluate_in(w, view, si, chosen, port);
    } else if (count) {
        const pn_backend *be = &backends[mix(r ^ 53) % count];
        char endpoint[600] = "an address that is no pod's";
        if (be->pod >= 0)
            snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
        detail(h, "%s:%u -> %s:53/UDP (kube-system/kube-dns), DNAT to %s:%u (%s)",
               pn_ipv4_format(client->ip, a), sport, pn_ipv4_format(svc->cluster_ip, b),
               pn_ipv4_format(be->ip, c), be->port, endpoint);
        port.number = be->port;
        if (be->pod >= 0) {
            server = &pods[be->pod];
            v = pn_reach_evaluate_in(w, view, si, (size_t)be->pod, port);
        } else {
            v = pn_reach_evaluate_address(w, si, be->ip, port);
        }
    } else {
        detail(h,
               "%s:%u -> the cluster DNS:53/UDP (kubeadm's CoreDNS pods: kube-system, "
               "k8s-app=kube-dns; not in the input)",
               pn_ipv4_format(client->ip, a), sport);
        v.egress = stand_in_dns_egress(w, client, port);
        v.ingress = (pn_direction_verdict){.allowed = true, .why = PN_WHY_NOT_ISOLATED};
        v.allowed = v.egress.allowed;
    }
    free(backends);
    policy_hop(p, w, client, PN_EGRESS, &v.egress);
    if (v.egress.allowed && server)
        policy_hop(p, w, server, PN_INGRESS, &v.ingress);
    if (v.egress.allowed && (!server || v.ingress.allowed))
        return true;
    p->items[p->count - 1].outcome = HOP_ONWARD;
    h = add(p, "DNS", "UNRESOLVED");
    detail(h, "the lookup got no answer: policy drops it, so the name cannot be resolved");
    stopped(p, "unresolved-name");
    return false;
}

/* The Service port with this node port and protocol among NodePort and LoadBalancer Services,
 * or NULL (*svc_out set with it). */
static const pn_service_port *node_port_of(const pn_world *w, pn_port port,
                                           const pn_service **svc_out)
{
    size_t sc;
    const pn_service *svcs = pn_world_services(w, &sc);
    for (size_t i = 0; i < sc; i++) {
        if (svcs[i].type != PN_SVC_NODE_PORT && svcs[i].type != PN_SVC_LOAD_BALANCER)
            continue;
        for (size_t k = 0; k < svcs[i].port_count; k++)
            if (svcs[i].ports[k].node_port == port.number && svcs[i].ports[k].proto == port.proto) {
                *svc_out = &svcs[i];
                return &svcs[i].ports[k];
            }
    }
    return NULL;
}

/* A pod to a node's InternalIP on a node port (reference §2.5, §2.9): the pod's egress policy
 * sees the node's address; that node's kube-proxy DNATs to any ready endpoint of the cluster
 * and, under externalTrafficPolicy Cluster, masquerades to its own address, so the endpoint's
 * ingress policy sees that node. Under Local, pod traffic is short-circuited to the cluster's
 * endpoints and keeps the pod's address. */
static int trace_to_node_port(const sink *o, pn_world *w, const pn_trace_request *req, size_t si,
                              const pn_service *svc, const pn_service_port *sp, const pn_node *node)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *src = &pods[si];
    path p = {0};
    char a[16], b[16];
    uint64_t r = mix(req->seed);
    uint16_t sport = (uint16_t)(32768 + r % 28232);
    hop *h = add(&p, req->from, "sends");
    detail(h, "%s:%u -> node %s (%s):%u/%s, node port of Service %s/%s", pn_ipv4_format(src->ip, a),
           sport, node->name, pn_ipv4_format(node->ip, b), sp->node_port, pn_proto_name(sp->proto),
           svc->ns_name, svc->name);
    sent(&p, src->ip, sport, node->ip, sp->node_port, sp->proto);
    bool nat = false, snat = false;
    if (!src->ip || src->phase != PN_POD_RUNNING) {
        not_running(&p, src, "it has no address to send from");
        return print_path(o, req, &p, nat, snat);
    }
    pn_port to_node = {sp->node_port, sp->proto};
    pn_verdict ev = pn_reach_evaluate_address(w, si, node->ip, to_node);
    if (src->node_name && strcmp(src->node_name, node->name) == 0)
        ev.egress =
            (pn_direction_verdict){.allowed = true, .why = PN_WHY_NODE, .policy = -1, .rule = -1};
    policy_hop(&p, w, src, PN_EGRESS, &ev.egress);
    if (!ev.egress.allowed)
        return print_path(o, req, &p, nat, snat);
    pn_backend *backends;
    size_t count = pn_proxy_route(w, svc, sp, NULL, false, &backends);
    for (size_t i = 0; i < count; i++)
        add_candidate(&p, w, backends[i].pod, backends[i].ip, backends[i].port);
    h = add(&p, "kube-proxy", "DNAT");
    if (count == 0) {
        h->what = "REJECTED";
        detail(h,
               "on node %s: no ready endpoint: the connection is refused (ICMP port "
               "unreachable)",
               node->name);
        stopped(&p, "no-endpoints");
        free(backends);
        return print_path(o, req, &p, nat, snat);
    }
    size_t pick = (size_t)(mix(r) % count);
    const pn_backend *be = &backends[pick];
    nat = true;
    snat = !svc->external_local;
    char endpoint[600] = "an address that is no pod's";
    if (be->pod >= 0)
        snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
    detail(h,
           "on node %s: node port %u -> %s:%u (%s, endpoint %zu of %zu, chosen at random with "
           "seed %llu)%s",
           node->name, sp->node_port, pn_ipv4_format(be->ip, a), be->port, endpoint, pick + 1,
           count, (unsigned long long)req->seed,
           snat ? "; masqueraded to the node's address (externalTrafficPolicy Cluster)"
                : "; a pod's traffic goes to the cluster's endpoints and keeps its address "
                  "(externalTrafficPolicy Local)");
    pn_ipv4 source = snat ? node->ip : src->ip;
    p.received = (tuple){true, source, be->ip, snat ? 0 : sport, be->port, sp->proto};
    if (be->pod < 0) {
        h = add(&p, pn_ipv4_format(be->ip, b), "leaves");
        h->outcome = HOP_LEAVES;
        detail(h, "the endpoint is outside the cluster");
        p.endpoint = pn_arena_strdup(path_arena(&p), b);
        free(backends);
        return print_path(o, req, &p, nat, snat);
    }
    const pn_pod *dst = &pods[be->pod];
    h = add(&p, "network", "routes");
    if (dst->node_name && strcmp(dst->node_name, node->name) == 0)
        detail(h, "on node %s to the pod's veth", node->name);
    else
        detail(h, "node %s -> node %s", node->name,
               dst->node_name ? dst->node_name : "(unscheduled)");
    pn_port port = {be->port, sp->proto};
    pn_verdict v = snat ? pn_reach_evaluate_from_address(w, source, (size_t)be->pod, port)
                        : pn_reach_evaluate_in(w, NULL, si, (size_t)be->pod, port);
    policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
    if (v.ingress.allowed) {
        p.endpoint = pn_arena_strdup(path_arena(&p), endpoint);
        h = add(&p, endpoint, "receives");
        h->outcome = HOP_DELIVERS;
        if (snat)
            detail(h, "%s -> %s:%u/%s; the pod sees node %s's address, not the client's",
                   pn_ipv4_format(source, a), pn_ipv4_format(be->ip, b), be->port,
                   pn_proto_name(sp->proto), node->name);
        else
            detail(h, "%s:%u -> %s:%u/%s; the pod sees the client pod's own address",
                   pn_ipv4_format(source, a), sport, pn_ipv4_format(be->ip, b), be->port,
                   pn_proto_name(sp->proto));
    }
    free(backends);
    return print_path(o, req, &p, nat, snat);
}

/* Traffic from a node itself (kubelet, a hostNetwork pod): the node's address is the source
 * and no pod policy applies on egress. A DNS name is asked of the cluster DNS as given. A
 * Service is DNATed by kube-proxy and masqueraded (the node's address is not in the pod
 * range, reference §2.9); the endpoint's ingress policy sees the node, which is always
 * allowed on its own node. */
static int trace_from_node(const sink *o, pn_world *w, const pn_trace_request *req,
                           const char *name, const char **why)
{
    const pn_node *node = pn_world_find_node(w, name);
    if (!node) {
        *why = "--from node/ names no node";
        return -1;
    }
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    path p = {0};
    char a[16], b[16];
    uint64_t r = mix(req->seed);
    uint16_t sport = (uint16_t)(32768 + r % 28232);
    const char *to = req->to;
    char target[600];
    pn_ipv4 ip;
    const pn_service *svc = NULL;
    long di = -1;
    pn_ipv4 dst_ip = 0;
    bool nat = false, snat = false;
    hop *h;
    if (strncmp(to, "svc/", 4) == 0) {
        const char *slash = strchr(to + 4, '/');
        snprintf(target, sizeof target, "%.*s", slash ? (int)(slash - to - 4) : 0, to + 4);
        svc = slash ? pn_world_find_service(w, target, slash + 1) : NULL;
        if (!svc) {
            *why = "--to names no Service";
            return -1;
        }
        if (svc->type == PN_SVC_EXTERNAL_NAME) {
            /* Asked of the cluster DNS: an alias of a Service of the cluster is that Service;
             * one outside leaves; one that looks like an address has no record. */
            char fqdn[600];
            snprintf(fqdn, sizeof fqdn, "%s.%s.svc." PN_DNS_ZONE, svc->name, svc->ns_name);
            pn_dns_answer ans = pn_dns_lookup(w, fqdn);
            h = add(&p, "DNS", "resolves");
            detail(h, "%s asked of the cluster DNS", fqdn);
            for (size_t i = 0; i < ans.alias_count; i++)
                pn_buf_appendf(&h->detail, "; %.200s CNAME %.200s.", ans.aliases[i].name,
                               ans.aliases[i].target);
            if (ans.kind == PN_DNS_CNAME) {
                h->what = "CNAME";
                h->outcome = HOP_LEAVES;
                pn_buf_appendf(&h->detail,
                               " -> CNAME %s.: outside the cluster; podnet follows "
                               "it no further",
                               ans.cname);
                return print_path(o, req, &p, nat, snat);
            }
            if (ans.kind != PN_DNS_A || !ans.service || ans.service->headless || ans.pod >= 0) {
                h->what = "NXDOMAIN";
                pn_buf_append(&h->detail, ans.ip_like ? ": the ExternalName looks like an IPv4 "
                                                        "address, CoreDNS serves no record"
                                                      : ": no Service address to connect to");
                stopped(&p, "nxdomain");
                return print_path(o, req, &p, nat, snat);
            }
            svc = ans.service;
            pn_buf_appendf(&h->detail, " -> Service %s/%s", svc->ns_name, svc->name);
        }
    } else if (strchr(to, '/')) {
        const char *slash = strchr(to, '/');
        snprintf(target, sizeof target, "%.*s", (int)(slash - to), to);
        di = pn_world_find_pod(w, target, slash + 1);
        if (di < 0) {
            *why = "from a node, --to must be a pod, a Service, an address or a DNS name";
            return -1;
        }
        dst_ip = pods[di].ip;
    } else if (pn_ipv4_parse(to, &ip) == 0) {
        size_t sc;
        const pn_service *svcs = pn_world_services(w, &sc);
        for (size_t i = 0; i < sc && !svc; i++)
            if (svcs[i].cluster_ip == ip && !svcs[i].headless &&
                svcs[i].type != PN_SVC_EXTERNAL_NAME)
                svc = &svcs[i];
        dst_ip = ip;
        di = pn_world_pod_by_ip(w, ip);
    } else if (pn_dns_name_valid(to)) {
        pn_dns_resolution res;
        pn_dns_resolve_in(w, NULL, to, &res);
        h = add(&p, "DNS", res.found ? "resolves" : "NXDOMAIN");
        detail(h, "%.250s asked of the cluster DNS as given (a node has no cluster search list)",
               to);
        for (size_t i = 0; i < res.answer.alias_count; i++)
            pn_buf_appendf(&h->detail, "; %.200s CNAME %.200s.", res.answer.aliases[i].name,
                           res.answer.aliases[i].target);
        if (!res.found) {
            stopped(&p, "nxdomain");
            return print_path(o, req, &p, nat, snat);
        }
        if (res.answer.kind == PN_DNS_UPSTREAM || res.answer.kind == PN_DNS_CNAME) {
            h->what = "upstream";
            h->outcome = HOP_LEAVES;
            pn_buf_append(&h->detail, ": answered outside the cluster; podnet follows it no "
                                      "further");
            return print_path(o, req, &p, nat, snat);
        }
        if (res.answer.service && !res.answer.service->headless && res.answer.pod < 0) {
            svc = res.answer.service;
        } else {
            for (size_t i = 0; i < res.answer.address_count; i++)
                add_candidate(&p, w, pn_world_pod_by_ip(w, res.answer.addresses[i]),
                              res.answer.addresses[i], req->port.number);
            dst_ip = res.answer
                         .addresses[res.answer.address_count > 1 ? mix(r) % res.answer.address_count
                                                                 : 0];
            di = pn_world_pod_by_ip(w, dst_ip);
        }
        pn_buf_appendf(&h->detail, " -> %s", svc ? svc->name : pn_ipv4_format(dst_ip, a));
    } else {
        *why = "--to must be namespace/pod, svc/namespace/name, an IPv4 address or a DNS name";
        return -1;
    }
    uint16_t dport = req->port.number;
    h = add(&p, req->from, "sends");
    pn_ipv4 vip = svc ? svc->cluster_ip : dst_ip;
    detail(h, "%s:%u -> %s:%u/%s (the node's own address; no pod policy applies on egress)",
           node->ip ? pn_ipv4_format(node->ip, a) : "(node address)", sport,
           svc && svc->headless ? "(headless)" : pn_ipv4_format(vip, b), dport,
           pn_proto_name(req->port.proto));
    sent(&p, node->ip, sport, vip, dport, req->port.proto);
    if (svc) {
        const pn_service_port *sp = pn_service_find_port(svc, dport, req->port.proto);
        if (svc->type == PN_SVC_EXTERNAL_NAME || svc->headless || !sp) {
            h = add(&p, "kube-proxy", "DROPPED");
            detail(h, "Service %s/%s has no kube-proxy rule for %u/%s%s: dropped", svc->ns_name,
                   svc->name, dport, pn_proto_name(req->port.proto),
                   svc->type == PN_SVC_EXTERNAL_NAME ? " (an ExternalName is a DNS alias)"
                   : svc->headless                   ? " (headless)"
                                                     : "");
            stopped(&p, "no-rule");
            return print_path(o, req, &p, nat, snat);
        }
        bool local = svc->internal_local;
        pn_backend *backends;
        size_t count = pn_proxy_route(w, svc, sp, node->name, local, &backends);
        for (size_t i = 0; i < count; i++)
            add_candidate(&p, w, backends[i].pod, backends[i].ip, backends[i].port);
        h = add(&p, "kube-proxy", "DNAT");
        if (count == 0) {
            h->what = local ? "DROPPED" : "REJECTED";
            detail(h,
                   local ? "internalTrafficPolicy Local and no ready endpoint on node %s: "
                           "dropped"
                         : "no ready endpoint on %s's Service: the connection is refused",
                   local ? node->name : svc->name);
            stopped(&p, local ? "no-local-endpoint" : "no-endpoints");
            free(backends);
            return print_path(o, req, &p, nat, snat);
        }
        size_t pick = (size_t)(mix(r) % count);
        dst_ip = backends[pick].ip;
        dport = backends[pick].port;
        di = backends[pick].pod;
        nat = snat = true;
        char endpoint[600] = "an address that is no pod's";
        if (di >= 0)
            snprintf(endpoint, sizeof endpoint, "%s/%s", pods[di].ns_name, pods[di].name);
        detail(h,
               "%s:%u -> %s:%u (%s, endpoint %zu of %zu, chosen at random with seed %llu); "
               "masqueraded: the node's address is not in the pod range",
               pn_ipv4_format(svc->cluster_ip, a), sp->port, pn_ipv4_format(dst_ip, b), dport,
               endpoint, pick + 1, count, (unsigned long long)req->seed);
        free(backends);
    }
    p.received = (tuple){true, node->ip, dst_ip, snat ? 0 : sport, dport, req->port.proto};
    if (di < 0) {
        h = add(&p, pn_ipv4_format(dst_ip, b), "leaves");
        h->outcome = HOP_LEAVES;
        detail(h, "no pod of the cluster has this address: podnet follows it no further");
        p.endpoint = pn_arena_strdup(path_arena(&p), b);
        return print_path(o, req, &p, nat, snat);
    }
    const pn_pod *dst = &pods[di];
    if (dst->phase != PN_POD_RUNNING) {
        not_running(&p, dst, "it has no address, nothing can reach it");
        return print_path(o, req, &p, nat, snat);
    }
    h = add(&p, "network", "routes");
    if (dst->node_name && strcmp(dst->node_name, node->name) == 0)
        detail(h, "on node %s to the pod's veth", node->name);
    else
        detail(h, "node %s -> node %s", node->name,
               dst->node_name ? dst->node_name : "(unscheduled)");
    pn_verdict v =
        pn_reach_evaluate_from_address(w, node->ip, (size_t)di, (pn_port){dport, req->port.proto});
    policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
    if (v.ingress.allowed) {
        char receiver[600];
        snprintf(receiver, sizeof receiver, "%s/%s", dst->ns_name, dst->name);
        p.endpoint = pn_arena_strdup(path_arena(&p), receiver);
        h = add(&p, receiver, "receives");
        h->outcome = HOP_DELIVERS;
        detail(h, "%s -> %s:%u/%s; the pod sees node %s's address", pn_ipv4_format(node->ip, a),
               pn_ipv4_format(dst_ip, b), dport, pn_proto_name(req->port.proto), node->name);
    }
    return print_path(o, req, &p, nat, snat);
}

static int trace(const sink *o, pn_world *w, const pn_trace_request *req, const char **why)
{
    pn_ipv4 client;
    if (pn_ipv4_parse(req->from, &client) == 0)
        return trace_external(o, w, req, client, why);
    if (strncmp(req->from, "external/", 9) == 0) {
        if (pn_ipv4_parse(req->from + 9, &client) != 0) {
            *why = "--from external/ must be followed by an IPv4 address";
            return -1;
        }
        return trace_external(o, w, req, client, why);
    }
    if (strncmp(req->from, "network/", 8) == 0)
        return trace_from_network(o, w, req, req->from + 8, why);
    if (strncmp(req->from, "node/", 5) == 0)
        return trace_from_node(o, w, req, req->from + 5, why);
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const char *slash = strchr(req->from, '/');
    char ns[256];
    if (!slash || (size_t)(slash - req->from) >= sizeof ns) {
        *why = "--from must be namespace/pod";
        return -1;
    }
    snprintf(ns, sizeof ns, "%.*s", (int)(slash - req->from), req->from);
    long si = pn_world_find_pod(w, ns, slash + 1);
    if (si < 0) {
        *why = "--from names no pod";
        return -1;
    }
    const pn_pod *src = &pods[si];
    uint64_t r = mix(req->seed);
    uint16_t sport = (uint16_t)(32768 + r % 28232); /* Linux's default ephemeral range */
    path p = {0};
    pn_path_view *view = pn_path_view_new(w); /* NULL without a VPC: the flat pod network */
    char a[16], b[16];
    pn_ipv4 dst_ip = 0;
    uint16_t dport = req->port.number;
    long di = -1;
    bool nat = false, snat = false, hairpin = false;
    hop *h;

    char svc_target[600] = "";
    const char *to = req->to;
    pn_ipv4 literal;
    const pn_service *np_svc = NULL;
    const pn_service_port *np_port = NULL;
    const pn_node *np_node = NULL;
    if (!strchr(to, '/') && pn_ipv4_parse(to, &literal) == 0) {
        size_t nc;
        const pn_node *nodes = pn_world_nodes(w, &nc);
        for (size_t i = 0; i < nc && !np_node; i++)
            if (nodes[i].ip == literal)
                np_node = &nodes[i];
        np_port = np_node ? node_port_of(w, req->port, &np_svc) : NULL;
    }
    if (np_port) {
        /* A node's address on a node port: that node's kube-proxy answers it. */
        pn_path_view_free(view);
        return trace_to_node_port(o, w, req, (size_t)si, np_svc, np_port, np_node);
    }
    if (!strchr(to, '/') && pn_ipv4_parse(to, &literal) == 0) {
        /* A Service's cluster IP is kube-proxy's, as its name and svc/ are: the same walk,
         * whatever the port (one the Service does not define matches no rule). */
        size_t sc;
        const pn_service *svcs = pn_world_services(w, &sc);
        for (size_t i = 0; i < sc; i++)
            if (svcs[i].cluster_ip == literal && !svcs[i].headless &&
                svcs[i].type != PN_SVC_EXTERNAL_NAME) {
                snprintf(svc_target, sizeof svc_target, "svc/%s/%s", svcs[i].ns_name, svcs[i].name);
                to = svc_target;
                break;
            }
    } else if (!strchr(to, '/') && !pn_dns_name_valid(to)) {
        *why = "--to must be namespace/pod, svc/namespace/name, network/NAME, an IPv4 address "
               "or a DNS name";
        pn_path_view_free(view);
        return -1;
    } else if (!strchr(to, '/')) {
        /* A DNS name: the lookup is a connection of its own, then the pod's resolver. */
        if (!dns_lookup_allowed(&p, w, view, (size_t)si, r))
            goto done;
        pn_dns_resolution res;
        pn_dns_resolve(w, src, to, &res);
        h = add(&p, "DNS", res.found ? "resolves" : "NXDOMAIN");
        for (size_t i = 0; i < res.count; i++)
            pn_buf_appendf(&h->detail, "%s%.200s%s", i ? ", " : "", res.tried[i],
                           res.results[i] == PN_DNS_NXDOMAIN ? " (NXDOMAIN)" : "");
        for (size_t i = 0; i < res.answer.alias_count; i++)
            pn_buf_appendf(&h->detail, "%s%.200s CNAME %.200s.", i ? ", " : "; ",
                           res.answer.aliases[i].name, res.answer.aliases[i].target);
        if (!res.found) {
            if (res.answer.ip_like)
                pn_buf_appendf(&h->detail,
                               "; ExternalName %s/%s is \"%s\", which looks like an IPv4 "
                               "address: CoreDNS serves no record for it, so the name has no "
                               "address",
                               res.answer.ip_like->ns_name, res.answer.ip_like->name,
                               res.answer.ip_like->external_name);
            stopped(&p, "nxdomain");
            goto done;
        }
        if (res.answer.kind == PN_DNS_UPSTREAM) {
            if (res.ip_like)
                pn_buf_appendf(&h->detail,
                               " (ExternalName %s/%s is \"%s\", which looks like an IPv4 "
                               "address: CoreDNS serves no record for it)",
                               res.ip_like->ns_name, res.ip_like->name, res.ip_like->external_name);
            pn_buf_append(&h->detail, " -> outside the cluster domain: forwarded upstream; "
                                      "podnet follows it no further");
            h->what = "upstream";
            h->outcome = HOP_LEAVES;
            outside_egress_note(&p, h, w, (size_t)si, req->port);
            goto done;
        }
        if (res.answer.kind == PN_DNS_CNAME) {
            pn_buf_appendf(&h->detail,
                           " -> CNAME %s. (ExternalName): a name outside the cluster, which "
                           "the client resolves upstream; podnet follows it no further",
                           res.answer.cname);
            h->what = "CNAME";
            h->outcome = HOP_LEAVES;
            outside_egress_note(&p, h, w, (size_t)si, req->port);
            goto done;
        }
        if (res.answer.service && !res.answer.service->headless && res.answer.pod < 0) {
            snprintf(svc_target, sizeof svc_target, "svc/%s/%s", res.answer.service->ns_name,
                     res.answer.service->name);
            to = svc_target;
        } else {
            /* Every A record is a candidate: the client picks among them (the seed stands
             * for its choice). */
            size_t count = res.answer.address_count;
            for (size_t i = 0; i < count; i++)
                add_candidate(&p, w, pn_world_pod_by_ip(w, res.answer.addresses[i]),
                              res.answer.addresses[i], req->port.number);
            size_t pick = count > 1 ? (size_t)(mix(r) % count) : 0;
            literal = res.answer.addresses[pick];
            long pi = pn_world_pod_by_ip(w, literal);
            if (pi >= 0)
                snprintf(svc_target, sizeof svc_target, "%s/%s", pods[pi].ns_name, pods[pi].name);
            else
                pn_ipv4_format(literal, svc_target);
            to = svc_target;
            if (count > 1)
                pn_buf_appendf(&h->detail,
                               " -> %zu addresses, the client takes %zu of %zu "
                               "(chosen at random with seed %llu)",
                               count, pick + 1, count, (unsigned long long)req->seed);
        }
        pn_buf_appendf(&h->detail, " -> %s", to);
    }
    if (strncmp(to, "svc/", 4) == 0) {
        const char *rest = to + 4, *s2 = strchr(rest, '/');
        char sns[256];
        if (!s2 || (size_t)(s2 - rest) >= sizeof sns) {
            *why = "--to svc/ must be svc/namespace/name";
            path_free(&p);
            pn_path_view_free(view);
            return -1;
        }
        snprintf(sns, sizeof sns, "%.*s", (int)(s2 - rest), rest);
        const pn_service *svc = pn_world_find_service(w, sns, s2 + 1);
        if (!svc) {
            *why = "--to names no Service";
            path_free(&p);
            pn_path_view_free(view);
            return -1;
        }
        if (svc->type == PN_SVC_EXTERNAL_NAME) {
            /* No cluster IP and no kube-proxy rule: the client looks the name up. A CNAME
             * into the cluster is followed (and its Service's kube-proxy rule applies); one
             * outside leaves; an address-like value has no record at all. */
            char fqdn[600];
            snprintf(fqdn, sizeof fqdn, "%s.%s.svc." PN_DNS_ZONE, svc->name, svc->ns_name);
            if (!dns_lookup_allowed(&p, w, view, (size_t)si, r))
                goto done;
            pn_dns_answer ans = pn_dns_lookup(w, fqdn);
            h = add(&p, "DNS", "CNAME");
            detail(h, "%s", fqdn);
            for (size_t i = 0; i < ans.alias_count; i++)
                pn_buf_appendf(&h->detail, "%s%.200s CNAME %.200s.", i ? ", " : " -> ",
                               ans.aliases[i].name, ans.aliases[i].target);
            if (ans.ip_like) {
                h->what = "NXDOMAIN";
                pn_buf_appendf(&h->detail,
                               ": the ExternalName \"%s\" looks like an IPv4 address, and "
                               "CoreDNS serves no record for it: the name has no address",
                               svc->external_name);
                stopped(&p, "nxdomain");
                goto done;
            }
            if (ans.kind == PN_DNS_CNAME) {
                h->outcome = HOP_LEAVES;
                pn_buf_appendf(&h->detail,
                               " -> CNAME %s. (ExternalName: no cluster IP, no kube-proxy "
                               "rule): the client connects outside the cluster; podnet "
                               "follows it no further",
                               ans.cname);
                outside_egress_note(&p, h, w, (size_t)si, req->port);
                goto done;
            }
            if (ans.kind != PN_DNS_A || !ans.service || ans.service->headless || ans.pod >= 0) {
                h->what = ans.kind == PN_DNS_A ? "resolves" : "NXDOMAIN";
                if (ans.kind != PN_DNS_A) {
                    pn_buf_append(&h->detail, ": the target has no record");
                    stopped(&p, "nxdomain");
                    goto done;
                }
                /* The target is a headless Service or a pod's record: its addresses. */
                for (size_t i = 0; i < ans.address_count; i++)
                    add_candidate(&p, w, pn_world_pod_by_ip(w, ans.addresses[i]), ans.addresses[i],
                                  req->port.number);
                size_t pick = ans.address_count > 1 ? (size_t)(mix(r) % ans.address_count) : 0;
                literal = ans.addresses[pick];
                long pi = pn_world_pod_by_ip(w, literal);
                if (pi >= 0)
                    snprintf(svc_target, sizeof svc_target, "%s/%s", pods[pi].ns_name,
                             pods[pi].name);
                else
                    pn_ipv4_format(literal, svc_target);
                to = svc_target;
                pn_buf_appendf(&h->detail, " -> %s", to);
                goto direct; /* a pod or an address now: the branch below takes it */
            }
            svc = ans.service;
            h->what = "resolves";
            pn_buf_appendf(&h->detail, " -> %s (Service %s/%s)", pn_ipv4_format(svc->cluster_ip, b),
                           svc->ns_name, svc->name);
        }
        const pn_service_port *sp = pn_service_find_port(svc, req->port.number, req->port.proto);
        /* A headless Service has no kube-proxy rule: its name gives pod addresses, and the
         * client connects to them on the port it asked for. */
        pn_service_port direct_port = {
            .port = req->port.number, .proto = req->port.proto, .target_port = req->port.number};
        if (!sp && svc->headless && svc->port_count == 0)
            sp = &direct_port;
        h = add(&p, req->from, "sends");
        const char *vip = svc->headless ? "(headless: DNS answers with the pod addresses)"
                                        : pn_ipv4_format(svc->cluster_ip, b);
        detail(h, "%s:%u -> %s:%u/%s", pn_ipv4_format(src->ip, a), sport, vip, req->port.number,
               pn_proto_name(req->port.proto));
        sent(&p, src->ip, sport, svc->headless ? 0 : svc->cluster_ip, req->port.number,
             req->port.proto);
        if (!sp) {
            /* kube-proxy has rules for the Service's ports only (reference §2.8): nothing
             * rewrites the packet, and nothing answers at a virtual address. */
            h = add(&p, "kube-proxy", "DROPPED");
            detail(h,
                   "Service %s/%s defines no port %u/%s: no kube-proxy rule matches, and "
                   "nothing answers at %s: dropped",
                   svc->ns_name, svc->name, req->port.number, pn_proto_name(req->port.proto),
                   svc->headless ? "the pod addresses on a port the Service does not name" : vip);
            stopped(&p, "no-rule");
            goto done;
        }
        /* kube-proxy on the client's node picks among the routable endpoints; DNS of a
         * headless Service answers with the ready ones. */
        bool local = svc->internal_local && !svc->headless;
        pn_backend *backends;
        size_t count = svc->headless ? pn_proxy_backends(w, svc, sp, &backends)
                                     : pn_proxy_route(w, svc, sp, src->node_name, local, &backends);
        for (size_t i = 0; i < count; i++)
            add_candidate(&p, w, backends[i].pod, backends[i].ip, backends[i].port);
        h = add(&p, svc->headless ? "DNS" : "kube-proxy", svc->headless ? "resolves" : "DNAT");
        if (local && count == 0) {
            detail(h, "internalTrafficPolicy Local and no ready endpoint on node %s: dropped",
                   src->node_name ? src->node_name : "(unscheduled)");
            h->what = "DROPPED";
            stopped(&p, "no-local-endpoint");
            free(backends);
            goto done;
        }
        if (count == 0) {
            free(backends);
            detail(h, "no ready endpoint: the connection is refused (ICMP port unreachable)");
            h->what = "REJECTED";
            stopped(&p, "no-endpoints");
            goto done;
        }
        size_t pick = (size_t)(mix(r) % count);
        char affinity[160] = "";
        if (svc->affinity_seconds && !svc->headless)
            snprintf(affinity, sizeof affinity,
                     "; sessionAffinity ClientIP: this client's new connections go to the same "
                     "endpoint until it opens none for %d s",
                     svc->affinity_seconds);
        const pn_backend *be = &backends[pick];
        dst_ip = be->ip;
        dport = be->port;
        di = be->pod;
        nat = !svc->headless;
        /* Hairpin: kube-proxy's endpoint chain masquerades a packet from the endpoint itself
         * (KUBE-SEP: -s <endpoint> -j KUBE-MARK-MASQ), so it comes back from the node. */
        hairpin = nat && be->pod == si;
        /* What the endpoint sees is the DNATed destination (the network walk, when there is
         * one, says it again). */
        p.received.dst = be->ip;
        p.received.dport = be->port;
        char endpoint[600] = "an address that is no pod's";
        if (be->pod >= 0)
            snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
        detail(h,
               "%s:%u -> %s:%u (%s, endpoint %zu of %zu%s%s, chosen at random with seed %llu)%s%s",
               svc->headless ? svc->name : pn_ipv4_format(svc->cluster_ip, b), sp->port,
               pn_ipv4_format(be->ip, a), be->port, endpoint, pick + 1, count,
               local ? " on this node: internalTrafficPolicy Local" : "",
               be->ready ? ""
                         : "; none is ready, so kube-proxy uses those still serving while they "
                           "terminate",
               (unsigned long long)req->seed, affinity,
               hairpin ? "; the client is the endpoint: hairpin, masqueraded to the node's "
                         "address"
                       : "");
        free(backends);
    } else {
    direct:; /* a pod, an address, a block or a network: no kube-proxy rule on the way */
        pn_ipv4 ip;
        const char *s3 = strchr(to, '/');
        pn_cidr block;
        const char *bad;
        char head[64];
        snprintf(head, sizeof head, "%.*s", s3 ? (int)(s3 - to) : 0, to);
        if (s3 && pn_ipv4_parse(head, &ip) == 0 && pn_cidr_parse(to, &block, &bad) == 0 &&
            block.family == 4) {
            /* A block: its first host stands for it, as in expectations. */
            dst_ip = block.len >= 31 ? block.addr : block.addr + 1;
            di = pn_world_pod_by_ip(w, dst_ip);
        } else if (strncmp(to, "network/", 8) == 0) {
            dst_ip = view ? pn_path_network_address(view, to + 8) : 0;
            if (!dst_ip) {
                *why = "--to network/ names no RemoteNetwork";
                path_free(&p);
                pn_path_view_free(view);
                return -1;
            }
        } else if (s3) {
            char dns[256];
            snprintf(dns, sizeof dns, "%.*s", (int)(s3 - to), to);
            di = pn_world_find_pod(w, dns, s3 + 1);
            if (di < 0) {
                *why = "--to names no pod";
                path_free(&p);
                pn_path_view_free(view);
                return -1;
            }
            dst_ip = pods[di].ip;
        } else if (pn_ipv4_parse(to, &ip) == 0) {
            dst_ip = ip;
            di = pn_world_pod_by_ip(w, ip);
        } else {
            *why = "--to must be namespace/pod, svc/namespace/name, network/NAME or an IPv4 "
                   "address";
            path_free(&p);
            pn_path_view_free(view);
            return -1;
        }
        h = add(&p, req->from, "sends");
        detail(h, "%s:%u -> %s:%u/%s", pn_ipv4_format(src->ip, a), sport,
               dst_ip ? pn_ipv4_format(dst_ip, b) : "(no address)", dport,
               pn_proto_name(req->port.proto));
        sent(&p, src->ip, sport, dst_ip, dport, req->port.proto);
    }
    /* A pod that does not run has no network: it neither sends nor receives. */
    if (!src->ip || src->phase != PN_POD_RUNNING) {
        not_running(&p, src, "it has no address to send from");
        goto done;
    }
    if (di >= 0 && pods[di].phase != PN_POD_RUNNING) {
        not_running(&p, &pods[di], "it has no address, nothing can reach it");
        goto done;
    }
    {
        pn_port port = {dport, req->port.proto};
        pn_verdict v = di >= 0 ? pn_reach_evaluate_in(w, view, (size_t)si, (size_t)di, port)
                               : pn_reach_evaluate_address(w, (size_t)si, dst_ip, port);
        policy_hop(&p, w, src, PN_EGRESS, &v.egress);
        if (!v.egress.allowed)
            goto done;
        const pn_pod *dst = di >= 0 ? &pods[di] : NULL;
        /* The walk covers pod addresses, and a hostNetwork pod's traffic to what is no pod
         * (reach leaves node traffic between pods to the flat hop, and trace agrees). */
        if (view && (!dst || (!dst->host_network && !src->host_network))) {
            /* The network, lookup by lookup. The source port is left open so that the ACLs'
             * answer holds for any the client picks, as reach asks it. */
            pn_path np;
            pn_path_from from = {.pod = si};
            pn_path_walk(view, &from, dst_ip, port, 0, true, path_arena(&p), &np);
            pn_path_verdict nv = append_walk(&p, &np);
            snat = np.snat;
            if (!snat)
                p.received.sport = sport;
            const char *reached = np.reached;
            bool replies_refused = np.replies_refused;
            pn_path_release(&np);
            if (nv == PN_PATH_DROPPED && replies_refused && dst && p.count) {
                /* The request reached the pod: its ingress policy judges it before any reply
                 * is sent, so the policy hop goes before the ACL's refusal of the replies. */
                hop replies = p.items[--p.count];
                const char *acl_reason = p.reason;
                p.reason = NULL;
                policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
                if (!v.ingress.allowed) {
                    pn_buf_free(&replies.detail);
                    goto done;
                }
                PN_GROW(p.items, p.count, p.cap);
                p.items[p.count++] = replies;
                p.reason = acl_reason;
                goto done;
            }
            if (nv == PN_PATH_DROPPED)
                goto done;
            if (nv == PN_PATH_LEFT) {
                if (!dst) {
                    h = add(&p, pn_ipv4_format(dst_ip, b), "leaves");
                    h->outcome = HOP_LEAVES;
                    char seen_port[8] = "";
                    if (p.received.sport) /* 0: any port the SNAT picks */
                        snprintf(seen_port, sizeof seen_port, ":%u", p.received.sport);
                    detail(h, "%s%s -> %s:%u/%s leaves AWS: podnet follows it no further",
                           pn_ipv4_format(p.received.src, a), seen_port, pn_ipv4_format(dst_ip, b),
                           dport, pn_proto_name(req->port.proto));
                    p.endpoint = pn_arena_strdup(path_arena(&p), b);
                }
                goto done;
            }
            if (!dst) { /* a declared remote network, the node, or IMDS */
                p.endpoint = reached ? reached : pn_arena_strdup(path_arena(&p), b);
                if (p.count)
                    p.items[p.count - 1].outcome = HOP_DELIVERS;
                goto done;
            }
        } else {
            snat = network_hop(&p, w, src, dst, dst_ip);
            if (!dst) {
                h = add(&p, pn_ipv4_format(dst_ip, b), "leaves");
                h->outcome = HOP_LEAVES;
                detail(h, "outside the cluster: podnet follows it no "
                          "further");
                p.endpoint = pn_arena_strdup(path_arena(&p), b);
                goto done;
            }
        }
        policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
        if (!v.ingress.allowed)
            goto done;
        if (hairpin) {
            const pn_node *node = src->node_name ? pn_world_find_node(w, src->node_name) : NULL;
            snat = true;
            p.received.src = node ? node->ip : 0;
            p.received.sport = 0; /* MASQUERADE --random-fully picks any */
        }
        char receiver[600];
        snprintf(receiver, sizeof receiver, "%s/%s", dst->ns_name, dst->name);
        p.endpoint = pn_arena_strdup(path_arena(&p), receiver);
        h = add(&p, receiver, "receives");
        h->outcome = HOP_DELIVERS;
        char seen[32];
        uint16_t seen_port = snat ? p.received.sport : sport; /* 0: any SNAT picks */
        snprintf(seen, sizeof seen, "%s",
                 p.received.src ? pn_ipv4_format(p.received.src, a) : "(the node's address)");
        if (seen_port)
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), ":%u", seen_port);
        detail(h, "%s -> %s:%u/%s; source %s", seen, pn_ipv4_format(dst_ip, b), dport,
               pn_proto_name(req->port.proto),
               hairpin ? "masqueraded to the node's address (hairpin: the pod reached itself "
                         "through its Service)"
               : snat  ? "NATed to the node's address"
               : src->host_network ? "the node's own address (a hostNetwork pod): not NATed"
               : nat               ? "not NATed (only the destination was, by kube-proxy)"
                                   : "and destination not NATed: pod to pod without NAT");
    }
done:
    pn_path_view_free(view);
    return print_path(o, req, &p, nat, snat);
}

/* {"src": "ip:port", "dst": "ip:port", "protocol": "TCP"}; a port of 0 (any the client or its
 * SNAT picks) is left out. */
static cJSON *tuple_json(const tuple *t)
{
    cJSON *o = cJSON_CreateObject();
    char ip[16], text[32];
    if (t->src && t->sport)
        snprintf(text, sizeof text, "%s:%u", pn_ipv4_format(t->src, ip), t->sport);
    else
        snprintf(text, sizeof text, "%s", t->src ? pn_ipv4_format(t->src, ip) : "");
    cJSON_AddStringToObject(o, "src", text);
    if (t->dst)
        snprintf(text, sizeof text, "%s:%u", pn_ipv4_format(t->dst, ip), t->dport);
    else
        snprintf(text, sizeof text, ":%u", t->dport);
    cJSON_AddStringToObject(o, "dst", text);
    cJSON_AddStringToObject(o, "protocol", pn_proto_name(t->proto));
    return o;
}

static void add_string_if(cJSON *o, const char *key, const char *value)
{
    if (value && *value)
        cJSON_AddStringToObject(o, key, value);
}

/* Writes the path and frees it. Returns 0 when the connection was delivered or left the
 * cluster, 1 when it was dropped or refused. */
static int print_path(const sink *o, const pn_trace_request *req, path *p, bool nat, bool snat)
{
    trace_verdict v = path_verdict(p);
    FILE *out = o->out;
    bool json = o->json;
    static const char *const words[] = {"dropped", "rejected", "delivered", "left the cluster"};
    static const char *const codes[] = {"dropped", "rejected", "delivered", "left"};
    int rc = v == VERDICT_DROPPED || v == VERDICT_REJECTED ? 1 : 0;
    if (o->capture) {
        pn_trace_outcome *c = o->capture;
        pn_arena *arena = c->arena;
        pn_path_hop *kept = NULL;
        if (arena) {
            kept = pn_arena_alloc(arena, sizeof *kept * (p->count ? p->count : 1));
            for (size_t i = 0; i < p->count; i++) {
                const hop *h = &p->items[i];
                kept[i] = h->net;
                if (!h->net.where)
                    kept[i].table = -1;
                kept[i].where = pn_arena_strdup(arena, h->where);
                kept[i].what = pn_arena_strdup(arena, h->what);
                kept[i].detail = pn_arena_strdup(arena, pn_buf_str(&h->detail));
                /* The network fields point into the path's arena, freed below: copy them. */
#define KEEP(f) kept[i].f = h->net.f ? pn_arena_strdup(arena, h->net.f) : NULL
                KEEP(node);
                KEEP(interface);
                KEEP(rule);
                KEEP(route);
                KEEP(route_table);
                KEEP(security_group);
                KEEP(network_acl);
                KEEP(nat);
#undef KEEP
                kept[i].stop = h->outcome == HOP_STOPS;
            }
        }
        *c = (pn_trace_outcome){.arena = arena,
                                .hops = kept,
                                .hop_count = arena ? p->count : 0,
                                .verdict = codes[v],
                                .delivered = v == VERDICT_DELIVERED || v == VERDICT_LEFT,
                                .reason = rc ? p->reason : NULL,
                                .sent_src = p->sent.src,
                                .received_src = p->received.src,
                                .received_dst = p->received.dst,
                                .source_nat = snat,
                                .destination_nat = nat};
        path_free(p);
        return rc;
    }
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "from", req->from);
        cJSON_AddStringToObject(root, "to", req->to);
        char port[32];
        snprintf(port, sizeof port, "%u/%s", req->port.number, pn_proto_name(req->port.proto));
        cJSON_AddStringToObject(root, "port", port);
        cJSON *hops = cJSON_AddArrayToObject(root, "hops");
        for (size_t i = 0; i < p->count; i++) {
            const hop *h = &p->items[i];
            cJSON *item = cJSON_CreateObject();
            cJSON_AddStringToObject(item, "where", h->where);
            cJSON_AddStringToObject(item, "what", h->what);
            cJSON_AddStringToObject(item, "detail", pn_buf_str(&h->detail));
            add_string_if(item, "node", h->net.node);
            add_string_if(item, "interface", h->net.interface);
            if (h->net.table > 0)
                cJSON_AddNumberToObject(item, "table", h->net.table);
            add_string_if(item, "rule", h->net.rule);
            add_string_if(item, "route", h->net.route);
            add_string_if(item, "routeTable", h->net.route_table);
            add_string_if(item, "securityGroup", h->net.security_group);
            add_string_if(item, "networkAcl", h->net.network_acl);
            add_string_if(item, "nat", h->net.nat);
            cJSON_AddItemToArray(hops, item);
        }
        cJSON_AddStringToObject(root, "verdict", codes[v]);
        if (p->reason && rc)
            cJSON_AddStringToObject(root, "reason", p->reason);
        else
            cJSON_AddNullToObject(root, "reason");
        if (p->sent.set) {
            cJSON_AddItemToObject(root, "sent", tuple_json(&p->sent));
            if (v == VERDICT_DELIVERED || v == VERDICT_LEFT)
                cJSON_AddItemToObject(root, "received", tuple_json(&p->received));
        }
        if (p->endpoint && (v == VERDICT_DELIVERED || v == VERDICT_LEFT))
            cJSON_AddStringToObject(root, "endpoint", p->endpoint);
        cJSON_AddBoolToObject(root, "destinationNAT", nat);
        cJSON_AddBoolToObject(root, "sourceNAT", snat);
        cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
        for (size_t i = 0; i < p->candidate_count; i++) {
            cJSON *c = cJSON_CreateObject();
            char ip[16], addr[32];
            snprintf(addr, sizeof addr, "%s:%u", pn_ipv4_format(p->candidates[i].ip, ip),
                     p->candidates[i].port);
            cJSON_AddStringToObject(c, "endpoint", p->candidates[i].endpoint);
            cJSON_AddStringToObject(c, "address", addr);
            cJSON_AddItemToArray(cands, c);
        }
        char *text = cJSON_Print(root);
        fprintf(out, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(root);
        path_free(p);
        return rc;
    }
    fprintf(out, "trace %s -> %s %u/%s\n", req->from, req->to, req->port.number,
            pn_proto_name(req->port.proto));
    /* The columns line up: as wide as the longest "who" (at least 22). */
    int width = 22;
    for (size_t i = 0; i < p->count; i++)
        if ((int)strlen(p->items[i].where) > width)
            width = (int)strlen(p->items[i].where);
    for (size_t i = 0; i < p->count; i++)
        fprintf(out, "%3zu  %-*s %-10s %s\n", i + 1, width, p->items[i].where, p->items[i].what,
                pn_buf_str(&p->items[i].detail));
    fprintf(out, "verdict: %s\n", words[v]);
    path_free(p);
    return rc;
}

int pn_trace(FILE *out, pn_world *w, const pn_trace_request *req, bool json, const char **why)
{
    sink o = {.out = out, .json = json};
    return trace(&o, w, req, why);
}

int pn_trace_collect(pn_world *w, const pn_trace_request *req, pn_trace_outcome *outcome,
                     const char **why)
{
    sink o = {.capture = outcome};
    return trace(&o, w, req, why);
}

bool pn_trace_lookup_allowed(pn_world *w, size_t pod, char *why, size_t size)
{
    path p = {0};
    pn_path_view *view = pn_path_view_new(w);
    bool ok = dns_lookup_allowed(&p, w, view, pod, mix(1));
    if (!ok && p.count >= 2)
        snprintf(why, size, "%s %s: %s", p.items[p.count - 2].where, p.items[p.count - 2].what,
                 pn_buf_str(&p.items[p.count - 2].detail));
    path_free(&p);
    pn_path_view_free(view);
    return ok;
}
