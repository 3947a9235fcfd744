/* cni — the VPC CNI's node data plane built as data, looked up and printed in `ip` syntax. */
#include "models/cni.h"

#include <sha1.h>
#include <stdio.h>
#include <string.h>

static const char *veth_default_prefix = "eni"; /* network.go envVethPrefixDefault */

static void veth_digest(const char *ns, const char *pod, uint8_t digest[SHA1_DIGEST_LENGTH])
{
    /* names.go GeneratePodHostVethNameSuffix: sha1 over "namespace.podname". */
    SHA1_CTX ctx;
    SHA1Init(&ctx);
    SHA1Update(&ctx, (const uint8_t *)ns, strlen(ns));
    SHA1Update(&ctx, (const uint8_t *)".", 1);
    SHA1Update(&ctx, (const uint8_t *)pod, strlen(pod));
    SHA1Final(digest, &ctx);
}

int pn_cni_veth_name(const char *prefix, const char *ns, const char *pod, char out[PN_CNI_IFNAME])
{
    if (!prefix)
        prefix = veth_default_prefix;
    if (strlen(prefix) + 11 >= PN_CNI_IFNAME)
        return -1;
    uint8_t digest[SHA1_DIGEST_LENGTH];
    veth_digest(ns, pod, digest);
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    for (int i = 0; i < 11; i++) /* names.go: hex.EncodeToString(sum)[:11] */
        out[n + i] = hex[(digest[i / 2] >> (i % 2 ? 0 : 4)) & 15];
    out[n + 11] = '\0';
    return 0;
}

int pn_cni_table_for_device(int device)
{
    return device == 0 ? PN_CNI_TABLE_MAIN : device + 1;
}

pn_ipv4 pn_cni_subnet_gateway(const pn_cidr *subnet)
{
    return subnet->addr + 1;
}

pn_cni_options pn_cni_options_default(void)
{
    return (pn_cni_options){.veth_prefix = NULL, .node_port_support = true};
}

static pn_cidr host(pn_ipv4 ip)
{
    pn_cidr c;
    memset(&c, 0, sizeof c);
    c.addr = ip;
    c.len = 32;
    c.family = 4;
    return c;
}

static const pn_cni_eni *eni_of(const pn_cni_eni *enis, size_t n, int device)
{
    for (size_t i = 0; i < n; i++)
        if (enis[i].device == device)
            return &enis[i];
    return NULL;
}

static void ifname(char out[PN_CNI_IFNAME], const char *fmt, int n)
{
    snprintf(out, PN_CNI_IFNAME, fmt, n);
}

static pn_cni_rule *add_rule(pn_cni_node *n, int priority, int table)
{
    pn_cni_rule *r = &n->rules[n->rule_count++];
    r->priority = priority;
    r->table = table;
    return r;
}

static pn_cni_route *add_route(pn_cni_node *n, int table, pn_cidr dst, const char *dev)
{
    pn_cni_route *r = &n->routes[n->route_count++];
    r->table = table;
    r->dst = dst;
    snprintf(r->dev, sizeof r->dev, "%s", dev);
    r->pod = -1;
    return r;
}

static pn_cidr any(void)
{
    pn_cidr c = host(0);
    c.len = 0;
    return c;
}

/* The gateway's /32 and the default route via it, in one table (setupENINetwork,
 * buildRoutesForVlan). */
static void add_gateway_routes(pn_cni_node *n, int table, pn_ipv4 gw, const char *dev)
{
    add_route(n, table, host(gw), dev)->scope_link = true;
    pn_cni_route *d = add_route(n, table, any(), dev);
    d->has_gateway = true;
    d->gateway = gw;
}

static int table_rank(int table)
{
    /* ip route show table all: numbered tables, then main, then local. */
    return table == PN_CNI_TABLE_LOCAL ? 2 : table == PN_CNI_TABLE_MAIN ? 1 : 0;
}

