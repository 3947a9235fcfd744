/* probe — kubelet's container probes (liveness, readiness, startup) and the state machine of
 * one probe worker (reference kubernetes.md §4; pkg/kubelet/prober/worker.go). */
#ifndef PN_PROBE_H
#define PN_PROBE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { PN_PROBE_READINESS, PN_PROBE_LIVENESS, PN_PROBE_STARTUP } pn_probe_kind;
typedef enum { PN_PROBE_EXEC, PN_PROBE_HTTP, PN_PROBE_TCP, PN_PROBE_GRPC } pn_probe_handler;

typedef struct {
    pn_probe_kind kind;
    pn_probe_handler handler;
    const char *container; /* the container it belongs to */
    int initial_delay_s;   /* initialDelaySeconds, default 0 */
    int period_s;          /* periodSeconds, default 10, at least 1 */
    int timeout_s;         /* timeoutSeconds, default 1 */
    int success_threshold; /* successThreshold, default 1 (must be 1 but for readiness) */
    int failure_threshold; /* failureThreshold, default 3 */
} pn_probe;

/* A probe with the API's defaults. */
pn_probe pn_probe_defaults(pn_probe_kind kind);

/* One worker's memory: the result in force and the run of identical results behind it. */
typedef struct {
    bool result;  /* readiness starts false; liveness and startup true */
    bool last;    /* the last probe's outcome */
    int run;      /* consecutive probes with that outcome */
    bool started; /* startup: succeeded once (then it stops probing) */
} pn_probe_state;

pn_probe_state pn_probe_initial(const pn_probe *p);

/* Records one probe outcome. The result in force changes only after failure_threshold
 * consecutive failures or success_threshold consecutive successes. Returns true when the
 * result in force changed. */
bool pn_probe_observe(const pn_probe *p, pn_probe_state *s, bool success);

const char *pn_probe_kind_name(pn_probe_kind kind);

#endif
