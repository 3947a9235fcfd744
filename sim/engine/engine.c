/* engine — an implicit binary min-heap of events stored inline (no allocation per event;
 * the array itself is the pool), keyed by (time, sequence). */
#include "sim/engine/engine.h"

#include "sim/base/arena.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    pn_time at;
    uint64_t seq;
    pn_event_fn fn;
    void *ctx;
    uint64_t arg;
} event;

struct pn_engine {
    event *heap;
    size_t count, cap;
    uint64_t next_seq;
    pn_time now;
    uint64_t rng[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

pn_engine *pn_engine_new(uint64_t seed)
{
    pn_engine *e = pn_xcalloc(1, sizeof *e);
    for (int i = 0; i < 4; i++)
        e->rng[i] = splitmix64(&seed);
    return e;
}

void pn_engine_free(pn_engine *e)
{
    if (!e)
        return;
    free(e->heap);
    free(e);
}

static inline bool before(const event *a, const event *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

void pn_engine_schedule(pn_engine *e, pn_time at, pn_event_fn fn, void *ctx, uint64_t arg)
{
    PN_GROW(e->heap, e->count, e->cap);
    event ev = {at < e->now ? e->now : at, e->next_seq++, fn, ctx, arg};
    size_t i = e->count++;
    while (i > 0) { /* sift the hole up */
        size_t parent = (i - 1) / 2;
        if (!before(&ev, &e->heap[parent]))
            break;
        e->heap[i] = e->heap[parent];
        i = parent;
    }
    e->heap[i] = ev;
}

static event pop(pn_engine *e)
{
    event top = e->heap[0];
    event last = e->heap[--e->count];
    size_t i = 0, n = e->count;
    for (;;) { /* sift the hole down */
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(&e->heap[child + 1], &e->heap[child]))
            child++;
        if (!before(&e->heap[child], &last))
            break;
        e->heap[i] = e->heap[child];
        i = child;
    }
    if (n > 0)
        e->heap[i] = last;
    return top;
}

uint64_t pn_engine_run(pn_engine *e, pn_time until)
{
    uint64_t ran = 0;
    while (e->count > 0 && e->heap[0].at <= until) {
        event ev = pop(e);
        e->now = ev.at;
        ev.fn(e, ev.ctx, ev.arg);
        ran++;
    }
    if (until != PN_TIME_NEVER && until > e->now)
        e->now = until;
    return ran;
}

pn_time pn_engine_now(const pn_engine *e)
{
    return e->now;
}

size_t pn_engine_pending(const pn_engine *e)
{
    return e->count;
}

pn_time pn_engine_next_time(const pn_engine *e)
{
    return e->count ? e->heap[0].at : PN_TIME_NEVER;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t pn_engine_random(pn_engine *e)
{
    uint64_t *s = e->rng;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}
