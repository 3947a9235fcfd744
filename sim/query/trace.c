/* trace — a connection's hops, as records, then printed. */
#include "sim/query/trace.h"

#include "sim/base/arena.h"
#include "sim/query/dns.h"
#include "sim/query/proxy.h"
#include "sim/query/explain.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char where[128]; /* who acts: a pod, kube-proxy, a policy, the network */
    char what[32];   /* sends, DNAT, allowed, denied, routes, receives... */
    char detail[1200];
    bool stop; /* the packet goes no further */
} hop;

typedef struct {
    hop hops[12];
    int count;
} path;

static hop *add(path *p, const char *where, const char *what)
{
    hop *h = &p->hops[p->count++];
    memset(h, 0, sizeof *h);
    snprintf(h->where, sizeof h->where, "%.120s", where);
    snprintf(h->what, sizeof h->what, "%s", what);
    return h;
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
    snprintf(h->detail, sizeof h->detail, "the pod is %s: %s", pod_life(pod, life, sizeof life),
             consequence);
    h->stop = true;
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
        snprintf(h->detail, sizeof h->detail, "at %s/%s by %s/%s %s[%ld]", pod->ns_name, pod->name,
                 pols[d->policy].ns_name, pols[d->policy].name, name, d->rule);
        break;
    case PN_WHY_NO_RULE:
        snprintf(h->detail, sizeof h->detail,
                 "at %s/%s: isolated for %s by %zu polic%s and no rule matches", pod->ns_name,
                 pod->name, name, d->isolating, d->isolating == 1 ? "y" : "ies");
        break;
    case PN_WHY_NOT_ISOLATED:
        snprintf(h->detail, sizeof h->detail, "at %s/%s: no policy isolates it for %s",
                 pod->ns_name, pod->name, name);
        break;
    case PN_WHY_NODE:
        snprintf(h->detail, sizeof h->detail, "traffic with the pod's own node is always allowed");
        break;
    case PN_WHY_HOST_NETWORK:
        snprintf(h->detail, sizeof h->detail, "a hostNetwork pod's traffic is node traffic");
        break;
    case PN_WHY_NOT_RUNNING: {
        char life[400];
        snprintf(h->detail, sizeof h->detail, "at %s/%s: the pod is %s: nothing listens",
                 pod->ns_name, pod->name, pod_life(pod, life, sizeof life));
        break;
    }
    default:
        snprintf(h->detail, sizeof h->detail, "a pod always reaches itself");
        break;
    }
    h->stop = !d->allowed;
}

/* Appends to a hop that leaves the cluster for an address podnet does not know what the
 * source's egress policies make of it. */
static void outside_egress_note(hop *h, const pn_world *w, size_t src, pn_port port)
{
    size_t n;
    const pn_pod *pod = &pn_world_pods(w, &n)[src];
    pn_verdict v = pn_reach_evaluate_address(w, src, 0, port);
    if (pod->host_network || v.egress.isolating == 0)
        return;
    size_t used = strlen(h->detail);
    if (used < sizeof h->detail)
        snprintf(h->detail + used, sizeof h->detail - used,
                 " (%s/%s is isolated for egress by %zu polic%s: only an ipBlock rule covering "
                 "the outside address lets it out)",
                 pod->ns_name, pod->name, v.egress.isolating,
                 v.egress.isolating == 1 ? "y" : "ies");
}

/* The network between two addresses: same node, across nodes on the pod network, or the VPC.
 * Returns true when the source address is translated on the way (leaving the VPC or the
 * cluster). */
