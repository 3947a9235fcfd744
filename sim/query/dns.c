/* dns — CoreDNS's kubernetes plugin records and the resolver's search. */
#include "sim/query/dns.h"

#include "sim/base/buf.h"
#include "sim/query/proxy.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Splits "a.b.c" into labels (at most max); returns how many. Buffer is modified. */
static size_t split(char *name, char **labels, size_t max)
{
    size_t n = 0;
    for (char *p = name; *p && n < max;) {
        labels[n++] = p;
        char *dot = strchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    return n;
}

static void add_address(pn_dns_answer *a, pn_ipv4 ip)
{
    for (size_t i = 0; i < a->address_count; i++)
        if (a->addresses[i] == ip)
            return; /* CoreDNS answers each address once */
    if (a->address_count < PN_DNS_MAX_ANSWERS)
        a->addresses[a->address_count++] = ip;
}

/* One ready endpoint as DNS publishes it: its address, its pod (or -1) and, for a given
 * Service port, its port. */
typedef struct {
    pn_ipv4 ip;
    long pod;
    uint16_t port;
} endpoint;

/* The ready endpoints of svc for port sp (every port when sp is NULL, each address once; a
 * Service without ports: the ready pods it selects), in pod order. *out is malloc'd. */
static size_t endpoints(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                        endpoint **out)
{
    size_t count = 0, cap = 0;
    *out = NULL;
    if (svc->type == PN_SVC_EXTERNAL_NAME)
        return 0;
    if (svc->port_count == 0) {
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        for (size_t i = 0; i < n; i++)
            if (pn_service_selects(svc, &pods[i]) && pods[i].ip &&
                ((pn_pod_serving(&pods[i]) && !pods[i].terminating) || svc->publish_not_ready)) {
                PN_GROW(*out, count, cap);
                (*out)[count++] = (endpoint){pods[i].ip, (long)i, 0};
            }
        return count;
    }
    for (size_t k = 0; k < svc->port_count; k++) {
        if (sp && sp != &svc->ports[k])
            continue;
        pn_backend *b;
        size_t nb = pn_proxy_backends(w, svc, &svc->ports[k], &b);
        for (size_t i = 0; i < nb; i++) {
            bool seen = false;
            for (size_t j = 0; j < count && !sp; j++)
                seen = seen || (*out)[j].ip == b[i].ip;
            if (seen)
                continue;
            PN_GROW(*out, count, cap);
            (*out)[count++] = (endpoint){b[i].ip, b[i].pod, b[i].port};
        }
        free(b);
    }
    return count;
}

/* An endpoint's hostname (CoreDNS endpointHostname): the EndpointSlice's hostname — set by the
 * controller from a pod whose spec.hostname is set and whose spec.subdomain names this
 * Service — else the address with dashes (10-1-2-3). */
static const char *endpoint_hostname(const pn_world *w, const pn_service *svc, const endpoint *e,
                                     char *buf, size_t size)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    if (e->pod >= 0 && pods[e->pod].hostname && pods[e->pod].subdomain &&
        strcmp(pods[e->pod].subdomain, svc->name) == 0)
        return pods[e->pod].hostname;
    char ip[16];
    snprintf(buf, size, "%s", pn_ipv4_format(e->ip, ip));
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = '-';
    return buf;
}

/* An ExternalName whose value parses as an IPv4 address (a final dot allowed). */
static bool looks_like_address(const char *name)
{
    char copy[300];
    snprintf(copy, sizeof copy, "%s", name);
    size_t n = strlen(copy);
    if (n && copy[n - 1] == '.')
        copy[n - 1] = '\0';
    pn_ipv4 ip;
    return pn_ipv4_parse(copy, &ip) == 0;
}

/* Lowercases fqdn into name without its final dot. Returns the length of the part before
 * ".cluster.local", or -1 when the name is outside the cluster domain. */
