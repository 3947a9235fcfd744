/* pod — a pod as the network sees it: namespace, labels, address, node and declared ports. */
#ifndef PN_POD_H
#define PN_POD_H

#include "models/labels.h"
#include "models/net.h"
#include "models/probe.h"

typedef struct {
    const char *name; /* IANA_SVC_NAME, or NULL when the port is unnamed */
    uint16_t number;  /* containerPort, 1..65535 */
    pn_proto proto;   /* defaults to TCP */
} pn_container_port;

/* Where a pod is in its life, as far as the network cares. */
typedef enum {
    PN_POD_RUNNING,            /* has its address (the default outside AWS mode) */
    PN_POD_PENDING,            /* not scheduled to a node */
    PN_POD_CONTAINER_CREATING, /* on a node, waiting for the CNI to give it an address */
    PN_POD_SUCCEEDED,          /* every container exited 0 (a finished Job's pod) */
    PN_POD_FAILED,             /* terminated with a failure */
} pn_pod_phase;

typedef struct {
    const char *name;         /* metadata.name */
    const char *ns_name;      /* metadata.namespace ("default" when omitted) */
    unsigned ns;              /* index of the namespace in the world */
    pn_labels labels;         /* metadata.labels, sorted */
    pn_ipv4 ip;               /* status.podIP, or assigned (pod CIDR, or the VPC CNI in AWS mode) */
    bool ip_declared;         /* the address came from status.podIP */
    const char *node_name;    /* spec.nodeName, or NULL when not scheduled */
    const char *owner;        /* "Deployment/web" for pods a workload made, else NULL */
    bool host_network;        /* spec.hostNetwork: the pod uses its node's network namespace */
    pn_container_port *ports; /* every container's ports, in declaration order */
    size_t port_count;
    pn_pod_phase phase;
    const char *reason; /* why it is not running (the kubelet's or CNI's words), or NULL */
    pn_probe *probes;   /* every container's probes */
    size_t probe_count;
    bool ready;            /* condition Ready: running and readiness passing */
    int restarts;          /* container restarts (liveness failures) */
    bool terminating;      /* metadata.deletionTimestamp set: shutting down, still on the network */
    bool observed;         /* phase and Ready came from the object's status (a cluster dump) */
    int eni_device;        /* AWS: device index of the ENI holding the address, -1 when unknown */
    const char *hostname;  /* spec.hostname (a StatefulSet's pods: the pod's name), or NULL */
    const char *subdomain; /* spec.subdomain (a StatefulSet's: its serviceName), or NULL */
} pn_pod;

/* Ready and running: the EndpointSlice's "serving" (reference kubernetes.md §2.4). */
static inline bool pn_pod_serving(const pn_pod *p)
{
    return p->phase == PN_POD_RUNNING && p->ready;
}

/* "Running", "Pending", "ContainerCreating", "Succeeded", "Failed". */
const char *pn_pod_phase_name(pn_pod_phase phase);

/* Parses a phase name. Returns 0 or -1. */
int pn_pod_phase_parse(const char *s, pn_pod_phase *out);

/* Resolves a named port the way NetworkPolicy does: the number of the first container port of
 * pod with this name and protocol. Returns 0 and sets *number, or -1 when no port matches. */
int pn_pod_named_port(const pn_pod *pod, const char *name, pn_proto proto, uint16_t *number);

/* True when pod matches pattern "ns/name" (fnmatch on each part; NULL matches everything). */
bool pn_pod_matches(const char *pattern, const pn_pod *pod);

#endif
