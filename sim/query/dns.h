/* dns — cluster DNS as CoreDNS answers it (the Kubernetes DNS specification, reference
 * kubernetes.md §3): Service names, headless Services' ready endpoints, ExternalName CNAMEs,
 * pod hostname.subdomain records, and a pod's resolver (search list and ndots:5 from
 * dnsPolicy ClusterFirst) trying candidate names in order. */
#ifndef PN_DNS_H
#define PN_DNS_H

#include "sim/world/world.h"

#include <stdio.h>

#define PN_DNS_ZONE "cluster.local"
#define PN_DNS_MAX_ANSWERS 16

typedef enum {
    PN_DNS_NXDOMAIN, /* no such name */
    PN_DNS_A,        /* addresses */
    PN_DNS_CNAME,    /* an alias outside the cluster (ExternalName) */
    PN_DNS_UPSTREAM, /* outside the cluster domain: CoreDNS forwards it (not modelled) */
} pn_dns_kind;

typedef struct {
    pn_dns_kind kind;
    pn_ipv4 addresses[PN_DNS_MAX_ANSWERS];
    size_t address_count;
    const char *cname;         /* CNAME: the target */
    const pn_service *service; /* the Service the name belongs to, or NULL */
    long pod;                  /* a pod's own record (hostname.subdomain), or -1 */
} pn_dns_answer;

/* Answers one fully qualified name (with or without the final dot), in any case. */
pn_dns_answer pn_dns_lookup(const pn_world *w, const char *fqdn);

/* A pod's resolution of name: the candidates its resolver tries (search list with ndots:5),
 * each with its answer, until one is found. */
typedef struct {
    char tried[8][300];
    pn_dns_kind results[8];
    size_t count;
    pn_dns_answer answer; /* the first found, or NXDOMAIN */
    const char *found;    /* the name that answered (one of tried), or NULL */
} pn_dns_resolution;

void pn_dns_resolve(const pn_world *w, const pn_pod *from, const char *name,
                    pn_dns_resolution *out);

/* Prints a resolution: each query and its result, then the answer. */
void pn_dns_print(FILE *out, const pn_dns_resolution *r);

#endif
