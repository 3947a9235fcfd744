/* test_strmap — the string-keyed hash map (sim/strmap): put, get, set, del and count, growth
 * past many entries, and deletion in the middle of probe clusters (backward shift) keeping
 * every other key findable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/base/strmap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The map and the keys a test made, freed by teardown when the test fails half-way. */
static pn_strmap *open_map;
static char (*open_keys)[24];

static int teardown(void **state)
{
    (void)state;
    pn_strmap_free(open_map);
    open_map = NULL;
    free(open_keys);
    open_keys = NULL;
    return 0;
}

#define TEST(f) cmocka_unit_test_teardown(f, teardown)

static pn_strmap *map_new(void)
{
    return open_map = pn_strmap_new();
}

/* count keys named "<prefix><i>", owned by the test (the map borrows them). */
static char (*keys_new(size_t count, const char *prefix))[24]
{
    open_keys = calloc(count, sizeof *open_keys);
    assert_non_null(open_keys);
    for (size_t i = 0; i < count; i++)
        snprintf(open_keys[i], sizeof open_keys[i], "%s%zu", prefix, i);
    return open_keys;
}

static bool has(const pn_strmap *m, const char *key, size_t want)
{
    size_t v = (size_t)-1;
    if (pn_strmap_get(m, key, &v) != 0) {
        print_error("\"%s\" is missing\n", key);
        return false;
    }
    if (v != want)
        print_error("\"%s\" maps to %zu, want %zu\n", key, v, want);
    return v == want;
}

static bool absent(const pn_strmap *m, const char *key)
{
    size_t v = 12345;
    if (pn_strmap_get(m, key, &v) == 0) {
        print_error("\"%s\" is still there (%zu)\n", key, v);
        return false;
    }
    return v == 12345; /* untouched */
}

/* ---- the basic operations ---- */

static void put_then_get(void **state)
{
    pn_strmap *m = map_new();
    assert_int_equal(pn_strmap_count(m), 0);
    assert_true(absent(m, "a"));
    assert_true(absent(m, ""));
    assert_int_equal(pn_strmap_put(m, "a", 1, NULL), 0);
    assert_int_equal(pn_strmap_put(m, "b", 2, NULL), 0);
    assert_int_equal(pn_strmap_put(m, "", 3, NULL), 0); /* the empty key is a key */
    assert_int_equal(pn_strmap_count(m), 3);
    assert_true(has(m, "a", 1));
    assert_true(has(m, "b", 2));
    assert_true(has(m, "", 3));
    assert_true(absent(m, "c"));
    assert_true(absent(m, "ab"));
    /* keys are compared by content, not by pointer */
    char copy[] = {'a', '\0'};
    assert_true(has(m, copy, 1));
    teardown(state);
}

static void put_keeps_the_first_value(void **state)
{
    pn_strmap *m = map_new();
    assert_int_equal(pn_strmap_put(m, "k", 7, NULL), 0);
    size_t existing = 0;
    assert_int_equal(pn_strmap_put(m, "k", 8, &existing), 1);
    assert_int_equal(existing, 7);
    assert_int_equal(pn_strmap_put(m, "k", 9, NULL), 1); /* existing may be NULL */
    assert_true(has(m, "k", 7));
    assert_int_equal(pn_strmap_count(m), 1);
    teardown(state);
}

static void set_replaces_or_inserts(void **state)
{
    pn_strmap *m = map_new();
    pn_strmap_set(m, "x", 1);
    assert_true(has(m, "x", 1));
    assert_int_equal(pn_strmap_count(m), 1);
    pn_strmap_set(m, "x", 2);
    assert_true(has(m, "x", 2));
    assert_int_equal(pn_strmap_count(m), 1);
    pn_strmap_set(m, "y", 3);
    assert_true(has(m, "y", 3));
    assert_true(has(m, "x", 2));
    assert_int_equal(pn_strmap_count(m), 2);
    teardown(state);
}