static long normalize(const char *fqdn, char *name, size_t size)
{
    snprintf(name, size, "%s", fqdn);
    size_t len = strlen(name);
    if (len && name[len - 1] == '.')
        name[--len] = '\0';
    for (char *p = name; *p; p++) /* names are case-insensitive (RFC 4343); records are lower */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    const char *zone = "." PN_DNS_ZONE;
    size_t zl = strlen(zone);
    if (len <= zl || strcmp(name + len - zl, zone) != 0)
        return -1;
    return (long)(len - zl);
}

/* One name's A answer, without following a CNAME. */
static pn_dns_answer lookup_once(const pn_world *w, const char *fqdn)
{
    pn_dns_answer a = {.kind = PN_DNS_NXDOMAIN, .pod = -1};
    char name[300];
    long inside = normalize(fqdn, name, sizeof name);
    if (inside < 0) {
        a.kind = PN_DNS_UPSTREAM; /* outside the cluster domain: forwarded, not modelled */
        return a;
    }
    name[inside] = '\0';
    char *labels[6];
    size_t n = split(name, labels, 6);
    /* <svc>.<ns>.svc and <hostname>.<svc>.<ns>.svc */
    if ((n == 3 || n == 4) && strcmp(labels[n - 1], "svc") == 0) {
        const pn_service *svc = pn_world_find_service(w, labels[n - 2], labels[n - 3]);
        if (!svc)
            return a;
        a.service = svc;
        if (svc->type == PN_SVC_EXTERNAL_NAME) {
            if (n == 4)
                return a;
            /* CoreDNS serves an ExternalName only when its value is a name (msg.Service
             * HostType is CNAME): one that looks like an address gets no record. */
            if (looks_like_address(svc->external_name)) {
                a.ip_like = svc;
                return a;
            }
            a.kind = PN_DNS_CNAME;
            a.cname = svc->external_name;
            return a;
        }
        if (n == 3 && !svc->headless) {
            a.kind = PN_DNS_A;
            add_address(&a, svc->cluster_ip);
            return a;
        }
        /* The ready endpoints (headless), or the one whose hostname is the first label: any
         * Service with endpoints has these records in CoreDNS. */
        endpoint *eps;
        size_t count = endpoints(w, svc, NULL, &eps);
        for (size_t i = 0; i < count; i++) {
            char buf[32];
            if (n == 4 && strcmp(endpoint_hostname(w, svc, &eps[i], buf, sizeof buf), labels[0]))
                continue;
            add_address(&a, eps[i].ip);
            if (n == 4)
                a.pod = eps[i].pod;
        }
        free(eps);
        a.kind = a.address_count ? PN_DNS_A : PN_DNS_NXDOMAIN; /* none ready: NXDOMAIN */
        return a;
    }
    /* <a-b-c-d>.<ns>.pod (kubeadm's Corefile: pods insecure) */
    if (n == 3 && strcmp(labels[2], "pod") == 0) {
        char ip[32];
        snprintf(ip, sizeof ip, "%s", labels[0]);
        for (char *p = ip; *p; p++)
            if (*p == '-')
                *p = '.';
        pn_ipv4 addr;
        if (pn_ipv4_parse(ip, &addr) == 0) {
            a.kind = PN_DNS_A;
            add_address(&a, addr);
        }
    }
    return a;
}

pn_dns_answer pn_dns_lookup(const pn_world *w, const char *fqdn)
{
    pn_dns_answer a = lookup_once(w, fqdn);
    pn_dns_alias chain[PN_DNS_MAX_CHAIN];
    size_t links = 0;
    /* A CNAME into the cluster domain is answered by CoreDNS itself (backend_lookup.go: a
     * target inside the zone is looked up there), up to its chain limit; a loop ends it. */
    while (a.kind == PN_DNS_CNAME && links < PN_DNS_MAX_CHAIN) {
        char target[300];
        if (normalize(a.cname, target, sizeof target) < 0)
            break;
        pn_dns_alias *l = &chain[links++];
        normalize(links == 1 ? fqdn : chain[links - 2].target, l->name, sizeof l->name);
        snprintf(l->target, sizeof l->target, "%.255s", target);
        bool loop = false;
        for (size_t i = 0; i + 1 < links; i++)
            loop = loop || strcmp(chain[i].name, target) == 0;
        a = loop ? (pn_dns_answer){.kind = PN_DNS_NXDOMAIN, .pod = -1} : lookup_once(w, target);
    }
    if (a.kind == PN_DNS_CNAME && links == PN_DNS_MAX_CHAIN)
        a = (pn_dns_answer){.kind = PN_DNS_NXDOMAIN, .pod = -1};
    memcpy(a.aliases, chain, sizeof chain[0] * links);
    a.alias_count = links;
    return a;
}

