/* vpc — the AWS side of the network: VPCs with their IPv4 CIDR blocks, subnets with their
 * reserved addresses and an allocator for single addresses and aligned /28 prefixes, route
 * tables with their longest-prefix lookup. Shaped like the EC2 API (reference aws-vpc-cni.md
 * §1.6, §2.6). */
#ifndef PN_VPC_H
#define PN_VPC_H

#include "models/net.h"
#include "sim/base/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PN_VPC_MAX_CIDRS 50 /* IPv4 blocks per VPC: AWS's quota at its highest (default 5) */

typedef struct {
    const char *name;                /* metadata.name, or the VpcId */
    const char *id;                  /* vpc-..., may equal name */
    pn_cidr cidrs[PN_VPC_MAX_CIDRS]; /* primary first, then secondary blocks (100.64.0.0/16...) */
    size_t cidr_count;
} pn_vpc;

/* What a route sends its packets to, as EC2's DescribeRouteTables names it by the target's id
 * prefix (local, igw-, nat-, tgw-, pcx-, eni-, i-). */
typedef enum {
    PN_ROUTE_LOCAL,     /* GatewayId "local": the VPC's own blocks */
    PN_ROUTE_IGW,       /* igw-...: internet gateway */
    PN_ROUTE_NAT,       /* nat-...: NAT gateway */
    PN_ROUTE_PEERING,   /* pcx-...: VPC peering connection */
    PN_ROUTE_OTHER,     /* a gateway podnet does not tell apart (vgw-..., vpce-...) */
    PN_ROUTE_TGW,       /* tgw-...: transit gateway */
    PN_ROUTE_ENI,       /* eni-...: a network interface (an appliance) */
    PN_ROUTE_INSTANCE,  /* i-...: an instance's primary interface */
    PN_ROUTE_BLACKHOLE, /* no target at all: packets are dropped */
    PN_ROUTE_TARGET_COUNT
} pn_route_target;

/* A route's State in DescribeRouteTables: blackhole when its target is gone. */
typedef enum { PN_ROUTE_ACTIVE = 0, PN_ROUTE_STATE_BLACKHOLE } pn_route_state;

typedef struct {
    pn_cidr destination;    /* DestinationCidrBlock */
    pn_route_target target; /* what the route points at */
    const char *target_id;  /* igw-..., nat-..., pcx-...; "local" or NULL for local routes */
    pn_route_state state;   /* active unless its target does not exist */
} pn_route;

typedef struct {
    const char *name;
    const char *id;
    const char *vpc; /* the VPC's name or id */
    pn_route *routes;
    size_t route_count;
    const char **subnets; /* explicitly associated subnets (names or ids) */
    size_t subnet_count;
    bool is_main; /* the VPC's main table: serves every subnet without an association */
} pn_route_table;

/* "local", "igw", "nat", "pcx", "other", "tgw", "eni", "instance", "blackhole". */
const char *pn_route_target_name(pn_route_target t);

/* The target kind of a route target id, by EC2's prefixes: "local", "igw-", "nat-", "tgw-",
 * "pcx-", "eni-", "i-"; anything else (vgw-, vpce-, ...) is PN_ROUTE_OTHER, NULL or "" is
 * PN_ROUTE_BLACKHOLE. */
pn_route_target pn_route_target_of(const char *id);

/* The route for dst by longest prefix match over t's IPv4 routes, blackholed ones included
 * (the caller reads route->state: AWS drops the packet rather than trying a shorter prefix).
 * Of equal prefixes the first listed wins. Returns a pointer into t->routes, or NULL when no
 * route covers dst (the packet is dropped: "no-route"). */
const pn_route *pn_route_lookup(const pn_route_table *t, pn_ipv4 dst);

/* The table that routes a subnet's traffic: the table explicitly associated with the subnet
 * (by name or id), else the main table of the subnet's VPC (vpc given as name or id). Returns
 * a pointer into tables, or NULL when the VPC has no main table either. */
const pn_route_table *pn_route_table_for_subnet(const pn_route_table *tables, size_t count,
                                                const char *subnet_name, const char *subnet_id,
                                                const char *vpc_name, const char *vpc_id);

/* Adds the immutable `local` route of every IPv4 block of v that t lacks (EC2 puts one in
 * every table, for every VPC block). The grown route array is allocated from a (the old one is
 * left as it was). Returns how many routes were added. */
size_t pn_route_table_add_local(pn_route_table *t, const pn_vpc *v, pn_arena *a);

/* Says whether a route target exists (an igw-, nat-, pcx-... id known to the caller). */
typedef bool (*pn_route_target_exists_fn)(void *ctx, pn_route_target target, const char *id);

/* Marks as blackhole every route whose target does not exist by exists() (local routes always
 * exist; a route without a target id is a blackhole), and as active every other one, as AWS
 * reports a route whose gateway was deleted: not an input error. Returns how many are
 * blackholes. */
size_t pn_route_table_mark_blackholes(pn_route_table *t, pn_route_target_exists_fn exists,
                                      void *ctx);

/* An internet gateway (DescribeInternetGateways): attached to VPCs, it translates between an
 * interface's private address and the public address associated with it, and nothing else. */
typedef struct {
    const char *name;
    const char *id;          /* igw-... */
    const char *const *vpcs; /* Attachments[].VpcId; borrowed */
    size_t vpc_count;
} pn_internet_gateway;

