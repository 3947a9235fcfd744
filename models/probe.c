/* probe — thresholds and the result in force. */
#include "models/probe.h"

pn_probe pn_probe_defaults(pn_probe_kind kind)
{
    return (pn_probe){.kind = kind,
                      .handler = PN_PROBE_TCP,
                      .period_s = 10,
                      .timeout_s = 1,
                      .success_threshold = 1,
                      .failure_threshold = 3};
}

pn_probe_state pn_probe_initial(const pn_probe *p)
{
    /* kubelet starts readiness at Failure, liveness at Success, startup unknown (treated as
     * not yet started). */
    bool result = p->kind == PN_PROBE_LIVENESS;
    return (pn_probe_state){.result = result, .last = result, .run = 0, .started = false};
}

bool pn_probe_observe(const pn_probe *p, pn_probe_state *s, bool success)
{
    if (success == s->last) {
        s->run++;
    } else {
        s->last = success;
        s->run = 1;
    }
    int needed = success ? p->success_threshold : p->failure_threshold;
    if (s->run >= needed && s->result != success) {
        s->result = success;
        if (p->kind == PN_PROBE_STARTUP && success)
            s->started = true;
        return true;
    }
    if (p->kind == PN_PROBE_STARTUP && success && s->run >= needed)
        s->started = true;
    return false;
}

const char *pn_probe_kind_name(pn_probe_kind kind)
{
    return kind == PN_PROBE_READINESS  ? "readiness"
           : kind == PN_PROBE_LIVENESS ? "liveness"
                                       : "startup";
}