static bool route_before(const pn_cni_route *a, const pn_cni_route *b)
{
    int ra = table_rank(a->table), rb = table_rank(b->table);
    if (ra != rb)
        return ra < rb;
    return a->table < b->table;
}

int pn_cni_node_build(pn_cni_node *out, pn_arena *a, const pn_cni_options *opt,
                      const pn_cni_eni *enis, size_t eni_count, const pn_cni_pod *pods,
                      size_t pod_count)
{
    memset(out, 0, sizeof *out);
    pn_cni_options defaults = pn_cni_options_default();
    if (!opt)
        opt = &defaults;
    const pn_cni_eni *eth0 = eni_of(enis, eni_count, 0);
    if (!eth0)
        return -1;
    bool strict = opt->pod_eni && !opt->sgpp_standard;
    out->enis = enis;
    out->eni_count = eni_count;
    out->pod_input = pods;
    out->pod_count = pod_count;
    out->rules = pn_arena_alloc(a, sizeof *out->rules * (4 + 2 * pod_count + eni_count));
    out->routes = pn_arena_alloc(a, sizeof *out->routes * (3 + 3 * eni_count + 3 * pod_count));
    out->pods = pn_arena_alloc(a, sizeof *out->pods * (pod_count ? pod_count : 1));
    pn_cni_node *n = out;

    /* SetupHostNetwork: local moves from 0 to 20 in SGPP strict mode; rule 1024 unless
     * external SNAT without NodePort support. */
    add_rule(n, strict ? PN_CNI_PRIO_LOCAL_STRICT : PN_CNI_PRIO_LOCAL, PN_CNI_TABLE_LOCAL);
    if (opt->node_port_support || !opt->external_snat) {
        pn_cni_rule *r = add_rule(n, PN_CNI_PRIO_HOST, PN_CNI_TABLE_MAIN);
        r->fwmark = r->fwmask = PN_CNI_CONNMARK;
    }
    add_rule(n, PN_CNI_PRIO_MAIN, PN_CNI_TABLE_MAIN);
    add_rule(n, PN_CNI_PRIO_DEFAULT, PN_CNI_TABLE_DEFAULT);

    /* The primary ENI's routes in main (the AMI's DHCP setup), every ENI's address in local. */
    char dev[PN_CNI_IFNAME];
    pn_cni_route *def = add_route(n, PN_CNI_TABLE_MAIN, any(), "eth0");
    def->has_gateway = true;
    def->gateway = pn_cni_subnet_gateway(&eth0->subnet);
    pn_cni_route *conn = add_route(n, PN_CNI_TABLE_MAIN, eth0->subnet, "eth0");
    conn->scope_link = conn->kernel = true;
    conn->src = eth0->primary_ip;
    for (size_t i = 0; i < eni_count; i++) {
        ifname(dev, "eth%d", enis[i].device);
        pn_cni_route *l = add_route(n, PN_CNI_TABLE_LOCAL, host(enis[i].primary_ip), dev);
        l->type = PN_CNI_ROUTE_LOCAL;
        l->kernel = true;
        l->src = enis[i].primary_ip;
        if (enis[i].device == 0)
            continue;
        /* setupENINetwork: the gateway routes in table device + 1, the subnet route removed
         * from main, and `from <ENI primary> lookup <table>` at 32765 unless a trunk. */
        int table = pn_cni_table_for_device(enis[i].device);
        add_gateway_routes(n, table, pn_cni_subnet_gateway(&enis[i].subnet), dev);
        if (!enis[i].trunk) {
            pn_cni_rule *r = add_rule(n, PN_CNI_PRIO_ENI_PRIMARY, table);
            r->has_from = true;
            r->from = host(enis[i].primary_ip);
        }
    }

    for (size_t p = 0; p < pod_count; p++) {
        const pn_cni_pod *pod = &pods[p];
        pn_cni_pod_plane *plane = &n->pods[p];
        bool branch = pod->vlan_id > 0;
        /* sgpp.BuildHostVethNamePrefix: "vlan" for strict branch pods. */
        const char *prefix = branch && strict ? "vlan" : opt->veth_prefix;
        if (pn_cni_veth_name(prefix, pod->ns, pod->name, plane->veth) != 0)
            return -1;
        uint8_t digest[SHA1_DIGEST_LENGTH];
        veth_digest(pod->ns, pod->name, digest);
        plane->veth_mac[0] = 0x02; /* locally administered, unicast */
        memcpy(plane->veth_mac + 1, digest + 6, 5);
        int table;
        if (branch) {
            /* SetupBranchENIPodNetwork: table vlanId + 100 on link vlan.eth.<vlanId>. */
            table = pod->vlan_id + 100;
            ifname(dev, "vlan.eth.%d", pod->vlan_id);
            add_gateway_routes(n, table, pn_cni_subnet_gateway(&pod->branch_subnet), dev);
        } else {
            if (!eni_of(enis, eni_count, pod->device))
                return -1;
            table = pn_cni_table_for_device(pod->device);
        }
        plane->table = table;
        if (branch && strict) {
            /* setupIIFBasedContainerRouteRules: the pod route in the VLAN table, two iif rules. */
            pn_cni_route *r = add_route(n, table, host(pod->ip), plane->veth);
            r->scope_link = true;
            r->pod = (long)p;
            pn_cni_rule *from_vlan = add_rule(n, PN_CNI_PRIO_VLAN, table);
            snprintf(from_vlan->iif, sizeof from_vlan->iif, "%s", dev);
            pn_cni_rule *from_veth = add_rule(n, PN_CNI_PRIO_VLAN, table);
            snprintf(from_veth->iif, sizeof from_veth->iif, "%s", plane->veth);
            continue;
        }
        /* setupIPBasedContainerRouteRules: POD/32 in main, `to POD lookup main` at 512, and
         * `from POD lookup <table>` at 1536 when the table is not main. */
        pn_cni_route *r = add_route(n, PN_CNI_TABLE_MAIN, host(pod->ip), plane->veth);
        r->scope_link = true;
        r->pod = (long)p;
        pn_cni_rule *to = add_rule(n, PN_CNI_PRIO_TO_POD, PN_CNI_TABLE_MAIN);
        to->has_to = true;
        to->to = host(pod->ip);
        if (table != PN_CNI_TABLE_MAIN) {
            pn_cni_rule *from = add_rule(n, PN_CNI_PRIO_FROM_POD, table);
            from->has_from = true;
            from->from = host(pod->ip);
        }
    }

    /* Stable insertion sorts: few elements, and equal keys keep their creation order. */
    for (size_t i = 1; i < n->rule_count; i++) {
        pn_cni_rule key = n->rules[i];
        size_t k = i;
        for (; k > 0 && n->rules[k - 1].priority > key.priority; k--)
            n->rules[k] = n->rules[k - 1];
        n->rules[k] = key;
    }
    for (size_t i = 1; i < n->route_count; i++) {
        pn_cni_route key = n->routes[i];
        size_t k = i;
        for (; k > 0 && route_before(&key, &n->routes[k - 1]); k--)
            n->routes[k] = n->routes[k - 1];
        n->routes[k] = key;
    }
    return 0;
}

