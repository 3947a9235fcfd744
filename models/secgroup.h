/* secgroup — EC2 security groups: stateful allow-lists attached to network interfaces. A
 * connection passes when the sender's groups let it out and the receiver's groups let it in;
 * replies follow the connection. Rules name peers by CIDR or by security group (the peer's
 * interface carries that group). Shaped like DescribeSecurityGroups' IpPermissions. */
#ifndef PN_SECGROUP_H
#define PN_SECGROUP_H

#include "models/net.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IP protocol numbers used by rules; any other 0..255 number is allowed too. */
#define PN_IPPROTO_ALL (-1) /* IpProtocol "-1": every protocol and port */
#define PN_IPPROTO_ICMP 1
#define PN_IPPROTO_TCP 6
#define PN_IPPROTO_UDP 17
#define PN_IPPROTO_ICMPV6 58

/* Reads an IpProtocol: "-1" or "all", "tcp", "udp", "icmp", "icmpv6" (any case) or a number
 * 0..255 (6 is tcp). Returns 0, or -1 with *why set to a static message. */
int pn_ipproto_parse(const char *s, int *out, const char **why);

/* "all", "tcp", "udp", "icmp", "icmpv6", or the number in buf (at least 8 bytes). */
const char *pn_ipproto_name(int protocol, char *buf);

/* The IP protocol number of a Kubernetes protocol (TCP 6, UDP 17, SCTP 132). */
int pn_ipproto_of(pn_proto p);

/* One IpPermission. Ports: tcp/udp from_port..to_port (0..65535); icmp from_port is the type and
 * to_port the code (-1 = any); for "-1" and other protocols they are ignored. */
typedef struct {
    int protocol;              /* PN_IPPROTO_ALL or an IP protocol number */
    int from_port;             /* FromPort */
    int to_port;               /* ToPort */
    const pn_cidr *cidrs;      /* IpRanges (and Ipv6Ranges); borrowed */
    size_t cidr_count;         /* entries in cidrs */
    const char *const *groups; /* UserIdGroupPairs' GroupIds; borrowed */
    size_t group_count;        /* entries in groups */
} pn_sg_rule;

typedef struct {
    const char *id;            /* sg-... */
    const char *name;          /* GroupName */
    const char *vpc;           /* VpcId */
    const pn_sg_rule *ingress; /* IpPermissions; borrowed */
    size_t ingress_count;
    const pn_sg_rule *egress; /* IpPermissionsEgress; borrowed (a new group allows all out) */
    size_t egress_count;
} pn_secgroup;

/* Checks one rule: a known protocol, tcp/udp ports 0..65535 with FromPort <= ToPort, icmp type
 * and code -1..255. Returns 0, or -1 with a message ("FromPort 443 is greater than ToPort 80")
 * written into msg (size bytes). */
int pn_sg_rule_check(const pn_sg_rule *r, char *msg, size_t size);

/* The group with this id among groups[0..count), or NULL. */
const pn_secgroup *pn_secgroup_find(const pn_secgroup *groups, size_t count, const char *id);

/* Checks every rule of g and that every group it references is among all[0..count). Returns
 * 0, or -1 with the first problem written into msg ("ingress rule 2: unknown group sg-x"). */
int pn_secgroup_check(const pn_secgroup *g, const pn_secgroup *all, size_t count, char *msg,
                      size_t size);

/* One end of a connection. An interface (ENI) carries groups; an address outside the VPC (the
 * internet, on-premises) carries none and its side is not checked. */
typedef struct {
    bool is_eni;                      /* false: outside the VPC, no groups to check */
    const pn_secgroup *const *groups; /* the interface's groups; borrowed */
    size_t group_count;               /* entries in groups */
    pn_ipv4 ip;                       /* the address the peer's rules see */
} pn_sg_endpoint;

/* What one side decided. */
typedef struct {
    bool checked;             /* the side is an interface, so its groups were consulted */
    bool allowed;             /* not checked, or some rule matched */
    const pn_secgroup *group; /* the group whose rule matched (NULL when none) */
    size_t rule;              /* index of that rule in group's egress or ingress list */
} pn_sg_side;

typedef struct {
    bool allowed;       /* egress.allowed && ingress.allowed */
    pn_sg_side egress;  /* the source's groups, egress rules, peer = dst */
    pn_sg_side ingress; /* the destination's groups, ingress rules, peer = src */
} pn_sg_verdict;

/* May src open a connection to dst on protocol (an IP protocol number) and port (tcp/udp
 * destination port; icmp type)? Stateful: allowed iff some egress rule of some src group
 * matches dst and some ingress rule of some dst group matches src; replies need no rule.
 * A rule matches the peer by CIDR (the peer's ip) or by group (the peer is an interface that
 * carries that group, which is how a group's self-reference lets its members talk). The
 * first group, then the first rule, that matches is reported. */
pn_sg_verdict pn_secgroup_evaluate(const pn_sg_endpoint *src, const pn_sg_endpoint *dst,
                                   int protocol, uint16_t port);

#endif
