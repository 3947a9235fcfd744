/* test_session — the policy sim/run/session keeps for every front end: an AWS world settles
 * for five minutes by default (or as long as asked, or not at all), a scenario replays to
 * exactly the moment asked (steps due then included, later ones not), and a recorded run is
 * committed when it went well and rolled back when it did not. */
#include "tests/unit/testkit.h"

#include "sim/engine/ipamd.h"
#include "sim/run/scenario.h"
#include "sim/run/session.h"

#include <limits.h>

#include <sys/stat.h>

/* A temporary folder with files written into it; removed by the teardown. */
typedef struct {
    char dir[64];
    char *paths[8];
    size_t path_count;
} scratch;

static scratch *open_scratch;

static scratch *scratch_new(void)
{
    scratch *s = calloc(1, sizeof *s);
    assert_non_null(s);
    snprintf(s->dir, sizeof s->dir, "/tmp/podnet-session-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    open_scratch = s;
    return s;
}

/* Writes text to dir/name; returns the path (owned by the scratch). */
static const char *scratch_write(scratch *s, const char *name, const char *text)
{
    char *path = calloc(1, strlen(s->dir) + strlen(name) + 2);
    assert_non_null(path);
    memcpy(path, s->dir, strlen(s->dir));
    path[strlen(s->dir)] = '/';
    memcpy(path + strlen(s->dir) + 1, name, strlen(name));
    if (text) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    s->paths[s->path_count++] = path;
    return path;
}

static void scratch_free(scratch *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->path_count; i++) {
        unlink(s->paths[i]);
        free(s->paths[i]);
    }
    rmdir(s->dir);
    free(s);
    open_scratch = NULL;
}

static int teardown(void **state)
{
    (void)state;
    scratch_free(open_scratch);
    return tk_teardown(state);
}

#define TEST(f) cmocka_unit_test_teardown(f, teardown)

/* One node in a /24 and a Deployment of three: every pod fits once ipamd has run. */
static const char aws_cluster[] =
    "apiVersion: podnet.dev/v1alpha1\nkind: VPC\nmetadata: {name: main}\n"
    "spec: {VpcId: vpc-1, CidrBlock: 10.0.0.0/16}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: a}\n"
    "spec: {SubnetId: subnet-1, VpcId: vpc-1, AvailabilityZone: us-east-1a, "
    "CidrBlock: 10.0.1.0/24}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: "
    "{node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: us-east-1a}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: x}\n"
    "spec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n    spec: "
    "{containers: [{name: c, ports: [{containerPort: 80}]}]}\n";

