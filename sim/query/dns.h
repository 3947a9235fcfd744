/* dns — cluster DNS as CoreDNS answers it (the Kubernetes DNS specification, reference
 * kubernetes.md §3): Service names, headless Services' ready endpoints and their hostname
 * records, ExternalName CNAMEs (followed when they point back into the cluster), SRV records
 * for named ports, PTR records, and a resolver (search list and ndots:5 from dnsPolicy
 * ClusterFirst) trying candidate names in order. */
#ifndef PN_DNS_H
#define PN_DNS_H

#include "sim/world/world.h"

#include <stdio.h>

#define PN_DNS_ZONE "cluster.local"
#define PN_DNS_MAX_ANSWERS 16
/* CoreDNS follows at most this many CNAMEs inside its zone (plugin/backend_lookup.go,
 * maxCnameChainLength). */
#define PN_DNS_MAX_CHAIN 10

typedef enum {
    PN_DNS_NXDOMAIN, /* no such name */
    PN_DNS_A,        /* addresses */
    PN_DNS_CNAME,    /* an alias outside the cluster (ExternalName) */
    PN_DNS_UPSTREAM, /* outside the cluster domain: CoreDNS forwards it (not modelled) */
} pn_dns_kind;

/* One CNAME record followed: name is an alias for target (both without the final dot). */
typedef struct {
    char name[256];
    char target[256];
} pn_dns_alias;

typedef struct {
    pn_dns_kind kind;
    pn_ipv4 addresses[PN_DNS_MAX_ANSWERS];
    size_t address_count;
    const char *cname;                      /* CNAME: the target outside the cluster */
    const pn_service *service;              /* the Service the (last) name belongs to, or NULL */
    long pod;                               /* a pod's own record (hostname.subdomain), or -1 */
    pn_dns_alias aliases[PN_DNS_MAX_CHAIN]; /* ExternalName CNAMEs followed, in order */
    size_t alias_count;
    const pn_service *ip_like; /* an ExternalName whose value looks like an IPv4 address:
                                  CoreDNS serves no record for it (NXDOMAIN) */
} pn_dns_answer;

/* Answers one fully qualified name (with or without the final dot), in any case, for an A
 * query: an ExternalName's CNAME is followed while its target is inside the cluster domain. */
pn_dns_answer pn_dns_lookup(const pn_world *w, const char *fqdn);

/* The query types podnet answers. AAAA exists so a client can ask: an IPv4 cluster has none. */
typedef enum {
    PN_DNS_TYPE_A,
    PN_DNS_TYPE_AAAA,
    PN_DNS_TYPE_SRV,
    PN_DNS_TYPE_CNAME,
    PN_DNS_TYPE_PTR
} pn_dns_type;

/* "A", "AAAA", "SRV", "CNAME", "PTR"; parse is case-insensitive and returns 0 or -1. */
const char *pn_dns_type_name(pn_dns_type t);
int pn_dns_type_parse(const char *s, pn_dns_type *out);

/* One resource record of an answer. */
typedef struct {
    pn_dns_type type;
    char name[256];            /* the owner name */
    pn_ipv4 address;           /* A */
    char target[256];          /* CNAME, SRV and PTR: the name it points to */
    uint16_t port;             /* SRV */
    uint16_t priority, weight; /* SRV: 0, and CoreDNS's even share floor(100 / records) */
} pn_dns_record;

/* The answer to a typed query: NXDOMAIN (exists false), or the records of that type (none:
 * the name exists but has no record of the type, NODATA). */
typedef struct {
    bool exists;
    bool upstream;          /* outside the cluster's zones: forwarded, not modelled */
    pn_dns_record *records; /* malloc'd */
    size_t count;
} pn_dns_records;

/* Answers a typed query for one name. For PTR the name is an in-addr.arpa name. out->records
 * is malloc'd: free it with pn_dns_records_free. */
void pn_dns_query(const pn_world *w, const char *fqdn, pn_dns_type type, pn_dns_records *out);
void pn_dns_records_free(pn_dns_records *r);

/* A client's resolution of name: the candidates its resolver tries (search list with ndots:5),
 * each with its answer, until one is found. */
typedef struct {
    char tried[8][300];
    pn_dns_kind results[8];
    size_t count;
    pn_dns_answer answer;      /* the first found, or NXDOMAIN */
    const char *found;         /* the name that answered (one of tried), or NULL */
    const pn_service *ip_like; /* a candidate was an address-like ExternalName (no record) */
} pn_dns_resolution;

/* Resolves as a pod of namespace ns does (search ns.svc.zone, svc.zone, zone; ndots:5); with
 * ns NULL (a node, asking the cluster DNS directly) the name is taken as it is. */
void pn_dns_resolve_in(const pn_world *w, const char *ns, const char *name, pn_dns_resolution *out);

void pn_dns_resolve(const pn_world *w, const pn_pod *from, const char *name,
                    pn_dns_resolution *out);

/* A typed resolution: the candidates tried and the records of the first that has any. */
typedef struct {
    char query[300]; /* the name as asked (PTR: its in-addr.arpa form) */
    pn_dns_type type;
    char tried[8][300];
    const char *outcomes[8]; /* per candidate: "NXDOMAIN", the type, "no record of the type"
                                or "forwarded upstream" (static strings) */
    size_t count;
    pn_dns_records answer; /* of the first candidate with records, else of the last */
    const char *found;     /* the candidate that answered, or NULL */
    pn_dns_answer chase;   /* A and CNAME: the CNAMEs followed on the way */
} pn_dns_typed;

/* Resolves name for type as pn_dns_resolve_in does (PTR: an address or an in-addr.arpa
 * name, always absolute). Free with pn_dns_typed_free. */
void pn_dns_resolve_typed(const pn_world *w, const char *ns, const char *name, pn_dns_type type,
                          pn_dns_typed *out);
void pn_dns_typed_free(pn_dns_typed *t);

/* Writes a typed resolution as JSON: {query, type, answer: "NXDOMAIN" | [records], viaCname,
 * searched}. */
void pn_dns_print_json(FILE *out, const pn_dns_typed *t);

/* Prints a resolution: each query and its result, then the answer. */
void pn_dns_print(FILE *out, const pn_dns_resolution *r);

/* Prints a typed resolution (not A) as text. */
void pn_dns_print_typed(FILE *out, const pn_dns_typed *t);

#endif
