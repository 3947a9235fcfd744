/* test_engine — the discrete-event core (sim/engine): events in (time, sequence) order, ties in
 * scheduling order, handlers that schedule more events, bounded runs that advance the clock,
 * clamping to now, the seeded random stream, a heap stress run, and durations read and
 * written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/engine/engine.h"

#include <stdlib.h>
#include <string.h>

/* What the handlers saw, in the order they ran. */
typedef struct {
    pn_time at[64];   /* pn_engine_now when the event ran */
    uint64_t arg[64]; /* the event's argument */
    size_t count;
} trace;

static void record(pn_engine *e, void *ctx, uint64_t arg)
{
    trace *t = ctx;
    assert_true(t->count < 64);
    t->at[t->count] = pn_engine_now(e);
    t->arg[t->count++] = arg;
}

/* Engines still open, so that a test that fails half-way (cmocka jumps out of it) does not
 * show up as a leak: teardown frees what engine_free did not. */
static pn_engine *open_engines[4];
static void *open_block; /* the stress test's record */

static pn_engine *engine_new(uint64_t seed)
{
    pn_engine *e = pn_engine_new(seed);
    for (int i = 0; i < 4; i++)
        if (!open_engines[i]) {
            open_engines[i] = e;
            break;
        }
    return e;
}

static void engine_free(pn_engine *e)
{
    for (int i = 0; i < 4; i++)
        if (open_engines[i] == e)
            open_engines[i] = NULL;
    pn_engine_free(e);
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++) {
        pn_engine_free(open_engines[i]);
        open_engines[i] = NULL;
    }
    free(open_block);
    open_block = NULL;
    return 0;
}

#define TEST(f) cmocka_unit_test_teardown(f, teardown)

/* ---- order ---- */

static void events_run_in_time_order(void **state)
{
    pn_engine *e = engine_new(1);
    trace t = {0};
    static const pn_time times[] = {30, 10, 50, 0, 20, 40};
    for (size_t i = 0; i < 6; i++)
        pn_engine_schedule(e, times[i] * PN_SECOND, record, &t, times[i]);
    assert_int_equal(pn_engine_run(e, PN_TIME_NEVER), 6);
    assert_int_equal(t.count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(t.arg[i], i * 10);
        assert_int_equal(t.at[i], (pn_time)(i * 10) * PN_SECOND); /* the clock is the event's */
    }
    engine_free(e);
}

static void equal_time_events_run_in_scheduling_order(void **state)
{
    /* Forty events at one time, scheduled between events at other times so that the heap has
     * to move them around: they must still come out first-scheduled first. */
    pn_engine *e = engine_new(1);
    trace t = {0};
    uint64_t next = 0;
    for (int i = 0; i < 40; i++) {
        pn_engine_schedule(e, 99 - i, record, &t, 1000 + (uint64_t)i); /* later, descending */
        pn_engine_schedule(e, 5, record, &t, next++);
    }
    assert_int_equal(pn_engine_pending(e), 80);
    assert_int_equal(pn_engine_run(e, 5), 40);
    assert_int_equal(t.count, 40);
    for (size_t i = 0; i < 40; i++) {
        assert_int_equal(t.arg[i], i);
        assert_int_equal(t.at[i], 5);
    }
    engine_free(e);
}

static void ties_keep_scheduling_order_among_several_times(void **state)
{
    pn_engine *e = engine_new(1);
    trace t = {0};
    /* (time, arg): args at each time are increasing in scheduling order */
    static const struct {
        pn_time at;
        uint64_t arg;
    } plan[] = {{20, 200}, {10, 100}, {20, 201}, {10, 101}, {0, 0}, {20, 202},
                {10, 102}, {0, 1},    {20, 203}, {10, 103}, {0, 2}, {10, 104}};
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++)
        pn_engine_schedule(e, plan[i].at, record, &t, plan[i].arg);
    pn_engine_run(e, PN_TIME_NEVER);
    static const uint64_t want[] = {0, 1, 2, 100, 101, 102, 103, 104, 200, 201, 202, 203};
    assert_int_equal(t.count, 12);
    for (size_t i = 0; i < 12; i++)
        assert_int_equal(t.arg[i], want[i]);
    engine_free(e);
}

/* A handler that schedules follow-ups: arg 1 schedules arg 2 at now and arg 3 five ns later
 * and arg 4 far beyond the bound used by the test. */
