/* test_scenario — scenarios (sim/scenario) read from files in a temporary folder and replayed:
 * every kind of timeline step with an expectation checking its effect, the time of each check,
 * byte-for-byte determinism, the seed, and input errors — those found before anything runs and
 * those found while running — each reported at the file:line:column of the offending node. */
#include "tests/unit/testkit.h"

#include "sim/run/scenario.h"

#include <sys/stat.h>

/* A temporary folder with scenario files, and what loading and running one gave. */
typedef struct {
    char dir[64];
    char *paths[8]; /* files written into dir, removed with it */
    size_t path_count;
    pn_scenario *s;
    pn_expect_results res;
    char *msgs; /* every diagnostic printed by loading and running (never NULL) */
    char *out;  /* what the last run printed (never NULL after a run) */
    int rc;     /* pn_scenario_run's answer */
} fixture;

/* Fixtures still open, so that a test that fails half-way leaves no files or leaks. */
static fixture *open_fixtures[4];

static fixture *fixture_new(void)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->msgs = calloc(1, 1);
    assert_non_null(f->msgs);
    snprintf(f->dir, sizeof f->dir, "/tmp/podnet-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    for (int i = 0; i < 4; i++)
        if (!open_fixtures[i]) {
            open_fixtures[i] = f;
            break;
        }
    return f;
}

static void fixture_release(fixture *f)
{
    pn_scenario_free(f->s);
    pn_expect_results_free(&f->res);
    for (size_t i = 0; i < f->path_count; i++) {
        unlink(f->paths[i]);
        free(f->paths[i]);
    }
    rmdir(f->dir);
    free(f->msgs);
    free(f->out);
    free(f);
}

static void fixture_free(fixture *f)
{
    for (int i = 0; i < 4; i++)
        if (open_fixtures[i] == f)
            open_fixtures[i] = NULL;
    fixture_release(f);
}

static int teardown(void **state)
{
    for (int i = 0; i < 4; i++)
        if (open_fixtures[i]) {
            fixture_release(open_fixtures[i]);
            open_fixtures[i] = NULL;
        }
    return tk_teardown(state);
}

#define TEST(f) cmocka_unit_test_teardown(f, teardown)

/* Writes text to dir/name. */
static void put_file(fixture *f, const char *name, const char *text)
{
    assert_true(f->path_count < 8);
    size_t size = strlen(f->dir) + strlen(name) + 2;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", f->dir, name);
    f->paths[f->path_count++] = path;
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
}

/* Moves what d holds to the end of f->msgs. */
static void keep_msgs(fixture *f, pn_diags *d)
{
    char *more = tk_flush(d);
    size_t have = strlen(f->msgs), add = strlen(more);
    f->msgs = realloc(f->msgs, have + add + 1);
    assert_non_null(f->msgs);
    memcpy(f->msgs + have, more, add + 1);
    free(more);
}

/* Reads dir/scenario.yaml. Returns the scenario, or NULL (the messages are in f->msgs). */
static pn_scenario *load(fixture *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/scenario.yaml", f->dir);
    pn_diags *d = pn_diags_new();
    f->s = pn_scenario_load(path, d);
    keep_msgs(f, d);
    pn_diags_free(d);
    return f->s;
}

/* Writes text as scenario.yaml and reads it; it must read without a diagnostic. */
static pn_scenario *load_ok(fixture *f, const char *text)
{
    put_file(f, "scenario.yaml", text);
    if (!load(f) || f->msgs[0])
        print_error("unexpected diagnostics:\n%s\n", f->msgs);
    assert_non_null(f->s);
    assert_string_equal(f->msgs, "");
    return f->s;
}

/* Runs the loaded scenario, keeping its output in f->out. Returns pn_scenario_run's answer. */
static int run_with(fixture *f, bool verbose, pn_reach_engine engine)
{
    free(f->out);
    f->out = NULL;
    pn_expect_results_free(&f->res);
    memset(&f->res, 0, sizeof f->res);
    size_t len = 0;
    FILE *out = open_memstream(&f->out, &len);
    assert_non_null(out);
    pn_run_options opt = {.out = out, .verbose = verbose, .engine = engine};
    pn_diags *d = pn_diags_new();
    f->rc = pn_scenario_run(f->s, &opt, &f->res, d);
    fclose(out);
    keep_msgs(f, d);
    pn_diags_free(d);
    return f->rc;
}

