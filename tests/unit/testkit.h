/* testkit — shared helpers for the cmocka unit tests: build a world from an inline YAML string,
 * capture the diagnostics it printed, and ask reachability questions that every engine must
 * answer alike. Included by tests/unit/test_*.c only; everything is static inline so each test
 * program takes what it uses. */
#ifndef PN_TESTKIT_H
#define PN_TESTKIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/base/diag.h"
#include "sim/input/load.h"
#include "sim/query/reach.h"
#include "sim/world/world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything one test world needs; tk_free releases all of it. */
typedef struct {
    pn_world *w;
    pn_diags *diags;
    pn_documents docs;
    char *msgs;  /* every diagnostic printed while reading (never NULL after tk_load) */
    int load_rc; /* pn_load_buffer's answer */
    int rc;      /* pn_world_load's answer (-1 when reading already failed) */
} tk_world;

/* Worlds still open, so that a test that fails half-way (cmocka jumps out of it) does not
 * show up as a leak: tk_teardown frees what tk_free did not. */
#define TK_MAX_OPEN 8
static tk_world tk_open[TK_MAX_OPEN];

static inline void tk_release(tk_world *t)
{
    pn_world_free(t->w);
    pn_diags_free(t->diags);
    pn_documents_free(&t->docs);
    free(t->msgs);
    memset(t, 0, sizeof *t);
}

static inline void tk_track(const tk_world *t)
{
    for (int i = 0; i < TK_MAX_OPEN; i++)
        if (!tk_open[i].w) {
            tk_open[i] = *t;
            return;
        }
}

static inline void tk_untrack(const tk_world *t)
{
    for (int i = 0; i < TK_MAX_OPEN; i++)
        if (tk_open[i].w == t->w)
            memset(&tk_open[i], 0, sizeof tk_open[i]);
}

/* Per-test teardown (TK_TEST): frees the worlds a failed test left open. */
static inline int tk_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < TK_MAX_OPEN; i++)
        if (tk_open[i].w)
            tk_release(&tk_open[i]);
    return 0;
}

#define TK_TEST(f) cmocka_unit_test_teardown(f, tk_teardown)

/* Prints d's diagnostics into a new string the caller frees. */
static inline char *tk_flush(pn_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    pn_diags_flush(d, f);
    fclose(f);
    return buf;
}

/* Runs pn_world_load on docs, then both table engines on 80/TCP, in a child process, and
 * returns NULL when all of it ran to its end, else the name of the call that did not. The
 * sanitizers end a process at the first problem; trying the input in a child first turns such
 * a crash into the failure of the one test that met it, instead of the end of every test of
 * the program. */
static inline const char *tk_crash_in(const pn_documents *docs, const pn_world_options *opt)
{
    static const char *const calls[] = {"pn_world_load", "pn_reach_compute (bitset)",
                                        "pn_reach_compute (naive)"};
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        pn_world *w = pn_world_new();
        pn_diags *d = pn_diags_new();
        char step = 0;
        (void)!write(fds[1], &step, 1);
        if (pn_world_load(w, docs, opt, d) == 0) {
            pn_port p80 = {80, PN_PROTO_TCP};
            step = 1;
            (void)!write(fds[1], &step, 1);
            pn_reach_free(pn_reach_compute(w, &p80, 1, PN_ENGINE_BITSET));
            step = 2;
            (void)!write(fds[1], &step, 1);
            pn_reach_free(pn_reach_compute(w, &p80, 1, PN_ENGINE_NAIVE));
        }
        _exit(0); /* no exit handlers: the child's leak check would only repeat the parent's */
    }
    close(fds[1]);
    char step = 0, last = 0;
    while (read(fds[0], &step, 1) == 1)
        last = step;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return NULL;
    return calls[(int)last];
}

/* Reads yaml (as file "in.yaml") into t->w with options opt (may be NULL). Returns t->rc. */
static inline int tk_load_opt(tk_world *t, const char *yaml, const pn_world_options *opt)
{
    memset(t, 0, sizeof *t);
    t->w = pn_world_new();
    t->diags = pn_diags_new();
    t->load_rc =
        pn_load_buffer(pn_world_arena(t->w), t->diags, "in.yaml", yaml, strlen(yaml), &t->docs);
    const char *crashed = t->load_rc == 0 ? tk_crash_in(&t->docs, opt) : NULL;
    if (crashed) {
        t->rc = -1;
        t->msgs = tk_flush(t->diags);
        tk_track(t);
        print_error("%s crashed on this input (see the report above):\n%s\n", crashed, yaml);
        fail();
    }
    t->rc = t->load_rc == 0 ? pn_world_load(t->w, &t->docs, opt, t->diags) : -1;
    t->msgs = tk_flush(t->diags);
    tk_track(t);
    return t->rc;
}

static inline int tk_load(tk_world *t, const char *yaml)
{
    return tk_load_opt(t, yaml, NULL);
}

/* Like tk_load, but the world must load without a single diagnostic. */
static inline void tk_world_ok(tk_world *t, const char *yaml)
{
    int rc = tk_load(t, yaml);
    if (rc != 0 || t->msgs[0] != '\0')
        print_error("unexpected diagnostics:\n%s\n", t->msgs);
    assert_int_equal(rc, 0);
    assert_string_equal(t->msgs, "");
}

static inline void tk_free(tk_world *t)
{
    tk_untrack(t);
    tk_release(t);
}

