/* test_expect — reachability expectations (sim/expect): single connections and e2e-style tables
 * (a default, then exceptions where later entries win), results and their counts, and input
 * errors with their positions. */
#include "tests/unit/testkit.h"

#include "sim/query/expect.h"

/* Namespaces x and z (not "y": YAML 1.1 reads a bare y as a boolean). Pods x/a, x/b, z/c;
 * z/c admits ingress only from x/a. So on 80/TCP every pair is allowed except x/b → z/c-> */
static const char cluster[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: z, labels: {app: c}}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-a, namespace: "
    "z}\n"
    "spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: "
    "{kubernetes.io/metadata.name: x}}\n      podSelector: {matchLabels: {app: a}}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: z}\n"
    "spec: {selector: {app: c}, ports: [{port: 80}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: alias, namespace: x}\n"
    "spec: {type: ExternalName, externalName: web.z.svc.cluster.local}\n";

#define HEAD                                                                                       \
    "apiVersion: podnet.dev/v1alpha1\nkind: Expectations\nmetadata: {name: e}\nexpectations:\n"

/* A world, expectations read from text (named "expect.yaml"), and the results of checking. */
typedef struct {
    tk_world t;
    pn_documents docs;
    pn_expectations *e;
    pn_expect_results res;
    int rc;     /* pn_expect_check */
    char *msgs; /* diagnostics of reading and checking the expectations */
    size_t passed, failed;
} checked;

/* Open checks, so a test that fails half-way leaks nothing (see teardown). */
static checked *open_checks[4];

static checked *new_checked(void)
{
    checked *c = calloc(1, sizeof *c);
    assert_non_null(c);
    for (int i = 0; i < 4; i++)
        if (!open_checks[i]) {
            open_checks[i] = c;
            break;
        }
    return c;
}

static void release(checked *c)
{
    pn_expect_results_free(&c->res);
    pn_expect_free(c->e);
    pn_documents_free(&c->docs);
    free(c->msgs);
    free(c);
}

static void done(checked *c)
{
    for (int i = 0; i < 4; i++)
        if (open_checks[i] == c)
            open_checks[i] = NULL;
    tk_free(&c->t);
    release(c);
}

static int teardown(void **state)
{
    for (int i = 0; i < 4; i++)
        if (open_checks[i]) {
            release(open_checks[i]); /* its world is freed by tk_teardown */
            open_checks[i] = NULL;
        }
    return tk_teardown(state);
}

static pn_expectations *read_expectations(checked *c, const char *text)
{
    pn_diags *d = pn_diags_new();
    int rc = pn_load_buffer(pn_world_arena(c->t.w), d, "expect.yaml", text, strlen(text), &c->docs);
    c->e = rc == 0 ? pn_expect_load(&c->docs, d) : NULL;
    c->msgs = tk_flush(d);
    pn_diags_free(d);
    return c->e;
}

/* Checks text against the cluster with engine. The expectations must read cleanly. */
static checked *check_with(const char *text, pn_reach_engine engine)
{
    checked *c = new_checked();
    tk_world_ok(&c->t, cluster);
    if (!read_expectations(c, text))
        print_error("%s", c->msgs);
    assert_non_null(c->e);
    pn_diags *d = pn_diags_new();
    c->rc = pn_expect_check(c->e, c->t.w, engine, NULL, -1, &c->res, d);
    char *more = tk_flush(d);
    pn_diags_free(d);
    size_t have = strlen(c->msgs), add = strlen(more);
    c->msgs = realloc(c->msgs, have + add + 1);
    assert_non_null(c->msgs);
    memcpy(c->msgs + have, more, add + 1);
    free(more);
    pn_expect_tally_results(&c->res, &c->passed, &c->failed);
    return c;
}

static checked *check(const char *text)
{
    return check_with(text, PN_ENGINE_BITSET);
}

