/* ports — the whole connection space (TCP, UDP, SCTP × ports 1..65535) cut into the pieces no
 * rule of the world can tell apart, the way sim/query/reach cuts pods into classes.
 *
 * Every rule that looks at a port draws a range: a NetworkPolicy port entry (port..endPort, or
 * every port of its protocol), the numbers a referenced named port resolves to at some pod, a
 * security group rule or network ACL entry (tcp/udp port ranges; SCTP and the other protocols
 * as a whole). The boundaries of those ranges cut each protocol into intervals; two intervals
 * that lie in exactly the same ranges get the same answer for every pair of pods, so they form
 * one interval class, evaluated once, at its first port. */
#ifndef PN_PORTS_H
#define PN_PORTS_H

#include "models/portset.h"
#include "sim/world/world.h"

typedef struct {
    size_t count;            /* elementary intervals, covering the space */
    pn_port_range *interval; /* by protocol, then port */
    uint32_t *class_of;      /* interval → its class */
    size_t classes;          /* interval classes */
    pn_port *rep;            /* per class: the first port of its first interval */
    size_t *class_start;     /* intervals of class k: members[class_start[k] .. [k + 1]) */
    uint32_t *members;       /* interval indexes, ascending within each class */
} pn_port_space;

/* Cuts the space for world w. */
void pn_port_space_build(const pn_world *w, pn_port_space *out);

void pn_port_space_free(pn_port_space *s); /* accepts a zeroed space */

#endif