static bool rule_matches(const pn_cni_rule *r, pn_ipv4 src, pn_ipv4 dst, const char *iif,
                         bool marked)
{
    if (r->has_from && !pn_cidr_contains(&r->from, src))
        return false;
    if (r->has_to && !pn_cidr_contains(&r->to, dst))
        return false;
    if (r->fwmask && ((marked ? PN_CNI_CONNMARK : 0) & r->fwmask) != r->fwmark)
        return false;
    if (r->iif[0] && (!iif || strcmp(r->iif, iif) != 0))
        return false;
    return true;
}

static const pn_cni_route *table_lookup(const pn_cni_node *n, int table, pn_ipv4 dst)
{
    const pn_cni_route *best = NULL;
    for (size_t i = 0; i < n->route_count; i++) {
        const pn_cni_route *r = &n->routes[i];
        if (r->table != table || !pn_cidr_contains(&r->dst, dst))
            continue;
        if (!best || r->dst.len > best->dst.len)
            best = r;
    }
    return best;
}

int pn_cni_route_lookup(const pn_cni_node *n, pn_ipv4 src, pn_ipv4 dst, const char *iif,
                        bool marked, pn_cni_path *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n->rule_count; i++) {
        const pn_cni_rule *r = &n->rules[i];
        if (!rule_matches(r, src, dst, iif, marked))
            continue;
        const pn_cni_route *route = table_lookup(n, r->table, dst);
        if (route) {
            *out = (pn_cni_path){r, r->table, route};
            return 0;
        }
    }
    return -1;
}

