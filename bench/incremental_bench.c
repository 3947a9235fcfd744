/* incremental_bench — how long an updated truth table takes after one change to a loaded
 * cluster, with the reach cache that the scenario engine keeps between steps: a policy
 * changed, a policy deleted, a pod added. Prints "change ms_one_port ms_all_ports" lines. */
#include "sim/query/reach.h"
#include "sim/world/world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Times one recomputation on the first port and one on all ports, each after warming. */
static void measure(const char *what, pn_reach_cache *cache, pn_world *w, const pn_port *ports,
                    size_t count, void (*change)(pn_world *, int), int round)
{
    double one = 0, all = 0;
    change(w, round);
    double t = now_ms();
    pn_reach_free(pn_reach_cache_compute(cache, w, ports, 1));
    one = now_ms() - t;
    change(w, round + 1);
    t = now_ms();
    pn_reach_free(pn_reach_cache_compute(cache, w, ports, count));
    all = now_ms() - t;
    printf("%-28s %10.2f %10.2f\n", what, one, all);
}

static void apply_text(pn_world *w, const char *text)
{
    pn_diags *d = pn_diags_new();
    pn_documents docs = {0};
    pn_load_buffer(pn_world_arena(w), d, "change.yaml", text, strlen(text), &docs);
    if (pn_world_apply(w, &docs, NULL, d) != 0) {
        pn_diags_flush(d, stderr);
        exit(1);
    }
    pn_documents_free(&docs);
    pn_diags_free(d);
}

static void change_policy(pn_world *w, int round)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    char text[1024];
    snprintf(text, sizeof text,
             "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: %s, "
             "namespace: %s}\nspec:\n  podSelector: {matchLabels: {app: %s}}\n  ingress:\n"
             "  - from: [{podSelector: {}}]\n    ports: [{port: %d}]\n",
             pols[0].name, pols[0].ns_name, round % 2 ? "web" : "api", 80 + round);
    apply_text(w, text);
}

static void delete_policy(pn_world *w, int round)
{
    (void)round;
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    const char *why;
    char name[256], ns[256];
    snprintf(name, sizeof name, "%s", pols[count - 1].name);
    snprintf(ns, sizeof ns, "%s", pols[count - 1].ns_name);
    pn_world_delete(w, "NetworkPolicy", ns, name, &why);
}

static void add_pod(pn_world *w, int round)
{
    char text[512];
    snprintf(text, sizeof text,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: extra-%d, namespace: ns0, labels: {app: "
             "web}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n",
             round);
    apply_text(w, text);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: incremental_bench CLUSTER.yaml\n", stderr);
        return 2;
    }
    pn_diags *d = pn_diags_new();
    pn_world *w = pn_world_new();
    pn_documents docs = {0};
    if (pn_load_path(pn_world_arena(w), d, argv[1], &docs) != 0 ||
        pn_world_load(w, &docs, NULL, d) != 0) {
        pn_diags_flush(d, stderr);
        return 1;
    }
    size_t count;
    pn_port *ports = pn_reach_declared_ports(w, &count);
    pn_reach_cache *cache = pn_reach_cache_new();
    double t = now_ms();
    pn_reach_free(pn_reach_cache_compute(cache, w, ports, count));
    printf("%-28s %10s %10.2f\n", "cold (every declared port)", "-", now_ms() - t);
    measure("one policy changed", cache, w, ports, count, change_policy, 0);
    measure("one policy deleted", cache, w, ports, count, delete_policy, 0);
    measure("one pod added", cache, w, ports, count, add_pod, 0);
    pn_reach_cache_free(cache);
    free(ports);
    pn_documents_free(&docs);
    pn_world_free(w);
    pn_diags_free(d);
    return 0;
}