static void spawn(pn_engine *e, void *ctx, uint64_t arg)
{
    record(e, ctx, arg);
    if (arg == 1) {
        pn_engine_schedule(e, pn_engine_now(e), spawn, ctx, 2);
        pn_engine_schedule(e, pn_engine_now(e) + 5, spawn, ctx, 3);
        pn_engine_schedule(e, pn_engine_now(e) + 1000, spawn, ctx, 4);
    }
}

static void handlers_schedule_more_events_within_the_bound(void **state)
{
    pn_engine *e = engine_new(1);
    trace t = {0};
    pn_engine_schedule(e, 10, spawn, &t, 1);
    pn_engine_schedule(e, 10, spawn, &t, 10); /* already waiting at 10: runs before arg 2 */
    pn_engine_schedule(e, 12, spawn, &t, 12);
    assert_int_equal(pn_engine_run(e, 100), 5);
    static const uint64_t want_arg[] = {1, 10, 2, 12, 3};
    static const pn_time want_at[] = {10, 10, 10, 12, 15};
    assert_int_equal(t.count, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(t.arg[i], want_arg[i]);
        assert_int_equal(t.at[i], want_at[i]);
    }
    assert_int_equal(pn_engine_pending(e), 1); /* arg 4 at 1010 */
    assert_int_equal(pn_engine_next_time(e), 1010);
    assert_int_equal(pn_engine_now(e), 100);
    assert_int_equal(pn_engine_run(e, PN_TIME_NEVER), 1);
    assert_int_equal(t.arg[5], 4);
    assert_int_equal(t.at[5], 1010);
    engine_free(e);
}

static void run_until_stops_before_later_events_and_advances_the_clock(void **state)
{
    pn_engine *e = engine_new(1);
    trace t = {0};
    pn_engine_schedule(e, 10, record, &t, 10);
    pn_engine_schedule(e, 20, record, &t, 20);
    pn_engine_schedule(e, 30, record, &t, 30);
    assert_int_equal(pn_engine_run(e, 20), 2); /* "at or before until" includes 20 */
    assert_int_equal(pn_engine_now(e), 20);
    assert_int_equal(pn_engine_pending(e), 1);
    assert_int_equal(pn_engine_next_time(e), 30);
    assert_int_equal(pn_engine_run(e, 25), 0);
    assert_int_equal(pn_engine_now(e), 25); /* no event, but the clock moved */
    assert_int_equal(t.count, 2);
    assert_int_equal(pn_engine_run(e, 29), 0);
    assert_int_equal(pn_engine_now(e), 29);
    assert_int_equal(pn_engine_run(e, PN_TIME_NEVER), 1);
    assert_int_equal(pn_engine_now(e), 30); /* NEVER leaves the clock at the last event */
    assert_int_equal(t.arg[2], 30);
    assert_int_equal(pn_engine_run(e, PN_TIME_NEVER), 0);
    assert_int_equal(pn_engine_now(e), 30);
    engine_free(e);
}

static void scheduling_in_the_past_clamps_to_now(void **state)
{
    pn_engine *e = engine_new(1);
    trace t = {0};
    pn_engine_run(e, 100);
    assert_int_equal(pn_engine_now(e), 100);
    pn_engine_schedule(e, 5, record, &t, 1);
    pn_engine_schedule(e, -7, record, &t, 2);
    pn_engine_schedule(e, 100, record, &t, 3);
    assert_int_equal(pn_engine_next_time(e), 100);
    assert_int_equal(pn_engine_run(e, 100), 3);
    assert_int_equal(t.count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(t.at[i], 100); /* never in the past */
        assert_int_equal(t.arg[i], i + 1);
    }
    engine_free(e);
}

static void new_engine_is_empty_at_time_zero(void **state)
{
    pn_engine *e = engine_new(7);
    assert_int_equal(pn_engine_now(e), 0);
    assert_int_equal(pn_engine_pending(e), 0);
    assert_int_equal(pn_engine_next_time(e), PN_TIME_NEVER);
    assert_int_equal(pn_engine_run(e, PN_TIME_NEVER), 0);
    assert_int_equal(pn_engine_now(e), 0);
    trace t = {0};
    pn_engine_schedule(e, 3, record, &t, 0);
    pn_engine_schedule(e, 1, record, &t, 0);
    assert_int_equal(pn_engine_pending(e), 2);
    assert_int_equal(pn_engine_next_time(e), 1);
    pn_engine_run(e, 1);
    assert_int_equal(pn_engine_pending(e), 1);
    assert_int_equal(pn_engine_next_time(e), 3);
    engine_free(e);
    pn_engine_free(NULL);
}