pn_snat_random pn_snat_random_parse(const char *value)
{
    if (value && strcmp(value, "hashrandom") == 0)
        return PN_SNAT_RANDOM_HASH;
    if (value && strcmp(value, "none") == 0)
        return PN_SNAT_SEQUENTIAL;
    return PN_SNAT_RANDOM_PRNG;
}

size_t pn_cni_cidr_list_parse(const char *s, pn_cidr *out, size_t cap)
{
    size_t n = 0;
    while (s && *s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        char item[64];
        pn_cidr c;
        const char *why;
        if (len && len < sizeof item) {
            memcpy(item, s, len);
            item[len] = '\0';
            if (pn_cidr_parse(item, &c, &why) == 0 && c.family == 4) {
                if (n < cap)
                    out[n] = c;
                n++;
            }
        }
        if (!end)
            break;
        s = end + 1;
    }
    return n;
}

pn_cni_snat pn_cni_snat_decide(const pn_cni_snat_config *c, pn_ipv4 dst, bool out_vlan)
{
    pn_cni_snat s;
    memset(&s, 0, sizeof s);
    if (c->external_snat) {
        s.reason = "external-snat";
        return s;
    }
    for (size_t i = 0; i < c->vpc_cidr_count; i++)
        if (pn_cidr_contains(&c->vpc_cidrs[i], dst)) {
            s.reason = "vpc-cidr";
            s.exempt = &c->vpc_cidrs[i];
            return s;
        }
    for (size_t i = 0; i < c->exclude_count; i++)
        if (pn_cidr_contains(&c->exclude[i], dst)) {
            s.reason = "excluded-cidr";
            s.exempt = &c->exclude[i];
            return s;
        }
    if (out_vlan) {
        /* `! -o vlan+`: strict branch pods keep their address; their veths are vlan..., not
         * eni+, so the connmark chain does not see them either. */
        s.reason = "vlan";
        return s;
    }
    s.snat = true;
    s.to_source = c->primary_ip;
    s.random_fully = c->randomize == PN_SNAT_RANDOM_PRNG;
    s.random = c->randomize == PN_SNAT_RANDOM_HASH;
    s.connmark = true;
    s.reason = "snat";
    return s;
}

pn_cni_imds pn_cni_imds_access(bool http_tokens_required, int hop_limit, bool pod_is_host_network)
{
    pn_cni_imds r = {.hops = pod_is_host_network ? 1 : 2};
    bool token = hop_limit >= r.hops;
    if (token) {
        r.allowed = r.v2 = true;
    } else if (!http_tokens_required) {
        r.allowed = true; /* IMDSv1: a GET needs no token */
    } else {
        r.reason = "imds-hop-limit";
    }
    return r;
}

/* ---- printing ---- */

static const char *table_name(int table, char buf[16])
{
    if (table == PN_CNI_TABLE_MAIN)
        return "main";
    if (table == PN_CNI_TABLE_LOCAL)
        return "local";
    if (table == PN_CNI_TABLE_DEFAULT)
        return "default";
    snprintf(buf, 16, "%d", table);
    return buf;
}