static void del_removes_one_key(void **state)
{
    pn_strmap *m = map_new();
    pn_strmap_put(m, "a", 1, NULL);
    pn_strmap_put(m, "b", 2, NULL);
    assert_int_equal(pn_strmap_del(m, "a"), 0);
    assert_true(absent(m, "a"));
    assert_true(has(m, "b", 2));
    assert_int_equal(pn_strmap_count(m), 1);
    assert_int_equal(pn_strmap_del(m, "a"), -1); /* already gone */
    assert_int_equal(pn_strmap_del(m, "zz"), -1);
    assert_int_equal(pn_strmap_count(m), 1);
    /* a deleted key can come back with a new value */
    assert_int_equal(pn_strmap_put(m, "a", 10, NULL), 0);
    assert_true(has(m, "a", 10));
    assert_int_equal(pn_strmap_count(m), 2);
    assert_int_equal(pn_strmap_del(m, "b"), 0);
    assert_int_equal(pn_strmap_del(m, "a"), 0);
    assert_int_equal(pn_strmap_count(m), 0);
    assert_true(absent(m, "a"));
    assert_true(absent(m, "b"));
    teardown(state);
}

static void free_accepts_null(void **state)
{
    pn_strmap_free(NULL);
}

/* ---- growth ---- */

static void grows_past_many_entries(void **state)
{
    enum { N = 20000 };
    char(*keys)[24] = keys_new(N, "key-");
    pn_strmap *m = map_new();
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(pn_strmap_put(m, keys[i], i * 3, NULL), 0);
        assert_int_equal(pn_strmap_count(m), i + 1);
    }
    size_t missing = 0;
    for (size_t i = 0; i < N; i++) {
        size_t v;
        missing += pn_strmap_get(m, keys[i], &v) != 0 || v != i * 3;
    }
    assert_int_equal(missing, 0);
    assert_true(absent(m, "key-20000"));
    assert_true(absent(m, "key-"));
    /* every key is still a duplicate after the growth */
    for (size_t i = 0; i < N; i += 997) {
        size_t existing = 0;
        assert_int_equal(pn_strmap_put(m, keys[i], 0, &existing), 1);
        assert_int_equal(existing, i * 3);
    }
    assert_int_equal(pn_strmap_count(m), N);
    teardown(state);
}

/* ---- deletion inside probe clusters ---- */

/* The map's hash (FNV-1a, sim/strmap.c), used only to choose keys that collide: the checks
 * below hold for any hash, but with this one they exercise long, wrapping clusters. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

enum { CLUSTER_KEYS = 28 };

/* Keys whose home slots in the first table (64 slots) are 62, 63, 0 and 5: 62 and 63 make
 * one cluster that wraps around the end into slots 0, 1, ...; the keys homed at 0 land
 * behind them; those homed at 5 are overrun by the wrapping cluster too. Fewer than 32 keys,
 * so the table does not grow. */
static char (*colliding_keys(void))[24]
{
    static const struct {
        unsigned home, count;
    } plan[] = {{62, 10}, {63, 6}, {0, 6}, {5, 6}};
    open_keys = calloc(CLUSTER_KEYS, sizeof *open_keys);
    assert_non_null(open_keys);
    size_t k = 0;
    for (size_t p = 0; p < 4; p++) {
        unsigned found = 0;
        for (unsigned i = 0; found < plan[p].count; i++) {
            char key[24];
            snprintf(key, sizeof key, "c%u", i);
            if ((fnv1a(key) & 63) != plan[p].home)
                continue;
            bool dup = false;
            for (size_t j = 0; j < k; j++)
                dup = dup || strcmp(open_keys[j], key) == 0;
            if (dup)
                continue;
            memcpy(open_keys[k++], key, sizeof key);
            found++;
        }
    }
    assert_int_equal(k, CLUSTER_KEYS);
    return open_keys;
}

/* Inserts keys in an order interleaving the homes, so clusters mix. */
static pn_strmap *filled(char (*keys)[24])
{
    pn_strmap_free(open_map);
    pn_strmap *m = map_new();
    static const size_t order[CLUSTER_KEYS] = {0,  10, 16, 22, 1,  11, 17, 23, 2,  12,
                                               18, 24, 3,  13, 19, 25, 4,  14, 20, 26,
                                               5,  15, 21, 27, 6,  7,  8,  9};
    for (size_t i = 0; i < CLUSTER_KEYS; i++)
        assert_int_equal(pn_strmap_put(m, keys[order[i]], order[i], NULL), 0);
    return m;
}

