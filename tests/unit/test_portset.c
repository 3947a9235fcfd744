/* Connection sets: the portset value type, the cut of the port space into interval classes,
 * and the rule that a table over the whole space answers every port as the per-port
 * evaluation does — at every interval's bounds and inside it, for both engines, on fixed
 * worlds, on the shipped AWS labs and on random clusters of several seeds. */
#include "testkit.h"

#include "models/portset.h"
#include "sim/base/arena.h"
#include "sim/engine/ipamd.h"
#include "sim/query/ports.h"

#define TK_TEST(f) cmocka_unit_test_teardown(f, tk_teardown)

static void add_merges_touching_and_overlapping_ranges(void **state)
{
    (void)state;
    pn_portset s = {0};
    pn_portset_add(&s, PN_PROTO_TCP, 90, 99);
    pn_portset_add(&s, PN_PROTO_TCP, 80, 89); /* touches 90-99 */
    pn_portset_add(&s, PN_PROTO_UDP, 53, 53);
    pn_portset_add(&s, PN_PROTO_TCP, 443, 443);
    pn_portset_add(&s, PN_PROTO_TCP, 95, 450); /* swallows 443 */
    assert_int_equal(s.count, 2);
    assert_int_equal(s.r[0].lo, 80);
    assert_int_equal(s.r[0].hi, 450);
    assert_int_equal(s.r[1].proto, PN_PROTO_UDP);
    assert_true(pn_portset_contains(&s, (pn_port){450, PN_PROTO_TCP}));
    assert_false(pn_portset_contains(&s, (pn_port){451, PN_PROTO_TCP}));
    assert_false(pn_portset_contains(&s, (pn_port){80, PN_PROTO_UDP}));
    assert_int_equal(pn_portset_size(&s, PN_PROTO_TCP), 371);
    pn_portset_free(&s);
}

static void minus_and_subset(void **state)
{
    (void)state;
    pn_portset a = {0}, b = {0}, d = {0};
    pn_portset_add_all(&a);
    pn_portset_add(&b, PN_PROTO_TCP, 80, 80);
    pn_portset_add(&b, PN_PROTO_TCP, 8000, 9000);
    pn_portset_minus(&a, &b, &d);
    char buf[128];
    assert_string_equal(pn_portset_format_ports(&d, PN_PROTO_TCP, buf, sizeof buf),
                        "1-79 81-7999 9001-65535");
    assert_true(pn_portset_full(&d, PN_PROTO_UDP));
    assert_true(pn_portset_subset(&b, &a));
    assert_false(pn_portset_subset(&a, &b));
    pn_portset_minus(&b, &a, &d);
    assert_true(pn_portset_empty(&d));
    pn_portset_free(&a);
    pn_portset_free(&b);
    pn_portset_free(&d);
}

static void formats(void **state)
{
    (void)state;
    pn_portset s = {0};
    char buf[128];
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "-");
    pn_portset_add(&s, PN_PROTO_TCP, 443, 443);
    pn_portset_add(&s, PN_PROTO_TCP, 80, 80);
    pn_portset_add(&s, PN_PROTO_UDP, 53, 53);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "TCP 80,443; UDP 53");
    assert_string_equal(pn_portset_format_ports(&s, PN_PROTO_TCP, buf, sizeof buf), "80 443");
    assert_string_equal(pn_portset_format_ports(&s, PN_PROTO_SCTP, buf, sizeof buf), "");
    pn_portset_add(&s, PN_PROTO_TCP, 1, 65535);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "TCP all; UDP 53");
    pn_portset_add_all(&s);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "all");
    pn_portset_free(&s);
}

