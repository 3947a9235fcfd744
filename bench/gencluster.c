/* gencluster — writes a synthetic cluster as multi-document YAML for benchmarks and
 * equivalence tests: Namespaces with labels, Pods with labels, addresses and named ports, and
 * NetworkPolicies mixing default-deny, podSelector, namespaceSelector, AND-peers,
 * matchExpressions, named ports, endPort and ipBlock with except, ingress and egress.
 *
 * usage: gencluster PODS POLICIES SEED > cluster.yaml
 * The same arguments always give the same bytes (xorshift64* seeded from SEED). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(next() % n);
}

static const char *const apps[] = {"web", "api", "db", "cache", "queue", "auth", "search", "batch"};
static const char *const tiers[] = {"frontend", "backend", "data"};
static const char *const envs[] = {"prod", "staging", "dev"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void selector_labels(const char *indent)
{
    switch (pick(4)) {
    case 0:
        printf("%smatchLabels: {app: %s}\n", indent, apps[pick(COUNT(apps))]);
        break;
    case 1:
        printf("%smatchLabels: {tier: %s}\n", indent, tiers[pick(COUNT(tiers))]);
        break;
    case 2:
        printf("%smatchExpressions:\n%s- {key: app, operator: In, values: [%s, %s]}\n", indent,
               indent, apps[pick(COUNT(apps))], apps[pick(COUNT(apps))]);
        break;
    default:
        printf("%smatchExpressions:\n%s- {key: env, operator: NotIn, values: [%s]}\n", indent,
               indent, envs[pick(COUNT(envs))]);
        break;
    }
}

static void ports(void)
{
    switch (pick(6)) {
    case 0:
        break; /* all ports */
    case 1:
        printf("    ports:\n    - port: http\n");
        break;
    case 2:
        printf("    ports:\n    - {protocol: TCP, port: 5432}\n");
        break;
    case 3:
        printf("    ports:\n    - {protocol: TCP, port: 8000, endPort: 9000}\n");
        break;
    case 4:
        printf("    ports:\n    - {protocol: UDP, port: 53}\n    - {protocol: TCP, port: 53}\n");
        break;
    default:
        printf("    ports:\n    - port: metrics\n    - {port: 443}\n");
        break;
    }
}

static void peer(unsigned namespaces)
{
    switch (pick(5)) {
    case 0:
        printf("    - podSelector:\n");
        selector_labels("        ");
        break;
    case 1:
        printf("    - namespaceSelector:\n        matchLabels: {team: t%u}\n",
               pick(namespaces / 4 + 1));
        break;
    case 2:
        printf("    - namespaceSelector:\n        matchLabels: {env: %s}\n      podSelector:\n",
               envs[pick(COUNT(envs))]);
        selector_labels("        ");
        break;
    case 3: {
        unsigned b = pick(4);
        printf("    - ipBlock:\n        cidr: 10.%u.0.0/16\n        except: [10.%u.%u.0/24]\n", b,
               b, pick(256));
    } break;
    default:
        printf("    - namespaceSelector: {}\n");
        break;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: gencluster PODS POLICIES SEED\n", stderr);
        return 2;
    }
    unsigned pods = (unsigned)strtoul(argv[1], NULL, 10);
    unsigned policies = (unsigned)strtoul(argv[2], NULL, 10);
    state = strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
    unsigned namespaces = pods / 100 + 1;
    for (unsigned n = 0; n < namespaces; n++)
        printf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns%u\n  labels: {team: t%u, "
               "env: %s}\n---\n",
               n, n / 4, envs[pick(COUNT(envs))]);
    /* Pods come in workloads, as in real clusters: replicas share labels and ports. */
    unsigned p = 0;
    while (p < pods) {
        unsigned ns = pick(namespaces);
        unsigned replicas = 1 + pick(16);
        const char *app = apps[pick(COUNT(apps))], *tier = tiers[pick(COUNT(tiers))];
        const char *env = envs[pick(COUNT(envs))];
        unsigned http = pick(2) ? 80u : 8080u;
        int db = pick(3) == 0;
        for (unsigned r = 0; r < replicas && p < pods; r++, p++) {
            printf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod%u\n  namespace: ns%u\n"
                   "  labels: {app: %s, tier: %s, env: %s}\nspec:\n  containers:\n"
                   "  - name: main\n    image: example/app:1\n    ports:\n"
                   "    - {name: http, containerPort: %u}\n"
                   "    - {name: metrics, containerPort: 9102}\n",
                   p, ns, app, tier, env, http);
            if (db)
                printf("    - {name: db, containerPort: 5432}\n");
            printf("status:\n  podIP: 10.%u.%u.%u\n---\n", (p >> 16) & 3, (p >> 8) & 255, p & 255);
        }
    }
    for (unsigned i = 0; i < policies; i++) {
        unsigned kind = pick(10);
        printf("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np%u\n"
               "  namespace: ns%u\nspec:\n",
               i, pick(namespaces));
        if (kind == 0) { /* default deny, both directions */
            printf("  podSelector: {}\n  policyTypes: [Ingress, Egress]\n---\n");
            continue;
        }
        printf("  podSelector:\n");
        selector_labels("    ");
        int egress = kind >= 7;
        printf("  policyTypes: [%s]\n  %s:\n", egress ? "Egress" : "Ingress",
               egress ? "egress" : "ingress");
        unsigned rules = 1 + pick(2);
        for (unsigned r = 0; r < rules; r++) {
            printf("  - %s:\n", egress ? "to" : "from");
            unsigned peers = 1 + pick(2);
            for (unsigned k = 0; k < peers; k++)
                peer(namespaces);
            ports();
        }
        printf("---\n");
    }
    return 0;
}
