/* report — answers written for people and programs: truth tables as a text matrix, CSV, JSON
 * (cJSON) and Markdown, and verdict explanations. */
#ifndef PN_REPORT_H
#define PN_REPORT_H

#include "sim/query/expect.h"
#include "sim/query/reach.h"

#include <stdio.h>

typedef enum {
    PN_FORMAT_TABLE,
    PN_FORMAT_CSV,
    PN_FORMAT_JSON,
    PN_FORMAT_MD,
    PN_FORMAT_COUNT /* allowed pairs per port: for clusters too big for a table */
} pn_format;

/* Parses "table", "csv", "json", "md", "count". Returns 0 or -1. */
int pn_format_parse(const char *s, pn_format *out);

/* Which pods a row or column may show: "ns/pod" patterns with shell wildcards per part. */
typedef struct {
    const char *from; /* NULL: every pod */
    const char *to;
} pn_pair_filter;

/* Writes the truth table r of world w. With explain (JSON only), each row carries the
 * deciding policy and rule, or the reason for a denial, per direction. */
void pn_report_reach(FILE *out, const pn_world *w, const pn_reach *r, const pn_port *ports,
                     size_t port_count, pn_format format, const pn_pair_filter *filter,
                     bool explain);

/* Writes a table over the whole space (pn_reach_compute_sets): table and md as one matrix of
 * each pair's set in short form, csv as from,to,protocol,ports, count per protocol, json as
 * "connections" — with per_port (json only, may be NULL) also that table's ports and results. */
void pn_report_reach_sets(FILE *out, const pn_world *w, const pn_reach *sets,
                          const pn_reach *per_port, pn_format format, const pn_pair_filter *filter,
                          bool explain);

/* One scenario's (or one check's) results, for JUnit XML and JSON. */
typedef struct {
    const char *name;
    const char *file;
    uint64_t seed;
    const pn_expect_results *results;
} pn_suite;

/* JUnit XML: a testsuite per suite, a testcase per result (expectation and port), failures
 * with the differing pairs. Deterministic: no timestamps, times are 0. */
void pn_report_junit(FILE *out, const pn_suite *suites, size_t count);

/* The whole run as JSON: suites with their results and mismatches, and the totals. */
void pn_report_results_json(FILE *out, const pn_suite *suites, size_t count);

/* How many more pods fit, as the engine answers it: the largest scale-out (one batch of plain
 * pods, as `scale` asks for them) after which no pod waits, and what becomes of one pod more
 * (see pn_session_ipam_fit, which fills it). */
typedef struct {
    long pods;               /* the most pods a scale-out adds with every one of them running */
    int *node_pods;          /* of them, how many each node runs (pn_world_nodes order; owned) */
    size_t node_count;       /* the length of node_pods */
    bool next_known;         /* whether one pod more was tried (false: the pod limit forbids it) */
    char *next_node;         /* the node one pod more lands on, or NULL: none takes it (owned) */
    pn_pod_phase next_phase; /* where that pod stays: Pending, ContainerCreating */
    char *next_reason;       /* the scheduler's or the CNI's words for it, or NULL (owned) */
    int next_node_assigned;  /* the addresses pods use on next_node then (its ENIs full or not) */
} pn_ipam_fit;

void pn_ipam_fit_clear(pn_ipam_fit *fit); /* frees what fit owns and zeroes it */

/* podnet ipam plan: per node (max pods, ENIs, addresses held and in use, room left, pods that
 * fit), per subnet (free addresses and /28s, pods that fit), how many more pods fit in all and
 * what stops one more (a subnet running out first, or the nodes' max-pods). The world must
 * have been settled by the VPC CNI model; fit is the engine's answer for the same inputs. */
void pn_report_ipam_plan(FILE *out, pn_world *w, const pn_ipam_fit *fit, bool json);

#endif
