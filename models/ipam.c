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

int pn_ipam_pod_addresses_max(const pn_instance_type *t, const pn_cni_settings *s)
{
    int enis = t->max_enis;
    if (s->max_eni > 0 && s->max_eni < enis)
        enis = s->max_eni;
    enis -= s->custom_networking + s->pod_eni;
    int per_eni =
        (t->ipv4_per_eni - 1) * (s->prefix_delegation && pn_instance_prefix_capable(t) ? 16 : 1);
    return enis > 0 ? enis * per_eni : 0;
}

bool pn_cni_ip_targets(const pn_cni_settings *s)
{
    return s->warm_ip_target > 0 || s->minimum_ip_target > 0;
}

static int div_ceil(int n, int unit)
{
    return (n + unit - 1) / unit;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

bool pn_ipam_target_state(const pn_cni_settings *s, const pn_pool *p, int *short_by, int *over)
{
    *short_by = *over = 0;
    if (!pn_cni_ip_targets(s))
        return false;
    int available = p->total - p->assigned;
    int warm = s->warm_ip_target, min = s->minimum_ip_target;
    int shortage = max_int(max_int(warm - available, 0), min - p->total);
    int excess = max_int(min_int(max_int(available - warm, 0), p->total - min), 0);
    if (p->prefix) {
        /* The prefix branch of datastoreTargetState: whole /28s short; over counts only free
         * prefixes beyond those the targets need. */
        shortage = div_ceil(shortage, 16);
        int for_warm = div_ceil(p->assigned + warm, 16);
        int for_min = div_ceil(min, 16);
        excess = max_int(min_int(p->free_prefixes, p->prefixes - for_warm), 0);
        excess = max_int(min_int(excess, p->prefixes - for_min), 0);
    }
    *short_by = shortage;
    *over = excess;
    return true;
}

bool pn_ipam_pool_too_low(const pn_cni_settings *s, const pn_pool *p, int max_pods)
{
    if (max_pods > 0 && p->total >= max_pods)
        return false; /* "If max pods has been reached, pool is not too low" */
    int short_by, over;
    if (pn_ipam_target_state(s, p, &short_by, &over))
        return short_by > 0;
    int warm = p->prefix ? s->warm_prefix_target : s->warm_eni_target;
    int unit = p->prefix ? 16 : p->per_eni;
    int available = p->total - p->assigned;
    return available < unit * warm || (warm == 0 && available == 0);
}

int pn_ipam_cidrs_to_assign(const pn_cni_settings *s, const pn_pool *p)
{
    int short_by, over;
    bool targets = pn_ipam_target_state(s, p, &short_by, &over);
    if (!p->prefix)
        return targets ? short_by : p->per_eni; /* tryAssignIPs */
    if (targets) /* getPrefixesNeeded: WARM_IP_TARGET takes precedence */
        return max_int(1, short_by);
    return max_int(1, max_int(s->warm_prefix_target - p->free_prefixes, 0));
}

int pn_ipam_eni_cidrs(const pn_cni_settings *s, const pn_pool *p)
{
    return min_int(pn_ipam_cidrs_to_assign(s, p), p->slots);
}

int pn_ipam_pool_over(const pn_cni_settings *s, const pn_pool *p)
{
    int short_by, over;
    if (pn_ipam_target_state(s, p, &short_by, &over))
        return over;
    if (p->prefix) /* warmPrefixTargetDefined is true in prefix mode (its default is 0) */
        return max_int(p->free_prefixes - s->warm_prefix_target, 0);
    return 0;
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
    n->ips_per_eni = ips_per_eni > PN_IPAM_MAX_SLOTS ? PN_IPAM_MAX_SLOTS + 1 : ips_per_eni;
    n->prefix = prefix;
    n->enis[0] = (pn_eni){.device = 0,
                          .subnet = subnet,
                          .primary = primary,
                          .prefix = prefix,
                          .slots = n->ips_per_eni - 1};
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
    int slots = n->ips_per_eni - 1;
    pn_pool p = {.per_eni = slots * (n->prefix ? 16 : 1), .slots = slots, .prefix = n->prefix};
    /* A prefix's 16 addresses sit together in addrs (added and removed as a block). */
    int in_block = 0, used_in_block = 0;
    for (size_t i = 0; i < n->addr_count; i++) {
        if (!carries_pods(n, s, n->addrs[i].eni))
            continue;
        bool used = n->addrs[i].state == PN_ADDR_ASSIGNED;
        p.total++;
        p.assigned += used;
        if (!n->prefix)
            continue;
        used_in_block += used;
        if (++in_block == 16) {
            p.prefixes++;
            p.free_prefixes += used_in_block == 0;
            in_block = used_in_block = 0;
        }
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

/* Whether subnet can give count secondary IPs or /28 prefixes now. */
static bool subnet_can_give(const pn_subnet *subnet, bool prefix, int count)
{
    return prefix ? pn_subnet_free_prefixes(subnet) >= (uint32_t)count
                  : subnet->free >= (uint32_t)count;
}

/* Takes count secondary IPs or prefixes for ENI e from its subnet (the caller has checked that
 * they are there). */
static void take_cidrs(pn_ipam_node *n, int e, int count)
{
    pn_eni *eni = &n->enis[e];
    for (int k = 0; k < count; k++) {
        pn_ipv4 ip;
        if (n->prefix) {
            if (pn_subnet_alloc_prefix(eni->subnet, &ip) != 0)
                abort(); /* subnet_can_give said yes */
            for (int a = 0; a < 16; a++)
                add_address(n, ip + (pn_ipv4)a, e);
        } else {
            if (pn_subnet_alloc_ip(eni->subnet, &ip) != 0)
                abort();
            add_address(n, ip, e);
        }
        eni->cidrs[eni->held++] = ip;
    }
}

int pn_ipam_node_grow(pn_ipam_node *n, const pn_cni_settings *s, int want, bool *subnet_full)
{
    *subnet_full = false;
    for (int e = 0; e < n->eni_count && want > 0; e++) {
        pn_eni *eni = &n->enis[e];
        if (!carries_pods(n, s, e) || eni->held >= eni->slots)
            continue;
        int count = min_int(eni->slots - eni->held, want);
        if (!subnet_can_give(eni->subnet, n->prefix, count))
            count = 1; /* "Try to just get one more IP" */
        if (!subnet_can_give(eni->subnet, n->prefix, count)) {
            *subnet_full = true;
            return 0;
        }
        take_cidrs(n, e, count);
        return count; /* one ENI per pool check */
    }
    return 0;
}

bool pn_ipam_node_has_room_for_eni(const pn_ipam_node *n, const pn_cni_settings *s)
{
    int limit = n->max_enis;
    if (s->max_eni > 0 && s->max_eni < limit)
        limit = s->max_eni;
    return n->eni_count < limit && n->eni_count < PN_IPAM_MAX_ENIS;
}

int pn_ipam_node_attach(pn_ipam_node *n, pn_subnet *subnet, bool trunk, int cidrs, int64_t now)
{
    if (n->eni_count >= PN_IPAM_MAX_ENIS)
        return -1;
    int slots = trunk ? 0 : n->ips_per_eni - 1;
    if (cidrs > slots)
        cidrs = slots;
    pn_ipv4 primary;
    if (pn_subnet_alloc_ip(subnet, &primary) != 0)
        return -1;
    if (!subnet_can_give(subnet, n->prefix, cidrs)) {
        pn_subnet_release_ip(subnet, primary); /* CreateNetworkInterface failed as a whole */
        return -1;
    }
    int device = 0;
    for (int e = 0; e < n->eni_count; e++)
        if (n->enis[e].device >= device)
            device = n->enis[e].device + 1;
    n->enis[n->eni_count] = (pn_eni){.device = device,
                                     .subnet = subnet,
                                     .primary = primary,
                                     .trunk = trunk,
                                     .prefix = n->prefix,
                                     .created = now,
                                     .slots = slots};
    take_cidrs(n, n->eni_count++, cidrs);
    return 0;
}

/* Removes the i-th held cidr of ENI e: its addresses leave the datastore and go back to the
 * subnet. */
static void release_cidr(pn_ipam_node *n, int e, int i)
{
    pn_eni *eni = &n->enis[e];
    pn_ipv4 base = eni->cidrs[i];
    pn_ipv4 size = n->prefix ? 16 : 1;
    size_t kept = 0;
    for (size_t a = 0; a < n->addr_count; a++)
        if (n->addrs[a].eni != e || n->addrs[a].ip < base || n->addrs[a].ip >= base + size)
            n->addrs[kept++] = n->addrs[a];
    n->addr_count = kept;
    if (n->prefix)
        pn_subnet_release_prefix(eni->subnet, base);
    else
        pn_subnet_release_ip(eni->subnet, base);
    memmove(&eni->cidrs[i], &eni->cidrs[i + 1], (size_t)(eni->held - i - 1) * sizeof base);
    eni->held--;
}

/* Whether a pod uses an address of the i-th cidr of ENI e. */
static bool cidr_in_use(const pn_ipam_node *n, int e, int i)
{
    pn_ipv4 base = n->enis[e].cidrs[i];
    pn_ipv4 size = n->prefix ? 16 : 1;
    for (size_t a = 0; a < n->addr_count; a++)
        if (n->addrs[a].eni == e && n->addrs[a].ip >= base && n->addrs[a].ip < base + size &&
            n->addrs[a].state == PN_ADDR_ASSIGNED)
            return true;
    return false;
}

int pn_ipam_node_shrink(pn_ipam_node *n, int count)
{
    /* Go walks the ENI map in random order; podnet takes device order so runs repeat. */
    int released = 0;
    for (int e = 0; e < n->eni_count && released < count; e++)
        for (int i = n->enis[e].held; i-- > 0 && released < count;)
            if (!cidr_in_use(n, e, i)) {
                release_cidr(n, e, i);
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

/* ---- freeing a whole ENI ---- */

#define MIN_ENI_LIFETIME ((int64_t)60 * 1000000000) /* data_store.go minENILifeTime */

/* Addresses (all, and free of pods) and free prefixes on the ENIs other than skip. */
typedef struct {
    int total, free, free_prefixes;
} others;

static others count_others(const pn_ipam_node *n, const pn_cni_settings *s, int skip)
{
    others o = {0};
    int in_block = 0, used_in_block = 0;
    for (size_t a = 0; a < n->addr_count; a++) {
        if (n->addrs[a].eni == skip || !carries_pods(n, s, n->addrs[a].eni))
            continue;
        bool used = n->addrs[a].state == PN_ADDR_ASSIGNED;
        o.total++;
        o.free += !used;
        if (!n->prefix)
            continue;
        used_in_block += used;
        if (++in_block == 16) {
            o.free_prefixes += used_in_block == 0;
            in_block = used_in_block = 0;
        }
    }
    return o;
}

/* getDeletableENI's conditions for ENI e. */
static bool deletable(const pn_ipam_node *n, const pn_cni_settings *s, int e, int64_t now)
{
    const pn_eni *eni = &n->enis[e];
    if (eni->device == 0 || eni->trunk || now - eni->created < MIN_ENI_LIFETIME)
        return false;
    for (size_t a = 0; a < n->addr_count; a++)
        if (n->addrs[a].eni == e && n->addrs[a].state != PN_ADDR_FREE)
            return false; /* hasPods, hasIPInCooling */
    others o = count_others(n, s, e);
    int unit = n->prefix ? 16 : 1; /* targets in whole prefixes in prefix mode */
    if (s->warm_ip_target && o.free < div_ceil(s->warm_ip_target, unit) * unit)
        return false; /* isRequiredForWarmIPTarget */
    if (s->minimum_ip_target && o.total < div_ceil(s->minimum_ip_target, unit) * unit)
        return false; /* isRequiredForMinimumIPTarget */
    if (n->prefix && s->warm_prefix_target && o.free_prefixes < s->warm_prefix_target)
        return false; /* isRequiredForWarmPrefixTarget */
    return true;
}

/* CheckFreeableENIexists: an ENI other than eth0 and the trunk without pods. */
static bool freeable_eni_exists(const pn_ipam_node *n)
{
    for (int e = 0; e < n->eni_count; e++) {
        if (n->enis[e].device == 0 || n->enis[e].trunk)
            continue;
        bool pods = false;
        for (size_t a = 0; a < n->addr_count && !pods; a++)
            pods = n->addrs[a].eni == e && n->addrs[a].state == PN_ADDR_ASSIGNED;
        if (!pods)
            return true;
    }
    return false;
}

int pn_ipam_node_try_free_eni(pn_ipam_node *n, const pn_cni_settings *s, const pn_pool *p,
                              int64_t now)
{
    if (!pn_cni_ip_targets(s)) { /* shouldRemoveExtraENIs */
        int warm = (n->prefix ? s->warm_prefix_target : s->warm_eni_target) + 1;
        bool extra = p->total - p->assigned >= warm * p->per_eni;
        if (!extra && !(n->prefix && freeable_eni_exists(n)))
            return -1;
    }
    int e = 0;
    while (e < n->eni_count && !deletable(n, s, e, now))
        e++;
    if (e == n->eni_count)
        return -1;
    pn_eni *eni = &n->enis[e];
    int device = eni->device;
    while (eni->held > 0)
        release_cidr(n, e, eni->held - 1);
    pn_subnet_release_ip(eni->subnet, eni->primary);
    memmove(&n->enis[e], &n->enis[e + 1], (size_t)(n->eni_count - e - 1) * sizeof *n->enis);
    n->eni_count--;
    for (size_t a = 0; a < n->addr_count; a++)
        if (n->addrs[a].eni > e)
            n->addrs[a].eni--;
    return device;
}
