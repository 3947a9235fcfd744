/* secgroup — rule checks and the stateful two-sided evaluation of security groups. */
#include "models/secgroup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pn_ipproto_parse(const char *s, int *out, const char **why)
{
    static const struct {
        const char *name;
        int number;
    } names[] = {{"-1", PN_IPPROTO_ALL},  {"all", PN_IPPROTO_ALL},   {"tcp", PN_IPPROTO_TCP},
                 {"udp", PN_IPPROTO_UDP}, {"icmp", PN_IPPROTO_ICMP}, {"icmpv6", PN_IPPROTO_ICMPV6}};
    if (!s || !*s) {
        *why = "IpProtocol is empty";
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].number;
            return 0;
        }
    long n = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || p - s >= 3) {
            *why = "IpProtocol must be -1, tcp, udp, icmp, icmpv6 or a number 0..255";
            return -1;
        }
        n = n * 10 + (*p - '0');
    }
    if (n > 255) {
        *why = "IpProtocol must be -1, tcp, udp, icmp, icmpv6 or a number 0..255";
        return -1;
    }
    *out = (int)n;
    return 0;
}

const char *pn_ipproto_name(int protocol, char *buf)
{
    switch (protocol) {
    case PN_IPPROTO_ALL:
        return "all";
    case PN_IPPROTO_TCP:
        return "tcp";
    case PN_IPPROTO_UDP:
        return "udp";
    case PN_IPPROTO_ICMP:
        return "icmp";
    case PN_IPPROTO_ICMPV6:
        return "icmpv6";
    default:
        snprintf(buf, 8, "%d", protocol);
        return buf;
    }
}

int pn_ipproto_of(pn_proto p)
{
    return p == PN_PROTO_UDP ? PN_IPPROTO_UDP : p == PN_PROTO_SCTP ? 132 : PN_IPPROTO_TCP;
}

static bool has_ports(int protocol)
{
    return protocol == PN_IPPROTO_TCP || protocol == PN_IPPROTO_UDP;
}

int pn_sg_rule_check(const pn_sg_rule *r, char *msg, size_t size)
{
    if (r->protocol < PN_IPPROTO_ALL || r->protocol > 255) {
        snprintf(msg, size, "IpProtocol %d is not -1 or 0..255", r->protocol);
        return -1;
    }
    if (has_ports(r->protocol)) {
        if (r->from_port < 0 || r->from_port > 65535 || r->to_port < 0 || r->to_port > 65535) {
            snprintf(msg, size, "ports must be 0..65535 (FromPort %d, ToPort %d)", r->from_port,
                     r->to_port);
            return -1;
        }
        if (r->from_port > r->to_port) {
            snprintf(msg, size, "FromPort %d is greater than ToPort %d", r->from_port, r->to_port);
            return -1;
        }
    } else if (r->protocol == PN_IPPROTO_ICMP || r->protocol == PN_IPPROTO_ICMPV6) {
        if (r->from_port < -1 || r->from_port > 255 || r->to_port < -1 || r->to_port > 255) {
            snprintf(msg, size, "ICMP type and code must be -1..255 (FromPort %d, ToPort %d)",
                     r->from_port, r->to_port);
            return -1;
        }
    }
    return 0;
}

const pn_secgroup *pn_secgroup_find(const pn_secgroup *groups, size_t count, const char *id)
{
    for (size_t i = 0; id && i < count; i++)
        if (groups[i].id && strcmp(groups[i].id, id) == 0)
            return &groups[i];
    return NULL;
}

static int check_list(const pn_sg_rule *rules, size_t n, const char *dir, const pn_secgroup *all,
                      size_t count, char *msg, size_t size)
{
    char why[160];
    for (size_t i = 0; i < n; i++) {
        if (pn_sg_rule_check(&rules[i], why, sizeof why) != 0) {
            snprintf(msg, size, "%s rule %zu: %s", dir, i + 1, why);
            return -1;
        }
        for (size_t k = 0; k < rules[i].group_count; k++)
            if (!pn_secgroup_find(all, count, rules[i].groups[k])) {
                snprintf(msg, size, "%s rule %zu: unknown security group %s", dir, i + 1,
                         rules[i].groups[k]);
                return -1;
            }
    }
    return 0;
}

int pn_secgroup_check(const pn_secgroup *g, const pn_secgroup *all, size_t count, char *msg,
                      size_t size)
{
    if (check_list(g->ingress, g->ingress_count, "ingress", all, count, msg, size) != 0)
        return -1;
    return check_list(g->egress, g->egress_count, "egress", all, count, msg, size);
}

static bool carries(const pn_sg_endpoint *e, const char *group_id)
{
    if (!e->is_eni)
        return false;
    for (size_t i = 0; i < e->group_count; i++)
        if (e->groups[i] && e->groups[i]->id && strcmp(e->groups[i]->id, group_id) == 0)
            return true;
    return false;
}

static bool rule_matches(const pn_sg_rule *r, const pn_sg_endpoint *peer, int protocol,
                         uint16_t port)
{
    if (r->protocol != PN_IPPROTO_ALL) {
        if (r->protocol != protocol)
            return false;
        if (has_ports(protocol) && (port < r->from_port || port > r->to_port))
            return false;
        if ((protocol == PN_IPPROTO_ICMP || protocol == PN_IPPROTO_ICMPV6) && r->from_port >= 0 &&
            port != r->from_port)
            return false;
    }
    for (size_t i = 0; i < r->cidr_count; i++)
        if (pn_cidr_contains(&r->cidrs[i], peer->ip))
            return true;
    for (size_t i = 0; i < r->group_count; i++)
        if (carries(peer, r->groups[i]))
            return true;
    return false;
}

static pn_sg_side side(const pn_sg_endpoint *self, const pn_sg_endpoint *peer, bool egress,
                       int protocol, uint16_t port)
{
    pn_sg_side s = {.checked = self->is_eni, .allowed = !self->is_eni};
    for (size_t g = 0; self->is_eni && g < self->group_count; g++) {
        const pn_secgroup *group = self->groups[g];
        if (!group)
            continue;
        const pn_sg_rule *rules = egress ? group->egress : group->ingress;
        size_t n = egress ? group->egress_count : group->ingress_count;
        for (size_t i = 0; i < n; i++)
            if (rule_matches(&rules[i], peer, protocol, port)) {
                s.allowed = true;
                s.group = group;
                s.rule = i;
                return s;
            }
    }
    return s;
}

pn_sg_verdict pn_secgroup_evaluate(const pn_sg_endpoint *src, const pn_sg_endpoint *dst,
                                   int protocol, uint16_t port)
{
    pn_sg_verdict v;
    v.egress = side(src, dst, true, protocol, port);
    v.ingress = side(dst, src, false, protocol, port);
    v.allowed = v.egress.allowed && v.ingress.allowed;
    return v;
}
