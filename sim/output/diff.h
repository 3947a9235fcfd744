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
} pn_snapshot;

/* Copies what the table r of world w says into a snapshot (all owned by it). */
void pn_snapshot_from_reach(pn_snapshot *s, const pn_world *w, const pn_reach *r);

void pn_snapshot_clear(pn_snapshot *s);

bool pn_snapshot_allowed(const pn_snapshot *s, size_t port, size_t src, size_t dst);

/* Writes the differences from old to new (ports compared: those both snapshots have). */
void pn_diff_write(FILE *out, const pn_snapshot *old_side, const pn_snapshot *new_side,
                   pn_format format);

#endif
