/* nacl — EC2 network ACLs: stateless, numbered allow/deny entries on a subnet's border, checked
 * in ascending rule number, first match wins, and an implicit last entry "*" (32767) that denies.
 * Because they are stateless a connection needs the request let out of the client's subnet and
 * into the server's, and the replies let out of the server's subnet and into the client's, to
 * the client's ephemeral port. Shaped like DescribeNetworkAcls' Entries. */
#ifndef PN_NACL_H
#define PN_NACL_H

#include "models/net.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PN_NACL_RULE_MIN 1
#define PN_NACL_RULE_MAX 32766  /* highest number a user may give */
#define PN_NACL_RULE_STAR 32767 /* the implicit "*" entry: deny everything */

/* Client ephemeral (source) port ranges: Linux's net.ipv4.ip_local_port_range default, and the
 * whole range the VPC CNI's SNAT can pick with iptables --random-fully (AWS_VPC_K8S_CNI_
 * RANDOMIZESNAT=prng, the default; pkg/networkutils/network.go buildIptablesSNATRules). */
#define PN_EPHEMERAL_LINUX_LO 32768
#define PN_EPHEMERAL_LINUX_HI 60999
#define PN_EPHEMERAL_SNAT_LO 1024
#define PN_EPHEMERAL_SNAT_HI 65535

typedef struct {
    int number;    /* RuleNumber 1..32766 */
    bool egress;   /* Egress: applies to packets leaving the subnet */
    int protocol;  /* -1 (all) or an IP protocol number (models/secgroup.h PN_IPPROTO_...) */
    int from_port; /* PortRange.From for tcp/udp; ignored otherwise */
    int to_port;   /* PortRange.To */
    pn_cidr cidr;  /* CidrBlock */
    bool allow;    /* RuleAction allow, else deny */
} pn_nacl_entry;

typedef struct {
    const char *name;             /* metadata.name, the Name tag, or the id */
    const char *id;               /* acl-... */
    const char *vpc;              /* VpcId */
    bool is_default;              /* the VPC's default ACL (subnets without an association) */
    const pn_nacl_entry *entries; /* in any order; borrowed */
    size_t entry_count;
    const char *const *subnets; /* associated subnets (names or ids); borrowed */
    size_t subnet_count;
} pn_nacl;

/* Checks acl: rule numbers 1..32766, no number twice in one direction, a known protocol,
 * tcp/udp ports 0..65535 with From <= To. Returns 0, or -1 with the first problem written into
 * msg ("egress rule 100 is listed twice"). */
int pn_nacl_check(const pn_nacl *acl, char *msg, size_t size);

/* One decision: allow or deny, and by which entry (NULL = the implicit "*" deny). */
typedef struct {
    bool allow;
    const pn_nacl_entry *entry; /* points into the ACL's entries, or NULL for "*" */
} pn_nacl_decision;

/* The entry with the lowest number that matches a packet crossing acl in one direction:
 * egress (leaving the subnet) or ingress (entering), protocol, the peer's address (the
 * destination when leaving, the source when entering) and the port (tcp/udp destination port
 * of the packet). */
pn_nacl_decision pn_nacl_evaluate(const pn_nacl *acl, bool egress, int protocol, pn_ipv4 peer,
                                  uint16_t port);

/* How much of the client's ephemeral range the replies can reach. */
typedef enum { PN_NACL_REPLIES_ALL, PN_NACL_REPLIES_SOME, PN_NACL_REPLIES_NONE } pn_nacl_coverage;

/* "all", "some", "none". */
const char *pn_nacl_coverage_name(pn_nacl_coverage c);

typedef struct {
    bool allowed;                     /* request passes and replies cover ALL the range */
    bool request_allowed;             /* both request checks allow */
    pn_nacl_decision request_egress;  /* src ACL, egress, peer dst, port dst_port */
    pn_nacl_decision request_ingress; /* dst ACL, ingress, peer src, port dst_port */
    pn_nacl_coverage replies;         /* reply ports let out of dst's and into src's subnet */
    uint32_t reply_ports;             /* how many ports of the range the replies reach */
    uint16_t reply_port;              /* the first port refused, or lo when none is */
    pn_nacl_decision reply_egress;    /* dst ACL, egress, peer src, at reply_port */
    pn_nacl_decision reply_ingress;   /* src ACL, ingress, peer dst, at reply_port */
} pn_nacl_verdict;

/* Walks a connection src:[lo..hi] → dst:dst_port over two subnets' ACLs. src_acl or dst_acl is
 * NULL when that end is outside the VPC (nothing to cross there); traffic inside one subnet
 * crosses no ACL (pass NULL for both). For protocols without ports the reply is one check and
 * covers ALL or NONE. */
pn_nacl_verdict pn_nacl_connection_evaluate(const pn_nacl *src_acl, const pn_nacl *dst_acl,
                                            pn_ipv4 src, pn_ipv4 dst, int protocol,
                                            uint16_t dst_port, uint16_t lo, uint16_t hi);

#endif