/* ---- typed queries ---- */

static const char *const type_names[] = {"A", "AAAA", "SRV", "CNAME", "PTR"};

const char *pn_dns_type_name(pn_dns_type t)
{
    return type_names[t];
}

int pn_dns_type_parse(const char *s, pn_dns_type *out)
{
    for (int i = 0; i < 5; i++)
        if (strcasecmp(s, type_names[i]) == 0) {
            *out = (pn_dns_type)i;
            return 0;
        }
    return -1;
}

void pn_dns_records_free(pn_dns_records *r)
{
    free(r->records);
    *r = (pn_dns_records){0};
}

static pn_dns_record *add_record(pn_dns_records *r, size_t *cap, pn_dns_type type, const char *name)
{
    PN_GROW(r->records, r->count, *cap);
    pn_dns_record *rec = &r->records[r->count++];
    memset(rec, 0, sizeof *rec);
    rec->type = type;
    snprintf(rec->name, sizeof rec->name, "%s", name);
    return rec;
}

/* SRV _<port>._<proto>.<svc>.<ns>.svc: one record per named port that matches (spec: unnamed
 * ports have none); for a ClusterIP Service its port and name, for a headless one each ready
 * endpoint's port and hostname record. */
static void srv(const pn_world *w, char **labels, const char *owner, pn_dns_records *out)
{
    size_t cap = 0;
    const pn_service *svc = pn_world_find_service(w, labels[3], labels[2]);
    if (!svc || svc->type == PN_SVC_EXTERNAL_NAME || labels[0][0] != '_' || labels[1][0] != '_')
        return;
    for (size_t k = 0; k < svc->port_count; k++) {
        const pn_service_port *sp = &svc->ports[k];
        if (!sp->name || strcmp(sp->name, labels[0] + 1) != 0 ||
            strcasecmp(pn_proto_name(sp->proto), labels[1] + 1) != 0)
            continue;
        out->exists = true;
        if (!svc->headless) {
            pn_dns_record *r = add_record(out, &cap, PN_DNS_TYPE_SRV, owner);
            snprintf(r->target, sizeof r->target, "%s.%s.svc." PN_DNS_ZONE, svc->name,
                     svc->ns_name);
            r->port = sp->port;
            continue;
        }
        endpoint *eps;
        size_t count = endpoints(w, svc, sp, &eps);
        for (size_t i = 0; i < count; i++) {
            char buf[32];
            pn_dns_record *r = add_record(out, &cap, PN_DNS_TYPE_SRV, owner);
            snprintf(r->target, sizeof r->target, "%s.%s.%s.svc." PN_DNS_ZONE,
                     endpoint_hostname(w, svc, &eps[i], buf, sizeof buf), svc->name, svc->ns_name);
            r->port = eps[i].port;
        }
        free(eps);
    }
    /* backend_lookup.go: every record of one priority shares 100 evenly (at least 1). */
    for (size_t i = 0; i < out->count; i++)
        out->records[i].weight = (uint16_t)(100 / out->count ? 100 / out->count : 1);
}

/* PTR for d.c.b.a.in-addr.arpa (CoreDNS serviceRecordForIP): a Service's cluster IP names the
 * Service; otherwise every ready endpoint with that address names its hostname record. Other
 * addresses fall through to the upstream servers (kubeadm's Corefile). */
