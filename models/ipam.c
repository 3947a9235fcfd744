/* ipam — one node's addresses and the warm-pool arithmetic of the VPC CNI's ipamd. */
#include "models/ipam.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

pn_cni_settings pn_cni_defaults(void)
{
    return (pn_cni_settings){.warm_eni_target = 1, .warm_prefix_target = 1};
}

static int parse_count(const char *value, int *out, const char **why)
{
    if (!value || !*value) {
        *why = "must be a number";
        return -1;
    }
    const char *p = value;
    if (*p == '-') {
        *why = "must not be negative";
        return -1;
    }
    long n = 0;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p)) {
            *why = "must be a whole number";
            return -1;
        }
        n = n * 10 + (*p - '0');
        if (n > 1000000) {
            *why = "is too large";
            return -1;
        }
    }
    *out = (int)n;
    return 0;
}

static int parse_flag(const char *value, bool *out, const char **why)
{
    if (value && strcmp(value, "true") == 0)
        *out = true;
    else if (value && strcmp(value, "false") == 0)
        *out = false;
    else {
        *why = "must be true or false";
        return -1;
    }
    return 0;
}

int pn_cni_setting(pn_cni_settings *s, const char *name, const char *value, const char **why)
{
    if (strcmp(name, "WARM_ENI_TARGET") == 0)
        return parse_count(value, &s->warm_eni_target, why);
    if (strcmp(name, "WARM_IP_TARGET") == 0)
        return parse_count(value, &s->warm_ip_target, why);
    if (strcmp(name, "MINIMUM_IP_TARGET") == 0)
        return parse_count(value, &s->minimum_ip_target, why);
    if (strcmp(name, "WARM_PREFIX_TARGET") == 0)
        return parse_count(value, &s->warm_prefix_target, why);
    if (strcmp(name, "MAX_ENI") == 0)
        return parse_count(value, &s->max_eni, why);
    if (strcmp(name, "ENABLE_PREFIX_DELEGATION") == 0)
        return parse_flag(value, &s->prefix_delegation, why);
    if (strcmp(name, "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG") == 0)
        return parse_flag(value, &s->custom_networking, why);
    if (strcmp(name, "AWS_VPC_K8S_CNI_EXTERNALSNAT") == 0)
        return parse_flag(value, &s->external_snat, why);
    if (strcmp(name, "ENABLE_POD_ENI") == 0)
        return parse_flag(value, &s->pod_eni, why);
    if (strcmp(name, "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS") == 0) {
        s->exclude_snat_cidrs = value;
        return 0;
    }
    if (strcmp(name, "AWS_VPC_K8S_CNI_RANDOMIZESNAT") == 0) {
        s->randomize_snat = value; /* unknown values fall back to prng (typeOfSNAT) */
        return 0;
    }
    if (strcmp(name, "AWS_VPC_K8S_CNI_VETHPREFIX") == 0) {
        /* network.go getVethPrefixName; the CNI refuses names that collide with its own
         * links and prefixes past 4 characters (the veth name must fit IFNAMSIZ). */
        if (!value || !*value || strlen(value) > 4 || strcmp(value, "eth") == 0 ||
            strcmp(value, "vlan") == 0 || strcmp(value, "lo") == 0) {
            *why = "must be 1 to 4 characters and not eth, vlan or lo";
            return -1;
        }
        s->veth_prefix = value;
        return 0;
    }
    if (strcmp(name, "POD_SECURITY_GROUP_ENFORCING_MODE") == 0) {
        if (value && strcmp(value, "standard") == 0)
            s->sgpp_standard = true;
        else if (value && strcmp(value, "strict") == 0)
            s->sgpp_standard = false;
        else {
            *why = "must be strict or standard";
            return -1;
        }
        return 0;
    }
    return 1;
}

bool pn_cni_ip_targets(const pn_cni_settings *s)
{
    return s->warm_ip_target > 0 || s->minimum_ip_target > 0;
}

static int round_up(int n, int unit)
{
    return unit > 0 ? (n + unit - 1) / unit * unit : n;
}