/* ---- the random stream ---- */

static void random_stream_depends_on_the_seed_only(void **state)
{
    pn_engine *a = engine_new(42), *b = engine_new(42), *c = engine_new(43);
    uint64_t first[100];
    size_t same_as_other_seed = 0, distinct = 0;
    for (size_t i = 0; i < 100; i++) {
        first[i] = pn_engine_random(a);
        if (i == 50) { /* running events does not disturb the stream */
            trace t = {0};
            pn_engine_schedule(b, 1, record, &t, 0);
            pn_engine_run(b, PN_TIME_NEVER);
        }
        assert_int_equal(pn_engine_random(b), first[i]);
        same_as_other_seed += pn_engine_random(c) == first[i];
        distinct += i == 0 || first[i] != first[i - 1];
    }
    assert_int_equal(same_as_other_seed, 0);
    assert_int_equal(distinct, 100);
    engine_free(a);
    engine_free(b);
    engine_free(c);

    /* a new engine with the first seed starts the same stream over */
    pn_engine *again = engine_new(42);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(pn_engine_random(again), first[i]);
    engine_free(again);
}

static void random_stream_of_seed_zero_is_not_degenerate(void **state)
{
    pn_engine *e = engine_new(0);
    uint64_t ones = 0;
    for (int i = 0; i < 100; i++)
        ones += (uint64_t)__builtin_popcountll(pn_engine_random(e));
    /* 6400 bits: about half of them set */
    assert_true(ones > 2800 && ones < 3600);
    engine_free(e);
}

/* ---- a heap stress run ---- */

typedef struct {
    pn_time last_at;
    uint64_t last_arg; /* args are scheduling indexes: at one time they must increase */
    size_t ran;
    size_t disorder;
    pn_time sched_at[100000]; /* the time each event was scheduled for (after clamping) */
} stress;

static void stress_event(pn_engine *e, void *ctx, uint64_t arg)
{
    stress *s = ctx;
    pn_time now = pn_engine_now(e);
    if (s->ran > 0 && (now < s->last_at || (now == s->last_at && arg <= s->last_arg)))
        s->disorder++;
    if (now != s->sched_at[arg])
        s->disorder++;
    s->last_at = now;
    s->last_arg = arg;
    s->ran++;
}

static void heap_stress_keeps_time_and_sequence_order(void **state)
{
    stress *s = open_block = calloc(1, sizeof *s);
    assert_non_null(s);
    pn_engine *e = engine_new(1);
    uint64_t x = 88172645463325252ull; /* xorshift64, independent of the engine's stream */
    uint64_t index = 0;
    /* Half before any event runs, over few distinct times (many ties); half after running
     * the first part, some of them in the past (clamped to now). */
    for (; index < 50000; index++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        pn_time at = (pn_time)(x % 2000);
        s->sched_at[index] = at;
        pn_engine_schedule(e, at, stress_event, s, index);
    }
    uint64_t ran = pn_engine_run(e, 999);
    assert_int_equal(pn_engine_now(e), 999);
    for (; index < 100000; index++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        pn_time at = (pn_time)(x % 3000);
        s->sched_at[index] = at < 999 ? 999 : at;
        pn_engine_schedule(e, at, stress_event, s, index);
    }
    ran += pn_engine_run(e, PN_TIME_NEVER);
    assert_int_equal(ran, 100000);
    assert_int_equal(s->ran, 100000);
    assert_int_equal(pn_engine_pending(e), 0);
    assert_int_equal(s->disorder, 0);
    engine_free(e);
    free(s);
    open_block = NULL;
}

/* ---- durations ---- */

static void time_parse_reads_every_unit(void **state)
{
    static const struct {
        const char *text;
        pn_time want;
    } good[] = {
        {"0s", 0},
        {"1.5s", 1500 * PN_MILLISECOND},
        {"250ms", 250 * PN_MILLISECOND},
        {"2m", 120 * PN_SECOND},
        {"1h", 3600 * PN_SECOND},
        {"10us", 10000},
        {"5ns", 5},
        {"0.5ms", 500000},
        {"1.25h", 4500 * PN_SECOND},
        {"1.5m", 90 * PN_SECOND},
        {"0.000000001s", 1},
        {"007s", 7 * PN_SECOND},
        {"1000000h", (pn_time)1000000 * 3600 * PN_SECOND},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        pn_time t = -1;
        if (pn_time_parse(good[i].text, &t) != 0 || t != good[i].want)
            print_error("\"%s\": got %lld, want %lld\n", good[i].text, (long long)t,
                        (long long)good[i].want);
        assert_int_equal(pn_time_parse(good[i].text, &t), 0);
        assert_int_equal(t, good[i].want);
    }
}