static int run(fixture *f, bool verbose)
{
    return run_with(f, verbose, PN_ENGINE_BITSET);
}

/* ---- a scenario with every kind of step ---- */

static const char world_yaml[] =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n"
    "  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n"
    "    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: shop, labels: {app: batch}}\n"
    "spec: {containers: [{name: c}]}\n";

static const char changes_yaml[] =
    "apiVersion: podnet.dev/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: changes}\n"
    "spec:\n"
    "  description: Every kind of change, each checked.\n"
    "  seed: 7\n"
    "  world:\n"
    "    files: [world.yaml]\n"
    "    objects:\n"
    "    - {apiVersion: v1, kind: Namespace, metadata: {name: other}}\n"
    "    - apiVersion: v1\n"
    "      kind: Pod\n"
    "      metadata: {name: client, namespace: other, labels: {app: client}}\n"
    "      spec: {containers: [{name: c}]}\n"
    "    - apiVersion: networking.k8s.io/v1\n"
    "      kind: NetworkPolicy\n"
    "      metadata: {name: deny-all, namespace: other}\n"
    "      spec: {podSelector: {}, policyTypes: [Ingress]}\n"
    "  timeline:\n"
    "  - at: 0s\n"
    "    expect:\n"
    "    - {name: open at first, from: other/client, to: shop/db, port: 5432, allowed: true}\n"
    "  - at: 1s\n"
    "    note: only web and namespaces with access=db may reach db\n"
    "    apply:\n"
    "      objects:\n"
    "      - apiVersion: networking.k8s.io/v1\n"
    "        kind: NetworkPolicy\n"
    "        metadata: {name: db, namespace: shop}\n"
    "        spec:\n"
    "          podSelector: {matchLabels: {app: db}}\n"
    "          ingress:\n"
    "          - from:\n"
    "            - podSelector: {matchLabels: {app: web}}\n"
    "            - namespaceSelector: {matchLabels: {access: db}}\n"
    "  - at: 1s\n"
    "    expect:\n"
    "    - {name: web reaches db, from: \"shop/web-*\", to: shop/db, port: 5432, allowed: true}\n"
    "    - {name: client is shut out, from: other/client, to: shop/db, port: 5432, allowed: "
    "false}\n"
    "    - {name: debug is shut out, from: shop/debug, to: shop/db, port: 5432, allowed: false}\n"
    "  - at: 2s\n"
    "    scale: {kind: Deployment, namespace: shop, name: web, replicas: 3}\n"
    "  - at: 2s\n"
    "    expect:\n"
    "    - {name: new replica, from: shop/web-2, to: shop/db, port: 5432, allowed: true}\n"
    "  - at: 2500ms\n"
    "    label: {pod: shop/debug, set: {app: web}}\n"
    "  - at: 2500ms\n"
    "    expect:\n"
    "    - {name: debug passes as web, from: shop/debug, to: shop/db, port: 5432, allowed: true}\n"
    "  - at: 3s\n"
    "    label: {namespace: other, set: {access: db}}\n"
    "  - at: 3s\n"
    "    expect:\n"
    "    - {name: other is let in, from: other/client, to: shop/db, port: 5432, allowed: true}\n"
    "    - {name: batch still is not, from: shop/batch, to: shop/db, port: 5432, allowed: false}\n"
    "  - at: 4s\n"
    "    delete: {kind: NetworkPolicy, namespace: shop, name: db}\n"
    "  - at: 4s\n"
    "    expect:\n"
    "    - {name: batch gets in, from: shop/batch, to: shop/db, port: 5432, allowed: true}\n"
    "    - {name: deny-all still holds, from: shop/db, to: other/client, port: 5432, allowed: "
    "false}\n"
    "  - at: 1m\n"
    "    delete: {kind: Namespace, name: other}\n"
    "  - at: 1m\n"
    "    expect:\n"
    "    - {name: every pod left reaches db, from: \"*/*\", to: shop/db, port: 5432, allowed: "
    "true}\n"
    "  expect:\n"
    "  - {name: settled, from: \"*/*\", to: \"*/*\", port: 5432, allowed: true}\n";