static void ptr(const pn_world *w, const char *name, pn_dns_records *out)
{
    size_t cap = 0;
    unsigned o[4];
    char tail[64];
    if (sscanf(name, "%u.%u.%u.%u.%63s", &o[3], &o[2], &o[1], &o[0], tail) != 5 ||
        strcmp(tail, "in-addr.arpa") != 0 || o[0] > 255 || o[1] > 255 || o[2] > 255 || o[3] > 255) {
        out->upstream = true;
        return;
    }
    pn_ipv4 ip = (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
    size_t ns;
    const pn_service *svcs = pn_world_services(w, &ns);
    for (size_t i = 0; i < ns; i++)
        if (!svcs[i].headless && svcs[i].type != PN_SVC_EXTERNAL_NAME && svcs[i].cluster_ip == ip) {
            pn_dns_record *r = add_record(out, &cap, PN_DNS_TYPE_PTR, name);
            snprintf(r->target, sizeof r->target, "%s.%s.svc." PN_DNS_ZONE, svcs[i].name,
                     svcs[i].ns_name);
            out->exists = true;
            return;
        }
    for (size_t i = 0; i < ns; i++) {
        endpoint *eps;
        size_t count = endpoints(w, &svcs[i], NULL, &eps);
        for (size_t e = 0; e < count; e++) {
            if (eps[e].ip != ip)
                continue;
            char buf[32];
            pn_dns_record *r = add_record(out, &cap, PN_DNS_TYPE_PTR, name);
            snprintf(r->target, sizeof r->target, "%s.%s.%s.svc." PN_DNS_ZONE,
                     endpoint_hostname(w, &svcs[i], &eps[e], buf, sizeof buf), svcs[i].name,
                     svcs[i].ns_name);
        }
        free(eps);
    }
    out->exists = out->count > 0;
    out->upstream = out->count == 0;
}

void pn_dns_query(const pn_world *w, const char *fqdn, pn_dns_type type, pn_dns_records *out)
{
    *out = (pn_dns_records){0};
    char name[300];
    if (type == PN_DNS_TYPE_PTR) {
        normalize(fqdn, name, sizeof name);
        ptr(w, name, out);
        return;
    }
    long inside = normalize(fqdn, name, sizeof name);
    if (inside < 0) {
        out->upstream = true;
        return;
    }
    if (type == PN_DNS_TYPE_SRV) {
        char copy[300], *labels[6];
        snprintf(copy, sizeof copy, "%.*s", (int)inside, name);
        if (split(copy, labels, 6) == 5 && strcmp(labels[4], "svc") == 0)
            srv(w, labels, name, out);
        return;
    }
    size_t cap = 0;
    if (type == PN_DNS_TYPE_CNAME) {
        pn_dns_answer a = lookup_once(w, name);
        out->exists = a.kind != PN_DNS_NXDOMAIN;
        if (a.kind == PN_DNS_CNAME)
            snprintf(add_record(out, &cap, PN_DNS_TYPE_CNAME, name)->target, 256, "%s", a.cname);
        return;
    }
    pn_dns_answer a = pn_dns_lookup(w, name);
    out->exists = a.kind == PN_DNS_A || a.kind == PN_DNS_CNAME;
    if (a.kind == PN_DNS_CNAME) {
        /* An alias outside the cluster: the answer is the CNAME, and the client's resolver
         * asks upstream for the rest (not modelled). */
        pn_dns_record *rec = add_record(out, &cap, PN_DNS_TYPE_CNAME,
                                        a.alias_count ? a.aliases[a.alias_count - 1].target : name);
        snprintf(rec->target, sizeof rec->target, "%.255s", a.cname);
        return;
    }
    if (out->exists && type == PN_DNS_TYPE_A)
        for (size_t i = 0; i < a.address_count; i++)
            add_record(out, &cap, PN_DNS_TYPE_A,
                       a.alias_count ? a.aliases[a.alias_count - 1].target : name)
                ->address = a.addresses[i];
}

/* ---- the resolver ---- */

/* The candidates a resolver in namespace ns (NULL: none, the name as it is) tries for name,
 * by resolv.conf(5): a trailing dot is absolute; ndots:5 or more dots: as is first, then the
 * search list; fewer: the search list first, then as is. Returns how many. */
static size_t candidates(const char *ns, const char *name, char out[4][300])
{
    size_t dots = 0, count = 0, len = strlen(name);
    for (const char *p = name; *p; p++)
        dots += *p == '.';
    char search[3][200];
    snprintf(search[0], sizeof search[0], "%.150s.svc." PN_DNS_ZONE, ns ? ns : "");
    snprintf(search[1], sizeof search[1], "svc." PN_DNS_ZONE);
    snprintf(search[2], sizeof search[2], PN_DNS_ZONE);
    bool absolute = !ns || (len && name[len - 1] == '.');
    if (absolute || dots >= 5)
        snprintf(out[count++], 300, "%.250s", name);
    for (int i = 0; i < 3 && !absolute; i++)
        snprintf(out[count++], 300, "%.150s.%.140s", name, search[i]);
    if (!absolute && dots < 5)
        snprintf(out[count++], 300, "%.250s", name);
    return count;
}

void pn_dns_resolve_in(const pn_world *w, const char *ns, const char *name, pn_dns_resolution *out)
{
    memset(out, 0, sizeof *out);
    out->answer = (pn_dns_answer){.kind = PN_DNS_NXDOMAIN, .pod = -1};
    char tries[4][300];
    size_t count = candidates(ns, name, tries);
    for (size_t i = 0; i < count; i++) {
        memcpy(out->tried[out->count], tries[i], sizeof out->tried[0]);
        pn_dns_answer a = pn_dns_lookup(w, tries[i]);
        out->results[out->count++] = a.kind;
        if (a.ip_like && !out->ip_like)
            out->ip_like = a.ip_like;
        if (a.kind == PN_DNS_NXDOMAIN && (a.ip_like || a.alias_count) && !out->answer.ip_like &&
            !out->answer.alias_count)
            out->answer = a; /* kept to say why the name has no address */
        if (a.kind != PN_DNS_NXDOMAIN) {
            out->answer = a;
            out->found = out->tried[out->count - 1];
            return;
        }
    }
}

void pn_dns_resolve(const pn_world *w, const pn_pod *from, const char *name, pn_dns_resolution *out)
{
    pn_dns_resolve_in(w, from->ns_name, name, out);
}

void pn_dns_resolve_typed(const pn_world *w, const char *ns, const char *name, pn_dns_type type,
                          pn_dns_typed *out)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    out->chase = (pn_dns_answer){.kind = PN_DNS_NXDOMAIN, .pod = -1};
    pn_ipv4 ip;
    char tries[4][300];
    size_t count;
    if (type == PN_DNS_TYPE_PTR && pn_ipv4_parse(name, &ip) == 0) {
        snprintf(out->query, sizeof out->query, "%u.%u.%u.%u.in-addr.arpa", ip & 255,
                 (ip >> 8) & 255, (ip >> 16) & 255, ip >> 24);
        snprintf(tries[0], sizeof tries[0], "%s", out->query);
        count = 1;
    } else {
        snprintf(out->query, sizeof out->query, "%s", name);
        count = candidates(type == PN_DNS_TYPE_PTR ? NULL : ns, name, tries);
    }
    /* glibc's res_search: a name that exists without a record of the type (NODATA) does not
     * end the search, but is the answer when no later candidate has records. */
    pn_dns_records nodata = {0};
    const char *nodata_name = NULL;
    for (size_t i = 0; i < count; i++) {
        memcpy(out->tried[out->count++], tries[i], sizeof out->tried[0]);
        pn_dns_records r;
        pn_dns_query(w, tries[i], type, &r);
        out->outcomes[out->count - 1] = r.count      ? type_names[type]
                                        : r.upstream ? "forwarded upstream"
                                        : r.exists   ? "no record of the type"
                                                     : "NXDOMAIN";
        pn_dns_answer a = pn_dns_lookup(w, tries[i]);
        if ((a.ip_like || a.alias_count) && !out->chase.ip_like && !out->chase.alias_count)
            out->chase = a; /* the CNAMEs followed, or why an ExternalName has no record */
        if (r.count || (r.upstream && !nodata_name)) {
            if (type == PN_DNS_TYPE_A || type == PN_DNS_TYPE_AAAA)
                out->chase = a;
            pn_dns_records_free(&nodata);
            out->answer = r;
            out->found = out->tried[out->count - 1];
            return;
        }
        if (r.exists && !nodata_name) {
            nodata = r;
            nodata_name = out->tried[out->count - 1];
            continue;
        }
        pn_dns_records_free(&r);
    }
    out->answer = nodata;
    out->found = nodata_name;
}

