/* net — parsing and arithmetic for addresses, CIDR blocks, protocols and ports. */
#include "models/net.h"

#include "sim/base/arena.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pn_ipv4_parse(const char *s, pn_ipv4 *out)
{
    pn_ipv4 ip = 0;
    for (int part = 0; part < 4; part++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        if (s[0] == '0' && isdigit((unsigned char)s[1]))
            return -1; /* leading zeros are ambiguous (octal in some parsers) */
        unsigned v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*s) && digits < 4) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (v > 255 || digits > 3)
            return -1;
        ip = (ip << 8) | v;
        if (part < 3 && *s++ != '.')
            return -1;
    }
    if (*s != '\0')
        return -1;
    *out = ip;
    return 0;
}

char *pn_ipv4_format(pn_ipv4 ip, char *buf)
{
    snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    return buf;
}

static pn_ipv4 prefix_mask(unsigned len)
{
    return len == 0 ? 0 : (pn_ipv4)(0xffffffffu << (32 - len));
}

int pn_cidr_parse(const char *s, pn_cidr *out, const char **why)
{
    const char *slash = strchr(s, '/');
    if (!slash) {
        *why = "not a CIDR (expected address/prefix-length)";
        return -1;
    }
    char addr[64];
    size_t n = (size_t)(slash - s);
    if (n == 0 || n >= sizeof addr) {
        *why = "not a CIDR (bad address)";
        return -1;
    }
    memcpy(addr, s, n);
    addr[n] = '\0';
    const char *lenp = slash + 1;
    if (!isdigit((unsigned char)*lenp) || (lenp[0] == '0' && lenp[1] != '\0')) {
        *why = "not a CIDR (bad prefix length)";
        return -1;
    }
    char *end;
    long len = strtol(lenp, &end, 10);
    if (*end != '\0') {
        *why = "not a CIDR (bad prefix length)";
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (strchr(addr, ':')) {
        if (len > 128) {
            *why = "IPv6 prefix length is more than 128";
            return -1;
        }
        if (inet_pton(AF_INET6, addr, out->v6) != 1) {
            *why = "not a valid IPv6 address";
            return -1;
        }
        out->family = 6;
        out->len = (uint8_t)len;
        for (int bit = (int)len; bit < 128; bit++)
            out->v6[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
        return 0;
    }
    pn_ipv4 ip;
    if (pn_ipv4_parse(addr, &ip) != 0) {
        *why = "not a valid IPv4 address";
        return -1;
    }
    if (len > 32) {
        *why = "IPv4 prefix length is more than 32";
        return -1;
    }
    out->family = 4;
    out->len = (uint8_t)len;
    out->addr = ip & prefix_mask((unsigned)len);
    return 0;
}

char *pn_cidr_format(const pn_cidr *c, char *buf)
{
    if (c->family == 6) {
        char a[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, c->v6, a, sizeof a);
        snprintf(buf, 64, "%s/%u", a, c->len);
    } else {
        char a[16];
        snprintf(buf, 64, "%s/%u", pn_ipv4_format(c->addr, a), c->len);
    }
    return buf;
}

bool pn_cidr_contains(const pn_cidr *c, pn_ipv4 ip)
{
    return c->family == 4 && (ip & prefix_mask(c->len)) == c->addr;
}

bool pn_cidr_strict_subset(const pn_cidr *inner, const pn_cidr *outer)
{
    if (inner->family != outer->family || inner->len <= outer->len)
        return false;
    if (inner->family == 4)
        return (inner->addr & prefix_mask(outer->len)) == outer->addr;
    for (int bit = 0; bit < outer->len; bit++) {
        unsigned m = 0x80u >> (bit % 8);
        if ((inner->v6[bit / 8] & m) != (outer->v6[bit / 8] & m))
            return false;
    }
    return true;
}

static const char *const proto_names[PN_PROTO_COUNT] = {"TCP", "UDP", "SCTP"};

int pn_proto_parse(const char *s, pn_proto *out)
{
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        if (strcmp(s, proto_names[p]) == 0) {
            *out = (pn_proto)p;
            return 0;
        }
    return -1;
}

const char *pn_proto_name(pn_proto p)
{
    return p < PN_PROTO_COUNT ? proto_names[p] : "?";
}

int pn_port_parse(const char *s, pn_port *out)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    long n = strtol(s, &end, 10);
    if (n < 1 || n > 65535)
        return -1;
    out->number = (uint16_t)n;
    out->proto = PN_PROTO_TCP;
    if (*end == '\0')
        return 0;
    if (*end != '/')
        return -1;
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        if (strcasecmp(end + 1, proto_names[p]) == 0) {
            out->proto = (pn_proto)p;
            return 0;
        }
    return -1;
}

int pn_port_compare(const pn_port *a, const pn_port *b)
{
    if (a->number != b->number)
        return a->number < b->number ? -1 : 1;
    return (a->proto > b->proto) - (a->proto < b->proto);
}

bool pn_dns_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '.')
        n--;
    if (n == 0 || n > 253)
        return false;
    size_t start = 0;
    bool digits_only = true;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            size_t len = i - start;
            if (len == 0 || len > 63 || s[start] == '-' || s[i - 1] == '-')
                return false;
            if (i < n) {
                start = i + 1;
                digits_only = true;
            }
            continue;
        }
        char c = s[i];
        bool digit = c >= '0' && c <= '9';
        if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-' && c != '_')
            return false;
        digits_only = digits_only && digit;
    }
    return !digits_only;
}

bool pn_port_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15 || s[0] == '-' || s[n - 1] == '-')
        return false;
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            letter = true;
        else if (c == '-' && s[i + 1] == '-')
            return false;
        else if (!(c >= '0' && c <= '9') && c != '-')
            return false;
    }
    return letter;
}

void pn_bounds_add(pn_bounds *b, const pn_cidr *c)
{
    if (c->family != 4)
        return;
    if (b->count + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->at = pn_xrealloc(b->at, b->cap, sizeof *b->at);
    }
    b->at[b->count++] = c->addr;
    uint64_t end = (uint64_t)c->addr + ((uint64_t)1 << (32 - c->len));
    if (end <= UINT32_MAX)
        b->at[b->count++] = (uint32_t)end;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

void pn_bounds_finish(pn_bounds *b)
{
    pn_sort(b->at, b->count, sizeof *b->at, u32_cmp);
    size_t u = 0;
    for (size_t i = 0; i < b->count; i++)
        if (u == 0 || b->at[u - 1] != b->at[i])
            b->at[u++] = b->at[i];
    b->count = u;
}

size_t pn_bounds_interval(const pn_bounds *b, pn_ipv4 ip)
{
    size_t lo = 0, hi = b->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->at[mid] <= ip)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void pn_bounds_free(pn_bounds *b)
{
    free(b->at);
    *b = (pn_bounds){0};
}