/* Reads text that must be refused. */
static checked *refused(const char *text)
{
    checked *c = new_checked();
    tk_world_ok(&c->t, cluster);
    assert_null(read_expectations(c, text));
    return c;
}

static char *printed(const pn_expect_results *res, bool verbose)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pn_expect_print(f, res, 0, verbose);
    fclose(f);
    return buf;
}

static void single_expectations_pass_and_fail(void **state)
{
    checked *c =
        check(HEAD "- {name: a-to-c, from: x/a, to: z/c, port: 80, allowed: true}\n"
                   "- {name: b-to-c, from: x/b, to: z/c, port: 80, allowed: true}\n"
                   "- {name: b-to-c-denied, from: x/b, to: z/c, port: 80/TCP, allowed: false}\n");
    assert_int_equal(c->rc, 0);
    assert_int_equal(c->res.count, 3);
    assert_int_equal(c->passed, 2);
    assert_int_equal(c->failed, 1);
    assert_true(c->res.items[0].passed);
    assert_false(c->res.items[1].passed);
    assert_true(c->res.items[2].passed);
    const pn_expect_result *bad = &c->res.items[1];
    assert_string_equal(bad->name, "b-to-c");
    assert_int_equal(bad->pairs, 1);
    assert_int_equal(bad->wrong, 1);
    assert_int_equal(bad->shown_count, 1);
    assert_string_equal(bad->shown[0].from, "x/b");
    assert_string_equal(bad->shown[0].to, "z/c");
    assert_true(bad->shown[0].expected);
    assert_false(bad->shown[0].actual);
    assert_true(tk_contains(bad->shown[0].explanation, "only-a"));
    assert_string_equal(bad->file, "expect.yaml");
    assert_int_equal(bad->line, 6);
    assert_int_equal(bad->column, 3);
    done(c);
}

static void allowed_accepts_allowed_and_denied_words(void **state)
{
    checked *c = check(HEAD "- {from: x/b, to: z/c, port: 80, allowed: denied}\n"
                            "- {from: x/a, to: z/c, port: 80, allowed: allowed}\n");
    assert_int_equal(c->passed, 2);
    assert_int_equal(c->failed, 0);
    done(c);
}

static void protocol_field_sets_the_port_protocol(void **state)
{
    checked *c =
        check(HEAD "- {name: dns, from: x/b, to: z/c, port: 53, protocol: UDP, allowed: false}\n");
    assert_int_equal(c->res.items[0].port.number, 53);
    assert_int_equal(c->res.items[0].port.proto, PN_PROTO_UDP);
    assert_int_equal(c->passed, 1);
    done(c);
}

static void table_default_with_exceptions(void **state)
{
    checked *c =
        check(HEAD "- name: matrix\n  table:\n    ports: [80/TCP]\n    default: true\n    except:\n"
                   "    - {from: \"*/*\", to: z/c, allowed: false}\n"
                   "    - {from: x/a, to: z/c, allowed: true}\n"
                   "    - {from: z/c, to: z/c, allowed: true}\n");
    assert_int_equal(c->rc, 0);
    assert_int_equal(c->res.count, 1);
    assert_int_equal(c->res.items[0].pairs, 9); /* every ordered pair of 3 pods */
    assert_int_equal(c->res.items[0].wrong, 0);
    assert_true(c->res.items[0].passed);
    done(c);
}

static void table_later_exceptions_override_earlier(void **state)
{
    /* the first two entries swapped: the wildcard entry now also covers x/a → z/c */
    checked *c =
        check(HEAD "- name: matrix\n  table:\n    ports: [80/TCP]\n    default: true\n    except:\n"
                   "    - {from: x/a, to: z/c, allowed: true}\n"
                   "    - {from: \"*/*\", to: z/c, allowed: false}\n"
                   "    - {from: z/c, to: z/c, allowed: true}\n");
    assert_int_equal(c->failed, 1);
    const pn_expect_result *r = &c->res.items[0];
    assert_int_equal(r->wrong, 1);
    assert_string_equal(r->shown[0].from, "x/a");
    assert_string_equal(r->shown[0].to, "z/c");
    assert_false(r->shown[0].expected);
    assert_true(r->shown[0].actual);
    done(c);
}

