/* reach — who may connect to whom: NetworkPolicy verdicts for every ordered pair of pods on a
 * set of ports (a truth table), and the explained verdict of one connection.
 *
 * Two engines give the same tables. The bitset engine evaluates each policy rule once per port
 * and ORs pod sets 64 at a time; the naive engine asks pn_reach_evaluate for every pair and is
 * the reference the tests hold the bitset engine to. */
#ifndef PN_REACH_H
#define PN_REACH_H

#include "models/portset.h"
#include "sim/query/path.h"
#include "sim/world/world.h"

typedef enum { PN_ENGINE_BITSET, PN_ENGINE_NAIVE } pn_reach_engine;

/* Why one direction of a connection was allowed or denied. */
typedef enum {
    PN_WHY_NOT_ISOLATED, /* no policy governs this direction for the pod: allowed */
    PN_WHY_RULE,         /* a rule allowed it (policy, rule) */
    PN_WHY_NO_RULE,      /* isolated and no rule of the isolating policies matched: denied */
    PN_WHY_SELF,         /* a pod always reaches itself */
    PN_WHY_NODE,         /* traffic between a pod and its own node is always allowed */
    PN_WHY_HOST_NETWORK, /* hostNetwork pods are node traffic, not subject to policies */
    PN_WHY_NOT_RUNNING,  /* the pod is not running (Pending, ContainerCreating): no network */
} pn_why;

typedef struct {
    bool allowed;
    pn_why why;
    long policy;      /* PN_WHY_RULE: index of the policy in the world; else -1 */
    long rule;        /* PN_WHY_RULE: index of the rule in its direction's list; else -1 */
    size_t isolating; /* how many policies govern this direction for the pod */
} pn_direction_verdict;

/* What the network between the two made of it (AWS worlds; sim/query/path). */
typedef struct {
    bool allowed;           /* the walk delivered it (or there is no network to walk) */
    pn_net_reason reason;   /* why not: security group, ACL, route... */
    const char *decided_by; /* the group, ACL rule or route that refused it; world-owned */
} pn_net_verdict;

typedef struct {
    bool allowed;                 /* egress AND ingress AND the network */
    pn_direction_verdict egress;  /* at the source */
    pn_direction_verdict ingress; /* at the destination */
    pn_net_verdict network;       /* between them */
} pn_verdict;

/* The verdict for a connection from pod src to pod dst (world indexes) on port, with the
 * deciding policy and rule per direction and, in an AWS world, the network's verdict. The
 * first allowing rule in (policy, rule) order is named; any allowing rule would do, since
 * rules only add. Builds a path view of w for the network part: callers that ask many pairs
 * use pn_reach_evaluate_in. */
pn_verdict pn_reach_evaluate(const pn_world *w, size_t src, size_t dst, pn_port port);

/* The same with a path view of w made by the caller (NULL: no network to walk). */
pn_verdict pn_reach_evaluate_in(const pn_world *w, const pn_path_view *view, size_t src, size_t dst,
                                pn_port port);

/* The verdict for a connection from pod src to an address that is no pod's (an external
 * endpoint of a Service without a selector, say): only the source's egress applies, where
 * ipBlock rules can admit it. */
pn_verdict pn_reach_evaluate_address(const pn_world *w, size_t src, pn_ipv4 ip, pn_port port);

/* The verdict for a connection from an address that is no pod's (a client outside the
 * cluster, or a node after SNAT) to pod dst: only the destination's ingress applies; its own
 * node's address is always allowed. */
pn_verdict pn_reach_evaluate_from_address(const pn_world *w, pn_ipv4 ip, size_t dst, pn_port port);

typedef struct pn_reach pn_reach;

/* Computes the truth table of every ordered pair of the world's pods for each of ports
 * (copied). Returns a table to free with pn_reach_free. */
pn_reach *pn_reach_compute(const pn_world *w, const pn_port *ports, size_t port_count,
                           pn_reach_engine engine);

void pn_reach_free(pn_reach *r); /* accepts NULL */

/* What the bitset engine can keep between computations on a changing world: the pods'
 * equivalence classes (kept while pods, namespaces and ipBlock boundaries stay the same) and
 * every policy's class sets (kept while the policy stays the same). After one policy changes,
 * only that policy's sets and the per-port combination are recomputed. */
typedef struct pn_reach_cache pn_reach_cache;

pn_reach_cache *pn_reach_cache_new(void);
void pn_reach_cache_free(pn_reach_cache *c); /* accepts NULL */

/* Like pn_reach_compute with the bitset engine, reusing and refreshing c. The world must be
 * the same object between calls (or c freshly made). */
pn_reach *pn_reach_cache_compute(pn_reach_cache *c, const pn_world *w, const pn_port *ports,
                                 size_t port_count);

