/* pod — port resolution for a pod's declared container ports. */
#include "models/pod.h"

#include <fnmatch.h>
#include <string.h>

int pn_pod_named_port(const pn_pod *pod, const char *name, pn_proto proto, uint16_t *number)
{
    for (size_t i = 0; i < pod->port_count; i++) {
        const pn_container_port *p = &pod->ports[i];
        if (p->name && p->proto == proto && strcmp(p->name, name) == 0) {
            *number = p->number;
            return 0;
        }
    }
    return -1;
}

static const char *const phase_names[] = {"Running", "Pending", "ContainerCreating", "Succeeded",
                                          "Failed"};

const char *pn_pod_phase_name(pn_pod_phase phase)
{
    return phase_names[phase];
}

int pn_pod_phase_parse(const char *s, pn_pod_phase *out)
{
    for (size_t i = 0; i < sizeof phase_names / sizeof phase_names[0]; i++)
        if (strcmp(s, phase_names[i]) == 0) {
            *out = (pn_pod_phase)i;
            return 0;
        }
    return -1;
}

bool pn_pod_matches(const char *pattern, const pn_pod *pod)
{
    if (!pattern)
        return true;
    const char *slash = strchr(pattern, '/');
    if (!slash)
        return false;
    char ns[256];
    size_t n = (size_t)(slash - pattern);
    if (n >= sizeof ns)
        return false;
    memcpy(ns, pattern, n);
    ns[n] = '\0';
    return fnmatch(ns, pod->ns_name, 0) == 0 && fnmatch(slash + 1, pod->name, 0) == 0;
}