int pn_ipam_short(const pn_cni_settings *s, const pn_pool *p, int max_pods)
{
    int free = p->total - p->assigned;
    int short_by;
    if (pn_cni_ip_targets(s)) {
        short_by = s->warm_ip_target - free;
        if (s->minimum_ip_target - p->total > short_by)
            short_by = s->minimum_ip_target - p->total;
        if (short_by < 0)
            short_by = 0;
        if (s->prefix_delegation)
            short_by = round_up(short_by, 16);
    } else if (s->prefix_delegation) {
        short_by = s->warm_prefix_target * 16 - free;
        short_by = short_by > 0 ? round_up(short_by, 16) : 0;
    } else {
        /* WARM_ENI_TARGET: keep that many ENIs' worth free, growing by whole ENIs. */
        short_by = s->warm_eni_target * p->per_eni - free;
        short_by = short_by > 0 ? round_up(short_by, p->per_eni) : 0;
    }
    if (max_pods > 0 && p->total + short_by > max_pods)
        short_by = p->total >= max_pods ? 0 : max_pods - p->total;
    return short_by;
}

int pn_ipam_over(const pn_cni_settings *s, const pn_pool *p)
{
    if (!pn_cni_ip_targets(s))
        return 0;
    int free = p->total - p->assigned;
    int over = free - s->warm_ip_target;
    if (p->total - s->minimum_ip_target < over)
        over = p->total - s->minimum_ip_target;
    return over > 0 ? over : 0;
}

/* ---- one node ---- */

static bool carries_pods(const pn_ipam_node *n, const pn_cni_settings *s, int e)
{
    return !n->enis[e].trunk && !(s->custom_networking && n->enis[e].device == 0);
}

void pn_ipam_node_init(pn_ipam_node *n, int max_enis, int ips_per_eni, bool prefix,
                       pn_subnet *subnet, pn_ipv4 primary)
{
    memset(n, 0, sizeof *n);
    n->max_enis = max_enis > PN_IPAM_MAX_ENIS ? PN_IPAM_MAX_ENIS : max_enis;
    n->ips_per_eni = ips_per_eni;
    n->prefix = prefix;
    n->enis[0] =
        (pn_eni){.device = 0, .subnet = subnet, .primary = primary, .slots = ips_per_eni - 1};
    n->eni_count = 1;
}

void pn_ipam_node_free(pn_ipam_node *n)
{
    free(n->addrs);
    n->addrs = NULL;
    n->addr_count = n->addr_cap = 0;
}

pn_pool pn_ipam_node_pool(const pn_ipam_node *n, const pn_cni_settings *s)
{
    pn_pool p = {.per_eni = (n->ips_per_eni - 1) * (n->prefix ? 16 : 1)};
    for (size_t i = 0; i < n->addr_count; i++) {
        if (!carries_pods(n, s, n->addrs[i].eni))
            continue;
        p.total++;
        p.assigned += n->addrs[i].state != PN_ADDR_FREE; /* cooling down counts as used */
    }
    return p;
}

static void add_address(pn_ipam_node *n, pn_ipv4 ip, int eni)
{
    if (n->addr_count == n->addr_cap) {
        n->addr_cap = n->addr_cap ? n->addr_cap * 2 : 32;
        n->addrs = realloc(n->addrs, n->addr_cap * sizeof *n->addrs);
        if (!n->addrs)
            abort();
    }
    n->addrs[n->addr_count++] = (pn_address){.ip = ip, .eni = eni, .state = PN_ADDR_FREE};
}

int pn_ipam_node_grow(pn_ipam_node *n, const pn_cni_settings *s, int want, bool *subnet_full)
{
    int added = 0;
    *subnet_full = false;
    for (int e = 0; e < n->eni_count && added < want; e++) {
        pn_eni *eni = &n->enis[e];
        if (!carries_pods(n, s, e))
            continue;
        while (eni->held < eni->slots && added < want) {
            pn_ipv4 ip;
            if (n->prefix) {
                if (pn_subnet_alloc_prefix(eni->subnet, &ip) != 0) {
                    *subnet_full = true;
                    return added;
                }
                for (int k = 0; k < 16; k++)
                    add_address(n, ip + (pn_ipv4)k, e);
                added += 16;
            } else {
                if (pn_subnet_alloc_ip(eni->subnet, &ip) != 0) {
                    *subnet_full = true;
                    return added;
                }
                add_address(n, ip, e);
                added++;
            }
            eni->held++;
        }
    }
    return added;
}