/* A NAT gateway (DescribeNatGateways): sits in a subnet, rewrites the source of what its
 * subnet's neighbours send through it to its own private address; a public one then leaves by
 * its subnet's internet gateway as its Elastic IP. */
typedef struct {
    const char *name;
    const char *id;     /* nat-... */
    const char *subnet; /* SubnetId */
    const char *vpc;    /* VpcId */
    bool available;     /* State available (pending, failed, deleted ones forward nothing) */
    bool is_public;     /* ConnectivityType public (the default), else private */
    pn_ipv4 private_ip; /* NatGatewayAddresses[0].PrivateIp, 0 when not given */
    pn_ipv4 public_ip;  /* NatGatewayAddresses[0].PublicIp, 0 for a private gateway */
} pn_nat_gateway;

/* One of an instance's network interfaces (NetworkInterfaces[]): its device index and the
 * groups it carries, which may differ from the primary's. */
typedef struct {
    int device;                /* Attachment.DeviceIndex */
    const char *const *groups; /* Groups[].GroupId; borrowed */
    size_t group_count;
} pn_instance_eni;

/* An EC2 instance as DescribeInstances prints it, as far as the network cares: the primary
 * interface's address, groups and public address, its interfaces' groups, and the metadata
 * service's options. */
typedef struct {
    const char *name;
    const char *id;            /* i-... */
    const char *type;          /* InstanceType */
    pn_ipv4 private_ip;        /* PrivateIpAddress (the primary ENI's primary address) */
    pn_ipv4 public_ip;         /* PublicIpAddress, 0 when none */
    const char *subnet;        /* SubnetId */
    const char *const *groups; /* SecurityGroups[].GroupId of the primary ENI; borrowed */
    size_t group_count;
    const pn_instance_eni *enis; /* NetworkInterfaces[], when given; borrowed */
    size_t eni_count;
    bool tokens_required;  /* MetadataOptions.HttpTokens required (IMDSv2 only) */
    int hop_limit;         /* MetadataOptions.HttpPutResponseHopLimit: EC2's default is
                              1; EKS managed node groups set 2 */
    bool metadata_enabled; /* MetadataOptions.HttpEndpoint enabled (default) */
} pn_instance;

/* A network outside the VPC that the VPC reaches by a gateway (a transit gateway to the data
 * centre, a peering connection, a virtual private gateway): podnet's RemoteNetwork kind. */
typedef struct {
    const char *name;
    const pn_cidr *cidrs; /* its own blocks; borrowed */
    size_t cidr_count;
    const char *gateway;        /* the route target it is reached by: tgw-, pcx-, vgw-... */
    const pn_cidr *routes_back; /* the VPC blocks it routes back by that gateway; borrowed */
    size_t routes_back_count;
} pn_remote_network;

/* True when ip lies in one of blocks[0..count). */
bool pn_cidrs_contain(const pn_cidr *blocks, size_t count, pn_ipv4 ip);

/* A subnet and which of its addresses are taken. AWS reserves five addresses in every subnet:
 * the network address, the next three (router, DNS, future use) and the last one. */
typedef struct {
    const char *name;
    const char *id;
    const char *vpc;
    const char *zone; /* availability zone */
    pn_cidr cidr;     /* /16 to /28 */
    uint64_t *used;   /* one bit per address of cidr; owned by the caller's storage */
    uint32_t size;    /* addresses in cidr */
    uint32_t free;    /* addresses not used (reserved ones count as used) */
} pn_subnet;

/* Checks a subnet's block: /16../28 IPv4. Returns NULL when valid, else a static message. */
const char *pn_subnet_cidr_check(const pn_cidr *c);

/* Prepares s->used (storage: pn_subnet_words(cidr) words, zeroed by the caller) and marks the
 * five reserved addresses. */
void pn_subnet_init(pn_subnet *s, uint64_t *storage);

/* 64-bit words of allocation state for a subnet with this block. */
size_t pn_subnet_words(const pn_cidr *c);

/* Marks ip used (by something outside podnet's model: a load balancer, another cluster).
 * Returns 0, or -1 when ip is outside the subnet or already used. */
int pn_subnet_take(pn_subnet *s, pn_ipv4 ip);

/* The lowest free address, marked used. Returns 0, or -1 (InsufficientFreeAddressesInSubnet). */
int pn_subnet_alloc_ip(pn_subnet *s, pn_ipv4 *out);

/* The lowest /28 whose 16 addresses are all free, marked used (prefix delegation). Returns 0,
 * or -1 (InsufficientCidrBlocks): a fragmented subnet may have many free addresses and no
 * free /28. */
int pn_subnet_alloc_prefix(pn_subnet *s, pn_ipv4 *out);

/* Frees one address, or the 16 of a /28 prefix. */
void pn_subnet_release_ip(pn_subnet *s, pn_ipv4 ip);
void pn_subnet_release_prefix(pn_subnet *s, pn_ipv4 base);

/* Free /28 blocks (for capacity reports). */
uint32_t pn_subnet_free_prefixes(const pn_subnet *s);

/* True when c lies inside one of the VPC's blocks. */
bool pn_vpc_contains(const pn_vpc *v, const pn_cidr *c);

/* True when the two IPv4 blocks share an address. */
bool pn_cidr_overlaps(const pn_cidr *a, const pn_cidr *b);

#endif
