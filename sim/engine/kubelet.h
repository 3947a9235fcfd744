/* kubelet — container probes on the event engine: a worker per probe ticks every periodSeconds
 * after initialDelaySeconds; a startup probe gates the others; readiness flips the pod's Ready
 * condition after failureThreshold (successThreshold) identical results, which the
 * EndpointSlice controller and kube-proxy follow; a liveness failure restarts the container
 * after a back-off of 10 s doubling to 300 s (CrashLoopBackOff). What the probes find is set
 * by the scenario ("health" steps): podnet models no application. */
#ifndef PN_KUBELET_H
#define PN_KUBELET_H

#include "sim/engine/engine.h"
#include "sim/world/world.h"

#include <stdio.h>

typedef struct pn_kubelet pn_kubelet;

/* Starts probe workers for every pod with probes; log (may be NULL) gets a line per change. */
pn_kubelet *pn_kubelet_new(pn_world *w, pn_engine *e, FILE *log);

void pn_kubelet_free(pn_kubelet *k); /* accepts NULL */

/* Catches up with a changed world: workers for new pods; gone pods' workers stop. */
void pn_kubelet_sync(pn_kubelet *k);

/* From now on the probes of the pods matching pattern ("ns/name", wildcards) succeed
 * (healthy) or fail. Returns how many pods matched. */
size_t pn_kubelet_set_health(pn_kubelet *k, const char *pattern, bool healthy);

/* True when some pod has probes (the engine then always has events: runs need a horizon). */
bool pn_kubelet_active(const pn_kubelet *k);

#endif