static void table_default_covers_self_pairs(void **state)
{
    /* default false with exceptions for everything but the pods themselves: the three self
     * pairs are allowed, so they differ */
    checked *c = check(HEAD "- table:\n    ports: [80]\n    default: false\n    except:\n"
                            "    - {from: x/a, to: x/b, allowed: true}\n"
                            "    - {from: x/b, to: x/a, allowed: true}\n"
                            "    - {from: x/a, to: z/c, allowed: true}\n"
                            "    - {from: z/c, to: \"x/*\", allowed: true}\n");
    assert_int_equal(c->res.items[0].wrong, 3);
    done(c);
}

static void table_counts_each_port(void **state)
{
    checked *c =
        check(HEAD "- name: ports\n  table:\n    ports: [80/TCP, 53/udp]\n    default: true\n"
                   "    except: [{from: x/b, to: z/c, allowed: false}]\n"
                   "- table:\n    ports: [443]\n    default: true\n");
    assert_int_equal(c->res.count, 3);
    assert_string_equal(c->res.items[0].name, "ports @ 80/TCP");
    assert_string_equal(c->res.items[1].name, "ports @ 53/UDP");
    assert_string_equal(c->res.items[2].name, "443/TCP");
    assert_int_equal(c->passed, 2);
    assert_int_equal(c->failed, 1); /* 443: x/b → z/c is denied there too */
    done(c);
}

static void wildcards_match_pods_and_namespaces(void **state)
{
    checked *c = check(HEAD "- {from: \"x/?\", to: \"z/*\", port: 80, allowed: true}\n");
    assert_int_equal(c->res.items[0].pairs, 2);
    assert_int_equal(c->res.items[0].wrong, 1); /* x/b */
    done(c);
}

static void pattern_matching_no_pod_is_an_error(void **state)
{
    checked *c = check(HEAD "- {from: x/a, to: z/c, port: 80, allowed: true}\n"
                            "- {from: x/nope, to: z/c, port: 80, allowed: true}\n");
    assert_int_equal(c->rc, -1);
    assert_int_equal(c->res.count, 0);
    assert_true(tk_contains(c->msgs, "expect.yaml:6:10: error: \"x/nope\" matches no pod"));
    done(c);
}

static void engines_give_the_same_results(void **state)
{
    static const char text[] = HEAD "- table:\n    ports: [80, 81/UDP]\n    default: true\n"
                                    "    except: [{from: \"*/*\", to: z/c, allowed: false}]\n";
    checked *a = check_with(text, PN_ENGINE_BITSET);
    checked *b = check_with(text, PN_ENGINE_NAIVE);
    assert_int_equal(a->res.count, 2);
    assert_int_equal(b->res.count, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(a->res.items[i].wrong, b->res.items[i].wrong);
        assert_int_equal(a->res.items[i].wrong, 2); /* x/a → z/c and z/c → z/c are allowed */
    }
    done(a);
    done(b);
}

static void a_reused_cache_gives_the_same_results(void **state)
{
    checked *c = check(HEAD "- table:\n    ports: [80]\n    default: true\n"
                            "    except: [{from: x/b, to: z/c, allowed: false}]\n"
                            "- {from: x/a, to: z/c, port: 80, allowed: false}\n");
    assert_int_equal(c->passed, 1);
    assert_int_equal(c->failed, 1);
    pn_reach_cache *cache = pn_reach_cache_new();
    pn_diags *d = pn_diags_new();
    for (int round = 0; round < 2; round++) {
        pn_expect_results res = {0};
        assert_int_equal(pn_expect_check(c->e, c->t.w, PN_ENGINE_BITSET, cache, -1, &res, d), 0);
        size_t passed, failed;
        pn_expect_tally_results(&res, &passed, &failed);
        assert_int_equal(passed, 1);
        assert_int_equal(failed, 1);
        assert_int_equal(res.count, 2);
        assert_true(res.items[0].passed);
        assert_false(res.items[1].passed);
        pn_expect_results_free(&res);
    }
    assert_int_equal(pn_diags_errors(d), 0);
    pn_diags_free(d);
    pn_reach_cache_free(cache);
    done(c);
}