static void parse(void **state)
{
    (void)state;
    pn_portset s = {0};
    const char *why = NULL;
    char buf[128];
    assert_int_equal(pn_portset_parse_ports("80, 443 8000-8080", PN_PROTO_TCP, &s, &why), 0);
    assert_string_equal(pn_portset_format_ports(&s, PN_PROTO_TCP, buf, sizeof buf),
                        "80 443 8000-8080");
    pn_portset_clear(&s);
    assert_int_equal(pn_portset_parse_ports("all", PN_PROTO_UDP, &s, &why), 0);
    assert_true(pn_portset_full(&s, PN_PROTO_UDP));
    static const char *const bad[] = {"", "0", "65536", "90-80", "80;81", "x", "80-", "-80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pn_portset_clear(&s);
        why = NULL;
        if (pn_portset_parse_ports(bad[i], PN_PROTO_TCP, &s, &why) == 0)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_non_null(why);
    }
    pn_portset_free(&s);
}

static const char ranges_world[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\n"
    "spec:\n  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 8080}\n"
    "status: {podIP: 10.0.0.1}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\n"
    "spec:\n  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 9090}\n"
    "status: {podIP: 10.0.0.2}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\n"
    "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 8000, endPort: 9000}\n"
    "    - {port: web}\n    - {protocol: UDP, port: 53}\n";

/* The space is cut where rules start and end: 8000..9000, the named port's numbers, UDP 53. */
static void space_cut_at_rule_bounds(void **state)
{
    (void)state;
    tk_world t;
    tk_world_ok(&t, ranges_world);
    pn_port_space sp;
    pn_port_space_build(t.w, &sp);
    /* TCP: 1-7999, 8000-8079, 8080, 8081-9000, 9001-9089, 9090, 9091-65535; UDP: 1-52, 53,
     * 54-65535; SCTP: all. */
    assert_int_equal(sp.count, 11);
    /* Nothing-matches is one class across protocols (1-7999, 9001-9089, 9091-65535 TCP, UDP
     * but 53, SCTP); 8000-8079 and 8081-9000 another; 8080, 9090 and UDP 53 their own. */
    assert_int_equal(sp.classes, 5);
    assert_int_equal(sp.class_of[0], sp.class_of[4]);
    assert_int_equal(sp.class_of[1], sp.class_of[3]);
    assert_int_not_equal(sp.class_of[2], sp.class_of[5]);
    pn_port_space_free(&sp);
    tk_free(&t);
}

/* Every pair's set against per-port evaluation at each interval's bounds and middle; the
 * two engines' sets alike. */
static void check_sets(const pn_world *w, const char *what)
{
    pn_reach *sets = pn_reach_compute_sets(w, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute_sets(w, PN_ENGINE_NAIVE);
    if (!pn_reach_sets_equal(sets, naive))
        fail_msg("%s: the engines' sets differ", what);
    pn_port_space sp;
    pn_port_space_build(w, &sp);
    assert_int_equal(pn_reach_interval_count(sets), sp.count);
    size_t n;
    pn_world_pods(w, &n);
    pn_path_view *view = pn_path_view_new(w);
    pn_portset set = {0};
    for (size_t s = 0; s < n; s++)
        for (size_t d = 0; d < n; d++) {
            pn_reach_pair_set(sets, s, d, &set);
            for (size_t i = 0; i < sp.count; i++) {
                const pn_port_range *iv = &sp.interval[i];
                uint16_t probe[3] = {iv->lo, (uint16_t)(iv->lo + (iv->hi - iv->lo) / 2), iv->hi};
                for (int k = 0; k < 3; k++) {
                    pn_port port = {probe[k], iv->proto};
                    bool one = pn_reach_evaluate_in(w, view, s, d, port).allowed;
                    if (one != pn_portset_contains(&set, port))
                        fail_msg("%s: pod %zu -> %zu on %u/%s: per port %d, set %d", what, s, d,
                                 port.number, pn_proto_name(port.proto), one, !one);
                }
            }
        }
    pn_portset_free(&set);
    pn_path_view_free(view);
    pn_port_space_free(&sp);
    /* The totals by rows agree with counting pair by pair. */
    size_t some[PN_PROTO_COUNT] = {0}, every[PN_PROTO_COUNT] = {0};
    size_t some1[PN_PROTO_COUNT] = {0}, every1[PN_PROTO_COUNT] = {0};
    pn_reach_sets *rs = pn_reach_sets_new(sets);
    pn_reach_sets_totals(rs, some, every);
    for (size_t s = 0; s < n; s++)
        for (size_t d = 0; d < n; d++)
            for (int p = 0; p < PN_PROTO_COUNT; p++) {
                const pn_portset *one = pn_reach_sets_pair(rs, s, d);
                some1[p] += pn_portset_size(one, (pn_proto)p) > 0;
                every1[p] += pn_portset_full(one, (pn_proto)p);
            }
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        if (some[p] != some1[p] || every[p] != every1[p])
            fail_msg("%s: %s totals %zu/%zu, pair by pair %zu/%zu", what,
                     pn_proto_name((pn_proto)p), some[p], every[p], some1[p], every1[p]);
    pn_reach_sets_free(rs);
    pn_reach_free(sets);
    pn_reach_free(naive);
}

static void sets_agree_with_ports_on_a_fixed_world(void **state)
{
    (void)state;
    tk_world t;
    tk_world_ok(&t, ranges_world);
    check_sets(t.w, "ranges world");
    pn_reach *sets = pn_reach_compute_sets(t.w, PN_ENGINE_BITSET);
    pn_portset s = {0};
    char buf[128];
    pn_reach_pair_set(sets, tk_pod(&t, "x/a"), tk_pod(&t, "x/b"), &s);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "TCP 8000-9000,9090; UDP 53");
    pn_reach_pair_set(sets, tk_pod(&t, "x/b"), tk_pod(&t, "x/a"), &s);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "TCP 8000-9000; UDP 53");
    pn_reach_pair_set(sets, tk_pod(&t, "x/a"), tk_pod(&t, "x/a"), &s);
    assert_string_equal(pn_portset_format_short(&s, buf, sizeof buf), "all");
    pn_portset_free(&s);
    pn_reach_free(sets);
    tk_free(&t);
}