/* One expected result of changes_yaml, in order. */
static const struct {
    const char *name;
    int64_t at;
    size_t pairs;
} changes_results[] = {
    {"open at first", 0, 1},
    {"web reaches db", PN_SECOND, 2},
    {"client is shut out", PN_SECOND, 1},
    {"debug is shut out", PN_SECOND, 1},
    {"new replica", 2 * PN_SECOND, 1},
    {"debug passes as web", 2500 * PN_MILLISECOND, 1},
    {"other is let in", 3 * PN_SECOND, 1},
    {"batch still is not", 3 * PN_SECOND, 1},
    {"batch gets in", 4 * PN_SECOND, 1},
    {"deny-all still holds", 4 * PN_SECOND, 1},
    {"every pod left reaches db", 60 * PN_SECOND, 6}, /* web-0..2, db, debug, batch */
    {"settled", -1, 36},                              /* other/client went with other */
};
#define CHANGES_RESULTS (sizeof changes_results / sizeof changes_results[0])

static fixture *changes_fixture(void)
{
    fixture *f = fixture_new();
    put_file(f, "world.yaml", world_yaml);
    load_ok(f, changes_yaml);
    return f;
}

static void every_step_takes_effect_when_due(void **state)
{
    fixture *f = changes_fixture();
    assert_string_equal(pn_scenario_name(f->s), "changes");
    assert_true(tk_contains(pn_scenario_file(f->s), "/scenario.yaml"));
    if (run(f, false) != 0)
        print_error("%s%s", f->msgs, f->out);
    assert_int_equal(f->rc, 0);
    assert_string_equal(f->msgs, "");
    assert_int_equal(f->res.count, CHANGES_RESULTS);
    size_t failed_checks = 0;
    for (size_t i = 0; i < CHANGES_RESULTS; i++) {
        const pn_expect_result *r = &f->res.items[i];
        bool ok = strcmp(r->name, changes_results[i].name) == 0 && r->passed &&
                  r->at == changes_results[i].at && r->pairs == changes_results[i].pairs &&
                  r->wrong == 0;
        if (!ok) {
            print_error("result %zu: %s passed=%d at=%lld pairs=%zu wrong=%zu; want %s at=%lld "
                        "pairs=%zu\n",
                        i, r->name, r->passed, (long long)r->at, r->pairs, r->wrong,
                        changes_results[i].name, (long long)changes_results[i].at,
                        changes_results[i].pairs);
            failed_checks++;
        }
        assert_int_equal(r->port.number, 5432);
        assert_int_equal(r->port.proto, PN_PROTO_TCP);
    }
    if (failed_checks)
        print_error("output:\n%s\n", f->out);
    assert_int_equal(failed_checks, 0);
    size_t passed, failed;
    pn_expect_tally_results(&f->res, &passed, &failed);
    assert_int_equal(passed, CHANGES_RESULTS);
    assert_int_equal(failed, 0);
    assert_string_equal(f->out, ""); /* quiet: nothing failed, nothing to say */
    fixture_free(f);
}

static void expectation_positions_are_in_the_scenario_file(void **state)
{
    fixture *f = changes_fixture();
    assert_int_equal(run(f, false), 0);
    const pn_expect_result *first = &f->res.items[0], *settled = &f->res.items[11];
    assert_true(tk_contains(first->file, "/scenario.yaml"));
    assert_int_equal(first->line, 22);
    assert_int_equal(first->column, 7);
    assert_int_equal(settled->line, 69);
    assert_int_equal(settled->column, 5);
    fixture_free(f);
}

static void verbose_run_narrates_each_change(void **state)
{
    fixture *f = changes_fixture();
    assert_int_equal(run(f, true), 0);
    const char *out = f->out;
    assert_true(tk_contains(out, "scenario changes ("));
    assert_true(tk_contains(out, "), seed 7\n"));
    assert_true(tk_contains(out, "  Every kind of change, each checked.\n"));
    assert_true(tk_contains(out, "t=0s     world: 6 pods, 1 policies; 1 pods isolated for "
                                 "ingress, 0 for egress\n"));
    assert_true(tk_contains(
        out, "t=1s     apply 1 object: policies 1 -> 2, pods isolated for ingress 1 -> 2\n"));
    assert_true(
        tk_contains(out, "         (only web and namespaces with access=db may reach db)\n"));
    assert_true(tk_contains(out, "t=2s     scale Deployment shop/web to 3: pods 6 -> 7\n"));
    assert_true(tk_contains(out, "t=2.5s   label Pod shop/debug app=web\n"));
    assert_true(tk_contains(out, "t=3s     label Namespace other access=db\n"));
    assert_true(tk_contains(out, "t=4s     delete NetworkPolicy shop/db: policies 2 -> 1, pods "
                                 "isolated for ingress 2 -> 1\n"));
    assert_true(tk_contains(out, "t=1m     delete Namespace other: pods 7 -> 6"));
    assert_true(tk_contains(out, "policies 1 -> 0, pods isolated for ingress 1 -> 0\n"));
    assert_true(tk_contains(out, "settled\n"));
    assert_true(tk_contains(out, "PASS settled"));
    /* narration in time order */
    const char *a = strstr(out, "t=2s "), *b = strstr(out, "t=2.5s "), *c = strstr(out, "t=1m ");
    assert_true(a && b && c && a < b && b < c);
    fixture_free(f);
}