/* "10.0.1.20" for a /32, else "10.0.0.0/24", "default" for /0. */
static const char *prefix_text(const pn_cidr *c, char buf[64])
{
    if (c->len == 0)
        return "default";
    if (c->len == 32)
        return pn_ipv4_format(c->addr, buf);
    return pn_cidr_format(c, buf);
}

void pn_cni_print_rules(const pn_cni_node *n, pn_cni_line_fn fn, void *ctx)
{
    for (size_t i = 0; i < n->rule_count; i++) {
        const pn_cni_rule *r = &n->rules[i];
        char line[200], from[64], to[64], tb[16];
        int len = snprintf(line, sizeof line, "%d:\tfrom %s", r->priority,
                           r->has_from ? prefix_text(&r->from, from) : "all");
        if (r->has_to)
            len +=
                snprintf(line + len, sizeof line - (size_t)len, " to %s", prefix_text(&r->to, to));
        if (r->fwmask)
            len += snprintf(line + len, sizeof line - (size_t)len, " fwmark %#x/%#x", r->fwmark,
                            r->fwmask);
        if (r->iif[0])
            len += snprintf(line + len, sizeof line - (size_t)len, " iif %s", r->iif);
        snprintf(line + len, sizeof line - (size_t)len, " lookup %s", table_name(r->table, tb));
        fn(ctx, line);
    }
}

void pn_cni_print_routes(const pn_cni_node *n, pn_cni_line_fn fn, void *ctx)
{
    for (size_t i = 0; i < n->route_count; i++) {
        const pn_cni_route *r = &n->routes[i];
        char line[200], dst[64], gw[16], src[16], tb[16];
        int len = snprintf(line, sizeof line, "%s%s", r->type == PN_CNI_ROUTE_LOCAL ? "local " : "",
                           prefix_text(&r->dst, dst));
        if (r->has_gateway)
            len += snprintf(line + len, sizeof line - (size_t)len, " via %s",
                            pn_ipv4_format(r->gateway, gw));
        len += snprintf(line + len, sizeof line - (size_t)len, " dev %s", r->dev);
        if (r->table != PN_CNI_TABLE_MAIN)
            len += snprintf(line + len, sizeof line - (size_t)len, " table %s",
                            table_name(r->table, tb));
        if (r->kernel)
            len += snprintf(line + len, sizeof line - (size_t)len, " proto kernel");
        if (r->type == PN_CNI_ROUTE_LOCAL)
            len += snprintf(line + len, sizeof line - (size_t)len, " scope host");
        else if (r->scope_link)
            len += snprintf(line + len, sizeof line - (size_t)len, " scope link");
        if (r->kernel)
            snprintf(line + len, sizeof line - (size_t)len, " src %s", pn_ipv4_format(r->src, src));
        fn(ctx, line);
    }
}

int pn_cni_print_pod(const pn_cni_node *n, size_t pod, pn_cni_line_fn fn, void *ctx)
{
    if (pod >= n->pod_count)
        return -1;
    const pn_cni_pod_plane *p = &n->pods[pod];
    char line[160], ip[16], gw[16];
    pn_ipv4_format(PN_CNI_POD_GATEWAY, gw);
    /* driver.go createVethPairContext.run: the /32, the gateway's link route, the default
     * route via it, and the permanent neighbour entry to the host veth's MAC. */
    snprintf(line, sizeof line, "eth0    inet %s/32 scope global eth0",
             pn_ipv4_format(n->pod_input[pod].ip, ip));
    fn(ctx, line);
    snprintf(line, sizeof line, "default via %s dev eth0", gw);
    fn(ctx, line);
    snprintf(line, sizeof line, "%s dev eth0 scope link", gw);
    fn(ctx, line);
    const uint8_t *m = p->veth_mac;
    snprintf(line, sizeof line, "%s dev eth0 lladdr %02x:%02x:%02x:%02x:%02x:%02x PERMANENT", gw,
             m[0], m[1], m[2], m[3], m[4], m[5]);
    fn(ctx, line);
    return 0;
}