static void sets_agree_with_ports_on_the_aws_labs(void **state)
{
    (void)state;
    static const char *const worlds[][3] = {
        {"scenarios/labs/node-security-groups/cluster.yaml",
         "scenarios/labs/node-security-groups/instances.json",
         "scenarios/labs/node-security-groups/sg-without-self.json"},
        {"scenarios/labs/nacl-ephemeral/cluster.yaml",
         "scenarios/labs/nacl-ephemeral/nacl-no-ephemeral.yaml", NULL},
        {"scenarios/labs/nacl-ephemeral/cluster.yaml",
         "scenarios/labs/nacl-ephemeral/nacl-fixed.yaml", NULL},
        {"scenarios/labs/security-groups-for-pods/cluster.yaml", NULL, NULL},
        {"scenarios/ci/aws-network-changes/vpc.yaml",
         "scenarios/ci/aws-network-changes/cluster.yaml", NULL},
    };
    for (size_t k = 0; k < sizeof worlds / sizeof worlds[0]; k++) {
        pn_arena *arena = pn_arena_new();
        pn_diags *diags = pn_diags_new();
        pn_documents docs = {0};
        for (size_t f = 0; f < 3 && worlds[k][f]; f++)
            assert_int_equal(pn_load_path(arena, diags, worlds[k][f], &docs), 0);
        pn_world *w = pn_world_new();
        assert_int_equal(pn_world_load(w, &docs, NULL, diags), 0);
        pn_ipamd_settle(w, 5 * 60 * PN_SECOND);
        check_sets(w, worlds[k][0]);
        pn_world_free(w);
        pn_documents_free(&docs);
        pn_diags_free(diags);
        pn_arena_free(arena);
    }
}

/* A deterministic generator (splitmix64) for random clusters. */
static uint64_t rnd_state;
static unsigned rnd(unsigned n)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (unsigned)((z ^ (z >> 31)) % n);
}