/* The output and results of a run, kept to compare with another. */
typedef struct {
    char *out;
    size_t count;
    int64_t at[CHANGES_RESULTS];
    bool passed[CHANGES_RESULTS];
} run_record;

static run_record *open_record;

static run_record *record_run(const fixture *f)
{
    run_record *r = open_record = calloc(1, sizeof *r);
    assert_non_null(r);
    r->out = strdup(f->out);
    assert_non_null(r->out);
    r->count = f->res.count;
    assert_int_equal(r->count, CHANGES_RESULTS);
    for (size_t i = 0; i < r->count; i++) {
        r->at[i] = f->res.items[i].at;
        r->passed[i] = f->res.items[i].passed;
    }
    return r;
}

static int record_teardown(void **state)
{
    if (open_record)
        free(open_record->out);
    free(open_record);
    open_record = NULL;
    return teardown(state);
}

static void same_scenario_twice_prints_the_same_bytes(void **state)
{
    fixture *f = changes_fixture();
    assert_int_equal(run(f, true), 0);
    run_record *first = record_run(f);
    assert_true(strlen(first->out) > 500);
    /* the same file read again and run */
    pn_scenario_free(f->s);
    assert_non_null(load(f));
    assert_int_equal(run(f, true), 0);
    assert_string_equal(f->out, first->out);
    /* and the same scenario object run once more */
    assert_int_equal(run(f, true), 0);
    assert_string_equal(f->out, first->out);
    assert_int_equal(f->res.count, first->count);
    for (size_t i = 0; i < f->res.count; i++) {
        assert_int_equal(f->res.items[i].at, first->at[i]);
        assert_int_equal(f->res.items[i].passed, first->passed[i]);
    }
    free(first->out);
    free(first);
    open_record = NULL;
    fixture_free(f);
}

static void both_engines_give_the_same_results(void **state)
{
    fixture *f = changes_fixture();
    fixture *g = changes_fixture();
    assert_int_equal(run_with(f, false, PN_ENGINE_BITSET), 0);
    assert_int_equal(run_with(g, false, PN_ENGINE_NAIVE), 0);
    assert_int_equal(f->res.count, CHANGES_RESULTS);
    assert_int_equal(g->res.count, CHANGES_RESULTS);
    for (size_t i = 0; i < CHANGES_RESULTS; i++) {
        assert_int_equal(f->res.items[i].passed, g->res.items[i].passed);
        assert_int_equal(f->res.items[i].pairs, g->res.items[i].pairs);
    }
    fixture_free(f);
    fixture_free(g);
}

static void a_failing_expectation_is_reported_with_its_time(void **state)
{
    fixture *f = fixture_new();
    put_file(f, "world.yaml", world_yaml);
    load_ok(f, "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: fails}\n"
               "spec:\n  world: {files: [world.yaml]}\n  timeline:\n"
               "  - at: 1s\n    delete: {kind: Pod, namespace: shop, name: batch}\n"
               "  - at: 90s\n    expect:\n"
               "    - {name: wrong on purpose, from: \"shop/*\", to: shop/db, port: 5432, "
               "allowed: false}\n");
    assert_int_equal(run(f, false), 0); /* failures are results, not errors */
    assert_int_equal(f->res.count, 1);
    const pn_expect_result *r = &f->res.items[0];
    assert_false(r->passed);
    assert_int_equal(r->at, 90 * PN_SECOND);
    assert_int_equal(r->pairs, 4); /* web-0, web-1, db, debug: batch was deleted */
    assert_int_equal(r->wrong, 4); /* nothing is denied: db reaches itself too */
    assert_true(tk_contains(f->out, "FAIL wrong on purpose"));
    fixture_free(f);
}

