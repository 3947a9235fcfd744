/* portset — connection sets over protocol × port, kept as normal range lists. */
#include "models/portset.h"

#include "sim/base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ranges order by protocol, then first port; a range "touches" the next when they overlap or
 * meet (80-89 and 90-99 are one range). */
static bool before(const pn_port_range *a, pn_proto proto, uint16_t lo)
{
    return a->proto < proto || (a->proto == proto && a->lo < lo);
}

static bool touches(const pn_port_range *a, pn_proto proto, uint32_t lo)
{
    return a->proto == proto && (uint32_t)a->hi + 1 >= lo;
}

void pn_portset_add(pn_portset *s, pn_proto proto, uint16_t lo, uint16_t hi)
{
    /* Where the range goes: after every range that starts before it. */
    size_t at = s->count;
    while (at > 0 && !before(&s->r[at - 1], proto, lo))
        at--;
    if (at > 0 && touches(&s->r[at - 1], proto, lo)) {
        at--; /* grows the range before it */
        if (s->r[at].hi < hi)
            s->r[at].hi = hi;
    } else {
        PN_GROW(s->r, s->count, s->cap);
        memmove(s->r + at + 1, s->r + at, (s->count - at) * sizeof *s->r);
        s->r[at] = (pn_port_range){proto, lo, hi};
        s->count++;
    }
    /* Swallow the ranges it now reaches. */
    size_t next = at + 1;
    while (next < s->count && touches(&s->r[at], s->r[next].proto, s->r[next].lo)) {
        if (s->r[next].hi > s->r[at].hi)
            s->r[at].hi = s->r[next].hi;
        next++;
    }
    if (next > at + 1) {
        memmove(s->r + at + 1, s->r + next, (s->count - next) * sizeof *s->r);
        s->count -= next - at - 1;
    }
}

void pn_portset_add_all(pn_portset *s)
{
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        pn_portset_add(s, (pn_proto)p, PN_PORT_MIN, PN_PORT_MAX);
}

void pn_portset_clear(pn_portset *s)
{
    s->count = 0;
}

void pn_portset_free(pn_portset *s)
{
    free(s->r);
    *s = (pn_portset){0};
}

void pn_portset_copy(pn_portset *dst, const pn_portset *src)
{
    pn_portset_clear(dst);
    for (size_t i = 0; i < src->count; i++) {
        PN_GROW(dst->r, dst->count, dst->cap);
        dst->r[dst->count++] = src->r[i];
    }
}

bool pn_portset_empty(const pn_portset *s)
{
    return s->count == 0;
}

bool pn_portset_equal(const pn_portset *a, const pn_portset *b)
{
    return a->count == b->count &&
           (a->count == 0 || memcmp(a->r, b->r, a->count * sizeof *a->r) == 0);
}

bool pn_portset_contains(const pn_portset *s, pn_port port)
{
    size_t lo = 0, hi = s->count; /* the first range not before port */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const pn_port_range *r = &s->r[mid];
        if (r->proto < port.proto || (r->proto == port.proto && r->hi < port.number))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->count && s->r[lo].proto == port.proto && s->r[lo].lo <= port.number;
}

void pn_portset_minus(const pn_portset *a, const pn_portset *b, pn_portset *out)
{
    pn_portset_clear(out);
    size_t j = 0;
    for (size_t i = 0; i < a->count; i++) {
        pn_port_range cur = a->r[i];
        uint32_t from = cur.lo; /* the first port of cur not yet decided */
        while (j < b->count &&
               (b->r[j].proto < cur.proto || (b->r[j].proto == cur.proto && b->r[j].hi < from)))
            j++;
        for (size_t k = j; k < b->count && b->r[k].proto == cur.proto && b->r[k].lo <= cur.hi;
             k++) {
            if (b->r[k].lo > from)
                pn_portset_add(out, cur.proto, (uint16_t)from, (uint16_t)(b->r[k].lo - 1));
            if ((uint32_t)b->r[k].hi + 1 > from)
                from = (uint32_t)b->r[k].hi + 1;
        }
        if (from <= cur.hi)
            pn_portset_add(out, cur.proto, (uint16_t)from, cur.hi);
    }
}