bool pn_ipam_node_wants_eni(const pn_ipam_node *n, const pn_cni_settings *s)
{
    for (int e = 0; e < n->eni_count; e++)
        if (carries_pods(n, s, e) && n->enis[e].held < n->enis[e].slots)
            return false;
    int limit = n->max_enis;
    if (s->max_eni > 0 && s->max_eni < limit)
        limit = s->max_eni;
    if (s->pod_eni)
        limit--; /* the trunk ENI takes a slot, attached or not */
    int attached = 0;
    for (int e = 0; e < n->eni_count; e++)
        attached += !n->enis[e].trunk;
    return attached < limit;
}

int pn_ipam_node_attach(pn_ipam_node *n, pn_subnet *subnet, bool trunk)
{
    if (n->eni_count >= PN_IPAM_MAX_ENIS)
        return -1;
    pn_ipv4 primary;
    if (pn_subnet_alloc_ip(subnet, &primary) != 0)
        return -1;
    int device = 0;
    for (int e = 0; e < n->eni_count; e++)
        if (n->enis[e].device >= device)
            device = n->enis[e].device + 1;
    n->enis[n->eni_count++] = (pn_eni){.device = device,
                                       .subnet = subnet,
                                       .primary = primary,
                                       .trunk = trunk,
                                       .slots = trunk ? 0 : n->ips_per_eni - 1};
    return 0;
}

int pn_ipam_node_shrink(pn_ipam_node *n, int count)
{
    if (n->prefix)
        return 0; /* prefixes go back only whole; podnet keeps them */
    int released = 0;
    for (size_t i = n->addr_count; i-- > 0 && released < count;) {
        if (n->addrs[i].state != PN_ADDR_FREE)
            continue;
        pn_eni *eni = &n->enis[n->addrs[i].eni];
        pn_subnet_release_ip(eni->subnet, n->addrs[i].ip);
        eni->held--;
        memmove(&n->addrs[i], &n->addrs[i + 1], (n->addr_count - i - 1) * sizeof *n->addrs);
        n->addr_count--;
        released++;
    }
    return released;
}

int pn_ipam_node_assign(pn_ipam_node *n, const char *pod, int64_t now, pn_ipv4 *ip)
{
    pn_ipam_node_tick(n, now);
    for (size_t i = 0; i < n->addr_count; i++)
        if (n->addrs[i].state == PN_ADDR_FREE) {
            n->addrs[i].state = PN_ADDR_ASSIGNED;
            n->addrs[i].pod = pod;
            *ip = n->addrs[i].ip;
            return 0;
        }
    return -1;
}

int pn_ipam_node_release(pn_ipam_node *n, const char *pod, int64_t now, int64_t cooldown)
{
    for (size_t i = 0; i < n->addr_count; i++)
        if (n->addrs[i].state == PN_ADDR_ASSIGNED && strcmp(n->addrs[i].pod, pod) == 0) {
            n->addrs[i].state = PN_ADDR_COOLDOWN;
            n->addrs[i].free_at = now + cooldown;
            n->addrs[i].pod = NULL;
            return 0;
        }
    return -1;
}

void pn_ipam_node_tick(pn_ipam_node *n, int64_t now)
{
    for (size_t i = 0; i < n->addr_count; i++)
        if (n->addrs[i].state == PN_ADDR_COOLDOWN && n->addrs[i].free_at <= now)
            n->addrs[i].state = PN_ADDR_FREE;
}

pn_ipv4 pn_ipam_node_address_of(const pn_ipam_node *n, const char *pod)
{
    for (size_t i = 0; i < n->addr_count; i++)
        if (n->addrs[i].state == PN_ADDR_ASSIGNED && strcmp(n->addrs[i].pod, pod) == 0)
            return n->addrs[i].ip;
    return 0;
}
