/* kubelet — probe workers and container restarts; see kubelet.h. */
#include "sim/engine/kubelet.h"

#include "sim/base/arena.h"
#include "models/pod.h"
#include "sim/base/strmap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RESTART_BACKOFF (10 * PN_SECOND)
#define RESTART_BACKOFF_MAX (300 * PN_SECOND)

typedef struct {
    const char *key; /* "ns/name" (world arena) */
    char ns[128];
    char name[256];
    bool healthy; /* what the probes find (set by the scenario) */
    bool ready;   /* the Ready condition kubelet reports */
    int restarts;
    pn_time started_at;    /* the current container's start */
    pn_time backoff_until; /* waiting to restart until then (CrashLoopBackOff) */
    bool has_readiness, has_startup;
    bool startup_done;
    bool restarted; /* a restart's CrashLoopBackOff is still reported */
    bool gone;
} pod_state;

typedef struct {
    size_t pod; /* index into pods */
    pn_probe probe;
    pn_probe_state state;
    uint64_t generation; /* the container generation the state belongs to */
} worker;

struct pn_kubelet {
    pn_world *w;
    pn_engine *e;
    FILE *log;
    pod_state *pods;
    size_t pod_count, pod_cap;
    worker *workers;
    size_t worker_count, worker_cap;
    pn_strmap *index; /* key → index into pods */
};

static void say(pn_kubelet *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(pn_kubelet *k, const char *fmt, ...)
{
    if (!k->log)
        return;
    char t[32];
    fprintf(k->log, "t=%-6s kubelet ", pn_time_format(pn_engine_now(k->e), t));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(k->log, fmt, ap);
    va_end(ap);
    fputc('\n', k->log);
}

static void tick(pn_engine *e, void *ctx, uint64_t index);

static const pn_pod *find(const pn_kubelet *k, const pod_state *p)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(k->w, &n);
    long i = pn_world_find_pod(k->w, p->ns, p->name);
    return i >= 0 ? &pods[i] : NULL;
}

static void publish(pn_kubelet *k, const pod_state *p)
{
    pn_world_set_pod_health(k->w, p->key, p->ready, p->restarts,
                            pn_engine_now(k->e) < p->backoff_until ? "CrashLoopBackOff" : NULL);
    pn_world_refresh(k->w);
}

pn_kubelet *pn_kubelet_new(pn_world *w, pn_engine *e, FILE *log)
{
    pn_kubelet *k = pn_xcalloc(1, sizeof *k);
    k->w = w;
    k->e = e;
    k->log = log;
    k->index = pn_strmap_new();
    pn_kubelet_sync(k);
    return k;
}

void pn_kubelet_free(pn_kubelet *k)
{
    if (!k)
        return;
    free(k->pods);
    free(k->workers);
    pn_strmap_free(k->index);
    free(k);
}

bool pn_kubelet_active(const pn_kubelet *k)
{
    return k && k->worker_count > 0;
}

void pn_kubelet_sync(pn_kubelet *k)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(k->w, &n);
    pn_time now = pn_engine_now(k->e);
    for (size_t i = 0; i < n; i++) {
        const pn_pod *p = &pods[i];
        if (p->probe_count == 0)
            continue;
        char key[600];
        size_t idx;
        snprintf(key, sizeof key, "%s/%s", p->ns_name, p->name);
        if (pn_strmap_get(k->index, key, &idx) == 0 && !k->pods[idx].gone)
            continue;
        PN_GROW(k->pods, k->pod_count, k->pod_cap);
        idx = k->pod_count++;
        pod_state *ps = &k->pods[idx];
        *ps = (pod_state){
            .key = pn_arena_strdup(pn_world_arena(k->w), key), .healthy = true, .started_at = now};
        snprintf(ps->ns, sizeof ps->ns, "%s", p->ns_name);
        snprintf(ps->name, sizeof ps->name, "%s", p->name);
        pn_strmap_set(k->index, ps->key, idx);
        for (size_t j = 0; j < p->probe_count; j++) {
            ps->has_readiness |= p->probes[j].kind == PN_PROBE_READINESS;
            ps->has_startup |= p->probes[j].kind == PN_PROBE_STARTUP;
        }
        ps->ready = !ps->has_readiness; /* readiness starts at Failure */
        for (size_t j = 0; j < p->probe_count; j++) {
            PN_GROW(k->workers, k->worker_count, k->worker_cap);
            worker *wk = &k->workers[k->worker_count++];
            *wk = (worker){
                .pod = idx, .probe = p->probes[j], .state = pn_probe_initial(&p->probes[j])};
            pn_engine_schedule(k->e, now + (pn_time)p->probes[j].initial_delay_s * PN_SECOND, tick,
                               k, k->worker_count - 1);
        }
        publish(k, ps);
    }
    for (size_t i = 0; i < k->pod_count; i++)
        if (!k->pods[i].gone && !find(k, &k->pods[i]))
            k->pods[i].gone = true; /* its workers stop at their next tick */
}