static bool network_hop(path *p, pn_world *w, const pn_pod *src, const pn_pod *dst, pn_ipv4 ip)
{
    hop *h = add(p, "network", "routes");
    char a[16], b[16];
    if (dst && src->node_name && dst->node_name && strcmp(src->node_name, dst->node_name) == 0) {
        snprintf(h->detail, sizeof h->detail, "on node %s, veth to veth: no NAT", src->node_name);
        return false;
    }
    if (pn_world_aws(w)) {
        size_t nv;
        const pn_vpc *vpcs = pn_world_vpcs(w, &nv);
        for (size_t v = 0; v < nv; v++)
            for (size_t k = 0; k < vpcs[v].cidr_count; k++)
                if (pn_cidr_contains(&vpcs[v].cidrs[k], ip)) {
                    char block[64];
                    snprintf(h->detail, sizeof h->detail,
                             "%s -> %s through VPC %s, local route %s: pod addresses are VPC "
                             "addresses, no NAT",
                             src->node_name ? src->node_name : "?",
                             dst && dst->node_name ? dst->node_name : pn_ipv4_format(ip, b),
                             vpcs[v].name, pn_cidr_format(&vpcs[v].cidrs[k], block));
                    return false;
                }
        const pn_cni_settings *cni = pn_world_cni(w);
        snprintf(h->detail, sizeof h->detail, "%s leaves the VPC%s", pn_ipv4_format(ip, b),
                 cni->external_snat ? " with the pod's address (AWS_VPC_K8S_CNI_EXTERNALSNAT)"
                                    : ", SNAT to the node's primary address (the CNI's "
                                      "AWS-SNAT-CHAIN)");
        return !cni->external_snat;
    }
    if (dst && src->node_name && dst->node_name)
        snprintf(h->detail, sizeof h->detail, "node %s -> node %s over the pod network: no NAT",
                 src->node_name, dst->node_name);
    else if (dst)
        snprintf(h->detail, sizeof h->detail, "over the pod network: no NAT");
    else
        snprintf(h->detail, sizeof h->detail, "%s leaves the cluster (%s)", pn_ipv4_format(ip, a),
                 "masquerade to the node's address is typical");
    return !dst;
}

static void print_path(FILE *out, const pn_trace_request *req, const path *p, bool json, bool nat,
                       bool snat, bool delivered, bool left);

/* A client outside the cluster to a NodePort or LoadBalancer Service: the node's kube-proxy
 * DNATs to an endpoint (Cluster: any ready one, and SNATs to the node's address so the reply
 * comes back through it; Local: only endpoints on that node, and the client's address is
 * kept). The endpoint's ingress policy sees whichever source arrives. */
static int trace_external(FILE *out, pn_world *w, const pn_trace_request *req, pn_ipv4 client,
                          bool json, const char **why)
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
    bool snat = false, delivered = false;
    hop *h = add(&p, pn_ipv4_format(client, c), "sends");
    if (svc->type == PN_SVC_LOAD_BALANCER) {
        snprintf(h->detail, sizeof h->detail, "%s:%u -> the load balancer:%u/%s", c, sport,
                 sp->port, pn_proto_name(sp->proto));
        h = add(&p, "load balancer", "forwards");
        snprintf(h->detail, sizeof h->detail, "to node %s (%s) on node port %u%s", via->name,
                 via->ip ? pn_ipv4_format(via->ip, a) : "address unknown", node_port,
                 svc->external_local ? " (Local: only nodes with a ready endpoint pass the "
                                       "health check)"
                                     : "");
    } else {
        snprintf(h->detail, sizeof h->detail, "%s:%u -> node %s (%s):%u/%s", c, sport, via->name,
                 via->ip ? pn_ipv4_format(via->ip, a) : "address unknown", node_port,
                 pn_proto_name(sp->proto));
    }
    /* kube-proxy on that node. */
    size_t eligible = count;
    if (svc->external_local) {
        free(backends);
        eligible = pn_proxy_route(w, svc, sp, via->name, true, &backends);
    }
    h = add(&p, "kube-proxy", "DNAT");
    if (eligible == 0) {
        snprintf(h->what, sizeof h->what, "DROPPED");
        snprintf(h->detail, sizeof h->detail,
                 svc->external_local ? "externalTrafficPolicy Local and no ready endpoint on node "
                                       "%s: dropped"
                                     : "no ready endpoint: the connection is refused (%s)",
                 svc->external_local ? via->name : "ICMP port unreachable");
        free(backends);
        print_path(out, req, &p, json, false, false, false, false);
        return 1;
    }
    const pn_backend *be = &backends[mix(r) % eligible];
    snat = !svc->external_local;
    char endpoint[600] = "an address that is no pod's";
    if (be->pod >= 0)
        snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
    snprintf(h->detail, sizeof h->detail, "node port %u -> %s:%u (%s, %zu eligible)%s", node_port,
             pn_ipv4_format(be->ip, b), be->port, endpoint, eligible,
             snat ? "; SNAT to the node's address (externalTrafficPolicy Cluster)"
                  : "; the client's address is kept (externalTrafficPolicy Local)");
    pn_ipv4 source = snat ? via->ip : client;
    if (be->pod < 0) {
        h = add(&p, pn_ipv4_format(be->ip, b), "leaves");
        snprintf(h->detail, sizeof h->detail, "the endpoint is outside the cluster");
        free(backends);
        print_path(out, req, &p, json, true, snat, false, true);
        return 0;
    }
    const pn_pod *dst = &pods[be->pod];
    h = add(&p, "network", "routes");
    if (dst->node_name && strcmp(dst->node_name, via->name) == 0)
        snprintf(h->detail, sizeof h->detail, "on node %s to the pod's veth", via->name);
    else
        snprintf(h->detail, sizeof h->detail, "node %s -> node %s", via->name,
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
        snprintf(h->detail, sizeof h->detail, "%s:%u -> %s:%u/%s; the pod sees %s",
                 source ? pn_ipv4_format(source, a) : "(node address)", sport,
                 pn_ipv4_format(be->ip, b), be->port, pn_proto_name(sp->proto),
                 snat ? "the node's address, not the client's" : "the client's own address");
        delivered = true;
    }
    free(backends);
    print_path(out, req, &p, json, true, snat, delivered, false);
    return delivered ? 0 : 1;
}