static void print_shows_failures_and_passes_when_verbose(void **state)
{
    checked *c = check(
        HEAD "- {name: good, from: x/a, to: z/c, port: 80, allowed: true}\n"
             "- {name: bad, why: b must reach c, from: x/b, to: z/c, port: 80, allowed: true}\n");
    char *quiet = printed(&c->res, false);
    assert_true(tk_contains(quiet, "FAIL bad (expect.yaml:6:3): 1 pair differs\n"));
    assert_true(tk_contains(quiet, "  why: b must reach c\n"));
    assert_true(tk_contains(quiet, "    x/b -> z/c 80/TCP: expected allowed, got denied\n"));
    assert_null(strstr(quiet, "PASS"));
    char *loud = printed(&c->res, true);
    assert_true(tk_contains(loud, "PASS good\n"));
    free(quiet);
    free(loud);
    done(c);
}

static void expectations_file_may_end_with_a_separator(void **state)
{
    /* a trailing "---" makes an empty document, which the cluster reader skips too */
    checked *c = check(HEAD "- {from: x/a, to: z/c, port: 80, allowed: true}\n---\n");
    assert_int_equal(c->passed, 1);
    done(c);
}

typedef struct {
    const char *text;
    const char *want;
} refusal;

static const refusal refusals[] = {
    {"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
     "expect.yaml:1:1: error: expected kind Expectations"},
    {"apiVersion: podnet.dev/v1\nkind: Expectations\nexpectations: []\n",
     "expect.yaml:1:13: error: Expectations must be apiVersion podnet.dev/v1alpha1"},
    {HEAD "- {from: x/a, to: z/c, port: 80, allow: true}\n",
     "expect.yaml:5:34: error: unknown field \"allow\" in an expectation"},
    {HEAD "- {from: x/a, to: z/c, port: 80/icmp, allowed: true}\n",
     "expect.yaml:5:30: error: \"80/icmp\" is not a port"},
    {HEAD "- {from: x/a, to: z/c, port: 0, allowed: true}\n",
     "expect.yaml:5:30: error: \"0\" is not a port"},
    {HEAD "- {from: x/a, to: z/c, port: 80/UDP, protocol: TCP, allowed: true}\n",
     "expect.yaml:5:48: error: protocol must be TCP, UDP or SCTP (and not also in port)"},
    {HEAD "- {from: x/a, to: z/c, port: 80, allowed: maybe}\n",
     "expect.yaml:5:43: error: \"allowed\" must be true or false"},
    {HEAD "- {from: x/a, to: z/c, port: 80, allowed: \"true\"}\n",
     "expect.yaml:5:43: error: \"allowed\" must be true or false"},
    {HEAD "- {from: a, to: z/c, port: 80, allowed: true}\n",
     "expect.yaml:5:10: error: \"a\" is not a pod (namespace/name"},
    {HEAD "- {to: z/c, port: 80, allowed: true}\n", "expect.yaml:5:3: error: \"from\" is required"},
    {HEAD "- {from: x/a, to: z/c, allowed: true}\n",
     "expect.yaml:5:3: error: \"port\" is required"},
    {HEAD "- table: {ports: [], default: true}\n",
     "expect.yaml:5:18: error: \"ports\" must be a non-empty list of ports"},
    {HEAD "- table: {ports: [80]}\n", "expect.yaml:5:10: error: \"default\" must be true or false"},
    {HEAD "- table: {ports: [80], default: true, except: {from: x/a}}\n",
     "expect.yaml:5:47: error: \"except\" must be a list"},
    {HEAD "- table: {ports: [80], default: true, except: [{from: x/a, to: z/c}]}\n",
     "expect.yaml:5:48: error: \"allowed\" must be true or false"},
    {HEAD "- table: {ports: [80], default: true, extra: 1}\n",
     "expect.yaml:5:39: error: unknown field \"extra\" in a table"},
};

