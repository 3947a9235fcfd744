/* dns — CoreDNS's kubernetes plugin records and the pod resolver's search. */
#include "sim/query/dns.h"

#include "sim/query/proxy.h"

#include <stdlib.h>
#include <string.h>

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
    if (a->address_count < PN_DNS_MAX_ANSWERS)
        a->addresses[a->address_count++] = ip;
}

/* Ready endpoint addresses of a headless Service (or all with publishNotReadyAddresses). */
static void headless_addresses(const pn_world *w, const pn_service *svc, pn_dns_answer *a)
{
    if (svc->port_count == 0) {
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        for (size_t i = 0; i < n; i++)
            if (pn_service_selects(svc, &pods[i]) && pods[i].ip &&
                ((pn_pod_serving(&pods[i]) && !pods[i].terminating) || svc->publish_not_ready))
                add_address(a, pods[i].ip);
        return;
    }
    pn_backend *b;
    size_t count = pn_proxy_backends(w, svc, &svc->ports[0], &b);
    for (size_t i = 0; i < count; i++)
        add_address(a, b[i].ip);
    free(b);
}

pn_dns_answer pn_dns_lookup(const pn_world *w, const char *fqdn)
{
    pn_dns_answer a = {.kind = PN_DNS_NXDOMAIN, .pod = -1};
    char name[300];
    snprintf(name, sizeof name, "%s", fqdn);
    size_t len = strlen(name);
    if (len && name[len - 1] == '.')
        name[--len] = '\0';
    for (char *p = name; *p; p++) /* names are case-insensitive (RFC 4343); records are lower */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    const char *zone = "." PN_DNS_ZONE;
    size_t zl = strlen(zone);
    if (len <= zl || strcmp(name + len - zl, zone) != 0) {
        a.kind = PN_DNS_UPSTREAM; /* outside the cluster domain: forwarded, not modelled */
        return a;
    }
    name[len - zl] = '\0';
    char *labels[6];
    size_t n = split(name, labels, 6);
    /* <svc>.<ns>.svc and <hostname>.<svc>.<ns>.svc */
    if ((n == 3 || n == 4) && strcmp(labels[n - 1], "svc") == 0) {
        const pn_service *svc = pn_world_find_service(w, labels[n - 2], labels[n - 3]);
        if (!svc)
            return a;
        a.service = svc;
        if (n == 3) {
            if (svc->type == PN_SVC_EXTERNAL_NAME) {
                a.kind = PN_DNS_CNAME;
                a.cname = svc->external_name;
            } else if (svc->headless) {
                headless_addresses(w, svc, &a);
                a.kind = a.address_count ? PN_DNS_A : PN_DNS_NXDOMAIN; /* none ready: NXDOMAIN */
            } else {
                a.kind = PN_DNS_A;
                add_address(&a, svc->cluster_ip);
            }
            return a;
        }
        /* A pod record: the pod named like the hostname (StatefulSets: hostname = pod name,
         * subdomain = the headless Service) that the Service selects and that is ready. */
        if (!svc->headless)
            return a;
        long i = pn_world_find_pod(w, labels[2], labels[0]);
        size_t np;
        const pn_pod *pods = pn_world_pods(w, &np);
        if (i >= 0 && pn_service_selects(svc, &pods[i]) && pods[i].ip &&
            (pods[i].ready || svc->publish_not_ready)) {
            a.kind = PN_DNS_A;
            a.pod = i;
            add_address(&a, pods[i].ip);
        }
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

void pn_dns_resolve(const pn_world *w, const pn_pod *from, const char *name, pn_dns_resolution *out)
{
    memset(out, 0, sizeof *out);
    out->answer = (pn_dns_answer){.kind = PN_DNS_NXDOMAIN, .pod = -1};
    size_t dots = 0;
    for (const char *p = name; *p; p++)
        dots += *p == '.';
    size_t len = strlen(name);
    char search[3][200];
    snprintf(search[0], sizeof search[0], "%s.svc." PN_DNS_ZONE, from->ns_name);
    snprintf(search[1], sizeof search[1], "svc." PN_DNS_ZONE);
    snprintf(search[2], sizeof search[2], PN_DNS_ZONE);
    /* resolv.conf(5): a trailing dot is absolute; ndots:5 or more dots: as is first, then the
     * search list; fewer: the search list first, then as is. */
    char candidates[4][300];
    size_t count = 0;
    bool absolute = len && name[len - 1] == '.';
    if (absolute || dots >= 5)
        snprintf(candidates[count++], 300, "%.250s", name);
    for (int i = 0; i < 3 && !absolute; i++)
        snprintf(candidates[count++], 300, "%.150s.%.140s", name, search[i]);
    if (!absolute && dots < 5)
        snprintf(candidates[count++], 300, "%.250s", name);
    for (size_t i = 0; i < count; i++) {
        memcpy(out->tried[out->count], candidates[i], sizeof out->tried[0]);
        pn_dns_answer a = pn_dns_lookup(w, candidates[i]);
        out->results[out->count++] = a.kind;
        if (a.kind != PN_DNS_NXDOMAIN) {
            out->answer = a;
            out->found = out->tried[out->count - 1];
            return;
        }
    }
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
        fprintf(out, "answer: NXDOMAIN (%zu quer%s)\n", r->count, r->count == 1 ? "y" : "ies");
        return;
    }
    if (r->answer.kind == PN_DNS_UPSTREAM) {
        fprintf(out,
                "answer: %s is outside %s: CoreDNS forwards it upstream (not modelled), "
                "after %zu quer%s in the cluster domain that came back NXDOMAIN\n",
                r->found, PN_DNS_ZONE, r->count - 1, r->count - 1 == 1 ? "y" : "ies");
        return;
    }
    if (r->answer.kind == PN_DNS_CNAME) {
        fprintf(out,
                "answer: %s is a CNAME for %s. (an ExternalName Service; resolved outside "
                "the cluster)\n",
                r->found, r->answer.cname);
        return;
    }
    fprintf(out, "answer: %s A", r->found);
    for (size_t i = 0; i < r->answer.address_count; i++) {
        char ip[16];
        fprintf(out, " %s", pn_ipv4_format(r->answer.addresses[i], ip));
    }
    if (r->answer.pod >= 0)
        fprintf(out, " (a pod's record under headless Service %s/%s)", r->answer.service->ns_name,
                r->answer.service->name);
    else if (r->answer.service)
        fprintf(out, " (Service %s/%s%s)", r->answer.service->ns_name, r->answer.service->name,
                r->answer.service->headless ? ", headless: the ready pods" : ", its cluster IP");
    fprintf(out, " after %zu quer%s\n", r->count, r->count == 1 ? "y" : "ies");
}