/* The diagnostics of the last tk_apply (truncated to fit). */
static char tk_apply_msgs[4096];

/* Reads yaml (as file "apply.yaml") into t's world arena and applies it to t->w as `kubectl
 * apply` does. Returns pn_world_apply's answer (-1 when the text does not even parse); the
 * diagnostics are left in tk_apply_msgs. */
static inline int tk_apply(tk_world *t, const char *yaml)
{
    pn_diags *d = pn_diags_new();
    pn_documents docs = {0};
    int rc = pn_load_buffer(pn_world_arena(t->w), d, "apply.yaml", yaml, strlen(yaml), &docs);
    if (rc == 0)
        rc = pn_world_apply(t->w, &docs, NULL, d);
    pn_documents_free(&docs);
    char *msgs = tk_flush(d);
    pn_diags_free(d);
    snprintf(tk_apply_msgs, sizeof tk_apply_msgs, "%s", msgs);
    free(msgs);
    return rc;
}

/* Like tk_apply, but the change must go through without a single diagnostic. */
static inline void tk_apply_ok(tk_world *t, const char *yaml)
{
    int rc = tk_apply(t, yaml);
    if (rc != 0 || tk_apply_msgs[0] != '\0')
        print_error("unexpected diagnostics from apply:\n%s\n", tk_apply_msgs);
    assert_int_equal(rc, 0);
    assert_string_equal(tk_apply_msgs, "");
}

/* A reported bug that is not fixed yet (see the test's comment). When the right behaviour,
 * ok, is missing, the test is skipped with a KNOWN BUG line: the suite stays green and the
 * bug stays visible in every run. Once the bug is fixed the test passes and guards the fix;
 * then replace the macro with an assert. */
/* A regression test for a bug that was found by a test and fixed: it must stay fixed. */
#define TK_FIXED_BUG(ok, what)                                                                     \
    do {                                                                                           \
        if (!(ok))                                                                                 \
            fail_msg("regression: %s", what);                                                      \
    } while (0)

/* True when haystack contains needle; prints both otherwise, to explain a failed assert. */
static inline bool tk_contains(const char *haystack, const char *needle)
{
    if (haystack && strstr(haystack, needle))
        return true;
    print_error("expected to find \"%s\" in:\n%s\n", needle, haystack ? haystack : "(null)");
    return false;
}

/* The world index of pod "ns/name"; the pod must exist. */
static inline size_t tk_pod(const tk_world *t, const char *ref)
{
    char ns[128];
    const char *slash = strchr(ref, '/');
    assert_non_null(slash);
    snprintf(ns, sizeof ns, "%.*s", (int)(slash - ref), ref);
    long i = pn_world_find_pod(t->w, ns, slash + 1);
    if (i < 0)
        print_error("no pod %s\n", ref);
    assert_true(i >= 0);
    return (size_t)i;
}

/* The world index of policy "ns/name"; the policy must exist. */
static inline long tk_policy(const tk_world *t, const char *ref)
{
    size_t n;
    const pn_netpol *nps = pn_world_policies(t->w, &n);
    for (size_t i = 0; i < n; i++) {
        char buf[300];
        snprintf(buf, sizeof buf, "%s/%s", nps[i].ns_name, nps[i].name);
        if (strcmp(buf, ref) == 0)
            return (long)i;
    }
    print_error("no policy %s\n", ref);
    fail();
    return -1;
}

/* An IPv4 block or address written in a test (the test fails when it does not parse). */
static inline pn_cidr tk_cidr(const char *s)
{
    pn_cidr c;
    const char *why;
    assert_int_equal(pn_cidr_parse(s, &c, &why), 0);
    return c;
}

static inline pn_ipv4 tk_ip(const char *s)
{
    pn_ipv4 ip = 0;
    assert_int_equal(pn_ipv4_parse(s, &ip), 0);
    return ip;
}

static inline pn_port tk_port(const char *s)
{
    pn_port p;
    assert_int_equal(pn_port_parse(s, &p), 0);
    return p;
}

/* The explained verdict for from → to on port ("80", "53/UDP"). */
static inline pn_verdict tk_verdict(const tk_world *t, const char *from, const char *to,
                                    const char *port)
{
    return pn_reach_evaluate(t->w, tk_pod(t, from), tk_pod(t, to), tk_port(port));
}

/* May from connect to to on port? Asks pn_reach_evaluate and both table engines, and fails
 * the test unless all three agree. */
static inline bool tk_allowed(const tk_world *t, const char *from, const char *to, const char *port)
{
    size_t s = tk_pod(t, from), d = tk_pod(t, to);
    pn_port p = tk_port(port);
    bool single = pn_reach_evaluate(t->w, s, d, p).allowed;
    pn_reach *bits = pn_reach_compute(t->w, &p, 1, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t->w, &p, 1, PN_ENGINE_NAIVE);
    bool b = pn_reach_allowed(bits, 0, s, d), n = pn_reach_allowed(naive, 0, s, d);
    bool equal = pn_reach_equal(bits, naive);
    pn_reach_free(bits);
    pn_reach_free(naive);
    if (single != b || single != n || !equal)
        print_error("%s -> %s %s: evaluate=%d bitset=%d naive=%d tables-equal=%d\n", from, to, port,
                    single, b, n, equal);
    assert_true(single == b && single == n);
    assert_true(equal);
    return single;
}

#endif
