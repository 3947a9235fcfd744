/* engine_bench — discrete-event engine throughput: the classic "hold" model, where each event
 * schedules one more at a random later time, so the number pending stays constant. Compared
 * with a naive queue (an unsorted array scanned for the minimum at every step, as redis's ae
 * keeps its timers) at the same load.
 *
 * usage: engine_bench PENDING EVENTS   → prints "heap_events_per_s naive_events_per_s" */
#include "sim/engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void hold(pn_engine *e, void *ctx, uint64_t arg)
{
    (void)ctx;
    pn_engine_schedule(e, pn_engine_now(e) + 1 + (pn_time)(pn_engine_random(e) % 1000000), hold,
                       NULL, arg);
}

/* The naive queue: unsorted, minimum by linear scan. */
typedef struct {
    int64_t at;
    uint64_t seq;
} naive_event;

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv)
{
    size_t pending = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000;
    uint64_t events = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000000;

    pn_engine *e = pn_engine_new(42);
    for (size_t i = 0; i < pending; i++)
        pn_engine_schedule(e, (pn_time)(pn_engine_random(e) % 1000000), hold, NULL, i);
    double t = now();
    uint64_t ran = 0;
    while (ran < events) {
        /* Run in slices of virtual time; each slice runs many events. */
        ran += pn_engine_run(e, pn_engine_next_time(e) + 1000000);
    }
    double heap_rate = (double)ran / (now() - t);
    pn_engine_free(e);

    naive_event *q = malloc(pending * sizeof *q);
    uint64_t seed = 42, seq = 0;
    for (size_t i = 0; i < pending; i++)
        q[i] = (naive_event){(int64_t)(xorshift(&seed) % 1000000), seq++};
    uint64_t naive_events = events / 200 + 1;
    t = now();
    for (uint64_t k = 0; k < naive_events; k++) {
        size_t best = 0;
        for (size_t i = 1; i < pending; i++)
            if (q[i].at < q[best].at || (q[i].at == q[best].at && q[i].seq < q[best].seq))
                best = i;
        q[best] = (naive_event){q[best].at + 1 + (int64_t)(xorshift(&seed) % 1000000), seq++};
    }
    double naive_rate = (double)naive_events / (now() - t);
    free(q);
    printf("%.0f %.0f\n", heap_rate, naive_rate);
    return 0;
}