static void time_parse_rejects_what_is_not_a_duration(void **state)
{
    static const char *const bad[] = {
        "",
        "s",
        "-1s",
        "1.5",
        "1x",
        "1.s",
        "99999999999999999999h",
        "9223372036854775807s",
        "1",
        ".5s",
        "1s ",
        " 1s",
        "1 s",
        "1S",
        "1sec",
        "+1s",
        "1e3s",
        "1..5s",
        "1.5.5s",
        "ms",
        "0x10s",
        "1,5s",
        /* digits that fit, times a unit that would not */
        "9999999999h",
        "3000000h",
        "9223372037s",
        "153722867281m",
        "99999999999999999ms",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pn_time t = 12345;
        int rc = pn_time_parse(bad[i], &t);
        if (rc == 0)
            print_error("accepted \"%s\" as %lld\n", bad[i], (long long)t);
        assert_int_equal(rc, -1);
        assert_int_equal(t, 12345); /* untouched */
    }
}

static void time_format_writes_compact_text(void **state)
{
    char buf[32];
    assert_string_equal(pn_time_format(0, buf), "0s");
    assert_string_equal(pn_time_format(1500 * PN_MILLISECOND, buf), "1.5s");
    assert_string_equal(pn_time_format(120 * PN_SECOND, buf), "2m");
    assert_string_equal(pn_time_format(250 * PN_MILLISECOND, buf), "250ms");
    assert_string_equal(pn_time_format(10 * PN_SECOND, buf), "10s");
    assert_string_equal(pn_time_format(5, buf), "5ns");
    assert_string_equal(pn_time_format(1250 * PN_MILLISECOND, buf), "1.25s");
}

static void time_format_round_trips(void **state)
{
    static const pn_time values[] = {
        0,
        1,
        5,
        10000,
        999999,
        PN_MILLISECOND,
        250 * PN_MILLISECOND,
        999 * PN_MILLISECOND,
        PN_SECOND,
        1500 * PN_MILLISECOND,
        1001 * PN_MILLISECOND,
        59 * PN_SECOND,
        60 * PN_SECOND,
        90 * PN_SECOND,
        3600 * PN_SECOND,
        3600 * PN_SECOND + 1,
        3600 * PN_SECOND + PN_MILLISECOND,
        86400 * PN_SECOND,
        1234567890123,
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[32];
        pn_time back = -1;
        pn_time_format(values[i], buf);
        if (pn_time_parse(buf, &back) != 0 || back != values[i])
            print_error("%lld formats as \"%s\", which reads back as %lld\n", (long long)values[i],
                        buf, (long long)back);
        assert_int_equal(pn_time_parse(buf, &back), 0);
        assert_int_equal(back, values[i]);
    }
    /* and text in its compact form reads and writes back to itself */
    static const char *const texts[] = {"0s", "1.5s", "250ms", "2m", "5ns", "10s", "1.25s"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pn_time t;
        char buf[32];
        assert_int_equal(pn_time_parse(texts[i], &t), 0);
        assert_string_equal(pn_time_format(t, buf), texts[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(events_run_in_time_order),
        TEST(equal_time_events_run_in_scheduling_order),
        TEST(ties_keep_scheduling_order_among_several_times),
        TEST(handlers_schedule_more_events_within_the_bound),
        TEST(run_until_stops_before_later_events_and_advances_the_clock),
        TEST(scheduling_in_the_past_clamps_to_now),
        TEST(new_engine_is_empty_at_time_zero),
        TEST(random_stream_depends_on_the_seed_only),
        TEST(random_stream_of_seed_zero_is_not_degenerate),
        TEST(heap_stress_keeps_time_and_sequence_order),
        TEST(time_parse_reads_every_unit),
        TEST(time_parse_rejects_what_is_not_a_duration),
        TEST(time_format_writes_compact_text),
        TEST(time_format_round_trips),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
