/* vpc — subnet address allocation: a bitmap per subnet, lowest address first. */
#include "models/vpc.h"

#include <string.h>

static uint32_t block_size(const pn_cidr *c)
{
    return (uint32_t)((uint64_t)1 << (32 - c->len));
}

const char *pn_subnet_cidr_check(const pn_cidr *c)
{
    if (c->family != 4)
        return "subnets are IPv4 here";
    if (c->len < 16 || c->len > 28)
        return "a subnet's block must be between /16 and /28 (an AWS rule)";
    return NULL;
}

size_t pn_subnet_words(const pn_cidr *c)
{
    return (block_size(c) + 63) / 64;
}

static bool used(const pn_subnet *s, uint32_t i)
{
    return (s->used[i >> 6] >> (i & 63)) & 1;
}

static void mark(pn_subnet *s, uint32_t i, bool on)
{
    uint64_t bit = (uint64_t)1 << (i & 63);
    if (on && !used(s, i)) {
        s->used[i >> 6] |= bit;
        s->free--;
    } else if (!on && used(s, i)) {
        s->used[i >> 6] &= ~bit;
        s->free++;
    }
}

void pn_subnet_init(pn_subnet *s, uint64_t *storage)
{
    s->used = storage;
    s->size = block_size(&s->cidr);
    s->free = s->size;
    for (uint32_t i = 0; i < 4; i++)
        mark(s, i, true);
    mark(s, s->size - 1, true);
}

int pn_subnet_take(pn_subnet *s, pn_ipv4 ip)
{
    if (!pn_cidr_contains(&s->cidr, ip))
        return -1;
    uint32_t i = ip - s->cidr.addr;
    if (used(s, i))
        return -1;
    mark(s, i, true);
    return 0;
}

int pn_subnet_alloc_ip(pn_subnet *s, pn_ipv4 *out)
{
    if (s->free == 0)
        return -1;
    for (uint32_t w = 0; w * 64 < s->size; w++) {
        uint64_t avail = ~s->used[w];
        if (!avail)
            continue;
        uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(avail);
        if (i >= s->size)
            break;
        mark(s, i, true);
        *out = s->cidr.addr + i;
        return 0;
    }
    return -1;
}

int pn_subnet_alloc_prefix(pn_subnet *s, pn_ipv4 *out)
{
    for (uint32_t i = 0; i + 16 <= s->size; i += 16) {
        /* 16 aligned addresses are 16 bits of one word at a multiple of 16. */
        uint64_t block = (s->used[i >> 6] >> (i & 63)) & 0xffff;
        if (block)
            continue;
        for (uint32_t k = 0; k < 16; k++)
            mark(s, i + k, true);
        *out = s->cidr.addr + i;
        return 0;
    }
    return -1;
}

void pn_subnet_release_ip(pn_subnet *s, pn_ipv4 ip)
{
    if (pn_cidr_contains(&s->cidr, ip))
        mark(s, ip - s->cidr.addr, false);
}

void pn_subnet_release_prefix(pn_subnet *s, pn_ipv4 base)
{
    for (uint32_t k = 0; k < 16; k++)
        pn_subnet_release_ip(s, base + k);
}

uint32_t pn_subnet_free_prefixes(const pn_subnet *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i + 16 <= s->size; i += 16)
        n += ((s->used[i >> 6] >> (i & 63)) & 0xffff) == 0;
    return n;
}

bool pn_vpc_contains(const pn_vpc *v, const pn_cidr *c)
{
    for (size_t i = 0; i < v->cidr_count; i++)
        if (c->family == 4 && v->cidrs[i].family == 4 && c->len >= v->cidrs[i].len &&
            pn_cidr_contains(&v->cidrs[i], c->addr))
            return true;
    return false;
}

bool pn_cidr_overlaps(const pn_cidr *a, const pn_cidr *b)
{
    if (a->family != 4 || b->family != 4)
        return false;
    return a->len <= b->len ? pn_cidr_contains(a, b->addr) : pn_cidr_contains(b, a->addr);
}

/* ---- route tables ---- */

static const char *const target_names[PN_ROUTE_TARGET_COUNT] = {
    "local", "igw", "nat", "pcx", "other", "tgw", "eni", "instance", "blackhole"};

