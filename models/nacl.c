/* nacl — first-match evaluation of network ACLs and the reply-port coverage of a connection.
 * Reply coverage is computed over port intervals, not port by port: within the pieces cut by
 * the entries' port bounds every port meets the same first match, so a range costs O(entries²)
 * instead of 65536 lookups. */
#include "models/nacl.h"

#include "models/secgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_ports(int protocol)
{
    return protocol == PN_IPPROTO_TCP || protocol == PN_IPPROTO_UDP;
}

int pn_nacl_check(const pn_nacl *acl, char *msg, size_t size)
{
    for (size_t i = 0; i < acl->entry_count; i++) {
        const pn_nacl_entry *e = &acl->entries[i];
        const char *dir = e->egress ? "egress" : "ingress";
        if (e->number < PN_NACL_RULE_MIN || e->number > PN_NACL_RULE_MAX) {
            snprintf(msg, size, "%s rule number %d is outside 1..32766", dir, e->number);
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (acl->entries[k].egress == e->egress && acl->entries[k].number == e->number) {
                snprintf(msg, size, "%s rule %d is listed twice", dir, e->number);
                return -1;
            }
        if (e->protocol < -1 || e->protocol > 255) {
            snprintf(msg, size, "%s rule %d: protocol %d is not -1 or 0..255", dir, e->number,
                     e->protocol);
            return -1;
        }
        if (has_ports(e->protocol)) {
            if (e->from_port < 0 || e->to_port > 65535) {
                snprintf(msg, size, "%s rule %d: ports must be 0..65535", dir, e->number);
                return -1;
            }
            if (e->from_port > e->to_port) {
                snprintf(msg, size, "%s rule %d: PortRange From %d is greater than To %d", dir,
                         e->number, e->from_port, e->to_port);
                return -1;
            }
        }
    }
    return 0;
}

/* Matches everything but the port. */
static bool matches_packet(const pn_nacl_entry *e, bool egress, int protocol, pn_ipv4 peer)
{
    if (e->egress != egress)
        return false;
    if (e->protocol != -1 && e->protocol != protocol)
        return false;
    return pn_cidr_contains(&e->cidr, peer);
}

static bool port_in(const pn_nacl_entry *e, int protocol, uint16_t port)
{
    return e->protocol == -1 || !has_ports(protocol) ||
           (port >= e->from_port && port <= e->to_port);
}

pn_nacl_decision pn_nacl_evaluate(const pn_nacl *acl, bool egress, int protocol, pn_ipv4 peer,
                                  uint16_t port)
{
    pn_nacl_decision d = {false, NULL};
    for (size_t i = 0; i < acl->entry_count; i++) {
        const pn_nacl_entry *e = &acl->entries[i];
        if (!matches_packet(e, egress, protocol, peer) || !port_in(e, protocol, port))
            continue;
        if (!d.entry || e->number < d.entry->number)
            d = (pn_nacl_decision){e->allow, e};
    }
    return d;
}

const char *pn_nacl_coverage_name(pn_nacl_coverage c)
{
    return c == PN_NACL_REPLIES_ALL ? "all" : c == PN_NACL_REPLIES_SOME ? "some" : "none";
}

static pn_nacl_decision decide(const pn_nacl *acl, bool egress, int protocol, pn_ipv4 peer,
                               uint16_t port)
{
    if (!acl)
        return (pn_nacl_decision){true, NULL};
    return pn_nacl_evaluate(acl, egress, protocol, peer, port);
}

/* Adds the port bounds of acl's entries that can match (x and x+1 cut points) into cuts. */
static size_t add_cuts(const pn_nacl *acl, bool egress, int protocol, pn_ipv4 peer, uint32_t *cuts,
                       size_t n, uint32_t lo, uint32_t hi)
{
    for (size_t i = 0; acl && i < acl->entry_count; i++) {
        const pn_nacl_entry *e = &acl->entries[i];
        if (!matches_packet(e, egress, protocol, peer) || e->protocol == -1)
            continue;
        uint32_t starts[2] = {(uint32_t)e->from_port, (uint32_t)e->to_port + 1};
        for (int k = 0; k < 2; k++)
            if (starts[k] > lo && starts[k] <= hi)
                cuts[n++] = starts[k];
    }
    return n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

pn_nacl_verdict pn_nacl_connection_evaluate(const pn_nacl *src_acl, const pn_nacl *dst_acl,
                                            pn_ipv4 src, pn_ipv4 dst, int protocol,
                                            uint16_t dst_port, uint16_t lo, uint16_t hi)
{
    pn_nacl_verdict v;
    memset(&v, 0, sizeof v);
    v.request_egress = decide(src_acl, true, protocol, dst, dst_port);
    v.request_ingress = decide(dst_acl, false, protocol, src, dst_port);
    v.request_allowed = v.request_egress.allow && v.request_ingress.allow;

    if (!has_ports(protocol) || lo > hi)
        hi = lo;
    /* Piece starts: lo and every entry bound inside (lo, hi]. */
    size_t cap =
        1 + 2 * ((src_acl ? src_acl->entry_count : 0) + (dst_acl ? dst_acl->entry_count : 0));
    uint32_t stack[129];
    uint32_t *cuts = cap <= 129 ? stack : malloc(cap * sizeof *cuts);
    size_t n = 0;
    cuts[n++] = lo;
    if (has_ports(protocol)) {
        n = add_cuts(dst_acl, true, protocol, src, cuts, n, lo, hi);
        n = add_cuts(src_acl, false, protocol, dst, cuts, n, lo, hi);
    }
    qsort(cuts, n, sizeof *cuts, cmp_u32);
    uint32_t total = (uint32_t)hi - lo + 1;
    bool refused = false;
    v.reply_port = lo;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cuts[i] == cuts[i - 1])
            continue;
        uint32_t start = cuts[i], end = hi;
        for (size_t k = i + 1; k < n; k++)
            if (cuts[k] > start) {
                end = cuts[k] - 1;
                break;
            }
        pn_nacl_decision out = decide(dst_acl, true, protocol, src, (uint16_t)start);
        pn_nacl_decision in = decide(src_acl, false, protocol, dst, (uint16_t)start);
        if (out.allow && in.allow) {
            v.reply_ports += end - start + 1;
        } else if (!refused) {
            refused = true;
            v.reply_port = (uint16_t)start;
            v.reply_egress = out;
            v.reply_ingress = in;
        }
        if (i == 0 && !refused) {
            v.reply_egress = out;
            v.reply_ingress = in;
        }
    }
    if (cuts != stack)
        free(cuts);
    v.replies = v.reply_ports == total ? PN_NACL_REPLIES_ALL
                : v.reply_ports == 0   ? PN_NACL_REPLIES_NONE
                                       : PN_NACL_REPLIES_SOME;
    v.allowed = v.request_allowed && v.replies == PN_NACL_REPLIES_ALL;
    return v;
}