bool pn_portset_subset(const pn_portset *a, const pn_portset *b)
{
    pn_portset rest = {0};
    pn_portset_minus(a, b, &rest);
    bool sub = rest.count == 0;
    pn_portset_free(&rest);
    return sub;
}

uint32_t pn_portset_size(const pn_portset *s, pn_proto proto)
{
    uint32_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (s->r[i].proto == proto)
            n += (uint32_t)s->r[i].hi - s->r[i].lo + 1;
    return n;
}

bool pn_portset_full(const pn_portset *s, pn_proto proto)
{
    return pn_portset_size(s, proto) == PN_PORT_MAX - PN_PORT_MIN + 1;
}

/* Appends text to buf (size bytes, used so far *len); marks a cut with "...". */
static void put(char *buf, size_t size, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (*len + n + 1 > size) {
        if (size >= 4 && *len + 1 < size) {
            size_t at = size - 4 < *len ? size - 4 : *len;
            memcpy(buf + at, "...", 4);
            *len = size - 1;
        }
        return;
    }
    memcpy(buf + *len, text, n + 1);
    *len += n;
}

static void put_ranges(const pn_portset *s, pn_proto proto, const char *sep, char *buf, size_t size,
                       size_t *len)
{
    if (pn_portset_full(s, proto)) {
        put(buf, size, len, "all");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < s->count; i++) {
        const pn_port_range *r = &s->r[i];
        if (r->proto != proto)
            continue;
        char one[16];
        if (r->lo == r->hi)
            snprintf(one, sizeof one, "%u", r->lo);
        else
            snprintf(one, sizeof one, "%u-%u", r->lo, r->hi);
        if (!first)
            put(buf, size, len, sep);
        put(buf, size, len, one);
        first = false;
    }
}

char *pn_portset_format_ports(const pn_portset *s, pn_proto proto, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    put_ranges(s, proto, " ", buf, size, &len);
    return buf;
}

char *pn_portset_format_short(const pn_portset *s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    bool all = true;
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        all = all && pn_portset_full(s, (pn_proto)p);
    if (all || s->count == 0) {
        put(buf, size, &len, all ? "all" : "-");
        return buf;
    }
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        if (pn_portset_size(s, (pn_proto)p) == 0)
            continue;
        if (len)
            put(buf, size, &len, "; ");
        put(buf, size, &len, pn_proto_name((pn_proto)p));
        put(buf, size, &len, " ");
        put_ranges(s, (pn_proto)p, ",", buf, size, &len);
    }
    return buf;
}

/* Reads one port number at *p, advancing it. Returns 0, or -1 with *why set. */
static int read_port(const char **p, uint16_t *out, const char **why)
{
    if (**p < '0' || **p > '9') {
        *why = "expected a port number, a range lo-hi, or \"all\"";
        return -1;
    }
    unsigned long v = 0;
    while (**p >= '0' && **p <= '9') {
        v = v * 10 + (unsigned long)(**p - '0');
        if (v > PN_PORT_MAX)
            break;
        (*p)++;
    }
    if (v < PN_PORT_MIN || v > PN_PORT_MAX) {
        *why = "a port must be 1..65535";
        return -1;
    }
    *out = (uint16_t)v;
    return 0;
}

int pn_portset_parse_ports(const char *text, pn_proto proto, pn_portset *out, const char **why)
{
    const char *p = text;
    while (*p == ' ')
        p++;
    if (strcmp(p, "all") == 0) {
        pn_portset_add(out, proto, PN_PORT_MIN, PN_PORT_MAX);
        return 0;
    }
    if (*p == '\0') {
        *why = "no ports given (write \"all\" for every port)";
        return -1;
    }
    while (*p) {
        uint16_t lo, hi;
        if (read_port(&p, &lo, why) != 0)
            return -1;
        hi = lo;
        if (*p == '-') {
            p++;
            if (read_port(&p, &hi, why) != 0)
                return -1;
            if (hi < lo) {
                *why = "a range must go up (lo-hi with lo <= hi)";
                return -1;
            }
        }
        pn_portset_add(out, proto, lo, hi);
        if (*p && *p != ' ' && *p != ',') {
            *why = "ports are separated by spaces or commas";
            return -1;
        }
        while (*p == ' ' || *p == ',')
            p++;
    }
    return 0;
}