typedef struct {
    char *text;
    size_t len, cap;
} text_buf;

static void emit(text_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char line[512];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->text = realloc(b->text, b->cap);
        assert_non_null(b->text);
    }
    memcpy(b->text + b->len, line, (size_t)n + 1);
    b->len += (size_t)n;
}

static const char *const protos[] = {"TCP", "UDP", "SCTP"};
static const char *const names[] = {"http", "metrics", "db"};

static void random_port_entry(text_buf *b)
{
    switch (rnd(5)) {
    case 0:
        emit(b, "    - {protocol: %s, port: %u}\n", protos[rnd(3)], 1 + rnd(100));
        break;
    case 1: {
        unsigned lo = 1 + rnd(100);
        emit(b, "    - {protocol: %s, port: %u, endPort: %u}\n", protos[rnd(3)], lo, lo + rnd(50));
        break;
    }
    case 2:
        emit(b, "    - {protocol: %s}\n", protos[rnd(3)]);
        break;
    case 3:
        emit(b, "    - {port: 65535}\n");
        break;
    default:
        emit(b, "    - {protocol: %s, port: %s}\n", protos[rnd(2)], names[rnd(3)]);
        break;
    }
}

static char *random_cluster(uint64_t seed)
{
    rnd_state = seed;
    text_buf b = {0};
    for (unsigned p = 0; p < 12; p++) {
        emit(&b,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: p%u, namespace: ns%u, labels: "
             "{app: a%u}}\nspec:\n  containers:\n  - name: c\n    ports:\n",
             p, rnd(3), rnd(3));
        for (unsigned k = 0, ports = 1 + rnd(3); k < ports; k++)
            emit(&b, "    - {name: %s, containerPort: %u, protocol: %s}\n", names[k], 1 + rnd(100),
                 protos[rnd(2)]);
        emit(&b, "status: {podIP: 10.0.%u.%u}\n---\n", rnd(2), 1 + p);
    }
    for (unsigned i = 0; i < 6; i++) {
        emit(&b,
             "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np%u, "
             "namespace: ns%u}\nspec:\n  podSelector: {matchLabels: {app: a%u}}\n",
             i, rnd(3), rnd(3));
        const char *dir = rnd(2) ? "ingress" : "egress";
        emit(&b, "  policyTypes: [%s]\n  %s:\n", rnd(2) ? "Ingress" : "Egress", dir);
        for (unsigned r = 0, rules = rnd(3); r < rules; r++) {
            emit(&b, "  - %s:\n    - podSelector: {matchLabels: {app: a%u}}\n",
                 dir[0] == 'i' ? "from" : "to", rnd(3));
            emit(&b, "      namespaceSelector: {}\n");
            if (rnd(4) == 0)
                emit(&b, "    - ipBlock: {cidr: 10.0.%u.0/24}\n", rnd(2));
            if (rnd(3)) {
                emit(&b, "    ports:\n");
                for (unsigned e = 0, entries = 1 + rnd(2); e < entries; e++)
                    random_port_entry(&b);
            }
        }
        emit(&b, "---\n");
    }
    return b.text;
}

static void sets_agree_with_ports_on_random_clusters(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        char *yaml = random_cluster(seed);
        tk_world t;
        if (tk_load(&t, yaml) != 0)
            fail_msg("seed %llu did not load:\n%s\n%s", (unsigned long long)seed, t.msgs, yaml);
        char what[32];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
        check_sets(t.w, what);
        tk_free(&t);
        free(yaml);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TK_TEST(add_merges_touching_and_overlapping_ranges),
        TK_TEST(minus_and_subset),
        TK_TEST(formats),
        TK_TEST(parse),
        TK_TEST(space_cut_at_rule_bounds),
        TK_TEST(sets_agree_with_ports_on_a_fixed_world),
        TK_TEST(sets_agree_with_ports_on_the_aws_labs),
        TK_TEST(sets_agree_with_ports_on_random_clusters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