void pn_dns_typed_free(pn_dns_typed *t)
{
    pn_dns_records_free(&t->answer);
}

void pn_dns_print_json(FILE *out, const pn_dns_typed *t)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "query", t->query);
    cJSON_AddStringToObject(root, "type", pn_dns_type_name(t->type));
    if (!t->answer.exists && !t->answer.upstream) {
        cJSON_AddStringToObject(root, "answer", "NXDOMAIN");
    } else {
        cJSON *answer = cJSON_AddArrayToObject(root, "answer");
        for (size_t i = 0; i < t->answer.count; i++) {
            const pn_dns_record *r = &t->answer.records[i];
            cJSON *o = cJSON_CreateObject();
            char ip[16];
            cJSON_AddStringToObject(o, "name", r->name);
            cJSON_AddStringToObject(o, "type", pn_dns_type_name(r->type));
            if (r->type == PN_DNS_TYPE_A)
                cJSON_AddStringToObject(o, "address", pn_ipv4_format(r->address, ip));
            if (r->type == PN_DNS_TYPE_SRV) {
                cJSON_AddNumberToObject(o, "priority", r->priority);
                cJSON_AddNumberToObject(o, "weight", r->weight);
                cJSON_AddNumberToObject(o, "port", r->port);
            }
            if (r->type != PN_DNS_TYPE_A)
                cJSON_AddStringToObject(o, "target", r->target);
            cJSON_AddItemToArray(answer, o);
        }
    }
    if (t->answer.upstream)
        cJSON_AddBoolToObject(root, "forwarded", true);
    cJSON *via = cJSON_AddArrayToObject(root, "viaCname");
    for (size_t i = 0; i < t->chase.alias_count; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", t->chase.aliases[i].name);
        cJSON_AddStringToObject(o, "target", t->chase.aliases[i].target);
        cJSON_AddItemToArray(via, o);
    }
    cJSON *searched = cJSON_AddArrayToObject(root, "searched");
    for (size_t i = 0; i < t->count; i++)
        cJSON_AddItemToArray(searched, cJSON_CreateString(t->tried[i]));
    if (t->chase.ip_like)
        cJSON_AddStringToObject(root, "warning",
                                "an ExternalName that looks like an IPv4 address has no record");
    char *text = cJSON_Print(root);
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(root);
}