static void reapplied_policy_changes_the_verdicts(void **state)
{
    /* The same policy applied three times with other rules: each check must see the rules
     * of that moment, although the reachability cache carries over between checks. */
    fixture *f = fixture_new();
    put_file(f, "world.yaml", world_yaml);
    put_file(
        f, "admit-web.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n"
        "  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n");
    put_file(
        f, "admit-batch.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n"
        "  ingress: [{from: [{podSelector: {matchLabels: {app: batch}}}]}]\n");
    load_ok(f, "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: flip}\n"
               "spec:\n  world: {files: [world.yaml, admit-web.yaml]}\n  timeline:\n"
               "  - {at: 0s, expect: [{from: shop/web-0, to: shop/db, port: 5432, allowed: true},"
               " {from: shop/batch, to: shop/db, port: 5432, allowed: false}]}\n"
               "  - {at: 1s, apply: {files: [admit-batch.yaml]}}\n"
               "  - {at: 1s, expect: [{from: shop/web-0, to: shop/db, port: 5432, allowed: false},"
               " {from: shop/batch, to: shop/db, port: 5432, allowed: true}]}\n"
               "  - {at: 2s, apply: {files: [admit-web.yaml]}}\n"
               "  - {at: 2s, expect: [{from: shop/web-0, to: shop/db, port: 5432, allowed: true},"
               " {from: shop/batch, to: shop/db, port: 5432, allowed: false}]}\n");
    assert_int_equal(run(f, false), 0);
    assert_int_equal(f->res.count, 6);
    size_t passed, failed;
    pn_expect_tally_results(&f->res, &passed, &failed);
    if (failed)
        print_error("%s\n", f->out);
    assert_int_equal(passed, 6);
    assert_int_equal(f->res.items[5].at, 2 * PN_SECOND);
    fixture_free(f);
}

static void seed_is_read_defaulted_and_overridden(void **state)
{
    fixture *f = changes_fixture();
    assert_int_equal(pn_scenario_seed(f->s), 7);
    pn_scenario_set_seed(f->s, 12345);
    assert_int_equal(pn_scenario_seed(f->s), 12345);
    assert_int_equal(run(f, true), 0);
    assert_true(tk_contains(f->out, "), seed 12345\n"));
    assert_null(strstr(f->out, "seed 7\n"));
    fixture_free(f);

    fixture *g = fixture_new();
    load_ok(g, "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: plain}\n"
               "spec: {}\n");
    assert_int_equal(pn_scenario_seed(g->s), 1); /* the default */
    assert_int_equal(run(g, true), 0);
    assert_true(tk_contains(g->out, "), seed 1\n"));
    assert_int_equal(g->res.count, 0);
    fixture_free(g);
}

/* ---- input errors found before anything runs ---- */

/* A world with a pod shop/p and a DaemonSet shop/agent; steps follow from line 10. */
#define BAD_HEAD                                                                                   \
    "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n"              \
    "  world:\n    objects:\n"                                                                     \
    "    - {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop}, spec: {containers: "  \
    "[{name: c}]}}\n"                                                                              \
    "    - {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent, namespace: shop}, "      \
    "spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: "           \
    "agent}}, spec: {containers: [{name: c}]}}}}\n"                                                \
    "  timeline:\n"

#define GOOD_EXPECT "{from: shop/p, to: shop/p, port: 80, allowed: true}"

typedef struct {
    const char *text;
    const char *want[2];
} bad_case;

