/* net — addresses, CIDR blocks, protocols and ports: the value types every other model uses. */
#ifndef PN_NET_H
#define PN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t pn_ipv4; /* IPv4 address in host byte order */

/* An address block. IPv6 blocks are accepted (NetworkPolicy allows them) but podnet's pods are
 * IPv4, so an IPv6 block never contains a pod address. */
typedef struct {
    pn_ipv4 addr;   /* network address, host bits cleared (IPv4 only) */
    uint8_t len;    /* prefix length: 0..32 for IPv4, 0..128 for IPv6 */
    uint8_t family; /* 4 or 6 */
    uint8_t v6[16]; /* network address for IPv6 blocks, host bits cleared */
} pn_cidr;

typedef enum { PN_PROTO_TCP, PN_PROTO_UDP, PN_PROTO_SCTP, PN_PROTO_COUNT } pn_proto;

/* A destination port and protocol: what one reachability question asks about. */
typedef struct {
    uint16_t number; /* 1..65535 */
    pn_proto proto;
} pn_port;

/* Parses dotted-quad "a.b.c.d" strictly (no leading zeros, no trailing text).
 * Returns 0, or -1 when s is not an IPv4 address. */
int pn_ipv4_parse(const char *s, pn_ipv4 *out);

/* Writes the dotted-quad form of ip into buf (at least 16 bytes). Returns buf. */
char *pn_ipv4_format(pn_ipv4 ip, char *buf);

/* Parses "addr/len" for IPv4 or IPv6. Host bits are allowed and cleared, as Go's
 * net.ParseCIDR (used by the API server) does. Returns 0, or -1 with *why set to a static
 * explanation. */
int pn_cidr_parse(const char *s, pn_cidr *out, const char **why);

/* Writes "a.b.c.d/len" (or the IPv6 text) into buf (at least 64 bytes). Returns buf. */
char *pn_cidr_format(const pn_cidr *c, char *buf);

/* True when the IPv4 address lies inside the block (always false for IPv6 blocks). */
bool pn_cidr_contains(const pn_cidr *c, pn_ipv4 ip);

/* True when inner is a strict subset of outer: same family, contained, longer prefix.
 * This is the rule NetworkPolicy validation applies to ipBlock.except. */
bool pn_cidr_strict_subset(const pn_cidr *inner, const pn_cidr *outer);

/* The boundaries of a set of IPv4 blocks: every address at which one starts or ends (one past
 * its end). Addresses between two consecutive boundaries lie in exactly the same blocks, which
 * is how the engines put addresses into classes that no rule can tell apart. */
typedef struct {
    uint32_t *at; /* sorted and unique after pn_bounds_finish */
    size_t count, cap;
} pn_bounds;

/* Adds block c's boundaries (IPv6 blocks are ignored). */
void pn_bounds_add(pn_bounds *b, const pn_cidr *c);

/* Sorts the boundaries and drops repeats; call once all blocks are added. */
void pn_bounds_finish(pn_bounds *b);

/* The interval ip falls in: equal for two addresses exactly when no block tells them apart. */
size_t pn_bounds_interval(const pn_bounds *b, pn_ipv4 ip);

void pn_bounds_free(pn_bounds *b);

/* Parses "TCP", "UDP" or "SCTP" (exact case, as the API requires). Returns 0 or -1. */
int pn_proto_parse(const char *s, pn_proto *out);

/* "TCP", "UDP" or "SCTP". */
const char *pn_proto_name(pn_proto p);

/* Parses "80", "80/TCP", "53/udp" (protocol case-insensitive on the command line; TCP when
 * omitted). Returns 0, or -1 when the port is not 1..65535 or the protocol is unknown. */
int pn_port_parse(const char *s, pn_port *out);

/* Orders ports by number, then protocol (80/TCP, 80/UDP, 81/TCP). */
int pn_port_compare(const pn_port *a, const pn_port *b);

/* True when s is a valid IANA_SVC_NAME: 1..15 characters of [a-z0-9-], at least one letter,
 * no leading, trailing or doubled hyphen. Container port names and named NetworkPolicy ports
 * must be one. */
bool pn_port_name_valid(const char *s);

/* True when s is a host name a resolver can look up: at most 253 characters before an
 * optional final dot, dot-separated labels of 1..63 letters, digits, '-' or '_' that neither
 * start nor end with '-', and a last label that is not all digits (so "999.1.1.1" is a wrong
 * address, not a name). Case does not matter. */
bool pn_dns_name_valid(const char *s);

#endif
