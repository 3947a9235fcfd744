/* engine — the discrete-event core: a virtual clock in integer nanoseconds, events ordered by
 * (time, sequence number) so that equal-time events run in the order they were scheduled, and
 * a seeded random stream. Handlers change the world; nothing else does. */
#ifndef PN_ENGINE_H
#define PN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/time.h"

typedef struct pn_engine pn_engine;

/* An event handler: ctx and arg are what was given to pn_engine_schedule. */
typedef void (*pn_event_fn)(pn_engine *e, void *ctx, uint64_t arg);

/* A new engine at time 0 whose random stream is seeded with seed. */
pn_engine *pn_engine_new(uint64_t seed);

void pn_engine_free(pn_engine *e); /* accepts NULL */

/* Schedules fn(e, ctx, arg) at time at (clamped to now: events never run in the past).
 * ctx is borrowed and must live until the event runs. */
void pn_engine_schedule(pn_engine *e, pn_time at, pn_event_fn fn, void *ctx, uint64_t arg);

/* Runs every event due at or before until, in (time, sequence) order, including events those
 * handlers schedule within the bound; then sets the clock to until (unless PN_TIME_NEVER).
 * Returns the number of events run. */
uint64_t pn_engine_run(pn_engine *e, pn_time until);

pn_time pn_engine_now(const pn_engine *e);

/* Events waiting. */
size_t pn_engine_pending(const pn_engine *e);

/* The time of the next event, or PN_TIME_NEVER. */
pn_time pn_engine_next_time(const pn_engine *e);

/* The next number of the engine's random stream (xoshiro256**, seeded by splitmix64). */
uint64_t pn_engine_random(pn_engine *e);

#endif
