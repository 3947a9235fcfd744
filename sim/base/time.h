/* time — virtual time: integer nanoseconds, never floating point, so that ordering and
 * arithmetic are exact and runs repeat byte for byte. */
#ifndef PN_TIME_H
#define PN_TIME_H

#include <stdint.h>

typedef int64_t pn_time; /* nanoseconds of virtual time */

#define PN_NANOSECOND ((pn_time)1)
#define PN_MILLISECOND ((pn_time)1000000)
#define PN_SECOND ((pn_time)1000000000)
#define PN_TIME_NEVER INT64_MAX

/* Parsing and printing of durations. */
/* Parses a duration: "0s", "1.5s", "250ms", "2m", "1h", "10us", "5ns" (a number then a unit;
 * fractions allowed). Returns 0, or -1 when s is not a duration or is negative. */
int pn_time_parse(const char *s, pn_time *out);

/* Writes t compactly ("0s", "1.5s", "2m", "250ms") into buf (at least 32 bytes). */
char *pn_time_format(pn_time t, char *buf);

#endif