int pn_trace(FILE *out, pn_world *w, const pn_trace_request *req, bool json, const char **why)
{
    pn_ipv4 client;
    if (pn_ipv4_parse(req->from, &client) == 0)
        return trace_external(out, w, req, client, json, why);
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
    char a[16], b[16];
    pn_ipv4 dst_ip = 0;
    uint16_t dport = req->port.number;
    long di = -1;
    bool nat = false, snat = false;
    hop *h;

    char svc_target[600] = "";
    const char *to = req->to;
    pn_ipv4 literal;
    if (!strchr(to, '/') && pn_ipv4_parse(to, &literal) != 0) {
        /* A DNS name: the pod's resolver first. */
        pn_dns_resolution res;
        pn_dns_resolve(w, src, to, &res);
        h = add(&p, "DNS", res.found ? "resolves" : "NXDOMAIN");
        size_t used = 0;
        for (size_t i = 0; i < res.count && used < sizeof h->detail; i++)
            used += (size_t)snprintf(h->detail + used, sizeof h->detail - used, "%s%.200s%s",
                                     i ? ", " : "", res.tried[i],
                                     res.results[i] == PN_DNS_NXDOMAIN ? " (NXDOMAIN)" : "");
        if (!res.found) {
            h->stop = true;
            goto done;
        }
        if (res.answer.kind == PN_DNS_UPSTREAM) {
            if (used < sizeof h->detail)
                snprintf(h->detail + used, sizeof h->detail - used,
                         " -> outside the cluster domain: forwarded upstream; podnet follows it "
                         "no further");
            snprintf(h->what, sizeof h->what, "upstream");
            outside_egress_note(h, w, (size_t)si, req->port);
            goto done;
        }
        if (res.answer.kind == PN_DNS_CNAME) {
            if (used < sizeof h->detail)
                snprintf(h->detail + used, sizeof h->detail - used,
                         " -> CNAME %s. (ExternalName): resolved and reached outside the "
                         "cluster; podnet follows it no further",
                         res.answer.cname);
            snprintf(h->what, sizeof h->what, "CNAME");
            outside_egress_note(h, w, (size_t)si, req->port);
            goto done;
        }
        if (res.answer.service && !res.answer.service->headless) {
            snprintf(svc_target, sizeof svc_target, "svc/%s/%s", res.answer.service->ns_name,
                     res.answer.service->name);
            to = svc_target;
        } else {
            literal = res.answer.addresses[0];
            long pi = pn_world_pod_by_ip(w, literal);
            if (pi >= 0)
                snprintf(svc_target, sizeof svc_target, "%s/%s", pods[pi].ns_name, pods[pi].name);
            else
                pn_ipv4_format(literal, svc_target);
            to = svc_target;
        }
        if (used < sizeof h->detail)
            snprintf(h->detail + used, sizeof h->detail - used, " -> %s", to);
    }
    if (strncmp(to, "svc/", 4) == 0) {
        const char *rest = to + 4, *s2 = strchr(rest, '/');
        char sns[256];
        if (!s2 || (size_t)(s2 - rest) >= sizeof sns) {
            *why = "--to svc/ must be svc/namespace/name";
            return -1;
        }
        snprintf(sns, sizeof sns, "%.*s", (int)(s2 - rest), rest);
        const pn_service *svc = pn_world_find_service(w, sns, s2 + 1);
        if (!svc) {
            *why = "--to names no Service";
            return -1;
        }
        const pn_service_port *sp = pn_service_find_port(svc, req->port.number, req->port.proto);
        if (!sp && svc->type != PN_SVC_EXTERNAL_NAME) {
            *why = "the Service has no such port";
            return -1;
        }
        if (svc->type == PN_SVC_EXTERNAL_NAME) {
            /* No cluster IP and no kube-proxy rule: the client looks the name up and gets a
             * CNAME, then connects to whatever that resolves to, outside the cluster. */
            h = add(&p, "DNS", "CNAME");
            snprintf(h->detail, sizeof h->detail,
                     "%s.%s.svc." PN_DNS_ZONE " -> CNAME %s. (ExternalName: no cluster IP, no "
                     "kube-proxy rule): the client connects outside the cluster; podnet follows "
                     "it no further",
                     svc->name, svc->ns_name, svc->external_name);
            outside_egress_note(h, w, (size_t)si, req->port);
            goto done;
        }
        h = add(&p, req->from, "sends");
        const char *vip = svc->headless ? "(headless: DNS answers with the pod addresses)"
                                        : pn_ipv4_format(svc->cluster_ip, b);
        snprintf(h->detail, sizeof h->detail, "%s:%u -> %s:%u/%s", pn_ipv4_format(src->ip, a),
                 sport, vip, sp->port, pn_proto_name(sp->proto));
        /* kube-proxy on the client's node picks among the routable endpoints; DNS of a
         * headless Service answers with the ready ones. */
        bool local = svc->internal_local && !svc->headless;
        pn_backend *backends;
        size_t count = svc->headless ? pn_proxy_backends(w, svc, sp, &backends)
                                     : pn_proxy_route(w, svc, sp, src->node_name, local, &backends);
        h = add(&p, svc->headless ? "DNS" : "kube-proxy", svc->headless ? "resolves" : "DNAT");
        if (local && count == 0) {
            snprintf(h->detail, sizeof h->detail,
                     "internalTrafficPolicy Local and no ready endpoint on node %s: dropped",
                     src->node_name ? src->node_name : "(unscheduled)");
            h->stop = true;
            snprintf(h->what, sizeof h->what, "DROPPED");
            free(backends);
            goto done;
        }
        if (count == 0) {
            free(backends);
            snprintf(h->detail, sizeof h->detail,
                     "no ready endpoint: the connection is refused (ICMP port unreachable)");
            h->stop = true;
            snprintf(h->what, sizeof h->what, "REJECTED");
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
        char endpoint[600] = "an address that is no pod's";
        if (be->pod >= 0)
            snprintf(endpoint, sizeof endpoint, "%s/%s", pods[be->pod].ns_name, pods[be->pod].name);
        snprintf(h->detail, sizeof h->detail,
                 "%s:%u -> %s:%u (%s, endpoint %zu of %zu%s%s, chosen at random with seed %llu)%s",
                 svc->headless ? svc->name : pn_ipv4_format(svc->cluster_ip, b), sp->port,
                 pn_ipv4_format(be->ip, a), be->port, endpoint, pick + 1, count,
                 local ? " on this node: internalTrafficPolicy Local" : "",
                 be->ready ? ""
                           : "; none is ready, so kube-proxy uses those still serving while they "
                             "terminate",
                 (unsigned long long)req->seed, affinity);
        free(backends);
    } else {
        pn_ipv4 ip;
        const char *s3 = strchr(to, '/');
        if (s3) {
            char dns[256];
            snprintf(dns, sizeof dns, "%.*s", (int)(s3 - to), to);
            di = pn_world_find_pod(w, dns, s3 + 1);
            if (di < 0) {
                *why = "--to names no pod";
                return -1;
            }
            dst_ip = pods[di].ip;
        } else if (pn_ipv4_parse(to, &ip) == 0) {
            dst_ip = ip;
            di = pn_world_pod_by_ip(w, ip);
        } else {
            *why = "--to must be namespace/pod, svc/namespace/name or an IPv4 address";
            return -1;
        }
        h = add(&p, req->from, "sends");
        snprintf(h->detail, sizeof h->detail, "%s:%u -> %s:%u/%s", pn_ipv4_format(src->ip, a),
                 sport, dst_ip ? pn_ipv4_format(dst_ip, b) : "(no address)", dport,
                 pn_proto_name(req->port.proto));
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
        pn_verdict v = di >= 0 ? pn_reach_evaluate(w, (size_t)si, (size_t)di, port)
                               : pn_reach_evaluate_address(w, (size_t)si, dst_ip, port);
        policy_hop(&p, w, src, PN_EGRESS, &v.egress);
        if (!v.egress.allowed)
            goto done;
        const pn_pod *dst = di >= 0 ? &pods[di] : NULL;
        snat = network_hop(&p, w, src, dst, dst_ip);
        if (!dst) {
            h = add(&p, pn_ipv4_format(dst_ip, b), "leaves");
            snprintf(h->detail, sizeof h->detail,
                     "outside the cluster: podnet follows it no "
                     "further");
            goto done;
        }
        policy_hop(&p, w, dst, PN_INGRESS, &v.ingress);
        if (!v.ingress.allowed)
            goto done;
        char receiver[600];
        snprintf(receiver, sizeof receiver, "%s/%s", dst->ns_name, dst->name);
        h = add(&p, receiver, "receives");
        snprintf(h->detail, sizeof h->detail, "%s:%u -> %s:%u/%s; source %s",
                 pn_ipv4_format(src->ip, a), sport, pn_ipv4_format(dst_ip, b), dport,
                 pn_proto_name(req->port.proto),
                 nat ? "not NATed (only the destination was, by kube-proxy)"
                     : "and destination not NATed: pod to pod without NAT");
    }
done:;
    bool delivered = p.count > 0 && strcmp(p.hops[p.count - 1].what, "receives") == 0;
    bool left = p.count > 0 && (strcmp(p.hops[p.count - 1].what, "leaves") == 0 ||
                                strcmp(p.hops[p.count - 1].what, "CNAME") == 0 ||
                                strcmp(p.hops[p.count - 1].what, "upstream") == 0);
    print_path(out, req, &p, json, nat, snat, delivered, left);
    return delivered || left ? 0 : 1;
}

static void print_path(FILE *out, const pn_trace_request *req, const path *p, bool json, bool nat,
                       bool snat, bool delivered, bool left)
{
    const char *verdict = delivered ? "delivered" : left ? "left the cluster" : "dropped";
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "from", req->from);
        cJSON_AddStringToObject(root, "to", req->to);
        char port[32];
        snprintf(port, sizeof port, "%u/%s", req->port.number, pn_proto_name(req->port.proto));
        cJSON_AddStringToObject(root, "port", port);
        cJSON *hops = cJSON_AddArrayToObject(root, "hops");
        for (int i = 0; i < p->count; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "where", p->hops[i].where);
            cJSON_AddStringToObject(o, "what", p->hops[i].what);
            cJSON_AddStringToObject(o, "detail", p->hops[i].detail);
            cJSON_AddItemToArray(hops, o);
        }
        cJSON_AddStringToObject(root, "verdict", verdict);
        cJSON_AddBoolToObject(root, "destinationNAT", nat);
        cJSON_AddBoolToObject(root, "sourceNAT", snat);
        char *text = cJSON_Print(root);
        fprintf(out, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(root);
        return;
    }
    fprintf(out, "trace %s -> %s %u/%s\n", req->from, req->to, req->port.number,
            pn_proto_name(req->port.proto));
    for (int i = 0; i < p->count; i++)
        fprintf(out, "%3d  %-22s %-10s %s\n", i + 1, p->hops[i].where, p->hops[i].what,
                p->hops[i].detail);
    fprintf(out, "verdict: %s\n", verdict);
}
