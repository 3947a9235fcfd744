/* portset — sets of connections over the whole space protocol × port (TCP, UDP, SCTP; ports
 * 1..65535): what a pair of pods may open, as the peers answer it ("TCP 1-79,81-65535; UDP 53").
 * A set is kept normal: ranges sorted by protocol then first port, never overlapping or touching,
 * so two equal sets have equal ranges and formatting is a walk. */
#ifndef PN_PORTSET_H
#define PN_PORTSET_H

#include "models/net.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PN_PORT_MIN 1
#define PN_PORT_MAX 65535

/* The ports lo..hi of one protocol. */
typedef struct {
    pn_proto proto;
    uint16_t lo, hi;
} pn_port_range;

typedef struct {
    pn_port_range *r; /* normal: sorted, disjoint, not adjacent */
    size_t count, cap;
} pn_portset;

/* Adds lo..hi of proto (lo <= hi). Cheapest when ranges come in ascending order. */
void pn_portset_add(pn_portset *s, pn_proto proto, uint16_t lo, uint16_t hi);

/* Adds every port of every protocol. */
void pn_portset_add_all(pn_portset *s);

void pn_portset_clear(pn_portset *s); /* empties s, keeping its memory */
void pn_portset_free(pn_portset *s);  /* accepts a zeroed set */
void pn_portset_copy(pn_portset *dst, const pn_portset *src);

bool pn_portset_empty(const pn_portset *s);
bool pn_portset_equal(const pn_portset *a, const pn_portset *b);
bool pn_portset_contains(const pn_portset *s, pn_port port);

/* True when a is contained in b. */
bool pn_portset_subset(const pn_portset *a, const pn_portset *b);

/* out = a minus b (out must be neither). */
void pn_portset_minus(const pn_portset *a, const pn_portset *b, pn_portset *out);

/* How many ports of proto the set holds (0..65535). */
uint32_t pn_portset_size(const pn_portset *s, pn_proto proto);

/* True when the set holds every port of proto. */
bool pn_portset_full(const pn_portset *s, pn_proto proto);

/* The ports of proto as the CSV contract writes them: "all" when every port, else ascending
 * ranges separated by spaces ("80 443 8000-8080"); "" when none. Returns buf; a list too long
 * for buf ends in "...". */
char *pn_portset_format_ports(const pn_portset *s, pn_proto proto, char *buf, size_t size);

/* The short form a matrix cell shows: "all" (every port of every protocol), "-" (nothing), or
 * per protocol "TCP 80,443,8000-8080" / "TCP all", joined by "; ". Returns buf. */
char *pn_portset_format_short(const pn_portset *s, char *buf, size_t size);

/* Reads the ports of one protocol: "all", or numbers and lo-hi ranges separated by spaces or
 * commas ("80, 443 8000-8080"), each within 1..65535. Returns 0, or -1 with *why set to a
 * static explanation. */
int pn_portset_parse_ports(const char *text, pn_proto proto, pn_portset *out, const char **why);

#endif
