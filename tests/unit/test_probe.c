/* test_probe — one probe worker's state machine (reference kubernetes.md §4.3): the initial
 * results, consecutive-result thresholds, defaults, and the probe fields' validation. */
#include "testkit.h"

#include "models/probe.h"

static void readiness_starts_failed_and_needs_success_threshold(void **state)
{
    (void)state;
    pn_probe p = pn_probe_defaults(PN_PROBE_READINESS);
    assert_int_equal(p.period_s, 10);
    assert_int_equal(p.failure_threshold, 3);
    p.success_threshold = 2;
    pn_probe_state s = pn_probe_initial(&p);
    assert_false(s.result);
    assert_false(pn_probe_observe(&p, &s, true)); /* one success of two */
    assert_false(s.result);
    assert_true(pn_probe_observe(&p, &s, true));
    assert_true(s.result);
}

static void failures_must_be_consecutive(void **state)
{
    (void)state;
    pn_probe p = pn_probe_defaults(PN_PROBE_LIVENESS);
    pn_probe_state s = pn_probe_initial(&p);
    assert_true(s.result); /* liveness starts at Success */
    assert_false(pn_probe_observe(&p, &s, false));
    assert_false(pn_probe_observe(&p, &s, false));
    assert_false(pn_probe_observe(&p, &s, true)); /* the run is broken */
    assert_false(pn_probe_observe(&p, &s, false));
    assert_false(pn_probe_observe(&p, &s, false));
    assert_true(s.result);
    assert_true(pn_probe_observe(&p, &s, false)); /* third in a row */
    assert_false(s.result);
}

static void startup_succeeds_once(void **state)
{
    (void)state;
    pn_probe p = pn_probe_defaults(PN_PROBE_STARTUP);
    pn_probe_state s = pn_probe_initial(&p);
    assert_false(s.started);
    pn_probe_observe(&p, &s, true);
    assert_true(s.started);
}

static void probe_fields_are_validated(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                "spec: {containers: [{name: c, livenessProbe: {exec: {command: [x]}, "
                "successThreshold: 2}}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "successThreshold must be 1"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                "spec: {containers: [{name: c, readinessProbe: {periodSeconds: 5}}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "exactly one handler"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                "spec: {containers: [{name: c, readinessProbe: {tcpSocket: {port: 80}, "
                "periodSeconds: 0}}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "periodSeconds"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                "spec: {containers: [{name: c, readinessProbe: {tcpSocket: {port: 80}}}]}\n");
    assert_int_equal(t.rc, 0);
    size_t n;
    const pn_pod *pods = pn_world_pods(t.w, &n);
    assert_int_equal(pods[0].probe_count, 1);
    assert_int_equal(pods[0].probes[0].handler, PN_PROBE_TCP);
    assert_true(pods[0].ready); /* without kubelet running, a pod counts as ready */
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readiness_starts_failed_and_needs_success_threshold),
        cmocka_unit_test(failures_must_be_consecutive),
        cmocka_unit_test(startup_succeeds_once),
        cmocka_unit_test(probe_fields_are_validated),
    };
    return cmocka_run_group_tests_name("probe", tests, NULL, tk_teardown);
}