/* Every key not deleted is found with its value; every deleted key is absent. */
static void all_findable(const pn_strmap *m, char (*keys)[24], const bool *deleted)
{
    size_t wrong = 0, live = 0;
    for (size_t i = 0; i < CLUSTER_KEYS; i++) {
        if (deleted[i]) {
            wrong += !absent(m, keys[i]);
        } else {
            wrong += !has(m, keys[i], i);
            live++;
        }
    }
    assert_int_equal(wrong, 0);
    assert_int_equal(pn_strmap_count(m), live);
}

static void deleting_in_the_middle_of_a_cluster_keeps_the_rest_findable(void **state)
{
    char(*keys)[24] = colliding_keys();
    /* one at a time from the middle of each group, then others */
    static const size_t victims[] = {4, 13, 19, 25, 0, 15, 22, 9, 11, 27, 2, 17};
    pn_strmap *m = filled(keys);
    bool deleted[CLUSTER_KEYS] = {false};
    all_findable(m, keys, deleted);
    for (size_t v = 0; v < sizeof victims / sizeof victims[0]; v++) {
        assert_int_equal(pn_strmap_del(m, keys[victims[v]]), 0);
        deleted[victims[v]] = true;
        all_findable(m, keys, deleted);
        assert_int_equal(pn_strmap_del(m, keys[victims[v]]), -1);
    }
    /* the deleted keys can be put back, and everything is still findable */
    for (size_t v = 0; v < sizeof victims / sizeof victims[0]; v++) {
        assert_int_equal(pn_strmap_put(m, keys[victims[v]], victims[v], NULL), 0);
        deleted[victims[v]] = false;
        all_findable(m, keys, deleted);
    }
    teardown(state);
}

static void deleting_in_every_order_keeps_the_rest_findable(void **state)
{
    /* 40 pseudo-random deletion orders of the whole colliding set */
    char(*keys)[24] = colliding_keys();
    uint64_t x = 2463534242u;
    for (int round = 0; round < 40; round++) {
        size_t order[CLUSTER_KEYS];
        for (size_t i = 0; i < CLUSTER_KEYS; i++)
            order[i] = i;
        for (size_t i = CLUSTER_KEYS - 1; i > 0; i--) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t j = (size_t)(x % (i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        pn_strmap *m = filled(keys);
        bool deleted[CLUSTER_KEYS] = {false};
        for (size_t i = 0; i < CLUSTER_KEYS; i++) {
            assert_int_equal(pn_strmap_del(m, keys[order[i]]), 0);
            deleted[order[i]] = true;
            all_findable(m, keys, deleted);
        }
    }
    teardown(state);
}

static void many_deletions_after_growth(void **state)
{
    enum { N = 5000 };
    char(*keys)[24] = keys_new(N, "");
    pn_strmap *m = map_new();
    for (size_t i = 0; i < N; i++)
        pn_strmap_put(m, keys[i], i, NULL);
    for (size_t i = 0; i < N; i += 3)
        assert_int_equal(pn_strmap_del(m, keys[i]), 0);
    size_t wrong = 0;
    for (size_t i = 0; i < N; i++) {
        size_t v;
        int rc = pn_strmap_get(m, keys[i], &v);
        wrong += i % 3 == 0 ? rc != -1 : (rc != 0 || v != i);
    }
    assert_int_equal(wrong, 0);
    assert_int_equal(pn_strmap_count(m), N - (N + 2) / 3);
    teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(put_then_get),
        TEST(put_keeps_the_first_value),
        TEST(set_replaces_or_inserts),
        TEST(del_removes_one_key),
        TEST(free_accepts_null),
        TEST(grows_past_many_entries),
        TEST(deleting_in_the_middle_of_a_cluster_keeps_the_rest_findable),
        TEST(deleting_in_every_order_keeps_the_rest_findable),
        TEST(many_deletions_after_growth),
    };
    return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
