/* diff — what changed in connectivity between two worlds (or two recorded runs): ordered pairs
 * of pods that gained or lost a connection per port, pods present on one side only, and the
 * same changes grouped the way people read them (a workload's pods together). */
#ifndef PN_DIFF_H
#define PN_DIFF_H

#include "sim/query/reach.h"
#include "sim/output/report.h"

#include <stdio.h>

/* A truth table detached from its world: pod names and workload groups, ports, and the
 * class-compressed verdicts (allowed(s, d) = s == d or bit class_of[d] of row class_of[s]).
 * Made from a computed table or read back from the results store. */
typedef struct {
    size_t n;      /* pods */
    char **names;  /* "ns/name", sorted */
    char **groups; /* "ns/Kind/name" of the pod's workload, or its own name */
    size_t port_count;
    pn_port *ports;
    size_t classes, words;
    uint32_t *class_of; /* pod → class */
    uint64_t *bits;     /* per port, a row of words per class */
    /* What each port column stands for: its one port, or in a table over the whole space
     * (sets) an interval class's port ranges. */
    bool sets;
    pn_port_range *ranges;
    size_t *range_start; /* column p: ranges[range_start[p] .. range_start[p + 1]) */
} pn_snapshot;

/* Copies what the table r of world w says into a snapshot (all owned by it). */
void pn_snapshot_from_reach(pn_snapshot *s, const pn_world *w, const pn_reach *r);

void pn_snapshot_clear(pn_snapshot *s);

bool pn_snapshot_allowed(const pn_snapshot *s, size_t port, size_t src, size_t dst);

/* Each column of a snapshot without ranges (one read from an older store) stands for its
 * port. */
void pn_snapshot_port_columns(pn_snapshot *s);

/* Writes the differences from old to new (ports compared: those both snapshots have). */
void pn_diff_write(FILE *out, const pn_snapshot *old_side, const pn_snapshot *new_side,
                   pn_format format);

/* Writes the differences between two tables over the whole space (pn_reach_compute_sets):
 * per pair the set before and after, what was added and removed, grouped by workload; widened
 * pairs first in md. With ports (json only; both may be NULL), pn_diff_write's per-port
 * fields too. */
void pn_diff_write_sets(FILE *out, const pn_snapshot *old_sets, const pn_snapshot *new_sets,
                        const pn_snapshot *old_ports, const pn_snapshot *new_ports,
                        pn_format format);

#endif
