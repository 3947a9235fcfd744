/* service — Services and EndpointSlices as kube-proxy and the EndpointSlice controller see
 * them (reference kubernetes.md §2): ClusterIP, NodePort, LoadBalancer, ExternalName and
 * headless Services, their ports and target ports, and which pods back them. */
#ifndef PN_SERVICE_H
#define PN_SERVICE_H

#include "models/labels.h"
#include "models/net.h"
#include "models/pod.h"

/* The service CIDR (kube-apiserver --service-cluster-ip-range, kubeadm's default): a given
 * clusterIP must be inside it, and cluster IPs are allocated from it. */
#define PN_SERVICE_RANGE "10.96.0.0/12"

typedef enum {
    PN_SVC_CLUSTER_IP,
    PN_SVC_NODE_PORT,
    PN_SVC_LOAD_BALANCER,
    PN_SVC_EXTERNAL_NAME
} pn_service_type;

typedef struct {
    const char *name;        /* required when the Service has several ports */
    uint16_t port;           /* the Service's port */
    pn_proto proto;          /* defaults to TCP */
    uint16_t target_port;    /* targetPort as a number (defaults to port) */
    const char *target_name; /* targetPort as a container port name, or NULL */
    uint16_t node_port;      /* NodePort/LoadBalancer: 30000-32767, 0 when not set */
} pn_service_port;

typedef struct {
    const char *name;
    const char *ns_name;
    unsigned ns;
    pn_service_type type;
    bool headless;      /* clusterIP: None */
    pn_ipv4 cluster_ip; /* given, or allocated from the service CIDR */
    bool has_selector;  /* spec.selector given: the controller makes the endpoints */
    pn_labels selector; /* equality-based, like a Service's selector */
    pn_service_port *ports;
    size_t port_count;
    const char *external_name;
    bool publish_not_ready; /* publishNotReadyAddresses */
    bool external_local;    /* externalTrafficPolicy: Local (default Cluster) */
    bool internal_local;    /* internalTrafficPolicy: Local (default Cluster) */
    int affinity_seconds;   /* sessionAffinity ClientIP: its timeoutSeconds; 0 for None */
} pn_service;

/* One address of an EndpointSlice written by hand (for a Service without a selector). */
typedef struct {
    pn_ipv4 ip;
    bool ready;            /* conditions.ready, true when absent */
    bool serving;          /* conditions.serving, ready when absent */
    bool terminating;      /* conditions.terminating, false when absent */
    const char *node_name; /* nodeName, or NULL */
} pn_slice_endpoint;

typedef struct {
    const char *name;
    const char *ns_name;
    const char *service; /* label kubernetes.io/service-name */
    pn_slice_endpoint *endpoints;
    size_t endpoint_count;
    pn_service_port *ports; /* name, port (the endpoint's port) and protocol */
    size_t port_count;
} pn_endpoint_slice;

/* "ClusterIP", "NodePort", "LoadBalancer", "ExternalName". */
const char *pn_service_type_name(pn_service_type t);
int pn_service_type_parse(const char *s, pn_service_type *out);

/* True when the Service selects the pod: same namespace, every selector label present. */
bool pn_service_selects(const pn_service *svc, const pn_pod *pod);

/* The port a pod serves the Service port on: the number, or the pod's container port of that
 * name and protocol. Returns 0, or -1 when the pod does not declare the named port (then it is
 * not an endpoint for this port, as the EndpointSlice controller decides). */
int pn_service_target(const pn_service_port *sp, const pn_pod *pod, uint16_t *port);

/* The Service port with this number and protocol, or NULL. */
const pn_service_port *pn_service_find_port(const pn_service *svc, uint16_t port, pn_proto proto);

#endif
