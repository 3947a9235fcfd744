/* test_decode — the pure decoder (sim/input/decode) without a world: declarations come out in
 * pass order with their payloads and origins, duplicates are left to whoever merges them, an
 * object with an error is not declared, and VPC CNI settings arrive as their own declarations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/base/error.h"
#include "sim/input/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One decoding: its arena, documents, diagnostics (printed into msgs) and declarations. */
typedef struct {
    pn_arena *arena;
    pn_diags *diags;
    pn_documents docs;
    pn_decls decls;
    char *msgs;
    int rc;
} decoding;

static decoding open_decoding;

static int teardown(void **state)
{
    (void)state;
    pn_decls_free(&open_decoding.decls);
    pn_documents_free(&open_decoding.docs);
    pn_diags_free(open_decoding.diags);
    pn_arena_free(open_decoding.arena);
    free(open_decoding.msgs);
    memset(&open_decoding, 0, sizeof open_decoding);
    return 0;
}

static decoding *decode(const char *yaml, bool strict)
{
    decoding *d = &open_decoding;
    d->arena = pn_arena_new();
    d->diags = pn_diags_new();
    assert_int_equal(pn_load_buffer(d->arena, d->diags, "in.yaml", yaml, strlen(yaml), &d->docs),
                     0);
    pn_decode_options opt = {.strict = strict};
    d->rc = pn_decode_documents(&d->docs, &opt, d->arena, &d->decls, d->diags);
    size_t size = 0;
    FILE *f = open_memstream(&d->msgs, &size);
    pn_diags_flush(d->diags, f);
    fclose(f);
    return d;
}

static void declarations_come_in_pass_order_with_payloads(void **state)
{
    (void)state;
    decoding *d = decode("apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata: {name: web, namespace: shop}\n"
                         "spec:\n"
                         "  replicas: 3\n"
                         "  selector: {matchLabels: {app: web}}\n"
                         "  template:\n"
                         "    metadata: {labels: {app: web}}\n"
                         "    spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n"
                         "---\n"
                         "apiVersion: v1\n"
                         "kind: Namespace\n"
                         "metadata: {name: shop, labels: {team: a}}\n"
                         "---\n"
                         "apiVersion: networking.k8s.io/v1\n"
                         "kind: NetworkPolicy\n"
                         "metadata: {name: deny, namespace: shop}\n"
                         "spec: {podSelector: {}}\n",
                         false);
    assert_int_equal(d->rc, PN_OK);
    assert_string_equal(d->msgs, "");
    assert_int_equal(d->decls.count, 3);
    const pn_decl *ns = &d->decls.items[0], *wl = &d->decls.items[1], *np = &d->decls.items[2];
    assert_int_equal(ns->kind, PN_DECL_NAMESPACE); /* pass 1, though it came second */
    assert_string_equal(ns->object_kind, "Namespace");
    assert_null(ns->ns);
    assert_string_equal(ns->name, "shop");
    assert_string_equal(pn_labels_get(&ns->u.namespace_.labels, "kubernetes.io/metadata.name"),
                        "shop");
    assert_string_equal(pn_labels_get(&ns->u.namespace_.labels, "team"), "a");
    assert_int_equal(ns->origin.line, 11);
    assert_int_equal(wl->kind, PN_DECL_POD_SOURCE);
    assert_string_equal(wl->object_kind, "Deployment");
    assert_string_equal(wl->ns, "shop");
    assert_int_equal(wl->u.source.replicas, 3);
    assert_string_equal(pn_labels_get(&wl->u.source.labels, "app"), "web");
    assert_string_equal(wl->origin.file, "in.yaml");
    assert_int_equal(wl->origin.line, 1);
    assert_int_equal(wl->origin.column, 1);
    assert_int_equal(np->kind, PN_DECL_NETPOL);
    assert_string_equal(np->u.policy.name, "deny");
    assert_int_equal(np->origin.line, 15);
    teardown(state);
}

static void duplicates_are_left_to_the_merger(void **state)
{
    (void)state;
    decoding *d = decode("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
                         "spec: {containers: [{name: c}]}\n"
                         "---\n"
                         "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
                         "spec: {containers: [{name: c}]}\n",
                         false);
    assert_int_equal(d->rc, PN_OK);
    assert_int_equal(d->decls.count, 2);
    assert_string_equal(d->decls.items[0].ns, "default");
    assert_int_equal(d->decls.items[1].origin.line, 6);
    teardown(state);
}

static void an_object_with_an_error_is_not_declared(void **state)
{
    (void)state;
    decoding *d = decode("apiVersion: networking.k8s.io/v1\n"
                         "kind: NetworkPolicy\n"
                         "metadata: {name: np}\n"
                         "spec: {podSelecter: {}, policyTypes: [Sideways]}\n",
                         false);
    assert_int_equal(d->rc, PN_EINPUT);
    assert_int_equal(d->decls.count, 0);
    assert_non_null(strstr(d->msgs, "in.yaml:4:8: error: unknown field \"podSelecter\"; did you "
                                    "mean \"podSelector\"? (object NetworkPolicy default/np, "
                                    "field spec.podSelecter)"));
    teardown(state);
}

static void unknown_kinds_warn_or_fail_when_strict(void **state)
{
    (void)state;
    const char *yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    decoding *d = decode(yaml, false);
    assert_int_equal(d->rc, PN_OK);
    assert_non_null(strstr(d->msgs, "warning: kind ConfigMap is not modelled; skipped"));
    teardown(state);
    d = decode(yaml, true);
    assert_int_equal(d->rc, PN_EINPUT);
    assert_non_null(strstr(d->msgs, "error: kind ConfigMap is not modelled (--strict)"));
    teardown(state);
}

static void cni_settings_are_declared_after_their_config(void **state)
{
    (void)state;
    decoding *d = decode("apiVersion: podnet.dev/v1alpha1\n"
                         "kind: VpcCniConfig\n"
                         "metadata: {name: cni}\n"
                         "spec:\n"
                         "  env: {WARM_IP_TARGET: \"5\", MAX_ENI: \"-1\"}\n",
                         false);
    assert_int_equal(d->rc, PN_EINPUT); /* MAX_ENI must not be negative */
    assert_int_equal(d->decls.count, 2);
    assert_int_equal(d->decls.items[0].kind, PN_DECL_CNI_CONFIG);
    assert_int_equal(d->decls.items[1].kind, PN_DECL_CNI_SETTING);
    assert_string_equal(d->decls.items[1].u.cni_setting.name, "WARM_IP_TARGET");
    assert_string_equal(d->decls.items[1].u.cni_setting.value, "5");
    teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(declarations_come_in_pass_order_with_payloads, teardown),
        cmocka_unit_test_teardown(duplicates_are_left_to_the_merger, teardown),
        cmocka_unit_test_teardown(an_object_with_an_error_is_not_declared, teardown),
        cmocka_unit_test_teardown(unknown_kinds_warn_or_fail_when_strict, teardown),
        cmocka_unit_test_teardown(cni_settings_are_declared_after_their_config, teardown),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