static void bad_expectations_are_refused_with_position(void **state)
{
    size_t failures = 0;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        checked *c = new_checked();
        tk_world_ok(&c->t, cluster);
        pn_expectations *e = read_expectations(c, refusals[i].text);
        if (e || !strstr(c->msgs, refusals[i].want)) {
            print_error("case %zu: want \"%s\" from\n%s\ngot %s:\n%s\n", i, refusals[i].want,
                        refusals[i].text, e ? "expectations" : "NULL", c->msgs);
            failures++;
        }
        c->e = e;
        done(c);
    }
    assert_int_equal(failures, 0);
}

static void every_bad_expectation_is_reported(void **state)
{
    checked *c = refused(HEAD "- {from: x/a, to: z/c, port: 0, allowed: true}\n"
                              "- {from: x/a, to: z/c, port: 80, allowed: 2}\n");
    assert_true(tk_contains(c->msgs, "expect.yaml:5:"));
    assert_true(tk_contains(c->msgs, "expect.yaml:6:"));
    done(c);
}

/* A Service port the Service does not define is an answer (dropped: no kube-proxy rule), not
 * an error in the file; an ExternalName into the cluster is checked as its target Service. */
static void service_expectations_undefined_port_and_alias(void **state)
{
    (void)state;
    checked *c = check(HEAD "- {from: x/a, to: svc/z/web, port: 81, allowed: false}\n"
                            "- {from: x/a, to: svc/z/web, port: 81, allowed: true}\n"
                            "- {from: x/a, to: svc/x/alias, port: 80, allowed: true}\n"
                            "- {from: x/b, to: svc/x/alias, port: 80, allowed: false}\n");
    assert_int_equal(c->rc, 0);
    assert_true(c->res.items[0].passed);
    assert_false(c->res.items[1].passed);
    assert_true(tk_contains(c->res.items[1].shown[0].explanation, "no-rule"));
    assert_true(c->res.items[2].passed);
    assert_true(c->res.items[3].passed);
    done(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(service_expectations_undefined_port_and_alias),
        cmocka_unit_test_teardown(single_expectations_pass_and_fail, teardown),
        cmocka_unit_test_teardown(allowed_accepts_allowed_and_denied_words, teardown),
        cmocka_unit_test_teardown(protocol_field_sets_the_port_protocol, teardown),
        cmocka_unit_test_teardown(table_default_with_exceptions, teardown),
        cmocka_unit_test_teardown(table_later_exceptions_override_earlier, teardown),
        cmocka_unit_test_teardown(table_default_covers_self_pairs, teardown),
        cmocka_unit_test_teardown(table_counts_each_port, teardown),
        cmocka_unit_test_teardown(wildcards_match_pods_and_namespaces, teardown),
        cmocka_unit_test_teardown(pattern_matching_no_pod_is_an_error, teardown),
        cmocka_unit_test_teardown(engines_give_the_same_results, teardown),
        cmocka_unit_test_teardown(a_reused_cache_gives_the_same_results, teardown),
        cmocka_unit_test_teardown(print_shows_failures_and_passes_when_verbose, teardown),
        cmocka_unit_test_teardown(expectations_file_may_end_with_a_separator, teardown),
        cmocka_unit_test_teardown(bad_expectations_are_refused_with_position, teardown),
        cmocka_unit_test_teardown(every_bad_expectation_is_reported, teardown),
    };
    return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