void pn_dns_print_typed(FILE *out, const pn_dns_typed *t)
{
    for (size_t i = 0; i < t->count; i++)
        fprintf(out, "  query %-52s %s\n", t->tried[i], t->outcomes[i]);
    if (t->answer.upstream) {
        fprintf(out,
                "answer: %s is outside the cluster's zones: CoreDNS forwards it upstream "
                "(not modelled)\n",
                t->found ? t->found : t->tried[t->count - 1]);
        return;
    }
    if (!t->answer.exists) {
        fprintf(out, "answer: NXDOMAIN\n");
        return;
    }
    if (!t->answer.count)
        fprintf(out, "answer: %s has no %s record\n", t->found, pn_dns_type_name(t->type));
    for (size_t i = 0; i < t->answer.count; i++) {
        const pn_dns_record *r = &t->answer.records[i];
        if (r->type == PN_DNS_TYPE_SRV)
            fprintf(out, "answer: %s SRV %u %u %u %s.\n", r->name, r->priority, r->weight, r->port,
                    r->target);
        else
            fprintf(out, "answer: %s %s %s.\n", r->name, pn_dns_type_name(r->type), r->target);
    }
}

/* The CNAMEs followed, as " via a -> b, b -> c". */
static void print_chain(FILE *out, const pn_dns_answer *a)
{
    for (size_t i = 0; i < a->alias_count; i++)
        fprintf(out, "%s%s CNAME %s.", i ? ", " : " via ", a->aliases[i].name,
                a->aliases[i].target);
}