static const bad_case load_errors[] = {
    {BAD_HEAD "  - at: 1s\n    bogus: 1\n    expect: [" GOOD_EXPECT "]\n",
     {"scenario.yaml:11:5: error: unknown field \"bogus\" in a timeline step"}},
    {"apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\n"
     "spec:\n  timelime: []\n",
     {"scenario.yaml:5:3: error: unknown field \"timelime\" in spec"}},
    {"apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad, nmae: x}\n"
     "spec: {}\n",
     {"scenario.yaml:3:23: error: unknown field \"nmae\" in metadata"}},
    {BAD_HEAD "  - at: 5s\n    expect: [" GOOD_EXPECT "]\n  - at: 2s\n    expect: [" GOOD_EXPECT
              "]\n",
     {"scenario.yaml:12:9: error: time goes backwards: 2s comes after 5s"}},
    {BAD_HEAD "  - at: 1s\n    scale: {kind: Deployment, namespace: shop, name: w, replicas: 1}\n"
              "    label: {pod: shop/p, set: {a: b}}\n",
     {"scenario.yaml:10:5: error: a timeline step needs exactly one of apply, delete, scale, "
      "label, expect"}},
    {BAD_HEAD "  - at: 1s\n    note: nothing to do\n",
     {"scenario.yaml:10:5: error: a timeline step needs exactly one of"}},
    {BAD_HEAD "  - at: 1.5\n    expect: [" GOOD_EXPECT "]\n",
     {"scenario.yaml:10:9: error: at must be a time such as 0s, 1.5s, 250ms or 2m"}},
    {BAD_HEAD "  - at: -1s\n    expect: [" GOOD_EXPECT "]\n",
     {"scenario.yaml:10:9: error: at must be a time"}},
    {BAD_HEAD "  - expect: [" GOOD_EXPECT "]\n", {"scenario.yaml:10:5: error: at must be a time"}},
    {"apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {labels: {a: b}}\nspec: {}\n",
     {"scenario.yaml:3:11: error: metadata.name is required"}},
    {"apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n"
     "  world:\n    files: [manifests.yaml, nope.yaml]\n",
     {"scenario.yaml:6:29: error: while reading \"nope.yaml\" (named here)", "nope.yaml"}},
    {BAD_HEAD "  - at: 1s\n    scale: {kind: Deployment, namespace: shop, name: w, replicas: -2}\n",
     {"scenario.yaml:11:67: error: replicas must be an integer in 0..1000000"}},
    {BAD_HEAD "  - at: 1s\n    label: {pod: shop/p, namespace: shop, set: {a: b}}\n",
     {"scenario.yaml:11:12: error: label needs exactly one of pod (namespace/name) or "
      "namespace"}},
    {"apiVersion: podnet.dev/v1\nkind: Scenario\nmetadata: {name: bad}\nspec: {}\n",
     {"scenario.yaml:1:13: error: a Scenario must be apiVersion podnet.dev/v1alpha1"}},
};

static void input_errors_are_found_before_anything_runs(void **state)
{
    size_t failures = 0;
    for (size_t i = 0; i < sizeof load_errors / sizeof load_errors[0]; i++) {
        fixture *f = fixture_new();
        if (i == 10) /* the folder that does exist, next to the one that does not */
            put_file(f, "manifests.yaml", "");
        put_file(f, "scenario.yaml", load_errors[i].text);
        bool ok = load(f) == NULL;
        for (int k = 0; k < 2 && load_errors[i].want[k]; k++)
            ok = ok && strstr(f->msgs, load_errors[i].want[k]) != NULL;
        if (!ok) {
            print_error("case %zu: want \"%s\" from\n%s\ngot %s:\n%s\n", i, load_errors[i].want[0],
                        load_errors[i].text, f->s ? "a scenario" : "NULL", f->msgs);
            failures++;
        }
        fixture_free(f);
    }
    assert_int_equal(failures, 0);
}

static void every_input_error_is_reported_at_once(void **state)
{
    fixture *f = fixture_new();
    put_file(f, "scenario.yaml",
             BAD_HEAD "  - at: 5s\n    bogus: 1\n    expect: [" GOOD_EXPECT
                      "]\n  - at: 2s\n    expect: [" GOOD_EXPECT "]\n"
                      "  - at: 3x\n    expect: [" GOOD_EXPECT "]\n");
    assert_null(load(f));
    assert_true(tk_contains(f->msgs, "scenario.yaml:11:5: error: unknown field \"bogus\""));
    assert_true(tk_contains(f->msgs, "scenario.yaml:13:9: error: time goes backwards"));
    assert_true(tk_contains(f->msgs, "scenario.yaml:15:9: error: at must be a time"));
    fixture_free(f);
}

/* ---- input errors found while running ---- */