size_t pn_kubelet_set_health(pn_kubelet *k, const char *pattern, bool healthy)
{
    size_t n, matched = 0;
    const pn_pod *pods = pn_world_pods(k->w, &n);
    for (size_t i = 0; i < k->pod_count; i++) {
        pod_state *p = &k->pods[i];
        const pn_pod *pod = find(k, p);
        if (!p->gone && pod && pn_pod_matches(pattern, pod)) {
            p->healthy = healthy;
            matched++;
        }
    }
    (void)pods;
    return matched;
}

/* Liveness or startup failed: kill the container, restart it after the back-off. */
static void restart(pn_kubelet *k, pod_state *p, const pn_probe *why)
{
    pn_time now = pn_engine_now(k->e);
    pn_time backoff = RESTART_BACKOFF;
    for (int i = 0; i < p->restarts && backoff < RESTART_BACKOFF_MAX; i++)
        backoff *= 2;
    if (backoff > RESTART_BACKOFF_MAX)
        backoff = RESTART_BACKOFF_MAX;
    p->restarts++;
    p->backoff_until = now + backoff;
    p->started_at = p->backoff_until;
    p->ready = false;
    p->restarted = true;
    p->startup_done = false;
    for (size_t i = 0; i < k->worker_count; i++)
        if (k->workers[i].pod == (size_t)(p - k->pods))
            k->workers[i].state = pn_probe_initial(&k->workers[i].probe);
    char t[32];
    say(k,
        "%s: %s probe failed %d times: container %s restarted (restart %d) after %s "
        "(CrashLoopBackOff)",
        p->key, pn_probe_kind_name(why->kind), why->failure_threshold,
        why->container ? why->container : "", p->restarts, pn_time_format(backoff, t));
    publish(k, p);
}

static void tick(pn_engine *e, void *ctx, uint64_t index)
{
    pn_kubelet *k = ctx;
    worker *wk = &k->workers[index];
    pod_state *p = &k->pods[wk->pod];
    if (p->gone)
        return;
    pn_time now = pn_engine_now(e);
    pn_time next = now + (pn_time)wk->probe.period_s * PN_SECOND;
    const pn_pod *pod = find(k, p);
    if (!pod) {
        p->gone = true;
        return;
    }
    if (now < p->backoff_until) { /* the container is waiting to restart */
        pn_engine_schedule(e, p->backoff_until + (pn_time)wk->probe.initial_delay_s * PN_SECOND,
                           tick, k, index);
        return;
    }
    pn_engine_schedule(e, next, tick, k, index);
    if (pod->phase != PN_POD_RUNNING || !pod->ip)
        return; /* no container running yet (waiting for an address) */
    if (now < p->started_at + (pn_time)wk->probe.initial_delay_s * PN_SECOND)
        return;
    if (wk->probe.kind != PN_PROBE_STARTUP && p->has_startup && !p->startup_done)
        return; /* startup gates liveness and readiness */
    if (wk->probe.kind == PN_PROBE_STARTUP && p->startup_done)
        return; /* it stops once it succeeded */
    bool was_ready = p->ready;
    bool changed = pn_probe_observe(&wk->probe, &wk->state, p->healthy);
    switch (wk->probe.kind) {
    case PN_PROBE_STARTUP:
        if (wk->state.started) {
            p->startup_done = true;
            if (!p->has_readiness)
                p->ready = true;
        } else if (changed && !wk->state.result) {
            restart(k, p, &wk->probe);
            return;
        }
        break;
    case PN_PROBE_LIVENESS:
        if (changed && !wk->state.result) {
            restart(k, p, &wk->probe);
            return;
        }
        if (!p->has_readiness)
            p->ready = true;
        break;
    case PN_PROBE_READINESS:
        p->ready = wk->state.result;
        break;
    }
    if (p->ready != was_ready) {
        say(k, "%s: %s", p->key,
            p->ready ? "readiness passed: Ready, back in its Services' endpoints"
                     : "readiness failed: not Ready, removed from its Services' endpoints");
        publish(k, p);
    } else if (p->restarted) {
        publish(k, p); /* back from the restart: no longer CrashLoopBackOff */
    }
    p->restarted = false;
}