void pn_dns_print(FILE *out, const pn_dns_resolution *r)
{
    for (size_t i = 0; i < r->count; i++)
        fprintf(out, "  query %-52s %s\n", r->tried[i],
                r->results[i] == PN_DNS_NXDOMAIN   ? "NXDOMAIN"
                : r->results[i] == PN_DNS_CNAME    ? "CNAME"
                : r->results[i] == PN_DNS_UPSTREAM ? "forwarded upstream"
                                                   : "A");
    if (!r->found) {
        fprintf(out, "answer: NXDOMAIN (%zu quer%s)", r->count, r->count == 1 ? "y" : "ies");
        if (r->answer.ip_like)
            fprintf(out,
                    "; ExternalName Service %s/%s is \"%s\", which looks like an IPv4 "
                    "address: CoreDNS serves no record for it (use a headless Service "
                    "with an EndpointSlice)",
                    r->answer.ip_like->ns_name, r->answer.ip_like->name,
                    r->answer.ip_like->external_name);
        else if (r->answer.alias_count)
            print_chain(out, &r->answer);
        fprintf(out, "\n");
        return;
    }
    if (r->answer.kind == PN_DNS_UPSTREAM) {
        fprintf(out, "answer: %s is outside %s: CoreDNS forwards it upstream (not modelled)",
                r->found, PN_DNS_ZONE);
        if (r->count > 1)
            fprintf(out, ", after %zu quer%s in the cluster domain that came back NXDOMAIN",
                    r->count - 1, r->count - 1 == 1 ? "y" : "ies");
        fprintf(out, "\n");
        if (r->ip_like)
            fprintf(out,
                    "note: ExternalName Service %s/%s is \"%s\", which looks like an IPv4 "
                    "address: CoreDNS serves no record for it (use a headless Service with an "
                    "EndpointSlice)\n",
                    r->ip_like->ns_name, r->ip_like->name, r->ip_like->external_name);
        return;
    }
    if (r->answer.kind == PN_DNS_CNAME) {
        fprintf(out,
                "answer: %s is a CNAME for %s. (an ExternalName Service; resolved outside "
                "the cluster)",
                r->found, r->answer.cname);
        print_chain(out, &r->answer);
        fprintf(out, "\n");
        return;
    }
    fprintf(out, "answer: %s A", r->found);
    for (size_t i = 0; i < r->answer.address_count; i++) {
        char ip[16];
        fprintf(out, " %s", pn_ipv4_format(r->answer.addresses[i], ip));
    }
    if (r->answer.pod >= 0)
        fprintf(out, " (an endpoint's hostname record under Service %s/%s)",
                r->answer.service->ns_name, r->answer.service->name);
    else if (r->answer.service)
        fprintf(out, " (Service %s/%s%s)", r->answer.service->ns_name, r->answer.service->name,
                r->answer.service->headless ? ", headless: the ready pods" : ", its cluster IP");
    print_chain(out, &r->answer);
    fprintf(out, " after %zu quer%s\n", r->count, r->count == 1 ? "y" : "ies");
}
