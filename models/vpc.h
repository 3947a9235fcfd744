/* vpc — the AWS side of the network: VPCs with their IPv4 CIDR blocks, subnets with their
 * reserved addresses and an allocator for single addresses and aligned /28 prefixes, route
 * tables. Shaped like the EC2 API (reference aws-vpc-cni.md §1.6, §2.6). */
#ifndef PN_VPC_H
#define PN_VPC_H

#include "models/net.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PN_VPC_MAX_CIDRS 8

typedef struct {
    const char *name;                /* metadata.name, or the VpcId */
    const char *id;                  /* vpc-..., may equal name */
    pn_cidr cidrs[PN_VPC_MAX_CIDRS]; /* primary first, then secondary blocks (100.64.0.0/16...) */
    size_t cidr_count;
} pn_vpc;

typedef enum {
    PN_ROUTE_LOCAL,
    PN_ROUTE_IGW,
    PN_ROUTE_NAT,
    PN_ROUTE_PEERING,
    PN_ROUTE_OTHER
} pn_route_target;

typedef struct {
    pn_cidr destination;
    pn_route_target target;
    const char *target_id; /* igw-..., nat-..., pcx-... */
} pn_route;

typedef struct {
    const char *name;
    const char *id;
    const char *vpc; /* the VPC's name or id */
    pn_route *routes;
    size_t route_count;
    const char **subnets; /* associated subnets (names or ids) */
    size_t subnet_count;
} pn_route_table;

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