/* Loads path with the settle time given; returns how many pods run. */
static size_t running_after(const char *path, pn_time settle)
{
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_session_options opt = {.aws_settle = settle};
    pn_world *w = pn_session_load(&path, 1, &opt, &docs, diags);
    assert_non_null(w);
    assert_int_equal(pn_diags_errors(diags), 0);
    size_t n, running = 0;
    const pn_pod *pods = pn_world_pods(w, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        running += pods[i].phase == PN_POD_RUNNING;
    pn_world_free(w);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    return running;
}

static void aws_world_settles_by_default(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *path = scratch_write(s, "cluster.yaml", aws_cluster);
    assert_int_equal(running_after(path, 0), 3);                      /* the default */
    assert_int_equal(running_after(path, 5 * 60 * PN_SECOND), 3);     /* said explicitly */
    assert_int_equal(running_after(path, -1), 0);                     /* not at all */
    assert_true(PN_SESSION_AWS_SETTLE_DEFAULT == 5 * 60 * PN_SECOND); /* documented in cli.md */
    scratch_free(s);
}

static void load_reports_bad_input_and_hashes_when_asked(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *good = scratch_write(s, "good.yaml", aws_cluster);
    const char *bad = scratch_write(s, "bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [x]\n");
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    assert_null(pn_session_load(&bad, 1, NULL, &docs, diags));
    assert_true(pn_diags_errors(diags) > 0);
    pn_documents_free(&docs);
    pn_diags_free(diags);

    diags = pn_diags_new();
    docs = (pn_documents){0};
    pn_session_options opt = {.hash_inputs = true};
    pn_world *w = pn_session_load(&good, 1, &opt, &docs, diags);
    assert_non_null(w);
    assert_int_equal(docs.input_count, 1);
    assert_int_equal(strlen(docs.inputs[0].sha256), 64);
    pn_world_free(w);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    scratch_free(s);
}

/* load_more: documents that are not files (podnet's --from-cluster), read into the world's
 * arena after the paths; its failure fails the load. */
static int load_two_pods(void *ctx, pn_arena *arena, pn_diags *diags, pn_documents *docs)
{
    const char *text = ctx;
    return pn_load_buffer(arena, diags, "cluster.json", text, strlen(text), docs) == 0 ? 0 : -1;
}

static int load_nothing_and_fail(void *ctx, pn_arena *arena, pn_diags *diags, pn_documents *docs)
{
    (void)ctx, (void)arena, (void)docs;
    pn_diag_add(diags, PN_DIAG_ERROR, "kubectl", 1, 1, "the server does not answer");
    return -1;
}

static void load_more_adds_documents_that_are_not_files(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *file = scratch_write(s, "ns.yaml",
                                     "apiVersion: v1\nkind: Namespace\n"
                                     "metadata: {name: shop}\n");
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_session_options opt = {
        .load_more = load_two_pods,
        .load_more_ctx = "{\"apiVersion\": \"v1\", \"kind\": \"List\", "
                         "\"metadata\": {\"annotations\": {\"podnet.dev/context\": \"c\"}}, "
                         "\"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                         "\"metadata\": {\"name\": \"a\", \"namespace\": \"shop\"}, "
                         "\"spec\": {\"containers\": [{\"name\": \"c\"}]}}, "
                         "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                         "\"metadata\": {\"name\": \"b\", \"namespace\": \"shop\"}, "
                         "\"spec\": {\"containers\": [{\"name\": \"c\"}]}}]}"};
    pn_world *w = pn_session_load(&file, 1, &opt, &docs, diags);
    assert_non_null(w);
    assert_int_equal(pn_diags_errors(diags), 0);
    assert_int_equal(docs.count, 2); /* the file's document, then the List */
    size_t pods;
    pn_world_pods(w, &pods);
    assert_int_equal(pods, 2);
    pn_world_free(w);
    pn_documents_free(&docs);
    pn_diags_free(diags);

    diags = pn_diags_new();
    docs = (pn_documents){0};
    opt = (pn_session_options){.load_more = load_nothing_and_fail};
    assert_null(pn_session_load(&file, 1, &opt, &docs, diags));
    assert_int_equal(pn_diags_errors(diags), 1);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    scratch_free(s);
}

/* A scenario whose Deployment grows from one pod to three at 10s. */
static const char scaling_scenario[] =
    "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: grow}\n"
    "spec:\n  world:\n    objects:\n"
    "    - apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web, namespace: x}\n"
    "      spec:\n        replicas: 1\n        selector: {matchLabels: {app: web}}\n"
    "        template:\n          metadata: {labels: {app: web}}\n"
    "          spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n"
    "  timeline:\n"
    "  - at: 10s\n    scale: {kind: Deployment, namespace: x, name: web, replicas: 3}\n"
    "  - at: 20s\n    expect:\n    - {from: x/web-0, to: x/web-1, port: 80/TCP, allowed: false}\n";

typedef struct {
    int calls;
    size_t pods;
} visit_log;

static void count_pods(pn_world *w, void *ctx)
{
    visit_log *log = ctx;
    log->calls++;
    pn_world_pods(w, &log->pods);
}

static void at_moment_replays_up_to_the_moment(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *path = scratch_write(s, "scenario.yaml", scaling_scenario);
    const pn_time moments[] = {0, 5 * PN_SECOND, 10 * PN_SECOND, 30 * PN_SECOND};
    const size_t pods[] = {1, 1, 3, 3};
    for (size_t i = 0; i < 4; i++) {
        pn_diags *diags = pn_diags_new();
        visit_log log = {0};
        /* The expectation at 20s fails; at a moment, the replay's verdicts do not matter. */
        assert_int_equal(
            pn_session_at_moment(path, moments[i], PN_ENGINE_BITSET, count_pods, &log, diags), 0);
        assert_int_equal(log.calls, 1);
        assert_int_equal(log.pods, pods[i]);
        assert_int_equal(pn_diags_errors(diags), 0);
        pn_diags_free(diags);
    }
    scratch_free(s);
}

static void at_moment_of_a_bad_scenario_visits_nothing(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *missing = scratch_write(s, "missing.yaml", NULL);
    const char *bad = scratch_write(s, "bad.yaml",
                                    "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\n"
                                    "metadata: {name: bad}\nspec: {wrld: {}}\n");
    const char *paths[] = {missing, bad};
    for (size_t i = 0; i < 2; i++) {
        pn_diags *diags = pn_diags_new();
        visit_log log = {0};
        assert_int_equal(
            pn_session_at_moment(paths[i], PN_SECOND, PN_ENGINE_BITSET, count_pods, &log, diags),
            -1);
        assert_int_equal(log.calls, 0);
        assert_true(pn_diags_errors(diags) > 0);
        pn_diags_free(diags);
    }
    scratch_free(s);
}

/* The history of db as text (caller frees). */
static char *history_of(const char *db)
{
    char *err = NULL;
    pn_store *st = pn_store_open(db, &err);
    assert_non_null(st);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(pn_store_history(st, out, 0), 0);
    fclose(out);
    pn_store_close(st);
    return text;
}

static size_t lines_in(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static void record_commits_good_runs_and_rolls_back_others(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *db = scratch_write(s, "runs.db", NULL);
    char *err = NULL;
    pn_session_record rec;
    assert_int_equal(pn_session_record_begin(&rec, db, "check", true, 42, &err), 0);
    assert_null(err);
    assert_non_null(rec.store);
    assert_true(rec.run >= 1);
    assert_int_equal(pn_session_record_end(&rec, 0, 3, 1, &err), 0);
    assert_null(err);
    assert_null(rec.store);

    assert_int_equal(pn_session_record_begin(&rec, db, "reach", false, 0, &err), 0);
    assert_int_equal(pn_session_record_end(&rec, -1, 0, 0, &err), -1); /* rolled back */
    assert_non_null(err);
    assert_non_null(strstr(err, "cannot record the run"));
    free(err);

    char *history = history_of(db);
    assert_int_equal(lines_in(history), 2); /* the header and the one committed run */
    assert_non_null(strstr(history, "check"));
    assert_non_null(strstr(history, PN_VERSION));
    assert_null(strstr(history, "reach"));
    free(history);

    /* Nothing to end when nothing began. */
    assert_int_equal(pn_session_record_end(&rec, 0, 0, 0, &err), 0);
    assert_null(err);
    scratch_free(s);
}

static void record_in_an_unwritable_place_says_why(void **state)
{
    (void)state;
    char *err = NULL;
    pn_session_record rec;
    assert_int_equal(
        pn_session_record_begin(&rec, "/nonexistent-podnet/dir/runs.db", "run", false, 0, &err),
        -1);
    assert_non_null(err);
    assert_null(rec.store);
    free(err);
    assert_int_equal(pn_session_record_end(&rec, 0, 0, 0, &err), 0);
}

/* Replays a scenario on the subnet-exhaustion lab's cluster in which web scales from 8 to
 * replicas at the settle time (as ipam plan's trials do); returns how many of its expectations
 * failed: replicas - waiting run, and waiting wait for an address. */
static size_t scale_out_failures(scratch *s, long replicas, long waiting)
{
    char cluster[PATH_MAX], text[PATH_MAX + 1024];
    assert_non_null(realpath("scenarios/labs/subnet-exhaustion/cluster.yaml", cluster));
    snprintf(
        text, sizeof text,
        "apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: scale-out}\n"
        "spec:\n  world: {files: [\"%s\"]}\n"
        "  timeline:\n"
        "  - at: 5m\n    scale: {kind: Deployment, namespace: shop, name: web, replicas: %ld}\n"
        "  expect:\n"
        "  - {name: run, pod: shop/web-*, phase: Running, count: %ld}\n"
        "  - {name: wait, pod: shop/web-*, phase: ContainerCreating, count: %ld,\n"
        "     reason: failed to assign an IP address to container}\n",
        cluster, replicas, replicas - waiting, waiting);
    const char *path = scratch_write(s, "scale-out.yaml", text);
    pn_diags *diags = pn_diags_new();
    pn_scenario *sc = pn_scenario_load(path, diags);
    assert_non_null(sc);
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    pn_run_options ro = {.out = out, .engine = PN_ENGINE_BITSET};
    pn_expect_results results = {0};
    assert_int_equal(pn_scenario_run(sc, &ro, &results, diags), 0);
    size_t passed, failed;
    pn_expect_tally_results(&results, &passed, &failed);
    assert_int_equal(passed + failed, 2);
    pn_expect_results_free(&results);
    pn_scenario_free(sc);
    fclose(out);
    pn_diags_free(diags);
    unlink(path);
    s->path_count--;
    free(s->paths[s->path_count]);
    return failed;
}

/* Loads path and asks pn_session_ipam_fit; fit is cleared by the caller. */
static void fit_of(const char *path, pn_ipam_fit *fit)
{
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_world *w = pn_session_load(&path, 1, NULL, &docs, diags);
    assert_non_null(w);
    assert_int_equal(pn_session_ipam_fit(&docs, NULL, fit, diags), 0);
    assert_int_equal(pn_diags_errors(diags), 0);
    pn_world_free(w);
    pn_documents_free(&docs);
    pn_diags_free(diags);
}

/* issue 13: ipam plan said 46 more pods fit on the subnet-exhaustion lab's cluster, where the
 * engine leaves pods of a 32-pod scale-out waiting. The plan's count is the engine's: scaling
 * out by it runs every pod, by one more leaves one waiting for an address. */
static void ipam_fit_is_what_the_engine_runs(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    pn_ipam_fit fit;
    fit_of("scenarios/labs/subnet-exhaustion/cluster.yaml", &fit);
    assert_int_equal(fit.pods, 29); /* the ENIs of nodes 2 to 4 take 7 more pods, node-1's 8 */
    assert_int_equal(fit.node_count, 4);
    const int per_node[] = {8, 7, 7, 7};
    long sum = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(fit.node_pods[i], per_node[i]);
        sum += fit.node_pods[i];
    }
    assert_int_equal(sum, fit.pods);
    assert_true(fit.next_known);
    assert_string_equal(fit.next_node, "node-2");
    assert_int_equal(fit.next_phase, PN_POD_CONTAINER_CREATING);
    assert_string_equal(fit.next_reason, PN_REASON_NO_IP);
    /* The scenario runner agrees: 8 + fit all run, one more waits. */
    assert_int_equal(scale_out_failures(s, 8 + fit.pods, 0), 0);
    assert_int_equal(scale_out_failures(s, 8 + fit.pods + 1, 1), 0);
    assert_int_equal(scale_out_failures(s, 8 + fit.pods + 1, 0), 2); /* the test can fail */
    pn_ipam_fit_clear(&fit);
    scratch_free(s);
}

/* Where kubelet's max-pods (29) is above what the ENIs hold (3 x 9 addresses), the ENIs stop
 * a scale-out first; with the pod limit at the world's size, nothing more may be tried. */
static void ipam_fit_stops_at_full_enis_and_the_pod_limit(void **state)
{
    (void)state;
    scratch *s = scratch_new();
    const char *path = scratch_write(s, "cluster.yaml", aws_cluster);
    pn_ipam_fit fit;
    fit_of(path, &fit);
    assert_int_equal(fit.pods, 27 - 3);
    assert_int_equal(fit.node_pods[0], 24);
    assert_true(fit.next_known);
    assert_string_equal(fit.next_node, "node-1");
    assert_int_equal(fit.next_phase, PN_POD_CONTAINER_CREATING);
    pn_ipam_fit_clear(&fit);

    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_session_options opt = {.pod_limit = 10};
    pn_world *w = pn_session_load(&path, 1, &opt, &docs, diags);
    assert_non_null(w);
    assert_int_equal(pn_session_ipam_fit(&docs, &opt, &fit, diags), 0);
    assert_int_equal(fit.pods, 7); /* 3 pods and 7 more make the limit */
    assert_false(fit.next_known);
    assert_null(fit.next_node);
    pn_ipam_fit_clear(&fit);
    pn_world_free(w);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    scratch_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(aws_world_settles_by_default),
        TEST(load_reports_bad_input_and_hashes_when_asked),
        TEST(load_more_adds_documents_that_are_not_files),
        TEST(at_moment_replays_up_to_the_moment),
        TEST(at_moment_of_a_bad_scenario_visits_nothing),
        TEST(record_commits_good_runs_and_rolls_back_others),
        TEST(record_in_an_unwritable_place_says_why),
        TEST(ipam_fit_is_what_the_engine_runs),
        TEST(ipam_fit_stops_at_full_enis_and_the_pod_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
