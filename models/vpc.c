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