/* True when src may connect to dst on ports[port_index]. */
bool pn_reach_allowed(const pn_reach *r, size_t port_index, size_t src, size_t dst);

/* Allowed ordered pairs (self included) on ports[port_index]. */
size_t pn_reach_count(const pn_reach *r, size_t port_index);

/* Equivalence classes the table was computed on (the naive engine: one per pod). */
size_t pn_reach_class_count(const pn_reach *r);

/* The ports the table covers (owned by the table). */
const pn_port *pn_reach_ports(const pn_reach *r, size_t *count);

/* The class of pod i: pods of one class get the same answers. */
size_t pn_reach_pod_class(const pn_reach *r, size_t pod);

/* The verdicts of class c on ports[port]: a bitset over classes, *words 64-bit words long.
 * allowed(s, d) = s == d or bit class(d) of the row of class(s). */
const uint64_t *pn_reach_class_row(const pn_reach *r, size_t port, size_t c, size_t *words);

/* True when both tables cover the same pods and ports with the same verdicts. */
bool pn_reach_equal(const pn_reach *a, const pn_reach *b);

/* Every distinct port some container declares, ordered by number then protocol. The caller
 * frees the array. */
pn_port *pn_reach_declared_ports(const pn_world *w, size_t *count);

/* ---- connection sets over the whole space (TCP, UDP, SCTP × 1..65535) ----
 *
 * A table over the whole space has a column per interval class of sim/query/ports (bitset
 * engine) or per interval (naive engine), each column standing for its port ranges; a pair's
 * allowed set is the union of the columns it is allowed on. Tables on chosen ports answer the
 * same questions, each column standing for its one port. */

/* The allowed set of every ordered pair of the world's pods over the whole space. */
pn_reach *pn_reach_compute_sets(const pn_world *w, pn_reach_engine engine);

/* The same with the bitset engine, reusing and refreshing c. */
pn_reach *pn_reach_cache_compute_sets(pn_reach_cache *c, const pn_world *w);

/* True for a table over the whole space. */
bool pn_reach_is_sets(const pn_reach *r);

/* A table over the whole space: the intervals the space was cut into (0 for other tables).
 * Its columns (pn_reach_ports' count) are the interval classes. */
size_t pn_reach_interval_count(const pn_reach *r);

/* The port ranges column col stands for. */
const pn_port_range *pn_reach_column_ranges(const pn_reach *r, size_t col, size_t *count);

/* The set src may open to dst (every column's ranges for a running pod with itself). */
void pn_reach_pair_set(const pn_reach *r, size_t src, size_t dst, pn_portset *out);

/* True when both tables give every ordered pair the same set. */
bool pn_reach_sets_equal(const pn_reach *a, const pn_reach *b);

/* The sets of many pairs, for output: computed a source class at a time and interned, so
 * asking pairs source by source costs one pass over the columns per source class. */
typedef struct pn_reach_sets pn_reach_sets;

pn_reach_sets *pn_reach_sets_new(const pn_reach *r);

/* A table's columns laid bare, as a table keeps them (or a copy of one: sim/output/diff's
 * snapshots): per column a row of words per source class over destination classes. */
typedef struct {
    size_t classes, words, columns;
    const uint64_t *bits;
    const uint32_t *class_of;    /* pod → class */
    const size_t *class_size;    /* class → pods (pn_reach_sets_totals only) */
    const uint64_t *runs;        /* classes whose pods run; NULL: every pod reaches itself */
    const pn_port_range *ranges; /* what each column stands for */
    const size_t *range_start;   /* column c: ranges[range_start[c] .. range_start[c + 1]) */
} pn_reach_columns;

pn_reach_columns pn_reach_columns_of(const pn_reach *r);

/* The sets of a table given by its columns (borrowed: they must outlive the sets). */
pn_reach_sets *pn_reach_sets_new_columns(const pn_reach_columns *t);

/* The set of src → dst; valid until the sets are freed. */
const pn_portset *pn_reach_sets_pair(pn_reach_sets *rs, size_t src, size_t dst);

/* The same as an id: pairs with equal sets get equal ids, below the number of sets seen. */
size_t pn_reach_sets_pair_id(pn_reach_sets *rs, size_t src, size_t dst);
const pn_portset *pn_reach_sets_get(const pn_reach_sets *rs, size_t id);

/* Over every ordered pair of pods (self included): per protocol, how many may open some port
 * of it (some[p]) and how many every port (every[p]); arrays of PN_PROTO_COUNT, added to. */
void pn_reach_sets_totals(pn_reach_sets *rs, size_t *some, size_t *every);

void pn_reach_sets_free(pn_reach_sets *rs); /* accepts NULL */

#endif