const char *pn_route_target_name(pn_route_target t)
{
    return (unsigned)t < PN_ROUTE_TARGET_COUNT ? target_names[t] : "?";
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

pn_route_target pn_route_target_of(const char *id)
{
    if (!id || !*id)
        return PN_ROUTE_BLACKHOLE;
    if (strcmp(id, "local") == 0)
        return PN_ROUTE_LOCAL;
    static const struct {
        const char *prefix;
        pn_route_target target;
    } kinds[] = {{"igw-", PN_ROUTE_IGW},     {"nat-", PN_ROUTE_NAT}, {"tgw-", PN_ROUTE_TGW},
                 {"pcx-", PN_ROUTE_PEERING}, {"eni-", PN_ROUTE_ENI}, {"i-", PN_ROUTE_INSTANCE}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (has_prefix(id, kinds[i].prefix))
            return kinds[i].target;
    return PN_ROUTE_OTHER;
}

const pn_route *pn_route_lookup(const pn_route_table *t, pn_ipv4 dst)
{
    const pn_route *best = NULL;
    for (size_t i = 0; i < t->route_count; i++) {
        const pn_route *r = &t->routes[i];
        if (r->destination.family != 4 || !pn_cidr_contains(&r->destination, dst))
            continue;
        if (!best || r->destination.len > best->destination.len)
            best = r;
    }
    return best;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

const pn_route_table *pn_route_table_for_subnet(const pn_route_table *tables, size_t count,
                                                const char *subnet_name, const char *subnet_id,
                                                const char *vpc_name, const char *vpc_id)
{
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < tables[i].subnet_count; k++)
            if (same(tables[i].subnets[k], subnet_name) || same(tables[i].subnets[k], subnet_id))
                return &tables[i];
    for (size_t i = 0; i < count; i++)
        if (tables[i].is_main && (same(tables[i].vpc, vpc_name) || same(tables[i].vpc, vpc_id)))
            return &tables[i];
    return NULL;
}

static bool has_local(const pn_route_table *t, const pn_cidr *block)
{
    for (size_t i = 0; i < t->route_count; i++) {
        const pn_cidr *d = &t->routes[i].destination;
        if (t->routes[i].target == PN_ROUTE_LOCAL && d->family == 4 && d->len == block->len &&
            d->addr == block->addr)
            return true;
    }
    return false;
}

size_t pn_route_table_add_local(pn_route_table *t, const pn_vpc *v, pn_arena *a)
{
    size_t missing = 0;
    for (size_t i = 0; i < v->cidr_count; i++)
        missing += v->cidrs[i].family == 4 && !has_local(t, &v->cidrs[i]);
    if (missing == 0)
        return 0;
    pn_route *routes = pn_arena_alloc(a, sizeof *routes * (t->route_count + missing));
    if (t->route_count)
        memcpy(routes, t->routes, sizeof *routes * t->route_count);
    size_t n = t->route_count;
    for (size_t i = 0; i < v->cidr_count; i++) {
        const pn_cidr *block = &v->cidrs[i];
        if (block->family != 4)
            continue;
        bool present = false;
        for (size_t k = 0; k < n && !present; k++)
            present = routes[k].target == PN_ROUTE_LOCAL && routes[k].destination.family == 4 &&
                      routes[k].destination.len == block->len &&
                      routes[k].destination.addr == block->addr;
        if (!present)
            routes[n++] = (pn_route){*block, PN_ROUTE_LOCAL, "local", PN_ROUTE_ACTIVE};
    }
    size_t added = n - t->route_count; /* fewer than missing when v lists a block twice */
    t->routes = routes;
    t->route_count = n;
    return added;
}

size_t pn_route_table_mark_blackholes(pn_route_table *t, pn_route_target_exists_fn exists,
                                      void *ctx)
{
    size_t dead = 0;
    for (size_t i = 0; i < t->route_count; i++) {
        pn_route *r = &t->routes[i];
        bool alive = r->target == PN_ROUTE_LOCAL ||
                     (r->target != PN_ROUTE_BLACKHOLE && r->target_id && *r->target_id &&
                      (!exists || exists(ctx, r->target, r->target_id)));
        r->state = alive ? PN_ROUTE_ACTIVE : PN_ROUTE_STATE_BLACKHOLE;
        dead += !alive;
    }
    return dead;
}

bool pn_cidrs_contain(const pn_cidr *blocks, size_t count, pn_ipv4 ip)
{
    for (size_t i = 0; i < count; i++)
        if (pn_cidr_contains(&blocks[i], ip))
            return true;
    return false;
}