static const bad_case run_errors[] = {
    {BAD_HEAD "  - at: 1s\n    expect:\n    - {from: shop/ghost, to: shop/p, port: 80, "
              "allowed: true}\n",
     {"scenario.yaml:12:14: error: \"shop/ghost\" matches no pod"}},
    {BAD_HEAD "  - at: 2s\n    delete: {kind: NetworkPolicy, namespace: shop, name: nope}\n",
     {"scenario.yaml:10:5: error: delete NetworkPolicy shop/nope: no such object"}},
    {BAD_HEAD "  - at: 2s\n    delete: {kind: Pod, namespace: shop, name: agent-0}\n",
     {"scenario.yaml:10:5: error: delete Pod shop/agent-0: this pod belongs to a workload"}},
    {BAD_HEAD "  - at: 2s\n    scale: {kind: DaemonSet, namespace: shop, name: agent, "
              "replicas: 2}\n",
     {"scenario.yaml:10:5: error: scale DaemonSet shop/agent to 2: a DaemonSet runs one pod per "
      "node; it cannot be scaled"}},
    {BAD_HEAD "  - at: 2s\n    label: {namespace: shop, set: {kubernetes.io/metadata.name: x}}\n",
     {"scenario.yaml:10:5: error: label Namespace shop kubernetes.io/metadata.name=x: "
      "kubernetes.io/metadata.name is set by the API server and cannot change"}},
    {BAD_HEAD "  - at: 2s\n    apply:\n      objects:\n      - {apiVersion: v1, kind: Pod, "
              "metadata: {name: Bad}, spec: {containers: [{name: c}]}}\n",
     {"\"Bad\" is not a valid name", "scenario.yaml:10:5: error: apply 1 object: the objects "
                                     "could not be applied"}},
    {"apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n"
     "  timeline: []\n  expect:\n  - {from: shop/p, to: shop/p, port: 80, allowed: true}\n",
     {"scenario.yaml:7:12: error: \"shop/p\" matches no pod"}},
};

static void errors_while_running_stop_the_run_at_their_step(void **state)
{
    size_t failures = 0;
    for (size_t i = 0; i < sizeof run_errors / sizeof run_errors[0]; i++) {
        fixture *f = fixture_new();
        put_file(f, "scenario.yaml", run_errors[i].text);
        bool ok = load(f) != NULL && f->msgs[0] == '\0' && run(f, false) == -1;
        for (int k = 0; k < 2 && run_errors[i].want[k]; k++)
            ok = ok && strstr(f->msgs, run_errors[i].want[k]) != NULL;
        if (!ok) {
            print_error("case %zu: want rc -1 and \"%s\" from\n%s\ngot %s, rc %d:\n%s\n", i,
                        run_errors[i].want[0], run_errors[i].text, f->s ? "a scenario" : "NULL",
                        f->rc, f->msgs);
            failures++;
        }
        fixture_free(f);
    }
    assert_int_equal(failures, 0);
}

static void steps_after_an_error_do_not_run(void **state)
{
    fixture *f = fixture_new();
    load_ok(f, BAD_HEAD "  - at: 1s\n    expect: [" GOOD_EXPECT "]\n"
                        "  - at: 2s\n    delete: {kind: Pod, namespace: shop, name: nope}\n"
                        "  - at: 3s\n    expect: [" GOOD_EXPECT "]\n"
                        "  expect: [" GOOD_EXPECT "]\n");
    assert_int_equal(run(f, true), -1);
    assert_true(tk_contains(f->msgs, "scenario.yaml:12:5: error: delete Pod shop/nope: no such "
                                     "object"));
    assert_int_equal(f->res.count, 1); /* the check at 1s, and no other */
    assert_int_equal(f->res.items[0].at, PN_SECOND);
    assert_null(strstr(f->out, "settled"));
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(every_step_takes_effect_when_due),
        TEST(expectation_positions_are_in_the_scenario_file),
        TEST(verbose_run_narrates_each_change),
        cmocka_unit_test_teardown(same_scenario_twice_prints_the_same_bytes, record_teardown),
        TEST(both_engines_give_the_same_results),
        TEST(a_failing_expectation_is_reported_with_its_time),
        TEST(reapplied_policy_changes_the_verdicts),
        TEST(seed_is_read_defaulted_and_overridden),
        TEST(input_errors_are_found_before_anything_runs),
        TEST(every_input_error_is_reported_at_once),
        TEST(errors_while_running_stop_the_run_at_their_step),
        TEST(steps_after_an_error_do_not_run),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
